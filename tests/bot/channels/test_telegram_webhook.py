from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.config import TelegramConfig
from tests.bot.channels.telegram_support import (  # noqa: F401 (api is a fixture)
    api,
    SECRET,
    Collector,
    InMemoryLedger,
    config_for,
    post,
    run,
    serving,
)
from tests.support.fake_telegram import FakeBotApi, callback_update, text_update

CHAT = 4711


def channel_for(api: FakeBotApi, ledger: InMemoryLedger, **overrides: Any) -> TelegramInput:
    return TelegramInput(config_for(api, **overrides), lambda: ledger, registration_delays=(0,))


def test_startup_registers_the_webhook_with_the_secret_token(api: FakeBotApi) -> None:
    async def scenario() -> None:
        async with serving(channel_for(api, InMemoryLedger()), Collector()):
            await api.wait_for_async(lambda a: bool(a.calls_to("setWebhook")))

    run(scenario())
    [call] = api.calls_to("setWebhook")
    assert call.params["url"] == "https://bot.example.org/webhooks/telegram/webhook"
    assert call.params["secret_token"] == SECRET
    assert set(call.params["allowed_updates"]) == {"message", "callback_query"}


def test_webhook_registration_is_retried_when_telegram_fails(api: FakeBotApi) -> None:
    api.fail_next("setWebhook", 502, "Bad Gateway")
    channel = TelegramInput(config_for(api), InMemoryLedger, registration_delays=(0, 0.05))

    async def scenario() -> None:
        async with serving(channel, Collector()):
            await api.wait_for_async(lambda a: len(a.calls_to("setWebhook")) == 2)

    run(scenario())


def test_updates_without_the_right_secret_are_rejected_and_not_processed(
    api: FakeBotApi,
) -> None:
    ledger = InMemoryLedger()
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
    assert ledger.claimed == set()
    assert api.sent_texts() == []


def test_a_message_reaches_rasa_with_chat_id_and_metadata_and_the_reply_goes_back(
    api: FakeBotApi,
) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag! Was möchten Sie kündigen?"}]})
    update = text_update(CHAT, "hallo", 77)
    statuses: list[int] = []

    async def scenario() -> None:
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            statuses.append(await post(url, update))
            await channel.wait_idle()

    run(scenario())
    assert statuses == [200]
    [message] = collector.messages
    assert message.text == "hallo"
    assert message.sender_id == str(CHAT)
    assert message.input_channel == "telegram"
    assert message.metadata == {"telegram": {"user_id": CHAT, "update_id": 77}}
    assert api.sent_texts(CHAT) == ["Guten Tag! Was möchten Sie kündigen?"]


def test_a_retried_update_id_is_processed_once(api: FakeBotApi) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag!"}]})
    statuses: list[int] = []

    async def scenario() -> None:
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            for _ in range(3):
                statuses.append(await post(url, text_update(CHAT, "hallo", 900)))
            await channel.wait_idle()

    run(scenario())
    assert statuses == [200, 200, 200]
    assert collector.texts == ["hallo"]
    assert api.sent_texts(CHAT) == ["Guten Tag!"]


def test_start_command_is_sent_to_rasa_as_the_start_intent(api: FakeBotApi) -> None:
    collector = Collector()

    async def scenario() -> None:
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            await post(url, text_update(CHAT, "/start", 10))
            await channel.wait_idle()
            await post(url, text_update(CHAT, f"/start@{api.username} ref42", 11))
            await channel.wait_idle()
            await post(url, text_update(CHAT, '/inform{"provider": "x"}', 12))
            await channel.wait_idle()

    run(scenario())
    # Typed intent syntax must not set slots: only /start and /restart pass as commands.
    assert collector.texts == ["/start", "/start", 'inform{"provider": "x"}']


def test_button_press_is_answered_and_its_payload_goes_to_rasa(api: FakeBotApi) -> None:
    collector = Collector()

    async def scenario() -> None:
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            await post(url, callback_update(CHAT, "/affirm", 20, query_id="q-20"))
            await channel.wait_idle()

    run(scenario())
    assert collector.texts == ["/affirm"]
    assert collector.messages[0].sender_id == str(CHAT)
    [answer] = api.calls_to("answerCallbackQuery")
    assert answer.params["callback_query_id"] == "q-20"


def test_a_button_payload_longer_than_64_bytes_survives_the_round_trip(api: FakeBotApi) -> None:
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
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            await post(url, text_update(CHAT, "hallo", 30))
            await channel.wait_idle()
            [send] = api.calls_to("sendMessage")
            [[yes], [no]] = send.params["reply_markup"]["inline_keyboard"]
            assert (yes["text"], no) == ("Ja, Telefónica", {"text": "Nein", "callback_data": "/deny"})
            await post(url, callback_update(CHAT, yes["callback_data"], 31))
            await channel.wait_idle()

    run(scenario())
    assert collector.texts == ["hallo", long_payload]


def test_unreadable_messages_get_a_hint_and_group_chats_are_ignored(api: FakeBotApi) -> None:
    collector = Collector()
    photo = text_update(CHAT, "x", 40)
    del photo["message"]["text"]
    photo["message"]["photo"] = [{"file_id": "p1", "file_unique_id": "u", "width": 1, "height": 1}]
    group = text_update(CHAT, "hallo", 41)
    group["message"]["chat"] = {"id": -100123, "title": "Familie", "type": "group"}

    async def scenario() -> None:
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            assert await post(url, photo) == 200
            assert await post(url, group) == 200
            await channel.wait_idle()

    run(scenario())
    assert collector.messages == []
    assert api.sent_texts(CHAT) == [
        "Ich kann leider nur Textnachrichten lesen. Bitte schreiben Sie mir Ihre Antwort als Text."
    ]
    assert api.sent_texts(-100123) == []


def test_bot_api_errors_do_not_break_the_webhook(api: FakeBotApi) -> None:
    collector = Collector(replies={"a": [{"text": "Antwort A"}], "b": [{"text": "Antwort B"}]})
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 600")
    statuses: list[int] = []

    async def scenario() -> None:
        channel = channel_for(api, InMemoryLedger())
        async with serving(channel, collector) as url:
            statuses.append(await post(url, text_update(CHAT, "a", 50)))
            await channel.wait_idle()
            statuses.append(await post(url, text_update(CHAT, "b", 51)))
            await channel.wait_idle()

    run(scenario())
    assert statuses == [200, 200]
    assert collector.texts == ["a", "b"]
    assert [call.params["text"] for call in api.calls_to("sendMessage")] == ["Antwort A", "Antwort B"]
    assert api.sent_texts(CHAT) == ["Antwort B"]


def test_when_the_database_is_down_telegram_is_asked_to_retry(api: FakeBotApi) -> None:
    class BrokenLedger(InMemoryLedger):
        def claim_telegram_update(self, bot: str, update_id: int) -> bool:
            raise ConnectionError("database down")

    collector = Collector()
    statuses: list[int] = []

    async def scenario() -> None:
        async with serving(channel_for(api, BrokenLedger()), collector) as url:
            statuses.append(await post(url, text_update(CHAT, "hallo", 60)))

    run(scenario())
    assert statuses == [503]
    assert collector.messages == []


def test_without_a_token_the_channel_is_off_and_registers_nothing(api: FakeBotApi) -> None:
    def no_ledger() -> InMemoryLedger:
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
