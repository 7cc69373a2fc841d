"""Defects from the independent hand-test (tools report on ee818ec), replayed over REST against the
real servers: each step is what a tester typed and the bot got wrong."""

from __future__ import annotations

from tests.e2e.conftest import Chat

# (words in the question, answer) for the questions these tests are not about, in any order.
ROUTINE = (
    ("Bei welchem Anbieter", "Fitnessstudio Kraftwerk Lüneburg"),
    ("Anschrift von", "Kraftwerk Fitness GmbH, Am Sande 1, 21335 Lüneburg"),
    ("Art von Vertrag", "Fitnessstudio"),
    ("ganzen Vertrag", "ganzer Vertrag"),
    ("noch etwas enthalten", "nichts davon"),
    ("E-Mail-Adresse", "ohne E-Mail"),
)


def answer_routine(chat: Chat, until: str) -> str:
    for _ in range(len(ROUTINE) + 1):
        if until in chat.text:
            return chat.text
        answer = next((said for asked, said in ROUTINE if asked in chat.text), None)
        assert answer is not None, f"unexpected question: {chat.text}"
        chat.say(answer)
    raise AssertionError(f"never asked {until!r}: {chat.text}")


def test_a_gym_conversation_with_the_answers_the_tester_typed(chat: Chat):
    chat.say("Ich möchte meinen Fitnessstudio-Vertrag kündigen")
    answer_routine(chat, "vollständiger Name")
    chat.say("Klaus Peters, steht doch im Brief")  # item 6: the remark is no part of the name
    answer_routine(chat, "Ihre Anschrift")
    chat.say("Musterstraße 5, 10115 Berlin")
    answer_routine(chat, "Kundennummer")
    # Item 7: typed quickly, "weis ich nich" is no too-short customer number.
    reply = chat.say("weis ich nich")
    assert "zu kurz" not in reply and "Ziffern" not in reply
    # Item 17: a gym has a membership number, no phone number.
    assert "Mitglieds- oder Vertragsnummer" in reply and "Rufnummer" not in reply
    # Item 7: "?" asks what the question means; the question comes again.
    reply = chat.say("?")
    assert "zu kurz" not in reply and "Vertragsnummer" in reply
    # Item 2: the account's e-mail identifies it; no dead end.
    reply = chat.say("mein Konto läuft über lena.vogt@gmail.com")
    assert "zu lang" not in reply and "Zu wann" in reply
    # Item 7: without umlauts the answer is an answer, not a question about sending the letter.
    reply = chat.say("zum naechstmoeglichen zeitpunkt")
    assert "Einschreiben" not in reply and "Zu wann" not in reply
    summary = answer_routine(chat, "Bitte prüfen Sie Ihre Angaben")
    assert "Klaus Peters" in summary and "steht doch" not in summary
    assert "lena.vogt@gmail.com" in summary
    # Item 5: a correction that says the new value takes it.
    summary = chat.say("die PLZ stimmt nicht, es ist 50677")
    assert "50677" in summary and "Wie lautet Ihre Postleitzahl" not in summary
    # Item 8: the button's title typed instead of tapped.
    assert "wirklich" in chat.say("Bitte alle meine Daten löschen")
    reply = chat.say("Ja, alles löschen")
    assert reply.startswith("Erledigt") and "wirklich" not in reply


def test_an_english_conversation_stays_english_after_a_german_stock_answer(chat: Chat):
    assert "full name" in chat.say("I want to cancel my gym membership at McFit")
    chat.say("John Smith")
    chat.say("Musterstraße 5, 10115 Berlin")
    assert "customer number" in chat.text
    reply = chat.say("ich weiß nicht")  # item 13: was a switch back to German
    assert "membership number or contract number" in reply and "Vertragsnummer" not in reply


def test_a_sender_abroad_gets_a_letter_with_the_country(chat: Chat):
    # Item 3: "Via Roma 3, 39100 Bozen, Italien" lost its country in the summary and the letter.
    from tests.e2e.pdftext import pdf_text
    from tests.e2e.test_conversations import download_letter

    chat.say("Ich möchte meinen Fitnessstudio-Vertrag kündigen")
    answer_routine(chat, "vollständiger Name")
    chat.say("Giulia Rossi")
    answer_routine(chat, "Ihre Anschrift")
    reply = chat.say("Via Roma 3, 39100 Bozen, Italien")
    assert "Postleitzahl" not in reply  # postcode and town came with the address
    for _ in range(4):  # the numbers a gym may ask for, then the end date
        if "Zu wann" in chat.text:
            break
        if "Kundennummer" in chat.text or "Vertragsnummer" in chat.text:
            chat.say("M-778812")
        else:
            answer_routine(chat, "nummer")
    assert "Zu wann" in chat.text, chat.text
    chat.say("zum nächstmöglichen Zeitpunkt")
    summary = answer_routine(chat, "Bitte prüfen Sie Ihre Angaben")
    assert "Via Roma 3, 39100 Bozen, Italien" in summary
    reply = chat.say("ja")
    text = pdf_text(download_letter(chat) if "letters/" in reply else b"")
    assert "Via Roma 3 · 39100 Bozen · ITALIEN" in text, reply
    # Item 19 of the second hand-test: Deutsche Post's Einwurf-Einschreiben cannot be posted abroad.
    assert "Einschreiben – Recommandé" in text and "Einwurf-Einschreiben" not in text
    assert "internationales Einschreiben mit Rückschein" in reply
    assert "Am besten beweisbar ist im Alltag ein Einwurf-Einschreiben" not in reply
