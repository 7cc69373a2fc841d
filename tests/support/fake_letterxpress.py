"""A fake LetterXpress API v3 for tests: the documented URL layout and JSON shapes, auth in the
JSON body, checksum checked; runs in its own thread so other processes (the Rasa server) reach it.

Failure modes: `fail_next("5xx")` answers HTTP 503, `fail_next("timeout")` answers only after
`slow_seconds` (longer than the client's read timeout), `fail_next("timeout_after_create")`
creates the job and then answers too late (the lost answer), `fail_next("reject")` refuses the
PDF (HTTP 400), `cancel(job_id)` cancels a job as the service would; `down()` / `up()` stop and
restart the server on the same port. A job gets its tracking code on the first look-up after
`post(job_id)`, or at once with `auto_post=True`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

USERNAME = "kuendigungshilfe-test"
API_KEY = "fake-letterxpress-api-key-0123456789"


@dataclass
class PrintJob:
    id: int
    mode: str
    pdf: bytes
    registered: str | None
    specification: dict[str, Any]
    notice: str | None
    status: str = "queue"
    tracking_code: str | None = None
    posted: bool = False


@dataclass
class Call:
    method: str
    path: str
    mode: str | None
    failed: str | None = None


class FakeLetterXpress:
    def __init__(self, *, auto_post: bool = True, slow_seconds: float = 3.0) -> None:
        self.auto_post = auto_post
        self.slow_seconds = slow_seconds
        self.jobs: dict[int, PrintJob] = {}
        self.calls: list[Call] = []
        self._failures: list[str] = []
        self._ids = itertools.count(6035143)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = _free_port()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3"

    def __enter__(self) -> "FakeLetterXpress":
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("fake LetterXpress did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- test controls ---------------------------------------------------------------------

    def fail_next(self, mode: str) -> None:
        assert mode in ("5xx", "timeout", "timeout_after_create", "reject")
        with self._lock:
            self._failures.append(mode)

    def cancel(self, job_id: int) -> None:
        with self._lock:
            self.jobs[job_id].status = "canceled"

    def post(self, job_id: int) -> None:
        with self._lock:
            self.jobs[job_id].posted = True

    def down(self) -> None:
        assert self._loop is not None and self._runner is not None
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._runner = None

    def up(self) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self._start_site(), self._loop).result(10)

    def wait_for(self, predicate: Callable[["FakeLetterXpress"], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {self.calls}")
            time.sleep(0.05)

    # --- server --------------------------------------------------------------------------

    def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start_site())
        started.set()
        self._loop.run_forever()
        self._loop.close()

    async def _start_site(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("POST", "/v3/printjobs", self._create)
        app.router.add_route("GET", "/v3/printjobs", self._list)
        app.router.add_route("GET", "/v3/printjobs/{id}", self._get)
        app.router.add_route("GET", "/v3/balance", self._balance)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _authorised(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        if request.content_type != "application/json":
            return None, _answer(400, "Content-Type must be application/json")
        try:
            body = await request.json()
        except ValueError:
            return None, _answer(400, "Invalid JSON")
        auth = body.get("auth") or {}
        failure = None
        with self._lock:
            head = self._failures[0] if self._failures else None
            if head in ("5xx", "timeout") or (
                    head in ("reject", "timeout_after_create") and request.method == "POST"):
                failure = self._failures.pop(0)
            self.calls.append(Call(request.method, request.path, auth.get("mode"), failure))
        if auth.get("username") != USERNAME or auth.get("apikey") != API_KEY or \
                auth.get("mode") not in ("test", "live"):
            return None, web.json_response({"message": "Unauthorized."}, status=401)
        body["_failure"] = failure
        if failure == "5xx":
            return None, _answer(503, "Service Unavailable")
        if failure == "timeout":
            await asyncio.sleep(self.slow_seconds)
            return None, _answer(503, "too late")
        return body, None

    async def _create(self, request: web.Request) -> web.Response:
        body, refused = await self._authorised(request)
        if refused is not None:
            return refused
        letter = body.get("letter") or {}
        encoded = letter.get("base64_file") or ""
        if body["_failure"] == "reject":
            return _answer(400, "Die PDF-Datei entspricht nicht den Vorgaben.")
        if hashlib.md5(encoded.encode()).hexdigest() != letter.get("base64_file_checksum"):
            return _answer(400, "Checksum mismatch")
        try:
            pdf = base64.b64decode(encoded, validate=True)
        except ValueError:
            return _answer(400, "base64_file is not base64")
        if not pdf.startswith(b"%PDF"):
            return _answer(400, "Not a PDF")
        with self._lock:
            job = PrintJob(id=next(self._ids), mode=body["auth"]["mode"], pdf=pdf,
                           registered=letter.get("registered"),
                           specification=dict(letter.get("specification") or {}),
                           notice=letter.get("notice"))
            self.jobs[job.id] = job
        if body["_failure"] == "timeout_after_create":
            await asyncio.sleep(self.slow_seconds)
        return _data(self._job_json(job))

    async def _get(self, request: web.Request) -> web.Response:
        body, refused = await self._authorised(request)
        if refused is not None:
            return refused
        with self._lock:
            job = self.jobs.get(int(request.match_info["id"]))
            if job is None:
                return _answer(404, "Keine Daten gefunden")
            if job.status != "canceled" and (self.auto_post or job.posted):
                job.status = "done"
                job.tracking_code = job.tracking_code or f"RR {job.id:09d} DE"
            return _data(self._job_json(job))

    async def _list(self, request: web.Request) -> web.Response:
        body, refused = await self._authorised(request)
        if refused is not None:
            return refused
        wanted = request.query.get("filter")
        with self._lock:
            jobs = [self._job_json(job) for job in self.jobs.values()
                    if wanted is None or job.status == wanted]
        return _data({"printjobs": jobs, "pagination": {"total": len(jobs), "count": len(jobs),
                                                        "current_page": 1, "last_page": 1,
                                                        "per_page": 15}})

    async def _balance(self, request: web.Request) -> web.Response:
        body, refused = await self._authorised(request)
        if refused is not None:
            return refused
        return _data({"balance": 54.89, "currency": "EUR"})

    @staticmethod
    def _job_json(job: PrintJob) -> dict[str, Any]:
        item: dict[str, Any] = {"address": "(aus dem PDF gelesen)", "pages": 1, "amount": 4.49,
                                "vat": 0.85, "status": "sent" if job.status == "done" else "queue"}
        if job.tracking_code:
            item["tracking_code"] = job.tracking_code
            item["tracking_status"] = "Die Sendung wurde eingeliefert."
        return {"id": job.id, "status": job.status, "notice": job.notice,
                "registered": job.registered, **job.specification,
                "created_at": "2026-12-02 10:00:00", "items": [item]}


def _data(data: Any) -> web.Response:
    return web.json_response({"status": 200, "message": "OK", "data": data})


def _answer(status: int, message: str) -> web.Response:
    return web.json_response({"status": status, "message": message}, status=status)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
