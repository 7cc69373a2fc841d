"""The holder died (LEGAL.md "Special termination": § 1922 BGB, no statutory special right).

The contract passes to the heirs; providers usually end it early against a copy of the death
certificate. The letter never says that the writer is the heir: accepting the estate has
consequences within the six-week renunciation period (§§ 1943, 1944 BGB), so the writer writes as
a relative, and the user is told to check the inheritance first.
"""

from __future__ import annotations

import re
from typing import Optional

from cancellation.replies import fold
from cancellation.special.assessment import LetterMode, SpecialAssessment, statement
from cancellation.special.facts import (
    DATE_OF_DEATH,
    DECEASED_NAME,
    HAS_DEATH_CERTIFICATE,
    RELATIONSHIP,
    Context,
    Facts,
)
from cancellation.texts import say
from cancellation.vocabulary import Reply, SpecialGround

BASIS = "§ 1922 BGB"
GROUND = SpecialGround.DEATH

# "ich bin die Tochter" -> "Tochter": the letter prints the relationship in brackets.
_LEAD = re.compile(r"^(?:ich\s+bin\s+|i\s+am\s+|i\s*'?m\s+)?(?:(?:die|der|das|sein|seine|ihr|ihre|his|her|the)\s+)?",
                   re.IGNORECASE)


# "mein Vater ist gestorben": who died says how the writer is related (issue: the relationship was
# asked again). The noun of the deceased, the writer's relationship, and the deceased's gender.
_RELATIVES = (
    (r"vater|papa|vati|father|dad", "Kind", True),
    (r"mutter|mama|mutti|mother|mum|mom", "Kind", False),
    (r"(?:ehe)?mann|husband", "Ehepartnerin bzw. Ehepartner", True),
    (r"(?:ehe)?frau|wife", "Ehepartnerin bzw. Ehepartner", False),
    (r"lebensgefaehrte|lebenspartner|partner", "Lebenspartnerin bzw. Lebenspartner", True),
    (r"lebensgefaehrtin|lebenspartnerin|partnerin", "Lebenspartnerin bzw. Lebenspartner", False),
    (r"bruder|brother", "Geschwister", True),
    (r"schwester|sister", "Geschwister", False),
    (r"opa|grossvater|grandfather|grandpa", "Enkelkind", True),
    (r"oma|grossmutter|grandmother|grandma", "Enkelkind", False),
    (r"sohn|son", "Elternteil", True),
    (r"tochter|daughter", "Elternteil", False),
)
_POSSESSIVE = r"\b(?:mein|meine|meinem|meinen|meiner|meines|my)\s+(?:(?:liebe[rn]?|geliebte[rn]?|late)\s+)?"


def relationship_from(text: str) -> Optional[str]:
    """The writer's relationship as the letter prints it when a message names the deceased as a
    relative ("Mein Vater ist gestorben" -> "Kind des Verstorbenen"), else None."""
    folded = fold(text or "")
    found = [
        (match.start(), relationship, male)
        for pattern, relationship, male in _RELATIVES
        for match in re.finditer(_POSSESSIVE + r"(?:" + pattern + r")\b", folded)
    ]
    if not found:
        return None
    _, relationship, male = min(found)
    return f"{relationship} des Verstorbenen" if male else f"{relationship} der Verstorbenen"


def relationship_word(text: str) -> str:
    cleaned = " ".join(str(text).split()).strip(" .,;")
    shortened = _LEAD.sub("", cleaned, count=1)
    return shortened if fold(shortened).strip() else cleaned


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    name = facts.text(DECEASED_NAME)
    died_on = facts.date(DATE_OF_DEATH)
    relationship = relationship_word(facts.text(RELATIONSHIP))
    has_certificate = facts.reply(HAS_DEATH_CERTIFICATE) is Reply.YES
    preamble = (
        statement("death_holder", holder=name, died_on=died_on),
        statement("death_writer", relationship=relationship),
        statement("death_certificate_enclosed" if has_certificate else "death_certificate_follows"),
    )
    warnings = [say("utter_special_death_inheritance")]
    if not has_certificate:
        warnings.append(say("utter_special_death_certificate_later"))
    return SpecialAssessment(
        ground=GROUND, mode=LetterMode.GOODWILL, legal_basis=BASIS,
        preamble=preamble, statements=(statement("death_goodwill"),),
        enclosures=("death_certificate",) if has_certificate else (),
        warnings=tuple(warnings), explanation=(say("utter_special_death_rule"),),
        holder_name=name,
    )
