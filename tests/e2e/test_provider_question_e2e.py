"""The provider question over REST against the real servers: what is no company name is refused
with what is expected, the question comes again, and a company the directory does not know is taken."""

from __future__ import annotations

from tests.e2e.conftest import Chat

ASKED = "Bei welchem Anbieter"


def test_an_address_a_date_and_not_knowing_are_refused_then_an_unknown_company_is_taken(chat: Chat):
    assert ASKED in chat.say("Ich möchte meinen Fitnessstudio-Vertrag kündigen")
    reply = chat.say("Hauptstraße 1")
    assert "Das sieht nach einer Anschrift aus" in reply and "„Vodafone“" in reply and ASKED in reply
    reply = chat.say("31.12.2026")
    assert "Das sieht nach einem Datum aus" in reply and ASKED in reply
    reply = chat.say("weiß nicht")
    assert "Kontoauszug" in reply and ASKED in reply
    reply = chat.say("Stadtwerke Hintertupfingen")
    assert "Anschrift von Stadtwerke Hintertupfingen" in reply and ASKED not in reply


def test_an_english_user_hears_it_in_english(chat: Chat):
    assert "Which provider" in chat.say("I want to cancel my gym membership")
    reply = chat.say("john.smith@example.com")
    assert "That looks like an e-mail address." in reply and "Which provider" in reply
