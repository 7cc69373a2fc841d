"""The conversation store: Rasa's SQL tracker store on `DATABASE_URL`, plus "forget me".

Rasa appends only the events it has not stored yet (it counts the stored ones). When a turn runs
`action_forget_me`, this store instead deletes every stored event of that conversation and keeps
nothing of the turn, so the next message starts a fresh conversation with no trace of the old one.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from cancellation.settings import Settings

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"


def _wants_forgetting(tracker: DialogueStateTracker) -> bool:
    return any(
        isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION
        for event in tracker.events
    )


class ConversationStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, **kwargs: Any) -> None:
        url = kwargs.pop("url", None) or Settings.from_env().database_url
        kwargs.pop("host", None)
        # SQLTrackerStore treats a host containing "://" as a complete SQLAlchemy URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not _wants_forgetting(tracker):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            session.execute(
                sa.delete(self.SQLEvent).where(self.SQLEvent.sender_id == tracker.sender_id)
            )
            session.commit()
        logger.info("Conversation %s deleted on the user's request", tracker.sender_id)
