"""The conversation's language follows the user's messages (the conversation_language patch)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.conversation_language import SWITCH_INTENT, language_following_handler

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


class FakeProcessor:
    """What the patched method uses of a MessageProcessor: its domain and NLU."""

    def __init__(self, domain: Domain, nlu_intent: str = "inform") -> None:
        self.domain = domain
        self.nlu_intent = nlu_intent

    async def parse_message(self, message: UserMessage, tracker: Any) -> Dict[str, Any]:
        return {"text": message.text, "intent": {"name": self.nlu_intent, "confidence": 0.6}, "entities": []}


async def _stock(self: FakeProcessor, message: UserMessage, tracker: DialogueStateTracker) -> None:
    parse_data = message.parse_data or await self.parse_message(message, tracker)
    tracker.update(UserUttered(message.text, parse_data["intent"], [], parse_data), self.domain)


handle = language_following_handler(_stock)


def converse(domain: Domain, messages: List[str], metadata: Optional[dict] = None, nlu_intent: str = "inform"):
    """The language slot after each message, and the intents the tracker logged."""
    tracker = DialogueStateTracker("user", domain.slots)
    processor = FakeProcessor(domain, nlu_intent)
    languages, intents = [], []
    for text in messages:
        asyncio.run(handle(processor, UserMessage(text, metadata=metadata), tracker))
        languages.append(tracker.get_slot("language"))
        intents.append(tracker.latest_message.intent["name"])
    return languages, intents


def test_an_english_message_switches_and_short_answers_do_not(domain) -> None:
    languages, _ = converse(
        domain,
        ["/greet", "I want to cancel my mobile contract", "Vodafone", "ok", "Erika Mustermann", "ja"],
    )
    assert languages == [None, "en", "en", "en", "en", "en"]


def test_explicit_requests_switch_and_become_the_switch_intent(domain) -> None:
    languages, intents = converse(domain, ["Ich will kündigen", "English please", "o2", "auf Deutsch bitte"])
    assert languages == ["de", "en", "en", "de"]
    assert intents == ["inform", SWITCH_INTENT, "inform", SWITCH_INTENT]


def test_the_channel_hint_is_only_a_first_hint(domain) -> None:
    languages, _ = converse(domain, ["/start", "o2", "Ich möchte meinen Vertrag kündigen"], {"language_hint": "en"})
    assert languages == ["en", "en", "de"]
    languages, _ = converse(domain, ["/greet", "hello, I would like to cancel my gym"], {"language": "de-DE"})
    assert languages == ["de", "en"]


def test_a_tapped_button_payload_is_no_language_sign(domain) -> None:
    # Button payloads are German sentences in both languages.
    languages, _ = converse(domain, ["I would like to cancel something", "Ich möchte einen Vertrag kündigen"])
    assert languages == ["en", "en"]


def test_the_patch_is_registered_on_the_method_that_logs_user_messages() -> None:
    names = [patch.name for patch in rasa_patches.PATCHES]
    assert "conversation_language" in names
    assert "conversation_language" in rasa_patches.install()
    assert getattr(MessageProcessor._handle_message_with_tracker, rasa_patches.MARK) == "conversation_language"


class ListeningChannel:
    """An output channel that follows the conversation's language (web chat, Telegram)."""

    def __init__(self) -> None:
        self.heard: List[tuple] = []

    async def follow_language(self, recipient_id: str, language: Any, changed: bool) -> None:
        self.heard.append((recipient_id, language.value, changed))


def test_the_channel_hears_the_conversation_language_every_turn_before_any_reply(domain) -> None:
    tracker = DialogueStateTracker("web:abc", domain.slots)
    processor = FakeProcessor(domain)
    channel = ListeningChannel()
    for text in ["/greet", "English please", "Vodafone", "auf Deutsch bitte"]:
        message = UserMessage(text, output_channel=channel, sender_id="web:abc", metadata={"language": "de"})
        asyncio.run(handle(processor, message, tracker))
    assert channel.heard == [
        ("web:abc", "de", True),
        ("web:abc", "en", True),
        ("web:abc", "en", False),
        ("web:abc", "de", True),
    ]


def test_a_channel_without_a_listener_or_a_failing_one_loses_no_message(domain) -> None:
    class Failing:
        async def follow_language(self, *args: Any) -> None:
            raise RuntimeError("socket gone")

    tracker = DialogueStateTracker("web:abc", domain.slots)
    asyncio.run(handle(FakeProcessor(domain), UserMessage("English please", output_channel=Failing()), tracker))
    assert tracker.get_slot("language") == "en" and tracker.latest_message.text == "English please"


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
