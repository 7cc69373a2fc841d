"""The kept replays (bot/tracker_replay.py) give exactly what Rasa's own methods give.

A copy of a tracker is what the actions and forms of a turn run on, and the applied events are
what the session check, both policies and the forms read: if either differed from Rasa's, the
bot would answer differently. Each tracker grows one event at a time, and after every event the
patched method is compared with Rasa's original on the same tracker, for every story and rule
of the project and for the event sequences that make Rasa rewind.
"""

import copy
import json
import logging

import pytest
import structlog
from rasa.core.actions.forms import FormAction
from rasa.core.policies.policy import Policy
from rasa.shared.core.events import ActiveLoop, EntitiesAdded, LoopInterrupted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.tracker_replay import (
    FormattedStates,
    deferred_state_formatting,
    incremental_applied_events,
    replayed_form_tracker,
    replayed_tracker_copy,
)
from tests.bot.story_trackers import DOMAIN, FORM_HAPPY_PATH, REWINDING, listen, story_trackers, user



def _unpatched(function):
    """Rasa's own function, also when another test installed our patches in this process."""
    return getattr(function, "__wrapped__", function)


RASA_APPLIED = _unpatched(DialogueStateTracker.applied_events)
RASA_FORMAT = _unpatched(Policy.format_tracker_states)
RASA_FORM_TRACKER = _unpatched(FormAction._temporary_tracker)
form_tracker = replayed_form_tracker(RASA_FORM_TRACKER)
fast_copy = replayed_tracker_copy(_unpatched(DialogueStateTracker.copy))
applied_events = incremental_applied_events(RASA_APPLIED)


@pytest.fixture(autouse=True)
def rasa_unpatched(monkeypatch):
    """The comparisons run against Rasa's own methods only."""
    monkeypatch.setattr(DialogueStateTracker, "applied_events", RASA_APPLIED)
    monkeypatch.setattr(DialogueStateTracker, "copy", _unpatched(DialogueStateTracker.copy))
    monkeypatch.setattr(Policy, "format_tracker_states", staticmethod(RASA_FORMAT))
    monkeypatch.setattr(FormAction, "_temporary_tracker", RASA_FORM_TRACKER)


def _rasa_copy(tracker):
    return tracker.travel_back_in_time(float("inf"))  # Rasa 3.6.21's copy()


def _state(tracker, events_by_identity=True):
    """Everything a tracker is, for comparison: its attributes (without kept caches), the
    events (by identity, or equal where a method creates new ones), each slot's attributes."""
    state = {}
    for name, value in vars(tracker).items():
        if name.startswith("_kuendigungshilfe"):
            continue
        if name == "events":
            value = [id(event) for event in value] if events_by_identity else list(value)
        elif name == "slots":
            value = {key: (type(slot), vars(slot)) for key, slot in value.items()}
        state[name] = value
    return state


def _grown_and_compared(events, sender="growing"):
    """Feed the events one by one; after each, copy and applied events must be Rasa's."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    previous_copy = None
    for event in events:
        tracker.update(event)
        expected = _rasa_copy(tracker)
        duplicate = fast_copy(tracker)
        assert _state(duplicate) == _state(expected), f"copy after {event!r}"
        assert applied_events(tracker) == RASA_APPLIED(expected), f"applied after {event!r}"
        if previous_copy is not None:  # a copy of a copy, grown by the same event
            previous_copy.update(event)
            assert _state(fast_copy(previous_copy)) == _state(expected)
        previous_copy = duplicate
    return len(events)


def test_every_story_and_rule_gives_rasas_copy_and_applied_events_after_every_event():
    trackers = story_trackers()
    assert len(trackers) > 50
    assert sum(_grown_and_compared(list(t.events), t.sender_id) for t in trackers) > 700


@pytest.mark.parametrize("events", list(REWINDING.values()), ids=list(REWINDING))
def test_rewinding_events_give_rasas_copy_and_applied_events(events):
    assert _grown_and_compared(events) == len(events)


FORM_EVENTS = [SlotSet("full_name", "Erika"), SlotSet("requested_slot", "street")]


def _form_trackers_compared(events, sender="form", slots=DOMAIN.slots):
    """After every event: the trackers a form validates and asks on are Rasa's."""
    tracker = DialogueStateTracker(sender, slots)
    for event in events:
        tracker.update(event)
        form = FormAction(tracker.active_loop_name or "cancellation_form", None)
        expected = RASA_FORM_TRACKER(form, tracker, FORM_EVENTS, DOMAIN)
        built = form_tracker(form, tracker, FORM_EVENTS, DOMAIN)
        assert _state(built, False) == _state(expected, False), f"form tracker after {event!r}"
    return len(events)


