"""Rasa replays a conversation's events many times per turn; these keep the replay instead.

Three of Rasa 3.6.21's per-turn costs grow with the length of the conversation
(docs/BENCHMARK.md, "Growth"); each replacement below gives exactly Rasa's result and is
installed by bot/rasa_patches.py.

`DialogueStateTracker.copy` (patch `replayed_tracker_copy`)
    Rasa copies the tracker before every action it runs (`MessageProcessor._run_action`) and a
    form copies it again (`FormAction.validate_slots`); each copy is a new tracker onto which
    every event of the conversation is replayed (`travel_back_in_time`). The replacement keeps
    that replayed tracker (the "shadow") on the tracker, replays only the events appended since,
    and hands out a clone of the shadow: the same events, the shadow's own state (slots copied,
    the mutable `active_loop` and `latest_action` copied), i.e. what replaying would have built.
    The clone gets its own shadow, so a copy of the copy costs no replay either. Not used, and
    Rasa's copy runs, when the tracker keeps a bounded history (`max_event_history`: old events
    fall out, a replay sees fewer), for subclasses (training trackers), when the earlier events
    are no longer the ones replayed (first or last replayed event not in place), and for events
    whose replay acts outside the tracker or is not idempotent (`StoryExported` writes a file,
    `EntitiesAdded` appends to the user message on every replay).

`FormAction._temporary_tracker` (patch `replayed_form_tracker`)
    Before each validation and each question a form builds yet another tracker from all events
    since the last restart plus the form's own new events (`DialogueStateTracker.from_events`
    with the domain's slots). The replacement starts from a clone of the kept replay instead and
    applies only the form's new events; where that could differ from Rasa's (a restart in the
    conversation: Rasa's tracker starts after it; slots defined differently from the domain's;
    a rule tracker or bounded history) Rasa's method runs.

`DialogueStateTracker.applied_events` (patch `incremental_applied_events`)
    The events not undone by a later revert, restart or a form's repeated execution: Rasa
    rebuilds the list from the first event on each call, and a turn calls it a dozen times
    (session check, `get_last_event_for`, both policies, forms). The replacement keeps the last
    result with the events it covers and continues Rasa's own loop (its helper methods
    `_undo_till_previous`, `_first_loop_execution_or_unhappy_path`,
    `_undo_till_previous_loop_execution`) over the events appended since; the first time, and
    whenever a new event names a loop not seen before (Rasa decides each form execution knowing
    every loop name of the conversation), it calls Rasa's method itself. Callers get a new list.

`Policy.format_tracker_states` (patch `deferred_state_formatting`)
    RulePolicy formats all dialogue states of the conversation into a text for a debug log line
    on every prediction, even when debug logging is off (the text is built before the logger
    decides to drop it). The replacement returns an object that builds that same text when the
    log line is written (`str`, `repr`, JSON and console rendering all give the original text),
    and never when it is dropped.
"""

from __future__ import annotations

import copy as copying
import functools
import itertools
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Text

from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    EntitiesAdded,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    StoryExported,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Attributes on the tracker object holding what is kept.
SHADOW_ATTRIBUTE = "_kuendigungshilfe_shadow"
APPLIED_ATTRIBUTE = "_kuendigungshilfe_applied"
# Events whose replay does more than set the tracker's state (see the module's notes).
_NOT_REPLAYABLE_TWICE = (StoryExported, EntitiesAdded)
# Tracker attributes a clone must not share with the shadow: the shadow changes them in place.
_COPIED_ATTRIBUTES = ("events", "active_loop", "latest_action")
# Before the first user (bot) message a replayed tracker holds a new empty one of its own.
_PLACEHOLDERS: Dict[Text, Callable[[], Event]] = {
    "latest_message": UserUttered.empty, "latest_bot_utterance": BotUttered.empty,
}


def _covers(events: Sequence[Event], count: int, first: Optional[Event],
            last: Optional[Event]) -> bool:
    """Are the first `count` events still the ones that were folded in (by identity)?"""
    if len(events) < count:
        return False
    return count == 0 or (events[0] is first and events[count - 1] is last)


