"""The incremental dialogue states (bot/tracker_states.py) are exactly Rasa's, event by event.

If they differed, the policies would predict other actions than Rasa would: the bot would answer
differently. Each tracker grows one event at a time and after every event the patched
`past_states` (which reuses what it folded before) is compared with Rasa's own
`Domain.states_for_tracker_history` over the whole history, for both option sets the policies
use (RulePolicy: all turns; MemoizationPolicy: rule-only turns hidden, with rule-only data).
"""

import glob

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

from bot.tracker_states import incremental_past_states

DOMAIN = Domain.load("bot/domain")
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


def _story_trackers():
    steps = []
    for path in ["data/stories.yml", *sorted(glob.glob("data/rules*.yml")),
                 *sorted(glob.glob("tests/stories/*.yml"))]:
        steps += YAMLStoryReader(DOMAIN).read_from_file(path)
    return TrainingDataGenerator(StoryGraph(steps), DOMAIN, augmentation_factor=0).generate()


def test_every_story_and_rule_gives_rasas_states_after_every_event():
    trackers = _story_trackers()
    assert len(trackers) > 50
    assert sum(_grown_and_compared(list(t.events), t.sender_id) for t in trackers) > 1000


def _listen():
    return ActionExecuted("action_listen")


def _user(intent, text="..."):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


FORM_HAPPY_PATH = [  # Rasa rewinds every repeated form execution to the previous one
    _listen(), _user("cancel"), ActionExecuted("cancellation_form"),
    ActiveLoop("cancellation_form"), SlotSet("requested_slot", "full_name"), _listen(),
    _user("inform"), ActionExecuted("cancellation_form"), SlotSet("full_name", "Max"),
    SlotSet("requested_slot", "street"), _listen(), _user("inform"),
    ActionExecuted("cancellation_form"), SlotSet("street", "Musterstraße 5"),
]
SIDE_QUESTIONS = [  # the growth benchmark's conversation: a question, then the form again
    _listen(), _user("ask_why"), ActionExecutionRejected("cancellation_form"),
    ActionExecuted("action_explain"), ActionExecuted("cancellation_form"),
    SlotSet("requested_slot", "street"),
] * 5


@pytest.mark.parametrize("events", [
    FORM_HAPPY_PATH,
    FORM_HAPPY_PATH + SIDE_QUESTIONS + [_listen(), _user("inform"),
                                         ActionExecuted("cancellation_form")],
    FORM_HAPPY_PATH + [_listen(), _user("deny"), UserUtteranceReverted(), _listen()],
    FORM_HAPPY_PATH + [ActionExecuted("action_explain"), ActionReverted(), _listen()],
    FORM_HAPPY_PATH + [ActiveLoop(None), SlotSet("requested_slot", None), _listen(),
                       _user("ask_deadline"), ActionExecuted("deadline_form"),
                       ActiveLoop("deadline_form"), _listen()],
    FORM_HAPPY_PATH + [Restarted(), _listen(), _user("greet")],
    FORM_HAPPY_PATH + [ActionExecuted("action_session_start"), SessionStarted(), _listen(),
                       _user("greet"), ActionExecuted("utter_help")],
], ids=["form happy path", "side questions", "reverted utterance", "reverted action",
        "another form", "restart", "new session"])
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
    copy.update(_listen())
    copy.update(_user("deny"))
    assert past_states(copy, DOMAIN) == _rasa(copy)
    assert past_states(tracker, DOMAIN) == _rasa(tracker)
