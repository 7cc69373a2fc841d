"""The REST channel as an attacker and an integrator see it, in a real Sanic server."""

from __future__ import annotations

import http.client
import json
from typing import Any, Mapping, Optional

import pytest

from bot.channels.rest import RestInput, bearer_token_matches, sender_of
from cancellation.settings import ChannelAccess, Settings, SettingsError
from tests.bot.channels.web_support import Reply, Server, serving

TOKEN = "t0k3n-" + "x" * 40


def post(
    server: Server,
    body: Any,
    headers: Optional[Mapping[str, str]] = None,
    path: str = "/webhooks/rest/webhook",
) -> Reply:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(
            "POST", path, body=raw, headers={"Content-Type": "application/json", **(headers or {})}
        )
        reply = connection.getresponse()
        return Reply(
            reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        )
    finally:
        connection.close()


def test_the_sender_gets_the_rest_namespace_so_a_telegram_chat_cannot_be_addressed() -> None:
    with serving(RestInput()) as server:
        reply = post(server, {"sender": "tg:77", "message": "Löschen Sie meine Daten"})
        assert reply.status == 200
        post(server, {"sender": "77", "message": "hallo"})
        post(server, {"sender": "web:0123456789abcdef0123456789abcdef", "message": "hallo"})
    assert [m.sender_id for m in server.agent.messages] == [
        "rest:tg:77",
        "rest:77",
        "rest:web:0123456789abcdef0123456789abcdef",
    ]
    assert json.loads(reply.body) == [
        {"recipient_id": "rest:tg:77", "text": "Echo: Löschen Sie meine Daten"}
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"message": "hallo"},
        {"sender": None, "message": "hallo"},
        {"sender": "", "message": "hallo"},
        {"sender": "   ", "message": "hallo"},
        {"sender": "a\x00b", "message": "hallo"},
        {"sender": "a\u200bb", "message": "hallo"},  # would look like the sender "ab"
        {"sender": "x" * 201, "message": "hallo"},
        {"sender": ["a"], "message": "hallo"},
        {"sender": True, "message": "hallo"},
    ],
)
def test_no_sender_no_default_conversation_but_a_german_json_error(body: dict) -> None:
    with serving(RestInput()) as server:
        reply = post(server, body)
    assert reply.status == 400
    error = json.loads(reply.body)
    assert error["error"] == "sender_missing"
    assert "Das Feld „sender“ fehlt" in error["message"]
    assert server.agent.messages == []


def test_a_missing_message_or_no_json_object_is_a_400() -> None:
    with serving(RestInput()) as server:
        no_message = post(server, {"sender": "a"})
        not_json = post(server, b"{nope")
        a_list = post(server, [{"sender": "a", "message": "x"}])
    assert (no_message.status, json.loads(no_message.body)["error"]) == (400, "message_missing")
    assert (not_json.status, json.loads(not_json.body)["error"]) == (400, "invalid_json")
    assert (a_list.status, json.loads(a_list.body)["error"]) == (400, "invalid_json")
    assert server.agent.messages == []


def test_deeply_nested_json_is_a_german_400_not_a_server_error() -> None:
    # 20,000 brackets fit in 64 KiB and exceed the JSON parser's recursion limit.
    nested = b"[" * 20_000 + b"]" * 20_000
    with serving(RestInput()) as server:
        as_metadata = post(server, b'{"sender": "a", "message": "x", "metadata": ' + nested + b"}")
        as_body = post(server, nested)
    for reply in (as_metadata, as_body):
        assert reply.status == 400
        error = json.loads(reply.body)
        assert error["error"] == "invalid_json" and "JSON-Objekt" in error["message"]
    assert server.agent.messages == []


def test_the_logged_channel_comes_from_the_receiving_channel_not_the_body() -> None:
    with serving(RestInput()) as server:
        post(server, {"sender": "a", "message": "hallo", "input_channel": "telegram"})
    [message] = server.agent.messages
    assert message.input_channel == "rest"


def test_client_metadata_cannot_fake_the_channels_own_keys() -> None:
    with serving(RestInput()) as server:
        post(server, {"sender": "a", "message": "x", "metadata": {"client": "f00", "language": "en"}})
    [message] = server.agent.messages
    assert message.metadata == {"language": "en"}