def _appended(events: Sequence[Event], count: int) -> List[Event]:
    return list(itertools.islice(events, count, None))


# -- replayed_tracker_copy -------------------------------------------------------------------


@dataclass
class _Shadow:
    """`tracker` is `init_copy()` with the first `count` events replayed (`update`) in order."""

    tracker: DialogueStateTracker
    count: int = 0
    first: Optional[Event] = None
    last: Optional[Event] = None


def _clone(source: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker in `source`'s state that shares nothing `source` may later change in place.
    Exactly the attributes a new tracker has are taken over (none of the caches kept on it)."""
    clone = source.init_copy()
    state = vars(clone)
    for name in list(state):
        value = vars(source)[name]
        if name == "slots":
            value = {key: copying.copy(slot) for key, slot in value.items()}
        elif name in _COPIED_ATTRIBUTES:
            value = copying.copy(value)
        elif name in _PLACEHOLDERS and not any(value is e for e in reversed(source.events)):
            value = _PLACEHOLDERS[name]()
        state[name] = value
    return clone


def _replayable(tracker: DialogueStateTracker) -> bool:
    return type(tracker) is DialogueStateTracker and tracker._max_event_history is None


def _current_shadow(tracker: DialogueStateTracker) -> Optional[_Shadow]:
    """The tracker's shadow brought up to date, or None where Rasa's own copy must run."""
    events = tracker.events
    shadow = vars(tracker).get(SHADOW_ATTRIBUTE)
    if shadow is None or not _covers(events, shadow.count, shadow.first, shadow.last):
        shadow = _Shadow(tracker.init_copy())
    new = _appended(events, shadow.count)
    if any(isinstance(event, _NOT_REPLAYABLE_TWICE) for event in new):
        vars(tracker).pop(SHADOW_ATTRIBUTE, None)
        return None
    try:
        for event in new:
            shadow.tracker.update(event)
    except Exception:
        vars(tracker).pop(SHADOW_ATTRIBUTE, None)  # half replayed: never continue it
        raise
    if new:
        shadow.count, shadow.last = len(events), new[-1]
        shadow.first = events[0]
    vars(tracker)[SHADOW_ATTRIBUTE] = shadow
    return shadow


def replayed_tracker_copy(original: Callable[[DialogueStateTracker], DialogueStateTracker]
                          ) -> Callable[[DialogueStateTracker], DialogueStateTracker]:
    @functools.wraps(original)
    def copy(self: DialogueStateTracker) -> DialogueStateTracker:
        """Creates a duplicate of this tracker (Rasa: replays every event onto a new one)."""
        if not _replayable(self):
            return original(self)
        shadow = _current_shadow(self)
        if shadow is None:
            return original(self)
        duplicate = _clone(shadow.tracker)
        vars(duplicate)[SHADOW_ATTRIBUTE] = _Shadow(
            _clone(shadow.tracker), shadow.count, shadow.first, shadow.last
        )
        applied = vars(self).get(APPLIED_ATTRIBUTE)
        if applied is not None:  # never changed in place: valid for the same events
            vars(duplicate)[APPLIED_ATTRIBUTE] = applied
        return duplicate

    return copy


# -- replayed_form_tracker ------------------------------------------------------------------

# What setting and resetting a slot changes; everything else of a slot is its definition.
_SLOT_VALUE_ATTRIBUTES = frozenset({"_value", "_has_been_set"})


def _definition(slot: Any) -> Dict[Text, Any]:
    return {key: value for key, value in vars(slot).items() if key not in _SLOT_VALUE_ATTRIBUTES}


def _defined_as_in_domain(slots: Dict[Text, Any], domain_slots: Sequence[Any]) -> bool:
    """Would a new tracker with the domain's slots start with the same slots as this one?"""
    if len(slots) != len(domain_slots):
        return False
    for slot in domain_slots:
        own = slots.get(slot.name)
        if type(own) is not type(slot) or _definition(own) != _definition(slot):
            return False
    return True


def replayed_form_tracker(original: Callable[..., DialogueStateTracker]
                          ) -> Callable[..., DialogueStateTracker]:
    @functools.wraps(original)
    def _temporary_tracker(self: Any, current_tracker: DialogueStateTracker,
                           additional_events: List[Event], domain: Any) -> DialogueStateTracker:
        if (not _replayable(current_tracker) or current_tracker.is_rule_tracker
                or not current_tracker.sender_id
                or current_tracker.idx_after_latest_restart() != 0
                or not _defined_as_in_domain(current_tracker.slots, domain.slots)):
            return original(self, current_tracker, additional_events, domain)
        shadow = _current_shadow(current_tracker)
        if shadow is None:
            return original(self, current_tracker, additional_events, domain)
        temporary = _clone(shadow.tracker)
        # As Rasa 3.6.21: the requested slot of this form, the form's execution, its new events.
        for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                      ActionExecuted(self.name()), *additional_events]:
            temporary.update(event)
        return temporary

    return _temporary_tracker


