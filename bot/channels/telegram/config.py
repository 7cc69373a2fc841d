"""Telegram channel settings, read from the `telegram` block of credentials.yml.

Rasa substitutes `${VAR}` in credentials.yml but fails on unset variables, so the Makefile exports
every TELEGRAM_* variable (empty by default) and an empty value here means "not configured".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

DEFAULT_API_BASE_URL = "https://api.telegram.org"
WEBHOOK = "webhook"
POLLING = "polling"
MODES = (WEBHOOK, POLLING)

# Telegram's own rules: the token is "<bot id>:<secret>", the webhook secret 1-256 of [A-Za-z0-9_-].
_TOKEN_PATTERN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class TelegramConfigError(ValueError):
    """The Telegram credentials cannot work; the message tells the operator what to change."""


@dataclass(frozen=True)
class TelegramConfig:
    access_token: str
    bot_name: str
    mode: str
    webhook_url: str
    secret_token: str
    api_base_url: str = DEFAULT_API_BASE_URL
    polling_timeout_seconds: int = 25

    @property
    def enabled(self) -> bool:
        return bool(self.access_token)

    @property
    def bot_id(self) -> str:
        """The public numeric part of the token: identifies the bot in the database without
        storing the secret part."""
        match = _TOKEN_PATTERN.match(self.access_token)
        return match.group(1) if match else ""

    @classmethod
    def disabled(cls) -> "TelegramConfig":
        return cls(access_token="", bot_name="", mode=WEBHOOK, webhook_url="", secret_token="")

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> "TelegramConfig":
        values = {key: _text(value) for key, value in (credentials or {}).items()}
        token = values.get("access_token", "")
        if not token:
            return cls.disabled()
        if not _TOKEN_PATTERN.match(token):
            raise TelegramConfigError(
                "TELEGRAM_TOKEN hat nicht das Format des BotFather-Tokens "
                "(<Zahl>:<Zeichenfolge>, z. B. 123456789:AAE...)."
            )
        webhook_url = values.get("webhook_url", "")
        mode = values.get("mode", "").lower() or (WEBHOOK if webhook_url else POLLING)
        if mode not in MODES:
            raise TelegramConfigError(
                f"TELEGRAM_MODE muss 'webhook' oder 'polling' sein, nicht {mode!r}."
            )
        secret = values.get("secret_token", "")
        if mode == WEBHOOK:
            _check_webhook(webhook_url, secret)
        return cls(
            access_token=token,
            bot_name=values.get("verify", "").lstrip("@"),
            mode=mode,
            webhook_url=webhook_url,
            secret_token=secret,
            api_base_url=_api_base_url(values.get("api_base_url", "")),
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_webhook(webhook_url: str, secret: str) -> None:
    parts = urlsplit(webhook_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise TelegramConfigError(
            "Im Webhook-Modus braucht TELEGRAM_WEBHOOK_URL die öffentliche HTTPS-Adresse, z. B. "
            "https://bot.example.org/webhooks/telegram/webhook (ohne öffentliche Adresse: "
            "TELEGRAM_MODE=polling)."
        )
    # Without a secret anyone who learns the URL could inject updates in a user's name.
    if not _SECRET_PATTERN.match(secret):
        raise TelegramConfigError(
            "Im Webhook-Modus ist TELEGRAM_SECRET_TOKEN Pflicht: 1 bis 256 Zeichen aus "
            "A-Z, a-z, 0-9, _ und - (z. B. erzeugt mit: python -c "
            "\"import secrets; print(secrets.token_urlsafe(32))\")."
        )


def _api_base_url(raw: str) -> str:
    if not raw:
        return DEFAULT_API_BASE_URL
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise TelegramConfigError(
            f"TELEGRAM_API_BASE_URL muss eine http- oder https-Adresse sein, nicht {raw!r}."
        )
    return raw.rstrip("/")
