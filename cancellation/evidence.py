"""The evidence report of one cancellation: its log entries, related reminders and hotline calls.

`build_evidence_report` is pure (verified records and entries in, `letters.evidence.EvidenceReport`
out); `evidence_report_for` gathers them from an attempt log's verified reads for the CLI and the
download link. Everything in a report was checked against the hash chain first: a read that does
not match raises `TamperedEvidence`, so no report is made from altered data. Times are German
local time (cancellation.clock).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Optional, Sequence

from letters.evidence import EvidenceEntry, EvidenceReport

from cancellation import clock
from cancellation.earlier_cancellation import EARLIER_CANCELLATION_DETAIL
from cancellation.log.chain import LogEntry
from cancellation.log.records import AttemptRecord, Event
from cancellation.log.verification import ChainState
from cancellation.summary import end_date_text
from cancellation.vocabulary import AttemptKind, DispatchMode, DispatchState, Status

# Short: the report's "Art" column is narrow.
EVENT_LABELS = {
    Event.LETTER_CREATED: "Brief erstellt",
    Event.REMINDER_CREATED: "Erinnerung erstellt",
    Event.HOTLINE_CALL: "Hotline-Anruf",
    Event.STATUS_CHANGED: "Statusänderung",
    Event.DISPATCH: "Versand durch den Druckdienst",
    Event.FORGOTTEN: "Daten gelöscht",
}
STATUS_LABELS = {
    Status.LETTER_CREATED: "Brief erstellt",
    Status.SENT: "verschickt",
    Status.CONFIRMED: "vom Anbieter bestätigt",
    Status.NO_CONFIRMATION: "keine Bestätigung erhalten",
    Status.REMINDER_SENT: "Erinnerung erstellt",
    Status.CALL_FAILED: "Anruf erfolglos",
    Status.CALL_SUCCEEDED: "Anruf erfolgreich",
}
OUTCOME_LABELS = {"succeeded": "erreicht", "unreachable": "nicht erreicht"}
FORGOTTEN_TEXT = "(gelöscht)"


def status_label(status: Optional[str]) -> str:
    return STATUS_LABELS.get(status or "", status or "–")


def _date_text(value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def _what(record: Optional[AttemptRecord], payload: Mapping[str, Any]) -> tuple:
    """Subject and provider: from the verified record, or the old entries that still hold them."""
    if record is not None and record.provider is not None:
        return record.subject, record.provider
    if "provider" in payload:
        return payload.get("subject"), payload.get("provider")
    if record is not None and record.provider_key:
        return FORGOTTEN_TEXT, record.provider_key
    return FORGOTTEN_TEXT, FORGOTTEN_TEXT


def describe(entry: LogEntry, record: Optional[AttemptRecord] = None) -> str:
    """One German sentence for a log entry, from its payload and its verified attempt."""
    payload: Mapping[str, Any] = entry.payload
    reference = payload.get("reference") or entry.reference
    if entry.event in (Event.LETTER_CREATED, Event.REMINDER_CREATED):
        subject, provider = _what(record, payload)
        text = (
            f"{reference}: {subject} bei {provider}, {end_date_text(payload.get('requested_end'))}; "
            f"SHA-256 des PDF {payload.get('letter_sha256')}"
        )
        if payload.get("related_reference"):
            text += f"; Erinnerung an {payload['related_reference']}"
        earlier = (payload.get("details") or {}).get(EARLIER_CANCELLATION_DETAIL)
        if earlier:
            text += ("; wiederholt die nicht bestätigte Kündigung vom " + _date_text(earlier)
                     if isinstance(earlier, str) else "; wiederholt eine frühere, nicht bestätigte Kündigung")
        return text + "."
    if entry.event == Event.HOTLINE_CALL:
        _, provider = _what(record, payload)
        outcome = OUTCOME_LABELS.get(str(payload.get("outcome")), str(payload.get("outcome")))
        called = payload.get("called_at")
        when = ""
        if called:
            # The chat learns the day of a call ("heute", "gestern"), never its time: the logged
            # moment is when the user told us (or noon of that day), so only the day is stated.
            day = clock.local(dt.datetime.fromisoformat(str(called))).strftime("%d.%m.%Y")
            when = f" am {day} (Uhrzeit nicht angegeben)"
        return f"{reference}: Anruf bei {provider}{when} – {outcome}."
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
    if entry.event == Event.DISPATCH:
        return f"{reference}: {dispatch_text(payload)}."
    if entry.event == Event.FORGOTTEN:
        return f"{reference}: personenbezogene Daten und PDF auf Wunsch gelöscht."
    return f"{reference}: {entry.event}."


DISPATCH_STATE_LABELS = {
    DispatchState.QUEUED: "Versand als Einwurf-Einschreiben beauftragt (Warteschlange)",
    DispatchState.SUBMITTED: "an den Druck- und Versanddienst LetterXpress übergeben",
    DispatchState.POSTED: "als Einwurf-Einschreiben bei der Deutschen Post eingeliefert",
    DispatchState.CANCELLED: "Druckauftrag vom Druckdienst storniert",
    DispatchState.REJECTED: "Druckauftrag vom Druckdienst abgelehnt",
    DispatchState.FAILED: "Versand aufgegeben",
}


def dispatch_text(payload: Mapping[str, Any]) -> str:
    """The German sentence for a dispatch entry (operators and the evidence report)."""
    details = payload.get("details") or {}
    state = DispatchState.parse(details.get("dispatch_state"))
    parts = [DISPATCH_STATE_LABELS.get(state, "Versand") if state else "Versand"]
    if details.get("print_job_id"):
        parts.append(f"Druckauftrag Nr. {details['print_job_id']}")
    if details.get("handed_over_at"):
        moment = dt.datetime.fromisoformat(str(details["handed_over_at"]).replace("Z", "+00:00"))
        parts.append(f"übergeben am {clock.local_time_text(moment)}")
    if details.get("tracking_number"):
        parts.append(f"Sendungsnummer {details['tracking_number']}")
    if details.get("dispatch_mode") == DispatchMode.TEST:
        parts.append("Testmodus: nichts gedruckt oder verschickt")
    if payload.get("status"):
        parts.append(f"{status_label(payload.get('previous_status'))} → {status_label(payload['status'])}")
    return "; ".join(parts)


def verification_text(chain: ChainState) -> str:
    return (
        f"geprüft gegen die Hash-Kette, Stand {clock.local_time_text(chain.verified_at)} "
        f"(deutsche Zeit); Kette intakt bis Eintrag #{chain.entry_id}"
    )


def build_evidence_report(
    record: AttemptRecord,
    entries: Iterable[LogEntry],
    *,
    chain: ChainState,
    generated_at: dt.datetime,
    related: Sequence[AttemptRecord] = (),
) -> EvidenceReport:
    """The report for `record`; `entries` may include those of related reminders and calls."""
    ordered = sorted({entry.id: entry for entry in entries}.values(), key=lambda entry: entry.id)
    records = {item.reference: item for item in (record, *related)}
    subject, provider = _what(record, {})
    return EvidenceReport(
        reference=record.reference,
        generated_text=f"{clock.local_time_text(generated_at)} (deutsche Zeit)",
        provider=provider,
        subject=subject,
        requested_end_text=end_date_text(record.requested_end) if record.requested_end else "–",
        status=status_label(record.status),
        letter_sha256=record.letter_sha256 or "– (kein Brief)",
        entries=tuple(
            EvidenceEntry(
                time_text=clock.local_time_text(entry.created_at),
                kind=EVENT_LABELS.get(entry.event, entry.event),
                description=describe(entry, records.get(entry.reference)),
                entry_hash=entry.entry_hash,
            )
            for entry in ordered
        ),
        verification_text=verification_text(chain),
    )


def related_records(record: AttemptRecord, conversation: Sequence[AttemptRecord]) -> list:
    """Reminders of this letter and hotline calls to the same provider in the same conversation."""
    related = []
    for other in conversation:
        if other.reference == record.reference:
            continue
        if other.kind == AttemptKind.REMINDER_LETTER and other.related_reference == record.reference:
            related.append(other)
        elif other.kind == AttemptKind.HOTLINE_CALL and _same_provider(other, record):
            related.append(other)
    return related


def _same_provider(one: AttemptRecord, other: AttemptRecord) -> bool:
    if one.provider_key and other.provider_key:
        return one.provider_key == other.provider_key
    return (one.provider or "").casefold() == (other.provider or "").casefold() != ""


def evidence_report_for(
    log: Any, reference: str, now: Optional[dt.datetime] = None
) -> Optional[EvidenceReport]:
    """The report from an `AttemptLog`'s verified reads; None for an unknown reference.

    Raises `cancellation.log.records.TamperedEvidence` when anything it would show does not
    match the hash chain."""
    reads = log.reads
    record = reads.get(reference)
    if record is None:
        return None
    entries = list(reads.entries(record.reference))
    related: list = []
    if record.conversation_id:
        related = related_records(record, reads.attempts_for_conversation(record.conversation_id))
        for other in related:
            entries += reads.entries(other.reference)
    return build_evidence_report(
        record,
        entries,
        chain=reads.chain_state(),
        generated_at=now or clock.now(),
        related=related,
    )
