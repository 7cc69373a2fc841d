"""Attacks on the running stack (PostgreSQL, Redis, REST_TOKEN set): forged senders, missing or
wrong tokens, oversized bodies and messages, control characters that used to break the database,
a flood."""

from __future__ import annotations

import http.client
import json
import re
from typing import Any, Iterator, Mapping, Optional

import pytest
from sqlalchemy import create_engine, text

from tests.support.databases import scratch_postgres
from tests.support.stack import Stack, running_stack

TOKEN = "e2e-rest-token-" + "0123456789abcdef" * 3
LINK = re.compile(r"\((http://127\.0\.0\.1:\d+/letters/([A-Za-z0-9_-]+))\)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    database = scratch_postgres("security")
    url = next(database)
    try:
        with running_stack(
            tmp_path_factory.mktemp("security"),
            env={
                "DATABASE_URL": url,
                "REST_TOKEN": TOKEN,
                # Counters (and locks) in the real Redis, as with several replicas.
                "REDIS_URL": "redis://127.0.0.1:6379/0",
                "RATE_LIMIT_MESSAGES_PER_MINUTE": "25",
            },
        ) as running:
            yield running
    finally:
        database.close()


def post(
    stack: Stack, body: Any, *, token: Optional[str] = TOKEN, headers: Mapping[str, str] = {}
) -> "tuple[int, Any]":
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json", **headers}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", stack.rasa_port, timeout=120)
    try:
        connection.request("POST", "/webhooks/rest/webhook", body=raw, headers=all_headers)
        reply = connection.getresponse()
        payload = reply.read()
        try:
            return reply.status, json.loads(payload)
        except ValueError:
            return reply.status, payload
    finally:
        connection.close()


def texts(replies: Any) -> str:
    return "\n".join(r.get("text", "") for r in replies if isinstance(r, dict))


def rows(stack: Stack, sql: str, **params: Any) -> list:
    engine = create_engine(stack.database_url, future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def test_without_the_token_nothing_is_processed(stack: Stack) -> None:
    status, error = post(stack, {"sender": "sec-nobody", "message": "kündigen"}, token=None)
    assert status == 401 and "Nicht angemeldet" in error["message"]
    status, _ = post(stack, {"sender": "sec-nobody", "message": "kündigen"}, token="falsch")
    assert status == 401
    assert rows(stack, "SELECT count(*) FROM events WHERE sender_id LIKE '%sec-nobody%'") == [(0,)]


def test_a_forged_sender_cannot_read_another_conversation(stack: Stack) -> None:
    victim = "sec-victim"
    post(stack, {"sender": victim, "message": "Ich will meinen Handyvertrag bei 1&1 kündigen"})
    post(stack, {"sender": victim, "message": "Xaver Opferbeispiel"})
    # The attacker sends what the victim's conversation id looks like in the store.
    status, replies = post(
        stack,
        {"sender": f"rest:{victim}", "message": "Name ändern", "input_channel": "telegram"},
    )
    assert status == 200
    assert "Opferbeispiel" not in json.dumps(replies, ensure_ascii=False)
    senders = {row[0] for row in rows(stack, "SELECT DISTINCT sender_id FROM events")}
    assert f"rest:{victim}" in senders and f"rest:rest:{victim}" in senders
    channels = {
        json.loads(data).get("input_channel")
        for (data,) in rows(stack, "SELECT data FROM events WHERE type_name = 'user'")
    }
    assert channels == {"rest"}


def test_no_sender_is_a_german_400_and_no_default_conversation(stack: Stack) -> None:
    status, error = post(stack, {"message": "kündigen"})
    assert status == 400 and "sender" in error["message"] and "fehlt" in error["message"]
    assert rows(stack, "SELECT count(*) FROM events WHERE sender_id IN ('default', 'rest:default')") == [(0,)]


def test_an_oversized_body_gets_413_and_changes_nothing(stack: Stack) -> None:
    status, _ = post(stack, {"sender": "sec-big", "message": "a" * (70 * 1024)})
    assert status == 413
    assert rows(stack, "SELECT count(*) FROM events WHERE sender_id = 'rest:sec-big'") == [(0,)]


def test_an_overlong_message_is_answered_and_never_stored(stack: Stack) -> None:
    status, replies = post(stack, {"sender": "sec-long", "message": "kündigen " * 600})
    assert status == 200
    assert "sehr lang" in texts(replies) and "kürzer" in texts(replies)
    assert rows(stack, "SELECT count(*) FROM events WHERE sender_id = 'rest:sec-long'") == [(0,)]


def test_a_nul_and_a_lone_surrogate_reach_a_letter_on_postgresql(stack: Stack) -> None:
    sender = "sec-nul"

    def say(message: Any) -> str:
        raw = json.dumps({"sender": sender, "message": message})
        status, replies = post(stack, raw.encode())
        assert status == 200, replies
        return texts(replies)

    # json.dumps writes "\u0000" and "\ud800" escapes, as a hostile client would.
    say("Ich will meinen Handyvertrag bei 1&\x001 kündigen")
    say("Zoë Nul\ud800lbyte")
    say("Nulweg 17\x00, 10115 Berlin")
    say("555666777")
    say("keine")
    say("nächstmöglich")
    say("nein")
    say("nein")
    ready = say("ja")
    assert LINK.search(ready), ready
    [(provider,)] = rows(
        stack,
        "SELECT provider FROM attempt_private p JOIN attempts a ON a.id = p.attempt_id "
        "WHERE a.conversation_id = :c",
        c=f"rest:{sender}",
    )
    assert "\x00" not in provider and "1&1" in provider


def test_a_flood_is_cut_off_politely_and_other_conversations_go_on(stack: Stack) -> None:
    statuses = []
    for number in range(30):
        status, replies = post(stack, {"sender": "sec-flood", "message": f"hallo {number}"})
        statuses.append(status)
    assert statuses[:25] == [200] * 25 and set(statuses[25:]) == {429}
    assert "warten Sie einen Moment" in texts(replies)
    stored = rows(
        stack,
        "SELECT count(*) FROM events WHERE sender_id = 'rest:sec-flood' AND type_name = 'user'",
    )
    assert stored == [(25,)]
    status, replies = post(stack, {"sender": "sec-calm", "message": "Ich will kündigen"})
    assert status == 200 and texts(replies)


def test_web_chat_sockets_only_from_the_public_origin(stack: Stack) -> None:
    handshake = "/socket.io/?EIO=4&transport=polling"

    def status_for(origin: str) -> "tuple[int, bytes]":
        code, _, body = stack.get_with_headers(stack.base_url + handshake, {"Origin": origin})
        return code, body

    assert status_for(stack.base_url)[0] == 200
    assert status_for("https://evil.example")[0] == 400
    code, body = status_for(stack.base_url)
    sid = json.loads(body[1:])["sid"]
    connection = http.client.HTTPConnection("127.0.0.1", stack.rasa_port, timeout=30)
    try:
        payload = b"4" + json.dumps(["user_uttered", {"message": "x" * 70000}]).encode()
        connection.request(
            "POST", f"{handshake}&sid={sid}", body=payload,
            headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": stack.base_url},
        )
        assert connection.getresponse().status == 413
    finally:
        connection.close()
