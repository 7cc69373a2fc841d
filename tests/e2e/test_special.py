"""Special terminations over REST, from the first message to the PDF: the right rule, the right dates."""

from __future__ import annotations

import datetime as dt

from cancellation.clock import today
from cancellation.deadlines import format_date
from cancellation.special import latest_receipt
from cancellation.special.relocation import energy_end, intended_end
from tests.e2e.conftest import Chat
from tests.e2e.pdftext import pdf_text
from tests.e2e.test_conversations import download_letter, reference_in
from tests.e2e.test_followup import answer_until_summary


def _accept_offer(chat: Chat, reply: str) -> str:
    """A cancellation request that names a reason offers the special path first; take it."""
    if "/affirm" in [button["payload"] for button in chat.buttons]:
        return chat.say("/affirm")
    return reply


def test_energy_price_rise_cites_the_enwg_in_chat_and_letter_never_the_tkg(chat: Chat):
    notice = today() - dt.timedelta(days=5)
    effective = today() + dt.timedelta(days=45)
    reply = chat.say("Mein Stromanbieter erhöht den Arbeitspreis, kann ich außerordentlich kündigen?")
    reply = _accept_offer(chat, reply)
    assert "Mitteilung über die Preiserhöhung" in reply  # the kind of contract came from the message
    assert "Ab welchem Tag" in chat.say(format_date(notice))
    assert "Was ändert sich" in chat.say(format_date(effective))
    assert "Grundversorgung" in chat.say("Arbeitspreis steigt von 32 auf 39 Cent je kWh")
    assert "Haben Sie die Mitteilung noch" in chat.say("nein")
    assessed = chat.say("ja")
    assert "§ 41 Abs. 5 EnWG" in assessed and f"zum {format_date(effective)}" in assessed
    assert "TKG" not in assessed
    assert "Bei welchem Anbieter" in assessed
    assert "Anschrift von Stadtwerke Musterstadt" in chat.say("Stadtwerke Musterstadt")
    chat.say("Stadtwerke Musterstadt GmbH, Postfach 12 34, 12345 Musterstadt")
    summary = answer_until_summary(chat)
    assert "Stadtwerke Musterstadt" in summary
    reference_in(chat.say("ja"))
    text = pdf_text(download_letter(chat))
    assert "Die außerordentliche Kündigung stütze ich auf § 41 Abs. 5 EnWG." in text
    assert f"ohne Einhaltung einer Kündigungsfrist zum {format_date(effective)}" in text
    assert "Arbeitspreis steigt von 32 auf 39 Cent je kWh" in text
    assert "Kopie der Mitteilung über die Vertragsänderung" in text
    assert "TKG" not in text


def test_relocation_letter_names_the_move_date_and_the_end(chat: Chat):
    move = today() + dt.timedelta(days=70)
    end = intended_end(move, latest_receipt(today()))
    reply = chat.say("Ich ziehe um und möchte deshalb meinen DSL-Vertrag bei Vodafone kündigen")
    reply = _accept_offer(chat, reply)
    assert "An welchem Tag ziehen Sie um" in reply
    assert "neue Anschrift" in chat.say(format_date(move))
    assert "Bietet Ihr Anbieter den Dienst" in chat.say("Lindenweg 3, 99999 Irgendwo")
    assessed = chat.say("nein")
    assert "§ 60" in assessed
    assert f"Ihr Umzugstag: {format_date(move)}" in assessed
    assert f"spätestens am {format_date(latest_receipt(today()))} zu" in assessed
    assert f"endet dann in der Regel am {format_date(end)}" in assessed
    answer_until_summary(chat)
    reference_in(chat.say("ja"))
    text = pdf_text(download_letter(chat))
    assert f"wegen meines Umzugs außerordentlich mit einer Frist von einem Monat zum {format_date(end)}" in text
    assert f"Ich ziehe am {format_date(move)} an folgende Anschrift um: Lindenweg 3, 99999 Irgendwo." in text
    assert "Die außerordentliche Kündigung stütze ich auf § 60 Abs. 2 TKG." in text
    assert "Die Meldebestätigung der neuen Anschrift reiche ich nach." in text


