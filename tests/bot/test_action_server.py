"""The action server (bot/action_server.py): nothing runs without the shared token, the health
check stays open, and a failing action's answer and log line carry no tracker data."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Optional, Tuple

import pytest
from sanic import Sanic

from bot.action_server import create_app
from cancellation.settings import ActionServerEndpoint, SettingsError
from tests.bot.channels.web_support import running
from tests.support import guarded_actions

TOKEN = "t" * 20 + "-secret-for-the-tests-0123456789"
NAME = "Zoë Geheimfrau"


def call(port: int, action: str, token: Optional[str], path: str = "/webhook") -> Tuple[int, bytes]:
    body = {
        "next_action": action,
        "sender_id": "rest:victim",
        "tracker": {"sender_id": "rest:victim", "slots": {"name": NAME}, "latest_message": {},
                    "events": [], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": None},
        "domain": {},
        "version": "3.6.21",
    }
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def port():
    Sanic.test_mode = True
    with running(create_app(TOKEN, "tests.support.guarded_actions")) as port:
        yield port


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper()])
def test_a_call_without_the_right_token_is_refused_and_runs_nothing(port, token):
    guarded_actions.RUNS.clear()
    status, body = call(port, "action_record_run", token)
    assert status == 401
    assert json.loads(body) == {"error": "unauthorized"}
    assert guarded_actions.RUNS == []


@pytest.mark.parametrize("path", [f"/webhook?token={TOKEN}", f"/webhook?token=Bearer%20{TOKEN}"])
def test_the_token_in_the_url_is_not_accepted(port, path):
    guarded_actions.RUNS.clear()
    status, _ = call(port, "action_record_run", None, path=path)
    assert status == 401 and guarded_actions.RUNS == []


def test_another_authorization_scheme_is_refused(port):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/actions", headers={"Authorization": f"Basic {TOKEN}"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401


def test_the_action_list_needs_the_token_too(port):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/actions", timeout=10)
    assert refused.value.code == 401


def test_with_the_token_the_action_runs(port):
    guarded_actions.RUNS.clear()
    status, body = call(port, "action_record_run", TOKEN)
    assert status == 200
    assert json.loads(body)["events"] == []
    assert guarded_actions.RUNS == ["rest:victim"]


def test_the_health_check_needs_no_token(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok"}


def test_a_failing_action_answers_without_tracker_data_and_logs_none(port, caplog):
    with caplog.at_level(logging.DEBUG):
        status, body = call(port, "action_fail_with_slot", TOKEN)
    assert status == 500
    assert json.loads(body) == {"error": "internal error"}
    assert "ValueError" in caplog.text and "action_fail_with_slot" in caplog.text
    assert "Geheimfrau" not in caplog.text and "victim" not in caplog.text


def test_a_body_that_is_not_json_gets_a_generic_error(port):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhook", data=b'{"tracker": {"slots": {"name": "Zo',
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    assert b"Zo" not in refused.value.read()


def test_endpoint_settings_default_to_loopback():
    endpoint = ActionServerEndpoint.from_env({"ACTION_SERVER_TOKEN": TOKEN})
    assert (endpoint.host, endpoint.port, endpoint.token) == ("127.0.0.1", 5055, TOKEN)
    assert TOKEN not in repr(endpoint)
    other = ActionServerEndpoint.from_env(
        {"ACTION_SERVER_TOKEN": TOKEN, "ACTION_HOST": "10.0.0.5", "ACTION_PORT": "6055"}
    )
    assert (other.host, other.port) == ("10.0.0.5", 6055)


@pytest.mark.parametrize(
    "environ",
    [{}, {"ACTION_SERVER_TOKEN": ""}, {"ACTION_SERVER_TOKEN": "short"},
     {"ACTION_SERVER_TOKEN": "a b" * 20}, {"ACTION_SERVER_TOKEN": TOKEN, "ACTION_PORT": "x"}],
)
def test_a_missing_or_weak_token_or_a_bad_port_is_named(environ):
    with pytest.raises(SettingsError, match="ACTION_"):
        ActionServerEndpoint.from_env(environ)


def test_rasa_sends_the_token_as_a_bearer_header(monkeypatch):
    from rasa.core.utils import read_endpoints_from_path

    from tests.support.stack import ROOT

    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    action = read_endpoints_from_path(ROOT / "endpoints.yml").action
    assert action.headers == {"Authorization": f"Bearer {TOKEN}"}
    assert not action.token and TOKEN not in action.url
