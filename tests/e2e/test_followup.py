"""Sonderkündigung, hotline calls, confirmation and evidence over REST (deadlines: test_deadline_e2e.py)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from cancellation.deadlines import format_date
from tests.e2e.conftest import Chat, attempts_json
from tests.e2e.pdftext import pdf_text
from tests.e2e.test_conversations import download_letter, reference_in
from tests.support.stack import ROOT, VENV_BIN

# (words in the question, answer) for the letter interview, in any order.
INTERVIEW_ANSWERS = (
    ("ganzen Vertrag", "ganzer Vertrag"),
    ("Bei welchem Anbieter", "Vodafone"),
    ("Anschrift von", "Vodafone GmbH, Postfach 10 20 30, 40212 Düsseldorf"),
    ("Art von Vertrag", "DSL"),
    ("vollständiger Name", "Erika Muster"),
    ("Ihre Anschrift", "Musterstraße 5, 10115 Berlin"),
    ("Postleitzahl", "10115"),
    ("welchem Ort", "Berlin"),
    ("Kundennummer", "123456789"),
    ("Vertragsnummer, um die es geht", "keine"),  # any kind of contract: its own numbers
    ("Kundenkennzahl", "weiß ich nicht"),
    ("Geburtsdatum", "24.12.1980"),
    ("Zu wann", "nächstmöglich"),
    ("E-Mail-Adresse", "nein"),
    ("Soll der Brief noch etwas enthalten", "nein"),
)


def answer_until_summary(chat: Chat) -> str:
    for _ in range(len(INTERVIEW_ANSWERS) + 2):
        if "Bitte prüfen Sie Ihre Angaben" in chat.text:
            return chat.text
        answer = next((reply for words, reply in INTERVIEW_ANSWERS if words in chat.text), None)
        assert answer is not None, f"unexpected question: {chat.text}"
        chat.say(answer)
    raise AssertionError(f"no summary: {chat.text}")


def test_price_increase_letter_cancels_extraordinarily_with_the_enclosure(chat: Chat):
    today = dt.date.today()
    notice = today - dt.timedelta(days=10)
    effective = today + dt.timedelta(days=40)
    reply = chat.say("Vodafone erhöht die Preise, kann ich sonderkündigen?")
    if "/affirm" in [button["payload"] for button in chat.buttons]:
        reply = chat.say("/affirm")  # a cancellation request naming the reason offers the special path
    assert "Mitteilung über die Preiserhöhung" in reply  # the ground came from the message
    assert "Ab welchem Tag" in chat.say(format_date(notice))
    assert "Was ändert sich" in chat.say(format_date(effective))
    assert "Haben Sie die Mitteilung noch" in chat.say("Grundgebühr steigt von 29,99 € auf 34,99 € monatlich")
    assessed = chat.say("ja")
    assert "§ 57 Abs. 1 TKG" in assessed and "Kopie der Mitteilung" in assessed
    summary = answer_until_summary(chat)
    assert "Erika Muster" in summary
    done = chat.say("ja")
    reference_in(done)
    text = pdf_text(download_letter(chat))
    assert f"außerordentlich ohne Einhaltung einer Kündigungsfrist zum {format_date(effective)}" in text
    assert "Die außerordentliche Kündigung stütze ich auf § 57 Abs. 1 TKG." in text
    assert "34,99" in text
    assert "Kopie der Mitteilung über die Vertragsänderung" in text


def test_hotline_calls_are_logged_after_asking_the_provider(chat: Chat):
    reply = chat.say("ich habe heute zweimal vergeblich angerufen")
    assert "nicht telefonisch" in reply and "Bei welchem Anbieter haben Sie angerufen" in reply
    logged = chat.say("o2")
    assert "2 erfolglose Anrufe bei o2" in logged
    references = re.findall(r"KB-\d{4}-[0-9A-Z]{6}", logged)
    assert len(references) == 2
    rows = [row for row in attempts_json(chat.stack) if row["reference"] in references]
    assert len(rows) == 2
    assert all(row["kind"] == "hotline_call" and row["status"] == "call_failed" for row in rows)
    assert all(row["provider"] == "o2" for row in rows)
    assert "Anruf 1 von 2" in " ".join(row["note"] or "" for row in rows)
    assert "ganzen Vertrag" in logged or "Name" in logged  # the letter interview continues


def letter_for_o2(chat: Chat) -> str:
    chat.say("Ich will meinen Handyvertrag bei o2 kündigen")
    answer_until_summary(chat)
    done = chat.say("ja")
    assert "Kündigungsbutton" in done  # o2's own channels in the next steps
    return reference_in(done)


def test_confirmation_then_evidence_in_chat_and_from_the_cli(chat: Chat, tmp_path):
    reference = letter_for_o2(chat)

    assert "Zu welchem Datum" in chat.say("ich habe die Bestätigung bekommen")
    confirmed = chat.say("31.03.2027")
    assert "bestätigt zum 31.03.2027" in confirmed and reference in confirmed
    row = next(row for row in attempts_json(chat.stack) if row["reference"] == reference)
    assert row["status"] == "confirmed" and row["details"]["confirmed_end"] == "2027-03-31"

    waiting = chat.say("es kam keine Bestätigung")  # the letter is new: wait two weeks
    assert "Bitte warten Sie bis zum" in waiting

    offer = chat.say("Nachweis")
    assert reference in offer
    report = pdf_text(download_letter(chat))
    assert f"Nachweis zu Vorgang {reference}" in report and "Statusänderung" in report

    target = tmp_path / "report.pdf"
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot", "evidence", reference, "-o", str(target)],
        cwd=ROOT, env=chat.stack.env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    text = pdf_text(target.read_bytes())
    assert "Brief erstellt" in text and "Statusänderung" in text and "intakt" in text
    assert "bestätigtes Vertragsende 31.03.2027" in text


def test_hotline_calls_after_a_letter_belong_to_that_letter(chat: Chat):
    # Hand-test item 4: "bei der Hotline" named no provider called "Hotline" and started a new interview.
    reference = letter_for_o2(chat)
    logged = chat.say("ich habe heute zweimal vergeblich bei der Hotline angerufen")
    assert "2 erfolglose Anrufe bei o2" in logged
    assert "ganzen Vertrag" not in logged and "gemeinsam" not in logged
    references = set(re.findall(r"KB-\d{4}-[0-9A-Z]{6}", logged))
    calls = [row for row in attempts_json(chat.stack) if row["reference"] in references]
    assert len(calls) == 2 and all(row["kind"] == "hotline_call" and row["provider"] == "o2" for row in calls)
    waiting = chat.say("es kam keine Bestätigung")
    assert "sobald dieser Brief fertig ist" not in waiting
    assert reference in waiting or "Bitte warten Sie bis zum" in waiting
    chat.say("Nachweis")
    report = pdf_text(download_letter(chat))
    assert f"Nachweis zu Vorgang {reference}" in report and report.count("Hotline-Anruf") == 2


def test_sending_question_after_the_letter_answers_for_that_letter(chat: Chat):
    # Hand-test item 13: the question was answered with "schreiben Sie einfach „kündigen“".
    letter_for_o2(chat)
    reply = chat.say("wie schicke ich das ab? zählt auch eine E-Mail?")
    assert "„kündigen“" not in reply
    assert "Textform" in reply or "E-Mail" in reply