def test_death_asks_the_writers_own_name_and_never_calls_the_writer_heir(chat: Chat):
    reply = chat.say("Mein Vater ist verstorben, ich möchte seinen Handyvertrag bei o2 kündigen")
    reply = _accept_offer(chat, reply)
    assert "verstorbene Person" in reply
    chat.say("Hans Muster")
    # "Mein Vater" said how the writer is related: not asked again (hand-test item 12).
    assert "Sterbeurkunde" in chat.say(format_date(today() - dt.timedelta(days=20)))
    assessed = chat.say("ja")
    assert "§§ 1943, 1944 BGB" in assessed
    assert "Ihr eigener vollständiger Name" in assessed and "Hans Muster" in assessed
    answer_until_summary(chat)
    reference_in(chat.say("ja"))
    text = pdf_text(download_letter(chat))
    assert "Hans Muster ist am" in text and "Hans Muster war mein Vater." in text
    assert "bzw." not in text
    assert "Mit freundlichen Grüßen Erika Muster" in text
    assert "Erbe" not in text and "Erbin" not in text
    assert "Anlagen Kopie der Sterbeurkunde" in text


def test_a_move_to_a_place_without_the_service_is_not_asked_about_it_again(chat: Chat):
    # Hand-test item 12: "am neuen Ort gibt es kein Glasfaser" -> asked whether it is available;
    # "Festnetz und Internet" became a fibre contract.
    move = today() + dt.timedelta(days=70)
    reply = chat.say("Ich ziehe um, am neuen Ort gibt es kein Glasfaser. Ich will Festnetz und Internet bei Vodafone kündigen")
    reply = _accept_offer(chat, reply)
    assert "An welchem Tag ziehen Sie um" in reply
    assert "neue Anschrift" in chat.say(format_date(move))
    assessed = chat.say("Lindenweg 3, 99999 Irgendwo")
    assert "Bietet Ihr Anbieter" not in assessed and "§ 60" in assessed
    summary = answer_until_summary(chat)
    assert "Glasfaser" not in summary


def test_a_slow_cable_complaint_is_not_asked_what_it_already_said(chat: Chat):
    reply = chat.say("Ich will kündigen, mein Vodafone Kabelanschluss mit 250 Mbit schafft nur 40")
    reply = _accept_offer(chat, reply)
    assert "Festnetz" not in reply  # a cable connection is fixed-line
    assert "Breitbandmessung" in reply
    chat.say("ja")
    assert "Stellt das Messprotokoll" in chat.say(format_date(today() - dt.timedelta(days=2)))
    assessed = chat.say("ja")
    assert "Welche Geschwindigkeit" not in assessed  # the message named it
    assert "§ 57 Abs. 4 TKG" in assessed
    answer_until_summary(chat)
    reference_in(chat.say("ja"))
    text = pdf_text(download_letter(chat))
    assert "(250 Mbit/s) wird erheblich unterschritten" in text
    assert "Messprotokoll der Breitbandmessung" in text


def test_declining_the_offered_special_path_goes_on_with_the_ordinary_letter(chat: Chat):
    reply = chat.say("Ich will kündigen, mein Vodafone Kabelanschluss mit 250 Mbit schafft nur 40")
    assert "/deny" in [button["payload"] for button in chat.buttons], reply
    reply = chat.say("/deny")
    assert "nicht verstanden" not in reply
    assert "Name" in reply or "heißen" in reply or "Vor- und Nachname" in reply, reply


def test_a_gym_member_who_moves_is_answered_at_once_not_one_message_late(chat: Chat):
    # Hand-test item 1: a first message naming a gym and a move got no reply; the assessment came
    # as the answer to the next message.
    reply = _accept_offer(chat, chat.say("Fitnessstudio kündigen wegen Umzug"))
    assert "kein gesetzliches Sonderkündigungsrecht wegen eines Umzugs" in reply
    assert "XII ZR 62/15" in reply and "§ 60" not in reply and "TKG" not in reply
    assert "Bei welchem Anbieter" in reply  # the interview goes on in the same turn


def test_a_gym_member_moving_abroad_gets_a_careful_answer_and_an_ordinary_letter(chat: Chat):
    reply = chat.say("Hallo, ich ziehe nächsten Monat nach Spanien und muss mein Fitnessstudio kündigen (McFit)")
    reply = _accept_offer(chat, reply)
    assert "ins Ausland" in reply and "sicher ist das nicht" in reply and "XII ZR 62/15" in reply
    assert "§ 60" not in reply
    summary = answer_until_summary(chat)
    assert "McFit" in summary
    reference_in(chat.say("ja"))
    text = pdf_text(download_letter(chat))
    assert "kündige ich den oben genannten Vertrag fristgerecht zum nächstmöglichen Zeitpunkt." in text
    assert "außerordentlich" not in text and "§" not in text


