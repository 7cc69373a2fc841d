"""Special termination (Sonderkündigung): which facts to ask, and what the general rules say.

Grounds and rules per /work/shared/LEGAL.md, "Special termination". The assessments only apply fixed
rules (periods, yes/no facts); whether a reason is important enough stays with the user. The letter
always cancels "außerordentlich und fristlos, hilfsweise ordentlich zum nächstmöglichen Zeitpunkt".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Mapping, Optional, Tuple, Union

from cancellation.deadlines import add_months, format_date, suggest_receipt_date
from letters.model import SpecialTermination

Ground = Literal["price_change", "slow_internet", "relocation", "death", "important_reason"]
GROUNDS: Tuple[str, ...] = ("price_change", "slow_internet", "relocation", "death", "important_reason")

LEGAL_BASIS = {
    "price_change": "§ 57 Abs. 1 TKG",
    "slow_internet": "§ 57 Abs. 4 TKG",
    "relocation": "§ 60 TKG",
    "death": "§ 1922 BGB",
    "important_reason": "§ 314 BGB",
}

PRICE_CHANGE_WINDOW_MONTHS = 3
RELOCATION_NOTICE_MONTHS = 1
# § 314 Abs. 3 BGB only says "angemessen"; beyond two months the risk of being too late is high.
IMPORTANT_REASON_WARN_AFTER_DAYS = 60
URGENT_DAYS = 7

FALLBACK_SENTENCE = "Der Brief kündigt deshalb hilfsweise ordentlich zum nächstmöglichen Zeitpunkt."

FactValue = Union[dt.date, str, None]
Facts = Mapping[str, FactValue]


@dataclass(frozen=True)
class FactQuestion:
    key: str
    question_de: str
    kind: Literal["date", "text"]


@dataclass(frozen=True)
class SpecialAssessment:
    ground: str
    allowed: Optional[bool]  # None: depends on facts the assistant cannot judge
    warnings: Tuple[str, ...]
    earliest_end: Optional[dt.date]  # None: with receipt of the letter, or the ordinary deadline applies
    legal_basis: str
    statement: str
    enclosures: Tuple[str, ...]
    explanation: str

    def to_letter(self) -> SpecialTermination:
        # On death there is no termination right to rely on: § 1922 BGB only explains why the heir
        # writes, so the letter must not say "Die außerordentliche Kündigung stütze ich auf ...".
        basis = "" if self.ground == "death" else self.legal_basis
        return SpecialTermination(ground=self.ground, statement=self.statement, legal_basis=basis)


_YES_NO_HINT = "Bitte antworten Sie mit „ja“, „nein“ oder „weiß nicht“."

_QUESTIONS = {
    "price_change": (
        FactQuestion(
            "notice_received",
            "An welchem Tag haben Sie die Mitteilung über die Preiserhöhung bzw. Vertragsänderung erhalten?",
            "date",
        ),
        FactQuestion("change_effective", "Ab welchem Tag soll die Änderung gelten?", "date"),
        FactQuestion(
            "change_description",
            "Was ändert sich laut Mitteilung? (z. B. „Grundgebühr steigt von 29,99 € auf 34,99 € monatlich“)",
            "text",
        ),
    ),
    "slow_internet": (
        FactQuestion(
            "fixed_line",
            "Geht es um einen Internetanschluss im Festnetz (DSL, Kabel, Glasfaser)? " + _YES_NO_HINT,
            "text",
        ),
        FactQuestion(
            "contracted_speed",
            "Welche Geschwindigkeit ist im Vertrag zugesagt? (z. B. „maximal 250, normalerweise 200, "
            "mindestens 150 Mbit/s“)",
            "text",
        ),
        FactQuestion(
            "measurement_completed",
            "An welchem Tag haben Sie die Messreihe mit der Desktop-App der Breitbandmessung abgeschlossen?",
            "date",
        ),
        FactQuestion(
            "deviation_confirmed",
            "Stellt das Messprotokoll eine erhebliche Abweichung fest? " + _YES_NO_HINT,
            "text",
        ),
    ),
    "relocation": (
        FactQuestion("move_date", "An welchem Tag ziehen Sie um bzw. sind Sie umgezogen?", "date"),
        FactQuestion("new_address", "Wie lautet Ihre neue Anschrift (Straße, Hausnummer, PLZ, Ort)?", "text"),
        FactQuestion(
            "available_at_new_address",
            "Bietet Ihr Anbieter den Dienst an der neuen Anschrift an? " + _YES_NO_HINT,
            "text",
        ),
    ),
    "death": (
        FactQuestion("deceased_name", "Wie hieß die verstorbene Person, auf die der Vertrag läuft?", "text"),
        FactQuestion("date_of_death", "An welchem Tag ist sie verstorben?", "date"),
        FactQuestion(
            "relationship",
            "In welchem Verhältnis standen Sie zu ihr? (z. B. „Tochter“, „Ehemann“)",
            "text",
        ),
    ),
    "important_reason": (
        FactQuestion(
            "reason",
            "Was ist der wichtige Grund, aus dem Ihnen der Vertrag nicht mehr zuzumuten ist? "
            "Bitte beschreiben Sie ihn in ein bis zwei Sätzen.",
            "text",
        ),
        FactQuestion("known_since", "Seit wann wissen Sie von diesem Grund?", "date"),
    ),
}


def required_facts(ground: str) -> Tuple[FactQuestion, ...]:
    """The questions the assistant asks, in order, before it can assess `ground`."""
    _check_ground(ground)
    return _QUESTIONS[ground]


def measurement_steps() -> Tuple[str, ...]:
    """The Bundesnetzagentur's measurement procedure (Vfg. 99/2021), step by step, in German."""
    return (
        "1. Installieren Sie die Desktop-App der Breitbandmessung von breitbandmessung.de; "
        "die Messung im Browser reicht nicht.",
        "2. Verbinden Sie den Computer mit einem LAN-Kabel direkt mit dem Router; WLAN zählt nicht.",
        "3. Messen Sie an drei verschiedenen Kalendertagen je zehnmal, also 30 Messungen, "
        "alle innerhalb von 14 Tagen.",
        "4. Zwischen zwei Messtagen muss mindestens ein Tag ohne Messung liegen.",
        "5. Zwischen zwei Messungen liegen mindestens 5 Minuten, zwischen der fünften und der "
        "sechsten Messung eines Tages mindestens 3 Stunden.",
        "6. Die App wertet die Messreihe aus. Eine erhebliche Abweichung liegt in der Regel vor, wenn "
        "90 % der vereinbarten Höchstgeschwindigkeit an zwei der drei Tage nicht wenigstens einmal "
        "erreicht werden, wenn die normalerweise verfügbare Geschwindigkeit in weniger als 90 % der "
        "Messungen erreicht wird oder wenn die minimale Geschwindigkeit an zwei der drei Tage "
        "mindestens einmal unterschritten wird.",
        "7. Speichern Sie das Messprotokoll und legen Sie es der Kündigung bei.",
    )


