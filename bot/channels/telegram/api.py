"""A tiny asynchronous client for the Telegram Bot API (https://core.telegram.org/bots/api).

aiohttp directly instead of aiogram 2.15: aiogram cannot set a webhook secret and its session
handling is what breaks Rasa's stock channel ("Event loop is closed").
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Mapping, Sequence

import aiohttp

logger = logging.getLogger(__name__)

# Telegram asks clients to wait `retry_after` seconds on 429; waiting longer than this would
# hold a user's reply hostage, so the error is reported instead.
MAX_RETRY_AFTER_SECONDS = 5.0
REQUEST_TIMEOUT_SECONDS = 30.0


class BotApiError(Exception):
    """A Bot API call failed: Telegram said no, or the server could not be reached."""

    def __init__(self, method: str, description: str, error_code: int | None = None) -> None:
        super().__init__(f"{method}: {description}" + (f" ({error_code})" if error_code else ""))
        self.method = method
        self.description = description
        self.error_code = error_code


class BotApiClient:
    """One bot token, one aiohttp session, created lazily in the loop that uses it."""

    def __init__(self, token: str, base_url: str) -> None:
        self._token = token
        self._base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        # Never the token: it is the bot's password.
        return f"BotApiClient(base_url={self._base_url!r})"

    async def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """POST JSON parameters, return the `result` of `{"ok": true, "result": ...}`."""
        body = json.dumps(dict(params or {}))
        return await self._post(
            method,
            lambda: body,
            headers={"Content-Type": "application/json"},
            timeout=timeout,
        )

    async def call_multipart(
        self,
        method: str,
        params: Mapping[str, Any],
        *,
        file_field: str,
        filename: str,
        content: bytes,
        content_type: str,
    ) -> Any:
        """POST multipart/form-data with one uploaded file (sendDocument and friends)."""

        def form() -> aiohttp.FormData:
            data = aiohttp.FormData()
            for name, value in params.items():
                data.add_field(name, value if isinstance(value, str) else json.dumps(value))
            data.add_field(file_field, content, filename=filename, content_type=content_type)
            return data

        return await self._post(method, form, headers=None, timeout=None)

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            try:
                await session.close()
            except RuntimeError:  # its loop is gone already; nothing left to release
                pass

    # The convenience methods name exactly the Bot API parameters they send.

    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe")

    async def set_webhook(
        self, url: str, secret_token: str, allowed_updates: Sequence[str]
    ) -> bool:
        return await self.call(
            "setWebhook",
            {"url": url, "secret_token": secret_token, "allowed_updates": list(allowed_updates)},
        )

    async def delete_webhook(self) -> bool:
        return await self.call("deleteWebhook", {"drop_pending_updates": False})

    async def get_updates(
        self, offset: int | None, timeout: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"timeout": timeout, "allowed_updates": list(allowed_updates)}
        if offset is not None:
            params["offset"] = offset
        # The HTTP request must outlive Telegram's long poll.
        return await self.call("getUpdates", params, timeout=timeout + 10)

    async def send_message(
        self, chat_id: str, text: str, reply_markup: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "disable_web_page_preview": True,
        }
        if reply_markup is not None:
            params["reply_markup"] = dict(reply_markup)
        return await self.call("sendMessage", params)

    async def send_document(
        self, chat_id: str, filename: str, content: bytes, caption: str = ""
    ) -> dict[str, Any]:
        params = {"chat_id": chat_id}
        if caption:
            params["caption"] = caption
        return await self.call_multipart(
            "sendDocument",
            params,
            file_field="document",
            filename=filename,
            content=content,
            content_type="application/pdf",
        )

    async def answer_callback_query(self, callback_query_id: str) -> bool:
        return await self.call("answerCallbackQuery", {"callback_query_id": callback_query_id})

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> bool:
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    def _http(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
            )
            self._session_loop = loop
        return self._session

    async def _post(
        self,
        method: str,
        body: Any,
        *,
        headers: Mapping[str, str] | None,
        timeout: float | None,
    ) -> Any:
        url = f"{self._base_url}/bot{self._token}/{method}"
        client_timeout = aiohttp.ClientTimeout(total=timeout) if timeout else None
        for attempt in (1, 2):
            failure = ""
            try:
                async with self._http().post(
                    url, data=body(), headers=headers, timeout=client_timeout
                ) as response:
                    payload = await _json_body(response)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                failure = self._redacted(error)
            if failure:
                # Raised outside the except block: the original error, which may quote the URL
                # with the token, must not travel along as __context__.
                raise BotApiError(method, failure)
            if payload.get("ok") is True:
                return payload.get("result")
            retry_after = (payload.get("parameters") or {}).get("retry_after")
            error_code = payload.get("error_code")
            if (
                attempt == 1
                and error_code == 429
                and isinstance(retry_after, (int, float))
                and retry_after <= MAX_RETRY_AFTER_SECONDS
            ):
                await asyncio.sleep(retry_after)
                continue
            raise BotApiError(method, str(payload.get("description", "")), error_code)
        raise AssertionError("unreachable")

    def _redacted(self, error: BaseException) -> str:
        # aiohttp errors may quote the URL, and the URL contains the token; its secret part
        # alone is hidden too, in case the URL was quoted with an encoded colon.
        text = f"{type(error).__name__}: {error}"
        for secret in (self._token, self._token.partition(":")[2]):
            if secret:
                text = text.replace(secret, "<token>")
        return text


async def _json_body(response: aiohttp.ClientResponse) -> dict[str, Any]:
    text = await response.text()
    try:
        payload = json.loads(text)
    except ValueError:
        raise ValueError(f"HTTP {response.status}, no JSON in the answer") from None
    if not isinstance(payload, dict):
        raise ValueError(f"HTTP {response.status}, unexpected answer")
    return payload
