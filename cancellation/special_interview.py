"""The special-termination interview: the ground, its facts one by one, and what to tell the user.

The rules live in `cancellation.special`; this module reads answers (and what the first message
already said) and shapes the result for the dialogue. Everything it says is a catalogue Message
(bot/domain/responses/special.yml); answers are stored as plain values that fit in a Rasa slot.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Mapping, Optional

from cancellation import examples
from cancellation.extraction import extract_facts
from cancellation.replies import classify_reply, fold, is_unknown_answer
from cancellation.special import SpecialAssessment
from cancellation.special.assessment import LetterMode
from cancellation.special.death import relationship_from
from cancellation.special.facts import (
    ABROAD,
    AVAILABLE_AT_NEW_ADDRESS,
    CHANGE_EFFECTIVE,
    CONTRACTED_SPEED,
    NEW_ADDRESS,
    NOTICE_RECEIVED,
    RELATIONSHIP,
    FactKind,
    Question,
)
from cancellation.texts import Message, Renderable, say
from cancellation.validation import InvalidInput, parse_month_start, parse_past_or_future_date
from cancellation.vocabulary import ContractType, Reply, Sector, SpecialGround
from letters.wording import clauses

MAX_FACT_CHARS = 500


class InvalidAnswer(ValueError):
    """An answer that cannot be used; `message` says why, in the user's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


def ground_label(ground: SpecialGround) -> Message:
    return say(f"utter_special_ground_{ground.value}")


# --- which ground a message names ----------------------------------------------------------------

# More specific grounds first: "Preiserhöhung nach Umzug" is about the price.
_GROUND_PATTERNS = (
    (SpecialGround.DEATH,
     r"gestorben|verstorben|\btod\b|todesfall|sterbe|verstirbt|\berbe\b|\berben\b|nachlass|"
     r"\bdied\b|\bdeath\b|deceased|passed away"),
    (SpecialGround.PRICE_CHANGE,
     r"preis\w*(?:erhoeh|anpass|aender|steiger)|\bpreis\w*\s+(?:\w+\s+)?(?:erhoeh|steig|angehoben|anpass|geaendert)|"
     r"teurer|erhoeh\w*|angehoben|mehr kost|einseitig\w*|vertragsaenderung|"
     r"price (?:increase|rise|hike)|more expensive|raised (?:the|my) (?:price|fee)|increased (?:the|my) (?:price|fee)"),
    (SpecialGround.SLOW_INTERNET,
     r"langsam|breitbandmessung|geschwindigkeit|bandbreite|\bspeed\b|zu wenig internet|\bslow\b|"
     r"\bnur\s+(?:noch\s+)?\d+\s*(?:mbit|mb\b)|statt\s+\d+\s*(?:mbit|mb\b)|"
     r"\b(?:schafft|bringt|kommen|kommt|bekomme|liefert|erreicht)\s+(?:\w+\s+)?nur\s+(?:noch\s+)?\d+"),
    (SpecialGround.RELOCATION,
     r"\bumzieh\w*|\bumzug\w*|\bumgezogen\b|\bzieh\w*\s+(?:\w+\s+){0,3}?(?:um|weg|aus|nach|ins)\b|"
     r"\bwohnort\w*|ausland|auswander\w*|\bmoving\b|\bmove\s+(?:abroad|house|out|to)\b|relocat\w*|abroad"),
    (SpecialGround.IMPORTANT_REASON,
     r"wichtig\w* grund|krank|schwanger|arbeitslos|fristlos|\b314\b|important reason|without notice"),
)


def detect_ground(text: str) -> Optional[SpecialGround]:
    """The ground a message names ("o2 erhöht die Preise" -> PRICE_CHANGE), or None."""
    folded = fold(text or "")
    for ground, pattern in _GROUND_PATTERNS:
        if re.search(pattern, folded):
            return ground
    return None


