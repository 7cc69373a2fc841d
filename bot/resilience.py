"""What the user sees when the action server cannot be reached.

Rasa logs the failure of a custom action and carries on predicting, so the user would get
silence or a half-finished turn. Here the failing call instead tells the user, in German, that
there is a technical problem and that their data is kept, takes back their last message (so no
half-applied answer remains) and ends the turn. When the action server is back, the user resends
the message and the conversation continues where it was.

Validation of a form answer is the exception: it is called from inside Rasa's FormAction, whose
events must not contain a revert, so there the error is re-raised after telling the user.

Installed once per Rasa process by `install()`, called where Rasa imports our tracker store.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, List

import aiohttp
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
            logger.error("Action server unreachable while running %s: %s", self.name(), error)
            await _tell_user(output_channel, nlg, tracker)
            if self.name().startswith("validate_"):
                # Called from inside a form: let the form fail as a whole. Rasa then keeps the
                # form active, applies none of this answer and waits for the next message.
                raise
            return [UserUtteranceReverted(), FollowupAction("action_listen")]

    run._resilient = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]