def test_every_story_and_rule_gives_rasas_form_trackers_after_every_event():
    trackers = story_trackers()
    assert sum(_form_trackers_compared(list(t.events), t.sender_id) for t in trackers) > 700


@pytest.mark.parametrize("events", list(REWINDING.values()), ids=list(REWINDING))
def test_rewinding_events_give_rasas_form_trackers(events):
    assert _form_trackers_compared(events) == len(events)


def test_a_tracker_whose_slots_differ_from_the_domain_gets_rasas_form_tracker():
    assert _form_trackers_compared(FORM_HAPPY_PATH, slots=DOMAIN.slots[:-1]) == len(FORM_HAPPY_PATH)


def test_a_new_loop_name_late_in_the_conversation_gives_rasas_applied_events():
    # Rasa treats every execution of a form as a loop execution once the conversation names the
    # form anywhere: the events before the name appeared are decided again.
    tracker = DialogueStateTracker("late loop", DOMAIN.slots)
    events = [listen(), user("ask_deadline"), listen(), user("inform"),
              *[e for e in FORM_HAPPY_PATH if not isinstance(e, ActiveLoop)]]
    for event in events:
        tracker.update(event)
        applied_events(tracker)
    tracker.update(ActiveLoop("cancellation_form"))
    assert applied_events(tracker) == RASA_APPLIED(_rasa_copy(tracker))
    assert len(applied_events(tracker)) < len(tracker.events)


def test_changing_a_copy_changes_neither_the_tracker_nor_its_next_copy():
    tracker = DialogueStateTracker("independent", DOMAIN.slots)
    for event in FORM_HAPPY_PATH:
        tracker.update(event)
    duplicate = fast_copy(tracker)
    duplicate.update(SlotSet("full_name", "Erika"))
    duplicate.update(LoopInterrupted(True))
    duplicate.latest_action["action_name"] = "changed in place"
    duplicate.slots["street"].value = "Changed in place"
    duplicate.update(listen())
    assert tracker.get_slot("full_name") == "Max" and tracker.get_slot("street") == "Musterstraße 5"
    assert not tracker.active_loop.is_interrupted
    assert _state(fast_copy(tracker)) == _state(_rasa_copy(tracker))
    assert len(tracker.events) == len(FORM_HAPPY_PATH)


def test_copies_before_the_first_message_do_not_share_the_empty_message():
    tracker = DialogueStateTracker("empty", DOMAIN.slots)
    tracker.update(listen())
    first, second = fast_copy(tracker), fast_copy(tracker)
    assert first.latest_message == second.latest_message == _rasa_copy(tracker).latest_message
    assert first.latest_message is not second.latest_message
    assert first.latest_bot_utterance is not second.latest_bot_utterance


def test_a_changed_or_bounded_history_is_replayed_as_rasa_does():
    tracker = DialogueStateTracker("rebuilt", DOMAIN.slots)
    for event in FORM_HAPPY_PATH:
        tracker.update(event)
    fast_copy(tracker), applied_events(tracker)
    tracker.events.clear()  # another history under the same object (as Rasa's _reset does)
    for event in REWINDING["restart"]:
        tracker.update(event)
    assert _state(fast_copy(tracker)) == _state(_rasa_copy(tracker))
    assert applied_events(tracker) == RASA_APPLIED(_rasa_copy(tracker))

    bounded = DialogueStateTracker("bounded", DOMAIN.slots, max_event_history=5)
    for event in FORM_HAPPY_PATH:
        bounded.update(event)
        assert _state(fast_copy(bounded)) == _state(_rasa_copy(bounded))
        assert applied_events(bounded) == RASA_APPLIED(bounded)


class _FailsOnce(SlotSet):
    """A slot event whose first replay raises (as a broken custom event might)."""

    failures = 1

    def apply_to(self, tracker):
        if type(self).failures:
            type(self).failures -= 1
            raise RuntimeError("replay failed")
        super().apply_to(tracker)


def test_a_replay_that_failed_halfway_is_not_continued():
    tracker = DialogueStateTracker("failing", DOMAIN.slots)
    for event in FORM_HAPPY_PATH:
        tracker.update(event)
    fast_copy(tracker)
    tracker.events.append(SlotSet("full_name", "Erika"))
    tracker.events.append(_FailsOnce("street", "Nebenweg 1"))  # in the history, not yet replayed
    with pytest.raises(RuntimeError):
        fast_copy(tracker)
    assert _state(fast_copy(tracker)) == _state(_rasa_copy(tracker))
    assert fast_copy(tracker).get_slot("street") == "Nebenweg 1"


