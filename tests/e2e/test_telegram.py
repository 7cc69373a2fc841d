"""A whole cancellation over the Telegram webhook, against the real servers and a fake Bot API."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Iterator

import pytest

from sqlalchemy import create_engine
from sqlalchemy import text as sql

from bot.channels.telegram.ledger import TelegramLedger, Verdict
from cancellation.log import AttemptLog
from tests.e2e.conftest import attempts_json
from tests.e2e.pdftext import pdf_text
from tests.support.fake_telegram import BOT_ID, FakeBotApi, callback_update, text_update
from tests.support.stack import Stack, free_port, running_stack

SECRET = "e2e-Secret_0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture(scope="module")
def telegram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeBotApi, Stack]]:
    rasa_port = free_port()
    with FakeBotApi() as api:
        env = {
            "RASA_PORT": str(rasa_port),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{rasa_port}",
            "TELEGRAM_TOKEN": api.token,
            "TELEGRAM_BOT_NAME": api.username,
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook",
            "TELEGRAM_SECRET_TOKEN": SECRET,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_MODE": "webhook",
        }
        with running_stack(tmp_path_factory.mktemp("telegram"), env=env) as stack:
            api.wait_for(lambda a: bool(a.calls_to("setWebhook")), timeout=30)
            yield api, stack


def deliver(stack: Stack, update: dict[str, Any], secret: str | None = SECRET) -> int:
    request = urllib.request.Request(
        f"{stack.base_url}/webhooks/telegram/webhook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", **({HEADER: secret} if secret else {})},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    # The webhook answers once the update is finished, well before Telegram gives up (~60 s).
    assert time.monotonic() - started < 50
    return status


def replies_after(
    api: FakeBotApi, chat: int, before: int, expect: str = "", quiet: float = 1.0
) -> list[str]:
    """The bot's messages to `chat` since `before`, once `expect` was said and the bot is quiet."""
    api.wait_for(
        lambda a: len(a.sent_texts(chat)) > before and expect in "\n".join(a.sent_texts(chat)[before:]),
        timeout=90,
    )
    count, settled_at = -1, time.monotonic()
    while time.monotonic() - settled_at < quiet:
        if len(api.sent_texts(chat)) != count:
            count, settled_at = len(api.sent_texts(chat)), time.monotonic()
        time.sleep(0.1)
    return api.sent_texts(chat)[before:]


def say(api: FakeBotApi, stack: Stack, chat: int, text: str, expect: str) -> str:
    before = len(api.sent_texts(chat))
    assert deliver(stack, text_update(chat, text)) == 200
    return "\n".join(replies_after(api, chat, before, expect))


def press(api: FakeBotApi, stack: Stack, chat: int, title: str, expect: str) -> str:
    """Press a button of the bot's latest keyboard in this chat, as the Telegram app would."""
    keyboards = [
        call.params["reply_markup"]["inline_keyboard"]
        for call in api.calls_to("sendMessage")
        if str(call.params["chat_id"]) == str(chat) and "reply_markup" in call.params
    ]
    assert keyboards, "the bot sent no buttons"
    [data] = [b["callback_data"] for row in keyboards[-1] for b in row if b["text"] == title]
    before = len(api.sent_texts(chat))
    assert deliver(stack, callback_update(chat, data)) == 200
    return "\n".join(replies_after(api, chat, before, expect))


def test_the_webhook_is_registered_with_the_secret(telegram: tuple[FakeBotApi, Stack]) -> None:
    api, stack = telegram
    call = api.calls_to("setWebhook")[-1]
    assert call.params["url"] == f"{stack.base_url}/webhooks/telegram/webhook"
    assert call.params["secret_token"] == SECRET


