"""All configuration from environment variables, read in one place.

Nothing is read at import time: callers build a `Settings` with `Settings.from_env()` when they
start, so tests can pass their own environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError

# The project root is the directory that contains the `cancellation` package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "sqlite:///var/cancellation.db"
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:5005"
DEFAULT_LETTER_LINK_TTL_DAYS = 7
DEFAULT_ACTION_SERVER_URL = "http://127.0.0.1:5055/webhook"
MAX_LETTER_LINK_TTL_DAYS = 365
# LOG_SIGNING_KEY: long enough that it cannot be guessed (e.g. `openssl rand -hex 32`).
MIN_SIGNING_KEY_LENGTH = 32


class SettingsError(ValueError):
    """An environment variable has a value the application cannot use."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    public_base_url: str
    letter_link_ttl_days: int
    action_server_url: str
    # HMAC key for the evidence log's chain entries; never shown in a repr.
    log_signing_key: bytes | None = field(default=None, repr=False)

    @property
    def letter_link_ttl(self) -> timedelta:
        return timedelta(days=self.letter_link_ttl_days)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        return cls(
            database_url=database_url_from(_get(environ, "DATABASE_URL") or DEFAULT_DATABASE_URL),
            redis_url=_redis_url(_get(environ, "REDIS_URL")),
            public_base_url=_http_url(
                "PUBLIC_BASE_URL", _get(environ, "PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL
            ).rstrip("/"),
            letter_link_ttl_days=_ttl_days(_get(environ, "LETTER_LINK_TTL_DAYS")),
            action_server_url=_http_url(
                "ACTION_SERVER_URL", _get(environ, "ACTION_SERVER_URL") or DEFAULT_ACTION_SERVER_URL
            ),
            log_signing_key=_signing_key(_get(environ, "LOG_SIGNING_KEY")),
        )


def _get(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def database_url_from(raw: str, *, project_root: Path = PROJECT_ROOT) -> str:
    """Validate a SQLAlchemy URL; make a relative SQLite path absolute and create its directory."""
    # Hosting platforms still hand out "postgres://", which SQLAlchemy 1.4 no longer accepts.
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://"):]
    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError(
            f"DATABASE_URL ist keine gültige Datenbank-URL: {raw!r} "
            "(Beispiel: sqlite:///var/cancellation.db oder postgresql+psycopg2://user@host/db)"
        ) from None
    if url.get_backend_name() != "sqlite":
        return raw
    return _render(_absolute_sqlite_url(url, project_root))


def _absolute_sqlite_url(url: URL, project_root: Path) -> URL:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return url
    path = Path(database)
    if not path.is_absolute():
        path = project_root / path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"DATABASE_URL: Verzeichnis {path.parent} kann nicht angelegt werden "
            f"({error.strerror})."
        ) from None
    return url.set(database=str(path))


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _redis_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    if urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise SettingsError(
            f"REDIS_URL muss mit redis://, rediss:// oder unix:// beginnen, nicht {raw!r} "
            "(Beispiel: redis://127.0.0.1:6379/0)."
        )
    return raw


def _http_url(name: str, raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(
            f"{name} muss eine http- oder https-Adresse sein, nicht {raw!r} "
            "(Beispiel: http://127.0.0.1:5005)."
        )
    return raw


def _ttl_days(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LETTER_LINK_TTL_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_LETTER_LINK_TTL_DAYS:
        raise SettingsError(
            f"LETTER_LINK_TTL_DAYS muss eine ganze Zahl von 1 bis {MAX_LETTER_LINK_TTL_DAYS} "
            f"sein (Tage), nicht {raw!r}."
        )
    return days


def _signing_key(raw: str | None) -> bytes | None:
    if raw is None:
        return None
    if len(raw) < MIN_SIGNING_KEY_LENGTH:
        raise SettingsError(
            f"LOG_SIGNING_KEY muss mindestens {MIN_SIGNING_KEY_LENGTH} Zeichen lang sein "
            "(Beispiel: die Ausgabe von `openssl rand -hex 32`)."
        )
    return raw.encode("utf-8")


# -- metrics (bot/metrics.py) ---------------------------------------------------------------------

DEFAULT_METRICS_HOST = "127.0.0.1"


@dataclass(frozen=True)
class MetricsEndpoint:
    """Where a process serves its Prometheus metrics: METRICS_HOST (default 127.0.0.1) and
    METRICS_PORT (unset: no exporter). Never the public port: the balancer does not route there."""

    host: str
    port: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "MetricsEndpoint | None":
        raw = _get(environ, "METRICS_PORT")
        if raw is None:
            return None
        try:
            port = int(raw)
        except ValueError:
            port = 0
        if not 1 <= port <= 65535:
            raise SettingsError(f"METRICS_PORT muss eine Portnummer (1-65535) sein, nicht {raw!r}.")
        return cls(host=_get(environ, "METRICS_HOST") or DEFAULT_METRICS_HOST, port=port)
