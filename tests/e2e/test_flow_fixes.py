"""Interview-flow findings of the stranger's hand-test (tools report at ~18:38 UTC, items 2, 6,
9, 12, 15), replayed over REST against the real servers: each step is what the tester typed."""

from __future__ import annotations

from tests.e2e.conftest import Chat


def until(chat: Chat, asked: str, answers: dict) -> str:
    """Answer the routine questions (words in the question -> answer) until `asked` is asked."""
    for _ in range(len(answers) + 2):
        if asked in chat.text:
            return chat.text
        answer = next((said for words, said in answers.items() if words in chat.text), None)
        assert answer is not None, f"unexpected question: {chat.text}"
        chat.say(answer)
    raise AssertionError(f"never asked {asked!r}: {chat.text}")


ROUTINE = {"ganzen Vertrag": "ganzer Vertrag", "Kundenkennzahl": "weiß ich nicht",
           "noch etwas enthalten": "nichts davon", "E-Mail-Adresse": "ohne E-Mail"}


def test_back_after_a_one_line_address_asks_the_address_and_a_name_is_no_city(chat: Chat):
    chat.say("Ich möchte meinen Handyvertrag bei o2 kündigen")
    until(chat, "vollständiger Name", ROUTINE)
    chat.say("Eva Roth")
    chat.say("Am Markt 2, 04109 Leipzig")
    assert "Kundennummer" in chat.text
    reply = chat.say("zurück")
    assert "Ort" not in reply.split("\n")[0] and "Anschrift" in reply
    reply = chat.say("Eva Maria Roth")
    assert "Eva Maria Roth" not in reply
    chat.say("Am Markt 2, 04109 Leipzig")
    assert "Kundennummer" in chat.text


def test_a_changed_kind_of_contract_at_the_name_question(chat: Chat):
    chat.say("Ich will meinen Stromvertrag bei E.ON kündigen")
    until(chat, "vollständiger Name", ROUTINE)
    reply = chat.say("Moment, nein, doch nicht Strom, ich meine den Gasvertrag")
    assert "Gasliefervertrag" in reply and "vollständiger Name" in reply and "Namen" not in reply.split("\n")[0]
    reply = chat.say("ach doch, Strom")
    assert "Stromliefervertrag" in reply and "angehalten" not in reply and "vollständiger Name" in reply


def test_a_date_is_no_membership_number_and_changes_the_end_at_the_summary(chat: Chat):
    chat.say("Ich möchte meine Mitgliedschaft bei McFit kündigen")
    until(chat, "vollständiger Name", ROUTINE)
    chat.say("Erika Muster")
    chat.say("Musterstraße 5, 10115 Berlin")
    chat.say("weiß ich nicht")
    reply = chat.say("zum 31.01.2027")
    assert "keine Nummer" in reply and "31.01.2027" in reply and "Mitglieds" in reply
    chat.say("M-123456")
    summary = until(chat, "Bitte prüfen Sie Ihre Angaben", ROUTINE)
    assert "zum 31.01.2027" in summary and "Mitglieds-/Vertragsnummer: M-123456" in summary
    reply = chat.say("ich möchte zum 28.02.2027 kündigen")
    assert "zum 28.02.2027" in reply and "Bitte prüfen Sie Ihre Angaben" in reply
    reply = chat.say("Kündigungsdatum ändern")
    assert "Kündigung zum." not in reply and "Kündigungsdatum" in reply


def test_a_streaming_account_is_asked_for_its_e_mail_and_keine_is_an_answer(chat: Chat):
    chat.say("Ich möchte mein Netflix-Abo kündigen")
    until(chat, "vollständiger Name", ROUTINE)
    chat.say("Erika Muster")
    chat.say("Musterstraße 5, 10115 Berlin")
    assert "E-Mail-Adresse läuft Ihr Konto bei Netflix" in chat.text and "Kundennummer" not in chat.text
    reply = chat.say("keine")
    assert "Zu wann möchten Sie kündigen" in reply and "brauche ich" not in reply


def test_keine_is_a_no_number_answer_like_nein(chat: Chat):
    chat.say("Ich möchte meine Mitgliedschaft bei McFit kündigen")
    until(chat, "vollständiger Name", ROUTINE)
    chat.say("Erika Muster")
    chat.say("Musterstraße 5, 10115 Berlin")
    reply = chat.say("gibt es nicht")
    assert "Mitglieds" in reply and "zu kurz" not in reply
    chat.say("keine")
    reply = chat.say("hab ich nicht")
    assert "Zu wann möchten Sie kündigen" in reply


def test_deleting_data_mid_interview_is_one_clear_question(chat: Chat):
    chat.say("Ich möchte meine Mitgliedschaft bei McFit kündigen")
    until(chat, "vollständiger Name", ROUTINE)
    reply = chat.say("löschen Sie meine Daten")
    assert "bleiben gespeichert" not in reply and "wirklich alle Ihre Daten löschen" in reply
    reply = chat.say("nein")
    assert "nichts gelöscht" in reply and "„weiter“" in reply
    assert "vollständiger Name" in chat.say("weiter")
