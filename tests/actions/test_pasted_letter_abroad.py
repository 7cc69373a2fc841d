"""A pasted letter from a sender abroad: the address is taken over with its country, so neither
is asked again and the letter prints the country under the town."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.facts import ActionTakeOverFacts

LETTER = """Beat Keller
Bahnhofstrasse 5
8001 Zürich
Schweiz

Vodafone GmbH
Postfach 10 20 30
40013 Düsseldorf

Hiermit kündige ich meinen Mobilfunkvertrag zum nächstmöglichen Zeitpunkt.

Mit freundlichen Grüßen
Beat Keller"""


def test_the_address_abroad_and_its_country_are_taken_over():
    tracker = Tracker("rest:abroad", {}, {"text": LETTER, "intent": {}}, [], False, None, {}, "action_listen")
    events = asyncio.run(ActionTakeOverFacts().run(CollectingDispatcher(), tracker, {}))
    for name, value in (("street", "Bahnhofstrasse 5"), ("postcode", "8001"), ("city", "Zürich"),
                        ("country", "Schweiz"), ("full_name", "Beat Keller")):
        assert SlotSet(name, value) in events
