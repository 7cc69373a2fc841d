"""Trackers for tests that compare our replacements of Rasa internals with Rasa's own methods:
every story and rule as a tracker, and short event sequences that rewind earlier events."""

import glob

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
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

DOMAIN = Domain.load("bot/domain")


def story_trackers():
    """Every story, rule and test story of the project as a tracker (no augmentation)."""
    steps = []
    for path in ["data/stories.yml", *sorted(glob.glob("data/rules*.yml")),
                 *sorted(glob.glob("tests/stories/*.yml"))]:
        steps += YAMLStoryReader(DOMAIN).read_from_file(path)
    return TrainingDataGenerator(StoryGraph(steps), DOMAIN, augmentation_factor=0).generate()


def listen():
    return ActionExecuted("action_listen")


def user(intent, text="..."):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


FORM_HAPPY_PATH = [  # Rasa rewinds every repeated form execution to the previous one
    listen(), user("cancel"), ActionExecuted("cancellation_form"),
    ActiveLoop("cancellation_form"), SlotSet("requested_slot", "full_name"), listen(),
    user("inform"), ActionExecuted("cancellation_form"), SlotSet("full_name", "Max"),
    SlotSet("requested_slot", "street"), listen(), user("inform"),
    ActionExecuted("cancellation_form"), SlotSet("street", "Musterstraße 5"),
]
SIDE_QUESTIONS = [  # the growth benchmark's conversation: a question, then the form again
    listen(), user("ask_why"), ActionExecutionRejected("cancellation_form"),
    ActionExecuted("action_explain"), ActionExecuted("cancellation_form"),
    SlotSet("requested_slot", "street"),
] * 5

# Event sequences after which Rasa replays or rewinds earlier events, by name.
REWINDING = {
    "form happy path": FORM_HAPPY_PATH,
    "side questions": FORM_HAPPY_PATH + SIDE_QUESTIONS + [listen(), user("inform"),
                                                           ActionExecuted("cancellation_form")],
    "reverted utterance": FORM_HAPPY_PATH + [listen(), user("deny"), UserUtteranceReverted(),
                                             listen()],
    "reverted action": FORM_HAPPY_PATH + [ActionExecuted("action_explain"), ActionReverted(),
                                          listen()],
    "another form": FORM_HAPPY_PATH + [ActiveLoop(None), SlotSet("requested_slot", None),
                                       listen(), user("ask_deadline"),
                                       ActionExecuted("deadline_form"),
                                       ActiveLoop("deadline_form"), listen()],
    "restart": FORM_HAPPY_PATH + [Restarted(), listen(), user("greet")],
    "new session": FORM_HAPPY_PATH + [ActionExecuted("action_session_start"), SessionStarted(),
                                      listen(), user("greet"), ActionExecuted("utter_help")],
}
