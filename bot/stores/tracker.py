"""The conversation store: Rasa's SQL tracker store on `DATABASE_URL`, plus "forget me".

Rasa appends only the events it has not stored yet (it counts the stored ones). When the current
turn holds the action server's report that the forget succeeded (`forget_outcome` = "deleted",
cancellation/forgetting.py), this store instead deletes every stored event of that conversation
and keeps nothing of the turn, so the next message starts a fresh conversation with no trace of
the old one: no answers, no bot messages with download links. A forget that failed, or an
`action_forget_me` that never reported back, deletes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from cancellation.forgetting import FORGET_OUTCOME_SLOT, ForgetOutcome
from cancellation.log.engine import private_sqlite_file
from cancellation.settings import Settings

logger = logging.getLogger(__name__)


def forget_succeeded(tracker: DialogueStateTracker) -> bool:
    """Did this turn's forget succeed? Only the events since the user's last message count:
    a report from an earlier turn is not a request to delete now."""
    for event in reversed(tracker.events):
        if isinstance(event, SlotSet) and event.key == FORGET_OUTCOME_SLOT:
            return event.value == ForgetOutcome.DELETED
        if isinstance(event, UserUttered):
            return False
    return False


def _sqlite_secure_delete(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.execute("PRAGMA secure_delete = ON")


class ConversationStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, **kwargs: Any) -> None:
        url = kwargs.pop("url", None) or Settings.from_env().database_url
        kwargs.pop("host", None)
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite":
            private_sqlite_file(parsed.database)  # 0600, before Rasa creates it
        # SQLTrackerStore treats a host containing "://" as a complete SQLAlchemy URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # A forgotten conversation is overwritten in the file, not just marked free.
            sa.event.listen(self.engine, "connect", _sqlite_secure_delete)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not forget_succeeded(tracker):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            session.execute(
                sa.delete(self.SQLEvent).where(self.SQLEvent.sender_id == tracker.sender_id)
            )
            session.commit()
        logger.info("A conversation was deleted on the user's request")
