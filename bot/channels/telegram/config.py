"""Telegram channel settings, read from the `telegram` block of credentials.yml and, for the
tuning knobs that have defaults, from the environment.

Rasa substitutes `${VAR}` in credentials.yml but fails on unset variables, so the Makefile exports
every TELEGRAM_* variable of credentials.yml (empty by default) and an empty value here means
"not configured". The optional knobs (see TUNING) are read from the environment directly, so an
operator who does not know them never has to set them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

DEFAULT_API_BASE_URL = "https://api.telegram.org"
WEBHOOK = "webhook"
POLLING = "polling"
MODES = (WEBHOOK, POLLING)

# Telegram's rules: the token is "<bot id>:<secret>", the webhook secret 1-256 of [A-Za-z0-9_-];
# ours: at least 16 characters, so it cannot be guessed by trying.
_TOKEN_PATTERN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
MIN_SECRET_LENGTH = 16
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{%d,256}$" % MIN_SECRET_LENGTH)

# Environment variable -> (default, smallest, largest allowed value).
TUNING = {
    # A claimed update whose process died is taken over after this long.
    "TELEGRAM_CLAIM_TIMEOUT_SECONDS": (20.0, 1.0, 600.0),
    # Processed update ids are forgotten after this many days (Telegram keeps updates 24 hours).
    "TELEGRAM_RETENTION_DAYS": (7.0, 1.0, 365.0),
    # The poller's lease: another replica takes over polling at most this long after it died.
    "TELEGRAM_LEADER_LEASE_SECONDS": (10.0, 1.0, 300.0),
}


class TelegramConfigError(ValueError):
    """The Telegram credentials cannot work; the message tells the operator what to change."""


@dataclass(frozen=True)
class TelegramConfig:
    # Secrets stay out of repr(), so no log line or traceback can show them.
    access_token: str = field(repr=False)
    bot_name: str
    mode: str
    webhook_url: str
    secret_token: str = field(repr=False)
    api_base_url: str = DEFAULT_API_BASE_URL
    polling_timeout_seconds: int = 25
    claim_timeout_seconds: float = TUNING["TELEGRAM_CLAIM_TIMEOUT_SECONDS"][0]
    retention_days: float = TUNING["TELEGRAM_RETENTION_DAYS"][0]
    leader_lease_seconds: float = TUNING["TELEGRAM_LEADER_LEASE_SECONDS"][0]
    # The poller's lease lives in Redis when this is set, else in the database.
    redis_url: str | None = field(default=None, repr=False)

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
    def from_credentials(
        cls, credentials: Mapping[str, Any] | None, environ: Mapping[str, str] = os.environ
    ) -> "TelegramConfig":
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
            claim_timeout_seconds=_tuning(environ, "TELEGRAM_CLAIM_TIMEOUT_SECONDS"),
            retention_days=_tuning(environ, "TELEGRAM_RETENTION_DAYS"),
            leader_lease_seconds=_tuning(environ, "TELEGRAM_LEADER_LEASE_SECONDS"),
            redis_url=_redis_url(environ) if mode == POLLING else None,
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
            f"Im Webhook-Modus ist TELEGRAM_SECRET_TOKEN Pflicht: {MIN_SECRET_LENGTH} bis 256 "
            "Zeichen aus A-Z, a-z, 0-9, _ und - (z. B. erzeugt mit: python -c "
            "\"import secrets; print(secrets.token_urlsafe(32))\")."
        )


def _tuning(environ: Mapping[str, str], name: str) -> float:
    default, smallest, largest = TUNING[name]
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not smallest <= value <= largest:
        raise TelegramConfigError(
            f"{name} muss eine Zahl von {smallest:g} bis {largest:g} sein, nicht {raw!r}."
        )
    return value


def _redis_url(environ: Mapping[str, str]) -> str | None:
    from cancellation.settings import Settings

    return Settings.from_env(environ).redis_url


def _api_base_url(raw: str) -> str:
    if not raw:
        return DEFAULT_API_BASE_URL
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise TelegramConfigError(
            f"TELEGRAM_API_BASE_URL muss eine http- oder https-Adresse sein, nicht {raw!r}."
        )
    return raw.rstrip("/")
