"""The public web page, its static files and the letter download, served by the Rasa process.

credentials.yml:

    bot.channels.web.WebPageInput:

This channel handles no messages (the chat itself runs over bot.channels.socketio); it only
mounts a blueprint at the site root:

    GET /, GET /chat        the chat page (bot/web/index.html); its texts come from the catalogue
                            in the page's language (?lang=en|de, else Accept-Language;
                            bot/channels/page.py), like the error pages
    GET /static/<path>      files under bot/web/static/ (page script, styles, vendored widget)
    GET /letters/<token>    a letter PDF from the attempt log, while its download token is valid;
                            for an evidence token, the evidence report, rendered on the fly
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Mapping, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.page import page, page_language

if TYPE_CHECKING:
    from cancellation.log import AttemptLog

logger = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"

STATIC_CONTENT_TYPES: Mapping[str, str] = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}

# Download tokens are URL-safe random strings; anything else is rejected without a database query.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
# A Host header we are willing to echo into the Content-Security-Policy.
HOST_PATTERN = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")

HTML_CONTENT_TYPE = "text/html; charset=utf-8"
PAGE_FILE = "index.html"
LINK_INVALID_FILE = "link_invalid.html"
UNAVAILABLE_FILE = "unavailable.html"

AttemptLogFactory = Callable[[], "AttemptLog"]


def content_security_policy(host: Optional[str]) -> str:
    """The CSP of every HTML page: nothing may load from, or connect to, a third-party host.

    The widget injects its CSS as <style> elements (hence 'unsafe-inline' for styles only) and
    uses data: URLs for its icons. 'self' covers same-origin WebSockets in current browsers;
    older Safari versions need the ws:/wss: origin spelled out.
    """
    connect = ["'self'"]
    if host and HOST_PATTERN.match(host):
        connect += [f"ws://{host}", f"wss://{host}"]
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src " + " ".join(connect),
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def html_headers(host: Optional[str]) -> Dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(host),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def static_file_path(static_root: Path, relative: str) -> Optional[Path]:
    """The file under `static_root` that `relative` names, or None.

    None for anything that is not a regular file of a served type inside the root: directories
    (no listings), hidden files, `..` and absolute paths, symlinks that lead outside.
    """
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    root = static_root.resolve()
    candidate = (root / relative).resolve()
    if root not in candidate.parents:
        return None
    if candidate.suffix not in STATIC_CONTENT_TYPES or not candidate.is_file():
        return None
    return candidate


def letter_filename(reference: str) -> str:
    safe_reference = re.sub(r"[^A-Za-z0-9-]", "", reference) or "Brief"
    return f"Kuendigung-{safe_reference}.pdf"


def evidence_filename(reference: str) -> str:
    safe_reference = re.sub(r"[^A-Za-z0-9-]", "", reference) or "Vorgang"
    return f"Nachweis-{safe_reference}.pdf"


def evidence_pdf(log: "AttemptLog", token: str) -> Optional[tuple]:
    """(reference, PDF) for a valid evidence token: rendered now, so it shows the current log."""
    from cancellation.evidence import evidence_report_for
    from letters.evidence import render_evidence_report

    reference = log.tokens.resolve_evidence(token)
    if reference is None:
        return None
    report = evidence_report_for(log, reference)
    return None if report is None else (reference, render_evidence_report(report))


def is_plausible_token(token: str) -> bool:
    return bool(TOKEN_PATTERN.match(token))


def default_attempt_log() -> "AttemptLog":
    # Imported here so that loading the channel module does not pull in the database layer.
    from cancellation.log import AttemptLog
    from cancellation.settings import Settings

    return AttemptLog.from_settings(Settings.from_env())


class WebPageInput(InputChannel):
    """Serves the chat page, its static files and letter downloads at the site root."""

    @classmethod
    def name(cls) -> Text:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(
        self,
        attempt_log_factory: AttemptLogFactory = default_attempt_log,
        web_root: Path = WEB_ROOT,
    ) -> None:
        self._attempt_log_factory = attempt_log_factory
        self._attempt_log: Optional["AttemptLog"] = None
        self._web_root = web_root

    def url_prefix(self) -> Text:
        # Rasa mounts channel blueprints at urljoin("/webhooks/", url_prefix()): "/" is the root.
        return "/"

    def attempt_log(self) -> "AttemptLog":
        """One attempt log per process, created on the first download (not at startup)."""
        if self._attempt_log is None:
            self._attempt_log = self._attempt_log_factory()
        return self._attempt_log

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        web_page = RootPageBlueprint(self._page, "web_page", __name__)

        @web_page.get("/chat")
        async def chat_page(request: Request) -> HTTPResponse:
            return self._page(request)

        @web_page.get("/static/<path:path>")
        async def static(request: Request, path: str) -> HTTPResponse:
            file_path = static_file_path(self._web_root / "static", path)
            if file_path is None:
                return response.text(
                    "Nicht gefunden.", status=404, headers={"X-Content-Type-Options": "nosniff"}
                )
            return response.raw(
                file_path.read_bytes(),
                content_type=STATIC_CONTENT_TYPES[file_path.suffix],
                headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
            )

        @web_page.get("/letters/<token>")
        async def letter(request: Request, token: str) -> HTTPResponse:
            return await self._letter(request, token)

        return web_page

    def _page(self, request: Request) -> HTTPResponse:
        return self._html_file(request, PAGE_FILE, status=200)

    def _html_file(self, request: Request, name: str, *, status: int) -> HTTPResponse:
        # Templates with the page's texts from the catalogue, in the page's language.
        language = page_language(request.args.get("lang"), request.headers.get("accept-language"))
        headers = html_headers(request.host)
        headers["Cache-Control"] = "no-store" if status != 200 else "no-cache"
        headers["Content-Language"] = language.value
        headers["Vary"] = "Accept-Language"
        return response.html(page(self._web_root / name, language), status=status, headers=headers)

    async def _letter(self, request: Request, token: str) -> HTTPResponse:
        if not is_plausible_token(token):
            return self._html_file(request, LINK_INVALID_FILE, status=404)
        try:
            log = self.attempt_log()
            # The attempt log uses blocking database calls; keep them off the event loop.
            found = await asyncio.to_thread(log.tokens.resolve_letter, token)
            filename = letter_filename
            if found is None:
                found = await asyncio.to_thread(evidence_pdf, log, token)
                filename = evidence_filename
        except Exception:
            logger.exception("Letter download failed: the attempt log is unavailable.")
            return self._html_file(request, UNAVAILABLE_FILE, status=503)
        if found is None:
            return self._html_file(request, LINK_INVALID_FILE, status=404)
        reference, pdf = found
        return response.raw(
            pdf,
            content_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename(reference)}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
            },
        )


class RootPageBlueprint(Blueprint):
    """A blueprint that also serves the page at GET / and secures every HTML response.

    Rasa registers its own GET / ("Hello from Rasa", rasa.server.add_root_route) before the
    channel blueprints, and Sanic refuses a second route for the same path. So when that route
    exists, a request middleware answers GET / with the page before Rasa's handler runs; the
    route itself stays, so anything that checks "/" for HTTP 200 keeps working.

    Sanic's own HTML error pages (unknown paths, errors in other channels) get the same
    Content-Security-Policy and Referrer-Policy as our pages.
    """

    def __init__(
        self, page: Callable[[Request], HTTPResponse], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.page = page

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        page = self.ctx.page
        if ("",) in app.router.routes_all:

            async def root_page(request: Request) -> Optional[HTTPResponse]:
                if request.path == "/" and request.method == "GET":
                    return page(request)
                return None

            app.register_middleware(root_page, "request")
        else:

            async def index(request: Request) -> HTTPResponse:
                return page(request)

            self.add_route(index, "/", methods=["GET"])

        async def secure_html(request: Request, response: HTTPResponse) -> None:
            content_type = response.content_type or ""
            if content_type.startswith("text/html"):
                for name, value in html_headers(request.host).items():
                    response.headers.setdefault(name, value)

        app.register_middleware(secure_html, "response")
        super().register(app, options)
