from __future__ import annotations

from typing import Any

from bot.channels.telegram.api import BotApiClient
from bot.channels.telegram.ledger import AsyncLedger
from bot.channels.telegram.output import TelegramOutput, letter_filename
from tests.bot.channels.telegram_support import InMemoryLedger, api, run  # noqa: F401 (fixture)
from tests.support.fake_telegram import TOKEN, FakeBotApi

CHAT = "4711"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
LETTER = {
    "letter": {
        "reference": "KB-7Q2M-9XRT",
        "download_url": "http://127.0.0.1:5005/letters/tok123",
        "filename": "Kuendigung-KB-7Q2M-9XRT.pdf",
    }
}


def send(api: FakeBotApi, ledger: InMemoryLedger, *messages: dict[str, Any]) -> None:
    async def scenario() -> None:
        client = BotApiClient(TOKEN, api.base_url)
        output = TelegramOutput(client, AsyncLedger(ledger))
        for message in messages:
            await output.send_response(CHAT, dict(message))
        await client.close()

    run(scenario())


def test_the_letter_pdf_is_uploaded_as_multipart_document(api: FakeBotApi) -> None:
    ledger = InMemoryLedger(letters={"KB-7Q2M-9XRT": PDF})
    send(api, ledger, {"text": "Hier ist Ihr Kündigungsschreiben.", "custom": LETTER})

    assert api.sent_texts(CHAT) == ["Hier ist Ihr Kündigungsschreiben."]
    [upload] = api.calls_to("sendDocument")
    assert upload.params["chat_id"] == CHAT
    assert "KB-7Q2M-9XRT" in upload.params["caption"]
    assert upload.files["document"] == ("Kuendigung-KB-7Q2M-9XRT.pdf", "application/pdf", PDF)
    # Telegram's servers must never be pointed at the download link.
    assert all("letters/tok123" not in str(call.params) for call in api.calls)


def test_a_missing_letter_is_reported_to_the_user_instead_of_silently_dropped(
    api: FakeBotApi,
) -> None:
    send(api, InMemoryLedger(), {"custom": LETTER})
    assert api.calls_to("sendDocument") == []
    [notice] = api.sent_texts(CHAT)
    assert "KB-7Q2M-9XRT" in notice and "nicht als PDF" in notice


def test_a_failed_upload_is_reported_to_the_user(api: FakeBotApi) -> None:
    api.fail_next("sendDocument", 413, "Request Entity Too Large")
    send(api, InMemoryLedger(letters={"KB-7Q2M-9XRT": PDF}), {"custom": LETTER})
    [notice] = api.sent_texts(CHAT)
    assert "nicht als PDF" in notice


def test_other_custom_payloads_are_ignored(api: FakeBotApi) -> None:
    send(api, InMemoryLedger(), {"custom": {"data": {"x": 1}}}, {"custom": {"letter": "kaputt"}})
    assert api.calls == []


def test_a_10000_character_answer_arrives_completely_in_several_messages(
    api: FakeBotApi,
) -> None:
    sentences = [f"Satz {index}: Die Kündigungsfrist beträgt einen Monat." for index in range(200)]
    text = " ".join(sentences)
    assert len(text) > 10_000

    send(api, InMemoryLedger(), {"text": text})

    received = api.sent_texts(CHAT)
    assert len(received) == 3
    assert " ".join(received) == text


def test_buttons_are_attached_to_the_last_part_of_a_long_message(api: FakeBotApi) -> None:
    text = "\n\n".join(["Absatz " + "x" * 3000] * 3)
    send(
        api,
        InMemoryLedger(),
        {"text": text, "buttons": [{"title": "Weiter", "payload": "/affirm"}]},
    )
    calls = [call for call in api.calls_to("sendMessage") if not call.failed]
    assert len(calls) == 3
    assert [("reply_markup" in call.params) for call in calls] == [False, False, True]


def test_markdown_is_sent_as_plain_text_without_parse_mode(api: FakeBotApi) -> None:
    send(api, InMemoryLedger(), {"text": "Mehr dazu: [Verbraucherzentrale](https://www.verbraucherzentrale.de) <b>"})
    [call] = api.calls_to("sendMessage")
    assert call.params["text"] == "Mehr dazu: Verbraucherzentrale: https://www.verbraucherzentrale.de <b>"
    assert "parse_mode" not in call.params


def test_letter_filenames_are_safe() -> None:
    assert letter_filename("../../etc/passwd", "KB-1") == "etc-passwd.pdf"
    assert letter_filename("", "KB-1") == "Kuendigung-KB-1.pdf"
    assert letter_filename("Kündigung KB-1.pdf", "KB-1") == "K-ndigung-KB-1.pdf"
