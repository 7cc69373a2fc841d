"""The evidence report of one cancellation: its log entries, related reminders and hotline calls.

`build_evidence_report` is pure (records and entries in, `letters.evidence.EvidenceReport` out);
`evidence_report_for` gathers them from an attempt log for the CLI and the download link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Optional, Sequence

from letters.evidence import EvidenceEntry, EvidenceReport

from cancellation.log.chain import LogEntry
from cancellation.log.records import AttemptRecord, Event
from cancellation.vocabulary import AttemptKind
from cancellation.summary import end_date_text

# Short: the report's "Art" column is narrow.
EVENT_LABELS = {
    Event.LETTER_CREATED: "Brief erstellt",
    Event.REMINDER_CREATED: "Erinnerung erstellt",
    Event.HOTLINE_CALL: "Hotline-Anruf",
    Event.STATUS_CHANGED: "Statusänderung",
    Event.FORGOTTEN: "Daten gelöscht",
}
STATUS_LABELS = {
    "letter_created": "Brief erstellt",
    "sent": "verschickt",
    "confirmed": "vom Anbieter bestätigt",
    "no_confirmation": "keine Bestätigung erhalten",
    "reminder_sent": "Erinnerung erstellt",
    "call_failed": "Anruf erfolglos",
    "call_succeeded": "Anruf erfolgreich",
}
OUTCOME_LABELS = {"succeeded": "erreicht", "unreachable": "nicht erreicht"}


def status_label(status: Optional[str]) -> str:
    return STATUS_LABELS.get(status or "", status or "–")


def _date_text(value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def describe(entry: LogEntry) -> str:
    """One German sentence for a log entry, from its (non-personal) payload."""
    payload: Mapping[str, Any] = entry.payload
    reference = payload.get("reference") or entry.reference
    if entry.event in (Event.LETTER_CREATED, Event.REMINDER_CREATED):
        text = (
            f"{reference}: {payload.get('subject')} bei {payload.get('provider')}, "
            f"{end_date_text(payload.get('requested_end'))}; SHA-256 des PDF {payload.get('letter_sha256')}"
        )
        if payload.get("related_reference"):
            text += f"; Erinnerung an {payload['related_reference']}"
        return text + "."
    if entry.event == Event.HOTLINE_CALL:
        outcome = OUTCOME_LABELS.get(str(payload.get("outcome")), str(payload.get("outcome")))
        called = payload.get("called_at")
        when = ""
        if called:
            moment = dt.datetime.fromisoformat(str(called))
            when = f" am {moment.astimezone(dt.timezone.utc):%d.%m.%Y %H:%M} UTC"
        return f"{reference}: Anruf bei {payload.get('provider')}{when} – {outcome}."
    if entry.event == Event.STATUS_CHANGED:
        text = (
            f"{reference}: {status_label(payload.get('previous_status'))} → "
            f"{status_label(payload.get('status'))}"
        )
        details = payload.get("details") or {}
        if details.get("confirmed_end"):
            text += f"; bestätigtes Vertragsende {_date_text(details['confirmed_end'])}"
        if details.get("reminder_reference"):
            text += f"; Erinnerung {details['reminder_reference']}"
        return text + "."
    if entry.event == Event.FORGOTTEN:
        return f"{reference}: personenbezogene Daten und PDF auf Wunsch gelöscht."
    return f"{reference}: {entry.event}."


def build_evidence_report(
    record: AttemptRecord,
    entries: Iterable[LogEntry],
    *,
    chain_ok: bool,
    generated_at: dt.datetime,
) -> EvidenceReport:
    """The report for `record`; `entries` may include those of related reminders and calls."""
    ordered = sorted({entry.id: entry for entry in entries}.values(), key=lambda entry: entry.id)
    return EvidenceReport(
        reference=record.reference,
        generated_at=generated_at,
        provider=record.provider,
        subject=record.subject,
        requested_end_text=end_date_text(record.requested_end) if record.requested_end else "–",
        status=status_label(record.status),
        letter_sha256=record.letter_sha256 or "– (kein Brief)",
        entries=tuple(
            EvidenceEntry(
                timestamp=entry.created_at,
                kind=EVENT_LABELS.get(entry.event, entry.event),
                description=describe(entry),
                entry_hash=entry.entry_hash,
            )
            for entry in ordered
        ),
        chain_ok=chain_ok,
    )


def related_records(record: AttemptRecord, conversation: Sequence[AttemptRecord]) -> list:
    """Reminders of this letter and hotline calls to the same provider in the same conversation."""
    related = []
    for other in conversation:
        if other.reference == record.reference:
            continue
        if other.kind == AttemptKind.REMINDER_LETTER and other.related_reference == record.reference:
            related.append(other)
        elif other.kind == AttemptKind.HOTLINE_CALL and other.provider.casefold() == record.provider.casefold():
            related.append(other)
    return related


def evidence_report_for(log: Any, reference: str, now: Optional[dt.datetime] = None) -> Optional[EvidenceReport]:
    """Gather the report from an `AttemptLog`; None for an unknown reference."""
    record = log.reads.get(reference)
    if record is None:
        return None
    entries = list(log.reads.entries(record.reference))
    if record.conversation_id:
        for other in related_records(record, log.reads.attempts_for_conversation(record.conversation_id)):
            entries += log.reads.entries(other.reference)
    return build_evidence_report(
        record,
        entries,
        chain_ok=log.reads.verify_chain().ok,
        generated_at=now or dt.datetime.now(dt.timezone.utc),
    )
