"""The REST channel for trusted integrations: `POST /webhooks/rest/webhook`.

credentials.yml:

    bot.channels.rest.RestInput:

Request `{"sender": "kunde-1", "message": "kündigen", "metadata": {...}}`, answer: the bot's
messages as a JSON list, as Rasa's stock REST channel does. What differs, and why:

- Own namespace: the conversation is `rest:<sender>` in the tracker store and the attempt log.
  Telegram chats are `tg:<chat>`, web chats `web:<session>`, so a REST client cannot read,
  change or delete another channel's conversation by sending its id.
- A sender is required (400 with a German JSON error): there is no shared "default" conversation.
- The logged channel is always "rest"; `input_channel` in the body is ignored.
- REST_TOKEN: when set, every request needs `Authorization: Bearer <REST_TOKEN>` (compared in
  constant time; 401 otherwise). `make run` leaves it unset for local clients and `make bench`.
- Bodies over 64 KiB: 413, nothing is processed (bot/channels/limits.py). The message text is
  cleaned and bounded by cancellation/user_input.py: an over-long message is answered here and
  never reaches Rasa.
- Rate limits (bot/channels/ratelimits.py): messages per minute per conversation, and per client
  address unless the request carries REST_TOKEN; over the limit: 429 with Retry-After and
  `utter_rate_limited` as the bot's message, nothing reaches Rasa.
- The message text is never logged.
"""

from __future__ import annotations

import hmac
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput as StockRestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels.limits import (
    MAX_BODY_BYTES,
    InvalidJson,
    client_key,
    parse_json,
    read_body,
    request_client_address,
)
from bot.channels.ratelimits import MessageLimiter, limited_address
from cancellation.settings import ChannelAccess, RateLimits
from cancellation.texts import text as catalogue_text
from cancellation.user_input import MAX_MESSAGE_CHARACTERS, clean_text, user_text
from cancellation.vocabulary import DEFAULT_LANGUAGE, Language

logger = logging.getLogger(__name__)

# Conversations of this channel in the tracker store and the attempt log: "rest:<sender>".
SENDER_PREFIX = "rest:"
# Sender ids are stored in 255-character columns (Rasa's events, the attempt log).
MAX_SENDER_CHARACTERS = 200
# Metadata keys only the channels may set (a client's values are dropped).
RESERVED_METADATA_KEYS = ("client",)


def conversation_id(sender: str) -> str:
    return f"{SENDER_PREFIX}{sender}"


def sender_of(raw: Any) -> Optional[str]:
    """The client's sender id if usable: text (or a whole number), 1..200 characters after
    cleaning, no control characters; None otherwise."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None
    raw = str(raw)
    cleaned = clean_text(raw).strip()
    if (
        cleaned != raw.strip()
        or not 1 <= len(cleaned) <= MAX_SENDER_CHARACTERS
        or any(character in "\n\t" for character in cleaned)
    ):
        return None
    return cleaned


def bearer_token_matches(header: Optional[str], expected: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))


def _language(metadata: Dict[str, Any]) -> Language:
    return Language.parse(metadata.get("language")) or DEFAULT_LANGUAGE  # type: ignore[return-value]


def _error(status: int, code: str, key: str, **params: Any) -> HTTPResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return response.json(
        {"error": code, "message": catalogue_text(key, DEFAULT_LANGUAGE, **params)},
        status=status,
        headers=headers,
        ensure_ascii=False,
    )


class RestInput(StockRestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(ChannelAccess.from_env(), MessageLimiter.from_env())

    def __init__(
        self, access: Optional[ChannelAccess] = None, limiter: Optional[MessageLimiter] = None
    ) -> None:
        self.access = access or ChannelAccess()
        self.limiter = limiter or MessageLimiter(RateLimits())

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        rest = Blueprint("rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            return await self._receive(request, on_new_message)

        return rest

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Union[ResponseStream, HTTPResponse]:
        token = self.access.rest_token
        if token and not bearer_token_matches(request.headers.get("authorization"), token):
            logger.warning("REST: rejected a request without the right bearer token")
            return _error(401, "unauthorized", "utter_rest_unauthorized")
        body = await read_body(request, MAX_BODY_BYTES)
        if body is None:
            return _error(413, "body_too_large", "utter_rest_body_too_large", limit=MAX_BODY_BYTES)
        try:
            payload = parse_json(body)
        except InvalidJson:
            payload = None
        if not isinstance(payload, dict):
            return _error(400, "invalid_json", "utter_rest_invalid_json")
        sender = sender_of(payload.get("sender"))
        if sender is None:
            return _error(
                400, "sender_missing", "utter_rest_sender_missing", limit=MAX_SENDER_CHARACTERS
            )
        if not isinstance(payload.get("message"), str):
            return _error(400, "message_missing", "utter_rest_message_missing")
        metadata = payload.get("metadata")
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        for key in RESERVED_METADATA_KEYS:
            metadata.pop(key, None)
        conversation = conversation_id(sender)

        # A trusted integration (REST_TOKEN) speaks for many users: its address is not limited.
        address = None if token else limited_address(
            request_client_address(request, self.access.trusted_proxies)
        )
        decision = await self.limiter.admit(conversation, address)
        if not decision.allowed:
            return response.json(
                [
                    {
                        "recipient_id": conversation,
                        "text": catalogue_text("utter_rate_limited", _language(metadata)),
                    }
                ],
                status=429,
                headers={"Retry-After": str(decision.retry_after_seconds)},
            )
        if address:
            metadata["client"] = client_key(address)

        message = user_text(payload["message"])
        if message.too_long:
            return self._answer(
                conversation,
                catalogue_text(
                    "utter_message_too_long", _language(metadata), limit=MAX_MESSAGE_CHARACTERS
                ),
            )

        if bool_arg(request, "stream", default=False):
            return response.stream(
                self.stream_response(
                    on_new_message, message.text, conversation, self.name(), metadata
                ),
                content_type="text/event-stream",
            )
        collector = CollectingOutputChannel()
        failed = False
        try:
            await on_new_message(
                UserMessage(
                    message.text, collector, conversation, input_channel=self.name(),
                    metadata=metadata,
                )
            )
        except CancelledError:
            failed = True
            logger.error("REST: a message timed out")
        except Exception as error:
            failed = True
            # Never the text: it may hold names, addresses, dates of birth.
            logger.exception("REST: handling a message failed (%s)", type(error).__name__)
        if failed and not collector.messages:
            collector.messages.append(
                {
                    "recipient_id": conversation,
                    "text": catalogue_text("utter_technical_problem", _language(metadata)),
                }
            )
        return response.json(collector.messages)

    @staticmethod
    def _answer(conversation: str, text: str) -> HTTPResponse:
        messages: List[Dict[str, Any]] = [{"recipient_id": conversation, "text": text}]
        return response.json(messages)