def parse_ground(text: str) -> SpecialGround:
    """A button payload (the ground's value) or a description of the reason."""
    ground = SpecialGround.parse(str(text or "").strip()) or detect_ground(text)
    if ground is None:
        raise InvalidAnswer(say("utter_special_choose_ground"))
    return ground  # type: ignore[return-value]


# --- what the first message already says -------------------------------------------------------------

_SPEED = r"(\d{1,5}(?:[.,]\d+)?)\s*(?:mbit\w*(?:/s)?|mb/s|mbps|mb\b|mega\w*)"
_CONTRACTED_SPEED_PATTERNS = (
    re.compile(r"(?:statt|anstatt|anstelle von|instead of|von den|der versprochenen|die versprochenen)\s+" + _SPEED),
    re.compile(_SPEED + r"\s+(?:sind\s+|waren\s+)?(?:gebucht|zugesagt|versprochen|vereinbart|laut vertrag|"
               r"im vertrag|vertraglich|booked|promised|in the contract)"),
    re.compile(r"(?:anschluss|vertrag|tarif|leitung|kabel\w*|dsl|glasfaser|internet|connection|plan)\s+"
               r"(?:mit|von|ueber|with|of)\s+" + _SPEED),
    re.compile(r"(?:gebucht|zugesagt|versprochen|vereinbart|booked|promised|paying for)\s+(?:sind\s+|habe ich\s+|are\s+)?"
               + _SPEED),
)
_COUNTRIES = (
    "oesterreich|austria|schweiz|switzerland|frankreich|france|italien|italy|spanien|spain|portugal|"
    "niederlande|netherlands|holland|belgien|belgium|luxemburg|luxembourg|daenemark|denmark|schweden|"
    "sweden|norwegen|norway|finnland|finland|polen|poland|tschechien|czechia|czech republic|ungarn|hungary|"
    "griechenland|greece|tuerkei|turkey|tuerkiye|kroatien|croatia|rumaenien|romania|bulgarien|bulgaria|"
    "england|grossbritannien|vereinigtes koenigreich|united kingdom|irland|ireland|usa|vereinigte staaten|"
    "united states|kanada|canada|australien|australia|neuseeland|new zealand"
)
_ABROAD = re.compile(r"\bausland\w*|\bauswander\w*|\babroad\b|\bemigrat\w*|\b(?:" + _COUNTRIES + r")\b")


def contracted_speed_in(text: str) -> Optional[str]:
    """The contracted speed a complaint names ("nur 20 statt 100 Mbit" -> "100 Mbit/s"), or None.

    Only a speed marked as the contracted one counts: "ich habe nur 50 Mbit" names the measured.
    """
    folded = fold(text or "")
    for pattern in _CONTRACTED_SPEED_PATTERNS:
        match = pattern.search(folded)
        if match:
            return f"{match.group(1)} Mbit/s"
    return None


def mentions_abroad(text: str) -> bool:
    return bool(_ABROAD.search(fold(text or "")))


# "am neuen Ort gibt es kein Glasfaser", "dort ist DSL nicht verfügbar": the service is not offered
# at the new home (the fact § 60 Abs. 2 TKG turns on, cancellation/special/relocation.py).
_NEW_PLACE = re.compile(
    r"\bneue[nmrs]?\s+(?:ort|wohnort|wohnung|adresse|anschrift|haus|zuhause)\b|\bdort\b|\bda\s+(?:gibt|ist|sind|bietet|wird)\b|"
    r"\bnew\s+(?:place|address|home|flat|house)\b|\bthere\b"
)
_NOT_OFFERED = re.compile(
    r"\bgibt\s+es\s+(?:\w+\s+){0,3}?kein\w*|\bkein\w*\s+(?:\w+\s+)?(?:verfuegbar|anschluss|ausbau|netz|empfang)\w*|"
    r"\bnicht\s+(?:\w+\s+)?(?:verfuegbar|angeboten|erhaeltlich|moeglich|ausgebaut)|"
    r"\bbietet\s+(?:\w+\s+){0,4}?(?:nicht|kein\w*)\b|"
    r"\bnot\s+(?:be\s+)?(?:available|offered)|\bisn'?t\s+available|\bno\s+(?:\w+\s+)?(?:coverage|available)|"
    r"\bdoes(?:n'?t|\s+not)\s+offer"
)


