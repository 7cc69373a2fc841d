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
