"""The German text of a cancellation letter, built from LetterData (no layout, no PDF).

Every clause comes from letters/clauses.yml; this module only chooses and fills them. Wording
follows /work/shared/LEGAL.md: standard clauses only, no promises about the outcome.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Tuple, Union

import yaml

from letters.model import LetterData, Statement
from letters.typesetting import NO_BREAK_SPACE

CLAUSES_FILE = Path(__file__).with_name("clauses.yml")
REMINDER_DEADLINE_DAYS = 14


@functools.lru_cache(maxsize=1)
def clauses() -> Mapping[str, Any]:
    """The clause catalogue, read once."""
    return yaml.safe_load(CLAUSES_FILE.read_text(encoding="utf-8"))


def clause(path: str, **values: Any) -> str:
    """The clause at "section.name" with its placeholders filled; a missing value is an error."""
    node: Any = clauses()
    for part in path.split("."):
        node = node[part]
    text = " ".join(str(node).split())
    return string.Formatter().vformat(text, (), {name: _shown(value) for name, value in values.items()})


def _shown(value: Any) -> str:
    return german_date(value) if isinstance(value, dt.date) else str(value)


_CITATION_PREFIX = re.compile(r"(§§?|\b(?:Art|Abs|Nr|S)\.) (?=\S)")
_LAW_ABBREVIATION = re.compile(r" (?=(?:TKG|BGB|EGBGB|DSGVO|UWG|RDG|VVG|EnWG|StromGVV|GasGVV)\b)")


def keep_citations_together(text: str) -> str:
    """Stop line breaks inside "§ 57 Abs. 1 TKG", where a lone "§" at a line end reads badly."""
    text = _CITATION_PREFIX.sub(lambda match: match.group(1) + NO_BREAK_SPACE, text)
    return _LAW_ABBREVIATION.sub(NO_BREAK_SPACE, text)


def _glued(text: str) -> str:
    return text.replace(" ", NO_BREAK_SPACE)


@dataclass(frozen=True)
class Fields:
    """Label/value lines, e.g. the data identifying the contract holder."""

    intro: str
    rows: Tuple[Tuple[str, str], ...]


Block = Union[str, Fields]


@dataclass(frozen=True)
class LetterText:
    subject_lines: Tuple[str, ...]  # first line is the subject proper, printed bold
    salutation: str
    body: Tuple[Block, ...]
    closing: str
    signer: str
    enclosures: Tuple[str, ...]
    enclosures_heading: str


def german_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def sender_name(data: LetterData) -> str:
    return data.sender.lines[0] if data.sender.lines else ""


def is_death_case(data: LetterData) -> bool:
    """Someone writes for a holder who died (never decided by comparing names)."""
    return data.special is not None and data.special.is_death


def subject_title(data: LetterData) -> str:
    return clause(f"subject.{_kind(data)}", label=data.subject_label)


def contract_numbers(data: LetterData) -> Tuple[Tuple[str, str], ...]:
    labels = clauses()["numbers"]
    candidates = (
        (labels["customer_number"], data.customer_number),
        (labels["contract_number"], data.contract_number),
        (labels["phone_number"], data.phone_number),
    )
    return tuple((label, value) for label, value in candidates if value)


def enclosure_text(item: str) -> str:
    """The printed name of an enclosure key ("death_certificate"); other text as given."""
    return clauses()["enclosures"].get(item, item)


def compose(data: LetterData) -> LetterText:
    subject = [subject_title(data)]
    numbers = contract_numbers(data)
    if numbers:
        subject.append(", ".join(_glued(f"{label} {value}") for label, value in numbers))
    if is_death_case(data):
        subject.append(clause("subject.death", holder=data.holder_name))
    if data.reminder_of:
        subject.append(clause("subject.reminder", date=data.reminder_of[1]))
    earlier = data.earlier_cancellation
    if earlier is not None:
        subject.append(clause("subject.earlier", date=earlier.on) if earlier.on else clause("subject.earlier_undated"))

    body: list = []
    special = data.special
    if special is not None and special.preamble:
        body.append(_statements(special.preamble))
    if data.reminder_of:
        body.append(_reminder_paragraph(data, *data.reminder_of))
    if earlier is not None:
        body.append(_earlier_paragraph(data, earlier.on))
    body.append(_declaration(data, repeated=_repeats(data)))
    body.append(_identification(data))
    body.append(_confirmation_request(data))
    if data.revoke_sepa_mandate:
        body.append(clause("extras.sepa_death", holder=data.holder_name) if is_death_case(data) else clause("extras.sepa"))
    if data.request_number_porting:
        number = (
            clause("extras.porting_number", number=data.phone_number)
            if data.phone_number
            else clause("extras.porting_no_number")
        )
        body.append(clause("extras.porting", number=number))
    if data.object_to_advertising:
        body.append(clause("extras.advertising"))
    body.extend(paragraph for paragraph in data.extra_paragraphs if paragraph.strip())

    body = [keep_citations_together(block) if isinstance(block, str) else block for block in body]
    body[0] = _lowercase_first(body[0])
    return LetterText(
        subject_lines=tuple(subject),
        salutation=clauses()["salutation"],
        body=tuple(body),
        closing=clauses()["closing"],
        signer=sender_name(data),
        enclosures=tuple(enclosure_text(item) for item in data.enclosures if item.strip()),
        enclosures_heading=clauses()["enclosures_heading"],
    )


def _kind(data: LetterData) -> str:
    return "option" if data.subject_kind == "option" else "contract"


def _lowercase_first(block: Block) -> Block:
    # The text after "Sehr geehrte Damen und Herren," continues the sentence in lower case.
    # Every opening clause starts with a word that is not a noun.
    if isinstance(block, str) and block:
        return block[0].lower() + block[1:]
    return block


def _statements(statements: Tuple[Statement, ...]) -> str:
    return " ".join(_sentence(clause(f"statements.{s.clause}", **dict(s.values))) for s in statements)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _termination_terms(data: LetterData) -> str:
    end = data.requested_end
    special = data.special
    if special is None or not special.terms:
        return clause("declaration.ordinary_at", end=end) if end else clause("declaration.ordinary")
    extraordinary = clause(f"special_terms.{special.terms}", end=special.end or "")
    fallback = clause("declaration.fallback_at", end=end) if end else clause("declaration.fallback")
    return f"{extraordinary}, {fallback}"


def _declaration(data: LetterData, repeated: bool) -> str:
    opener = clause("declaration.opener_repeated" if repeated else "declaration.opener")
    subject = clause(f"declaration.{_kind(data)}", label=data.subject_label)
    parts = [clause("declaration.sentence", opener=opener, subject=subject, terms=_termination_terms(data))]
    if data.subject_kind == "option":
        parts.append(clause("declaration.option_only"))
    special = data.special
    if special is not None:
        if special.terms and special.legal_basis.strip():
            parts.append(clause("declaration.legal_basis", basis=special.legal_basis.strip()))
        if special.statements:
            parts.append(_statements(special.statements))
    return " ".join(parts)


def _reminder_paragraph(data: LetterData, first_reference: str, first_date: dt.date) -> str:
    what = clauses()["reminder"][_kind(data)]
    return clause("reminder.paragraph", date=first_date, reference=first_reference, what=what)


def _earlier_paragraph(data: LetterData, on: Optional[dt.date]) -> str:
    what = clauses()["reminder"][_kind(data)]
    return clause("earlier.paragraph", date=on, what=what) if on else clause("earlier.paragraph_undated", what=what)


def _repeats(data: LetterData) -> bool:
    """A reminder or a cancellation made elsewhere: the letter cancels again and sets a deadline."""
    return bool(data.reminder_of) or data.earlier_cancellation is not None


def _identification(data: LetterData) -> Fields:
    labels = clauses()["identification"]
    death = is_death_case(data)
    name = clause("identification.deceased", name=data.holder_name) if death else data.holder_name
    rows = [(labels["name"], name)]
    if data.date_of_birth:
        rows.append((labels["date_of_birth"], german_date(data.date_of_birth)))
    rows.extend(contract_numbers(data))
    if data.customer_password:
        rows.append((labels["customer_password"], data.customer_password))
    return Fields(intro=labels["intro_death" if death else "intro"], rows=tuple(rows))


def reminder_deadline(data: LetterData) -> Optional[dt.date]:
    if not _repeats(data):
        return None
    return data.letter_date + dt.timedelta(days=REMINDER_DEADLINE_DAYS)


def _confirmation_request(data: LetterData) -> str:
    what = clauses()["confirmation"][_kind(data)]
    deadline = reminder_deadline(data)
    if deadline:
        text = clause("confirmation.request_by", days=REMINDER_DEADLINE_DAYS, deadline=deadline, what=what)
    else:
        text = clause("confirmation.request", what=what)
    if data.confirmation_email:
        text += " " + clause("confirmation.email", email=data.confirmation_email)
    return text
