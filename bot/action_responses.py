"""Validating the action server's responses: Rasa's JSON schema, checked event by event.

Rasa checks every action server response against `RemoteAction.action_response_format_spec()`.
Its event schema is a `oneOf` over 24 event kinds, so jsonschema tries every kind for every
event; after building the validator once (the patch `precompiled_response_validator`) that
search was still a tenth of a turn's CPU. The kinds are told apart by the constant of their
`event` property, so at most one kind can ever match an event: checking the event against the
schema of the kind its `event` names decides the same as the `oneOf`. Only a response that fails
this check is run through the whole schema, so the error raised is jsonschema's own.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Mapping, Text, Tuple

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction


@functools.lru_cache(maxsize=1)
def full_validator() -> Any:
    """The validator of Rasa's whole response schema (built once)."""
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


@functools.lru_cache(maxsize=1)
def _by_kind() -> Tuple[Any, Mapping[str, Any]]:
    """(validator of the response without its events, {event kind: validator of one event})."""
    schema = RemoteAction.action_response_format_spec()
    events = schema["properties"]["events"]
    item = events["items"]
    common = {key: value for key, value in item.items() if key != "oneOf"}
    by_kind: Dict[str, Any] = {}
    for kind_schema in item["oneOf"]:
        kind = kind_schema["properties"]["event"]["const"]
        one = {**common, "allOf": [kind_schema]}
        by_kind[kind] = validator_for(one)(one)
    envelope = {**schema, "properties": {**schema["properties"], "events": {"type": "array"}}}
    return validator_for(envelope)(envelope), by_kind


def is_valid_fast(result: Any) -> bool:
    """True when `result` is valid under Rasa's response schema, checking each event only
    against the kind it names. False means "run the whole schema", not necessarily invalid."""
    envelope, by_kind = _by_kind()
    if not envelope.is_valid(result):
        return False
    for event in result.get("events") or ():
        kind = event.get("event") if isinstance(event, dict) else None
        validator = by_kind.get(kind) if isinstance(kind, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate(result: Dict[Text, Any]) -> None:
    """Raise jsonschema's ValidationError when `result` is not a valid action server response."""
    if not is_valid_fast(result):
        full_validator().validate(result)


def validating_action_result(original: Any) -> Any:
    """The replacement of `RemoteAction._validate_action_result` (registered in bot/rasa_patches.py)."""

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validate(result)
        except ValidationError as error:
            error.message += ". Failed to validate Action server response from API."
            raise
        return True

    return _validate_action_result
