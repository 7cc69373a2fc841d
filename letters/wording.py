"""The German text of a cancellation letter, built from LetterData (no layout, no PDF).

Wording follows /work/shared/LEGAL.md: standard clauses only, no promises about the outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from letters.model import LetterData
from letters.typesetting import NO_BREAK_SPACE

SALUTATION = "Sehr geehrte Damen und Herren,"
CLOSING = "Mit freundlichen Grüßen"
ENCLOSURES_HEADING = "Anlagen"
REMINDER_DEADLINE_DAYS = 14
NEXT_POSSIBLE = "zum nächstmöglichen Zeitpunkt"


_CITATION_PREFIX = re.compile(r"(§§?|\b(?:Art|Abs|Nr|S)\.) (?=\S)")
_LAW_ABBREVIATION = re.compile(r" (?=(?:TKG|BGB|EGBGB|DSGVO|UWG|RDG|VVG)\b)")


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


def german_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def sender_name(data: LetterData) -> str:
    return data.sender.lines[0] if data.sender.lines else ""


def is_death_case(data: LetterData) -> bool:
    """The holder differs from the sender only when an heir cancels for a deceased holder."""
    holder = " ".join(data.holder_name.split()).casefold()
    sender = " ".join(sender_name(data).split()).casefold()
    return bool(holder) and holder != sender


def subject_title(data: LetterData) -> str:
    if data.subject_kind == "option":
        return f"Kündigung der Option „{data.subject_label}“"
    return f"Kündigung {data.subject_label}"


def contract_numbers(data: LetterData) -> Tuple[Tuple[str, str], ...]:
    candidates = (
        ("Kundennummer", data.customer_number),
        ("Vertragsnummer", data.contract_number),
        ("Rufnummer", data.phone_number),
    )
    return tuple((label, value) for label, value in candidates if value)


def compose(data: LetterData) -> LetterText:
    subject = [subject_title(data)]
    numbers = contract_numbers(data)
    if numbers:
        subject.append(", ".join(_glued(f"{label} {value}") for label, value in numbers))
    if is_death_case(data):
        subject.append(f"Todesfall: Vertrag von {data.holder_name}")
    if data.reminder_of:
        _, first_date = data.reminder_of
        subject.append(f"Erinnerung an mein Schreiben vom {german_date(first_date)}")

    body: list = []
    if is_death_case(data):
        body.append(_death_paragraph(data))
    if data.reminder_of:
        body.append(_reminder_paragraph(data, *data.reminder_of))
    body.append(_declaration(data, repeated=bool(data.reminder_of)))
    body.append(_identification(data))
    body.append(_confirmation_request(data))
    if data.revoke_sepa_mandate:
        body.append(
            "Das Ihnen erteilte SEPA-Lastschriftmandat widerrufe ich mit Wirkung nach dem Einzug "
            "der Schlussrechnung. Danach ziehen Sie bitte keine Beträge mehr von meinem Konto ein."
        )
    if data.request_number_porting:
        number = f"meine Rufnummer {data.phone_number}" if data.phone_number else "meine Rufnummer"
        body.append(
            f"Ich möchte {number} zu einem anderen Anbieter mitnehmen (§ 59 TKG). Bitte geben Sie "
            "die Rufnummer frei, sobald mein neuer Anbieter die Mitnahme bei Ihnen beantragt. "
            "Für die Rufnummernmitnahme dürfen keine direkten Entgelte berechnet werden "
            "(§ 59 Abs. 7 TKG)."
        )
    if data.object_to_advertising:
        body.append(
            "Der Verarbeitung meiner personenbezogenen Daten zu Zwecken der Direktwerbung "
            "widerspreche ich nach Art. 21 Abs. 2 DSGVO. In Werbe- oder Rückgewinnungsanrufe "
            "willige ich nicht ein (§ 7 UWG); bitte nehmen Sie zu diesen Zwecken keinen Kontakt "
            "mit mir auf, weder telefonisch noch per E-Mail, SMS oder Post."
        )
    body.extend(paragraph for paragraph in data.extra_paragraphs if paragraph.strip())

    body = [keep_citations_together(block) if isinstance(block, str) else block for block in body]
    body[0] = _lowercase_first(body[0])
    return LetterText(
        subject_lines=tuple(subject),
        salutation=SALUTATION,
        body=tuple(body),
        closing=CLOSING,
        signer=sender_name(data),
        enclosures=tuple(item for item in data.enclosures if item.strip()),
    )


def _lowercase_first(block: Block) -> Block:
    # The text after "Sehr geehrte Damen und Herren," continues the sentence in lower case.
    # Every opening clause built here starts with a word that is not a noun.
    if isinstance(block, str) and block:
        return block[0].lower() + block[1:]
    return block


def _subject_phrase(data: LetterData) -> str:
    if data.subject_kind == "option":
        return f"die Option „{data.subject_label}“ zu dem oben genannten Vertrag"
    return "den oben genannten Vertrag"


def _termination_terms(data: LetterData) -> str:
    end = german_date(data.requested_end) if data.requested_end else None
    special = data.special
    if special is None:
        if end:
            return f"zum {end}, hilfsweise {NEXT_POSSIBLE}"
        return f"fristgerecht {NEXT_POSSIBLE}"
    ordinary = f"hilfsweise ordentlich zum {end}, weiter hilfsweise {NEXT_POSSIBLE}" if end else (
        f"hilfsweise ordentlich {NEXT_POSSIBLE}"
    )
    if special.ground == "relocation":
        # § 60 Abs. 2 TKG grants one month's notice on relocation, not termination without notice.
        return f"wegen meines Umzugs außerordentlich mit einer Frist von einem Monat, {ordinary}"
    return f"außerordentlich und fristlos, {ordinary}"


def _declaration(data: LetterData, repeated: bool) -> str:
    opener = "Vorsorglich kündige ich hiermit nochmals" if repeated else "Hiermit kündige ich"
    sentence = f"{opener} {_subject_phrase(data)} {_termination_terms(data)}."
    parts = [sentence]
    if data.subject_kind == "option":
        parts.append(
            "Die Kündigung betrifft ausschließlich diese Option; der Vertrag im Übrigen soll "
            "unverändert fortbestehen."
        )
    if data.special is not None:
        if data.special.legal_basis.strip():
            parts.append(f"Die außerordentliche Kündigung stütze ich auf {data.special.legal_basis.strip()}.")
        if data.special.statement.strip():
            parts.append(data.special.statement.strip())
    return " ".join(parts)


def _death_paragraph(data: LetterData) -> str:
    text = (
        f"Der oben genannte Vertrag läuft auf den Namen {data.holder_name}. "
        f"{data.holder_name} ist verstorben; ich schreibe Ihnen als Erbe bzw. Erbin (§ 1922 BGB)."
    )
    if any("sterbeurkunde" in item.casefold() for item in data.enclosures):
        text += " Eine Kopie der Sterbeurkunde liegt bei."
    return text


def _reminder_paragraph(data: LetterData, first_reference: str, first_date: dt.date) -> str:
    thing = "die Option" if data.subject_kind == "option" else "den Vertrag"
    return (
        f"Mit meinem Schreiben vom {german_date(first_date)} (Vorgangsnummer {first_reference}) "
        f"habe ich {thing} gekündigt. Eine Bestätigung habe ich bis heute nicht erhalten."
    )


def _identification(data: LetterData) -> Fields:
    name = f"{data.holder_name} (verstorben)" if is_death_case(data) else data.holder_name
    rows = [("Name", name)]
    if data.date_of_birth:
        rows.append(("Geburtsdatum", german_date(data.date_of_birth)))
    rows.extend(contract_numbers(data))
    if data.customer_password:
        rows.append(("Kundenkennzahl", data.customer_password))
    intro = "Angaben zum Vertrag:" if is_death_case(data) else "Zur Zuordnung meiner Kündigung:"
    return Fields(intro=intro, rows=tuple(rows))


def reminder_deadline(data: LetterData) -> Optional[dt.date]:
    if not data.reminder_of:
        return None
    return data.letter_date + dt.timedelta(days=REMINDER_DEADLINE_DAYS)


def _confirmation_request(data: LetterData) -> str:
    what = "die Option" if data.subject_kind == "option" else "der Vertrag"
    deadline = reminder_deadline(data)
    if deadline:
        text = (
            f"Bitte bestätigen Sie mir innerhalb von {REMINDER_DEADLINE_DAYS} Tagen, also bis zum "
            f"{german_date(deadline)}, schriftlich den Eingang meiner Kündigung und das Datum, "
            f"zu dem {what} endet."
        )
    else:
        text = (
            "Bitte bestätigen Sie mir schriftlich den Eingang dieser Kündigung und das Datum, "
            f"zu dem {what} endet."
        )
    if data.confirmation_email:
        text += (
            " Zusätzlich können Sie mir die Bestätigung per E-Mail an "
            f"{data.confirmation_email} senden."
        )
    return text
