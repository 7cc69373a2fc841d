from __future__ import annotations

import asyncio

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.api import BotApiClient
from bot.channels.telegram.handler import UpdateHandler
from bot.channels.telegram.ledger import AsyncLedger
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.polling import offset_key, poll_forever
from tests.bot.channels.telegram_support import (  # noqa: F401 (api is a fixture)
    SECRET,
    Collector,
    InMemoryLedger,
    api,
    config_for,
    post,
    run,
    serving,
)
from tests.support.fake_telegram import BOT_ID, TOKEN, FakeBotApi, callback_update, text_update

CHAT = 5150


def polling_channel(api: FakeBotApi, ledger: InMemoryLedger) -> TelegramInput:
    config = config_for(api, mode="polling", webhook_url="", secret_token="")
    return TelegramInput(config, lambda: ledger)


def test_polling_processes_updates_and_resumes_after_a_restart_without_repeats(
    api: FakeBotApi,
) -> None:
    ledger = InMemoryLedger()
    first_run, second_run = Collector(), Collector()
    hello, button = text_update(CHAT, "hallo", 100), callback_update(CHAT, "/affirm", 101)
    later = text_update(CHAT, "Vodafone", 102)

    async def serve_until(collector: Collector, expected: list[str]) -> None:
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts == expected)
            await channel.wait_idle()

    api.queue_update(hello)
    api.queue_update(button)
    run(serve_until(first_run, ["hallo", "/affirm"]))
    assert ledger.state[offset_key(str(BOT_ID))] == "102"
    assert [call.params["callback_query_id"] for call in api.calls_to("answerCallbackQuery")] == [
        "cbq101"
    ]

    # Telegram re-delivers updates whose confirmation it never got (a crash right after
    # processing); the persisted offset means they are not even fetched again.
    api.queue_update(hello)
    api.queue_update(button)
    api.queue_update(later)
    calls_before_restart = len(api.calls)
    run(serve_until(second_run, ["Vodafone"]))

    assert second_run.texts == ["Vodafone"]
    first_poll = api.calls_to("getUpdates")[
        sum(1 for call in api.calls[:calls_before_restart] if call.method == "getUpdates")
    ]
    assert first_poll.params["offset"] == 102
    assert api.calls_to("deleteWebhook") and not api.calls_to("setWebhook")


def test_updates_fetched_twice_are_processed_once(api: FakeBotApi) -> None:
    ledger = InMemoryLedger()
    collector = Collector()
    update = text_update(CHAT, "hallo", 200)
    api.queue_update(update)

    async def scenario() -> None:
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts == ["hallo"])
        # The offset was lost (e.g. restored backup): Telegram sends the update again.
        ledger.state.clear()
        api.queue_update(update)
        api.queue_update(text_update(CHAT, "weiter", 201))
        channel = polling_channel(api, ledger)
        async with serving(channel, collector):
            await api.wait_for_async(lambda _: collector.texts[-1:] == ["weiter"])

    run(scenario())
    assert collector.texts == ["hallo", "weiter"]


def test_polling_mode_accepts_nothing_on_the_webhook(api: FakeBotApi) -> None:
    collector = Collector()

    async def scenario() -> int:
        async with serving(polling_channel(api, InMemoryLedger()), collector) as url:
            return await post(url, text_update(CHAT, "hallo", 300), secret=SECRET)

    assert run(scenario()) == 403
    assert collector.messages == []


def test_polling_keeps_going_after_bot_api_errors(api: FakeBotApi) -> None:
    api.fail_next("getUpdates", 502, "Bad Gateway")
    api.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request")
    api.queue_update(text_update(CHAT, "hallo", 400))
    collector = Collector()
    pauses: list[float] = []

    async def no_wait(seconds: float) -> None:
        pauses.append(seconds)

    async def scenario() -> None:
        client = BotApiClient(TOKEN, api.base_url)
        ledger = AsyncLedger(InMemoryLedger())
        handler = UpdateHandler(
            bot_id=str(BOT_ID),
            client=client,
            ledger=ledger,
            output=TelegramOutput(client, ledger),
            on_new_message=collector,
            input_channel="telegram",
        )
        task = asyncio.create_task(
            poll_forever(
                bot_id=str(BOT_ID),
                client=client,
                ledger=ledger,
                handler=handler,
                timeout_seconds=1,
                sleep=no_wait,
            )
        )
        await api.wait_for_async(lambda _: collector.texts == ["hallo"])
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()

    run(scenario())
    assert pauses == [2.0, 4.0]
