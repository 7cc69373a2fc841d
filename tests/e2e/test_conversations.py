"""Complete German conversations over the REST channel against the real servers."""

from __future__ import annotations

import re

from tests.e2e.conftest import Chat, attempts_json
from tests.e2e.pdftext import pdf_pages, pdf_text

LINK = re.compile(r"\((http://127\.0\.0\.1:\d+/letters/[A-Za-z0-9_-]+)\)")


def download_letter(chat: Chat) -> bytes:
    match = LINK.search(chat.text)
    assert match, f"no download link in: {chat.text}"
    status, headers, body = chat.stack.get(match.group(1))
    assert status == 200
    assert headers["content-type"].startswith("application/pdf")
    return body


def reference_in(text: str) -> str:
    match = re.search(r"KB-\d{4}-[0-9A-Z]{6}", text)
    assert match, f"no reference number in: {text}"
    return match.group(0)


def test_whole_mobile_contract_from_one_sentence(chat: Chat):
    # Provider and contract type are taken over from the first message, not asked again.
    reply = chat.say("Ich will meinen Handyvertrag bei o2 kündigen")
    assert "Name" in reply
    assert "Anbieter" not in reply
    chat.say("Zoë Ñúñez-Łukaszewicz")
    assert "Kundennummer" in chat.say("Musterstraße 5, 10115 Berlin")
    assert "Rufnummer" in chat.say("123456789")
    assert "Kundenkennzahl" in chat.say("+49 176 12345678")  # o2 asks for it
    assert "Zu wann" in chat.say("4711")
    assert "noch etwas enthalten" in chat.say("nächstmöglich")
    assert "E-Mail" in chat.say("Lastschrift widerrufen und Werbeanrufe untersagen")
    summary = chat.say("nein")
    assert "Lastschriftmandat" in summary and "Werbung" in summary and "4711" in summary
    assert "Bitte prüfen Sie Ihre Angaben" in summary
    assert "Zoë Ñúñez-Łukaszewicz" in summary and "10115 Berlin" in summary
    assert "0176 12345678" in summary
    assert "letzten Rechnung" in summary  # the invoice address wins
    done = chat.say("ja")
    reference = reference_in(done)
    assert "Einwurf-Einschreiben" in done

    pdf = download_letter(chat)
    text = pdf_text(pdf)
    assert pdf_pages(pdf) == 1
    assert "Zoë Ñúñez-Łukaszewicz" in text
    assert "Kündigung" in text and "Mobilfunkvertrag" in text
    assert "123456789" in text and "0176 12345678" in text
    assert "nächstmöglichen Zeitpunkt" in text
    assert "Telef" in text  # o2's legal entity in the address field
    assert "Kundenkennzahl" in text and "4711" in text
    assert "SEPA-Lastschriftmandat" in text and "Art. 21" in text
    assert reference in text

    rows = [row for row in attempts_json(chat.stack) if row["reference"] == reference]
    assert len(rows) == 1
    row = rows[0]
    assert row["channel"] == "rest" and row["status"] == "letter_created"
    assert row["provider"] == "o2" and row["subject"] == "Mobilfunkvertrag"
    import hashlib

    assert row["letter_sha256"] == hashlib.sha256(pdf).hexdigest()


def test_single_option_with_a_given_date(chat: Chat):
    reply = chat.say("wie werde ich die Datenoption los")
    assert "Anbieter" in reply
    assert "Name" in chat.say("Vodafone")
    chat.say("Max Mustermann")
    chat.say("Hauptstr. 12a")
    assert "Postleitzahl" in chat.text
    chat.say("50667")
    assert "Ort" in chat.text
    chat.say("Köln")
    chat.say("weiß ich nicht")
    reply = chat.say("keine")
    assert "Ohne Kundennummer" in reply  # one of the two numbers is needed
    chat.say("0151 23456789")
    # Only the option ends: the contract runs on (still paid by direct debit, the number stays),
    # so the extras question offers neither the SEPA revocation nor porting.
    question = chat.say("zum 31.12.2027")
    assert "Werbe" in question
    assert "Lastschrift widerrufen" not in question and "Rufnummer mitnehmen" not in question
    assert [button["payload"] for button in chat.buttons] == ["Werbung untersagen", "nein"]
    explained = chat.say("Rufnummer mitnehmen")
    assert "läuft ohne die Option weiter" in explained  # asked again, nothing lost
    assert "E-Mail" in chat.say("nein")
    summary = chat.say("max@example.org")
    assert "Option „Datenoption“" in summary
    assert "31.12.2027" in summary
    assert "Lastschrift" not in summary and "Rufnummer mitnehmen" not in summary
    pdf = download_letter(chat) if "letters/" in chat.say("passt so") else None
    assert pdf is not None
    text = pdf_text(pdf)
    assert "Datenoption" in text
    assert "31.12.2027" in text and "hilfsweise" in text
    assert "Lastschrift" not in text and "SEPA" not in text
    assert "59 TKG" not in text and "Portierung" not in text and "mitnehmen" not in text
    assert "max@example.org" in text
    assert "50667 Köln" in text