def test_an_energy_customer_who_moves_gets_the_six_weeks_of_the_enwg(chat: Chat):
    move = today() + dt.timedelta(days=70)
    end = energy_end(move, latest_receipt(today()))
    reply = _accept_offer(chat, chat.say("Ich ziehe um und möchte deshalb meinen Stromvertrag bei E.ON kündigen"))
    assert "Grundversorgung" in reply
    assert "An welchem Tag ziehen Sie um" in chat.say("nein")
    assert "neue Anschrift" in chat.say(format_date(move))
    assessed = chat.say("Lindenweg 3, 99999 Irgendwo")
    assert "§ 41b Abs. 5 EnWG" in assessed and "TKG" not in assessed
    assert f"endet dann in der Regel am {format_date(end)}" in assessed
    answer_until_summary(chat)
    reference_in(chat.say("ja"))
    text = pdf_text(download_letter(chat))
    assert f"wegen meines Umzugs außerordentlich mit einer Frist von sechs Wochen zum {format_date(end)}" in text
    assert "Die außerordentliche Kündigung stütze ich auf § 41b Abs. 5 EnWG." in text


def test_the_dates_of_a_price_rise_named_in_the_first_message_are_not_asked_again(chat: Chat):
    # Hand-test item 7: "erhöht zum 1. Januar … Den Brief habe ich am 20.11.2026 bekommen" was
    # asked both the day of receipt and the day the change takes effect.
    notice = today() - dt.timedelta(days=5)
    effective = today() + dt.timedelta(days=40)
    reply = chat.say(f"Meine Stadtwerke erhöhen zum {format_date(effective)} die Strompreise. "
                     f"Den Brief habe ich am {format_date(notice)} bekommen. Kann ich da raus?")
    reply = _accept_offer(chat, reply)
    assert "Was ändert sich" in reply, reply
    assert "Grundversorgung" in chat.say("Arbeitspreis steigt von 32 auf 39 Cent je kWh")
    assert "Haben Sie die Mitteilung noch" in chat.say("nein")
    assessed = chat.say("ja")
    assert f"zum {format_date(effective)}" in assessed and "§ 41 Abs. 5 EnWG" in assessed


def test_a_widow_is_told_why_and_her_letter_says_it_as_she_did(chat: Chat):
    # Hand-test item 8: "warum?" at the date-of-death question got "Bitte nennen Sie ein Datum";
    # the question said "sie" after "Mein Mann"; the letter had slash forms.
    reply = _accept_offer(chat, chat.say(
        "Mein Mann ist verstorben, ich möchte seinen Handyvertrag bei o2 und den Stromvertrag bei Vattenfall kündigen"))
    assert "verstorbene Person" in reply
    asked = chat.say("Hans Muster")
    assert "An welchem Tag ist Hans Muster verstorben?" in asked
    why = chat.say("warum?")
    assert "Todestag" in why and "Bitte nennen Sie ein Datum" not in why
    assert "An welchem Tag ist Hans Muster verstorben?" in why  # asked again
    assert "Sterbeurkunde" in chat.say(format_date(today() - dt.timedelta(days=20)))
    assert "§§ 1943, 1944 BGB" in chat.say("ja")
    answer_until_summary(chat)
    done = chat.say("ja")
    reference_in(done)
    # The second contract she named is offered, with what to write (it was dropped).
    assert "Sie hatten auch Vattenfall erwähnt" in done and "Todesfall: Vertrag bei Vattenfall kündigen" in done
    text = pdf_text(download_letter(chat))
    assert "Hans Muster war mein Ehemann." in text
    assert "bzw." not in text and "Angehörige" not in text
    # What the offer says to write begins the second letter, for a death again.
    second = _accept_offer(chat, chat.say("Todesfall: Vertrag bei Vattenfall kündigen"))
    assert "verstorbene Person" in second, second


def test_a_move_chosen_at_the_ground_question_for_a_gym_is_answered_at_once(chat: Chat):
    reply = chat.say("Ich möchte mein Fitnessstudio außerordentlich kündigen")
    if "Umzug" not in reply:
        reply = chat.say("Sonderkündigung")
    assert "Umzug" in reply, reply  # the ground question and its buttons
    assessed = chat.say("relocation")
    assert "kein gesetzliches Sonderkündigungsrecht wegen eines Umzugs" in assessed, assessed


def test_a_gym_member_moving_abroad_can_still_choose_the_important_reason(chat: Chat):
    # The way forward the careful answer names ("schreiben Sie mir „wichtiger Grund“") works.
    reply = _accept_offer(chat, chat.say("Ich will mein Fitnessstudio kündigen, ich ziehe ins Ausland"))
    assert "„wichtiger Grund“" in reply
    assert "Was ist der wichtige Grund" in chat.say("wichtiger Grund")
