"""The summary and the extras question as a user sees them, from real trackers."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.form import ActionAskExtras
from actions.summary import ActionAskSummaryConfirmed
from cancellation.summary import provider_address_is_own
from cancellation.providers import load_directory
from tests.support.answers import COMPLETE_ANSWERS

# Before the summary is confirmed, with the provider's address equal to the user's own.
ANSWERS = dict(
    COMPLETE_ANSWERS,
    provider_address={"lines": ["Studio X"], "street": "Lindenweg 3", "postcode": "12345", "city": "Musterstadt"},
    summary_confirmed=None,
)


def run(action, **slots):
    tracker = Tracker("c-1", slots, {"text": "", "intent": {}}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


@pytest.mark.parametrize(
    "own, theirs, same",
    [
        (("Lindenweg 3", "12345"), ("Lindenweg 3", "12345"), True),
        (("Musterstraße 5", "10115"), ("Musterstr. 5", "10115"), True),
        (("Musterstrasse 5", "10115"), ("musterstr 5", "10115"), True),
        (("Musterstraße 5", "10115"), ("Musterstraße 5", "10117"), False),
        (("Musterstraße 5", "10115"), ("Musterstraße 7", "10115"), False),
        (("Musterstraße 5", "10115"), ("Postfach 1234", "10115"), False),
        (("Musterstraße 5", "10115"), ("", "10115"), False),
    ],
)
def test_the_provider_address_is_compared_with_the_users_own(own, theirs, same):
    answers = dict(
        ANSWERS,
        street=own[0],
        postcode=own[1],
        provider_address={"lines": ["X"], "street": theirs[0], "postcode": theirs[1], "city": "Ort"},
    )
    assert provider_address_is_own(answers, None) is same


def test_a_directory_address_is_not_the_users_own():
    o2 = load_directory().get("o2")
    answers = dict(ANSWERS, provider="o2", provider_key="o2", provider_address=None)
    assert provider_address_is_own(answers, o2) is False


@pytest.mark.parametrize("language, question, button", [
    ("de", "dieselbe wie Ihre eigene", "Anbieteradresse ändern"),
    ("en", "same as your own", "Change provider address"),
])
def test_the_summary_asks_before_the_letter_when_the_provider_address_is_the_users_own(language, question, button):
    [message] = run(ActionAskSummaryConfirmed(), **ANSWERS, language=language)
    assert question in message["text"] and "Studio X" in message["text"]
    assert "Stimmt alles?" not in message["text"]
    assert [b["title"] for b in message["buttons"]][1] == button
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "Anbieteradresse ändern"]


def test_the_summary_asks_the_usual_question_when_the_addresses_differ():
    answers = dict(ANSWERS, street="Musterstraße 5", postcode="10115", city="Berlin")
    [message] = run(ActionAskSummaryConfirmed(), **answers)
    assert "Stimmt alles?" in message["text"] and "dieselbe" not in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/wrong"]


@pytest.mark.parametrize("slots, offered", [
    ({"subject_kind": "option", "option_name": "Datenoption"}, ["Werbung untersagen", "nein"]),
    ({"subject_kind": "contract", "contract_type": "gym"}, ["nein", "Lastschrift widerrufen", "Werbung untersagen", "alle"]),
    ({"subject_kind": "contract", "contract_type": "mobile"}, ["nein", "Lastschrift widerrufen", "Werbung untersagen", "alle"]),
])
def test_the_extras_question_offers_what_fits(slots, offered):
    [message] = run(ActionAskExtras(), **slots)
    assert [b["payload"] for b in message["buttons"]] == offered
    porting_offered = "Rufnummer mitnehmen" in message["text"]
    assert porting_offered is (slots.get("contract_type") == "mobile")
    assert ("Lastschrift widerrufen" in message["text"]) is (slots["subject_kind"] == "contract")