# -- incremental_applied_events --------------------------------------------------------------


@dataclass(frozen=True)
class _Applied:
    """Rasa's `applied_events()` of the first `count` events. Never changed in place."""

    count: int
    first: Optional[Event]
    last: Optional[Event]
    loop_names: FrozenSet[Text]
    applied: Sequence[Event]


def _loop_names(events: Sequence[Event]) -> FrozenSet[Text]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _continued(tracker: DialogueStateTracker, kept: _Applied, new: List[Event]) -> List[Event]:
    """Rasa 3.6.21's `applied_events` loop, continued over `new` from `kept`."""
    applied = list(kept.applied)
    for event in new:
        if isinstance(event, (Restarted, SessionStarted)):
            applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (isinstance(event, ActionExecuted) and event.action_name in kept.loop_names
              and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    return applied


def incremental_applied_events(original: Callable[[DialogueStateTracker], List[Event]]
                               ) -> Callable[[DialogueStateTracker], List[Event]]:
    @functools.wraps(original)
    def applied_events(self: DialogueStateTracker) -> List[Event]:
        """Returns all actions that should be applied - w/o reverted events."""
        events = self.events
        kept = vars(self).get(APPLIED_ATTRIBUTE)
        if kept is not None and _covers(events, kept.count, kept.first, kept.last):
            new = _appended(events, kept.count)
            if not new:
                return list(kept.applied)
            if _loop_names(new) <= kept.loop_names:
                applied = _continued(self, kept, new)
                vars(self)[APPLIED_ATTRIBUTE] = _Applied(
                    len(events), events[0], new[-1], kept.loop_names, applied
                )
                return list(applied)
        applied = original(self)
        vars(self)[APPLIED_ATTRIBUTE] = _Applied(
            len(events), events[0] if events else None, events[-1] if events else None,
            _loop_names(events), list(applied),
        )
        return applied

    return applied_events


# -- deferred_state_formatting ---------------------------------------------------------------


class FormattedStates:
    """Rasa's formatted states text, built when it is first turned into text."""

    __slots__ = ("_format", "_states", "_text")

    def __init__(self, format_states: Callable[[List[Dict]], Text], states: List[Dict]) -> None:
        self._format = format_states
        self._states = states
        self._text: Optional[Text] = None

    def __str__(self) -> Text:
        if self._text is None:
            self._text = self._format(self._states)
            self._states = []
        return self._text

    # Log renderers show non-text values by repr(): the original text, as for a str.
    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: Any) -> bool:
        return str(self) == (str(other) if isinstance(other, FormattedStates) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __deepcopy__(self, memo: Dict[int, Any]) -> "FormattedStates":
        return self  # RulePolicy deep-copies it for the log line: it is rendered right away

    def __structlog__(self) -> Text:  # structlog's JSON renderer asks for this first
        return str(self)


def deferred_state_formatting(original: Callable[[List[Dict]], Text]) -> Any:
    @functools.wraps(original)
    def format_tracker_states(states: List[Dict]) -> FormattedStates:
        """Format tracker states to human readable format on debug log."""
        return FormattedStates(original, states)

    return staticmethod(format_tracker_states)
