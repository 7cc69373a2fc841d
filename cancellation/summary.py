"""The summary a user checks before the letter is made."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, List, Mapping, Optional, Tuple

from cancellation.countries import is_foreign
from cancellation.earlier_cancellation import earlier_cancellation
from cancellation.extraction import CONTRACT_TYPE_LABELS
from cancellation.extras import EXTRA_LABELS, extras_text, fitting_extras
from cancellation.interview import ASAP, SKIPPED, reference_numbers
from cancellation.provider_notes import directory_notes
from cancellation.providers import Provider, ProviderAddress
from cancellation.special_interview import enclosure_names, summary_kind
from cancellation.replies import street_key
from cancellation.texts import Message, Renderable, render, say
from cancellation.vocabulary import ContractType, Language


def _address_text(answers: Mapping[str, Any]) -> str:
    """ "Via Roma 3, 39100 Bozen, Italien": the user's address as the letter prints it."""
    text = f"{_shown(answers.get('street'))}, {_shown(answers.get('postcode'))} {_shown(answers.get('city'))}"
    country = answers.get("country")
    return f"{text}, {country}" if is_foreign(country) else text


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
    address = None if provider is None else provider.address_for(answers.get("contract_type"))
    if address is not None:
        return address_lines(provider.legal_entity or provider.name, address)
    return [str(answers.get("provider") or "")]


def address_lines(company: str, address: ProviderAddress) -> List[str]:
    return list(address.postal(company).printable_lines())


def _address_key(street: Any, postcode: Any) -> Tuple[str, str]:
    """ "Musterstraße 5", "musterstr. 5" and "Musterstr 5" compare equal."""
    return street_key(street), str(postcode or "").strip()


def provider_address_is_own(answers: Mapping[str, Any], provider: Optional[Provider]) -> bool:
    """True when the provider's address is the user's own (typed in the wrong place, usually)."""
    own = _address_key(answers.get("street"), answers.get("postcode"))
    if not all(own):
        return False
    custom = answers.get("provider_address")
    if custom:
        theirs = _address_key(custom.get("street"), custom.get("postcode"))
    elif provider is not None and provider.address is not None:
        address = provider.address_for(answers.get("contract_type"))
        theirs = _address_key(address.street, address.postcode)
    else:
        return False
    return theirs == own


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
    language: Optional[Language | str] = None,
) -> str:
    """The summary in `language` (German by default); `escape` makes the user's values safe for
    the channel's markup. Labels and fixed values come from the catalogue (responses/summary.yml)."""
    def row(label: str, value: Renderable, named: Optional[Message] = None) -> Message:
        return say("utter_summary_row", label=named or say(f"utter_summary_label_{label}"), value=value)

    def typed(value: Any) -> str:
        return escape(_shown(value))

    rows = [
        row("subject", _subject(answers, escape)),
        row("provider", typed(answers.get("provider"))),
        row("provider_address", escape(", ".join(recipient_lines(answers, provider)))),
        row("name", typed(answers.get("full_name"))),
        row("address", escape(_address_text(answers))),
        row("customer_number", typed(answers.get("customer_number"))),
        row("contract_reference", typed(answers.get("contract_reference")), _reference_label(answers.get("contract_type"))),
        end_row := row("end", letter_end_message(answers)),
        row("extras", _extras(fitting_extras(answers.get("extras"), answers.get("subject_kind"), answers.get("contract_type")), language)),
        row("email", typed(answers.get("email"))),
    ]
    special = answers.get("special_termination")
    if special:
        rows.insert(1, row("kind", summary_kind(special)))
        if special.get("holder_name"):
            rows.insert(2, row("holder", escape(str(special["holder_name"]))))
        if special.get("enclosures"):
            names = [escape(name) if isinstance(name, str) else render(name, language) for name in enclosure_names(special)]
            rows.append(row("enclosures", ", ".join(names)))
    if answers.get("customer_password") is not None:
        rows.insert(7, row("customer_password", typed(answers.get("customer_password"))))
    if answers.get("date_of_birth") is not None:
        birth = answers["date_of_birth"]
        shown = "–" if birth in ("", SKIPPED) else f"{dt.date.fromisoformat(birth):%d.%m.%Y}"
        rows.insert(7, row("date_of_birth", shown))
    earlier = earlier_cancellation(answers)
    if earlier is not None:
        # The letter repeats a cancellation made elsewhere (letters/wording.py): the user sees
        # that before it is written, right after the end it names.
        after_end = 1 + next(index for index, shown in enumerate(rows) if shown is end_row)
        rows.insert(after_end, row("earlier", _earlier_message(earlier.on)))
    number_given = any(answers.get(name) not in (None, "", SKIPPED) for name in ("customer_number", "contract_reference"))
    notes = directory_notes(
        provider,
        address_used=not answers.get("provider_address"),
        contract_type=answers.get("contract_type"),
        number_given=number_given,
        subject_kind=answers.get("subject_kind"),
    )
    if provider_address_is_own(answers, provider):
        # Asked before the letter is written: a letter to one's own address cancels nothing.
        question = say("utter_provider_address_is_own", provider=escape(str(answers.get("provider") or "")))
    else:
        question = say("utter_summary_question")
    parts: List[Renderable] = [say("utter_summary_heading"), *rows, *notes, question]
    return render(parts, language)


def _earlier_message(on: Optional[dt.date]) -> Message:
    return say("utter_summary_earlier_on", day=on) if on else say("utter_summary_earlier_undated")


def _subject(answers: Mapping[str, Any], escape: Callable[[str], str]) -> Message:
    if answers.get("subject_kind") == "option":
        return say("utter_summary_subject_option", option=escape(str(answers.get("option_name"))))
    kind = ContractType.parse(answers.get("contract_type")) or ContractType.OTHER
    return say(f"utter_summary_subject_{kind.value}")


def _reference_label(contract_type: Any) -> Optional[Message]:
    """The numbers a contract of this kind has (a gym: membership number), None for the usual label."""
    numbers, _ = reference_numbers(contract_type)
    kind = numbers.key.removeprefix("utter_reference_numbers_")
    return None if kind == "phone" else say(f"utter_summary_label_contract_reference_{kind}")


def letter_end_message(answers: Mapping[str, Any]) -> Message:
    """The end the letter names: a special termination's own end (letters/wording.py
    `_termination_terms`: extraordinary to that day, ordinary in the alternative), else the requested one."""
    special = answers.get("special_termination") or {}
    if special.get("terms"):
        if special.get("end"):
            return say("utter_summary_end_date", end=dt.date.fromisoformat(special["end"]))
        return say("utter_summary_end_extraordinary")
    return end_message(answers.get("end_date"))


def end_message(value: Optional[str]) -> Message:
    """The requested end (an ISO date, ASAP or None) in the reader's language."""
    if not value or value == ASAP:
        return say("utter_summary_end_asap")
    return say("utter_summary_end_date", end=dt.date.fromisoformat(value))


def _extras(extras: Optional[Iterable[str]], language: Optional[Language | str]) -> Renderable:
    chosen = [render(say(f"utter_summary_extra_{extra}"), language) for extra in extras or () if extra in EXTRA_LABELS]
    return "; ".join(chosen) if chosen else say("utter_summary_extras_none")
