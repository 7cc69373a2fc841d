"""The conversation store: Rasa's SQL tracker store on `DATABASE_URL`, plus "forget me".

Rasa appends only the events it has not stored yet (it counts the stored ones). When the current
turn holds the action server's report that the forget succeeded (`forget_outcome` = "deleted",
cancellation/forgetting.py), this store instead deletes every stored event of that conversation
and keeps nothing of the turn, so the next message starts a fresh conversation with no trace of
the old one: no answers, no bot messages with download links. A forget that failed, or an
`action_forget_me` that never reported back, deletes nothing.

Rasa reads and deserialises every event of the session on every turn, and rebuilds the tracker
by replaying them: a turn's cost grew with the conversation's length. This store keeps the
tracker it last saved for each of the most recent conversations (`KEPT_TRACKERS`, per process)
and hands that object out again when the database still holds exactly what it saved (same
number of events in the session, same last event id: one indexed aggregate query), so the
tracker is not rebuilt and the dialogue states cached on it (bot/tracker_states.py) carry over
to the next turn. A kept tracker is handed out once (the turn that took it saves it again);
anything else (another replica wrote to the conversation, a forget, a turn that failed before
saving, a tracker changed after saving) is a miss and reads the database as Rasa does.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from cancellation.forgetting import FORGET_OUTCOME_SLOT, ForgetOutcome
from cancellation.log.engine import private_sqlite_file
from cancellation.settings import Settings

logger = logging.getLogger(__name__)

# Conversations whose last saved tracker a process keeps (least recently saved dropped first).
KEPT_TRACKERS = 500


@dataclass(frozen=True)
class _Kept:
    tracker: DialogueStateTracker
    stored: Tuple[int, Optional[int]]  # (events in the session, last event id) when saved


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
        self._kept: "OrderedDict[str, _Kept]" = OrderedDict()

    def _stored(self, sender_id: str) -> Tuple[int, Optional[int]]:
        """How many events the current session has in the database, and the last one's id."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            count, last = query.order_by(None).with_entities(
                sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)
            ).one()
        return count, last

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        kept = self._kept.pop(sender_id, None)
        if kept is not None and len(kept.tracker.events) == kept.stored[0]:
            if self._stored(sender_id) == kept.stored:
                return kept.tracker
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._kept.pop(tracker.sender_id, None)
        if not forget_succeeded(tracker):
            await super().save(tracker)
            stored = self._stored(tracker.sender_id)
            if stored[0] == len(tracker.events):  # the tracker is exactly the stored session
                self._kept[tracker.sender_id] = _Kept(tracker, stored)
                while len(self._kept) > KEPT_TRACKERS:
                    self._kept.popitem(last=False)
            return
        with self.session_scope() as session:
            session.execute(
                sa.delete(self.SQLEvent).where(self.SQLEvent.sender_id == tracker.sender_id)
            )
            session.commit()
        logger.info("A conversation was deleted on the user's request")
