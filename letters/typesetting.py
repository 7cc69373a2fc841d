"""Minimal typesetting on the reportlab canvas: word wrapping, page flow and PDF output.

Platypus would do this too, but costs ~10x the time per letter and parses markup; drawing plain
strings means user text can never be interpreted as markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import List, Sequence, Tuple, Union

from letters import din5008 as din
from letters.fonts import registered_fonts

ELLIPSIS = "…"
# A no-break space glues words for wrapping ("§ 57", "0176 12345678"); it is drawn as a plain
# space so that copied or extracted text reads normally.
NO_BREAK_SPACE = "\u00a0"
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0]+")


def words(text: str) -> List[str]:
    return [word for word in _BREAKABLE_SPACE.split(text) if word]
PT_PER_MM = din.MM_TO_PT


@dataclass(frozen=True)
class Style:
    font: str
    size: float  # pt
    leading: float  # pt
    gray: float = 0.0  # 0 = black

    @property
    def leading_mm(self) -> float:
        return self.leading / PT_PER_MM

    @property
    def ascent_mm(self) -> float:
        # Baseline offset from the top of a line box; DejaVu's cap height is ~0.73 em.
        return 0.78 * self.size / PT_PER_MM


@dataclass(frozen=True)
class TextOp:
    x: float  # mm from the left edge; the right edge when align == "right"
    baseline: float  # mm from the top edge
    text: str
    style: Style
    align: str = "left"


@dataclass(frozen=True)
class RuleOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width_pt: float = 0.5
    gray: float = 0.0


Op = Union[TextOp, RuleOp]


def text_width_mm(text: str, style: Style) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, style.font, style.size) / PT_PER_MM


def _break_long_word(word: str, style: Style, width_mm: float) -> List[str]:
    """Split a word wider than the line (e.g. 10,000 characters without spaces) at character level."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    limit = width_mm * PT_PER_MM
    pieces: List[str] = []
    start = 0
    used = 0.0
    for index, char in enumerate(word):
        char_width = stringWidth(char, style.font, style.size)
        if used + char_width > limit and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces


