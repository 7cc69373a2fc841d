"""The web page speaks the page's language: every text from the catalogue, German or English."""

from __future__ import annotations

import html
import json
import re
from typing import Iterator

import pytest

from bot.channels.page import CHAT_TEXTS, PLACEHOLDER, page_language, preferred_language
from bot.channels.web import WEB_ROOT, WebPageInput
from cancellation.texts import catalogue
from cancellation.vocabulary import Language
from tests.bot.channels.web_support import Server, serving

TEMPLATES = ("index.html", "link_invalid.html", "unavailable.html")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving(WebPageInput(attempt_log_factory=lambda: None)) as running:  # type: ignore[arg-type]
        yield running


def _chat_texts(page: str) -> dict:
    match = re.search(r'data-texts="([^"]*)"', page)
    assert match, "no data-texts on #webchat"
    return json.loads(html.unescape(match.group(1)))


def test_an_english_browser_gets_the_english_page(server: Server) -> None:
    reply = server.get("/chat", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert reply.status == 200
    assert '<html lang="en">' in reply.text
    assert "Cancel contracts without waiting on the hotline" in reply.text
    assert "<strong>cancellation letter as a PDF</strong>" in reply.text
    assert "Rechtsberatung" not in reply.text
    assert reply.headers["content-language"] == "en"
    assert "Accept-Language" in reply.headers["vary"]
    # The widget's own texts and the conversation's first hint.
    texts = _chat_texts(reply.text)
    assert texts["language"] == "en"
    assert texts["send"] == "Send message"
    assert texts["openChat"] == "Open the chat"
    # A link to the German page, marked as German.
    assert 'href="?lang=de" hreflang="de" lang="de">Deutsch</a>' in reply.text


def test_the_language_link_wins_over_the_browser(server: Server) -> None:
    german = server.get("/chat?lang=de", headers={"Accept-Language": "en-US"})
    assert '<html lang="de">' in german.text
    assert "Verträge kündigen, ohne in der Hotline zu hängen" in german.text
    assert _chat_texts(german.text)["send"] == "Nachricht senden"
    english = server.get("/?lang=en")
    assert '<html lang="en">' in english.text


def test_other_browsers_get_german(server: Server) -> None:
    for accept in ("fr-FR,fr;q=0.9", "", "de-AT", "*"):
        reply = server.get("/", headers={"Accept-Language": accept} if accept else None)
        assert '<html lang="de">' in reply.text, accept


def test_the_invalid_link_page_is_english_for_english_browsers(server: Server) -> None:
    reply = server.get("/letters/short", headers={"Accept-Language": "en"})
    assert reply.status == 404
    assert "This link is invalid or has expired" in reply.text


@pytest.mark.parametrize(
    "header, expected",
    [
        ("en-US,en;q=0.9", Language.EN),
        ("de-DE,de;q=0.9,en;q=0.8", Language.DE),
        ("fr;q=1.0, en;q=0.5, de;q=0.7", Language.DE),
        ("en;q=0, de;q=0.1", Language.DE),
        ("fr", None),
        (None, None),
    ],
)
def test_preferred_language(header, expected) -> None:
    assert preferred_language(header) == expected


def test_page_language() -> None:
    assert page_language("en", "de") == Language.EN
    assert page_language("xx", "en-US") == Language.EN
    assert page_language(None, None) == Language.DE


def test_every_text_of_the_templates_and_the_widget_is_in_the_catalogue_in_both_languages() -> None:
    names = set(CHAT_TEXTS.values())
    for template in TEMPLATES:
        names.update(
            name for name in PLACEHOLDER.findall((WEB_ROOT / template).read_text(encoding="utf-8"))
            if name.startswith("utter_")
        )
    for name in sorted(names):
        assert set(catalogue().languages(name)) == {Language.DE, Language.EN}, name


@pytest.mark.parametrize("language", [Language.DE, Language.EN])
def test_no_placeholder_is_left_in_a_rendered_page(server: Server, language: Language) -> None:
    for path in ("/", "/letters/short"):
        reply = server.get(f"{path}?lang={language.value}")
        assert "{{" not in reply.text and "}}" not in reply.text
        assert f'<html lang="{language.value}">' in reply.text
