"""The dialogue states a turn's predictions read, computed once per event instead of per call.

Rasa's policies featurise a tracker by replaying every event of the session from the start
(`DialogueStateTracker.past_states` -> `Domain.states_for_tracker_history`), and they do so
several times per turn (each policy, each prediction): a turn's cost grew with the length of the
conversation (docs/BENCHMARK.md, "Growth"). The replacement keeps, on the tracker object, the
states computed so far and the replayed tracker they came from, and folds in only the events
appended since. Whenever the new events would change the replay of earlier ones (a restart, a
new session, a reverted action or utterance, a form's happy-path execution that Rasa rewinds to
its previous execution, a form not seen before) it replays everything, exactly as Rasa does.
The fold is Rasa 3.6.21's loop, step by step (with `ignore_rule_only_turns`, as
MemoizationPolicy asks, and without, as RulePolicy asks), one cache per combination of options.

Installed by bot/rasa_patches.py (`incremental_past_states`). The conversation store keeps the
tracker object between turns (bot/stores/tracker.py), so the cache also survives to the next
turn of the same process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Text

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)

State = Dict[Text, Any]
# The attribute on the tracker object that holds its `_Replay`.
CACHE_ATTRIBUTE = "_kuendigungshilfe_replay"
_REWINDING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)


@dataclass
class _Replay:
    """Rasa's `Domain.states_for_tracker_history` as a fold that can be continued."""

    domain_id: int
    rule_only_data: Optional[Dict[Text, Any]]
    events: int  # how many of tracker.events are folded in
    last: Optional[Event]  # tracker.events[events - 1], by identity
    loop_names: Set[Text]
    applied: List[Event]
    prior: Any  # the replayed tracker after `applied`
    states: List[State] = field(default_factory=list)
    # With ignore_rule_only_turns: the last ML action's sub-state, and whether the turn is hidden.
    last_ml_action: Optional[Dict[Text, Any]] = None
    turn_was_hidden: bool = False


@dataclass(frozen=True)
class _Options:
    omit_unset_slots: bool
    ignore_rule_only_turns: bool


def _step(replay: _Replay, domain: Any, options: _Options, hide_rule_turn: bool,
          commit: bool) -> Optional[State]:
    """One prior tracker (`replay.prior`) of Rasa's loop; with `commit`, the fold moves on."""
    tracker, last_ml_action, hidden = replay.prior, replay.last_ml_action, replay.turn_was_hidden
    if options.ignore_rule_only_turns:
        if not hidden:
            last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and not tracker.latest_action_name == tracker.active_loop_name:
            hidden = hide_rule_turn
    state = None
    if not (options.ignore_rule_only_turns and hidden):
        state = domain.get_active_state(tracker, omit_unset_slots=options.omit_unset_slots)
        if options.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, replay.rule_only_data)
            if replay.states:
                domain._substitute_rule_only_user_input(state, replay.states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action
        state = domain._clean_state(state)
    if commit:
        replay.last_ml_action, replay.turn_was_hidden = last_ml_action, hidden
        if state is not None:
            replay.states.append(state)
    return state


def _copy(state: State) -> State:
    """Callers delete keys of the sub-states they get (the last user input): never hand out ours."""
    return {key: dict(sub) if isinstance(sub, dict) else sub for key, sub in state.items()}


def _fold(replay: _Replay, events: List[Event], domain: Any, options: _Options) -> None:
    for event in events:
        if isinstance(event, ActionExecuted):
            _step(replay, domain, options, event.hide_rule_turn, commit=True)
        replay.prior.update(event)


def _full(tracker: Any, domain: Any, options: _Options,
          rule_only_data: Optional[Dict[Text, Any]]) -> _Replay:
    events = list(tracker.events)
    replay = _Replay(
        domain_id=id(domain),
        rule_only_data=rule_only_data,
        events=len(events),
        last=events[-1] if events else None,
        loop_names={e.name for e in events if isinstance(e, ActiveLoop) and e.name},
        applied=tracker.applied_events(),
        prior=tracker.init_copy(),
    )
    _fold(replay, replay.applied, domain, options)
    return replay


def _extend(tracker: Any, replay: _Replay, domain: Any, options: _Options,
            rule_only_data: Optional[Dict[Text, Any]]) -> bool:
    """Fold the events appended since `replay` was made into it; False if they change the replay
    of earlier events (then nothing was changed and the caller replays everything)."""
    events = tracker.events
    if (replay.domain_id != id(domain) or replay.rule_only_data != rule_only_data
            or len(events) < replay.events
            or (replay.events and events[replay.events - 1] is not replay.last)):
        return False
    new = [events[index] for index in range(replay.events, len(events))]
    if any(isinstance(e, _REWINDING) for e in new):
        return False
    if any(isinstance(e, ActiveLoop) and e.name and e.name not in replay.loop_names for e in new):
        return False
    applied = list(replay.applied)
    for event in new:
        if (isinstance(event, ActionExecuted) and event.action_name in replay.loop_names
                and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
            return False  # Rasa rewinds to the form's previous execution here
        applied.append(event)
    _fold(replay, new, domain, options)
    replay.applied = applied
    replay.events = len(events)
    replay.last = new[-1] if new else replay.last
    return True


def incremental_past_states(original: Callable[..., List[State]]) -> Callable[..., List[State]]:
    """The replacement of `DialogueStateTracker.past_states` (it never calls the original: the
    fold above is the original's loop)."""

    def past_states(
        self: Any,
        domain: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: Optional[Dict[Text, Any]] = None,
    ) -> List[State]:
        options = _Options(bool(omit_unset_slots), bool(ignore_rule_only_turns))
        replays = self.__dict__.setdefault(CACHE_ATTRIBUTE, {})
        replay = replays.get(options)
        if replay is None or not _extend(self, replay, domain, options, rule_only_data):
            replay = _full(self, domain, options, rule_only_data)
            replays[options] = replay
        states = [_copy(state) for state in replay.states]
        final = _step(replay, domain, options, hide_rule_turn=False, commit=False)
        if final is not None:
            states.append(_copy(final))  # its sub-states are the replayed tracker's own
        return states

    return past_states