def not_offered_at_new_home(text: str) -> bool:
    folded = fold(text or "").replace("\u2019", "'")
    return bool(_NEW_PLACE.search(folded) and _NOT_OFFERED.search(folded))


# "ab 1. Januar", "ab dem 15.01.2027", "seit Februar", "from 1 March": the day something starts.
# Not "zum 31.03.": that is the end the user wants.
_STARTING = re.compile(r"\b(?:ab|seit|from|since|as of|starting|effective)\b(?P<rest>.{1,30})")


def _starting_day(text: str, today: dt.date) -> Optional[dt.date]:
    for match in _STARTING.finditer(fold(text or "")):
        try:
            return parse_past_or_future_date(match["rest"], today)
        except InvalidInput:
            continue
    return parse_month_start(text, today)


# "erhöht zum 1. Januar die Preise", "passen wir unsere Preise zum 01.02.2027 an": in a message about
# a change, "zum <Tag>" next to the change is when it takes effect (hand-test item 7). Not when the
# user's own cancellation follows ("Preiserhöhung, ich will zum 31.03. kündigen").
_CHANGE_WORD = r"(?:erhoeh\w*|angehoben|anheb\w*|steig\w*|aender\w*|anpass\w*|passen|gilt|gelten|wirksam|preis\w*|tarif\w*)"
_CHANGE_AT = (
    re.compile(r"\b" + _CHANGE_WORD + r"\b(?P<between>[^.!?]{0,40}?)\bzum\s+(?P<rest>.{1,30})"),
    re.compile(r"\bzum\s+(?P<rest>[^!?]{1,30}?)\s+(?P<between>(?:\w+\s+){0,3})" + _CHANGE_WORD + r"\b"),
)
_OWN_CANCELLATION = re.compile(r"kuendig|cancel")
# "Den Brief habe ich am 20.11.2026 bekommen", "erhalten am 20.11.", "received it on 20 November".
_RECEIVED = (
    re.compile(r"\bam\s+(?P<rest>[^,;!?]{1,25}?)\s+(?:\w+\s+){0,2}(?:bekommen|erhalten|zugegangen|zugestellt|"
               r"eingegangen|angekommen|gekommen|kam|kamen)\b"),
    re.compile(r"\b(?:bekommen|erhalten|zugegangen|zugestellt|received|got)\s+(?:\w+\s+){0,2}?(?:am|on)\s+(?P<rest>.{1,25})"),
)


def _change_day(text: str, today: dt.date) -> Optional[dt.date]:
    folded = fold(text or "")
    for pattern in _CHANGE_AT:
        for match in pattern.finditer(folded):
            after = folded[match.end("rest"):match.end("rest") + 25] if pattern is _CHANGE_AT[0] else ""
            if _OWN_CANCELLATION.search(match["between"]) or _OWN_CANCELLATION.search(match["rest"] + after):
                continue
            try:
                return parse_past_or_future_date(match["rest"], today)
            except InvalidInput:
                continue
    return None


def _received_day(text: str, today: dt.date) -> Optional[dt.date]:
    for pattern in _RECEIVED:
        for match in pattern.finditer(fold(text or "")):
            try:
                day = parse_past_or_future_date(match["rest"], today)
            except InvalidInput:
                continue
            if day <= today:
                return day
    return None


