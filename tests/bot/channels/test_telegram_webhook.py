"""The webhook channel in a Sanic server, with the real ledger on SQLite and a fake Bot API."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.channels.telegram.channel import MAX_WEBHOOK_BODY_BYTES, TelegramInput
from bot.channels.telegram.config import TelegramConfig
from bot.channels.telegram.ledger import Outbox, TelegramLedger
from tests.bot.channels.telegram_support import (  # noqa: F401 (api and ledger are fixtures)
    SECRET,
    Collector,
    SqliteLedger,
    api,
    config_for,
    ledger,
    post,
    post_body,
    run,
    serving,
)
from cancellation.vocabulary import Language
from tests.support.fake_telegram import BOT_ID, FakeBotApi, callback_update, text_update

CHAT = 4711
BOT = str(BOT_ID)


def channel_for(api: FakeBotApi, ledger: TelegramLedger, **overrides: Any) -> TelegramInput:
    return TelegramInput(config_for(api, **overrides), lambda: ledger, registration_delays=(0,))


def test_startup_registers_the_webhook_with_the_secret_token(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    async def scenario() -> None:
        async with serving(channel_for(api, ledger), Collector()):
            await api.wait_for_async(lambda a: bool(a.calls_to("setWebhook")))

    run(scenario())
    [call] = api.calls_to("setWebhook")
    assert call.params["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert call.params["secret_token"] == SECRET
    assert set(call.params["allowed_updates"]) == {"message", "callback_query"}


def test_webhook_registration_is_retried_when_telegram_fails(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    api.fail_next("setWebhook", 502, "Bad Gateway")
    channel = TelegramInput(config_for(api), lambda: ledger, registration_delays=(0, 0.05))

    async def scenario() -> None:
        async with serving(channel, Collector()):
            await api.wait_for_async(lambda a: len(a.calls_to("setWebhook")) == 2)

    run(scenario())


def test_updates_without_the_right_secret_are_rejected_and_not_processed(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            statuses.append(await post(url, text_update(CHAT, "hallo", 1), secret=None))
            statuses.append(await post(url, text_update(CHAT, "hallo", 2), secret="wrong"))
            statuses.append(await post(url, text_update(CHAT, "hallo", 3), secret=SECRET + "x"))
            statuses.append(await post(url, text_update(CHAT, "hallo", 4), secret=""))
            await asyncio.sleep(0.2)

    run(scenario())
    assert statuses == [403, 403, 403, 403]
    assert collector.messages == []
    assert ledger.statuses() == {}
    assert api.sent_texts() == []


def test_deeply_nested_json_with_the_secret_is_a_400_not_a_server_error(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            statuses.append(await post_body(url, b"[" * 20_000 + b"]" * 20_000))

    run(scenario())
    assert statuses == [400]
    assert collector.messages == []
    assert ledger.statuses() == {}


def test_a_message_reaches_rasa_as_tg_conversation_and_is_answered_before_the_200(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag! Was möchten Sie kündigen?"}]})
    update = text_update(CHAT, "hallo", 77)
    seen_at_200: list[list[str]] = []

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            assert await post(url, update) == 200
            seen_at_200.append(api.sent_texts(CHAT))

    run(scenario())
    # Telegram forgets the update on 200: by then it is answered and finished.
    assert seen_at_200 == [["Guten Tag! Was möchten Sie kündigen?"]]
    assert ledger.statuses() == {77: "done"}
    [message] = collector.messages
    assert message.text == "hallo"
    assert message.sender_id == f"tg:{CHAT}"
    assert message.input_channel == "telegram"
    assert message.metadata == {
        "telegram": {"user_id": CHAT, "update_id": 77},
        "language_hint": "de",
    }
    # "typing …" while Rasa works.
    [typing] = api.calls_to("sendChatAction")
    assert typing.params == {"chat_id": str(CHAT), "action": "typing"}


def test_the_app_language_reaches_rasa_as_a_hint(api: FakeBotApi, ledger: SqliteLedger) -> None:
    collector = Collector()

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            await post(url, text_update(CHAT, "I want to cancel", 78, language_code="en-GB"))

    run(scenario())
    assert collector.messages[0].metadata["language_hint"] == "en"


def test_a_retried_update_id_is_processed_once(api: FakeBotApi, ledger: SqliteLedger) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag!"}]})
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            for _ in range(3):
                statuses.append(await post(url, text_update(CHAT, "hallo", 900)))

    run(scenario())
    assert statuses == [200, 200, 200]
    assert collector.texts == ["hallo"]
    assert api.sent_texts(CHAT) == ["Guten Tag!"]


def test_a_retry_while_the_first_delivery_is_still_working_waits_for_it(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag!"}]}, delay=0.8)
    update = text_update(CHAT, "hallo", 901)

    async def scenario() -> list[int]:
        async with serving(channel_for(api, ledger), collector) as url:
            return list(await asyncio.gather(post(url, update), post(url, update)))

    assert run(scenario()) == [200, 200]
    assert collector.texts == ["hallo"]
    assert api.sent_texts(CHAT) == ["Guten Tag!"]


def test_start_command_is_sent_to_rasa_as_the_start_intent(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            await post(url, text_update(CHAT, "/start", 10))
            await post(url, text_update(CHAT, f"/start@{api.username} ref42", 11))
            await post(url, text_update(CHAT, '/inform{"provider": "x"}', 12))

    run(scenario())
    # Typed intent syntax must not set slots: only /start and /restart pass as commands.
    assert collector.texts == ["/start", "/start", 'inform{"provider": "x"}']


def test_button_press_is_answered_and_its_payload_goes_to_rasa(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()

    async def scenario() -> None:
        channel = channel_for(api, ledger)
        async with serving(channel, collector) as url:
            await post(url, callback_update(CHAT, "/affirm", 20, query_id="q-20"))
            await channel.wait_idle()

    run(scenario())
    assert collector.texts == ["/affirm"]
    assert collector.messages[0].sender_id == f"tg:{CHAT}"
    [answer] = api.calls_to("answerCallbackQuery")
    assert answer.params["callback_query_id"] == "q-20"


def test_a_button_payload_longer_than_64_bytes_survives_the_round_trip(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    long_payload = '/inform{"provider": "Telefónica Germany GmbH & Co. OHG", "contract": "Mobilfunk"}'
    assert len(long_payload.encode()) > 64
    collector = Collector(
        replies={
            "hallo": [
                {
                    "text": "Ist das Ihr Anbieter?",
                    "buttons": [
                        {"title": "Ja, Telefónica", "payload": long_payload},
                        {"title": "Nein", "payload": "/deny"},
                    ],
                }
            ]
        }
    )

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            await post(url, text_update(CHAT, "hallo", 30))
            [send] = api.calls_to("sendMessage")
            [[yes], [no]] = send.params["reply_markup"]["inline_keyboard"]
            assert (yes["text"], no) == ("Ja, Telefónica", {"text": "Nein", "callback_data": "/deny"})
            await post(url, callback_update(CHAT, yes["callback_data"], 31))

    run(scenario())
    assert collector.texts == ["hallo", long_payload]


def test_unreadable_messages_get_a_hint_and_group_chats_are_ignored(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()
    photo = text_update(CHAT, "x", 40)
    del photo["message"]["text"]
    photo["message"]["photo"] = [{"file_id": "p1", "file_unique_id": "u", "width": 1, "height": 1}]
    group = text_update(CHAT, "hallo", 41)
    group["message"]["chat"] = {"id": -100123, "title": "Familie", "type": "group"}

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            assert await post(url, photo) == 200
            assert await post(url, group) == 200

    run(scenario())
    assert collector.messages == []
    assert api.sent_texts(CHAT) == [
        "Ich kann leider nur Textnachrichten lesen. Bitte schreiben Sie mir Ihre Antwort als Text."
    ]
    assert api.sent_texts(-100123) == []


def test_an_overlong_message_is_answered_with_please_shorter_and_not_parsed(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()
    essay = "Ich möchte kündigen, weil " + "sehr " * 1000

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            assert await post(url, text_update(CHAT, essay, 42)) == 200
            assert await post(url, text_update(CHAT + 1, essay, 43, language_code="en")) == 200

    run(scenario())
    assert collector.messages == []
    [german] = api.sent_texts(CHAT)
    assert "sehr lang" in german and "4000 Zeichen" in german and "kürzer" in german
    [english] = api.sent_texts(CHAT + 1)
    assert "very long" in english and "shorter" in english


def test_a_webhook_body_over_64_kib_is_refused_with_413_and_changes_nothing(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()

    def body_of(size: int, update_id: int) -> bytes:
        update = text_update(CHAT, "", update_id)
        empty = len(json.dumps(update).encode())
        update["message"]["text"] = "a" * (size - empty)
        body = json.dumps(update).encode()
        assert len(body) == size
        return body

    async def scenario() -> list[int]:
        async with serving(channel_for(api, ledger), collector) as url:
            return [
                await post_body(url, body_of(MAX_WEBHOOK_BODY_BYTES + 1, 50)),
                await post_body(url, body_of(4 * MAX_WEBHOOK_BODY_BYTES, 51)),
                await post_body(url, body_of(MAX_WEBHOOK_BODY_BYTES, 52)),
            ]

    statuses = run(scenario())
    assert statuses[0] == 413 and statuses[1] in (413, -1)
    assert statuses[2] == 200  # at the limit: accepted (and asked to be shorter)
    assert set(ledger.statuses()) == {52}
    assert collector.messages == []


def test_when_rasa_fails_the_user_hears_it_and_the_update_is_not_retried(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector(failing=("kaputt",))

    async def scenario() -> list[int]:
        async with serving(channel_for(api, ledger), collector) as url:
            return [await post(url, text_update(CHAT, "kaputt", 55)) for _ in range(2)]

    assert run(scenario()) == [200, 200]
    assert collector.texts == ["kaputt"]
    [apology] = api.sent_texts(CHAT)
    assert "nicht verarbeiten" in apology
    assert ledger.statuses() == {55: "done"}


def test_an_update_whose_process_died_is_processed_by_the_next_delivery(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag!"}]})
    ledger.claim(BOT, 60, "died-while-processing", lease_seconds=0.2)

    async def scenario() -> int:
        async with serving(channel_for(api, ledger), collector) as url:
            return await post(url, text_update(CHAT, "hallo", 60))

    assert run(scenario()) == 200  # waited for the dead claim to run out, then took over
    assert collector.texts == ["hallo"]
    assert api.sent_texts(CHAT) == ["Guten Tag!"]
    assert ledger.statuses() == {60: "done"}


def test_replies_of_a_process_that_died_while_sending_are_completed_not_recomputed(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector(replies={"hallo": [{"text": "anders"}]})
    claim = ledger.claim(BOT, 61, "died-while-sending", lease_seconds=0.2)
    outbox = Outbox(f"tg:{CHAT}", ({"text": "Erste"}, {"text": "Zweite"}, {"text": "Dritte"}))
    ledger.answer(claim, outbox, lease_seconds=0.2)
    ledger.mark_delivered(claim, 1)  # "Erste" reached the user

    async def scenario() -> int:
        async with serving(channel_for(api, ledger), collector) as url:
            return await post(url, text_update(CHAT, "hallo", 61))

    assert run(scenario()) == 200
    assert collector.messages == []  # Rasa's turn is not done twice
    assert api.sent_texts(CHAT) == ["Zweite", "Dritte"]
    assert ledger.statuses() == {61: "done"}


def test_an_update_that_keeps_killing_its_process_gets_an_apology(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()
    for attempt in range(3):
        ledger.claim(BOT, 62, f"crashed-{attempt}", lease_seconds=0.05)
        run(asyncio.sleep(0.1))

    async def scenario() -> int:
        async with serving(channel_for(api, ledger), collector) as url:
            return await post(url, text_update(CHAT, "hallo", 62))

    assert run(scenario()) == 200
    assert collector.messages == []
    [apology] = api.sent_texts(CHAT)
    assert "nicht verarbeiten" in apology


def test_bot_api_errors_do_not_break_the_webhook(api: FakeBotApi, ledger: SqliteLedger) -> None:
    collector = Collector(replies={"a": [{"text": "Antwort A"}], "b": [{"text": "Antwort B"}]})
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 600")
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), collector) as url:
            statuses.append(await post(url, text_update(CHAT, "a", 50)))
            statuses.append(await post(url, text_update(CHAT, "b", 51)))

    run(scenario())
    assert statuses == [200, 200]
    assert collector.texts == ["a", "b"]
    assert [call.params["text"] for call in api.calls_to("sendMessage")] == ["Antwort A", "Antwort B"]
    assert api.sent_texts(CHAT) == ["Antwort B"]


def test_when_the_database_is_down_telegram_is_asked_to_retry(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    class BrokenLedger(SqliteLedger):
        def claim(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("database down")

    broken = BrokenLedger(ledger._store, ledger._letters)
    collector = Collector()
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel_for(api, broken), collector) as url:
            statuses.append(await post(url, text_update(CHAT, "hallo", 60)))

    run(scenario())
    assert statuses == [503]
    assert collector.messages == []


def test_without_a_token_the_channel_is_off_and_registers_nothing(api: FakeBotApi) -> None:
    def no_ledger() -> TelegramLedger:
        raise AssertionError("a disabled channel must not touch the database")

    channel = TelegramInput(TelegramConfig.from_credentials({"access_token": ""}), no_ledger)
    collector = Collector()
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel, collector) as url:
            statuses.append(await post(url, text_update(CHAT, "hallo", 70)))

    run(scenario())
    assert statuses == [404]
    assert collector.messages == []
    assert api.calls == []
    assert channel.get_output_channel() is None


def test_a_flood_from_one_chat_is_answered_politely_and_not_passed_on(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    from bot.channels.ratelimits import MessageLimiter
    from cancellation.settings import RateLimits

    collector = Collector()
    channel = channel_for(api, ledger)

    async def scenario() -> None:
        async with serving(channel, collector) as url:
            assert channel._handler is not None
            channel._handler._limiter = MessageLimiter(RateLimits(messages_per_minute=2))
            for update_id in range(70, 74):
                assert await post(url, text_update(CHAT, f"m{update_id}", update_id)) == 200

    run(scenario())
    assert [m.text for m in collector.messages] == ["m70", "m71"]
    assert "warten Sie einen Moment" in api.sent_texts(CHAT)[-1]


class LanguageSwitchingRasa(Collector):
    """Rasa as bot/conversation_language.py makes it: the channel hears the conversation's
    language before the replies; "English please" switches it."""

    def __init__(self) -> None:
        super().__init__({"English please": [{"text": "", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]})
        self.language = Language.DE

    async def __call__(self, message: Any) -> None:
        changed = message.text == "English please"
        if changed:
            self.language = Language.EN
        await message.output_channel.follow_language(message.sender_id, self.language, changed)
        await super().__call__(message)


def test_the_channels_own_texts_follow_the_conversation_language_not_the_app_language(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    rasa = LanguageSwitchingRasa()

    async def scenario() -> None:
        async with serving(channel_for(api, ledger), rasa) as url:
            # A German app; the conversation switches to English.
            assert await post(url, text_update(CHAT, "English please", 90, language_code="de")) == 200
            # Answered before Rasa is asked: in the conversation's language, not the app's.
            assert await post(url, text_update(CHAT, "x" * 5000, 91, language_code="de")) == 200

    run(scenario())
    choose, too_long = api.sent_texts(CHAT)
    assert choose == "Please choose:"
    assert "very long" in too_long


class StoredConversations:
    """Rasa's tracker store as the channel reads it: each conversation's `language` slot and the
    app language its latest message carried."""

    def __init__(self, languages: dict[str, str | None], app_language: str = "de") -> None:
        self.languages = languages
        self.app_language = app_language

    async def retrieve(self, sender_id: str) -> Any:
        from rasa.shared.core.events import SlotSet, UserUttered
        from rasa.shared.core.slots import TextSlot
        from rasa.shared.core.trackers import DialogueStateTracker

        if sender_id not in self.languages:
            return None
        events = [UserUttered("hallo", metadata={"language_hint": self.app_language}), SlotSet("language", self.languages[sender_id])]
        return DialogueStateTracker.from_events(sender_id, events, slots=[TextSlot("language", mappings=[])])


class LateRasa(Collector):
    """Keeps the turn's output channel and answers through it after the turn ended (a reminder)."""

    def __init__(self) -> None:
        super().__init__()
        self.channels: list[Any] = []

    async def __call__(self, message: Any) -> None:
        self.channels.append(message.output_channel)
        await super().__call__(message)


