"""The summary a user checks before the letter is made."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, List, Mapping, Optional

from cancellation.extraction import CONTRACT_TYPE_LABELS
from cancellation.extras import extras_text, fitting_extras
from cancellation.interview import ASAP, SKIPPED
from cancellation.provider_notes import directory_notes
from cancellation.providers import Provider, ProviderAddress
from cancellation.special_interview import enclosure_names, summary_kind
from cancellation.texts import render
from cancellation.vocabulary import Language


def end_date_text(value: Optional[str]) -> str:
    if not value or value == ASAP:
        return "zum nächstmöglichen Zeitpunkt"
    return "zum " + dt.date.fromisoformat(value).strftime("%d.%m.%Y") + ", hilfsweise zum nächstmöglichen Zeitpunkt"


def subject_text(answers: Mapping[str, Any]) -> str:
    if answers.get("subject_kind") == "option":
        return f"Option „{answers.get('option_name')}“"
    return CONTRACT_TYPE_LABELS.get(answers.get("contract_type") or "other", "Vertrag")


def recipient_lines(answers: Mapping[str, Any], provider: Optional[Provider]) -> List[str]:
    """The provider's cancellation address as printed, from the user's answer or the directory."""
    custom = answers.get("provider_address")
    if custom:
        lines = [line for line in custom.get("lines", []) if line]
        if custom.get("street"):
            lines.append(custom["street"])
        return lines + [f"{custom.get('postcode', '')} {custom.get('city', '')}".strip()]
    if provider is not None and provider.address is not None:
        return address_lines(provider.legal_entity or provider.name, provider.address)
    return [str(answers.get("provider") or "")]


def address_lines(company: str, address: ProviderAddress) -> List[str]:
    return list(address.postal(company).printable_lines())


def _shown(value: Any) -> str:
    return "–" if value in (None, "", SKIPPED) else str(value)


_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]()<>!#|~])")


def markdown_escape(text: str) -> str:
    """Make user-typed text inert in a Markdown-rendering widget ("[x](javascript:...)")."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", text)


def summary_text(
    answers: Mapping[str, Any],
    provider: Optional[Provider],
    escape: Callable[[str], str] = str,
) -> str:
    """The summary; `escape` makes the user's values safe for the channel's markup."""
    rows = [
        ("Kündigung", subject_text(answers)),
        ("Anbieter", _shown(answers.get("provider"))),
        ("Anschrift des Anbieters", ", ".join(recipient_lines(answers, provider))),
        ("Ihr Name", _shown(answers.get("full_name"))),
        ("Ihre Anschrift", f"{_shown(answers.get('street'))}, {_shown(answers.get('postcode'))} {_shown(answers.get('city'))}"),
        ("Kundennummer", _shown(answers.get("customer_number"))),
        ("Rufnummer/Vertragsnummer", _shown(answers.get("contract_reference"))),
        ("Kündigung", end_date_text(answers.get("end_date"))),
        ("Zusätze", extras_text(fitting_extras(answers.get("extras"), answers.get("subject_kind"), answers.get("contract_type")))),
        ("E-Mail für die Bestätigung", _shown(answers.get("email"))),
    ]
    special = answers.get("special_termination")
    if special:
        rows.insert(1, ("Art", render(summary_kind(special), Language.DE)))
        if special.get("holder_name"):
            rows.insert(2, ("Vertragsinhaber (verstorben)", special["holder_name"]))
        if special.get("enclosures"):
            rows.append(("Anlagen", ", ".join(render(name, Language.DE) for name in enclosure_names(special))))
    if answers.get("customer_password") is not None:
        rows.insert(7, ("Kundenkennzahl", _shown(answers.get("customer_password"))))
    if answers.get("date_of_birth") is not None:
        birth = answers["date_of_birth"]
        shown = "–" if birth in ("", SKIPPED) else f"{dt.date.fromisoformat(birth):%d.%m.%Y}"
        rows.insert(7, ("Geburtsdatum", shown))
    lines = ["Bitte prüfen Sie Ihre Angaben:"] + [f"• {label}: {escape(value)}" for label, value in rows]
    notes = directory_notes(provider, address_used=not answers.get("provider_address"))
    lines.extend(render(note) for note in notes)
    lines.append("Stimmt alles? Dann erstelle ich den Brief. Sonst sagen Sie mir, was ich ändern soll.")
    return "\n".join(lines)
