"""The web page, its static files and the letter download, over real HTTP as Rasa mounts them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from bot.channels.web import (
    WEB_ROOT,
    WebPageInput,
    content_security_policy,
    static_file_path,
)
from cancellation.log import AttemptLog
from tests.bot.channels.web_support import Server, serving

PDF = b"%PDF-1.4\n% test letter\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def attempt_log(tmp_path: Path) -> Iterator[AttemptLog]:
    log = AttemptLog.from_url(f"sqlite:///{tmp_path / 'web.db'}", upgrade_schema=True)
    yield log
    log.dispose()


@pytest.fixture
def server(attempt_log: AttemptLog) -> Iterator[Server]:
    with serving(WebPageInput(attempt_log_factory=lambda: attempt_log)) as running:
        yield running


def _letter(attempt_log: AttemptLog) -> str:
    record = attempt_log.evidence.create_letter_attempt(
        channel="web",
        conversation_id="0123456789abcdef0123456789abcdef",
        provider="o2",
        subject_kind="contract",
        subject="Mobilfunkvertrag",
        requested_end=None,
        personal_data={"full_name": "Erika Mustermann"},
        render=lambda reference: PDF,
    )
    return record.reference


def _assert_html_is_locked_down(headers: dict) -> None:
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "https:" not in csp and "*" not in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-type"].startswith("text/html")


# --- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/chat"])
def test_page_is_served_in_german_with_a_strict_csp(server: Server, path: str) -> None:
    reply = server.get(path)

    assert reply.status == 200
    _assert_html_is_locked_down(reply.headers)
    assert '<html lang="de">' in reply.text
    assert "Kündigungsschreiben als PDF" in reply.text
    assert "keine individuelle Rechtsberatung" in reply.text
    assert "„Löschen Sie meine Daten“" in reply.text
    assert 'id="webchat"' in reply.text


def test_page_loads_scripts_only_from_its_own_host_and_has_no_inline_script(server: Server) -> None:
    page = server.get("/").text

    assert '<script src="/static/vendor/rasa-webchat/index.js"' in page
    assert '<script src="/static/chat.js"' in page
    assert "<script>" not in page
    assert "http://" not in page and "https://" not in page


def test_rasa_health_routes_keep_working_next_to_the_page(server: Server) -> None:
    # Rasa's own GET / stays registered (the page answers it); other Rasa routes are untouched.
    assert server.get("/").status == 200
    assert server.get("/webhooks/web/").status == 404


def test_sanic_error_pages_get_the_same_security_headers(server: Server) -> None:
    reply = server.get("/no-such-page", headers={"Accept": "text/html"})

    assert reply.status == 404
    _assert_html_is_locked_down(reply.headers)


def test_csp_allows_the_websocket_only_to_the_pages_own_host() -> None:
    csp = content_security_policy("chat.example.org:5005")
    connect = next(part for part in csp.split("; ") if part.startswith("connect-src"))
    assert connect == "connect-src 'self' ws://chat.example.org:5005 wss://chat.example.org:5005"


def test_csp_ignores_a_forged_host_header() -> None:
    csp = content_security_policy("evil.example; script-src *")
    assert "evil" not in csp
    assert "script-src *" not in csp


# --- static files ---------------------------------------------------------------------------


def test_static_files_of_the_page_are_served_with_their_types(server: Server) -> None:
    script = server.get("/static/chat.js")
    assert script.status == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"
    assert b"WebChat.default" in script.body

    style = server.get("/static/page.css")
    assert style.status == 200
    assert style.headers["content-type"].startswith("text/css")


def test_vendored_widget_is_served_without_third_party_font_import(server: Server) -> None:
    widget = server.get("/static/vendor/rasa-webchat/index.js")

    assert widget.status == 200, "run scripts/vendor_webchat.sh (make setup) first"
    assert b"fonts.googleapis.com" not in widget.body
    assert b"fonts.gstatic.com" not in widget.body
    assert b"@import" not in widget.body


@pytest.mark.parametrize(
    "path",
    [
        "/static/",
        "/static/vendor",
        "/static/vendor/",
        "/static/vendor/rasa-webchat/",
        "/static/../index.html",
        "/static/..%2findex.html",
        "/static/%2e%2e/index.html",
        "/static/%2e%2e%2f%2e%2e%2fchannels/web.py",
        "/static/vendor/../../../channels/web.py",
        "/static/..%5c..%5cchannels%5cweb.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/vendor/rasa-webchat/VERSION",
        "/static/vendor/rasa-webchat/LICENSE",
        "/static/nope.js",
    ],
)
def test_static_route_never_lists_directories_or_leaves_the_static_root(
    server: Server, path: str
) -> None:
    reply = server.get(path)

    assert reply.status in (400, 404)
    assert b"import" not in reply.body  # no Python source
    assert b"root:" not in reply.body
    assert b"<a href" not in reply.body  # no directory listing


def test_static_file_path_refuses_symlinks_that_leave_the_root(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "secret.js").write_text("secret")
    (root / "link.js").symlink_to(tmp_path / "secret.js")
    (root / "ok.js").write_text("ok")

    assert static_file_path(root, "link.js") is None
    assert static_file_path(root, "ok.js") == (root / "ok.js").resolve()
    assert static_file_path(root, ".hidden.js") is None


def test_every_static_file_the_page_references_exists() -> None:
    page = (WEB_ROOT / "index.html").read_text(encoding="utf-8")
    for path in ("static/page.css", "static/chat.js"):
        assert f"/{path}" in page
        assert (WEB_ROOT / path).is_file()


# --- letter download ------------------------------------------------------------------------


def test_valid_link_downloads_the_letter_as_an_attachment(
    server: Server, attempt_log: AttemptLog
) -> None:
    reference = _letter(attempt_log)
    token = attempt_log.tokens.issue(reference, ttl=timedelta(days=7))

    reply = server.get(f"/letters/{token}")

    assert reply.status == 200
    assert reply.body == PDF
    assert reply.headers["content-type"] == "application/pdf"
    assert (
        reply.headers["content-disposition"]
        == f'attachment; filename="Kuendigung-{reference}.pdf"'
    )
    assert reply.headers["cache-control"] == "no-store"
    assert reply.headers["x-content-type-options"] == "nosniff"


def test_link_can_be_used_again_until_it_expires(server: Server, attempt_log: AttemptLog) -> None:
    reference = _letter(attempt_log)
    token = attempt_log.tokens.issue(reference, ttl=timedelta(days=7))

    assert server.get(f"/letters/{token}").status == 200
    assert server.get(f"/letters/{token}").status == 200


def _assert_invalid_link_page(reply) -> None:
    assert reply.status == 404
    assert "Dieser Link ist ungültig oder abgelaufen" in reply.text
    assert b"%PDF" not in reply.body
    assert reply.headers["cache-control"] == "no-store"
    _assert_html_is_locked_down(reply.headers)


def test_expired_link_shows_the_german_invalid_link_page(
    server: Server, attempt_log: AttemptLog
) -> None:
    reference = _letter(attempt_log)
    issued = datetime.now(timezone.utc) - timedelta(days=8)
    token = attempt_log.tokens.issue(reference, ttl=timedelta(days=7), now=issued)

    _assert_invalid_link_page(server.get(f"/letters/{token}"))


def test_link_stops_working_once_the_user_had_the_data_deleted(
    server: Server, attempt_log: AttemptLog
) -> None:
    reference = _letter(attempt_log)
    token = attempt_log.tokens.issue(reference, ttl=timedelta(days=7))
    assert server.get(f"/letters/{token}").status == 200

    attempt_log.deletion.forget(reference)

    _assert_invalid_link_page(server.get(f"/letters/{token}"))


@pytest.mark.parametrize(
    "path",
    [
        "/letters/" + "A" * 43,  # well-formed but unknown
        "/letters/short",
        "/letters/%2e%2e%2fweb.db",
        "/letters/" + "x" * 500,
        "/letters/abc%00def0123456789abcdef",
    ],
)
def test_unknown_or_malformed_link_shows_the_german_invalid_link_page(
    server: Server, path: str
) -> None:
    _assert_invalid_link_page(server.get(path))


def test_letters_route_lists_nothing(server: Server, attempt_log: AttemptLog) -> None:
    _letter(attempt_log)

    for path in ("/letters", "/letters/"):
        reply = server.get(path)
        assert reply.status == 404
        assert b"KB-" not in reply.body


def test_download_reports_a_broken_database_as_temporarily_unavailable(tmp_path: Path) -> None:
    def broken_log() -> AttemptLog:
        # A database without the attempt-log tables: every query fails.
        return AttemptLog.from_url(f"sqlite:///{tmp_path / 'empty.db'}")

    with serving(WebPageInput(attempt_log_factory=broken_log)) as broken:
        reply = broken.get("/letters/" + "A" * 43)

    assert reply.status == 503
    assert "Der Brief kann gerade nicht geladen werden" in reply.text
    assert "Traceback" not in reply.text and "sqlite" not in reply.text.lower()


def test_attempt_log_is_created_once_per_process_and_only_when_needed(
    attempt_log: AttemptLog,
) -> None:
    created = []

    def factory() -> AttemptLog:
        created.append(1)
        return attempt_log

    with serving(WebPageInput(attempt_log_factory=factory)) as running:
        running.get("/")
        assert created == []
        running.get("/letters/" + "A" * 43)
        running.get("/letters/" + "B" * 43)
    assert created == [1]
