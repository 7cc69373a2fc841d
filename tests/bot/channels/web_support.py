"""Run channel blueprints in a real Sanic server, registered the way Rasa registers them."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import socket
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Iterator, List, Mapping, Optional

from rasa.core.channels.channel import InputChannel, UserMessage, register
from rasa.server import add_root_route
from sanic import Sanic


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Agent:
    """Stands in for Rasa's agent: `register` hands every UserMessage to app.ctx.agent."""

    def __init__(self) -> None:
        self.messages: List[UserMessage] = []

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(
            message.sender_id, f"Echo: {message.text}"
        )


@dataclass(frozen=True)
class Server:
    base_url: str
    port: int
    agent: _Agent

    def get(self, raw_path: str, headers: Optional[Mapping[str, str]] = None) -> Reply:
        """GET a path exactly as given (no client-side normalisation of `..` or `%2e`)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", raw_path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return Reply(
                response.status,
                {key.lower(): value for key, value in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()


@contextlib.contextmanager
def serving(*channels: InputChannel) -> Iterator[Server]:
    """A Sanic app like Rasa's (with its GET / route) serving `channels` in a background thread."""
    Sanic.test_mode = True
    app = Sanic(f"web_test_{uuid.uuid4().hex}", configure_logging=False)
    add_root_route(app)
    agent = _Agent()
    app.ctx.agent = agent
    register(list(channels), app, route="/webhooks/")
    with running(app) as port:
        yield Server(f"http://127.0.0.1:{port}", port, agent)


@contextlib.contextmanager
def running(app: Sanic) -> Iterator[int]:
    """Serve a Sanic app on a free loopback port in a background thread; yields the port."""
    port = _free_port()
    loop = asyncio.new_event_loop()

    async def start() -> Any:
        server = await app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
        )
        assert server is not None
        await server.startup()
        await server.before_start()
        await server.after_start()
        return server

    server = loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:

        async def stop() -> None:
            await server.before_stop()
            server.close()
            await server.wait_closed()
            await server.after_stop()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
