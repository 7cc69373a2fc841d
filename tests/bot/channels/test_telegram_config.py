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
    "secret_token": "abc_DEF-123_4567",
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
        ({"secret_token": "abc_DEF-123_456"}, "16 bis 256"),  # 15 characters
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


def test_the_webhook_secret_needs_16_characters() -> None:
    config = TelegramConfig.from_credentials({**WEBHOOK, "secret_token": "a" * 16})
    assert config.secret_token == "a" * 16


def test_token_and_secret_never_appear_in_repr() -> None:
    config = TelegramConfig.from_credentials(WEBHOOK, {"REDIS_URL": "redis://:pw@127.0.0.1/0"})
    shown = repr(config) + str(config)
    assert "AAFakeTokenForTestsOnly" not in shown and WEBHOOK["secret_token"] not in shown
    assert "123456789" not in shown  # not even the bot id part of the token
    assert "KuendigungsBot" in shown  # the rest is there


def test_tuning_comes_from_the_environment_with_defaults() -> None:
    default = TelegramConfig.from_credentials(WEBHOOK, {})
    assert (default.claim_timeout_seconds, default.retention_days) == (20.0, 7.0)
    assert default.leader_lease_seconds == 10.0
    tuned = TelegramConfig.from_credentials(
        {**WEBHOOK, "mode": "polling"},
        {
            "TELEGRAM_CLAIM_TIMEOUT_SECONDS": "5",
            "TELEGRAM_RETENTION_DAYS": "2",
            "TELEGRAM_LEADER_LEASE_SECONDS": "3.5",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert (tuned.claim_timeout_seconds, tuned.retention_days) == (5.0, 2.0)
    assert tuned.leader_lease_seconds == 3.5
    assert tuned.redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    "name, value",
    [
        ("TELEGRAM_RETENTION_DAYS", "0.5"),  # Telegram keeps updates 24 hours
        ("TELEGRAM_CLAIM_TIMEOUT_SECONDS", "abc"),
        ("TELEGRAM_LEADER_LEASE_SECONDS", "0"),
    ],
)
def test_unusable_tuning_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(TelegramConfigError, match=name):
        TelegramConfig.from_credentials(WEBHOOK, {name: value})
