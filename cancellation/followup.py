"""After the letter: waiting for the confirmation, the reminder letter, escalation and sending advice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, Mapping, Optional, Sequence, Tuple

from letters import LetterData

from cancellation.advice import sending_advice
from cancellation.deadline_interview import telecom_from
from cancellation.deadlines import format_date
from cancellation.interview import ASAP
from cancellation.letter_request import build_letter_data
from cancellation.log.records import AttemptRecord
from cancellation.providers import Provider
from cancellation.vocabulary import AttemptKind

# A provider should confirm promptly; after two weeks a reminder is reasonable (letters.wording
# asks for the confirmation within 14 days in a reminder too).
REMINDER_AFTER_DAYS = 14
TELECOM_SUBJECTS = ("Mobilfunkvertrag", "DSL-Vertrag", "Kabelanschluss-Vertrag", "Glasfaser-Vertrag", "Festnetzvertrag")

ALWAYS_STEPS = (
    "Drucken Sie den Brief aus und unterschreiben Sie ihn eigenhändig.",
    "Bewahren Sie eine Kopie des unterschriebenen Briefs und den Einlieferungsbeleg auf.",
    "Sie sollten eine schriftliche Bestätigung mit dem Vertragsende erhalten. Kommt nach zwei Wochen "
    "keine, schreiben Sie mir „Es kam keine Bestätigung“ – dann erstelle ich ein Erinnerungsschreiben. "
    "Kommt sie, schreiben Sie „Ich habe die Bestätigung bekommen“.",
)


def next_steps_text(provider: Optional[Provider]) -> str:
    """What to do with the letter, with the provider's own channels where the directory knows them."""
    advice = sending_advice(
        provider_has_button=provider.has_cancellation_button if provider else None,
        accepts_fax=bool(provider and provider.fax),
        accepts_email=bool(provider and provider.email),
        concluded_after_2016=None,
    )
    steps = [ALWAYS_STEPS[0], *advice, *ALWAYS_STEPS[1:]]
    if provider is not None and provider.fax:
        steps.append(f"Faxnummer laut meinem Verzeichnis: {provider.fax} (bitte mit Ihrer Rechnung abgleichen).")
    return "So geht es weiter:\n" + "\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1))


def latest_letter(records: Sequence[AttemptRecord], reference: Optional[str] = None) -> Optional[AttemptRecord]:
    """The newest first letter (not a reminder, not a call) that still has its data."""
    letters = [
        record for record in records
        if record.kind == AttemptKind.LETTER and not record.forgotten
        and (reference is None or record.reference == reference)
    ]
    return max(letters, key=lambda record: record.created_at) if letters else None


def reminder_of(records: Sequence[AttemptRecord], letter: AttemptRecord) -> Optional[AttemptRecord]:
    reminders = [
        record for record in records
        if record.kind == AttemptKind.REMINDER_LETTER and record.related_reference == letter.reference
    ]
    return max(reminders, key=lambda record: record.created_at) if reminders else None


def reminder_due_on(letter: AttemptRecord) -> dt.date:
    return letter.created_at.date() + dt.timedelta(days=REMINDER_AFTER_DAYS)


def waiting_text(letter: AttemptRecord) -> str:
    due = reminder_due_on(letter)
    return (
        f"Ihr Brief {letter.reference} ist vom {format_date(letter.created_at.date())}. Anbieter brauchen "
        f"für die Bestätigung oft ein bis zwei Wochen. Bitte warten Sie bis zum {format_date(due)}; kommt "
        "bis dahin keine Bestätigung, erstelle ich Ihnen ein Erinnerungsschreiben. Wirksam ist die "
        "Kündigung übrigens schon mit dem Zugang beim Anbieter, nicht erst mit der Bestätigung."
    )


def is_telecom(letter: AttemptRecord, provider: Optional[Provider]) -> bool:
    if letter.contract_type is not None:  # stored on the attempt since migration 0003
        return letter.contract_type.is_telecom
    if letter.subject in TELECOM_SUBJECTS:  # attempts logged before: their German label
        return True
    return bool(telecom_from(None, provider.categories if provider else ()))


def escalation_advice(telecom: bool) -> Tuple[str, ...]:
    advice = [
        "Schicken Sie die Erinnerung wieder als Einwurf-Einschreiben und heben Sie die Belege auf.",
        "Reagiert der Anbieter weiter nicht oder bestreitet er die Kündigung, hilft Ihnen die "
        "Verbraucherzentrale Ihres Bundeslandes (Beratung, auch zu Musterbriefen).",
    ]
    if telecom:
        advice.append(
            "Bei Handy-, Internet- und Festnetzverträgen können Sie außerdem kostenlos die "
            "Schlichtungsstelle Telekommunikation der Bundesnetzagentur anrufen (§ 68 TKG), wenn Sie sich "
            "mit dem Anbieter nicht einigen."
        )
    advice.append("Buchungen nach dem Vertragsende können Sie bei Ihrer Bank zurückgeben lassen.")
    return tuple(advice)


def _option_name(subject: str) -> Optional[str]:
    match = re.match(r"^Option „(.*)“$", subject)
    return match.group(1) if match else None


def reminder_letter_data(
    letter: AttemptRecord,
    personal: Mapping[str, Any],
    provider: Optional[Provider],
    *,
    reference: str,
    today: dt.date,
) -> LetterData:
    """The reminder repeats the first letter's cancellation from its logged record and personal data."""
    option = _option_name(letter.subject) if letter.subject_kind == "option" else None
    answers = {
        **personal,
        "provider": letter.provider,
        "subject_kind": letter.subject_kind,
        "option_name": option,
        "end_date": letter.requested_end or ASAP,
    }
    data = build_letter_data(answers, provider, reference=reference, today=today)
    label = option if option else letter.subject
    return dataclasses.replace(
        data, subject_label=label, reminder_of=(letter.reference, letter.created_at.date())
    )


def confirmation_text(letter: AttemptRecord, confirmed_end: Optional[dt.date]) -> str:
    end = f" zum {format_date(confirmed_end)}" if confirmed_end else ""
    text = (
        f"Sehr gut! Ich habe für {letter.reference} ({letter.subject} bei {letter.provider}) vermerkt: "
        f"Kündigung bestätigt{end}."
    )
    if confirmed_end and letter.requested_end and letter.requested_end != ASAP:
        wanted = dt.date.fromisoformat(letter.requested_end)
        if confirmed_end > wanted:
            text += (
                f" Achtung: Sie hatten zum {format_date(wanted)} gekündigt. Prüfen Sie, ob der Anbieter das "
                "spätere Datum begründet; sonst widersprechen Sie schriftlich."
            )
    return text + " Bewahren Sie die Bestätigung zusammen mit Ihrem Brief auf."
