"""The special-termination interview: the ground, its facts one by one, and what to tell the user.

The rules live in `cancellation.special`; this module reads answers and shapes the result for
the dialogue and the letter (plain dicts, so they fit in a Rasa slot).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, Mapping, Optional

from cancellation.deadlines import format_date
from cancellation.special import (
    GROUNDS,
    FactQuestion,
    SpecialAssessment,
    measurement_steps,
    required_facts,
)
from cancellation.validation import InvalidInput, fold, parse_past_or_future_date

MAX_FACT_CHARS = 500

GROUND_LABELS = {
    "price_change": "Preiserhöhung oder Vertragsänderung",
    "slow_internet": "Internet zu langsam",
    "relocation": "Umzug",
    "death": "Todesfall",
    "important_reason": "anderer wichtiger Grund",
}

# More specific grounds first: "Preiserhöhung nach Umzug" is about the price.
_GROUND_PATTERNS = (
    ("death", r"gestorben|verstorben|\btod\b|todesfall|sterbe|verstirbt|erbe\b|erben\b|nachlass"),
    ("price_change", r"preis|teurer|erhoeh|angehoben|anpassung|mehr kost|\bagb\b|einseitig|vertragsaender|geaendert"),
    ("slow_internet", r"langsam|mbit|breitband|geschwindigkeit|bandbreite|speed|zu wenig internet"),
    ("relocation", r"umzug|umzieh|ziehe\b|ziehen\b|umgezogen|wohnort|ausland"),
    ("important_reason", r"wichtig\w* grund|krank|schwanger|arbeitslos|fristlos|\b314\b"),
)


def detect_ground(text: str) -> Optional[str]:
    """The ground a message names ("o2 erhöht die Preise" -> "price_change"), or None."""
    folded = fold(text or "")
    for ground, pattern in _GROUND_PATTERNS:
        if re.search(pattern, folded):
            return ground
    return None


def parse_ground(text: str) -> str:
    ground = text.strip() if text and text.strip() in GROUNDS else detect_ground(text)
    if ground is None:
        raise InvalidInput(
            "Bitte wählen Sie einen Grund: Preiserhöhung, Internet zu langsam, Umzug, Todesfall "
            "oder anderer wichtiger Grund."
        )
    return ground


def next_question(ground: str, facts: Mapping[str, Any]) -> Optional[FactQuestion]:
    """The first fact for `ground` that is not answered yet; None when all are known."""
    for question in required_facts(ground):
        if facts.get(question.key) in (None, ""):
            return question
    return None


_YES_NO = (
    (r"^(ja|jo|jawohl|genau|stimmt|richtig|ja\b.*)$", "ja"),
    (r"^(nein|ne|nee|noe|nein\b.*)$", "nein"),
    (r"^((ich )?weiss (ich )?(es |das )?nicht\b.*|keine ahnung|unklar|unsicher)$", "weiß nicht"),
)


def _is_yes_no_question(question: FactQuestion) -> bool:
    return "„ja“, „nein“" in question.question_de


def parse_fact(question: FactQuestion, text: str, today: dt.date) -> str:
    """One answer, stored as text: dates as ISO strings, yes/no as "ja"/"nein"/"weiß nicht"."""
    if question.kind == "date":
        return parse_past_or_future_date(text, today).isoformat()
    answer = " ".join(str(text or "").split())
    if _is_yes_no_question(question):
        folded = fold(answer).strip(" .!")
        for pattern, value in _YES_NO:
            if re.match(pattern, folded):
                return value
        raise InvalidInput("Bitte antworten Sie mit „ja“, „nein“ oder „weiß nicht“.")
    if not answer:
        raise InvalidInput("Ihre Antwort war leer. " + question.question_de)
    if len(answer) > MAX_FACT_CHARS:
        raise InvalidInput("Ihre Antwort ist sehr lang. Bitte fassen Sie sie in ein bis zwei Sätzen zusammen.")
    return answer


def as_slot(assessment: SpecialAssessment, facts: Mapping[str, Any]) -> Dict[str, Any]:
    """What the letter needs, as a plain dict (slot `special_termination`)."""
    letter = assessment.to_letter()
    value: Dict[str, Any] = {
        "ground": assessment.ground,
        "statement": letter.statement,
        "legal_basis": letter.legal_basis,
        "enclosures": list(assessment.enclosures),
        "earliest_end": assessment.earliest_end.isoformat() if assessment.earliest_end else None,
    }
    if assessment.ground == "death":
        # The heir writes; the contract holder is the deceased.
        value["holder_name"] = str(facts.get("deceased_name") or "").strip()
    return value


def assessment_message(assessment: SpecialAssessment) -> str:
    """What the user reads after the facts: warnings first, then the general rule."""
    lines = [f"Sonderkündigung – {GROUND_LABELS[assessment.ground]} ({assessment.legal_basis}):"]
    lines += [f"⚠ {warning}" for warning in assessment.warnings]
    explanation = assessment.explanation
    if assessment.ground == "slow_internet":
        # The steps are part of the explanation; keep them on their own lines.
        explanation = explanation.split("\n", 1)[0] + "\n" + "\n".join(measurement_steps())
    lines.append(explanation)
    if assessment.earliest_end is not None:
        lines.append(f"Der Vertrag endet dann in der Regel frühestens am {format_date(assessment.earliest_end)}.")
    if assessment.enclosures:
        lines.append("Bitte legen Sie dem Brief bei: " + ", ".join(assessment.enclosures) + ".")
    terms = (
        "wegen des Umzugs außerordentlich mit einer Frist von einem Monat"
        if assessment.ground == "relocation"
        else "außerordentlich und fristlos"
    )
    lines.append(
        f"Der Brief kündigt „{terms}, hilfsweise ordentlich zum nächstmöglichen Zeitpunkt“. Das ist "
        "eine allgemeine Einschätzung, keine Rechtsberatung. Jetzt noch ein paar Angaben für den Brief."
    )
    return "\n".join(lines)