def test_correction_from_the_summary(chat: Chat):
    chat.say("Ich möchte meinen DSL Vertrag bei der Telekom kündigen")
    chat.say("Anna Schmidt")
    chat.say("Lindenweg 3, 12345 Musterstadt")
    chat.say("K-998877")
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    summary = chat.say("nein")
    assert "12345 Musterstadt" in summary
    assert "Postleitzahl" in chat.say("die Postleitzahl ist falsch")
    summary = chat.say("54321")
    assert "54321 Musterstadt" in summary and "12345" not in summary
    name_question = chat.say("Name ändern")
    assert "Name" in name_question
    summary = chat.say("Anna Schmidt-Weber")
    assert "Anna Schmidt-Weber" in summary
    text = pdf_text(download_letter(chat) if "letters/" in chat.say("ja") else b"")
    assert "54321 Musterstadt" in text and "Anna Schmidt-Weber" in text
    assert "DSL" in text


def test_interruptions_keep_the_answers(chat: Chat):
    chat.say("kündigen")
    assert "Option" in chat.text  # whole contract or option?
    chat.say("ganzer Vertrag")
    chat.say("McFit")
    name_question = chat.text
    assert "Name" in name_question
    deadline = chat.say("bis wann muss ich eigentlich kündigen?")  # not taken as the name
    assert "nächstmöglichen Zeitpunkt" in deadline and "Name" in deadline
    why = chat.say("warum brauchen Sie das?")
    assert "Vertragsinhaber" in why and "Name" in why
    chat.say("Jens Weber")
    chat.say("Am Markt 3, 04109 Leipzig")
    explained = chat.say("was ist eine Kundennummer?")
    assert "Rechnung" in explained and "Kundennummer" in explained
    paused = chat.say("abbrechen")
    assert "gespeichert" in paused
    resumed = chat.say("weiter")
    assert "Kundennummer" in resumed
    chat.say("4711")
    back = chat.say("zurück")
    assert "Kundennummer" in back
    chat.say("4712")
    chat.say("keine")
    # Reads like a correction but names no field: it is the answer to the date question.
    assert "noch etwas enthalten" in chat.say("hm, doch lieber zum 31.12.2027")
    chat.say("nein")
    summary = chat.say("nein")
    assert "Jens Weber" in summary and "04109 Leipzig" in summary and "4712" in summary
    assert "31.12.2027" in summary


def test_bad_input_is_explained_and_asked_again(chat: Chat):
    chat.say("Ich möchte meinen Stromvertrag kündigen")
    chat.say("E.ON")
    assert "Name" in chat.text
    assert "Name" in chat.say("😀😀😀")
    chat.say("Ђорђе Петровић")
    chat.say("Hauptstraße 1")
    bad = chat.say("1234")
    assert "fünf Ziffern" in bad and "Postleitzahl" in bad
    bad_again = chat.say("abcde")
    assert "fünf Ziffern" in bad_again and "abbrechen" in bad_again  # second miss: a way out
    chat.say("10115")
    chat.say("Berlin")
    chat.say("123456")
    chat.say("keine")
    assert "Datum" in chat.say("31.02.2027") or "gibt es nicht" in chat.text
    assert "Zukunft" in chat.say("01.01.2020")
    chat.say("nächstmöglich")
    assert "noch etwas enthalten" in chat.text
    assert "zum Beispiel" in chat.say("Blumenkohl")  # an answer that does not fit the question
    assert "E-Mail" in chat.say("nein")
    assert "E-Mail" in chat.say("keine ahnung@")
    summary = chat.say("nein")
    assert "Ђорђе Петровић" in summary


def test_unknown_provider_asks_for_the_address(chat: Chat):
    chat.say("Ich will mein Abo bei Stadtwerke Kleinkleckersdorf kündigen")
    if "Anbieter" in chat.text:
        chat.say("Stadtwerke Kleinkleckersdorf")
    assert "Anschrift von Stadtwerke Kleinkleckersdorf" in chat.text
    assert "Postleitzahl" in chat.say("Hauptstraße 1")
    chat.say("Stadtwerke Kleinkleckersdorf GmbH, Postfach 11 22, 99999 Kleinkleckersdorf")
    assert "Art von Vertrag" in chat.text or "Name" in chat.text


def test_small_talk_and_fallback_do_not_start_a_cancellation(chat: Chat):
    assert "Kündigung" in chat.say("Hallo") or "kündigen" in chat.text
    assert "automatischer Assistent" in chat.say("bist du ein Bot?")
    reply = chat.say("Wie wird das Wetter morgen in Hamburg?")
    assert "nicht helfen" in reply or "nicht verstanden" in reply
    assert "Name" not in reply and "Anbieter" not in reply


