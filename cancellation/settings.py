"""All configuration from environment variables, read in one place.

Nothing is read at import time: callers build a `Settings` with `Settings.from_env()` when they
start, so tests can pass their own environment.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
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
            log_signing_key=_signing_key(_get(environ, "LOG_SIGNING_KEY"), "LOG_SIGNING_KEY"),
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


def _signing_key(raw: str | None, name: str) -> bytes | None:
    if raw is None:
        return None
    if len(raw) < MIN_SIGNING_KEY_LENGTH:
        raise SettingsError(
            f"{name} muss mindestens {MIN_SIGNING_KEY_LENGTH} Zeichen lang sein "
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


# -- follow-through: dispatch by LetterXpress, e-mail (docs/DISPATCH.md) -------------------------

DEFAULT_LETTERXPRESS_BASE_URL = "https://api.letterxpress.de/v3"
DEFAULT_DISPATCH_INTERVAL_SECONDS = 30.0
LETTERXPRESS_MODES = ("test", "live")


@dataclass(frozen=True)
class DispatchSettings:
    """LETTERXPRESS_USER and LETTERXPRESS_API_KEY switch dispatch on; LETTERXPRESS_MODE is
    "test" (default: nothing is printed) or "live"; LETTERXPRESS_PRICE_TEXT is the cost the
    operator charges or bears, shown in the offer; DISPATCH_INTERVAL_SECONDS how often the
    worker looks for due jobs."""

    username: str
    api_key: str = field(repr=False)
    mode: str = "test"
    base_url: str = DEFAULT_LETTERXPRESS_BASE_URL
    price_text: str | None = None
    interval_seconds: float = DEFAULT_DISPATCH_INTERVAL_SECONDS
    # First wait after the service was unreachable (doubles up to an hour), and how often a
    # submitted letter is asked for its tracking number.
    retry_seconds: float = 30.0
    poll_seconds: float = 1800.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "DispatchSettings | None":
        username = _get(environ, "LETTERXPRESS_USER")
        api_key = _get(environ, "LETTERXPRESS_API_KEY")
        if username is None and api_key is None:
            return None
        if username is None or api_key is None:
            raise SettingsError(
                "LETTERXPRESS_USER und LETTERXPRESS_API_KEY müssen beide gesetzt sein "
                "(oder beide leer: dann ist der Versand aus)."
            )
        mode = (_get(environ, "LETTERXPRESS_MODE") or "test").lower()
        if mode not in LETTERXPRESS_MODES:
            raise SettingsError(f"LETTERXPRESS_MODE muss test oder live sein, nicht {mode!r}.")
        interval = _seconds(environ, "DISPATCH_INTERVAL_SECONDS", DEFAULT_DISPATCH_INTERVAL_SECONDS)
        retry = _seconds(environ, "DISPATCH_RETRY_SECONDS", 30.0)
        poll = _seconds(environ, "DISPATCH_POLL_SECONDS", 1800.0)
        return cls(
            username=username,
            api_key=api_key,
            mode=mode,
            base_url=_http_url("LETTERXPRESS_BASE_URL",
                               _get(environ, "LETTERXPRESS_BASE_URL") or DEFAULT_LETTERXPRESS_BASE_URL),
            price_text=_get(environ, "LETTERXPRESS_PRICE_TEXT"),
            interval_seconds=interval,
            retry_seconds=retry,
            poll_seconds=poll,
        )


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = _get(environ, name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = 0
    if not 0.1 <= value <= 86400:
        raise SettingsError(f"{name} muss zwischen 0.1 und 86400 Sekunden liegen, nicht {raw!r}.")
    return value


@dataclass(frozen=True)
class SmtpSettings:
    """SMTP_URL: smtp://[user:password@]host[:587] (STARTTLS, required) or
    smtps://[user:password@]host[:465] (TLS from the start); SMTP_FROM: the sender address;
    SMTP_CA_FILE: a CA bundle for a server with a private certificate."""

    host: str
    port: int
    implicit_tls: bool
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "SmtpSettings | None":
        raw = _get(environ, "SMTP_URL")
        if raw is None:
            return None
        parts = urlsplit(raw)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SettingsError(
                f"SMTP_URL muss mit smtp:// (STARTTLS) oder smtps:// beginnen, nicht {parts.scheme!r} "
                "(Beispiel: smtp://benutzer:passwort@mail.example.org:587)."
            )
        sender = _get(environ, "SMTP_FROM")
        if sender is None or "@" not in sender:
            raise SettingsError("SMTP_FROM muss die Absenderadresse sein, z. B. hilfe@example.org.")
        from urllib.parse import unquote

        implicit = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if implicit else 587)
        except ValueError:
            raise SettingsError("SMTP_URL enthält keine gültige Portnummer.") from None
        return cls(
            host=parts.hostname,
            port=port,
            implicit_tls=implicit,
            sender=sender,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            ca_file=_get(environ, "SMTP_CA_FILE"),
        )

# -- channels: REST access, web origins, client addresses (bot/channels/) ------------------------

# REST_TOKEN: a bearer token that cannot be guessed (e.g. `openssl rand -hex 32`).
MIN_REST_TOKEN_LENGTH = 32


@dataclass(frozen=True)
class ChannelAccess:
    """Who may talk to the channels.

    REST_TOKEN: unset (as under `make run`): the REST channel is open (bind to 127.0.0.1 then);
    set: every REST request needs `Authorization: Bearer <REST_TOKEN>`.
    ALLOWED_ORIGINS: comma-separated origins (`https://chat.example.org`) whose pages may open a
    web chat socket; default: the origin of PUBLIC_BASE_URL.
    TRUSTED_PROXIES: comma-separated addresses or networks (`10.0.0.0/8`) of reverse proxies whose
    X-Forwarded-For header names the client; default: none (the peer address is the client).
    WEB_SESSION_SECRET: key (≥ 32 characters) for signing web chat session ids, the same for every
    Rasa replica; default: derived from ACTION_SERVER_TOKEN, which every replica already shares.
    """

    rest_token: str | None = field(default=None, repr=False)
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple["ipaddress.IPv4Network | ipaddress.IPv6Network", ...] = ()
    # HMAC key the web chat signs its session ids with (bot/channels/socketio.py); None: the
    # channel makes a key of its own, valid until it restarts.
    web_session_key: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "ChannelAccess":
        public = _http_url(
            "PUBLIC_BASE_URL", _get(environ, "PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL
        )
        origins_raw = _get(environ, "ALLOWED_ORIGINS")
        origins = (
            tuple(_origin("ALLOWED_ORIGINS", part) for part in _list(origins_raw))
            if origins_raw
            else _loopback_aliases(_origin("PUBLIC_BASE_URL", public, with_path=True))
        )
        return cls(
            rest_token=_rest_token(_get(environ, "REST_TOKEN")),
            allowed_origins=origins,
            trusted_proxies=tuple(_network(part) for part in _list(_get(environ, "TRUSTED_PROXIES"))),
            web_session_key=_web_session_key(environ),
        )


# Derives the web chat's session key from ACTION_SERVER_TOKEN: a different key for a different
# use, so a session id tells nothing about the token.
_WEB_SESSION_KEY_LABEL = b"kuendigungshilfe web chat session ids v1"


def _web_session_key(environ: Mapping[str, str]) -> bytes | None:
    secret = _signing_key(_get(environ, "WEB_SESSION_SECRET"), "WEB_SESSION_SECRET")
    if secret is not None:
        return secret
    token = _get(environ, "ACTION_SERVER_TOKEN")
    if token is None:
        return None
    return hmac.new(token.encode("utf-8"), _WEB_SESSION_KEY_LABEL, hashlib.sha256).digest()


def _list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _origin(name: str, raw: str, *, with_path: bool = False) -> str:
    """scheme://host[:port] of a URL, lower-case, as browsers send it in the Origin header."""
    parts = urlsplit(raw.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.netloc
        or (parts.path not in {"", "/"} and not with_path)
    ):
        raise SettingsError(
            f"{name}: {raw!r} ist kein Origin (Beispiel: https://chat.example.org)."
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


_LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def _loopback_aliases(origin: str) -> tuple[str, ...]:
    """A local PUBLIC_BASE_URL (`make run`) also allows its other loopback spelling, so the chat
    works whether the developer opens 127.0.0.1 or localhost."""
    parts = urlsplit(origin)
    if parts.hostname not in _LOOPBACK_HOSTS:
        return (origin,)
    port = f":{parts.port}" if parts.port else ""
    return tuple(f"{parts.scheme}://{host}{port}" for host in _LOOPBACK_HOSTS)


def _rest_token(raw: str | None) -> str | None:
    if raw is None:
        return None
    if len(raw) < MIN_REST_TOKEN_LENGTH:
        raise SettingsError(
            f"REST_TOKEN muss mindestens {MIN_REST_TOKEN_LENGTH} Zeichen lang sein "
            "(Beispiel: die Ausgabe von `openssl rand -hex 32`)."
        )
    return raw


def _network(raw: str) -> "ipaddress.IPv4Network | ipaddress.IPv6Network":
    try:
        return ipaddress.ip_network(raw, strict=False)
    except ValueError:
        raise SettingsError(
            f"TRUSTED_PROXIES: {raw!r} ist keine IP-Adresse und kein Netz "
            "(Beispiel: 10.0.0.0/8,127.0.0.1)."
        ) from None


# -- rate limits (cancellation/ratelimit.py) -------------------------------------------------------

DEFAULT_MESSAGES_PER_MINUTE = 30
DEFAULT_IP_MESSAGES_PER_MINUTE = 120
DEFAULT_LETTERS_PER_DAY = 20


@dataclass(frozen=True)
class RateLimits:
    """RATE_LIMIT_MESSAGES_PER_MINUTE (per conversation), RATE_LIMIT_IP_MESSAGES_PER_MINUTE (per
    client address), RATE_LIMIT_LETTERS_PER_DAY (per conversation and per client address); 0 turns
    a limit off. Counted in Redis when REDIS_URL is set (shared by all replicas), else in the
    process."""

    messages_per_minute: int = DEFAULT_MESSAGES_PER_MINUTE
    ip_messages_per_minute: int = DEFAULT_IP_MESSAGES_PER_MINUTE
    letters_per_day: int = DEFAULT_LETTERS_PER_DAY
    redis_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "RateLimits":
        return cls(
            messages_per_minute=_count(environ, "RATE_LIMIT_MESSAGES_PER_MINUTE", DEFAULT_MESSAGES_PER_MINUTE),
            ip_messages_per_minute=_count(
                environ, "RATE_LIMIT_IP_MESSAGES_PER_MINUTE", DEFAULT_IP_MESSAGES_PER_MINUTE
            ),
            letters_per_day=_count(environ, "RATE_LIMIT_LETTERS_PER_DAY", DEFAULT_LETTERS_PER_DAY),
            redis_url=_redis_url(_get(environ, "REDIS_URL")),
        )


def _count(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = _get(environ, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= 1_000_000:
        raise SettingsError(f"{name} muss eine ganze Zahl ab 0 sein (0: keine Grenze), nicht {raw!r}.")
    return value


# -- action server (bot/action_server.py) ---------------------------------------------------------

DEFAULT_ACTION_HOST = "127.0.0.1"
DEFAULT_ACTION_PORT = 5055
# ACTION_SERVER_TOKEN: `make run` generates one (secrets.token_urlsafe(32), 43 characters).
MIN_ACTION_SERVER_TOKEN_LENGTH = 32


@dataclass(frozen=True)
class ActionServerEndpoint:
    """Where the action server listens and the secret Rasa must send with every call.

    ACTION_HOST (default 127.0.0.1: only this machine; set an address of a private network for
    separate hosts), ACTION_PORT (5055), ACTION_SERVER_TOKEN (required; Rasa sends it as
    `Authorization: Bearer …`, endpoints.yml)."""

    host: str
    port: int
    token: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "ActionServerEndpoint":
        raw_port = _get(environ, "ACTION_PORT")
        try:
            port = DEFAULT_ACTION_PORT if raw_port is None else int(raw_port)
        except ValueError:
            port = 0
        if not 1 <= port <= 65535:
            raise SettingsError(f"ACTION_PORT muss eine Portnummer (1-65535) sein, nicht {raw_port!r}.")
        token = _get(environ, "ACTION_SERVER_TOKEN")
        if token is None or len(token) < MIN_ACTION_SERVER_TOKEN_LENGTH or any(c.isspace() for c in token):
            raise SettingsError(
                "ACTION_SERVER_TOKEN muss gesetzt sein: mindestens "
                f"{MIN_ACTION_SERVER_TOKEN_LENGTH} Zeichen ohne Leerzeichen, dieselben für Rasa "
                "(endpoints.yml) und den Action-Server (Beispiel: die Ausgabe von "
                "`openssl rand -hex 32`; `make run` erzeugt ihn in var/local.env)."
            )
        return cls(host=_get(environ, "ACTION_HOST") or DEFAULT_ACTION_HOST, port=port, token=token)
