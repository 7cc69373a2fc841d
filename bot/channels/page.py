"""The web page's own texts in the page's language, from the text catalogue.

The HTML files in bot/web/ are templates: `{{utter_web_...}}` is replaced by that response of
the catalogue (bot/domain/responses/web.yml) in the page's language, HTML-escaped, with
`**bold**` as <strong>; `{{lang}}` by the language code, `{{other_lang}}` by the other one (the language link); `{{chat_texts}}` by the widget's texts
(launcher, send button, input, status lines; in the page's language and in every other one, for
a conversation that switches) as HTML-escaped JSON for bot/web/static/chat.js, which reads them
from a data attribute (no inline script under the CSP).

The page's language: `?lang=en` / `?lang=de` (the language link on the page), else the
browser's Accept-Language (the first of de/en by preference), else German. The chat starts in
that language (chat.js passes it as the first hint, cancellation/language.py); the conversation
then follows what the user writes.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from typing import Dict, Optional, Tuple

from cancellation.texts import catalogue
from cancellation.vocabulary import DEFAULT_LANGUAGE, Language

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")

# chat.js key -> response; what the widget and its status line say.
CHAT_TEXTS: Dict[str, str] = {
    "title": "utter_web_widget_title",
    "subtitle": "utter_web_widget_subtitle",
    "inputHint": "utter_web_input_hint",
    "inputLabel": "utter_web_input_label",
    "send": "utter_web_send",
    "openChat": "utter_web_open_chat",
    "closeChat": "utter_web_close_chat",
    "messages": "utter_web_messages_label",
    "connecting": "utter_web_connecting",
    "loadFailed": "utter_web_load_failed",
    "disconnected": "utter_web_disconnected",
    "unreachable": "utter_web_unreachable",
    "panelTitle": "utter_web_chat_title",
    "panelSubtitle": "utter_web_chat_subtitle",
}


def page_language(requested: Optional[str], accept_language: Optional[str]) -> Language:
    """`?lang=` first, then the browser's preference among our languages, else German."""
    chosen = Language.parse((requested or "").strip().lower())
    if chosen is not None:
        return chosen  # type: ignore[return-value]
    return preferred_language(accept_language) or DEFAULT_LANGUAGE


def preferred_language(accept_language: Optional[str]) -> Optional[Language]:
    """The language of ours the browser prefers: "en-US,en;q=0.9,de;q=0.8" -> en."""
    ranked: list[Tuple[float, int, Language]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, parameters = part.strip().partition(";")
        language = Language.parse(tag.strip().lower().split("-")[0])
        if language is None:
            continue
        quality = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", parameters)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, language))  # type: ignore[arg-type]
    return min(ranked)[2] if ranked else None


def inline_text(key: str, language: Language) -> str:
    """A catalogue text as HTML: escaped, `**x**` as <strong>x</strong>."""
    escaped = html.escape(catalogue().text(key, language), quote=True)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def widget_texts(language: Language) -> Dict[str, str]:
    return {name: catalogue().text(key, language) for name, key in CHAT_TEXTS.items()}


def chat_texts(language: Language) -> str:
    """The widget's texts in the page's language, and in every language under `byLanguage`: the
    conversation may switch ("English please"), and the widget's texts follow it (chat.js)."""
    texts: Dict[str, object] = dict(widget_texts(language))
    texts["language"] = language.value
    texts["byLanguage"] = {other.value: widget_texts(other) for other in Language}
    escaped = html.escape(json.dumps(texts, ensure_ascii=False), quote=True)
    # Nested objects end in "}}", which reads like a template placeholder: braces as entities.
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def render_page(template: str, language: Language) -> str:
    def replace(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name == "lang":
            return language.value
        if name == "other_lang":
            return (Language.DE if language is Language.EN else Language.EN).value
        if name == "chat_texts":
            return chat_texts(language)
        return inline_text(name, language)

    return PLACEHOLDER.sub(replace, template)


@functools.lru_cache(maxsize=16)
def _template(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def page(path: Path, language: Language) -> str:
    return render_page(_template(path), language)
