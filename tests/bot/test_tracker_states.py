"""The incremental dialogue states (bot/tracker_states.py) are exactly Rasa's, event by event.

If they differed, the policies would predict other actions than Rasa would: the bot would answer
differently. Each tracker grows one event at a time and after every event the patched
`past_states` (which reuses what it folded before) is compared with Rasa's own
`Domain.states_for_tracker_history` over the whole history, for both option sets the policies
use (RulePolicy: all turns; MemoizationPolicy: rule-only turns hidden, with rule-only data).
"""

import pytest
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_states import incremental_past_states
from tests.bot.story_trackers import DOMAIN, FORM_HAPPY_PATH, REWINDING, listen, story_trackers, user

RULE_ONLY = {"slots": ["interview_paused", "pending_confirmation"], "loops": ["hotline_form"]}
OPTIONS = [
    dict(),
    dict(ignore_rule_only_turns=True, rule_only_data=RULE_ONLY),
    dict(omit_unset_slots=True),
]
past_states = incremental_past_states(DialogueStateTracker.past_states)


def _rasa(tracker, **options):
    return DOMAIN.states_for_tracker_history(tracker, **options)


def _grown_and_compared(events, sender="growing"):
    """Feed the events one by one; after each, every option set must give Rasa's states."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    compared = 0
    for event in events:
        tracker.update(event)
        for options in OPTIONS:
            assert past_states(tracker, DOMAIN, **options) == _rasa(tracker, **options), (
                f"after {event!r} with {options}"
            )
            compared += 1
    return compared


def test_every_story_and_rule_gives_rasas_states_after_every_event():
    trackers = story_trackers()
    assert len(trackers) > 50
    assert sum(_grown_and_compared(list(t.events), t.sender_id) for t in trackers) > 1000


@pytest.mark.parametrize("events", list(REWINDING.values()), ids=list(REWINDING))
def test_rewinding_events_give_rasas_states(events):
    assert _grown_and_compared(events) == len(events) * len(OPTIONS)


def test_states_handed_out_can_be_changed_without_changing_the_next_answer():
    tracker = DialogueStateTracker("mutating", DOMAIN.slots)
    for event in FORM_HAPPY_PATH:
        tracker.update(event)
        for state in past_states(tracker, DOMAIN):
            for sub_state in state.values():
                sub_state.clear()  # what a policy may do to its copy
        assert past_states(tracker, DOMAIN) == _rasa(tracker)


def test_a_copied_tracker_gets_its_own_states():
    tracker = DialogueStateTracker("original", DOMAIN.slots)
    for event in FORM_HAPPY_PATH:
        tracker.update(event)
    past_states(tracker, DOMAIN)
    copy = tracker.copy()
    copy.update(listen())
    copy.update(user("deny"))
    assert past_states(copy, DOMAIN) == _rasa(copy)
    assert past_states(tracker, DOMAIN) == _rasa(tracker)
