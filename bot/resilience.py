"""How the Rasa server talks to the action server: robust and cheap.

1. A transient connection failure (the action server closed a kept-alive connection under load:
   "Cannot write to closing transport") is retried once. Actions are safe to retry: the letter
   action is idempotent by design (attempt log idempotency key).
2. If the action server stays unreachable, Rasa would log the error and carry on predicting, so the
   user would get silence or a half-finished turn. Instead the user is told, in German, that there
   is a technical problem and that their data is kept; their last message is taken back (so no
   half-applied answer remains) and the turn ends. When the action server is back, the user resends
   the message and the conversation continues where it was.
   Validation of a form answer is the exception: it is called from inside Rasa's FormAction, whose
   events must not contain a revert, so there the error is re-raised after telling the user.
3. Rasa validates every action server response against a JSON schema with `jsonschema.validate`,
   which re-checks the schema itself on every call (a quarter of a turn's CPU time): the validator
   is built once instead.

Installed once per Rasa process by `install()`, called where Rasa imports our tracker store.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Dict, List, Text

import aiohttp
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, FollowupAction, UserUtteranceReverted
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

TECHNICAL_PROBLEM_RESPONSE = "utter_technical_problem"
_FALLBACK_TEXT = (
    "Entschuldigung, gerade gibt es ein technisches Problem. Ihre bisherigen Angaben sind "
    "gespeichert. Bitte versuchen Sie es in ein bis zwei Minuten noch einmal."
)


def _unreachable(error: BaseException) -> bool:
    cause = error.__cause__ or error.__context__
    return "Couldn't connect" in str(error) or isinstance(cause, (aiohttp.ClientError, OSError))


async def _tell_user(output_channel: Any, nlg: Any, tracker: Any) -> None:
    message = await nlg.generate(TECHNICAL_PROBLEM_RESPONSE, tracker, output_channel.name())
    text = (message or {}).get("text") or _FALLBACK_TEXT
    await output_channel.send_response(tracker.sender_id, {"text": text})


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate Action server response from API."
        raise
    return True


def install() -> None:
    if getattr(RemoteAction.run, "_resilient", False):
        return
    original = RemoteAction.run

    @functools.wraps(original)
    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:  # type: ignore[no-untyped-def]
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            if not _unreachable(error):
                raise
            logger.warning("Action server call for %s failed (%s); retrying once", self.name(), error)
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            if not _unreachable(error):
                raise
            logger.error("Action server unreachable while running %s: %s", self.name(), error)
            await _tell_user(output_channel, nlg, tracker)
            if self.name().startswith("validate_"):
                # Called from inside a form: let the form fail as a whole. Rasa then keeps the
                # form active, applies none of this answer and waits for the next message.
                raise
            return [UserUtteranceReverted(), FollowupAction("action_listen")]

    run._resilient = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