def facts_from_request(ground: Optional[SpecialGround], text: str, today: dt.date) -> Dict[str, Any]:
    """Facts of the message that asks for the special path (hand-test item 4): those of every
    answer, and for a price change the day it takes effect ("…, ab 1. Januar. Kann ich da raus?").

    Only here: in an answer a date answers the question asked (when the notice came, say).
    """
    facts = facts_from_message(ground, text)
    if ground is SpecialGround.PRICE_CHANGE:
        effective = _starting_day(text, today) or _change_day(text, today)
        if effective is not None:
            facts[CHANGE_EFFECTIVE.key] = effective.isoformat()
        received = _received_day(text, today)
        if received is not None:
            facts[NOTICE_RECEIVED.key] = received.isoformat()
    return facts


def facts_from_message(ground: Optional[SpecialGround], text: str) -> Dict[str, Any]:
    """Facts a message states, so they are not asked again (issue 11): in the first message and
    in every answer (actions/special.py), whatever question it answers."""
    facts: Dict[str, Any] = {}
    if ground is SpecialGround.SLOW_INTERNET:
        speed = contracted_speed_in(text)
        if speed:
            facts[CONTRACTED_SPEED.key] = speed
    if ground is SpecialGround.RELOCATION and mentions_abroad(text):
        facts[ABROAD] = Reply.YES.value
    if ground is SpecialGround.RELOCATION and not_offered_at_new_home(text):
        facts[AVAILABLE_AT_NEW_ADDRESS.key] = Reply.NO.value
    relationship = relationship_from(text) if ground is SpecialGround.DEATH else None
    if relationship:
        facts[RELATIONSHIP.key] = relationship
    return facts


# --- "warum?" at a question ---------------------------------------------------------------------------

_WHY = re.compile(r"^\W*(?:warum|wieso|weshalb|wozu|wofuer|why|what for)\b")
# Questions with their own explanation (utter_why_special_<key>); the others get the general one.
_EXPLAINED = frozenset({"deceased_name", "date_of_death", "relationship", "has_death_certificate"})


def asks_why(text: str) -> bool:
    """ "warum?", "warum brauchen Sie das?" at a fact question: a question, not an answer."""
    return bool(_WHY.match(fold(text or "")))


def why_asked(question: Question) -> Message:
    """Why the rules need this fact (hand-test item 8: "warum?" got "Bitte nennen Sie ein Datum")."""
    key = question.key if question.key in _EXPLAINED else "general"
    return say(f"utter_why_special_{key}")


# --- answers --------------------------------------------------------------------------------------

_SECTOR_WORDS = (
    (Sector.TELECOM, r"telefon|handy|mobil|internet|festnetz|dsl|kabel|glasfaser|phone|mobile|broadband"),
    (Sector.ENERGY, r"strom|gas\b|energie|electric|power|energy"),
    (Sector.INSURANCE, r"versicher|insurance|police"),
)


def _sector_answer(text: str, today: dt.date) -> Dict[str, Any]:
    folded = fold(text)
    contract_type = ContractType.parse(extract_facts(text, today).contract_type)
    if contract_type is not None:
        answer: Dict[str, Any] = {"sector": contract_type.sector.value}
        if contract_type in (ContractType.ENERGY, ContractType.GAS):
            answer["contract_type"] = contract_type.value
        return answer
    for sector, pattern in _SECTOR_WORDS:
        if re.search(pattern, folded):
            return {"sector": sector.value}
    if not any(ch.isalpha() for ch in text) or is_unknown_answer(text):
        # Which rule applies depends on it: "weiß nicht" must not become "another contract".
        raise InvalidAnswer(say("utter_ask_special_sector"))
    return {"sector": Sector.OTHER.value}


def _example_date(question: Question, today: dt.date) -> dt.date:
    """An example that fits the question: a coming day, or a recent one for what already happened."""
    if question.kind is FactKind.PAST_DATE:
        return examples.past_date(today)  # the one the question showed
    return examples.coming_date(today)


