"""Context decides meaning inside the interview, over REST against the real servers: a bare
answer is an answer, a clear change of mind is honoured at any question, nothing is lost."""

from __future__ import annotations

from tests.e2e.conftest import Chat

ADDRESS_QUESTION = "Anschrift von Stadtwerke Kleinkleckersdorf"


def start_with_unknown_provider(chat: Chat) -> None:
    chat.say("Ich will mein Abo bei Stadtwerke Kleinkleckersdorf kündigen")
    if "Anbieter" in chat.text:
        chat.say("Stadtwerke Kleinkleckersdorf")
    assert ADDRESS_QUESTION in chat.text


def test_changing_the_subject_midway_keeps_every_answer(chat: Chat):
    start_with_unknown_provider(chat)
    # At the address question: not an address, a change of subject.
    reply = chat.say("doch lieber nur die option")
    assert "nur eine Option" in reply and "Anschrift" in reply and "ungültig" not in reply
    assert "Wie heißt die Option" in chat.say("Stadtwerke GmbH, Postfach 11 22, 99999 Kleinkleckersdorf")
    # At the option question: back to the whole contract.
    reply = chat.say("ach nein, den ganzen Vertrag")
    assert "den ganzen Vertrag" in reply and "Art von Vertrag" in reply
    chat.say("Strom")
    # A contract word is no name.
    reply = chat.say("ganzer vertrag")
    assert "nicht nach einem Namen" in reply and "vollständiger Name" in reply
    chat.say("Erika Muster")
    assert "Anschrift" in chat.text
    # Not cancelling after all: the interview stops, the answers stay, "weiter" goes on.
    reply = chat.say("doch nicht kündigen")
    assert "angehalten" in reply and "Kündigungsschreiben ist fertig" not in reply
    reply = chat.say("weiter")
    assert "Ihre Anschrift" in reply
    chat.say("Musterstraße 5, 10115 Berlin")
    chat.say("weiß ich nicht")
    reply = chat.text
    assert "keine“" not in reply and "Vertragsnummer" in reply and "Rufnummer" not in reply  # needed; energy has no phone number
    chat.say("V-2024-123456")
    chat.say("nächstmöglich")
    chat.say("nichts davon")
    summary = chat.say("ohne E-Mail")
    for kept in ("Erika Muster", "Stadtwerke GmbH", "Musterstraße 5", "V-2024-123456"):
        assert kept in summary, kept
    assert "Stromvertrag" in summary or "Strom" in summary


def test_in_english_too(chat: Chat):
    chat.say("I want to cancel my gym membership at McFit")
    assert "full name" in chat.text
    reply = chat.say("yes")
    assert "doesn't look like a name" in reply
    reply = chat.say("actually only the add-on")
    assert "only an option" in reply
    assert "option" in chat.text
    reply = chat.say("I changed my mind, I don't want to cancel")
    assert "I have paused" in reply
    assert "carry on" in chat.say("continue")


def test_a_typed_button_title_works_like_tapping_the_button(chat: Chat):
    chat.say("When is the latest I can cancel my Telekom DSL? It started on 1 March 2025 with 24 months")
    assert "Cancel now" in [button["title"] for button in chat.buttons]
    reply = chat.say("cancel now")
    # The interview starts, as after tapping it (its first question: contract or option).
    assert "whole contract or just a single option" in reply and "did not quite understand" not in reply


def reach_the_option_summary(chat: Chat) -> str:
    chat.say("wie werde ich die Datenoption los")
    chat.say("Vodafone")
    chat.say("Max Mustermann")
    chat.say("Hauptstr. 12a, 50667 Köln")
    chat.say("weiß ich nicht")
    chat.say("0151 23456789")
    chat.say("zum 31.12.2027")
    chat.say("nein")
    summary = chat.say("ohne E-Mail")
    assert "Option „Datenoption“" in summary
    return summary


def test_at_the_summary_a_switch_between_option_and_contract_keeps_the_other_answers(chat: Chat):
    # Hand-test item 1: the summary asked "Was möchten Sie ändern?", asked for the option's name
    # after "den ganzen Vertrag", or stored "keine Option! den ganzen Vertrag" as the option.
    reach_the_option_summary(chat)
    reply = chat.say("ach nein, doch den ganzen Vertrag")
    assert "den ganzen Vertrag" in reply and "Wie heißt die Option" not in reply
    assert "Was möchten Sie ändern" not in reply
    if "Art von Vertrag" in reply:
        reply = chat.say("Handyvertrag")
    while "Kündigung" not in reply or "Max Mustermann" not in reply:  # what the new subject needs
        reply = chat.say("nein")
    assert "Datenoption" not in reply and "Option „" not in reply
    for kept in ("Max Mustermann", "Hauptstr. 12a", "50667 Köln", "0151", "31.12.2027"):
        assert kept in reply, kept
    # And back: only the option; its name is asked; the refusal of the option switches again.
    reply = chat.say("doch nur die Option")
    assert "nur eine Option" in reply and "Wie heißt die Option" in reply
    reply = chat.say("keine Option! den ganzen Vertrag")
    assert "den ganzen Vertrag" in reply and "keine Option!" not in reply
    assert "Option „" not in reply
    reply = chat.say("doch nur die Option")
    summary = chat.say("Datenoption")
    assert "Option „Datenoption“" in summary
    reply = chat.say("Ich will den ganzen Vertrag kündigen, nicht nur die Option")
    assert "den ganzen Vertrag" in reply and "Wie heißt die Option" not in reply