def test_with_rest_token_requests_without_the_bearer_token_get_401() -> None:
    with serving(RestInput(ChannelAccess(rest_token=TOKEN))) as server:
        missing = post(server, {"sender": "a", "message": "hallo"})
        wrong = post(server, {"sender": "a", "message": "hallo"}, {"Authorization": "Bearer nope"})
        basic = post(server, {"sender": "a", "message": "hallo"}, {"Authorization": f"Basic {TOKEN}"})
        right = post(server, {"sender": "a", "message": "hallo"}, {"Authorization": f"Bearer {TOKEN}"})
    for reply in (missing, wrong, basic):
        assert reply.status == 401
        assert reply.headers["www-authenticate"] == "Bearer"
        assert json.loads(reply.body)["error"] == "unauthorized"
        assert "Nicht angemeldet" in json.loads(reply.body)["message"]
    assert right.status == 200
    assert [m.sender_id for m in server.agent.messages] == ["rest:a"]


def test_bearer_token_comparison() -> None:
    assert bearer_token_matches(f"Bearer {TOKEN}", TOKEN)
    assert bearer_token_matches(f"bearer  {TOKEN}", TOKEN)
    assert not bearer_token_matches(None, TOKEN)
    assert not bearer_token_matches(f"Bearer {TOKEN[:-1]}", TOKEN)
    assert not bearer_token_matches("Bearer ", TOKEN)


def test_rest_token_from_the_environment() -> None:
    assert ChannelAccess.from_env({}).rest_token is None
    assert ChannelAccess.from_env({"REST_TOKEN": TOKEN}).rest_token == TOKEN
    assert TOKEN not in repr(ChannelAccess.from_env({"REST_TOKEN": TOKEN}))
    with pytest.raises(SettingsError, match="REST_TOKEN"):
        ChannelAccess.from_env({"REST_TOKEN": "short"})


def test_a_body_over_64_kib_is_refused_with_413_and_nothing_happens() -> None:
    with serving(RestInput()) as server:
        huge = post(server, {"sender": "a", "message": "x" * (65 * 1024)})
        at_limit_text = "y" * 3000
        fine = post(server, {"sender": "a", "message": at_limit_text})
    assert huge.status == 413
    assert json.loads(huge.body)["error"] == "body_too_large"
    assert fine.status == 200
    assert [m.text for m in server.agent.messages] == [at_limit_text]


def test_a_message_over_4000_characters_is_answered_here_and_never_reaches_rasa() -> None:
    with serving(RestInput()) as server:
        german = post(server, {"sender": "a", "message": "lang " * 1000})
        english = post(
            server, {"sender": "a", "message": "z" * 4001, "metadata": {"language": "en"}}
        )
        exactly = post(server, {"sender": "a", "message": "z" * 4000})
    assert german.status == 200
    [answer] = json.loads(german.body)
    assert "Ihre Nachricht ist sehr lang" in answer["text"] and "kürzer" in answer["text"]
    assert "very long" in json.loads(english.body)[0]["text"]
    assert exactly.status == 200
    assert [len(m.text) for m in server.agent.messages] == [4000]


def test_control_characters_and_lone_surrogates_are_removed_before_rasa() -> None:
    raw = b'{"sender": "a", "message": "Vo\\u200bdafone\\u0000 GmbH\\ud800\\u0007 \\u202eok\\ufeff"}'
    with serving(RestInput()) as server:
        reply = post(server, raw)
    assert reply.status == 200
    [message] = server.agent.messages
    assert message.text == "Vodafone GmbH ok"


def test_sender_validation() -> None:
    assert sender_of("kunde-1") == "kunde-1"
    assert sender_of(42) == "42"
    assert sender_of(" a ") == "a"
    assert sender_of("a\nb") is None
    assert sender_of(3.5) is None


def test_settings_still_build_without_channel_variables() -> None:
    # The channel settings live beside Settings and do not change what it needs.
    assert Settings.from_env({}).public_base_url == "http://127.0.0.1:5005"


def test_streamed_answers_use_the_same_namespace_and_cleaning() -> None:
    with serving(RestInput()) as server:
        reply = post(
            server, {"sender": "s", "message": "o2\x00"}, path="/webhooks/rest/webhook?stream=true"
        )
    assert reply.status == 200
    lines = [json.loads(line) for line in reply.body.decode().splitlines() if line.strip()]
    assert lines == [{"recipient_id": "rest:s", "text": "Echo: o2"}]
    assert [(m.sender_id, m.input_channel) for m in server.agent.messages] == [("rest:s", "rest")]