def parse_fact(question: Question, text: str, today: dt.date) -> Dict[str, Any]:
    """One answer as the facts it gives: dates as ISO strings, yes/no as Reply values."""
    answer = " ".join(str(text or "").split())
    if question.kind in (FactKind.DATE, FactKind.PAST_DATE):
        try:
            day = parse_past_or_future_date(answer, today)
        except InvalidInput:
            # "ab Februar": when a change or a move starts, a month means its first day.
            start = parse_month_start(answer, today) if question.kind is FactKind.DATE else None
            if start is None:
                raise InvalidAnswer(say("utter_special_invalid_date", example=_example_date(question, today))) from None
            day = start
        if question.kind is FactKind.PAST_DATE and day > today:
            raise InvalidAnswer(say("utter_special_date_in_future", day=day))
        return {question.key: day.isoformat()}
    if question.kind is FactKind.REPLY:
        reply = classify_reply(answer)
        if reply is None:
            raise InvalidAnswer(say("utter_special_invalid_reply"))
        return {question.key: reply.value}
    if question.kind is FactKind.SECTOR:
        return _sector_answer(answer, today)
    # Text goes into the letter as typed: "weiß nicht" is not a value.
    if not answer or is_unknown_answer(answer) or not any(ch.isalnum() for ch in answer):
        raise InvalidAnswer(say("utter_special_invalid_text"))
    if len(answer) > MAX_FACT_CHARS:
        raise InvalidAnswer(say("utter_special_text_too_long", limit=MAX_FACT_CHARS))
    facts: Dict[str, Any] = {question.key: answer}
    if question is NEW_ADDRESS and mentions_abroad(answer):
        facts[ABROAD] = Reply.YES.value
    return facts


# --- what the user reads after the facts ---------------------------------------------------------

def assessment_messages(assessment: SpecialAssessment) -> List[Message]:
    """Warnings first, then the general rule, what the letter does, the enclosure, the disclaimer."""
    label = ground_label(assessment.ground)
    if assessment.legal_basis:
        messages = [say("utter_special_heading_basis", ground=label, basis=assessment.legal_basis)]
    else:
        messages = [say("utter_special_heading", ground=label)]
    messages += [say("utter_special_warning", text=warning) for warning in assessment.warnings]
    messages += list(assessment.explanation)
    messages += _what_the_letter_does(assessment)
    messages += [
        say("utter_special_enclosure", item=say(f"utter_special_enclosure_{item}"))
        for item in assessment.enclosures
    ]
    messages.append(say("utter_special_disclaimer"))
    return messages


def _what_the_letter_does(assessment: SpecialAssessment) -> List[Message]:
    if assessment.mode is LetterMode.ORDINARY:
        return [say("utter_special_letter_ordinary")]
    if assessment.mode is LetterMode.GOODWILL:
        return [say("utter_special_letter_goodwill")]
    letter = assessment.to_letter()
    basis = letter.legal_basis if letter else ""
    said = [
        say("utter_special_letter_extraordinary_basis", basis=basis)
        if basis else say("utter_special_letter_extraordinary")
    ]
    if assessment.end is not None:
        said.append(say("utter_special_letter_end", end=assessment.end))
    return said


# --- the summary before the letter ---------------------------------------------------------------

def summary_kind(special: Mapping[str, Any]) -> Message:
    """How the letter cancels, for the summary (slot `special_termination`)."""
    if not special.get("terms"):
        return say("utter_special_summary_goodwill")
    basis = special.get("legal_basis")
    return say("utter_special_summary_basis", basis=basis) if basis else say("utter_special_summary")


def enclosure_names(special: Mapping[str, Any]) -> List[Renderable]:
    """The enclosures the letter lists, in the user's language; other text as given."""
    known = set(clauses()["enclosures"])
    return [say(f"utter_special_enclosure_{item}") if item in known else str(item)
            for item in special.get("enclosures") or ()]
