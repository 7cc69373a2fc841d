"""Render a cancellation letter as PDF: DIN 5008:2020 form B, for a window envelope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from letters import din5008 as din
from letters.fonts import FontNames, registered_fonts
from letters.model import LetterData, PostalAddress
from letters.typesetting import (
    DocumentInfo,
    Flow,
    Op,
    RuleOp,
    Style,
    TextOp,
    fit_line,
    fit_lines,
    text_width_mm,
    wrap,
    write_pdf,
)
from letters.wording import Fields, LetterText, compose, german_date, sender_name

CREATOR = "Kündigungsassistent (letters.render)"
BODY_SIZE = 10.0
BODY_LEADING = 13.0
SIGNATURE_SPACE = 14.0  # mm for the handwritten signature
SIGNATURE_LINE_WIDTH = 70.0
FIELD_LABEL_WIDTH = 36.0
FIELD_INDENT = 5.0
# Six recipient lines fill the 27.3 mm recipient zone exactly.
RECIPIENT_LEADING = din.RECIPIENT_ZONE_HEIGHT / din.RECIPIENT_ZONE_MAX_LINES * din.MM_TO_PT


def render(data: LetterData) -> bytes:
    """The letter as PDF bytes; equal input gives byte-identical output."""
    fonts = registered_fonts()
    text = compose(data)
    styles = _Styles.for_fonts(fonts)
    flow = Flow(din.SUBJECT_TOP, din.CONTINUATION_TOP, din.BODY_BOTTOM)
    flow.ops.extend(_letterhead(data.sender, styles))
    flow.ops.extend(_address_field(data, styles))
    flow.ops.extend(_information_block(data, styles))
    _body(flow, text, styles)
    info = DocumentInfo(
        title=f"{text.subject_lines[0]} – {data.reference}",
        author=text.signer,
        subject=f"Kündigungsschreiben an {_first(data.recipient.printable_lines())}",
        creator=CREATOR,
        keywords=data.reference,
    )
    return write_pdf(flow.pages, info, f"Vorgangsnummer {data.reference}", draw_marks=True)


@dataclass(frozen=True)
class _Styles:
    body: Style
    bold: Style
    sender_name: Style
    sender_detail: Style
    return_line: Style
    postal_note: Style
    recipient: Style
    info: Style
    info_label: Style

    @classmethod
    def for_fonts(cls, fonts: FontNames) -> "_Styles":
        return cls(
            body=Style(fonts.regular, BODY_SIZE, BODY_LEADING),
            bold=Style(fonts.bold, BODY_SIZE, BODY_LEADING),
            sender_name=Style(fonts.bold, 12, 15),
            sender_detail=Style(fonts.regular, 9, 11.5),
            return_line=Style(fonts.regular, 7, 8.5),
            postal_note=Style(fonts.bold, 9, 10),
            recipient=Style(fonts.regular, BODY_SIZE, RECIPIENT_LEADING),
            info=Style(fonts.regular, 9, 12),
            info_label=Style(fonts.regular, 7.5, 9, gray=0.35),
        )


def _first(lines: Tuple[str, ...]) -> str:
    return lines[0] if lines else ""


def _sender_detail_line(sender: PostalAddress) -> str:
    parts = list(sender.lines[1:]) + [sender.street, f"{sender.postcode} {sender.city}".strip(), sender.country]
    return " · ".join(part for part in parts if part)


def _letterhead(sender: PostalAddress, styles: _Styles) -> List[TextOp]:
    ops: List[TextOp] = []
    y = din.SENDER_BLOCK_TOP
    # The letterhead has a fixed height: long names are cut here but printed in full under the
    # signature and in the identification block.
    for line in fit_lines(_first(sender.lines), styles.sender_name, din.TEXT_WIDTH, 2):
        ops.append(TextOp(din.LEFT_MARGIN, y + styles.sender_name.ascent_mm, line, styles.sender_name))
        y += styles.sender_name.leading_mm
    for line in fit_lines(_sender_detail_line(sender), styles.sender_detail, din.TEXT_WIDTH, 2):
        ops.append(TextOp(din.LEFT_MARGIN, y + styles.sender_detail.ascent_mm, line, styles.sender_detail))
        y += styles.sender_detail.leading_mm
    return ops


def _recipient_lines(recipient: PostalAddress, style: Style, width: float) -> Tuple[str, ...]:
    lines = recipient.printable_lines()
    # Street, postcode/city and country stay one line each; a name or company line too wide for
    # the window wraps (a company's legal form must not be cut off) while the lines fit the zone.
    tail = 1 + bool(recipient.street) + bool(recipient.country)
    wrapped = tuple(part for line in lines[:-tail] for part in wrap(line, style, width))
    if len(wrapped) + tail <= din.RECIPIENT_ZONE_MAX_LINES:
        return wrapped + lines[-tail:]
    if len(lines) <= din.RECIPIENT_ZONE_MAX_LINES:
        return lines
    # Too many lines for the window: merge the surplus name lines, keep street, city and country intact.
    head = lines[:-tail]
    room = din.RECIPIENT_ZONE_MAX_LINES - tail
    merged = head[: room - 1] + (", ".join(head[room - 1 :]),)
    return merged + lines[-tail:]


def _address_field(data: LetterData, styles: _Styles) -> List[Op]:
    left = din.ADDRESS_FIELD_LEFT + din.ADDRESS_FIELD_TEXT_INSET
    width = din.ADDRESS_FIELD_WIDTH - din.ADDRESS_FIELD_TEXT_INSET - 2.0
    top = din.ADDRESS_FIELD_TOP
    sender_city = f"{data.sender.postcode} {data.sender.city}".strip()
    return_line = " · ".join(
        part for part in (sender_name(data), data.sender.street, sender_city, data.sender.country) if part
    )
    ops: List[Op] = []
    return_text = fit_line(return_line, styles.return_line, width)
    return_baseline = top + 4.0
    ops.append(TextOp(left, return_baseline, return_text, styles.return_line))
    underline_y = return_baseline + 0.8
    ops.append(
        RuleOp(left, underline_y, left + text_width_mm(return_text, styles.return_line), underline_y, 0.3)
    )
    if data.postal_note.strip():
        note = fit_line(data.postal_note, styles.postal_note, width)
        ops.append(TextOp(left, top + din.NOTE_ZONE_HEIGHT - 2.2, note, styles.postal_note))
    recipient_top = top + din.NOTE_ZONE_HEIGHT
    for index, line in enumerate(_recipient_lines(data.recipient, styles.recipient, width)):
        baseline = recipient_top + index * styles.recipient.leading_mm + styles.recipient.ascent_mm + 0.6
        ops.append(TextOp(left, baseline, fit_line(line, styles.recipient, width), styles.recipient))
    return ops


def _information_block(data: LetterData, styles: _Styles) -> List[TextOp]:
    # DIN allows the block to run to 200 mm; stopping at the 20 mm right margin keeps one text edge.
    left = din.INFO_BLOCK_LEFT
    width = min(din.INFO_BLOCK_WIDTH, din.PAGE_WIDTH - din.RIGHT_MARGIN - din.INFO_BLOCK_LEFT)
    y = din.INFO_BLOCK_TOP
    ops: List[TextOp] = []

    def put(text: str, style: Style) -> None:
        nonlocal y
        ops.append(TextOp(left, y + style.ascent_mm, text, style))
        y += style.leading_mm

    put("Vorgangsnummer", styles.info_label)
    for line in fit_lines(data.reference, styles.info, width, 2):
        put(line, styles.info)
    if data.reminder_of:
        y += 1.5
        put("Erstes Schreiben", styles.info_label)
        reference, first_date = data.reminder_of
        for line in fit_lines(f"{reference} vom {german_date(first_date)}", styles.info, width, 2):
            put(line, styles.info)
    y += 1.5
    put("Ort, Datum", styles.info_label)
    place_date = f"{data.place}, {german_date(data.letter_date)}" if data.place.strip() else german_date(
        data.letter_date
    )
    date_text = german_date(data.letter_date)
    lines = fit_lines(place_date, styles.info, width, 2)
    if not lines[-1].endswith(date_text):
        # A cut place name must never hide the date.
        lines = [fit_line(data.place, styles.info, width - text_width_mm(", " + date_text, styles.info))
                 + ", " + date_text]
    for line in lines:
        put(line, styles.info)
    return ops


def _body(flow: Flow, text: LetterText, styles: _Styles) -> None:
    left, width = din.LEFT_MARGIN, din.TEXT_WIDTH
    blank = styles.body.leading_mm
    for line in text.subject_lines:
        flow.paragraph(line, styles.bold, left, width)
    flow.skip(2 * blank)
    flow.line(text.salutation, styles.body, left)
    flow.skip(blank)
    for block in text.body:
        if isinstance(block, Fields):
            _fields(flow, block, styles)
        else:
            flow.paragraph(block, styles.body, left, width)
        flow.skip(blank)
    _closing(flow, text, styles)
    if text.enclosures:
        flow.skip(blank)
        flow.ensure_room(2 * blank)  # never a lone heading at the foot of a page
        flow.line(text.enclosures_heading, styles.bold, left)
        for item in text.enclosures:
            flow.paragraph(item, styles.body, left, width)


def _fields(flow: Flow, block: Fields, styles: _Styles) -> None:
    left = din.LEFT_MARGIN + FIELD_INDENT
    value_left = left + FIELD_LABEL_WIDTH
    value_width = din.LEFT_MARGIN + din.TEXT_WIDTH - value_left
    flow.ensure_room(2 * styles.body.leading_mm)
    flow.paragraph(block.intro, styles.body, din.LEFT_MARGIN, din.TEXT_WIDTH)
    for label, value in block.rows:
        value_lines = wrap(value, styles.body, value_width)
        flow.ensure_room(styles.body.leading_mm)
        flow.ops.append(TextOp(left, flow.y + styles.body.ascent_mm, f"{label}:", styles.body))
        for line in value_lines:
            flow.line(line, styles.body, value_left)


def _closing(flow: Flow, text: LetterText, styles: _Styles) -> None:
    left = din.LEFT_MARGIN
    signer_lines = wrap(text.signer, styles.body, din.TEXT_WIDTH)
    # Greeting, signature space and the first line of the typed name stay on one page.
    needed = 2 * styles.body.leading_mm + SIGNATURE_SPACE + styles.body.leading_mm
    flow.ensure_room(needed)
    flow.line(text.closing, styles.body, left)
    flow.y += SIGNATURE_SPACE
    line_y = flow.y
    flow.ops.append(RuleOp(left, line_y, left + SIGNATURE_LINE_WIDTH, line_y, 0.4, 0.5))
    flow.y += 0.8
    for line in signer_lines:
        flow.line(line, styles.body, left)
