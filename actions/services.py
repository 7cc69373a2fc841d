"""Process-wide handles to stateless services, created on first use (never at import time).

The attempt log holds an engine (a connection pool); the directory is read-only data. Neither
holds conversation state, so any number of action server replicas can run side by side.
"""

from __future__ import annotations

import functools

from cancellation.log import AttemptLog
from cancellation.log.migrate import upgrade
from cancellation.providers import Directory, load_directory
from cancellation.ratelimit import RateLimiter, counters_for
from cancellation.settings import RateLimits, Settings


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@functools.lru_cache(maxsize=1)
def attempt_log() -> AttemptLog:
    upgrade(settings().database_url)
    return AttemptLog.from_settings(settings())


@functools.lru_cache(maxsize=1)
def directory() -> Directory:
    return load_directory()


@functools.lru_cache(maxsize=1)
def rate_limits() -> RateLimits:
    return RateLimits.from_env()


@functools.lru_cache(maxsize=1)
def rate_limiter() -> RateLimiter:
    """Counters for the letters-per-day limits: Redis when REDIS_URL is set (shared by every
    action server), this process otherwise."""
    return RateLimiter(counters_for(rate_limits().redis_url))


@functools.lru_cache(maxsize=1)
def dispatch_settings():
    """LetterXpress settings, or None while dispatch is off."""
    from cancellation.settings import DispatchSettings

    return DispatchSettings.from_env()


@functools.lru_cache(maxsize=1)
def smtp_settings():
    """SMTP settings, or None while e-mail is off."""
    from cancellation.settings import SmtpSettings

    return SmtpSettings.from_env()


@functools.lru_cache(maxsize=1)
def dispatch_worker():
    """A worker for immediate submissions from a conversation (the Rasa process runs the
    background worker that retries and follows the jobs)."""
    from cancellation.dispatch.worker import build_worker

    configured = dispatch_settings()
    return None if configured is None else build_worker(attempt_log(), configured)
