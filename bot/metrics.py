"""Prometheus metrics of every process: Rasa replicas and action servers.

Each process serves its metrics on its own port (`METRICS_PORT`, bound to `METRICS_HOST`,
default 127.0.0.1), never on the public port: the balancer and the ingress do not route there.
Unset `METRICS_PORT` (as under `make run`) means no exporter; the counters still count.

What is measured, and where (docs/DEPLOY.md, "Metrics"):

| metric | process | meaning |
|---|---|---|
| `kuendigungshilfe_turn_duration_seconds{channel}` | Rasa | a user message until the bot's answer is complete (lock wait included) |
| `kuendigungshilfe_turns_total{channel}` | Rasa | user messages handled |
| `kuendigungshilfe_errors_total{where}` | both | turns that raised (`turn`), action-server calls that failed (`action_call`), actions that raised (`action`) |
| `kuendigungshilfe_rate_limited_total{limit}` | both | messages (channels, Rasa) or letters (letter action) refused by a rate limit |
| `kuendigungshilfe_action_calls_total{action,outcome}` | Rasa | calls to the action server: `ok`, `retried` (ok on the second try), `unreachable`, `error` |
| `kuendigungshilfe_action_runs_total{action,outcome}` | actions | actions run: `ok` or `error` |
| `kuendigungshilfe_action_duration_seconds{action}` | actions | time to run one action |
| `kuendigungshilfe_letters_total` | actions | letters handed out by the letter action (a repeated confirmation hands out the same letter again) |

Several worker processes of one server (`SANIC_WORKERS`, `ACTION_SERVER_SANIC_WORKERS`) share
their numbers through files when `PROMETHEUS_MULTIPROC_DIR` names an empty, writable directory
(prometheus_client's multiprocess mode); the exporter, started before the workers fork, then
reports their sum.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any, Awaitable, Callable, Iterator, Optional, Text

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from cancellation.settings import MetricsEndpoint

logger = logging.getLogger(__name__)

PREFIX = "kuendigungshilfe"
# Turns take 30-100 ms on an idle machine and seconds under overload.
TURN_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ACTION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)

TURN_SECONDS = Histogram(
    f"{PREFIX}_turn_duration_seconds", "Time from a user message to the complete answer",
    ["channel"], buckets=TURN_BUCKETS,
)
TURNS = Counter(f"{PREFIX}_turns", "User messages handled", ["channel"])
ERRORS = Counter(f"{PREFIX}_errors", "Failures by where they happened", ["where"])
RATE_LIMITED = Counter(f"{PREFIX}_rate_limited", "Requests refused by a rate limit", ["limit"])
ACTION_CALLS = Counter(
    f"{PREFIX}_action_calls", "Calls from Rasa to the action server", ["action", "outcome"]
)
ACTION_RUNS = Counter(f"{PREFIX}_action_runs", "Actions run by the action server", ["action", "outcome"])
ACTION_SECONDS = Histogram(
    f"{PREFIX}_action_duration_seconds", "Time to run one action", ["action"], buckets=ACTION_BUCKETS,
)
LETTERS = Counter(f"{PREFIX}_letters", "Letters handed out by the letter action")


# -- what the processes report ----------------------------------------------------------------


@contextlib.contextmanager
def turn(channel: Optional[Text]) -> Iterator[None]:
    """Time and count one user message; an exception counts as an error and propagates."""
    label = channel or "unknown"
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        ERRORS.labels("turn").inc()
        raise
    finally:
        TURN_SECONDS.labels(label).observe(time.perf_counter() - started)
        TURNS.labels(label).inc()


def action_call(action: Text, outcome: Text) -> None:
    ACTION_CALLS.labels(action, outcome).inc()
    if outcome in ("unreachable", "error"):
        ERRORS.labels("action_call").inc()


def rate_limited(limit: Text) -> None:
    """The hook for rate limiters: one request refused by `limit`."""
    RATE_LIMITED.labels(limit).inc()


def letter_handed_out() -> None:
    LETTERS.inc()


# -- Rasa: one turn -----------------------------------------------------------------------------


def timed_handle_message(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Agent.handle_message, timed and counted (a patch in bot/rasa_patches.py)."""

    async def handle_message(self: Any, message: Any) -> Any:
        with turn(getattr(message, "input_channel", None)):
            return await original(self, message)

    return handle_message


# -- action server --------------------------------------------------------------------------------


def instrument_action_server(app: Any) -> Any:
    """Time and count every action the Sanic app of rasa_sdk runs (POST /webhook)."""

    async def started(request: Any) -> None:
        request.ctx.metrics_started = time.perf_counter()

    async def finished(request: Any, response: Any) -> None:
        started_at = getattr(request.ctx, "metrics_started", None)
        if started_at is None or request.path.rstrip("/") != "/webhook" or request.method != "POST":
            return
        action = _action_name(request)
        outcome = "ok" if response is not None and response.status < 400 else "error"
        ACTION_RUNS.labels(action, outcome).inc()
        ACTION_SECONDS.labels(action).observe(time.perf_counter() - started_at)
        if outcome == "error":
            ERRORS.labels("action").inc()

    app.register_middleware(started, "request")
    app.register_middleware(finished, "response")
    return app


def _action_name(request: Any) -> Text:
    try:
        name = (request.json or {}).get("next_action")
    except Exception:  # a body that is not JSON: the action server refuses it anyway
        name = None
    return name if isinstance(name, str) and name.startswith(("action_", "validate_")) else "other"


# -- the exporter ---------------------------------------------------------------------------------


def registry() -> CollectorRegistry:
    """Where the numbers are read from: this process, or every worker in multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    combined = CollectorRegistry()
    MultiProcessCollector(combined)
    return combined


_exporter: Optional[MetricsEndpoint] = None


def start_exporter(endpoint: Optional[MetricsEndpoint]) -> Optional[MetricsEndpoint]:
    """Serve /metrics on the endpoint (once per process); None: nothing to start."""
    global _exporter
    if endpoint is None or _exporter is not None:
        return _exporter
    try:
        start_http_server(endpoint.port, addr=endpoint.host, registry=registry())
    except OSError as error:
        raise SystemExit(
            f"Metriken: Port {endpoint.host}:{endpoint.port} ist nicht frei ({error.strerror}); "
            "METRICS_PORT ändern oder leer lassen."
        ) from None
    _exporter = endpoint
    logger.info("Prometheus metrics on http://%s:%s/metrics", endpoint.host, endpoint.port)
    return endpoint
