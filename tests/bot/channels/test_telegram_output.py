from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram.api import BotApiClient
from bot.channels.telegram.ledger import AsyncLedger, TelegramLedger
from bot.channels.telegram.output import ReplyBuffer, TelegramOutput, letter_filename
from cancellation.vocabulary import Language
from tests.bot.channels.telegram_support import api, run, sqlite_ledger  # noqa: F401 (fixture)
from tests.support.fake_telegram import TOKEN, FakeBotApi

CHAT = "4711"
SENDER = f"tg:{CHAT}"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
LETTER = {
    "letter": {
        "reference": "KB-7Q2M-9XRT",
        "download_url": "http://127.0.0.1:5005/letters/tok123",
        "filename": "Kuendigung-KB-7Q2M-9XRT.pdf",
    }
}


@pytest.fixture
def letters(tmp_path: Path) -> TelegramLedger:
    return sqlite_ledger(tmp_path, letters={"KB-7Q2M-9XRT": PDF})


@pytest.fixture
def no_letters(tmp_path: Path) -> TelegramLedger:
    return sqlite_ledger(tmp_path)


def send(
    api: FakeBotApi,
    ledger: TelegramLedger,
    *messages: dict[str, Any],
    recipient: str = SENDER,
    language: Language = Language.DE,
) -> None:
    async def scenario() -> None:
        client = BotApiClient(TOKEN, api.base_url)
        output = TelegramOutput(client, AsyncLedger(ledger), language)
        for message in messages:
            await output.send_response(recipient, dict(message))
        await client.close()

    run(scenario())


def test_the_letter_pdf_is_uploaded_as_multipart_document(
    api: FakeBotApi, letters: TelegramLedger
) -> None:
    send(api, letters, {"text": "Hier ist Ihr Kündigungsschreiben.", "custom": LETTER})

    assert api.sent_texts(CHAT) == ["Hier ist Ihr Kündigungsschreiben."]
    [upload] = api.calls_to("sendDocument")
    assert upload.params["chat_id"] == CHAT
    assert "KB-7Q2M-9XRT" in upload.params["caption"]
    assert upload.files["document"] == ("Kuendigung-KB-7Q2M-9XRT.pdf", "application/pdf", PDF)
    # Telegram's servers must never be pointed at the download link.
    assert all("letters/tok123" not in str(call.params) for call in api.calls)


def test_a_missing_letter_is_reported_to_the_user_instead_of_silently_dropped(
    api: FakeBotApi, no_letters: TelegramLedger
) -> None:
    send(api, no_letters, {"custom": LETTER})
    assert api.calls_to("sendDocument") == []
    [notice] = api.sent_texts(CHAT)
    assert "KB-7Q2M-9XRT" in notice and "nicht als PDF" in notice


def test_a_failed_upload_is_reported_to_the_user_in_their_language(
    api: FakeBotApi, letters: TelegramLedger
) -> None:
    api.fail_next("sendDocument", 413, "Request Entity Too Large")
    send(api, letters, {"custom": LETTER}, language=Language.EN)
    [notice] = api.sent_texts(CHAT)
    assert "could not be attached" in notice and "KB-7Q2M-9XRT" in notice


def test_the_caption_follows_the_language(api: FakeBotApi, letters: TelegramLedger) -> None:
    send(api, letters, {"custom": LETTER}, language=Language.EN)
    [upload] = api.calls_to("sendDocument")
    assert upload.params["caption"] == "Your cancellation letter (reference KB-7Q2M-9XRT)"


def test_conversations_of_other_channels_are_never_written_to(
    api: FakeBotApi, letters: TelegramLedger
) -> None:
    for recipient in (CHAT, f"web:{CHAT}", f"rest:{CHAT}", "tg:abc"):
        send(api, letters, {"text": "Geheim"}, {"custom": LETTER}, recipient=recipient)
    assert api.calls == []


def test_a_reply_buffer_collects_instead_of_sending(
    api: FakeBotApi, no_letters: TelegramLedger
) -> None:
    async def scenario() -> list[dict[str, Any]]:
        client = BotApiClient(TOKEN, api.base_url)
        buffer = ReplyBuffer(TelegramOutput(client, AsyncLedger(no_letters)))
        await buffer.send_response(SENDER, {"text": "Eins", "buttons": [{"title": "Ja", "payload": "/affirm"}]})
        await buffer.send_text_message(SENDER, "Zwei")
        collected = list(buffer.messages)
        buffer.close()
        await buffer.send_response(SENDER, {"text": "Nach dem Zug"})  # e.g. a reminder, later
        await client.close()
        return collected

    collected = run(scenario())
    assert collected == [
        {"text": "Eins", "buttons": [{"title": "Ja", "payload": "/affirm"}]},
        {"text": "Zwei"},
    ]
    assert api.sent_texts(CHAT) == ["Nach dem Zug"]


def test_other_custom_payloads_are_ignored(api: FakeBotApi, no_letters: TelegramLedger) -> None:
    send(api, no_letters, {"custom": {"data": {"x": 1}}}, {"custom": {"letter": "kaputt"}})
    assert api.calls == []


def test_a_10000_character_answer_arrives_completely_in_several_messages(
    api: FakeBotApi, no_letters: TelegramLedger
) -> None:
    sentences = [f"Satz {index}: Die Kündigungsfrist beträgt einen Monat." for index in range(200)]
    text = " ".join(sentences)
    assert len(text) > 10_000

    send(api, no_letters, {"text": text})

    received = api.sent_texts(CHAT)
    assert len(received) == 3
    assert " ".join(received) == text


def test_buttons_are_attached_to_the_last_part_of_a_long_message(
    api: FakeBotApi, no_letters: TelegramLedger
) -> None:
    text = "\n\n".join(["Absatz " + "x" * 3000] * 3)
    send(
        api,
        no_letters,
        {"text": text, "buttons": [{"title": "Weiter", "payload": "/affirm"}]},
    )
    calls = [call for call in api.calls_to("sendMessage") if not call.failed]
    assert len(calls) == 3
    assert [("reply_markup" in call.params) for call in calls] == [False, False, True]


def test_markdown_is_sent_as_plain_text_without_parse_mode(
    api: FakeBotApi, no_letters: TelegramLedger
) -> None:
    send(api, no_letters, {"text": "Mehr dazu: [Verbraucherzentrale](https://www.verbraucherzentrale.de) <b>"})
    [call] = api.calls_to("sendMessage")
    assert call.params["text"] == "Mehr dazu: Verbraucherzentrale: https://www.verbraucherzentrale.de <b>"
    assert "parse_mode" not in call.params


def test_letter_filenames_are_safe() -> None:
    assert letter_filename("../../etc/passwd", "KB-1") == "etc-passwd.pdf"
    assert letter_filename("", "KB-1") == "Kuendigung-KB-1.pdf"
    assert letter_filename("Kündigung KB-1.pdf", "KB-1") == "K-ndigung-KB-1.pdf"
