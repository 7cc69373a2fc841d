"""A fake Telegram Bot API server for tests: real URL layout (/bot<token>/<method>), real JSON
shapes, multipart uploads parsed; runs in its own thread so other processes can reach it."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
BOT_ID = 123456789
BOT_USERNAME = "KuendigungsTestBot"


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    # For multipart uploads: field name -> (filename, content type, bytes).
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    # True when the fake answered with an error (see fail_next).
    failed: bool = False
    # The path prefix of the caller's base URL ("" or e.g. "p1"): tells test clients apart.
    client: str = ""


@dataclass
class Poll:
    """One getUpdates call and when it was open (time.monotonic())."""

    client: str
    started: float
    ended: float | None = None
    # Answered 409 because a newer getUpdates call came in, as Telegram does.
    conflict: bool = False


class FakeBotApi:
    def __init__(self, token: str = TOKEN, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.username = username
        self.calls: list[ApiCall] = []
        self.polls: list[Poll] = []
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1000)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def base_url_for(self, client: str) -> str:
        """A base URL whose calls are recorded with `client` (a self-hosted API's path prefix)."""
        return f"{self.base_url}/{client}"

    def __enter__(self) -> "FakeBotApi":
        self.port = _free_port()
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("fake Bot API did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- test controls ---------------------------------------------------------------------

    def queue_update(self, update: dict[str, Any]) -> None:
        """Make an update available to getUpdates (kept until an offset confirms it)."""
        with self._lock:
            self._updates.append(update)

    def fail_next(self, method: str, error_code: int = 500, description: str = "Internal") -> None:
        with self._lock:
            self._failures.setdefault(method, []).append((error_code, description))

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(
        self, predicate: Callable[["FakeBotApi"], bool], timeout: float = 30.0
    ) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; {self._summary()}")
            time.sleep(0.02)

    async def wait_for_async(
        self, predicate: Callable[["FakeBotApi"], bool], timeout: float = 30.0
    ) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; {self._summary()}")
            await asyncio.sleep(0.02)

    def _summary(self) -> str:
        return f"calls so far: {[c.method for c in self.calls]}; last texts: {self.sent_texts()[-3:]}"

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        return [
            str(call.params.get("text"))
            for call in self.calls_to("sendMessage")
            if not call.failed and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
        ]

    # --- server --------------------------------------------------------------------------

    def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{client}/bot{token}/{method}", self._handle)
        # No access log: it would print the token, which is Telegram's business, not ours.
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        started.set()
        self._loop.run_forever()
        # Long polls still waiting when the test ends.
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _stop(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        client = request.match_info.get("client", "")
        params, files = await _read_params(request)
        with self._lock:
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
            self.calls.append(
                ApiCall(method, params, files, failed=failure is not None, client=client)
            )
        if failure:
            return _error(*failure)
        if method == "getUpdates":
            return await self._get_updates(params, client)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        return await handler(params, files)

    async def _api_getMe(self, params: dict, files: dict) -> web.Response:
        return _ok(
            {"id": BOT_ID, "is_bot": True, "first_name": "Kündigung", "username": self.username}
        )

    async def _api_setWebhook(self, params: dict, files: dict) -> web.Response:
        return _ok(True)

    async def _api_deleteWebhook(self, params: dict, files: dict) -> web.Response:
        return _ok(True)

    async def _api_sendChatAction(self, params: dict, files: dict) -> web.Response:
        if params.get("action") not in {"typing", "upload_document"} or not params.get("chat_id"):
            return _error(400, "Bad Request: wrong parameter action in request")
        return _ok(True)

    async def _api_answerCallbackQuery(self, params: dict, files: dict) -> web.Response:
        if not params.get("callback_query_id"):
            return _error(400, "Bad Request: query id is empty")
        return _ok(True)

    async def _get_updates(self, params: dict, client: str) -> web.Response:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        poll = Poll(client, time.monotonic())
        with self._lock:
            # As Telegram: a newer getUpdates call ends the one still waiting with 409.
            for other in self.polls:
                if other.ended is None:
                    other.conflict = True
            self.polls.append(poll)
        try:
            while True:
                with self._lock:
                    if poll.conflict:
                        return _error(
                            409,
                            "Conflict: terminated by other getUpdates request; make sure that "
                            "only one bot instance is running",
                        )
                    # As Telegram: an offset confirms (forgets) every earlier update.
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                    pending = sorted(self._updates, key=lambda u: u["update_id"])[:limit]
                if pending or time.monotonic() >= deadline:
                    return _ok(pending)
                await asyncio.sleep(0.02)
        finally:
            poll.ended = time.monotonic()

    async def _api_sendMessage(self, params: dict, files: dict) -> web.Response:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if markup:
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                        return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return _ok(self._message(params, {"text": text}))

    async def _api_sendDocument(self, params: dict, files: dict) -> web.Response:
        if "document" not in files:
            return _error(400, "Bad Request: there is no document in the request")
        filename, content_type, content = files["document"]
        document = {
            "file_id": f"doc{len(content)}",
            "file_unique_id": "u1",
            "file_name": filename,
            "mime_type": content_type,
            "file_size": len(content),
        }
        return _ok(self._message(params, {"document": document}))

    def _message(self, params: dict, content: dict) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kündigung",
                     "username": self.username},
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "date": int(time.time()),
            **content,
        }


async def _read_params(
    request: web.Request,
) -> tuple[dict[str, Any], dict[str, tuple[str, str, bytes]]]:
    if request.content_type == "multipart/form-data":
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, str, bytes]] = {}
        reader = await request.multipart()
        async for part in reader:
            if part.filename:
                content_type = part.headers.get("Content-Type", "")
                files[part.name] = (part.filename, content_type, bytes(await part.read()))
            else:
                params[part.name] = await part.text()
        return params, files
    if request.content_type == "application/json":
        return await request.json(), {}
    # The Bot API also accepts query strings and urlencoded forms.
    form = await request.post()
    params = {**request.query, **form}
    for key in ("reply_markup", "allowed_updates"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params, {}


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_update_ids = itertools.count(500_000)


def user(user_id: int, language_code: str = "de") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Erika", "language_code": language_code}


def text_update(
    chat_id: int, text: str, update_id: int | None = None, language_code: str = "de"
) -> dict[str, Any]:
    return {
        "update_id": next(_update_ids) if update_id is None else update_id,
        "message": {
            "message_id": next(_update_ids),
            "from": user(chat_id, language_code),
            "chat": {"id": chat_id, "first_name": "Erika", "type": "private"},
            "date": int(time.time()),
            "text": text,
            **({"entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]}
               if text.startswith("/") else {}),
        },
    }


def callback_update(
    chat_id: int, data: str, update_id: int | None = None, query_id: str | None = None
) -> dict[str, Any]:
    update_id = next(_update_ids) if update_id is None else update_id
    return {
        "update_id": update_id,
        "callback_query": {
            "id": query_id or f"cbq{update_id}",
            "from": user(chat_id),
            "message": {
                "message_id": next(_update_ids),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kündigung",
                         "username": BOT_USERNAME},
                "chat": {"id": chat_id, "first_name": "Erika", "type": "private"},
                "date": int(time.time()),
                "text": "Bitte wählen Sie:",
            },
            "chat_instance": "-4242",
            "data": data,
        },
    }