BUTTONS = {"text": "", "buttons": [{"title": "Ja", "payload": "/affirm"}]}
CHOOSE = {"en": "Please choose:", "de": "Bitte wählen Sie:"}
TOO_LONG = {"en": "very long", "de": "sehr lang"}


@pytest.mark.parametrize("conversation, app", [("en", "de"), ("de", "en")])
def test_what_the_channel_sends_on_its_own_follows_the_conversation_not_the_app_language(
    api: FakeBotApi, ledger: SqliteLedger, conversation: str, app: str
) -> None:
    # The conversation was switched (its `language` slot), the app still says the other language,
    # and this channel state holds no copy of it (another replica, or its copy was lost).
    rasa = LateRasa()
    channel = TelegramInput(config_for(api), lambda: ledger, registration_delays=(0,),
                            tracker_store=lambda: StoredConversations({f"tg:{CHAT}": conversation}))

    async def scenario() -> None:
        async with serving(channel, rasa) as url:
            # Answered before Rasa is asked.
            assert await post(url, text_update(CHAT, "x" * 5000, 95, language_code=app)) == 200
            assert await post(url, text_update(CHAT, "hallo", 96, language_code=app)) == 200
            # A reply after that turn ended, through the turn's channel.
            await rasa.channels[-1].send_response(f"tg:{CHAT}", dict(BUTTONS))
            # A message Rasa sends outside any user message (trigger_intent).
            await channel.get_output_channel().send_response(f"tg:{CHAT}", dict(BUTTONS))

    run(scenario())
    too_long, late, triggered = api.sent_texts(CHAT)
    assert TOO_LONG[conversation] in too_long
    assert late == triggered == CHOOSE[conversation]


def test_a_conversation_without_a_language_hears_the_app_language(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    channel = TelegramInput(config_for(api), lambda: ledger, registration_delays=(0,),
                            tracker_store=lambda: StoredConversations({f"tg:{CHAT}": None}, app_language="en"))

    async def scenario() -> None:
        async with serving(channel, Collector()) as url:
            assert await post(url, text_update(CHAT, "x" * 5000, 97, language_code="en")) == 200
            # No app language at hand: the one the conversation's latest message carried.
            await channel.get_output_channel().send_response(f"tg:{CHAT}", dict(BUTTONS))

    run(scenario())
    too_long, triggered = api.sent_texts(CHAT)
    assert TOO_LONG["en"] in too_long and triggered == CHOOSE["en"]
