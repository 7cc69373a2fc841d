"""Long polling against the fake Bot API, with the real ledger (SQLite) and the database lease."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.channels.telegram.api import BotApiClient
from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.handler import UpdateHandler
from bot.channels.telegram.ledger import AsyncLedger, TelegramLedger
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.polling import offset_key, poll_forever
from tests.bot.channels.telegram_support import (  # noqa: F401 (api and ledger are fixtures)
    SECRET,
    Collector,
    SqliteLedger,
    api,
    config_for,
    ledger,
    post,
    run,
    serving,
)
from tests.support.fake_telegram import BOT_ID, TOKEN, FakeBotApi, callback_update, text_update

CHAT = 5150
FAST = {"TELEGRAM_LEADER_LEASE_SECONDS": "1", "TELEGRAM_CLAIM_TIMEOUT_SECONDS": "2"}


def polling_channel(
    api: FakeBotApi, ledger: TelegramLedger, client: str = "", **environ: str
) -> TelegramInput:
    config = config_for(
        api,
        {**FAST, **environ},
        mode="polling",
        webhook_url="",
        secret_token="",
        api_base_url=api.base_url_for(client) if client else api.base_url,
    )
    return TelegramInput(config, lambda: ledger)


def test_polling_processes_updates_and_resumes_after_a_restart_without_repeats(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    first_run, second_run = Collector(), Collector()
    hello, button = text_update(CHAT, "hallo", 100), callback_update(CHAT, "/affirm", 101)
    later = text_update(CHAT, "Vodafone", 102)

    async def serve_until(collector: Collector, expected: list[str], next_offset: str) -> None:
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts == expected)
            await channel.wait_idle()
            # Confirmed to Telegram and stored once the updates are finished.
            await api.wait_for_async(lambda _: ledger.get_channel_state(key) == next_offset)

    key = offset_key(str(BOT_ID))
    api.queue_update(hello)
    api.queue_update(button)
    run(serve_until(first_run, ["hallo", "/affirm"], next_offset="102"))
    assert first_run.messages[0].sender_id == f"tg:{CHAT}"
    assert [call.params["callback_query_id"] for call in api.calls_to("answerCallbackQuery")] == [
        "cbq101"
    ]

    # Telegram re-delivers updates whose confirmation it never got; the stored offset means
    # they are not even fetched again, and the ledger would skip them anyway.
    api.queue_update(hello)
    api.queue_update(button)
    api.queue_update(later)
    polls_before_restart = len(api.calls_to("getUpdates"))
    run(serve_until(second_run, ["Vodafone"], next_offset="103"))

    assert second_run.texts == ["Vodafone"]
    first_poll = api.calls_to("getUpdates")[polls_before_restart]
    assert first_poll.params["offset"] == 102
    assert api.calls_to("deleteWebhook") and not api.calls_to("setWebhook")


def test_updates_fetched_twice_are_processed_once(api: FakeBotApi, ledger: SqliteLedger) -> None:
    collector = Collector(replies={"hallo": [{"text": "Guten Tag!"}]})
    update = text_update(CHAT, "hallo", 200)
    api.queue_update(update)

    async def scenario() -> None:
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts == ["hallo"])
            await channel.wait_idle()
        # The offset was lost (e.g. restored backup): Telegram sends the update again.
        ledger.set_channel_state(offset_key(str(BOT_ID)), "")
        api.queue_update(update)
        api.queue_update(text_update(CHAT, "weiter", 201))
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts[-1:] == ["weiter"])
            await channel.wait_idle()

    run(scenario())
    assert collector.texts == ["hallo", "weiter"]
    assert api.sent_texts(CHAT) == ["Guten Tag!"]


def test_the_offset_never_passes_an_unfinished_update(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    class SlowFirst(Collector):
        async def __call__(self, message: Any) -> None:
            if message.text == "langsam":
                await asyncio.sleep(1.5)
            await super().__call__(message)

    collector = SlowFirst(replies={"langsam": [{"text": "L"}], "schnell": [{"text": "S"}]})
    api.queue_update(text_update(CHAT, "langsam", 300))
    api.queue_update(text_update(CHAT + 1, "schnell", 301))

    async def scenario() -> None:
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            # The fast one is answered while the slow one still runs: handled concurrently.
            await api.wait_for_async(lambda a: a.sent_texts(CHAT + 1) == ["S"])
            assert api.sent_texts(CHAT) == []
            await api.wait_for_async(lambda a: a.sent_texts(CHAT) == ["L"])
            await api.wait_for_async(
                lambda a: any(c.params.get("offset") == 302 for c in a.calls_to("getUpdates"))
            )
            await channel.wait_idle()

    run(scenario())
    offsets = [call.params.get("offset") for call in api.calls_to("getUpdates")]
    first_after = offsets.index(302)
    # Until the slow update was finished, every poll still asked for it (or for nothing yet).
    assert set(offsets[:first_after]) <= {None, 300}
    assert collector.texts.count("langsam") == 1 and collector.texts.count("schnell") == 1
    # While updates were unfinished the poller paced itself instead of spinning.
    assert len(offsets) < 15


def test_updates_of_one_chat_are_answered_in_the_order_they_were_sent(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    class SlowFirst(Collector):
        async def __call__(self, message: Any) -> None:
            if message.text == "erste":
                await asyncio.sleep(1.0)
            await super().__call__(message)

    collector = SlowFirst(replies={"erste": [{"text": "1"}], "zweite": [{"text": "2"}]})
    api.queue_update(text_update(CHAT, "erste", 350))
    api.queue_update(callback_update(CHAT, "zweite", 351))

    async def scenario() -> None:
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda a: len(a.sent_texts(CHAT)) == 2)
            await channel.wait_idle()

    run(scenario())
    # The quick second message waited for the slow first one of the same chat.
    assert collector.texts == ["erste", "zweite"]
    assert api.sent_texts(CHAT) == ["1", "2"]


def test_polling_mode_accepts_nothing_on_the_webhook(
    api: FakeBotApi, ledger: SqliteLedger
) -> None:
    collector = Collector()

    async def scenario() -> int:
        async with serving(polling_channel(api, ledger), collector) as url:
            return await post(url, text_update(CHAT, "hallo", 300), secret=SECRET)

    assert run(scenario()) == 403
    assert collector.messages == []


def test_polling_keeps_going_after_bot_api_errors(api: FakeBotApi, ledger: SqliteLedger) -> None:
    api.fail_next("getUpdates", 502, "Bad Gateway")
    api.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request")
    api.queue_update(text_update(CHAT, "hallo", 400))
    collector = Collector()
    pauses: list[float] = []

    async def no_wait(seconds: float) -> None:
        pauses.append(seconds)

    async def scenario() -> None:
        client = BotApiClient(TOKEN, api.base_url)
        async_ledger = AsyncLedger(ledger)
        handler = UpdateHandler(
            bot_id=str(BOT_ID),
            client=client,
            ledger=async_ledger,
            output=TelegramOutput(client, async_ledger),
            on_new_message=collector,
            input_channel="telegram",
            owner="test",
            claim_seconds=5,
        )
        task = asyncio.create_task(
            poll_forever(
                bot_id=str(BOT_ID),
                client=client,
                ledger=async_ledger,
                handler=handler,
                timeout_seconds=1,
                sleep=no_wait,
            )
        )
        await api.wait_for_async(lambda _: collector.texts == ["hallo"])
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await handler.drain(5)
        await client.close()

    run(scenario())
    assert pauses == [2.0, 4.0]


def test_of_two_polling_replicas_only_the_lease_holder_polls_and_the_other_takes_over(
    api: FakeBotApi, tmp_path: Path, ledger: SqliteLedger
) -> None:
    collector = Collector(replies={"eins": [{"text": "1"}], "zwei": [{"text": "2"}]})

    async def scenario() -> tuple[str, str]:
        first = polling_channel(api, ledger, client="p1")
        second = polling_channel(api, ledger, client="p2")
        async with serving(first, collector):
            async with serving(second, collector):
                api.queue_update(text_update(CHAT, "eins", 500))
                await api.wait_for_async(lambda a: a.sent_texts(CHAT) == ["1"])
                leader = {call.client for call in api.calls_to("getUpdates")}
                await asyncio.sleep(1.5)  # a few lease renewals
                assert {call.client for call in api.calls_to("getUpdates")} == leader
                assert len(leader) == 1
                [leader_name] = leader
                if leader_name == "p1":
                    await first.shutdown()  # as on SIGTERM: releases the lease
                else:
                    await second.shutdown()
                api.queue_update(text_update(CHAT, "zwei", 501))
                await api.wait_for_async(lambda a: a.sent_texts(CHAT) == ["1", "2"], timeout=10)
                new_leader = api.calls_to("getUpdates")[-1].client
                return leader_name, new_leader

    old, new = run(scenario())
    assert {old, new} == {"p1", "p2"}
    assert collector.texts == ["eins", "zwei"]
