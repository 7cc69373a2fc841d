"""What the rules say about one special termination, for the dialogue and for the letter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from letters.model import SpecialTermination, Statement

from cancellation.texts import Message
from cancellation.vocabulary import SpecialGround, Vocabulary


class LetterMode(Vocabulary):
    """What the letter does with the ground."""

    # "außerordentlich …, hilfsweise ordentlich …", the rule and the confirmed facts.
    EXTRAORDINARY = "extraordinary"
    # The special right is doubtful or not given: an ordinary cancellation that claims nothing.
    ORDINARY = "ordinary"
    # Death: an ordinary cancellation that asks for the usual early end (no statutory right).
    GOODWILL = "goodwill"


def statement(clause: str, **values: Any) -> Statement:
    """A sentence of the letter (letters/clauses.yml `statements`); dates print as TT.MM.JJJJ."""
    shown = {name: value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else str(value)
             for name, value in values.items()}
    return Statement(clause, tuple(sorted(shown.items())))


@dataclass(frozen=True)
class SpecialAssessment:
    ground: SpecialGround
    mode: LetterMode
    # The rule the dialogue examined ("" when none applies); the letter cites it only when it
    # cancels extraordinarily.
    legal_basis: str = ""
    terms: str = ""  # letters/clauses.yml `special_terms` (extraordinary mode only)
    end: Optional[dt.date] = None  # the end the special termination aims at
    preamble: Tuple[Statement, ...] = ()
    statements: Tuple[Statement, ...] = ()
    enclosures: Tuple[str, ...] = ()  # keys of letters/clauses.yml `enclosures`
    warnings: Tuple[Message, ...] = ()
    explanation: Tuple[Message, ...] = ()
    holder_name: Optional[str] = None  # the deceased holder

    def to_letter(self) -> Optional[SpecialTermination]:
        """The letter's part; None when the letter cancels ordinarily and claims nothing."""
        if self.mode is LetterMode.ORDINARY:
            return None
        extraordinary = self.mode is LetterMode.EXTRAORDINARY
        return SpecialTermination(
            ground=self.ground.value,
            terms=self.terms if extraordinary else "",
            legal_basis=self.legal_basis if extraordinary else "",
            end=self.end if extraordinary else None,
            preamble=self.preamble,
            statements=self.statements,
        )

    def as_slot(self) -> Optional[Dict[str, Any]]:
        """The letter's part as plain JSON (slot `special_termination`, the attempt log)."""
        letter = self.to_letter()
        if letter is None:
            return None
        value: Dict[str, Any] = {
            "ground": letter.ground,
            "terms": letter.terms,
            "legal_basis": letter.legal_basis,
            "end": letter.end.isoformat() if letter.end else None,
            "preamble": [_statement_json(item) for item in letter.preamble],
            "statements": [_statement_json(item) for item in letter.statements],
            "enclosures": list(self.enclosures),
        }
        if self.holder_name:
            value["holder_name"] = self.holder_name
        return value


def _statement_json(item: Statement) -> Dict[str, Any]:
    return {"clause": item.clause, "values": dict(item.values)}


def from_slot(value: Optional[Dict[str, Any]]) -> Optional[SpecialTermination]:
    """The letter's part back from `as_slot` (a reminder letter repeats it from the log)."""
    if not value:
        return None
    end = value.get("end")
    return SpecialTermination(
        ground=str(value["ground"]),
        terms=str(value.get("terms") or ""),
        legal_basis=str(value.get("legal_basis") or ""),
        end=dt.date.fromisoformat(end) if end else None,
        preamble=tuple(_statement(item) for item in value.get("preamble") or ()),
        statements=tuple(_statement(item) for item in value.get("statements") or ()),
    )


def _statement(item: Dict[str, Any]) -> Statement:
    values = item.get("values") or {}
    return Statement(str(item["clause"]), tuple(sorted((str(k), str(v)) for k, v in values.items())))
