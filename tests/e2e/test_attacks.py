"""An outside attacker's review (docs/SECURITY_REVIEW.md) as tests against the stack `make run`
starts (SQLite, no REST_TOKEN): only what a client can send. test_security.py covers the
production setup (PostgreSQL, Redis, REST_TOKEN)."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
from typing import Any, Mapping, Optional

import pytest
import socketio
from sqlalchemy import create_engine, text

from tests.support.stack import Stack


def request(
    stack: Stack,
    method: str,
    path: str,
    body: Optional[bytes] = None,
    headers: Mapping[str, str] = {},
    port: Optional[int] = None,
) -> "tuple[int, bytes]":
    connection = http.client.HTTPConnection("127.0.0.1", port or stack.rasa_port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json", **headers})
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def post(stack: Stack, body: Any) -> "tuple[int, Any]":
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, payload = request(stack, "POST", "/webhooks/rest/webhook", raw)
    return status, json.loads(payload)


def senders(stack: Stack) -> set:
    engine = create_engine(stack.database_url, future=True)
    try:
        with engine.connect() as connection:
            return {row[0] for row in connection.execute(text("SELECT DISTINCT sender_id FROM events"))}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "sender, conversation",
    [
        ("tg:4711", "rest:tg:4711"),
        ("web:0123456789abcdef0123456789abcdef", "rest:web:0123456789abcdef0123456789abcdef"),
        ("rest:rest:x", "rest:rest:rest:x"),
        ("r\u0435st:x", "rest:r\u0435st:x"),  # a Cyrillic "е"
        (4711, "rest:4711"),
    ],
)
def test_a_forged_sender_id_stays_in_the_rest_namespace(
    stack: Stack, sender: Any, conversation: str
) -> None:
    status, replies = post(stack, {"sender": sender, "message": "hallo", "input_channel": "telegram"})
    assert status == 200 and replies[0]["recipient_id"] == conversation
    assert conversation in senders(stack)


@pytest.mark.parametrize(
    "sender", ["", "   ", None, 1.5, ["a"], {"a": 1}, True, "a\x00b", "a\ud800", "a\u202eb", "x" * 201, 10**300]
)
def test_an_unusable_sender_id_is_a_german_400(stack: Stack, sender: Any) -> None:
    status, error = post(stack, {"sender": sender, "message": "hallo"})
    assert status == 400 and error["error"] == "sender_missing" and "fehlt" in error["message"]


def test_deeply_nested_json_is_a_german_400_not_a_server_error(stack: Stack) -> None:
    nested = b"[" * 20_000 + b"]" * 20_000
    status, error = post(stack, b'{"sender": "attack-nested", "message": "hallo", "metadata": ' + nested + b"}")
    assert status == 400 and error["error"] == "invalid_json"
    assert "rest:attack-nested" not in senders(stack)


def test_the_message_cap_is_4000_characters_after_cleaning(stack: Stack) -> None:
    _, at_cap = post(stack, {"sender": "attack-4000", "message": "a" * 4000})
    # A NUL is removed before counting: 4,000 letters and a NUL are still 4,000 characters.
    _, with_nul = post(stack, {"sender": "attack-4000-nul", "message": "a" * 4000 + "\x00"})
    _, over_cap = post(stack, {"sender": "attack-4001", "message": "a" * 4001})
    assert "sehr lang" not in at_cap[0]["text"] and "sehr lang" not in with_nul[0]["text"]
    assert "sehr lang" in over_cap[0]["text"]
    assert "rest:attack-4001" not in senders(stack)


@pytest.mark.parametrize(
    "path",
    [
        "/letters/..%2f..%2fendpoints.yml",
        "/letters/%2e%2e/%2e%2e/endpoints.yml",
        "/letters/" + "A" * 43 + "%00",
        "/letters/" + "A" * 5000,
        "/static/../../bot/credentials.yml",
        "/static/%2e%2e/%2e%2e/endpoints.yml",
        "/static/vendor/",
        "/static/chat.js%00.txt",
    ],
)
def test_path_tricks_on_the_download_and_static_routes_find_nothing(stack: Stack, path: str) -> None:
    status, body = request(stack, "GET", path)
    assert status == 404 and b"%PDF" not in body and b"token" not in body


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/webhook", {}),
        ("/webhook", {"Authorization": "Bearer wrong"}),
        ("/webhook", {"Authorization": "Bearer {token}x"}),
        ("/webhook", {"Authorization": "Basic {token}"}),
        ("/webhook?token={token}", {}),  # the query instead of the header
        ("/health/../webhook", {}),
        ("/actions", {}),
    ],
)
def test_the_action_server_runs_nothing_without_its_token(
    stack: Stack, path: str, headers: Mapping[str, str]
) -> None:
    token = stack.env["ACTION_SERVER_TOKEN"]
    body = {
        "next_action": "action_forget_me",
        "sender_id": "rest:attack-victim",
        "tracker": {"sender_id": "rest:attack-victim", "events": [], "slots": {}},
        "domain": {},
    }
    status, reply = request(
        stack, "POST" if "webhook" in path else "GET", path.format(token=token),
        json.dumps(body).encode(),
        {name: value.format(token=token) for name, value in headers.items()},
        port=stack.action_port,
    )
    assert (status, json.loads(reply)) == (401, {"error": "unauthorized"})


def test_action_server_errors_do_not_echo_the_tracker(stack: Stack) -> None:
    token = stack.env["ACTION_SERVER_TOKEN"]
    nested = b'{"next_action": "action_show_status", "tracker": {"sender_id": "GEHEIM-attack", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}}"
    status, reply = request(
        stack, "POST", "/webhook", nested, {"Authorization": f"Bearer {token}"}, port=stack.action_port
    )
    assert status == 400 and b"GEHEIM" not in reply


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://127.0.0.1", "http://127.0.0.1:{port}.evil.example"]
)
def test_a_socket_from_a_foreign_origin_is_refused(stack: Stack, origin: str) -> None:
    status, body = request(
        stack, "GET", "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": origin.format(port=stack.rasa_port)},
    )
    assert status == 400 and b"not an accepted origin" in body


def test_a_short_session_id_is_replaced_and_a_foreign_one_cannot_write(stack: Stack) -> None:
    async def scenario() -> "tuple[str, list]":
        confirmed: "asyncio.Queue[str]" = asyncio.Queue()
        replies: list = []
        client = socketio.AsyncClient(reconnection=False)
        client.on("session_confirm", confirmed.put)
        client.on("bot_uttered", replies.append)
        await client.connect(stack.base_url, socketio_path="/socket.io", transports=["websocket"])
        await client.emit("session_request", {"session_id": "abc"})
        session_id = await asyncio.wait_for(confirmed.get(), 30)
        # Another session's id, not confirmed to this socket: ignored.
        await client.emit("user_uttered", {"message": "hallo", "session_id": "f" * 32})
        await asyncio.sleep(3)
        await client.disconnect()
        return session_id, replies

    session_id, replies = asyncio.run(scenario())
    assert re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{32}", session_id)  # issued and signed by the server
    assert replies == []
    assert f"web:{'f' * 32}" not in senders(stack)
