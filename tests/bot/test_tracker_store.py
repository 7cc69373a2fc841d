"""The conversation store keeps conversations across restarts and forgets them on request."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker import ConversationStore
from tests.support.databases import scratch_postgres

DOMAIN = Domain.load("bot/domain")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        yield from scratch_postgres("tracker")


def _store(url: str) -> ConversationStore:
    return ConversationStore(domain=DOMAIN, url=url)


def _run(coroutine):
    return asyncio.run(coroutine)


def test_a_conversation_survives_a_new_store_instance(database_url):
    tracker = DialogueStateTracker.from_events(
        "user-1",
        [ActionExecuted("action_listen"), UserUttered("hallo"), SlotSet("full_name", "Zoë Ñúñez")],
        slots=DOMAIN.slots,
    )
    _run(_store(database_url).save(tracker))
    restored = _run(_store(database_url).retrieve("user-1"))  # as after a server restart
    assert restored.get_slot("full_name") == "Zoë Ñúñez"


def test_forget_me_deletes_every_stored_event(database_url):
    store = _store(database_url)
    events = [ActionExecuted("action_listen"), UserUttered("hallo"), SlotSet("full_name", "Max")]
    tracker = DialogueStateTracker.from_events("user-2", events, slots=DOMAIN.slots)
    _run(store.save(tracker))
    tracker.update(UserUttered("löschen"))
    tracker.update(ActionExecuted("action_forget_me"))
    tracker.update(BotUttered("Erledigt"))
    _run(store.save(tracker))
    assert _run(_store(database_url).retrieve("user-2")) is None
    other = DialogueStateTracker.from_events("user-3", events, slots=DOMAIN.slots)
    _run(store.save(other))
    assert _run(store.retrieve("user-3")) is not None  # only that user's conversation is gone
