"""Text of a PDF, as a screen reader or copy/paste would get it."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace (including line breaks) collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
