"""Faults a user may run into: the action server goes away, servers restart mid-conversation."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Chat
from tests.support.stack import running_stack


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory):
    # Its own servers: these tests stop and start them.
    with running_stack(tmp_path_factory.mktemp("faults")) as stack:
        yield stack


def test_action_server_down_then_back(own_stack):
    chat = Chat(own_stack, "fault-action-server")
    chat.say("Ich will meinen Handyvertrag bei o2 kündigen")
    assert "Name" in chat.say("Erika Musterfrau") or "Anschrift" in chat.text

    own_stack.stop("actions")
    reply = chat.say("Musterstraße 5, 10115 Berlin")
    assert "technisches Problem" in reply and "gespeichert" in reply
    assert reply.count("technisches Problem") == 1
    assert "Traceback" not in reply

    status = chat.say("wie ist meine Vorgangsnummer?")  # an action outside the form
    assert "technisches Problem" in status and status.count("technisches Problem") == 1

    own_stack.start_action_server()
    # The user sends the same answer again and the conversation goes on where it was.
    assert "Kundennummer" in chat.say("Musterstraße 5, 10115 Berlin")
    chat.say("123456")
    chat.say("keine")
    chat.say("weiß ich nicht")  # o2's Kundenkennzahl
    chat.say("nächstmöglich")
    chat.say("nein")
    summary = chat.say("nein")
    assert "Erika Musterfrau" in summary and "10115 Berlin" in summary


def test_restarting_both_servers_resumes_the_conversation(own_stack):
    chat = Chat(own_stack, "fault-restart")
    chat.say("Ich möchte meine Mitgliedschaft bei McFit kündigen")
    chat.say("Jens Weber")
    assert "Kundennummer" in chat.say("Am Markt 3, 04109 Leipzig")

    own_stack.stop("rasa")
    own_stack.stop("actions")
    own_stack.start_action_server()
    own_stack.start_rasa()

    assert "Mitglieds- oder Vertragsnummer" in chat.say("4711")  # the next question, nothing asked again
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    summary = chat.say("nein")
    assert "Jens Weber" in summary and "04109 Leipzig" in summary and "4711" in summary
