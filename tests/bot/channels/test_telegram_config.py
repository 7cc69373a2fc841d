from __future__ import annotations

import pytest

from bot.channels.telegram.config import (
    DEFAULT_API_BASE_URL,
    TelegramConfig,
    TelegramConfigError,
)

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
WEBHOOK = {
    "access_token": TOKEN,
    "verify": "@KuendigungsBot",
    "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
    "secret_token": "abc_DEF-123",
    "api_base_url": "",
    "mode": "webhook",
}


def test_empty_token_switches_telegram_off() -> None:
    # What Rasa hands over when the Makefile exports the variables empty.
    config = TelegramConfig.from_credentials({key: "" for key in WEBHOOK})
    assert not config.enabled


def test_webhook_configuration() -> None:
    config = TelegramConfig.from_credentials(WEBHOOK)
    assert config.enabled and config.mode == "webhook"
    assert config.bot_name == "KuendigungsBot"
    assert config.api_base_url == DEFAULT_API_BASE_URL
    assert config.bot_id == "123456789"


def test_mode_defaults_to_polling_without_a_webhook_url() -> None:
    config = TelegramConfig.from_credentials({**WEBHOOK, "mode": "", "webhook_url": ""})
    assert config.mode == "polling"


@pytest.mark.parametrize(
    "change, mentioned",
    [
        ({"secret_token": ""}, "TELEGRAM_SECRET_TOKEN"),
        ({"secret_token": "has spaces"}, "TELEGRAM_SECRET_TOKEN"),
        ({"secret_token": "x" * 257}, "TELEGRAM_SECRET_TOKEN"),
        ({"webhook_url": ""}, "TELEGRAM_WEBHOOK_URL"),
        ({"mode": "push"}, "TELEGRAM_MODE"),
        ({"access_token": "not-a-token"}, "TELEGRAM_TOKEN"),
        ({"api_base_url": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
    ],
)
def test_unusable_settings_name_the_variable_to_fix(change: dict, mentioned: str) -> None:
    with pytest.raises(TelegramConfigError, match=mentioned):
        TelegramConfig.from_credentials({**WEBHOOK, **change})


def test_polling_needs_no_secret() -> None:
    config = TelegramConfig.from_credentials(
        {**WEBHOOK, "mode": "polling", "webhook_url": "", "secret_token": ""}
    )
    assert config.mode == "polling"