def test_a_whole_cancellation_ends_with_the_uploaded_pdf(telegram: tuple[FakeBotApi, Stack]) -> None:
    api, stack = telegram
    chat = 880001
    say(api, stack, chat, "/start", expect="Was möchten Sie kündigen?")
    say(api, stack, chat, "Ich will meinen Handyvertrag bei o2 kündigen", expect="Ihr vollständiger Name")
    say(api, stack, chat, "Zoë Ñúñez-Łukaszewicz", expect="Ihre Anschrift")
    say(api, stack, chat, "Musterstraße 5, 10115 Berlin", expect="Kundennummer")
    say(api, stack, chat, "123456789", expect="Rufnummer")
    say(api, stack, chat, "+49 176 12345678", expect="Kundenkennzahl")
    say(api, stack, chat, "4711", expect="Zu wann")
    press(api, stack, chat, "Zum nächstmöglichen Zeitpunkt", expect="noch etwas enthalten")
    press(api, stack, chat, "Nichts davon", expect="E-Mail")
    summary = press(api, stack, chat, "Ohne E-Mail", expect="Bitte prüfen Sie Ihre Angaben")
    assert "Zoë Ñúñez-Łukaszewicz" in summary and "10115 Berlin" in summary
    done = say(api, stack, chat, "ja", expect="Vorgangsnummer")
    assert "/letters/" not in done  # Telegram gets the file, never a link

    api.wait_for(lambda a: bool(a.calls_to("sendDocument")), timeout=30)
    [upload] = [c for c in api.calls_to("sendDocument") if c.params["chat_id"] == str(chat)]
    filename, content_type, pdf = upload.files["document"]
    reference = filename.removeprefix("Kuendigung-").removesuffix(".pdf")
    assert reference in done
    assert content_type == "application/pdf" and pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Zoë Ñúñez-Łukaszewicz" in text and reference in text
    assert "Kündigung" in text and "Mobilfunkvertrag" in text
    [row] = [row for row in attempts_json(stack) if row["reference"] == reference]
    assert row["channel"] == "telegram"
    # The conversation is "tg:<chat>" in the attempt log and in Rasa's tracker store.
    log = AttemptLog.from_url(stack.database_url)
    try:
        record = log.reads.get(reference)
        assert record is not None and record.conversation_id == f"tg:{chat}"
    finally:
        log.dispose()
    engine = create_engine(stack.database_url, future=True)
    try:
        with engine.connect() as connection:
            senders = set(
                connection.execute(
                    sql("SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE :chat"),
                    {"chat": f"%{chat}"},
                ).scalars()
            )
    finally:
        engine.dispose()
    assert senders == {f"tg:{chat}"}
    # Button presses were acknowledged so the Telegram app stops its spinner.
    assert len(api.calls_to("answerCallbackQuery")) >= 2


def test_a_forged_update_is_rejected_and_changes_nothing(
    telegram: tuple[FakeBotApi, Stack],
) -> None:
    api, stack = telegram
    chat = 880002
    forged = text_update(chat, "Ich will meinen Handyvertrag bei o2 kündigen")
    assert deliver(stack, forged, secret=None) == 403
    assert deliver(stack, forged, secret="guessed") == 403
    time.sleep(2)
    assert api.sent_texts(chat) == []
    # The update id was never claimed, so it was not processed either.
    ledger = TelegramLedger.from_url(stack.database_url)
    try:
        claim = ledger.claim(str(BOT_ID), forged["update_id"], "e2e-check", 1)
        assert claim.verdict is Verdict.PROCESS and claim.attempt == 1
    finally:
        ledger.dispose()


def test_a_retried_update_is_processed_once(telegram: tuple[FakeBotApi, Stack]) -> None:
    api, stack = telegram
    chat = 880003
    update = text_update(chat, "/start")
    assert deliver(stack, update) == 200
    first = replies_after(api, chat, 0, expect="Was möchten Sie kündigen?")
    assert deliver(stack, update) == 200  # Telegram retries after a timeout
    time.sleep(3)
    assert api.sent_texts(chat) == first


def test_an_overlong_message_is_answered_with_please_shorter(
    telegram: tuple[FakeBotApi, Stack],
) -> None:
    api, stack = telegram
    chat = 880004
    reply = say(api, stack, chat, "Ich möchte kündigen. " * 300, expect="kürzer")
    assert "4000 Zeichen" in reply
    # The conversation goes on normally afterwards.
    say(api, stack, chat, "/start", expect="Was möchten Sie kündigen?")


def test_an_english_conversation_in_a_german_app_is_answered_in_english_before_rasa(
    telegram: tuple[FakeBotApi, Stack],
) -> None:
    api, stack = telegram
    chat = 880005
    say(api, stack, chat, "English please", expect="continue in English")
    # The channel's own copy of the language is gone stale (lost write, another replica): the
    # conversation's language slot in the tracker store decides, not the app's "de".
    ledger = TelegramLedger.from_url(stack.database_url)
    try:
        ledger.set_channel_state(f"language:tg:{chat}", "de")
    finally:
        ledger.dispose()
    reply = say(api, stack, chat, "I want to cancel. " * 300, expect="shorter")
    assert "4000 characters" in reply
