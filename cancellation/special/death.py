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
# asked again). The letter then says it the way the user did ("Hans Muster war mein Ehemann"), with
# no double forms for the writer's unknown gender (hand-test item 8).
_RELATIVES = (
    (r"vater|papa|vati|father|dad", "mein Vater"),
    (r"mutter|mama|mutti|mother|mum|mom", "meine Mutter"),
    (r"(?:ehe)?mann|husband", "mein Ehemann"),
    (r"(?:ehe)?frau|wife", "meine Ehefrau"),
    (r"lebensgefaehrte|lebenspartner|partner", "mein Lebensgefährte"),
    (r"lebensgefaehrtin|lebenspartnerin|partnerin", "meine Lebensgefährtin"),
    (r"bruder|brother", "mein Bruder"),
    (r"schwester|sister", "meine Schwester"),
    (r"opa|grossvater|grandfather|grandpa", "mein Großvater"),
    (r"oma|grossmutter|grandmother|grandma", "meine Großmutter"),
    (r"sohn|son", "mein Sohn"),
    (r"tochter|daughter", "meine Tochter"),
)
_POSSESSIVE = r"\b(?:mein|meine|meinem|meinen|meiner|meines|my)\s+(?:(?:liebe[rn]?|geliebte[rn]?|late)\s+)?"
# An answer that names the deceased's role from the writer's side: "mein Vater", "meine Frau".
_OWN_RELATIVE = re.compile(r"^(?:mein|meine)\s", re.IGNORECASE)


def relationship_from(text: str) -> Optional[str]:
    """Who the deceased was to the writer when a message names them as a relative ("Mein Mann ist
    gestorben" -> "mein Ehemann"), else None."""
    folded = fold(text or "")
    found = [
        (match.start(), relative)
        for pattern, relative in _RELATIVES
        for match in re.finditer(_POSSESSIVE + r"(?:" + pattern + r")\b", folded)
    ]
    if not found:
        return None
    return min(found)[1]


def relationship_word(text: str) -> str:
    cleaned = " ".join(str(text).split()).strip(" .,;")
    shortened = _LEAD.sub("", cleaned, count=1)
    return shortened if fold(shortened).strip() else cleaned


def assess(facts: Facts, context: Context) -> SpecialAssessment:
    name = facts.text(DECEASED_NAME)
    # The questions name the deceased: no "sie" for "mein Mann" (hand-test item 8).
    died_on = facts.date(DATE_OF_DEATH, name=name)
    relationship = relationship_word(facts.text(RELATIONSHIP, name=name))
    has_certificate = facts.reply(HAS_DEATH_CERTIFICATE) is Reply.YES
    writer = (
        statement("death_relative", holder=name, relative=relationship)
        if _OWN_RELATIVE.match(relationship)
        else statement("death_writer_as", holder=name, relationship=relationship)
    )
    preamble = (
        statement("death_holder", holder=name, died_on=died_on),
        writer,
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
