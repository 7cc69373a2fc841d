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


def _forget_turn(tracker, outcome):
    tracker.update(UserUttered("ja"))
    tracker.update(ActionExecuted("action_forget_me"))
    tracker.update(BotUttered("..."))
    if outcome is not None:
        tracker.update(SlotSet("forget_outcome", outcome))


def _conversation(store, sender):
    events = [ActionExecuted("action_listen"), UserUttered("hallo"), SlotSet("full_name", "Max"),
              BotUttered("Link: http://127.0.0.1:5005/letters/geheimes-token")]
    tracker = DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)
    _run(store.save(tracker))
    return tracker


def test_a_successful_forget_deletes_every_stored_event(database_url):
    store = _store(database_url)
    tracker = _conversation(store, "user-2")
    _forget_turn(tracker, "deleted")
    _run(store.save(tracker))
    assert _run(_store(database_url).retrieve("user-2")) is None
    other = _conversation(store, "user-3")
    assert _run(store.retrieve(other.sender_id)) is not None  # only that user's conversation


@pytest.mark.parametrize("outcome", ["failed", None])
def test_a_failed_or_unreported_forget_deletes_nothing(database_url, outcome):
    store = _store(database_url)
    tracker = _conversation(store, "user-4")
    _forget_turn(tracker, outcome)
    _run(store.save(tracker))
    restored = _run(_store(database_url).retrieve("user-4"))
    assert restored is not None and restored.get_slot("full_name") == "Max"
    assert len(restored.events) == len(tracker.events)


def test_an_earlier_turns_report_is_not_a_request_to_delete_now(database_url):
    store = _store(database_url)
    tracker = _conversation(store, "user-5")
    tracker.update(SlotSet("forget_outcome", "deleted"))  # e.g. stored before a failed delete
    tracker.update(UserUttered("weiter"))
    tracker.update(BotUttered("Gern."))
    _run(store.save(tracker))
    assert _run(_store(database_url).retrieve("user-5")) is not None


def test_a_sqlite_conversation_file_is_created_for_its_owner_only(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        _store(f"sqlite:///{tmp_path / 'fresh.db'}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "fresh.db").stat().st_mode) == 0o600


def _next_turn(tracker, text):
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(text))
    tracker.update(BotUttered(f"Antwort auf {text}"))


def test_the_next_turn_continues_the_saved_tracker_while_the_database_agrees(database_url):
    store = _store(database_url)
    tracker = _conversation(store, "user-6")
    _next_turn(tracker, "weiter")
    _run(store.save(tracker))
    again = _run(store.retrieve("user-6"))
    assert again is tracker  # not rebuilt from the database
    fresh = _run(_store(database_url).retrieve("user-6"))
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in fresh.events]


def test_what_another_replica_wrote_is_read_from_the_database(database_url):
    mine, other = _store(database_url), _store(database_url)
    tracker = _conversation(mine, "user-7")
    theirs = _run(other.retrieve("user-7"))
    _next_turn(theirs, "von der anderen Replik")
    theirs.update(SlotSet("full_name", "Erika"))
    _run(other.save(theirs))
    restored = _run(mine.retrieve("user-7"))
    assert restored is not tracker
    assert restored.get_slot("full_name") == "Erika"
    assert restored.latest_message.text == "von der anderen Replik"


def test_a_tracker_changed_after_saving_or_handed_out_once_is_not_handed_out_again(database_url):
    store = _store(database_url)
    tracker = _conversation(store, "user-8")
    tracker.update(SlotSet("full_name", "nie gespeichert"))  # e.g. a turn that failed later
    restored = _run(store.retrieve("user-8"))
    assert restored is not tracker and restored.get_slot("full_name") == "Max"
    _run(store.save(restored))
    first = _run(store.retrieve("user-8"))
    second = _run(store.retrieve("user-8"))  # the first taker has not saved yet
    assert first is restored and second is not restored


def test_a_forgotten_conversation_is_not_handed_out_from_memory(database_url):
    store = _store(database_url)
    tracker = _conversation(store, "user-9")
    _forget_turn(tracker, "deleted")
    _run(store.save(tracker))
    assert _run(store.retrieve("user-9")) is None