def wrap(text: str, style: Style, width_mm: float) -> List[str]:
    """Greedy word wrap; explicit newlines are kept, runs of whitespace collapse to one space."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    limit = width_mm * PT_PER_MM
    space = stringWidth(" ", style.font, style.size)
    lines: List[str] = []
    for hard_line in text.split("\n"):
        current: List[str] = []
        used = 0.0
        for word in words(hard_line):
            word_width = stringWidth(word, style.font, style.size)
            if word_width > limit:
                pieces = _break_long_word(word, style, width_mm)
                if current:
                    lines.append(" ".join(current))
                lines.extend(pieces[:-1])
                current = [pieces[-1]]
                used = stringWidth(pieces[-1], style.font, style.size)
                continue
            needed = word_width if not current else used + space + word_width
            if current and needed > limit:
                lines.append(" ".join(current))
                current, used = [word], word_width
            else:
                current.append(word)
                used = needed
        lines.append(" ".join(current))
    return lines


def fit_line(text: str, style: Style, width_mm: float) -> str:
    """One line that fits `width_mm`, cut with an ellipsis where needed (fixed-size fields only)."""
    text = " ".join(words(text))
    if text_width_mm(text, style) <= width_mm:
        return text
    lines = wrap(text, style, width_mm - text_width_mm(ELLIPSIS, style))
    return lines[0].rstrip() + ELLIPSIS


def fit_lines(text: str, style: Style, width_mm: float, max_lines: int) -> List[str]:
    """Wrap to at most `max_lines`; the last line ends with an ellipsis if text was cut."""
    lines = wrap(text, style, width_mm)
    if len(lines) <= max_lines:
        return lines
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    return kept + [fit_line(rest + " " + ELLIPSIS, style, width_mm)]


class Flow:
    """Places lines top to bottom and opens a new page when the body area is full.

    Mutable on purpose, but lives only inside one render call.
    """

    def __init__(self, first_top: float, continuation_top: float, bottom: float) -> None:
        self.pages: List[List[Op]] = [[]]
        self.y = first_top
        self.continuation_top = continuation_top
        self.bottom = bottom

    @property
    def ops(self) -> List[Op]:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.continuation_top

    def ensure_room(self, height_mm: float) -> None:
        at_top = self.y <= self.continuation_top + 0.01 and len(self.pages) > 1
        if self.y + height_mm > self.bottom and not at_top:
            self.new_page()

    def skip(self, height_mm: float) -> None:
        # Whitespace at the top of a new page is dropped, not carried over.
        if self.y + height_mm > self.bottom:
            self.new_page()
        else:
            self.y += height_mm

    def line(self, text: str, style: Style, x: float, align: str = "left") -> None:
        self.ensure_room(style.leading_mm)
        self.ops.append(TextOp(x, self.y + style.ascent_mm, text, style, align))
        self.y += style.leading_mm

    def paragraph(self, text: str, style: Style, x: float, width_mm: float) -> None:
        for text_line in wrap(text, style, width_mm):
            self.line(text_line, style, x)


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    creator: str
    keywords: str = ""


FOOTER_STYLE_SIZE = 7.5


def write_pdf(
    pages: Sequence[Sequence[Op]],
    info: DocumentInfo,
    footer_text: str,
    draw_marks: bool,
) -> bytes:
    """Draw pre-laid-out pages; knowing the page count up front gives "Seite x von y"."""
    from reportlab.pdfgen.canvas import Canvas

    fonts = registered_fonts()
    footer_style = Style(fonts.regular, FOOTER_STYLE_SIZE, 9, gray=0.35)
    with fonts.pdf_lock:
        buffer = io.BytesIO()
        # invariant=1 fixes the creation date and document id: equal input gives equal bytes, so the
        # SHA-256 logged as evidence can be reproduced by re-rendering.
        canvas = Canvas(
            buffer,
            pagesize=(din.PAGE_WIDTH * PT_PER_MM, din.PAGE_HEIGHT * PT_PER_MM),
            invariant=1,
            pageCompression=0,
            initialFontName=fonts.regular,
            lang="de-DE",
        )
        canvas.setTitle(info.title)
        canvas.setAuthor(info.author)
        canvas.setSubject(info.subject)
        canvas.setCreator(info.creator)
        if info.keywords:
            canvas.setKeywords(info.keywords)
        total = len(pages)
        for number, ops in enumerate(pages, start=1):
            page_ops: List[Op] = list(_marks()) if draw_marks else []
            page_ops.extend(ops)
            page_ops.append(TextOp(din.LEFT_MARGIN, din.FOOTER_BASELINE, footer_text, footer_style))
            if total > 1:
                page_label = f"Seite {number} von {total}"
                right = din.PAGE_WIDTH - din.RIGHT_MARGIN
                page_ops.append(TextOp(right, din.FOOTER_BASELINE, page_label, footer_style, "right"))
            _draw_page(canvas, page_ops)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _marks() -> Tuple[RuleOp, ...]:
    marks = (
        (din.FOLD_MARK_1, din.FOLD_MARK_LENGTH),
        (din.HOLE_MARK, din.HOLE_MARK_LENGTH),
        (din.FOLD_MARK_2, din.FOLD_MARK_LENGTH),
    )
    return tuple(RuleOp(din.MARK_LEFT, y, din.MARK_LEFT + length, y, 0.4, 0.45) for y, length in marks)


def _draw_page(canvas: "object", ops: Sequence[Op]) -> None:
    """All text of a page goes into one PDF text object, switching font and colour only on change.

    One drawString per line would open a text object and repeat the font selection every time,
    which costs about a third of the rendering time.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    height = din.PAGE_HEIGHT
    text_object = canvas.beginText()
    current_font = None
    current_gray = None
    for op in ops:
        if isinstance(op, RuleOp):
            canvas.setStrokeGray(op.gray)
            canvas.setLineWidth(op.width_pt)
            canvas.line(
                op.x1 * PT_PER_MM,
                (height - op.y1) * PT_PER_MM,
                op.x2 * PT_PER_MM,
                (height - op.y2) * PT_PER_MM,
            )
            continue
        style = op.style
        if (style.font, style.size) != current_font:
            text_object.setFont(style.font, style.size)
            current_font = (style.font, style.size)
        if style.gray != current_gray:
            text_object.setFillGray(style.gray)
            current_gray = style.gray
        text = op.text.replace(NO_BREAK_SPACE, " ")
        x = op.x * PT_PER_MM
        if op.align == "right":
            x -= stringWidth(text, style.font, style.size)
        elif op.align == "center":
            x -= stringWidth(text, style.font, style.size) / 2
        text_object.setTextOrigin(x, (height - op.baseline) * PT_PER_MM)
        text_object.textOut(text)
    canvas.drawText(text_object)
