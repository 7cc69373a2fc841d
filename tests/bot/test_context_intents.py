"""Context decides what a message means where its words cannot (the context_intents patch)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from tests.support.message_handling import FakeProcessor, converse, handle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


@pytest.mark.parametrize("form", ["cancellation_form", "special_form", "deadline_form", "hotline_form"])
def test_not_cancelling_after_all_stops_any_form_whatever_the_classifier_says(domain, form) -> None:
    tracker = DialogueStateTracker("user", domain.slots)
    tracker.update(ActiveLoop(form))
    asyncio.run(handle(FakeProcessor(domain, nlu_intent="cancel"), UserMessage("doch nicht kündigen"), tracker))
    assert tracker.latest_message.intent["name"] == "stop"


def test_outside_a_form_not_cancelling_keeps_its_intent(domain) -> None:
    _, intents = converse(domain, ["ich will doch nicht kündigen"], nlu_intent="deny")
    assert intents == ["deny"]


def interview_tracker(domain: Domain, asked: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker("user", domain.slots)
    tracker.update(ActiveLoop("cancellation_form"))
    tracker.update(SlotSet("requested_slot", asked))
    return tracker


@pytest.mark.parametrize(
    "text", ["zum naechstmoeglichen zeitpunkt", "so schnell wie moeglich", "zum 31.03.2027", "zum Ende der Mindestlaufzeit"]
)
def test_an_end_date_answer_is_an_answer_whatever_the_classifier_says(domain, text) -> None:
    # Hand-test: without umlauts the classifier read "how do I send it"; the form was interrupted
    # with sending advice and the end date asked again.
    tracker = interview_tracker(domain, "end_date")
    asyncio.run(handle(FakeProcessor(domain, nlu_intent="ask_how_to_send"), UserMessage(text), tracker))
    assert tracker.latest_message.intent["name"] == "inform"


def test_other_questions_and_real_questions_keep_the_classifiers_intent(domain) -> None:
    tracker = interview_tracker(domain, "full_name")
    asyncio.run(handle(FakeProcessor(domain, nlu_intent="ask_how_to_send"), UserMessage("so schnell wie moeglich"), tracker))
    assert tracker.latest_message.intent["name"] == "ask_how_to_send"
    tracker = interview_tracker(domain, "end_date")
    asyncio.run(handle(FakeProcessor(domain, nlu_intent="ask_explanation"), UserMessage("was heißt nächstmöglich?"), tracker))
    assert tracker.latest_message.intent["name"] == "ask_explanation"


def test_a_lone_question_mark_asks_what_the_question_means(domain) -> None:
    # Hand-test: "?" at the customer-number question was a too-short customer number.
    tracker = interview_tracker(domain, "customer_number")
    asyncio.run(handle(FakeProcessor(domain), UserMessage("??"), tracker))
    assert tracker.latest_message.intent["name"] == "ask_why"


def test_a_typed_button_title_is_the_button(domain) -> None:
    # Hand-test: typing "Ja, alles löschen" at the delete confirmation asked the same question again.
    tracker = DialogueStateTracker("user", domain.slots)
    tracker.update(BotUttered("Soll ich wirklich alles löschen?", data={"buttons": [
        {"title": "Ja, alles löschen", "payload": "/affirm"}, {"title": "Nein, behalten", "payload": "/deny"}]}))
    asyncio.run(handle(FakeProcessor(domain, nlu_intent="delete_data"), UserMessage("ja, alles loeschen!"), tracker))
    assert tracker.latest_message.text == "/affirm"
    # Only the buttons of the bot's last turn count.
    asyncio.run(handle(FakeProcessor(domain, nlu_intent="delete_data"), UserMessage("Ja, alles löschen"), tracker))
    assert tracker.latest_message.text == "Ja, alles löschen"


@pytest.mark.parametrize("asked", ["summary_confirmed", "street", "option_name"])
@pytest.mark.parametrize("intent", ["stop", "deny", "cancel"])
def test_a_change_between_option_and_contract_in_the_interview_is_an_answer_whatever_the_classifier_says(
    domain, asked, intent
) -> None:
    # The clean-clone run at the end of the session: after new training data the classifier read
    # "ach nein, doch den ganzen Vertrag" at the summary as `stop`, and the interview was halted
    # instead of switching to the whole contract. The interview's validator decides such a change.
    tracker = interview_tracker(domain, asked)
    tracker.update(SlotSet("subject_kind", "option"))
    asyncio.run(handle(FakeProcessor(domain, nlu_intent=intent), UserMessage("ach nein, doch den ganzen Vertrag"), tracker))
    assert tracker.latest_message.intent["name"] == "inform"


def test_the_patch_is_registered_on_the_method_that_parses_user_messages() -> None:
    assert "context_intents" in [patch.name for patch in rasa_patches.PATCHES]
    assert "context_intents" in rasa_patches.install()
    assert getattr(MessageProcessor.parse_message, rasa_patches.MARK) == "context_intents"


def test_a_parse_without_a_conversation_keeps_the_classifiers_reading(domain) -> None:
    # The HTTP parse endpoint, `rasa shell nlu` and `rasa test` pass no tracker: no context.
    message = UserMessage("English please")
    parse_data = asyncio.run(FakeProcessor(domain, nlu_intent="greet").parse_message(message))
    assert parse_data["intent"]["name"] == "greet" and message.text == "English please"


def test_a_context_intent_also_stands_in_the_languages_turn(domain) -> None:
    # Both patches in one turn: the request is `switch_language` and switches the language.
    languages, intents = converse(domain, ["Ich will kündigen", "English please"], nlu_intent="cancel")
    assert languages == ["de", "en"] and intents == ["cancel", "switch_language"]


def test_a_new_end_date_said_at_the_summary_is_an_answer():
    from cancellation.open_question import answers_open_question

    assert answers_open_question("ich möchte zum 31.01.2027 kündigen", "summary_confirmed")
    assert answers_open_question("zum 31.01.2027", "summary_confirmed")
    assert not answers_open_question("warum zum 31.01.2027?", "summary_confirmed")
    assert not answers_open_question("Name ändern", "summary_confirmed")
