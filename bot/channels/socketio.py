"""The web chat channel: Rasa's socket.io channel with three fixes for the rasa-webchat widget.

credentials.yml:

    bot.channels.socketio.WebChatInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      metadata_key: customData

Fix 1, RasaHQ/rasa#13027: the stock `session_request` handler calls `sio.enter_room(...)` without
`await`. From python-socketio 5.10 on that is a coroutine, so the browser never joins its
session's room and never receives a bot reply. The override awaits it whenever it is awaitable,
so it works with the pinned python-socketio 5.9.0 and with later versions.

Fix 2: the stock channel trusts whatever `session_id` a client sends, and that id becomes the
Rasa sender id. Here the conversation is `web:<session id>` (its own namespace in the tracker
store and the attempt log: no web client can address a Telegram `tg:` or REST `rest:`
conversation), a socket may only use the session id the server confirmed to it, and only the
server issues session ids: 128 random bits and their HMAC-SHA-256 (truncated to 128 bits) under
the channel's key (`SessionIds`; WEB_SESSION_SECRET, by default derived from
ACTION_SERVER_TOKEN, so every replica accepts the others' ids). An id the client chose, or one
with a wrong signature, is replaced by a fresh one, so two clients can never agree on a shared
conversation and a weak id like 000...0 is never used. Sender and session ids are never logged
above DEBUG.

Fix 3: the widget renders bot texts as Markdown, so single newlines become hard line breaks
(see WebChatOutput); otherwise numbered steps and summaries run together.

Limits: only pages from ALLOWED_ORIGINS (default: PUBLIC_BASE_URL's origin) may open a socket;
messages are at most 64 KiB (bot/channels/limits.py), their text is cleaned and bounded
(cancellation/user_input.py) and rate-limited per session and per client address
(bot/channels/ratelimits.py) before anything reaches Rasa.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import logging
import re
import secrets
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.limits import (
    MAX_BODY_BYTES,
    InvalidJson,
    client_key,
    environ_client_address,
    parse_json,
)
from bot.channels.ratelimits import MessageLimiter, limited_address
from bot.channels.rest import RESERVED_METADATA_KEYS
from cancellation.settings import ChannelAccess, RateLimits
from cancellation.texts import text as catalogue_text
from cancellation.user_input import MAX_MESSAGE_CHARACTERS, user_text
from cancellation.vocabulary import DEFAULT_LANGUAGE, Language

logger = logging.getLogger(__name__)

# "<32 hex digits: 128 random bits>.<32 hex digits: their HMAC-SHA-256, first 128 bits>"
SESSION_ID_PATTERN = re.compile(r"^([0-9a-f]{32})\.([0-9a-f]{32})$")
# Conversations of this channel in the tracker store and the attempt log: "web:<session id>".
SENDER_PREFIX = "web:"
# A newline on its own, not part of a paragraph break ("\n\n" splits messages).
_SINGLE_NEWLINE = re.compile(r"[ \t]*(?<!\n)\n(?!\n)")
# Key in python-socketio's per-connection session store.
CONFIRMED_SESSION_KEY = "confirmed_session_id"


class SessionIds:
    """Web chat session ids only the server can make: a random part and its signature."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _signature(self, random_part: str) -> str:
        return hmac.new(self._key, random_part.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        random_part = secrets.token_hex(16)
        return f"{random_part}.{self._signature(random_part)}"

    def is_issued(self, candidate: Any) -> bool:
        match = SESSION_ID_PATTERN.match(candidate) if isinstance(candidate, str) else None
        return match is not None and hmac.compare_digest(
            match.group(2), self._signature(match.group(1))
        )

    def acceptable(self, requested: Any) -> str:
        """The session id to confirm to a client: its own if this server (or a replica with the
        same key) issued it, otherwise a fresh one."""
        return requested if self.is_issued(requested) else self.issue()


def conversation_id(session_id: str) -> str:
    """The conversation of a web chat session; also the socket.io room its sockets join, so
    replies addressed to the conversation reach every tab of that session."""
    return f"{SENDER_PREFIX}{session_id}"


def markdown_line_breaks(text: str) -> str:
    """Single newlines as Markdown hard line breaks.

    The widget renders bot text as Markdown, where a single newline is just a space: numbered
    steps, summaries and addresses would run together into one paragraph.
    """
    return _SINGLE_NEWLINE.sub("  \n", text)


# Socket.io event that tells the page the conversation's language (bot/web/static/chat.js).
LANGUAGE_EVENT = "conversation_language"


class WebChatOutput(SocketIOOutput):
    """Socket.io output that keeps the line structure of bot messages in the widget and tells the
    page the conversation's language, so the widget's own texts follow it."""

    async def follow_language(self, recipient_id: Text, language: Language, changed: bool) -> None:
        # Every turn, not only on a change: a reloaded page may start in another language.
        await self.sio.emit(LANGUAGE_EVENT, {"language": language.value}, room=recipient_id)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, markdown_line_breaks(text), **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await super().send_text_with_buttons(
            recipient_id, markdown_line_breaks(text), buttons, **kwargs
        )


class WebChatInput(SocketIOInput):
    """Socket.io input for the rasa-webchat widget on our own web page."""

    @classmethod
    def name(cls) -> Text:
        # Recorded as the input channel of every web message (the action server maps
        # "socketio" to the attempt-log channel "web"); it is also the URL prefix, which keeps
        # the health route at /webhooks/socketio/ like the stock channel.
        return "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        stock = super().get_output_channel()
        if stock is None or self.sio is None:
            return stock
        return WebChatOutput(self.sio, self.bot_message_evt)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        assert isinstance(channel, WebChatInput)
        channel.access = ChannelAccess.from_env()
        channel.limiter = MessageLimiter.from_env()
        return channel

    def __init__(
        self,
        *args: Any,
        access: Optional[ChannelAccess] = None,
        limiter: Optional[MessageLimiter] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.access = access or ChannelAccess()
        self.limiter = limiter or MessageLimiter(RateLimits())
        self._session_ids: Optional[SessionIds] = None

    @property
    def session_ids(self) -> SessionIds:
        """The signer of web chat session ids, made on first use from `self.access`: Rasa builds
        the channel first and `from_credentials` sets the access from the environment after that,
        so a signer made in `__init__` had a random key of its own and no replica accepted another
        one's ids (nor the same replica after a restart)."""
        if self._session_ids is None:
            key = self.access.web_session_key
            if key is None:
                logger.warning(
                    "Neither WEB_SESSION_SECRET nor ACTION_SERVER_TOKEN is set: web chat session "
                    "ids are signed with a key of this process and end when it restarts."
                )
                key = secrets.token_bytes(32)
            self._session_ids = SessionIds(key)
        return self._session_ids

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        # Our own server instead of the stock one (which accepts every origin and 1 MB messages):
        # only pages from ALLOWED_ORIGINS may open a socket (a browser always sends Origin; other
        # origins get 400), and no message may be larger than MAX_BODY_BYTES.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=list(self.access.allowed_origins),
            max_http_buffer_size=MAX_BODY_BYTES,
        )
        self.sio = sio
        socketio_webhook = LimitedSocketBlueprint(
            sio, self.socketio_path, "socketio_webhook", __name__
        )

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            logger.debug("A web chat socket connected.")
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            logger.debug("A web chat socket disconnected.")

        sio.on("session_request", namespace=self.namespace)(
            self._session_request_handler(sio)
        )
        sio.on(self.user_message_evt, namespace=self.namespace)(
            self._user_message_handler(sio, on_new_message)
        )
        return socketio_webhook

    def _session_request_handler(
        self, sio: AsyncServer
    ) -> Callable[[Text, Optional[Dict]], Awaitable[None]]:
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = self.session_ids.acceptable(requested)
            if self.session_persistence:
                await _enter_room(sio, sid, conversation_id(session_id), self.namespace)
            await sio.save_session(
                sid, {CONFIRMED_SESSION_KEY: session_id}, namespace=self.namespace
            )
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug("A socket joined a web chat session.")

        return session_request

    def _user_message_handler(
        self, sio: AsyncServer, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[[Text, Dict], Awaitable[None]]:
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                session = await sio.get_session(sid, namespace=self.namespace)
                confirmed = session.get(CONFIRMED_SESSION_KEY)
                if not confirmed or data.get("session_id") != confirmed:
                    logger.warning(
                        "Ignoring a web chat message: its session id was not confirmed to "
                        "this socket (send `session_request` first)."
                    )
                    return
                sender_id = conversation_id(confirmed)
            else:
                sender_id = conversation_id(sid)
                await _enter_room(sio, sid, sender_id, self.namespace)

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = parse_json(metadata)
                except InvalidJson:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            output = WebChatOutput(sio, self.bot_message_evt)
            language = Language.parse(metadata.get("language")) or DEFAULT_LANGUAGE
            address = limited_address(
                environ_client_address(
                    sio.get_environ(sid, namespace=self.namespace) or {},
                    self.access.trusted_proxies,
                )
            )
            if not (await self.limiter.admit(sender_id, address)).allowed:
                await output.send_text_message(
                    sender_id, catalogue_text("utter_rate_limited", language)
                )
                return
            text = user_text(data.get("message"))
            if text.too_long:
                await output.send_text_message(
                    sender_id,
                    catalogue_text(
                        "utter_message_too_long", language, limit=MAX_MESSAGE_CHARACTERS
                    ),
                )
                return
            for key in RESERVED_METADATA_KEYS:
                metadata.pop(key, None)
            if address:
                metadata["client"] = client_key(address)
            message = UserMessage(
                text.text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return handle_message


async def _enter_room(sio: AsyncServer, sid: Text, room: Text, namespace: Optional[Text]) -> None:
    # A coroutine from python-socketio 5.10 on (RasaHQ/rasa#13027), a plain call before.
    entered = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(entered):
        await entered


class LimitedSocketBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint with the body limit of every channel (bot/channels/limits.py):
    a long-polling POST over MAX_BODY_BYTES is refused with 413 before it is read, a WebSocket
    frame over it closes the socket."""

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        super().register(app, options)
        path = "/" + self.ctx.socketio_path.strip("/")
        app.config.WEBSOCKET_MAX_SIZE = min(app.config.WEBSOCKET_MAX_SIZE, MAX_BODY_BYTES)

        @app.signal("http.routing.after")
        async def limit_socketio_bodies(request: Request, route: Any, kwargs: Any, handler: Any) -> None:
            # Runs after routing and before Sanic reads the body.
            if request.stream is not None and request.path.rstrip("/") == path:
                request.stream.request_max_size = MAX_BODY_BYTES
