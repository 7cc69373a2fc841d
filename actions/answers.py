"""Reading and resetting the interview's answers on a tracker."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from cancellation.extras import identification_questions
from cancellation.interview import required_fields
from cancellation.provider_records import Identification
from cancellation.providers import Provider

from actions import services

INTERVIEW_SLOTS = (
    "subject_kind",
    "provider",
    "provider_key",
    "provider_address",
    "contract_type",
    "option_name",
    "full_name",
    "street",
    "postcode",
    "city",
    "country",
    "customer_number",
    "contract_reference",
    "phone_number",
    "contract_number",
    "customer_password",
    "date_of_birth",
    "end_date",
    "extras",
    "email",
    "summary_confirmed",
    # The assessed Sonderkündigung (actions/special.py), a dict; None for an ordinary cancellation.
    "special_termination",
    # A cancellation made elsewhere and never confirmed (action_confirmation_missing), a dict.
    "earlier_cancellation",
    # Which answers came along with another question's answer (cancellation.interview.record_answer).
    "answered_with",
)
# Answers about the person, kept for a second letter in the same conversation.
PERSONAL_SLOTS = ("full_name", "street", "postcode", "city", "country", "email", "date_of_birth")
# Slots that belong to another one and are cleared with it.
DEPENDENT_SLOTS = {
    "provider": ("provider_key", "provider_address"),
    "contract_reference": ("phone_number", "contract_number"),
    # A new address is asked from its street on: an earlier answer's country abroad goes with it.
    "street": ("country",),
}

CHANNEL_NAMES = {"socketio": "web", "telegram": "telegram", "rest": "rest"}


def answers_of(tracker: Tracker) -> Dict[str, Any]:
    return {name: tracker.get_slot(name) for name in INTERVIEW_SLOTS}


def provider_of(answers: Dict[str, Any]) -> Optional[Provider]:
    key = answers.get("provider_key")
    return services.directory().get(key) if key else None


def interview_fields(answers: Dict[str, Any]) -> tuple:
    provider = provider_of(answers)
    has_address = provider is not None and provider.address is not None
    identification = identification_questions(provider.identification) if provider else ()
    return required_fields(
        answers, provider_has_address=has_address, identification=identification,
        by_account_email=known_by_account_email(provider),
    )


def known_by_account_email(provider: Optional[Provider]) -> bool:
    """The provider identifies its customers by their account's e-mail address (providers.yml)."""
    return provider is not None and provider.identification.mentions(Identification.ACCOUNT_EMAIL)


def clear(slots: Iterable[str]) -> List[EventType]:
    events: List[EventType] = []
    for name in slots:
        events.append(SlotSet(name, None))
        events.extend(SlotSet(dependent, None) for dependent in DEPENDENT_SLOTS.get(name, ()))
    return events + [SlotSet("summary_confirmed", None), SlotSet("failed_answers", 0)]


def channel_of(tracker: Tracker) -> str:
    return CHANNEL_NAMES.get(tracker.get_latest_input_channel() or "", "rest")
