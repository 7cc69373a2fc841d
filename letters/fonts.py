"""The embedded TrueType fonts (DejaVu Sans), shipped in letters/fonts/ so output never depends on the host.

DejaVu covers Latin (incl. Vietnamese and Polish), Greek and Cyrillic, so any name a user types in
those scripts is drawn with a real glyph instead of a blank box.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FILE = FONT_DIR / "DejaVuSans.ttf"
BOLD_FILE = FONT_DIR / "DejaVuSans-Bold.ttf"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@dataclass(frozen=True)
class FontNames:
    regular: str
    bold: str
    # reportlab's TTF subsetter seeks in a file position shared by all documents, so two PDFs
    # must not be written at the same time (threads in the action server); hold this while saving.
    pdf_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)


# Serialises the one-off registration so that concurrent first renders share one FontNames (and
# so one pdf_lock). A lock holds no data; it is the only module-level object besides constants.
_REGISTRATION_LOCK = threading.Lock()


def registered_fonts() -> FontNames:
    """Register the fonts with reportlab once per process; parsing the TTFs takes ~100 ms."""
    with _REGISTRATION_LOCK:
        return _register_once()


@functools.lru_cache(maxsize=None)
def _register_once() -> FontNames:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.fonts import addMapping

    for name, path in ((REGULAR, REGULAR_FILE), (BOLD, BOLD_FILE)):
        font = TTFont(name, str(path))
        # reportlab re-slices the 0.5 MB glyph table out of the file for every subset it embeds;
        # the file never changes, so keep the slices (saves ~0.5 ms per letter).
        font.face.get_table = functools.lru_cache(maxsize=None)(font.face.get_table)
        pdfmetrics.registerFont(font)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    return FontNames(regular=REGULAR, bold=BOLD)


@functools.lru_cache(maxsize=None)
def _covered_code_points(font_name: str) -> FrozenSet[int]:
    from reportlab.pdfbase import pdfmetrics

    registered_fonts()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def unsupported_characters(text: str, font_name: str = REGULAR) -> FrozenSet[str]:
    """Characters of `text` that the font cannot draw (callers may reject such input early)."""
    covered = _covered_code_points(font_name)
    return frozenset(ch for ch in text if ord(ch) not in covered and ch not in "\n\r\t")
