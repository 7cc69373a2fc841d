"""Calendar downloads and the dispatch worker, in the Rasa server process.

credentials.yml:

    bot.channels.followthrough.FollowThroughInput:

Handles no messages. Mounts GET /calendar/<token>?lang=de|en (the .ics for a letter while its
token is valid, rendered from the verified attempt) and, when LetterXpress is configured
(LETTERXPRESS_USER, LETTERXPRESS_API_KEY), starts the dispatch worker with the server: it retries
queued letters with back-off and follows submitted ones until the Sendungsnummer is known. Every
replica may run one; the queue's leases give each job to one worker at a time.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web import is_plausible_token

logger = logging.getLogger(__name__)


def calendar_file(log: Any, token: str, lang: str) -> Optional[tuple]:
    """(reference, .ics bytes) for a valid calendar token, else None."""
    from cancellation.calendar_file import calendar_for
    from cancellation.dispatch.queue import DispatchQueue
    from cancellation.texts import language_of
    from cancellation.vocabulary import DispatchState

    reference = log.tokens.resolve_calendar(token)
    if reference is None:
        return None
    record = log.reads.get(reference)
    if record is None or record.forgotten:
        return None
    job = DispatchQueue(log.store).get(reference)
    posted_for_user = job is not None and job.state in (
        DispatchState.QUEUED, DispatchState.SUBMITTED, DispatchState.POSTED)
    return reference, calendar_for(record, language_of(lang), posted_for_user=posted_for_user)


class FollowThroughInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "followthrough"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self._log = None
        self._worker = None

    def url_prefix(self) -> Text:
        return "/"

    def attempt_log(self) -> Any:
        if self._log is None:
            from cancellation.log import AttemptLog
            from cancellation.settings import Settings

            self._log = AttemptLog.from_settings(Settings.from_env())
        return self._log

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        followthrough = Blueprint("followthrough", __name__)

        @followthrough.get("/calendar/<token>")
        async def calendar(request: Request, token: str) -> HTTPResponse:
            headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                       "Referrer-Policy": "no-referrer"}
            if not is_plausible_token(token):
                return response.text("Dieser Link ist ungültig oder abgelaufen.", status=404,
                                     headers=headers)
            lang = request.args.get("lang", "de")
            try:
                found = await asyncio.to_thread(calendar_file, self.attempt_log(), token, lang)
            except Exception:
                logger.exception("Calendar download failed")
                return response.text("Gerade nicht verfügbar, bitte später noch einmal.",
                                     status=503, headers=headers)
            if found is None:
                return response.text("Dieser Link ist ungültig oder abgelaufen.", status=404,
                                     headers=headers)
            reference, data = found
            safe = re.sub(r"[^A-Za-z0-9-]", "", reference)
            headers["Content-Disposition"] = f'attachment; filename="Termine-{safe}.ics"'
            return response.raw(data, content_type="text/calendar; charset=utf-8", headers=headers)

        @followthrough.listener("after_server_start")
        async def start_worker(app: Any, loop: Any) -> None:
            self.start_worker()

        @followthrough.listener("before_server_stop")
        async def stop_worker(app: Any, loop: Any) -> None:
            await asyncio.to_thread(self.stop_worker)

        return followthrough

    def stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def start_worker(self) -> None:
        from cancellation.dispatch.worker import build_worker
        from cancellation.settings import DispatchSettings

        configured = DispatchSettings.from_env()
        if configured is None or self._worker is not None:
            return
        self._worker = build_worker(self.attempt_log(), configured)
        self._worker.start(configured.interval_seconds)
        logger.info("Dispatch worker started (LetterXpress, mode %s)", configured.mode)
