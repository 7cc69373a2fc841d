"""Safe output for the operator: terminal text without escape sequences, CSV without formulas,
files readable only by their owner.

Attempt data contains text users typed (provider names, subjects). Printed raw, an escape
sequence in it could rewrite the operator's terminal; opened in a spreadsheet, a cell such as
`=HYPERLINK(...)` would run as a formula (CSV injection).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

# CSI / OSC / other escape sequences, then any remaining control character (C0, DEL, C1) and
# the invisible bidirectional overrides that can make text read differently than it is stored.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"
# Spreadsheets treat a cell as a formula when it starts with one of these, also after blanks
# and invisible characters, and some fold the full-width and small forms (＝ ＋ － ＠ ﹦ ...) to
# them: the cell is compared after NFKC, which maps exactly those look-alikes to = + - @.
_FORMULA_CHARACTERS = "=+-@"
_LEADING_BLANKS = re.compile(r"^[\s\x00-\x1f\u200b-\u200f\u2060\ufeff]*")
# Characters that terminals may interpret although JSON leaves them unescaped.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

PRIVATE_FILE_MODE = 0o600


def terminal_text(value: object) -> str:
    """One line of plain text: escape sequences removed, control characters made visible."""
    text = _ESCAPE_SEQUENCE.sub(REPLACEMENT, str(value))
    return _CONTROL.sub(REPLACEMENT, text)


def csv_cell(value: object) -> object:
    """A cell no spreadsheet runs as a formula (a leading apostrophe marks it as text)."""
    if not isinstance(value, str):
        return value
    if value[:1] in ("\t", "\r", "\n"):
        return "'" + value
    start = unicodedata.normalize("NFKC", _LEADING_BLANKS.sub("", value)[:1])
    return "'" + value if start and start[0] in _FORMULA_CHARACTERS else value


def json_text(text: str) -> str:
    """JSON from json.dumps(ensure_ascii=False), with the terminal-unsafe characters escaped."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def write_private_file(path: str | Path, data: bytes) -> None:
    """Create or replace a file readable and writable by its owner only (0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        # An existing file keeps its old mode through O_CREAT: tighten it as well.
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    finally:
        os.close(descriptor)