def test_events_that_act_on_every_replay_are_replayed_by_rasa():
    calls = []

    def counting_copy(tracker):
        calls.append(tracker)
        return _rasa_copy(tracker)

    tracker = DialogueStateTracker("entities", DOMAIN.slots)
    for event in [*FORM_HAPPY_PATH, listen(), user("inform"),
                  EntitiesAdded([{"entity": "x", "value": "y"}])]:
        tracker.update(event)
    replayed_tracker_copy(counting_copy)(tracker)
    assert calls == [tracker]


# -- deferred_state_formatting ---------------------------------------------------------------

STATES = [{}, {"user": {"intent": "cancel"}, "prev_action": {"action_name": "action_listen"}},
          {"user": {"intent": "cancel"}, "prev_action": {"action_name": "cancellation_form"},
           "active_loop": {"name": "cancellation_form"}, "slots": {"provider": (1.0,)}}]


def _original_format(states):
    return RASA_FORMAT(states)


def test_the_formatted_states_are_rasas_text_however_they_are_rendered():
    expected = _original_format(STATES)
    deferred = deferred_state_formatting(_original_format).__func__(STATES)
    logged = copy.deepcopy(deferred)  # as RulePolicy hands it to the logger
    assert str(logged) == repr(logged) == f"{logged}" == expected and logged == expected
    console = structlog.dev.ConsoleRenderer(colors=False)
    assert (console(None, "debug", {"event": "e", "current_states": logged})
            == console(None, "debug", {"event": "e", "current_states": expected}))
    rendered = structlog.processors.JSONRenderer()(None, "debug", {"current_states": logged})
    assert json.loads(rendered) == {"current_states": expected}


def test_states_are_formatted_only_when_the_line_is_written(caplog):
    formatted = []

    def counting_format(states):
        formatted.append(states)
        return _original_format(states)

    format_states = deferred_state_formatting(counting_format).__func__
    logger = structlog.wrap_logger(
        logging.getLogger("test.deferred"), wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        processors=[structlog.processors.JSONRenderer()],
    )
    logger.debug("rule_policy.actions.find", current_states=copy.deepcopy(format_states(STATES)))
    assert formatted == []
    with caplog.at_level(logging.INFO, logger="test.deferred"):
        logger.info("rule_policy.actions.find", current_states=copy.deepcopy(format_states(STATES)))
    assert formatted == [STATES]
    assert json.loads(caplog.records[-1].getMessage())["current_states"] == _original_format(STATES)


def test_formatted_states_compare_like_their_text():
    first = FormattedStates(_original_format, STATES)
    assert first == FormattedStates(_original_format, list(STATES))
    assert hash(first) == hash(_original_format(STATES))


# -- the registry ----------------------------------------------------------------------------

REPLAY_PATCHES = ("replayed_tracker_copy", "replayed_form_tracker", "incremental_applied_events",
                  "deferred_state_formatting")


def _patch(name):
    return next(patch for patch in rasa_patches.PATCHES if patch.name == name)


@pytest.mark.parametrize("name", REPLAY_PATCHES)
def test_each_replay_patch_is_registered_and_refuses_to_start_on_a_misfit(name, monkeypatch):
    owner, attribute = rasa_patches._resolve(_patch(name).target)
    monkeypatch.delattr(owner, attribute)  # a Rasa without the method we replace
    with pytest.raises(rasa_patches.RasaPatchError, match=f"patch {name}: .* does not exist"):
        rasa_patches.check()


def test_installed_replay_patches_replace_rasas_methods_once():
    patches = [_patch(name) for name in REPLAY_PATCHES]
    assert rasa_patches.install(patches) == REPLAY_PATCHES
    assert rasa_patches.install(patches) == REPLAY_PATCHES
    assert _unpatched(DialogueStateTracker.copy) is not DialogueStateTracker.copy
    assert _unpatched(_unpatched(DialogueStateTracker.copy)) is _unpatched(DialogueStateTracker.copy)
    assert Policy.format_tracker_states(STATES) == RASA_FORMAT(STATES)  # still a static method
    tracker = DialogueStateTracker("installed", DOMAIN.slots)
    for event in REWINDING["side questions"]:
        tracker.update(event)
        assert _state(tracker.copy()) == _state(_rasa_copy(tracker))
        assert tracker.applied_events() == RASA_APPLIED(tracker)
