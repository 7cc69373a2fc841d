"""The event-by-event check decides exactly as Rasa's whole response schema does."""

from __future__ import annotations

import copy

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)

from bot import action_responses

EVENTS = [
    SlotSet("provider", "o2").as_dict(),
    SlotSet("requested_slot", None).as_dict(),
    ActiveLoop("cancellation_form").as_dict(),
    ActiveLoop(None).as_dict(),
    FollowupAction("action_listen").as_dict(),
    UserUtteranceReverted().as_dict(),
    AllSlotsReset().as_dict(),
    Restarted().as_dict(),
    SessionStarted().as_dict(),
    ActionExecuted("action_listen").as_dict(),
    BotUttered("Hallo", {"buttons": []}).as_dict(),
    UserUttered("kündigen", {"name": "cancel", "confidence": 0.9},
                parse_data={"intent": {"name": "cancel", "confidence": 0.9}, "entities": [],
                            "text": "kündigen"}).as_dict(),
]

# Broken in the ways a faulty action server could break them.
BROKEN_EVENTS = [
    {"name": "provider", "value": "o2"},                      # no "event"
    {"event": "slot", "value": "o2"},                          # slot without name
    {"event": "slot", "name": 5, "value": "o2"},               # name not a string
    {"event": "no_such_event"},                                # unknown kind
    {"event": 7},                                              # kind not a string
    {"event": "slot", "name": "x", "value": 1, "timestamp": "yesterday"},
    {"event": "user", "text": 12},
    {"event": "action", "name": "x", "confidence": "high"},
    "slot",                                                    # not an object
    None,
]


def responses():
    yield {}
    yield {"events": [], "responses": []}
    yield {"events": EVENTS, "responses": [{"text": "Hallo"}, {"response": "utter_greet"}]}
    for event in EVENTS:
        yield {"events": [event], "responses": []}
    for broken in BROKEN_EVENTS:
        yield {"events": EVENTS[:2] + [broken], "responses": []}
    yield {"events": None, "responses": []}
    yield {"events": EVENTS[:1], "responses": ["text"]}
    yield {"events": "slot", "responses": []}
    yield []


def full_schema_accepts(result) -> bool:
    return action_responses.full_validator().is_valid(result)


@pytest.mark.parametrize("result", list(responses()))
def test_the_fast_check_decides_as_the_whole_schema(result):
    accepted = full_schema_accepts(result)
    try:
        action_responses.validate(copy.deepcopy(result))
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_every_event_kind_of_the_schema_is_checked_on_its_own():
    schema = RemoteAction.action_response_format_spec()
    kinds = {branch["properties"]["event"]["const"] for branch in schema["properties"]["events"]["items"]["oneOf"]}
    _, by_kind = action_responses._by_kind()
    assert set(by_kind) == kinds and len(kinds) >= 20


def test_an_invalid_response_raises_jsonschemas_own_error_through_the_patch():
    validate = action_responses.validating_action_result(RemoteAction._validate_action_result)
    assert validate(None, {"events": EVENTS, "responses": []}) is True
    with pytest.raises(ValidationError) as raised:
        validate(None, {"events": [{"event": "slot", "value": 1}], "responses": []})
    assert "Failed to validate Action server response" in raised.value.message
