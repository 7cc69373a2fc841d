"""What the chain says each attempt must look like, and where the stored rows differ from it.

Replaying an attempt's entries (created, status changes, forgotten) gives the state its row must
have; `compare` names the first field where the stored attempt, its private values or its
person data differ. Pure functions: the full verification and every verified read share them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from cancellation.log.chain import LogEntry, timestamp
from cancellation.log.models import Attempt, PrivateText
from cancellation.log.private import private_sha256
from cancellation.log.records import Event, Mismatch

CREATION_EVENTS = frozenset({Event.LETTER_CREATED, Event.REMINDER_CREATED, Event.HOTLINE_CALL})
# Chained fields of an attempt row, with the German label operators read.
ROW_FIELDS = (
    ("kind", "Art"),
    ("channel", "Kanal"),
    ("provider_key", "Anbieter-Schlüssel"),
    ("contract_type", "Vertragsart"),
    ("subject_kind", "Gegenstandsart"),
    ("requested_end", "gewünschtes Ende"),
    ("status", "Status"),
    ("letter_sha256", "Brief-SHA-256"),
    ("related_reference", "Bezug"),
)


@dataclass
class ChainedAttempt:
    reference: str
    first_entry_id: int
    values: dict[str, Any]
    created_at: str
    details: dict[str, Any]
    private_sha256: str | None
    # Entries written before migration 0003 carry provider and subject as text.
    legacy_texts: tuple[str, str] | None
    forgotten_at: str | None = None
    entry_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StoredAttempt:
    attempt: Attempt
    private: PrivateText | None
    person: Mapping[str, Any] | None


def apply(entry: LogEntry, chained: dict[str, ChainedAttempt]) -> Mismatch | None:
    """Fold one (intact) entry into the replayed state; a contradiction is a mismatch."""
    payload = entry.payload
    current = chained.get(entry.reference)
    if entry.event in CREATION_EVENTS:
        if current is not None:
            return Mismatch("zweiter Anlage-Eintrag für denselben Vorgang", entry.reference, entry.id)
        chained[entry.reference] = _created(entry)
        return None
    if current is None:
        return Mismatch(f"Eintrag {entry.event} ohne angelegten Vorgang", entry.reference, entry.id)
    current.entry_ids.append(entry.id)
    if entry.event == Event.STATUS_CHANGED:
        if payload.get("previous_status") != current.values["status"]:
            return Mismatch(
                f"Statusänderung von {payload.get('previous_status')!r}, laut Kette war der "
                f"Status {current.values['status']!r}",
                entry.reference,
                entry.id,
            )
        current.values["status"] = payload.get("status")
        current.details.update(payload.get("details") or {})
        return None
    if entry.event == Event.DISPATCH:
        status = payload.get("status")
        if status is not None:
            if payload.get("previous_status") != current.values["status"]:
                return Mismatch(
                    f"Versand: Statusänderung von {payload.get('previous_status')!r}, laut Kette "
                    f"war der Status {current.values['status']!r}",
                    entry.reference,
                    entry.id,
                )
            current.values["status"] = status
        current.details.update(payload.get("details") or {})
        return None
    if entry.event == Event.FORGOTTEN:
        current.forgotten_at = payload.get("forgotten_at")
        return None
    return Mismatch(f"unbekanntes Ereignis {entry.event!r}", entry.reference, entry.id)


def replay(entries: Iterable[LogEntry]) -> tuple[dict[str, ChainedAttempt], Mismatch | None]:
    chained: dict[str, ChainedAttempt] = {}
    for entry in entries:
        problem = apply(entry, chained)
        if problem is not None:
            return chained, problem
    return chained, None


def compare(chained: ChainedAttempt | None, stored: StoredAttempt) -> Mismatch | None:
    """The first difference between a stored attempt and its replayed chain state."""
    attempt = stored.attempt
    reference = attempt.reference
    if chained is None:
        return Mismatch("Vorgang ohne Eintrag in der Hash-Kette", reference)
    at = chained.first_entry_id
    for name, label in ROW_FIELDS:
        value, expected = getattr(attempt, name), chained.values.get(name)
        if value != expected:
            return Mismatch(f"{label}: gespeichert {value!r}, in der Kette {expected!r}", reference, at)
    if timestamp(attempt.created_at) != chained.created_at:
        return Mismatch(
            f"Erstellt: gespeichert {timestamp(attempt.created_at)}, in der Kette "
            f"{chained.created_at}",
            reference,
            at,
        )
    if dict(attempt.details or {}) != chained.details:
        return Mismatch(
            f"Details: gespeichert {dict(attempt.details or {})!r}, in der Kette {chained.details!r}",
            reference,
            at,
        )
    forgotten = attempt.forgotten_at is not None
    if forgotten != (chained.forgotten_at is not None):
        stored_text = "gelöscht" if forgotten else "nicht gelöscht"
        chained_text = "gelöscht" if chained.forgotten_at else "nicht gelöscht"
        return Mismatch(f"Löschvermerk: gespeichert {stored_text}, in der Kette {chained_text}",
                        reference, at)
    if forgotten:
        if stored.private is not None or stored.person is not None or attempt.conversation_id:
            return Mismatch("personenbezogene Angaben trotz Löschvermerk gespeichert", reference, at)
        if timestamp(attempt.forgotten_at) != chained.forgotten_at:
            return Mismatch("Zeitpunkt der Löschung weicht von der Kette ab", reference, at)
        return None
    return _compare_private(chained, stored, at)


def letter_problem(chained: ChainedAttempt, pdf: bytes | None) -> Mismatch | None:
    """A stored letter must hash to the chained SHA-256 and exist exactly while it should."""
    reference, at = chained.reference, chained.first_entry_id
    expected = chained.values.get("letter_sha256")
    if pdf is None:
        if expected and chained.forgotten_at is None:
            return Mismatch("Brief-PDF fehlt", reference, at)
        return None
    if expected is None:
        return Mismatch("Brief-PDF gespeichert, obwohl die Kette keinen Brief kennt", reference, at)
    if chained.forgotten_at is not None:
        return Mismatch("Brief-PDF trotz Löschvermerk gespeichert", reference, at)
    actual = hashlib.sha256(pdf).hexdigest()
    if actual != expected:
        return Mismatch(
            f"Brief-PDF verändert: SHA-256 {actual}, in der Kette {expected}", reference, at
        )
    return None


def _created(entry: LogEntry) -> ChainedAttempt:
    payload = entry.payload
    if entry.event == Event.HOTLINE_CALL:
        details = {"outcome": payload.get("outcome"), "called_at": payload.get("called_at")}
    else:  # a letter's facts (EvidenceWrites.create_letter_attempt); none before they existed
        details = dict(payload.get("details") or {})
    legacy = None
    if "private_sha256" not in payload:
        legacy = (str(payload.get("provider")), str(payload.get("subject")))
    return ChainedAttempt(
        reference=entry.reference,
        first_entry_id=entry.id,
        values={name: payload.get(name) for name, _ in ROW_FIELDS},
        created_at=str(payload.get("created_at")),
        details=details,
        private_sha256=payload.get("private_sha256"),
        legacy_texts=legacy,
        entry_ids=[entry.id],
    )


def _compare_private(chained: ChainedAttempt, stored: StoredAttempt, at: int) -> Mismatch | None:
    reference, private = chained.reference, stored.private
    if private is None:
        return Mismatch("private Angaben (Anbieter, Gegenstand) fehlen", reference, at)
    if chained.legacy_texts is not None:
        if (private.provider, private.subject) != chained.legacy_texts:
            return Mismatch("Anbieter oder Gegenstand weicht von der Kette ab", reference, at)
        return None
    if private.salt is None:
        return Mismatch("private Angaben ohne Salz gespeichert", reference, at)
    recomputed = private_sha256(
        salt=private.salt,
        conversation_id=stored.attempt.conversation_id,
        provider=private.provider,
        subject=private.subject,
        note=private.note,
        person=stored.person,
    )
    if recomputed != chained.private_sha256:
        return Mismatch(
            "private Angaben verändert (Anbieter, Gegenstand, Notiz, Gesprächs-ID oder "
            "Personendaten passen nicht zum Hash in der Kette)",
            reference,
            at,
        )
    return None