def assess(
    ground: str,
    facts: Mapping[str, FactValue],
    today: dt.date,
    received: Optional[dt.date] = None,
) -> SpecialAssessment:
    """Apply the general rules for `ground` to the user's answers.

    `facts` holds the answers keyed as in `required_facts(ground)`; dates may be `datetime.date`,
    "YYYY-MM-DD" or "TT.MM.JJJJ". `received` is when the letter is expected to reach the provider;
    by default the next delivery day for an Einwurf-Einschreiben posted today.
    Raises ValueError when a fact is missing or a date cannot be read.
    """
    _check_ground(ground)
    for question in _QUESTIONS[ground]:
        value = facts.get(question.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError(f"missing fact {question.key!r} for ground {ground!r}")
    if received is None:
        received = suggest_receipt_date(today, "einschreiben")
    return _ASSESSORS[ground](facts, today, received)


# --- one assessor per ground -----------------------------------------------------------------


def _assess_price_change(facts: Facts, today: dt.date, received: dt.date) -> SpecialAssessment:
    basis = LEGAL_BASIS["price_change"]
    notice_received = _date(facts, "notice_received")
    effective = _date(facts, "change_effective")
    description = _text(facts, "change_description")
    deadline = add_months(notice_received, PRICE_CHANGE_WINDOW_MONTHS)
    warnings = []
    allowed: Optional[bool]
    earliest_end: Optional[dt.date] = None
    if notice_received > today:
        allowed = None
        warnings.append(
            f"Das Zugangsdatum der Mitteilung ({format_date(notice_received)}) liegt in der Zukunft; "
            "bitte prüfen Sie das Datum."
        )
    elif today > deadline:
        allowed = False
        warnings.append(
            f"Die Drei-Monats-Frist nach der Mitteilung vom {format_date(notice_received)} ist am "
            f"{format_date(deadline)} abgelaufen. Ein Sonderkündigungsrecht nach {basis} besteht "
            f"deshalb in der Regel nicht mehr. {FALLBACK_SENTENCE}"
        )
    else:
        allowed = True
        if received > deadline:
            warnings.append(
                f"Die Kündigung muss bis zum {format_date(deadline)} beim Anbieter eingehen; ein heute "
                f"eingeworfener Brief kommt voraussichtlich erst am {format_date(received)} an. Kündigen Sie "
                "zusätzlich noch heute per Kündigungsbutton, Fax oder E-Mail."
            )
        elif (deadline - today).days <= URGENT_DAYS:
            warnings.append(
                f"Die Frist für die Sonderkündigung endet bald: Die Kündigung muss bis zum "
                f"{format_date(deadline)} beim Anbieter eingehen."
            )
        if effective > received:
            earliest_end = effective
    statement = (
        f"Mit Ihrer Mitteilung, die mir am {format_date(notice_received)} zugegangen ist, haben Sie eine "
        f"Änderung des Vertrags zum {format_date(effective)} angekündigt: {_sentence(description)}"
    )
    explanation = (
        f"Nach {basis} können Sie in der Regel ohne Frist und ohne Kosten kündigen, wenn der Anbieter "
        "den Vertrag einseitig ändert, etwa den Preis erhöht. Die Kündigung muss innerhalb von drei "
        f"Monaten nach Zugang der Mitteilung beim Anbieter eingehen, hier bis zum {format_date(deadline)} "
        "(§ 187 Abs. 1, § 188 Abs. 2 BGB). Der Vertrag endet frühestens, wenn die Änderung wirksam wird "
        f"({format_date(effective)}). Kein Sonderkündigungsrecht besteht in der Regel, wenn die Änderung "
        "nur vorteilhaft, rein administrativ ohne Nachteil oder gesetzlich vorgeschrieben ist."
    )
    return SpecialAssessment(
        ground="price_change",
        allowed=allowed,
        warnings=tuple(warnings),
        earliest_end=earliest_end,
        legal_basis=basis,
        statement=statement,
        enclosures=("Kopie der Mitteilung über die Vertragsänderung",),
        explanation=explanation,
    )


def _assess_slow_internet(facts: Facts, today: dt.date, received: dt.date) -> SpecialAssessment:
    basis = LEGAL_BASIS["slow_internet"]
    fixed_line = _yes_no(_text(facts, "fixed_line"))
    speed = _text(facts, "contracted_speed")
    completed = _date(facts, "measurement_completed")
    deviation = _yes_no(_text(facts, "deviation_confirmed"))
    warnings = []
    allowed: Optional[bool]
    if fixed_line is False:
        allowed = False
        warnings.append(
            f"{basis} mit dem Nachweis über die Breitbandmessung gilt für Internet im Festnetz. Für "
            "Mobilfunk ist nach unserem Stand keine vergleichbare Regel in Kraft. " + FALLBACK_SENTENCE
        )
    elif completed > today:
        allowed = None
        warnings.append(
            "Die Messreihe ist noch nicht abgeschlossen. Kündigen Sie erst, wenn das Messprotokoll "
            "eine erhebliche Abweichung feststellt."
        )
    elif deviation is False:
        allowed = False
        warnings.append(
            "Das Messprotokoll stellt keine erhebliche Abweichung fest; ein Sonderkündigungsrecht "
            f"nach {basis} besteht dann in der Regel nicht. {FALLBACK_SENTENCE}"
        )
    elif deviation is None or fixed_line is None:
        allowed = None
        warnings.append(
            "Ob ein Sonderkündigungsrecht besteht, hängt davon ab, dass das Messprotokoll für einen "
            "Festnetzanschluss eine erhebliche Abweichung feststellt. Bitte prüfen Sie den "
            f"Abschlussbericht der Messreihe. {FALLBACK_SENTENCE}"
        )
    else:
        allowed = True
    statement = (
        f"Die vertraglich zugesagte Geschwindigkeit ({speed}) wird nicht erreicht. Das habe ich mit dem "
        "Nachweisverfahren der Bundesnetzagentur (Breitbandmessung, Messreihe abgeschlossen am "
        f"{format_date(completed)}) festgestellt; das Messprotokoll liegt bei."
    )
    explanation = (
        f"Weicht die Geschwindigkeit eines Festnetz-Internetanschlusses erheblich von der zugesagten ab, "
        f"können Sie nach {basis} in der Regel den Preis mindern oder ohne Frist kündigen. Den Nachweis "
        "erbringen Sie mit der Breitbandmessung der Bundesnetzagentur:\n" + "\n".join(measurement_steps())
    )
    return SpecialAssessment(
        ground="slow_internet",
        allowed=allowed,
        warnings=tuple(warnings),
        earliest_end=None,
        legal_basis=basis,
        statement=statement,
        enclosures=("Messprotokoll der Breitbandmessung",),
        explanation=explanation,
    )


def _assess_relocation(facts: Facts, today: dt.date, received: dt.date) -> SpecialAssessment:
    basis = LEGAL_BASIS["relocation"]
    move_date = _date(facts, "move_date")
    new_address = _text(facts, "new_address")
    available = _yes_no(_text(facts, "available_at_new_address"))
    warnings = []
    one_month_after = add_months(received, RELOCATION_NOTICE_MONTHS)
    earliest_end: Optional[dt.date] = max(move_date, one_month_after)
    allowed: Optional[bool]
    if available is True:
        allowed = False
        earliest_end = None
        warnings.append(
            f"Bietet der Anbieter den Dienst an der neuen Anschrift an, muss er den Vertrag dort zu den "
            f"gleichen Bedingungen fortführen ({basis}); ein Sonderkündigungsrecht besteht dann in der "
            f"Regel nicht. {FALLBACK_SENTENCE}"
        )
    elif available is None:
        allowed = None
        warnings.append(
            "Ob Sie wegen des Umzugs vorzeitig kündigen können, hängt davon ab, ob der Anbieter den "
            "Dienst an der neuen Anschrift anbietet. Prüfen Sie das auf seiner Website (Verfügbarkeit); "
            "der Brief bittet den Anbieter, es andernfalls zu bestätigen."
        )
    else:
        allowed = True
    if move_date > today:
        warnings.append(
            "Die Meldebestätigung erhalten Sie erst nach der Anmeldung am neuen Wohnort; Sie können sie "
            "nachreichen."
        )
    when = format_date(move_date)
    if move_date > today:
        statement = f"Ich ziehe am {when} an folgende Anschrift um: {new_address}."
    else:
        statement = f"Ich bin am {when} an folgende Anschrift umgezogen: {new_address}."
    if available is False:
        statement += " Sie bieten den Dienst dort nach meiner Kenntnis nicht an."
    elif available is None:
        statement += " Sollten Sie den Dienst dort nicht anbieten, bitte ich um eine kurze Bestätigung."
    explanation = (
        f"Nach einem Umzug muss der Anbieter den Vertrag an der neuen Anschrift zu den gleichen "
        f"Bedingungen fortführen, wenn er den Dienst dort anbietet ({basis}); er darf dafür ein Entgelt "
        "bis zur Höhe eines Neuanschlusses verlangen. Bietet er ihn dort nicht an, können Sie in der "
        "Regel mit einer Frist von einem Monat kündigen, frühestens zum Umzugstag. Bei Zugang am "
        f"{format_date(received)} endet der Vertrag dann in der Regel am "
        f"{format_date(max(move_date, one_month_after))} (§ 187 Abs. 1, § 188 Abs. 2 BGB)."
    )
    return SpecialAssessment(
        ground="relocation",
        allowed=allowed,
        warnings=tuple(warnings),
        earliest_end=earliest_end,
        legal_basis=basis,
        statement=statement,
        enclosures=("Meldebestätigung der neuen Anschrift",),
        explanation=explanation,
    )


def _assess_death(facts: Mapping[str, FactValue], today: dt.date, received: dt.date) -> SpecialAssessment:
    basis = LEGAL_BASIS["death"]
    name = _text(facts, "deceased_name")
    died_on = _date(facts, "date_of_death")
    relationship = _text(facts, "relationship")
    warnings = [
        "Das Telekommunikationsgesetz gibt Erben kein Sonderkündigungsrecht. Die meisten Anbieter beenden "
        "den Vertrag gegen eine Kopie der Sterbeurkunde aus Kulanz vorzeitig; sonst gilt die ordentliche "
        f"Kündigungsfrist. {FALLBACK_SENTENCE}"
    ]
    if died_on > today:
        warnings.append(f"Das Sterbedatum ({format_date(died_on)}) liegt in der Zukunft; bitte prüfen Sie es.")
    # The letter itself says that the holder died and that an heir writes (letters.wording), so the
    # statement adds only the date, the relationship and the request for the usual early end.
    statement = (
        f"Todestag: {format_date(died_on)}; mein Verhältnis zu {name}: {relationship}."
        " Ich bitte Sie, den Vertrag aus Kulanz mit sofortiger Wirkung zu beenden, "
        "wie es bei Todesfällen üblich ist."
    )
    explanation = (
        f"Mit dem Tod geht der Vertrag auf die Erben über ({basis}). Ein gesetzliches "
        "Sonderkündigungsrecht gibt es dafür nicht; Anbieter beenden solche Verträge aber in der Regel "
        "vorzeitig, wenn die Erben eine Kopie der Sterbeurkunde schicken. Der Brief kommt von Ihnen als "
        "Erbin bzw. Erbe und kündigt hilfsweise ordentlich zum nächstmöglichen Zeitpunkt."
    )
    return SpecialAssessment(
        ground="death",
        allowed=None,
        warnings=tuple(warnings),
        earliest_end=None,
        legal_basis=basis,
        statement=statement,
        enclosures=("Kopie der Sterbeurkunde",),
        explanation=explanation,
    )


def _assess_important_reason(
    facts: Mapping[str, FactValue], today: dt.date, received: dt.date
) -> SpecialAssessment:
    basis = LEGAL_BASIS["important_reason"]
    reason = _text(facts, "reason")
    known_since = _date(facts, "known_since")
    warnings = [
        "Ob ein Grund wichtig genug für eine fristlose Kündigung ist, hängt vom Einzelfall ab. "
        + FALLBACK_SENTENCE
    ]
    if known_since > today:
        warnings.append(f"Das Datum ({format_date(known_since)}) liegt in der Zukunft; bitte prüfen Sie es.")
    elif (today - known_since).days > IMPORTANT_REASON_WARN_AFTER_DAYS:
        warnings.append(
            f"Sie kennen den Grund seit dem {format_date(known_since)}, also seit mehr als zwei Monaten. "
            f"Die Kündigung nach {basis} muss innerhalb einer angemessenen Frist erfolgen (§ 314 Abs. 3 BGB); "
            "je länger Sie warten, desto eher gilt sie als verspätet."
        )
    statement = f"{_sentence(reason)} Davon habe ich am {format_date(known_since)} erfahren."
    explanation = (
        f"Jeden Dauervertrag können Sie aus wichtigem Grund ohne Frist kündigen ({basis}), wenn Ihnen "
        "die Fortsetzung bis zum regulären Ende nicht zuzumuten ist. Das muss innerhalb einer "
        "angemessenen Frist geschehen, nachdem Sie von dem Grund erfahren haben (§ 314 Abs. 3 BGB). "
        "Liegt der Grund in einer Vertragsverletzung des Anbieters, ist in der Regel zuerst eine "
        "Abmahnung oder eine Frist zur Abhilfe nötig (§ 314 Abs. 2 BGB)."
    )
    return SpecialAssessment(
        ground="important_reason",
        allowed=None,
        warnings=tuple(warnings),
        earliest_end=None,
        legal_basis=basis,
        statement=statement,
        enclosures=(),
        explanation=explanation,
    )


_ASSESSORS = {
    "price_change": _assess_price_change,
    "slow_internet": _assess_slow_internet,
    "relocation": _assess_relocation,
    "death": _assess_death,
    "important_reason": _assess_important_reason,
}


# --- reading answers ---------------------------------------------------------------------------


def _check_ground(ground: str) -> None:
    if ground not in GROUNDS:
        raise ValueError(f"unknown ground {ground!r}; expected one of {', '.join(GROUNDS)}")


def _date(facts: Mapping[str, FactValue], key: str) -> dt.date:
    value = facts[key]
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"fact {key!r} is not a date: {value!r}")


def _text(facts: Mapping[str, FactValue], key: str) -> str:
    return str(facts[key]).strip()


_YES = {"ja", "j", "yes", "y", "true", "stimmt", "genau", "jawohl"}
_NO = {"nein", "n", "no", "false", "nee", "ne"}


def _yes_no(answer: str) -> Optional[bool]:
    word = answer.strip().lower().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
