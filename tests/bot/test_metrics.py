"""Prometheus metrics: what a turn, an action call and an action run add, and the exporter."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
from prometheus_client import REGISTRY
from rasa.core.actions.action import RemoteAction
from rasa.shared.exceptions import RasaException
from rasa_sdk.endpoint import create_app
from sanic import Sanic

from bot import metrics, rasa_patches
from cancellation.settings import MetricsEndpoint, SettingsError
from tests.bot.channels.web_support import running
from tests.support.stack import free_port


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class _Message:
    input_channel = "rest"


class _Agent:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    async def handle_message(self, message):
        if self.fail:
            raise RuntimeError("boom")
        return [{"text": "ok"}]


def test_a_turn_is_timed_and_counted_and_a_failing_turn_is_an_error():
    handle = metrics.timed_handle_message(_Agent.handle_message)
    turns = value("kuendigungshilfe_turns_total", channel="rest")
    timed = value("kuendigungshilfe_turn_duration_seconds_count", channel="rest")
    errors = value("kuendigungshilfe_errors_total", where="turn")

    assert asyncio.run(handle(_Agent(), _Message())) == [{"text": "ok"}]
    with pytest.raises(RuntimeError):
        asyncio.run(handle(_Agent(fail=True), _Message()))

    assert value("kuendigungshilfe_turns_total", channel="rest") == turns + 2
    assert value("kuendigungshilfe_turn_duration_seconds_count", channel="rest") == timed + 2
    assert value("kuendigungshilfe_errors_total", where="turn") == errors + 1


class _Action:
    """What `_retrying_run` needs of a RemoteAction: a name."""

    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class _Channel:
    def __init__(self) -> None:
        self.sent = []

    def name(self) -> str:
        return "rest"

    async def send_response(self, recipient, message) -> None:
        self.sent.append(message)


class _Nlg:
    async def generate(self, *args, **kwargs):
        return {"text": "Technisches Problem"}


class _Tracker:
    sender_id = "rest:x"

    def get_slot(self, name):
        return None


def _original(failures: int, error: Exception):
    calls = []

    async def run(self, output_channel, nlg, tracker, domain):
        calls.append(1)
        if len(calls) <= failures:
            raise error
        return []

    return run


def _unreachable() -> RasaException:
    error = RasaException("Failed to execute custom action")
    error.__cause__ = ConnectionResetError("Cannot write to closing transport")
    return error


@pytest.mark.parametrize(
    ("failures", "error", "outcome", "errors_added"),
    [
        (0, None, "ok", 0),
        (1, "unreachable", "retried", 0),
        (2, "unreachable", "unreachable", 1),
        (1, "rejected", "error", 1),
    ],
)
def test_action_server_calls_are_counted_by_outcome(failures, error, outcome, errors_added):
    name = f"action_metrics_{outcome}"
    failure = _unreachable() if error == "unreachable" else RasaException("Bad response")
    run = rasa_patches._retrying_run(_original(failures, failure))
    errors = value("kuendigungshilfe_errors_total", where="action_call")

    try:
        asyncio.run(run(_Action(name), _Channel(), _Nlg(), _Tracker(), None))
    except RasaException:
        assert outcome == "error"

    assert value("kuendigungshilfe_action_calls_total", action=name, outcome=outcome) == 1
    assert value("kuendigungshilfe_errors_total", where="action_call") == errors + errors_added


def test_the_patches_registry_times_every_turn():
    assert "turn_metrics" in rasa_patches.install()
    assert getattr(RemoteAction.run, rasa_patches.MARK) == "remote_action_retry"


def test_the_action_server_counts_and_times_each_action():
    Sanic.test_mode = True
    app = metrics.instrument_action_server(create_app("tests.support.metrics_actions", cors_origins=""))
    runs = value("kuendigungshilfe_action_runs_total", action="action_metrics_probe", outcome="ok")
    timed = value("kuendigungshilfe_action_duration_seconds_count", action="action_metrics_probe")
    body = {
        "next_action": "action_metrics_probe",
        "sender_id": "rest:x",
        "tracker": {"sender_id": "rest:x", "slots": {}, "latest_message": {}, "events": [],
                    "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": None},
        "domain": {},
        "version": "3.6.21",
    }
    with running(app) as port:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhook", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

    assert value("kuendigungshilfe_action_runs_total", action="action_metrics_probe", outcome="ok") == runs + 1
    assert value("kuendigungshilfe_action_duration_seconds_count", action="action_metrics_probe") == timed + 1


def test_the_exporter_serves_the_counters_on_its_own_port():
    port = free_port()
    endpoint = MetricsEndpoint.from_env({"METRICS_PORT": str(port)})
    assert endpoint == MetricsEndpoint(host="127.0.0.1", port=port)
    metrics.rate_limited("messages_per_minute")
    started = metrics.start_exporter(endpoint)
    with urllib.request.urlopen(f"http://{started.host}:{started.port}/metrics", timeout=10) as response:
        text = response.read().decode()
    assert 'kuendigungshilfe_rate_limited_total{limit="messages_per_minute"}' in text
    assert "kuendigungshilfe_turn_duration_seconds_bucket" in text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"METRICS_PORT": " "}, None),
        ({"METRICS_PORT": "9101", "METRICS_HOST": "0.0.0.0"}, MetricsEndpoint("0.0.0.0", 9101)),
    ],
)
def test_metrics_endpoint_from_the_environment(environ, expected):
    assert MetricsEndpoint.from_env(environ) == expected


@pytest.mark.parametrize("raw", ["http", "0", "70000"])
def test_a_bad_metrics_port_is_named(raw):
    with pytest.raises(SettingsError, match="METRICS_PORT"):
        MetricsEndpoint.from_env({"METRICS_PORT": raw})
