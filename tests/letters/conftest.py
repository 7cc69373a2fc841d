import dataclasses
import datetime as dt
import io
from typing import Callable, List, Tuple

import pytest
from pypdf import PdfReader

from letters import LetterData, PostalAddress

SENDER = PostalAddress(("Max Mustermann",), "Musterstraße 12", "10115", "Berlin")
RECIPIENT = PostalAddress(
    ("Telefónica Germany GmbH & Co. OHG", "Kundenbetreuung"), "Postfach 1234", "90345", "Nürnberg"
)


def _base_letter() -> LetterData:
    return LetterData(
        reference="KB-2026-7F3K9Q",
        sender=SENDER,
        recipient=RECIPIENT,
        place="Berlin",
        letter_date=dt.date(2026, 11, 26),
        subject_kind="contract",
        subject_label="Mobilfunkvertrag",
        holder_name="Max Mustermann",
        customer_number="123456789",
        phone_number="0176 12345678",
    )


@pytest.fixture
def make_letter() -> Callable[..., LetterData]:
    def make(**changes) -> LetterData:
        return dataclasses.replace(_base_letter(), **changes)

    return make


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> List[str]:
    return [page.extract_text() for page in pdf_reader(pdf).pages]


def flat_text(pdf: bytes) -> str:
    """All text with line breaks and runs of spaces collapsed, so wrapped sentences compare whole."""
    return " ".join(" ".join(page_texts(pdf)).split())


def positioned_text(pdf: bytes, page: int = 0) -> List[Tuple[str, float, float, str, float]]:
    """(text, x, y, font, size) per drawn string; x, y (baseline) in mm from the top-left corner."""
    found: List[Tuple[str, float, float, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
            found.append((text.strip(), tm[4] / 72 * 25.4, 297 - tm[5] / 72 * 25.4, font, font_size))

    pdf_reader(pdf).pages[page].extract_text(visitor_text=visit)
    return found


def right_edge(entry: Tuple[str, float, float, str, float]) -> float:
    """Where a drawn string ends, in mm from the left page edge."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from letters.fonts import BOLD, REGULAR, registered_fonts

    registered_fonts()
    text, x, _, font, size = entry
    font_name = BOLD if font.endswith("-Bold") else REGULAR
    return x + stringWidth(text, font_name, size) / 72 * 25.4


@pytest.fixture
def pdf_tools():
    class Tools:
        reader = staticmethod(pdf_reader)
        pages = staticmethod(page_texts)
        flat = staticmethod(flat_text)
        positioned = staticmethod(positioned_text)
        right_edge = staticmethod(right_edge)

    return Tools
