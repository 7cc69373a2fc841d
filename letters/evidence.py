"""Evidence report: one A4 PDF listing every logged step of a cancellation and the letter's hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

from letters import din5008 as din
from letters.fonts import registered_fonts
from letters.typesetting import DocumentInfo, Flow, RuleOp, Style, TextOp, wrap, write_pdf

CREATOR = "Kündigungsassistent (letters.evidence)"
TOP = 20.0

CHAIN_NOTE = (
    "So lässt sich die Unversehrtheit prüfen: Jeder Eintrag des Protokolls wird mit einem "
    "SHA-256-Hashwert gespeichert, in den auch der Hashwert des vorherigen Eintrags einfließt "
    "(Hash-Kette). Wird ein Eintrag nachträglich geändert, entfernt oder eingefügt, passen die "
    "Hashwerte der folgenden Einträge nicht mehr zusammen; die Prüfung der Kette schlägt dann fehl. "
    "Der SHA-256-Hashwert des Schreibens oben muss mit dem Hashwert der PDF-Datei des Schreibens "
    "übereinstimmen (zum Beispiel mit dem Befehl „sha256sum <Datei>“ berechnet). Der Zugang beim "
    "Anbieter wird dadurch nicht nachgewiesen: Dafür bewahren Sie bitte den Einlieferungsbeleg und "
    "den Auslieferungsbeleg (Einwurf-Einschreiben) zusammen mit einer Kopie des unterschriebenen "
    "Schreibens auf."
)


@dataclass(frozen=True)
class EvidenceEntry:
    time_text: str  # as printed: German local time, formatted by the caller
    kind: str
    description: str
    entry_hash: str


@dataclass(frozen=True)
class EvidenceReport:
    """Everything printed; only data that was verified against the hash chain goes in."""

    reference: str
    generated_text: str  # when the report was made, as printed
    provider: str
    subject: str
    requested_end_text: str
    status: str
    letter_sha256: str
    entries: Tuple[EvidenceEntry, ...]
    # "geprüft gegen die Hash-Kette, Stand …": what was verified, and when.
    verification_text: str


# Table columns: (heading, left edge in mm, width in mm).
_COLUMNS: Tuple[Tuple[str, float, float], ...] = (
    ("Nr.", din.LEFT_MARGIN, 9.0),
    ("Zeitpunkt (dt. Zeit)", din.LEFT_MARGIN + 9.0, 36.0),
    ("Art", din.LEFT_MARGIN + 45.0, 37.0),
    ("Beschreibung", din.LEFT_MARGIN + 82.0, din.TEXT_WIDTH - 82.0),
)
_CELL_GAP = 2.0


def render_evidence_report(report: EvidenceReport) -> bytes:
    fonts = registered_fonts()
    title_style = Style(fonts.bold, 15, 19)
    body = Style(fonts.regular, 9.5, 12.5)
    bold = Style(fonts.bold, 9.5, 12.5)
    small = Style(fonts.regular, 8, 10)
    small_bold = Style(fonts.bold, 8, 10)
    hash_style = Style(fonts.regular, 7, 9, gray=0.3)
    hash_value = Style(fonts.regular, 7.5, 12.5)
    left, width = din.LEFT_MARGIN, din.TEXT_WIDTH

    flow = Flow(TOP, TOP, din.BODY_BOTTOM)
    flow.paragraph(f"Nachweis zu Vorgang {report.reference}", title_style, left, width)
    flow.paragraph(f"Alle Angaben {report.verification_text}.", body, left, width)
    flow.skip(3.0)

    summary = (
        ("Erstellt am", report.generated_text),
        ("Anbieter", report.provider),
        ("Gegenstand", report.subject),
        ("Gewünschtes Vertragsende", report.requested_end_text),
        ("Status", report.status),
        ("SHA-256 des Schreibens", report.letter_sha256),
        ("Einträge", str(len(report.entries))),
    )
    label_width = 50.0
    for label, value in summary:
        style = body
        if label.startswith("SHA-256"):
            style = hash_value  # one unbroken line, so it can be compared with sha256sum output
        lines = wrap(value or "–", style, width - label_width)
        flow.ensure_room(body.leading_mm)
        flow.ops.append(TextOp(left, flow.y + body.ascent_mm, f"{label}:", body))
        for line in lines:
            flow.line(line, style, left + label_width)
    flow.skip(5.0)

    flow.ensure_room(bold.leading_mm * 3)
    flow.line("Protokoll", bold, left)
    flow.skip(1.0)
    _table_header(flow, small_bold)
    if not report.entries:
        flow.line("Keine Einträge.", small, left)
    for number, entry in enumerate(report.entries, start=1):
        _table_row(flow, number, entry, small, small_bold, hash_style)
    flow.skip(6.0)

    flow.ensure_room(bold.leading_mm * 3)
    flow.line("Hinweis zur Prüfung", bold, left)
    flow.paragraph(CHAIN_NOTE, body, left, width)

    info = DocumentInfo(
        title=f"Nachweis zu Vorgang {report.reference}",
        author="Kündigungsassistent",
        subject=f"{report.subject} – {report.provider}",
        creator=CREATOR,
        keywords=report.reference,
    )
    footer = f"Nachweis zu Vorgang {report.reference}"
    return write_pdf(flow.pages, info, footer, draw_marks=False)


def _table_header(flow: Flow, style: Style) -> None:
    flow.ensure_room(style.leading_mm * 3)
    top = flow.y
    for heading, x, _ in _COLUMNS:
        flow.ops.append(TextOp(x, top + style.ascent_mm, heading, style))
    flow.y += style.leading_mm + 0.5
    _rule(flow, 0.6)


def _rule(flow: Flow, width_pt: float) -> None:
    right = din.LEFT_MARGIN + din.TEXT_WIDTH
    flow.ops.append(RuleOp(din.LEFT_MARGIN, flow.y, right, flow.y, width_pt, 0.4))
    flow.y += 1.2


def _table_row(
    flow: Flow, number: int, entry: EvidenceEntry, style: Style, bold: Style, hash_style: Style
) -> None:
    cells: Sequence[str] = (str(number), entry.time_text, entry.kind, entry.description)
    wrapped: List[List[str]] = [
        wrap(text, bold if index == 2 else style, column_width - _CELL_GAP)
        for index, (text, (_, _, column_width)) in enumerate(zip(cells, _COLUMNS))
    ]
    hash_width = din.LEFT_MARGIN + din.TEXT_WIDTH - _COLUMNS[1][1]
    hash_lines = wrap(f"Hash: {entry.entry_hash}", hash_style, hash_width)
    row_lines = max(len(lines) for lines in wrapped)
    row_height = row_lines * style.leading_mm + len(hash_lines) * hash_style.leading_mm + 1.2
    page_before = len(flow.pages)
    if row_height <= flow.bottom - din.CONTINUATION_TOP:
        flow.ensure_room(row_height)
    if len(flow.pages) != page_before:
        _table_header(flow, bold)
    # Rows taller than a page (pathological descriptions) flow line by line instead.
    for line_index in range(row_lines):
        flow.ensure_room(style.leading_mm)
        baseline = flow.y + style.ascent_mm
        for column, lines in enumerate(wrapped):
            if line_index < len(lines):
                x = _COLUMNS[column][1]
                flow.ops.append(TextOp(x, baseline, lines[line_index], bold if column == 2 else style))
        flow.y += style.leading_mm
    for line in hash_lines:
        flow.line(line, hash_style, _COLUMNS[1][1])
    flow.y += 0.6
    _rule(flow, 0.25)
