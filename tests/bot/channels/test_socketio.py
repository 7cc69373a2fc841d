"""The web chat's socket.io channel, driven by a real socket.io client as the widget does."""

from __future__ import annotations

import asyncio
import http.client
import json
from typing import Any, Dict, List, Optional

import pytest
import socketio

from bot.channels.socketio import SessionIds, WebChatInput, markdown_line_breaks
from cancellation.settings import ChannelAccess, SettingsError
from rasa.core.channels.channel import InputChannel
from tests.bot.channels.web_support import Server, serving

CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
    "metadata_key": "customData",
}


def _channel() -> InputChannel:
    return WebChatInput.from_credentials(dict(CREDENTIALS))


class WidgetClient:
    """What rasa-webchat does on the wire: session_request, then user_uttered with the id."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.client = socketio.AsyncClient(reconnection=False)
        self.bot_messages: List[Dict[str, Any]] = []
        self.confirmed: "asyncio.Future[str] | None" = None

        @self.client.on("bot_uttered")
        async def bot_uttered(data: Dict[str, Any]) -> None:
            self.bot_messages.append(data)

        @self.client.on("session_confirm")
        async def session_confirm(session_id: str) -> None:
            if self.confirmed is not None and not self.confirmed.done():
                self.confirmed.set_result(session_id)

    async def connect(self, transports: Optional[List[str]] = None) -> None:
        await self.client.connect(
            self.base_url, socketio_path="/socket.io", transports=transports or ["polling"]
        )

    async def request_session(self, session_id: Optional[str]) -> str:
        self.confirmed = asyncio.get_running_loop().create_future()
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed, timeout=10)

    async def say(self, text: str, session_id: Optional[str]) -> None:
        await self.client.emit(
            "user_uttered",
            {"message": text, "customData": {"language": "de"}, "session_id": session_id},
        )

    async def wait_for_reply(self, count: int = 1, timeout: float = 10) -> List[Dict[str, Any]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.bot_messages) < count and loop.time() < deadline:
            await asyncio.sleep(0.05)
        return list(self.bot_messages)

    async def close(self) -> None:
        await self.client.disconnect()


def test_channel_name_is_socketio_for_the_attempt_log_and_widget_path() -> None:
    channel = _channel()
    assert channel.name() == "socketio"
    assert channel.url_prefix() == "socketio"


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_reply_reaches_the_browser_with_session_persistence(transport: str) -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect([transport])
        session_id = await widget.request_session(None)
        await widget.say("Ich möchte kündigen", session_id)
        replies = await widget.wait_for_reply()
        await widget.close()

        assert replies == [{"text": "Echo: Ich möchte kündigen"}]
        [message] = server.agent.messages
        assert message.sender_id == f"web:{session_id}"
        assert message.input_channel == "socketio"
        assert message.metadata == {"language": "de"}

    with serving(_channel()) as server:
        asyncio.run(scenario(server))


def test_reloaded_page_continues_the_same_conversation() -> None:
    async def scenario(server: Server) -> None:
        first = WidgetClient(server.base_url)
        await first.connect()
        session_id = await first.request_session(None)
        await first.say("hallo", session_id)
        await first.wait_for_reply()
        await first.close()

        # After a reload the widget asks for the session id it kept in sessionStorage.
        again = WidgetClient(server.base_url)
        await again.connect()
        assert await again.request_session(session_id) == session_id
        await again.say("weiter", session_id)
        replies = await again.wait_for_reply()
        await again.close()

        assert replies == [{"text": "Echo: weiter"}]
        assert [m.sender_id for m in server.agent.messages] == [f"web:{session_id}"] * 2

    with serving(_channel()) as server:
        asyncio.run(scenario(server))


def test_a_client_cannot_pick_another_channels_conversation_id() -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        # "77" is what a Telegram chat id looks like in the shared tracker store.
        confirmed = await widget.request_session("77")
        assert confirmed != "77" and channel.session_ids.is_issued(confirmed)

        await widget.say("Löschen Sie meine Daten", "77")
        await asyncio.sleep(0.5)
        await widget.close()
        assert server.agent.messages == []

    channel = _channel()
    with serving(channel) as server:
        asyncio.run(scenario(server))


def test_a_client_cannot_write_into_a_session_confirmed_to_someone_else() -> None:
    async def scenario(server: Server) -> None:
        victim = WidgetClient(server.base_url)
        await victim.connect()
        victim_session = await victim.request_session(None)

        attacker = WidgetClient(server.base_url)
        await attacker.connect()
        await attacker.request_session(None)
        await attacker.say("Löschen Sie meine Daten", victim_session)
        await asyncio.sleep(0.5)
        await attacker.close()
        await victim.close()

        assert server.agent.messages == []

    with serving(_channel()) as server:
        asyncio.run(scenario(server))


def test_message_before_session_request_is_ignored() -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        await widget.say("hallo", "0123456789abcdef0123456789abcdef")
        await asyncio.sleep(0.5)
        await widget.close()
        assert server.agent.messages == []

    with serving(_channel()) as server:
        asyncio.run(scenario(server))


KEY = b"k" * 32
ISSUED = SessionIds(KEY).issue()


@pytest.mark.parametrize(
    "requested",
    [
        None, "", "77", "../x", 42, {"a": 1}, "a" * 33,
        # Well-formed but not issued by this server: a client may not choose its session.
        "0123456789abcdef0123456789abcdef",
        "0" * 32,
        "0" * 32 + "." + "0" * 32,
        ISSUED[:-1] + ("0" if ISSUED[-1] != "0" else "1"),  # signature altered
        ISSUED.upper(),
        ISSUED + "0",
        SessionIds(b"another replica's key, not ours").issue(),
    ],
)
def test_session_ids_the_server_did_not_issue_are_replaced(requested: Any) -> None:
    ids = SessionIds(KEY)
    session_id = ids.acceptable(requested)
    assert session_id != requested
    assert ids.is_issued(session_id)
    # 128 random bits and a 128-bit signature, in hex.
    random_part, signature = session_id.split(".")
    assert len(random_part) == len(signature) == 32


def test_an_issued_session_id_is_kept_by_every_replica_with_the_same_key() -> None:
    assert SessionIds(KEY).acceptable(ISSUED) == ISSUED
    assert SessionIds(bytes(KEY)).is_issued(ISSUED)
    assert SessionIds(KEY).issue() != SessionIds(KEY).issue()


def test_a_session_id_a_client_chose_is_replaced_and_cannot_be_written_to() -> None:
    chosen = "0123456789abcdef0123456789abcdef"

    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        confirmed = await widget.request_session(chosen)
        await widget.say("hallo", chosen)
        await asyncio.sleep(0.5)
        await widget.say("hallo", confirmed)
        await widget.wait_for_reply()
        await widget.close()

        assert confirmed != chosen
        assert [m.sender_id for m in server.agent.messages] == [f"web:{confirmed}"]

    with serving(_channel()) as server:
        asyncio.run(scenario(server))


def test_bot_lines_stay_lines_in_the_widget_and_paragraphs_stay_messages() -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        session_id = await widget.request_session(None)
        output = channel.get_output_channel()
        await output.send_text_message(
            f"web:{session_id}", "So geht es weiter:\n1. Drucken\n2. Unterschreiben\n\nViel Erfolg!"
        )
        replies = await widget.wait_for_reply(count=2)
        await widget.close()

        assert replies == [
            {"text": "So geht es weiter:  \n1. Drucken  \n2. Unterschreiben"},
            {"text": "Viel Erfolg!"},
        ]

    channel = _channel()
    with serving(channel) as server:
        asyncio.run(scenario(server))


def test_markdown_line_breaks_leave_paragraph_breaks_alone() -> None:
    assert markdown_line_breaks("a\nb \nc\n\nd") == "a  \nb  \nc\n\nd"


# -- origins, limits, cleaning ---------------------------------------------------------------


def _polling_handshake(server: Server, origin: Optional[str]) -> "tuple[int, bytes]":
    headers = {"Origin": origin} if origin else {}
    reply = server.get("/socket.io/?EIO=4&transport=polling", headers=headers)
    return reply.status, reply.body


def _channel_for(origins: tuple) -> WebChatInput:
    channel = WebChatInput.from_credentials(dict(CREDENTIALS))
    assert isinstance(channel, WebChatInput)
    channel.access = ChannelAccess(allowed_origins=origins)
    return channel


def test_only_pages_from_the_allowed_origin_may_open_a_socket() -> None:
    with serving(_channel_for(("https://chat.example.org",))) as server:
        allowed = _polling_handshake(server, "https://chat.example.org")
        other = _polling_handshake(server, "https://evil.example")
        same_host_other_scheme = _polling_handshake(server, "http://chat.example.org")
        no_browser = _polling_handshake(server, None)
    assert allowed[0] == 200 and b"sid" in allowed[1]
    assert other[0] == 400 and same_host_other_scheme[0] == 400
    # Without an Origin header it is not a browser page: CORS protects browsers only.
    assert no_browser[0] == 200


def test_websocket_from_another_origin_is_refused() -> None:
    async def scenario(server: Server) -> None:
        client = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(
                server.base_url, transports=["websocket"], headers={"Origin": "https://evil.example"}
            )
        await client.disconnect()

    with serving(_channel_for(("https://chat.example.org",))) as server:
        asyncio.run(scenario(server))


def test_allowed_origins_default_to_the_public_base_url() -> None:
    assert ChannelAccess.from_env({}).allowed_origins == (
        "http://127.0.0.1:5005", "http://localhost:5005"
    )
    assert ChannelAccess.from_env(
        {"PUBLIC_BASE_URL": "https://Chat.Example.org/kuendigen"}
    ).allowed_origins == ("https://chat.example.org",)
    assert ChannelAccess.from_env(
        {"ALLOWED_ORIGINS": "https://a.example, https://b.example:8443"}
    ).allowed_origins == ("https://a.example", "https://b.example:8443")
    with pytest.raises(SettingsError, match="ALLOWED_ORIGINS"):
        ChannelAccess.from_env({"ALLOWED_ORIGINS": "*"})


def test_replicas_sharing_the_action_server_token_accept_each_others_session_ids() -> None:
    token = {"ACTION_SERVER_TOKEN": "t" * 43}
    replica_a = SessionIds(ChannelAccess.from_env(token).web_session_key)
    replica_b = SessionIds(ChannelAccess.from_env(dict(token)).web_session_key)
    issued = replica_a.issue()
    assert replica_b.is_issued(issued)
    # The key is derived from the token, not the token itself.
    assert ChannelAccess.from_env(token).web_session_key != token["ACTION_SERVER_TOKEN"].encode()
    assert not SessionIds(ChannelAccess.from_env({"ACTION_SERVER_TOKEN": "u" * 43}).web_session_key).is_issued(issued)
    # WEB_SESSION_SECRET, when set, is the key (rotating it ends every web chat session).
    secret = {**token, "WEB_SESSION_SECRET": "s" * 32}
    assert not SessionIds(ChannelAccess.from_env(secret).web_session_key).is_issued(issued)
    assert ChannelAccess.from_env({}).web_session_key is None
    with pytest.raises(SettingsError, match="WEB_SESSION_SECRET"):
        ChannelAccess.from_env({"WEB_SESSION_SECRET": "short"})


def test_without_any_key_the_channel_still_signs_its_session_ids(monkeypatch) -> None:
    monkeypatch.delenv("WEB_SESSION_SECRET", raising=False)
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    first, second = _channel(), _channel()
    issued = first.session_ids.issue()
    assert first.session_ids.is_issued(issued)
    assert not second.session_ids.is_issued(issued)


def test_a_polling_body_over_64_kib_is_refused_with_413() -> None:
    with serving(_channel()) as server:
        status, body = _polling_handshake(server, None)
        sid = json.loads(body[1:])["sid"]
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            payload = b"4" + json.dumps(["user_uttered", {"message": "x" * 70000}]).encode()
            connection.request(
                "POST", f"/socket.io/?EIO=4&transport=polling&sid={sid}", body=payload,
                headers={"Content-Type": "text/plain;charset=UTF-8"},
            )
            status = connection.getresponse().status
        finally:
            connection.close()
    assert status == 413
    assert server.agent.messages == []


def test_an_overlong_message_is_answered_in_the_widget_and_never_reaches_rasa() -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        session_id = await widget.request_session(None)
        await widget.say("lang " * 900, session_id)
        replies = await widget.wait_for_reply()
        await widget.say("Vodafone\x00 GmbH\ud800", session_id)
        await widget.wait_for_reply(count=2)
        await widget.close()
        assert "Ihre Nachricht ist sehr lang" in replies[0]["text"]

    with serving(_channel()) as server:
        asyncio.run(scenario(server))
    assert [m.text for m in server.agent.messages] == ["Vodafone GmbH"]


def test_widget_metadata_cannot_set_the_channels_own_keys() -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        session_id = await widget.request_session(None)
        await widget.client.emit(
            "user_uttered",
            {"message": "hallo", "customData": {"language": "de", "client": "x"}, "session_id": session_id},
        )
        await widget.wait_for_reply()
        await widget.close()

    with serving(_channel()) as server:
        asyncio.run(scenario(server))
    assert server.agent.messages[0].metadata == {"language": "de"}


def test_deeply_nested_metadata_text_is_ignored_and_the_message_still_answered() -> None:
    # The widget may send customData as a JSON string; one nested beyond the parser's recursion
    # limit used to end the handler with an exception: the user got no answer at all.
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect()
        session_id = await widget.request_session(None)
        await widget.client.emit(
            "user_uttered",
            {"message": "hallo", "customData": "[" * 20_000 + "]" * 20_000, "session_id": session_id},
        )
        replies = await widget.wait_for_reply()
        await widget.close()
        assert replies and replies[0]["text"] == "Echo: hallo"

    with serving(_channel()) as server:
        asyncio.run(scenario(server))
    assert [(m.text, m.metadata) for m in server.agent.messages] == [("hallo", {})]


def test_a_websocket_message_over_64_kib_closes_the_socket_and_reaches_nothing() -> None:
    async def scenario(server: Server) -> None:
        widget = WidgetClient(server.base_url)
        await widget.connect(["websocket"])
        session_id = await widget.request_session(None)
        # A short text with 70 KB of metadata: only the size limit stops it.
        await widget.client.emit(
            "user_uttered",
            {"message": "hallo", "customData": {"pad": "x" * 70_000}, "session_id": session_id},
        )
        await asyncio.sleep(1.0)
        assert widget.bot_messages == []
        await widget.close()

    with serving(_channel()) as server:
        asyncio.run(scenario(server))
    assert server.agent.messages == []


def test_channels_built_from_the_credentials_sign_with_the_configured_key(monkeypatch, caplog) -> None:
    # As Rasa builds the channel in every replica: from bot/credentials.yml and the environment.
    monkeypatch.delenv("WEB_SESSION_SECRET", raising=False)
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "t" * 43)
    with caplog.at_level("WARNING"):
        replica_a, replica_b = _channel(), _channel()
        issued = replica_a.session_ids.issue()
    assert replica_b.session_ids.is_issued(issued)  # another replica, or this one after a restart
    assert "Neither WEB_SESSION_SECRET nor ACTION_SERVER_TOKEN" not in caplog.text
    monkeypatch.setenv("WEB_SESSION_SECRET", "s" * 32)
    assert not _channel().session_ids.is_issued(issued)  # a new secret ends old sessions
