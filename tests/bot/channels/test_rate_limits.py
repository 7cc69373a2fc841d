"""Rate limits where messages come in: a flood gets a polite answer and never reaches Rasa."""

from __future__ import annotations

import asyncio
import ipaddress
import json

from prometheus_client import REGISTRY

from bot.channels.limits import client_address, client_key
from bot.channels.ratelimits import MessageLimiter, is_loopback
from bot.channels.rest import RestInput
from bot.channels.socketio import WebChatInput
from cancellation.settings import ChannelAccess, RateLimits
from tests.bot.channels.test_rest import post
from tests.bot.channels.test_socketio import CREDENTIALS, WidgetClient
from tests.bot.channels.web_support import serving

PROXY = (ipaddress.ip_network("127.0.0.0/8"),)
TOKEN = "t" * 40


def refused(limit: str) -> float:
    return REGISTRY.get_sample_value("kuendigungshilfe_rate_limited_total", {"limit": limit}) or 0.0


def test_a_rest_flood_from_one_conversation_is_cut_off_with_429_and_a_polite_message() -> None:
    before = refused("conversation_messages")
    channel = RestInput(ChannelAccess(), MessageLimiter(RateLimits(messages_per_minute=5)))
    with serving(channel) as server:
        replies = [post(server, {"sender": "flood", "message": f"m{n}"}) for n in range(8)]
        other = post(server, {"sender": "someone-else", "message": "hallo"})
    assert [r.status for r in replies] == [200] * 5 + [429] * 3
    assert int(replies[-1].headers["retry-after"]) >= 1
    [answer] = json.loads(replies[-1].body)
    assert "warten Sie einen Moment" in answer["text"]
    assert other.status == 200
    assert [m.text for m in server.agent.messages] == ["m0", "m1", "m2", "m3", "m4", "hallo"]
    assert refused("conversation_messages") == before + 3


def test_many_conversations_from_one_address_are_cut_off_per_address() -> None:
    channel = RestInput(
        ChannelAccess(trusted_proxies=PROXY),
        MessageLimiter(RateLimits(messages_per_minute=100, ip_messages_per_minute=4)),
    )
    with serving(channel) as server:
        statuses = [
            post(server, {"sender": f"s{n}", "message": "x"}, {"X-Forwarded-For": "203.0.113.9"}).status
            for n in range(6)
        ]
        # Another client behind the same proxy is not affected.
        elsewhere = post(server, {"sender": "t", "message": "x"}, {"X-Forwarded-For": "203.0.113.10"})
    assert statuses == [200] * 4 + [429] * 2
    assert elsewhere.status == 200
    # The letter action counts letters per address by this stand-in, never by the address.
    assert server.agent.messages[0].metadata == {"client": client_key("203.0.113.9")}


def test_a_normal_conversation_is_never_limited() -> None:
    channel = RestInput(ChannelAccess(trusted_proxies=PROXY), MessageLimiter(RateLimits()))
    with serving(channel) as server:
        statuses = [
            post(server, {"sender": "normal", "message": f"Antwort {n}"}, {"X-Forwarded-For": "198.51.100.3"}).status
            for n in range(20)
        ]
    assert statuses == [200] * 20


def test_rest_with_token_and_loopback_clients_are_not_limited_per_address() -> None:
    limits = RateLimits(messages_per_minute=100, ip_messages_per_minute=2)
    with serving(RestInput(ChannelAccess(rest_token=TOKEN), MessageLimiter(limits))) as server:
        with_token = [
            post(server, {"sender": f"s{n}", "message": "x"}, {"Authorization": f"Bearer {TOKEN}"}).status
            for n in range(5)
        ]
    with serving(RestInput(ChannelAccess(), MessageLimiter(limits))) as server:
        # Without TRUSTED_PROXIES the header is ignored: the peer is 127.0.0.1 (make run, bench).
        local = [
            post(server, {"sender": f"s{n}", "message": "x"}, {"X-Forwarded-For": "203.0.113.9"}).status
            for n in range(5)
        ]
    assert with_token == [200] * 5 and local == [200] * 5
    assert server.agent.messages[0].metadata == {}


def test_client_address_trusts_x_forwarded_for_only_from_trusted_proxies() -> None:
    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    assert client_address("203.0.113.1", "1.2.3.4", proxies) == "203.0.113.1"
    assert client_address("10.0.0.5", "1.2.3.4", proxies) == "1.2.3.4"
    # The client may prepend anything; the right-most untrusted hop counts.
    assert client_address("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.9", proxies) == "1.2.3.4"
    assert client_address("10.0.0.5", "nonsense", proxies) == "10.0.0.5"
    assert client_address("10.0.0.5", None, proxies) == "10.0.0.5"
    assert client_address("::ffff:10.0.0.5", "[2001:db8::1]:443", proxies) == "2001:db8::1"
    assert client_address(None, "1.2.3.4", proxies) is None
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("203.0.113.1")


def test_a_web_chat_flood_is_answered_in_the_widget_and_cut_off() -> None:
    channel = WebChatInput.from_credentials(dict(CREDENTIALS))
    assert isinstance(channel, WebChatInput)
    channel.limiter = MessageLimiter(RateLimits(messages_per_minute=3))

    async def scenario(base_url: str) -> list:
        widget = WidgetClient(base_url)
        await widget.connect()
        session_id = await widget.request_session(None)
        for n in range(5):
            await widget.say(f"m{n}", session_id)
            await widget.wait_for_reply(count=n + 1)
        replies = list(widget.bot_messages)
        await widget.close()
        return replies

    with serving(channel) as server:
        replies = asyncio.run(scenario(server.base_url))
    assert [m.text for m in server.agent.messages] == ["m0", "m1", "m2"]
    assert "warten Sie einen Moment" in replies[-1]["text"]


def test_web_chat_sessions_from_one_address_share_the_per_address_limit() -> None:
    channel = WebChatInput.from_credentials(dict(CREDENTIALS))
    assert isinstance(channel, WebChatInput)
    channel.access = ChannelAccess(trusted_proxies=PROXY)
    channel.limiter = MessageLimiter(RateLimits(messages_per_minute=100, ip_messages_per_minute=3))

    async def widget_from(base_url: str, address: str) -> WidgetClient:
        widget = WidgetClient(base_url)
        await widget.client.connect(
            base_url, socketio_path="/socket.io", transports=["polling"],
            headers={"X-Forwarded-For": address},
        )
        return widget

    async def scenario(base_url: str) -> None:
        for session in range(2):
            widget = await widget_from(base_url, "203.0.113.50")
            session_id = await widget.request_session(None)
            for n in range(2):
                await widget.say(f"s{session}m{n}", session_id)
                await widget.wait_for_reply(count=n + 1)
            await widget.close()
        other = await widget_from(base_url, "203.0.113.51")
        session_id = await other.request_session(None)
        await other.say("anderer Mensch", session_id)
        await other.wait_for_reply()
        await other.close()

    with serving(channel) as server:
        asyncio.run(scenario(server.base_url))
    assert [m.text for m in server.agent.messages] == ["s0m0", "s0m1", "s1m0", "anderer Mensch"]
    assert server.agent.messages[0].metadata["client"] == client_key("203.0.113.50")