def test_hostile_and_odd_messages(chat: Chat):
    for message in ["", "x" * 10_000, "😀🙈🎉", "'; DROP TABLE attempts;--"]:
        replies = chat.stack.say(chat.sender, message)
        assert replies, f"no answer to {message[:20]!r}"
        assert all("Traceback" not in (reply.get("text") or "") for reply in replies)
    chat.say("Ich will meinen Handyvertrag bei congstar kündigen")
    chat.say("<script>alert(1)</script> <b>Max</b>")
    chat.say("Musterstraße 5, 10115 Berlin")
    chat.say("123456")
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    chat.say("nein")
    text = pdf_text(download_letter(chat) if "letters/" in chat.say("ja") else b"")
    assert "<script>alert(1)</script> <b>Max</b>" in text  # stored verbatim, rendered as text


def test_reference_number_and_deleting_data(chat: Chat):
    chat.say("Ich will meinen Handyvertrag bei 1&1 kündigen")
    chat.say("Erika Musterfrau")
    chat.say("Musterweg 1, 10115 Berlin")
    chat.say("555666777")
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    chat.say("nein")
    reference = reference_in(chat.say("ja"))
    link = LINK.search(chat.text).group(1)
    status = chat.say("wie ist meine Vorgangsnummer?")
    assert reference in status and "Brief erstellt" in status

    confirm = chat.say("löschen Sie meine Daten")
    assert "wirklich" in confirm
    assert "gelöscht" in chat.say("ja")
    assert chat.stack.get(link)[0] == 404  # the letter is gone
    rows = [row for row in attempts_json(chat.stack) if row["reference"] == reference]
    assert len(rows) == 1  # the anonymised row stays, so counts stay true
    # The conversation itself is gone: the bot no longer knows the reference.
    assert reference not in chat.say("wie ist meine Vorgangsnummer?")


def test_unknown_answers_to_optional_questions_are_never_printed(chat: Chat):
    chat.say("Ich will meinen Handyvertrag bei o2 kündigen")
    chat.say("Erika Mustermann")
    assert "Kundennummer" in chat.say("Lindenweg 3, 12345 Musterstadt")
    assert "Rufnummer" in chat.say("Kundennummer hab ich nicht")
    assert "Kundenkennzahl" in chat.say("0176 12345678")
    # A sentence is no password: asked again with a short explanation, nothing lost.
    again = chat.say("ich glaube 4711 oder so")
    assert "ohne Leerzeichen" in again
    assert "Zu wann" in chat.say("Kundenkennwort hab ich nicht")
    chat.say("nächstmöglich")
    chat.say("nein")
    summary = chat.say("k.A.")
    assert "hab ich nicht" not in summary and "k.A." not in summary
    assert "Kundennummer: –" in summary and "Kundenkennzahl: –" in summary
    assert "Erika Mustermann" in summary and "12345 Musterstadt" in summary
    text = pdf_text(download_letter(chat) if "letters/" in chat.say("ja") else b"")
    assert "Erika Mustermann" in text and "0176 12345678" in text
    assert "hab ich nicht" not in text and "Kundenkennwort" not in text
    assert "Kundenkennzahl" not in text and "Kundennummer" not in text
    assert "k.A." not in text


def test_a_provider_address_equal_to_the_users_own_is_asked_about_before_the_letter(chat: Chat):
    answers = (
        ("Bei welchem Anbieter", "Stadtwerke Kleinkleckersdorf"),
        ("Anschrift von", "Stadtwerke Kleinkleckersdorf GmbH, Hauptstraße 1, 99999 Kleinkleckersdorf"),
        ("Art von Vertrag", "Strom"),
        ("ganzen Vertrag", "ganzer Vertrag"),
        ("vollständiger Name", "Erika Mustermann"),
        ("Ihre Anschrift", "Hauptstr. 1, 99999 Kleinkleckersdorf"),
        ("Kundennummer", "K-123456"),
        ("Vertragsnummer, um die es geht", "keine"),
        ("Zu wann", "nächstmöglich"),
        ("Soll der Brief noch etwas enthalten", "nein"),
        ("E-Mail-Adresse", "nein"),
    )
    chat.say("Ich will meinen Stromvertrag bei Stadtwerke Kleinkleckersdorf kündigen")
    for _ in range(len(answers) + 2):
        if "Bitte prüfen Sie Ihre Angaben" in chat.text:
            break
        answer = next((reply for words, reply in answers if words in chat.text), None)
        assert answer is not None, f"unexpected question: {chat.text}"
        chat.say(answer)
    summary = chat.text
    assert "dieselbe wie Ihre eigene" in summary and "Stimmt alles?" not in summary
    assert [button["payload"] for button in chat.buttons] == ["/affirm", "Anbieteradresse ändern"]
    assert "Anschrift" in chat.say("Anbieteradresse ändern")
    summary = chat.say("Stadtwerke Kleinkleckersdorf GmbH, Postfach 11 22, 99999 Kleinkleckersdorf")
    assert "Stimmt alles?" in summary and "dieselbe" not in summary
    text = pdf_text(download_letter(chat) if "letters/" in chat.say("ja") else b"")
    assert "Postfach 11 22" in text and "Erika Mustermann" in text
