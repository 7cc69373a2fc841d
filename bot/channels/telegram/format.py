"""Turn Rasa's Markdown-flavoured responses into safe Telegram messages.

Messages go out as plain text without `parse_mode`, so nothing a user typed (and the bot echoes)
can ever become markup or a disguised link. Markdown links become "text: URL"; Telegram makes the
URL clickable itself, and the user always sees where it points.
"""

from __future__ import annotations

import re

# Telegram counts the 4096-character limit of sendMessage in UTF-16 code units.
MAX_MESSAGE_LENGTH = 4096

_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*(https?://[^\s()]+)\s*\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__", re.DOTALL)

# From the coarsest to the finest boundary; each level is tried only for pieces still too long.
_BOUNDARIES = (
    (re.compile(r"\n[ \t]*\n\s*"), "\n\n"),
    (re.compile(r"[ \t]*\n\s*"), "\n"),
    (re.compile(r"(?<=[.!?…:;])\s+"), " "),
    (re.compile(r"\s+"), " "),
)


def plain_text(markdown: str) -> str:
    """Markdown links -> "text: URL", bold markers dropped, everything else verbatim."""

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        return url if label in {url, url.rstrip("/")} else f"{label}: {url}"

    without_links = _LINK.sub(link, markdown)
    return _BOLD.sub(lambda match: match.group(1) or match.group(2), without_links)


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split into messages of at most `limit` UTF-16 units, preferring paragraph, line and
    sentence boundaries; only whitespace at the cut points is dropped."""
    text = text.strip()
    if not text:
        return []
    return _split(text, limit, level=0)


def _split(text: str, limit: int, level: int) -> list[str]:
    if telegram_length(text) <= limit:
        return [text]
    if level == len(_BOUNDARIES):
        return _hard_cut(text, limit)
    pattern, joiner = _BOUNDARIES[level]
    chunks: list[str] = []
    current = ""
    for part in (piece.strip() for piece in pattern.split(text)):
        if not part:
            continue
        if telegram_length(part) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.extend(_split(part, limit, level + 1))
            continue
        candidate = f"{current}{joiner}{part}" if current else part
        if telegram_length(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    """Last resort for a single "word" longer than a message; never splits a surrogate pair."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        width = telegram_length(char)
        if used + width > limit:
            chunks.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += width
    if current:
        chunks.append("".join(current))
    return chunks

