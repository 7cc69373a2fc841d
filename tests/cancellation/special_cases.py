"""The table of special-termination cases: what the dialogue says and what the letter states.

tests/cancellation/test_special_cases.py runs every case through the rules and the letter;
docs/LEGAL_CASES_SPECIAL.md is generated from this list and checked to be current:

    .venv/bin/python -m tests.cancellation.special_cases > docs/LEGAL_CASES_SPECIAL.md
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from cancellation.special import LetterMode
from cancellation.vocabulary import ContractType, Sector, SpecialGround

# A Wednesday: a letter posted today arrives by Monday 30.11.2026 (four working days).
TODAY = dt.date(2026, 11, 25)
YES, NO, UNKNOWN = "yes", "no", "unknown"

PRICE = SpecialGround.PRICE_CHANGE
SLOW = SpecialGround.SLOW_INTERNET
MOVE = SpecialGround.RELOCATION
DEATH = SpecialGround.DEATH
REASON = SpecialGround.IMPORTANT_REASON


@dataclass(frozen=True)
class Case:
    name: str  # the situation, as the table shows it
    ground: SpecialGround
    facts: Dict[str, Any]
    mode: LetterMode
    rule: str  # the rule the dialogue applies ("—" when none)
    source: str
    letter: Tuple[str, ...] = ()  # sentences the letter states
    not_in_letter: Tuple[str, ...] = ()  # what it must never state in this case
    chat: Tuple[str, ...] = ()  # what the dialogue says (German)
    contract_type: Optional[ContractType] = None
    sector: Optional[Sector] = None  # from the provider directory
    today: dt.date = TODAY

    @property
    def expected(self) -> str:
        """The "expected date or text" column."""
        parts = [f"Brief: „{text}“" for text in self.letter]
        parts += [f"Chat: „{text}“" for text in self.chat]
        parts += [f"nie: „{text}“" for text in self.not_in_letter]
        return "; ".join(parts)


def notice(received: str, effective: str, **more: Any) -> Dict[str, Any]:
    return {
        "notice_received": received,
        "change_effective": effective,
        "change_description": "Grundgebühr steigt von 29,99 € auf 34,99 € monatlich",
        **more,
    }


ORDINARY_LETTER = "kündige ich den oben genannten Vertrag fristgerecht zum nächstmöglichen Zeitpunkt."
LEGAL = "/work/shared/LEGAL.md"

CASES: Tuple[Case, ...] = (
    # --- price rise, telecom -------------------------------------------------------------------
    Case(
        "Handy: Preiserhöhung, Mitteilung 01.10.2026, gilt ab 01.12.2026", PRICE,
        notice("2026-10-01", "2026-12-01", has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 57 Abs. 1 TKG: drei Monate ab Zugang der Mitteilung, Ende frühestens mit der Änderung",
        f"{LEGAL} Special termination; § 57 Abs. 1 S. 2, 3 TKG",
        letter=("ohne Einhaltung einer Kündigungsfrist zum 01.12.2026", "stütze ich auf § 57 Abs. 1 TKG",
                "Kopie der Mitteilung über die Vertragsänderung"),
        chat=("hier bis zum 01.01.2027",),
        contract_type=ContractType.MOBILE,
    ),
    Case(
        "Handy: Änderung gilt schon seit 01.11.2026 (Mitteilung 01.10.2026)", PRICE,
        notice("2026-10-01", "2026-11-01", has_notice_copy=NO), LetterMode.EXTRAORDINARY,
        "§ 57 Abs. 1 TKG: Änderung schon wirksam, also fristlos",
        f"{LEGAL} Special termination; § 57 Abs. 1 S. 3 TKG",
        letter=("außerordentlich und fristlos, hilfsweise ordentlich",),
        not_in_letter=("Anlagen",),
        contract_type=ContractType.MOBILE,
    ),
    Case(
        "Internet: Frist endet heute, Brief käme erst am 30.11.2026", PRICE,
        notice("2026-08-25", "2026-12-01", has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 57 Abs. 1 TKG; Postlaufzeit bis zu vier Werktage",
        f"{LEGAL} Added 2026-12-02 (Postal delivery times)",
        letter=("stütze ich auf § 57 Abs. 1 TKG",),
        chat=("bis zum 25.11.2026 beim Anbieter eingehen", "erst am 30.11.2026 an", "Kündigungsbutton, Fax oder E-Mail"),
        sector=Sector.TELECOM,
    ),
    Case(
        "Internet: Mitteilung älter als drei Monate, entsprach § 57 Abs. 2 TKG", PRICE,
        notice("2026-06-01", "2026-08-01", notice_compliant=YES), LetterMode.ORDINARY,
        "§ 57 Abs. 1 TKG: Frist am 01.09.2026 abgelaufen",
        f"{LEGAL} Special termination; § 57 Abs. 1, 2 TKG",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("außerordentlich", "§ 57", "Mitteilung"),
        chat=("am 01.09.2026 abgelaufen", "in der Regel nicht mehr"),
        contract_type=ContractType.DSL,
    ),
    Case(
        "Internet: Mitteilung älter als drei Monate, ohne Hinweis auf das Kündigungsrecht", PRICE,
        notice("2026-06-01", "2026-08-01", notice_compliant=NO, has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 57 Abs. 2 TKG: Frist beginnt erst mit ordnungsgemäßer Mitteilung",
        f"{LEGAL} Special termination; § 57 Abs. 2 TKG",
        letter=("außerordentlich und fristlos", "die Frist für meine Kündigung hat deshalb nicht zu laufen begonnen"),
        chat=("hat die Frist in der Regel noch nicht begonnen",),
        contract_type=ContractType.DSL,
    ),
    Case(
        "Internet: Mitteilung älter als drei Monate, Form unbekannt", PRICE,
        notice("2026-06-01", "2026-08-01", notice_compliant=UNKNOWN), LetterMode.ORDINARY,
        "§ 57 Abs. 2 TKG: erst prüfen, dann Sonderkündigung",
        f"{LEGAL} Special termination; § 57 Abs. 2 TKG",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("außerordentlich", "§ 57"),
        chat=("Prüfen Sie die Mitteilung",),
        contract_type=ContractType.DSL,
    ),
    # --- price rise, energy --------------------------------------------------------------------
    Case(
        "Strom (Sondervertrag): Preiserhöhung zum 01.01.2027", PRICE,
        notice("2026-11-15", "2027-01-01", basic_supply=NO, has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 41 Abs. 5 EnWG: ohne Frist zum Tag der Änderung",
        f"{LEGAL} Added 2026-12-02 (Energy)",
        letter=("ohne Einhaltung einer Kündigungsfrist zum 01.01.2027", "stütze ich auf § 41 Abs. 5 EnWG"),
        not_in_letter=("TKG", "fristlos"),
        chat=("§ 41 Abs. 5 EnWG",),
        contract_type=ContractType.ENERGY,
    ),
    Case(
        "Strom in der Grundversorgung: Preiserhöhung zum 01.01.2027", PRICE,
        notice("2026-11-15", "2027-01-01", basic_supply=YES, has_notice_copy=NO), LetterMode.EXTRAORDINARY,
        "§ 5 Abs. 3 StromGVV; § 20 StromGVV: zwei Wochen Frist",
        f"{LEGAL} Added 2026-12-02 (Energy) (check)",
        letter=("zum 01.01.2027", "stütze ich auf § 5 Abs. 3 StromGVV."),
        not_in_letter=("TKG", "Anlagen"),
        chat=("mit einer Frist von zwei Wochen kündigen (§ 20 StromGVV bzw. GasGVV)",),
        contract_type=ContractType.ENERGY,
    ),
    Case(
        "Gas in der Grundversorgung: Preiserhöhung zum 01.01.2027", PRICE,
        notice("2026-11-15", "2027-01-01", basic_supply=YES, has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 5 Abs. 3 GasGVV",
        f"{LEGAL} Added 2026-12-02 (Energy)",
        letter=("stütze ich auf § 5 Abs. 3 GasGVV.",),
        not_in_letter=("TKG", "StromGVV"),
        contract_type=ContractType.GAS,
    ),
    Case(
        "Strom, unklar ob Grundversorgung", PRICE,
        notice("2026-11-15", "2027-01-01", basic_supply=UNKNOWN, has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 41 Abs. 5 EnWG bzw. § 5 Abs. 3 StromGVV",
        f"{LEGAL} Added 2026-12-02 (Energy)",
        letter=("stütze ich auf § 41 Abs. 5 EnWG bzw. § 5 Abs. 3 StromGVV.",),
        not_in_letter=("TKG",),
        contract_type=ContractType.ENERGY,
    ),
    Case(
        "Stadtwerke (Strom/Gas): Sparte im Chat genannt", PRICE,
        notice("2026-11-15", "2027-01-01", sector="energy", contract_type="gas", basic_supply=NO,
               has_notice_copy=YES),
        LetterMode.EXTRAORDINARY,
        "§ 41 Abs. 5 EnWG", f"{LEGAL} Added 2026-12-02 (Energy)",
        letter=("stütze ich auf § 41 Abs. 5 EnWG.",),
        not_in_letter=("TKG",),
    ),
    Case(
        "Strom: Erhöhung gilt schon seit 01.11.2026", PRICE,
        notice("2026-10-01", "2026-11-01", basic_supply=NO), LetterMode.ORDINARY,
        "§ 41 Abs. 5 EnWG: nur zum Tag der Änderung",
        f"{LEGAL} Added 2026-12-02 (Energy)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("außerordentlich", "EnWG", "TKG"),
        chat=("schon seit dem 01.11.2026",),
        contract_type=ContractType.ENERGY,
    ),
    Case(
        "Strom: Erhöhung zum 30.11.2026, ein heute eingeworfener Brief käme erst an dem Tag an", PRICE,
        notice("2026-11-01", "2026-11-30", basic_supply=NO, has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 41 Abs. 5 EnWG; Postlaufzeit",
        f"{LEGAL} Added 2026-12-02 (Energy, Postal delivery times)",
        letter=("zum 30.11.2026",),
        chat=("vor dem 30.11.2026 beim Versorger eingehen",),
        contract_type=ContractType.ENERGY,
    ),
    # --- premium rise, insurance -----------------------------------------------------------------
    Case(
        "Versicherung: Beitragserhöhung ohne mehr Schutz, Mitteilung 10.11.2026, gilt ab 01.01.2027", PRICE,
        notice("2026-11-10", "2027-01-01", cover_unchanged=YES, has_notice_copy=YES), LetterMode.EXTRAORDINARY,
        "§ 40 VVG: einen Monat ab Mitteilung, Wirkung mit der Erhöhung",
        f"{LEGAL} Added 2026-12-02 (Insurance)",
        letter=("zum 01.01.2027", "stütze ich auf § 40 VVG.",
                "nicht mit einer Erweiterung des Versicherungsschutzes verbunden"),
        not_in_letter=("TKG", "EnWG"),
        chat=("hier bis zum 10.12.2026", "Prüfen Sie die Mitteilung"),
        contract_type=ContractType.INSURANCE,
    ),
    Case(
        "Versicherung: Mitteilung vom 01.10.2026, Monatsfrist vorbei", PRICE,
        notice("2026-10-01", "2027-01-01", cover_unchanged=YES), LetterMode.ORDINARY,
        "§ 40 VVG: Frist am 01.11.2026 abgelaufen",
        f"{LEGAL} Added 2026-12-02 (Insurance)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("außerordentlich", "VVG"),
        chat=("am 01.11.2026 abgelaufen",),
        contract_type=ContractType.INSURANCE,
    ),
    Case(
        "Versicherung: Beitrag steigt mit erweitertem Schutz", PRICE,
        notice("2026-11-10", "2027-01-01", cover_unchanged=NO), LetterMode.ORDINARY,
        "§ 40 VVG gilt nicht", f"{LEGAL} Added 2026-12-02 (Insurance)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("außerordentlich",),
        contract_type=ContractType.INSURANCE,
    ),
    # --- price rise, other contracts ---------------------------------------------------------------
    Case(
        "Fitnessstudio: Beitragserhöhung, Mitteilung nennt ein Kündigungsrecht", PRICE,
        notice("2026-11-10", "2027-01-01", notice_grants_right=YES, has_notice_copy=YES),
        LetterMode.EXTRAORDINARY,
        "Vertragsbedingungen (kein Gesetz zitiert)",
        f"{LEGAL} Added 2026-12-02 (§ 57 TKG is for telecom only); Other consumer contracts",
        letter=("außerordentlich zum frühestmöglichen Zeitpunkt",
                "In Ihrer Mitteilung weisen Sie auf mein Recht hin"),
        not_in_letter=("§", "stütze"),
        contract_type=ContractType.GYM,
    ),
    Case(
        "Streaming: Preiserhöhung ohne Kündigungsrecht in der Mitteilung", PRICE,
        {"notice_grants_right": NO}, LetterMode.ORDINARY,
        "Vertragsbedingungen oder § 314 BGB", f"{LEGAL} Special termination (Important reason)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("§", "außerordentlich"),
        chat=("§ 57 TKG gilt nur für Telekommunikation",),
        contract_type=ContractType.STREAMING,
    ),
    # --- slow internet -------------------------------------------------------------------------
    Case(
        "Kabel: Messprotokoll stellt erhebliche Abweichung fest", SLOW,
        {"measured": YES, "measurement_completed": "2026-11-20", "deviation_confirmed": YES,
         "contracted_speed": "250 Mbit/s"},
        LetterMode.EXTRAORDINARY,
        "§ 57 Abs. 4 TKG, Nachweis nach Vfg. 99/2021", f"{LEGAL} Special termination (Slow fixed-line internet)",
        letter=("außerordentlich und fristlos", "(250 Mbit/s) wird erheblich unterschritten",
                "Messreihe abgeschlossen am 20.11.2026", "Messprotokoll der Breitbandmessung"),
        chat=("LAN-Kabel", "30 Messungen"),
        contract_type=ContractType.CABLE,
    ),
    Case(
        "DSL: Messprotokoll ohne Abweichung", SLOW,
        {"measured": YES, "measurement_completed": "2026-11-20", "deviation_confirmed": NO},
        LetterMode.ORDINARY,
        "§ 57 Abs. 4 TKG: keine Abweichung, kein Recht", f"{LEGAL} Special termination (Slow fixed-line internet)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("unterschritten", "nicht erreicht", "Messprotokoll", "außerordentlich"),
        chat=("keine erhebliche Abweichung",),
        contract_type=ContractType.DSL,
    ),
    Case(
        "DSL: noch nicht gemessen", SLOW, {"measured": NO}, LetterMode.ORDINARY,
        "§ 57 Abs. 4 TKG: erst messen", f"{LEGAL} Special termination (Slow fixed-line internet)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("Messprotokoll", "außerordentlich"),
        chat=("Messen Sie zuerst",),
        contract_type=ContractType.DSL,
    ),
    Case(
        "Handy: mobiles Internet zu langsam", SLOW, {}, LetterMode.ORDINARY,
        "§ 57 Abs. 4 TKG nur Festnetz", f"{LEGAL} Special termination (Mobile: no such rule, unconfirmed)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("außerordentlich",),
        chat=("Für Mobilfunk ist nach unserem Stand keine vergleichbare Regel in Kraft",),
        contract_type=ContractType.MOBILE,
    ),
    # --- relocation ------------------------------------------------------------------------------
    Case(
        "DSL: Umzug am 15.02.2027, Anbieter bietet dort nichts an", MOVE,
        {"move_date": "2027-02-15", "new_address": "Hauptstraße 1, 99999 Irgendwo", "available_at_new_address": NO},
        LetterMode.EXTRAORDINARY,
        "§ 60 Abs. 2 TKG: ein Monat, frühestens zum Umzug (Umzugstag ist später)",
        f"{LEGAL} Special termination (Relocation)",
        letter=("mit einer Frist von einem Monat zum 15.02.2027", "Ich ziehe am 15.02.2027 an folgende Anschrift um",
                "Die Meldebestätigung der neuen Anschrift reiche ich nach"),
        not_in_letter=("Anlagen",),
        chat=("Der Vertrag endet dann in der Regel am 15.02.2027",),
        contract_type=ContractType.DSL,
    ),
    Case(
        "Festnetz: Umzug am 01.12.2026, Brief geht am 30.11.2026 zu", MOVE,
        {"move_date": "2026-12-01", "new_address": "Hauptstraße 1, 99999 Irgendwo", "available_at_new_address": NO},
        LetterMode.EXTRAORDINARY,
        "§ 60 Abs. 2 TKG; § 188 Abs. 2 BGB: Zugang + ein Monat ist später",
        f"{LEGAL} Special termination (Relocation), Added 2026-12-02 (Postal delivery times)",
        letter=("mit einer Frist von einem Monat zum 30.12.2026", "Ich ziehe am 01.12.2026"),
        chat=("spätestens am 30.11.2026 zu", "endet dann in der Regel am 30.12.2026"),
        contract_type=ContractType.LANDLINE,
    ),
    Case(
        "Handy: Umzug nach Österreich", MOVE,
        {"move_date": "2027-01-31", "new_address": "Ringstraße 5, 1010 Wien, Österreich", "abroad": YES},
        LetterMode.EXTRAORDINARY,
        "§ 60 Abs. 2 TKG: im Ausland kann der Anbieter nicht leisten", f"{LEGAL} Special termination (Relocation)",
        letter=("zum 31.01.2027", "Die neue Anschrift liegt im Ausland"),
        contract_type=ContractType.MOBILE,
    ),
    Case(
        "Glasfaser: schon umgezogen am 01.11.2026, Meldebestätigung liegt vor", MOVE,
        {"move_date": "2026-11-01", "new_address": "Hauptstraße 1, 99999 Irgendwo", "available_at_new_address": NO,
         "has_registration": YES},
        LetterMode.EXTRAORDINARY,
        "§ 60 Abs. 2 TKG", f"{LEGAL} Special termination (Relocation)",
        letter=("Ich bin am 01.11.2026 an folgende Anschrift umgezogen", "zum 30.12.2026",
                "Meldebestätigung der neuen Anschrift"),
        not_in_letter=("reiche ich nach",),
        contract_type=ContractType.FIBRE,
    ),
    Case(
        "DSL: Anbieter bietet den Dienst an der neuen Anschrift an", MOVE,
        {"move_date": "2027-02-15", "new_address": "Hauptstraße 1, 99999 Irgendwo", "available_at_new_address": YES},
        LetterMode.ORDINARY,
        "§ 60 Abs. 1 TKG: Fortsetzung am neuen Ort", f"{LEGAL} Special termination (Relocation)",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("§ 60", "Umzug", "außerordentlich"),
        chat=("muss er den Vertrag dort fortführen",),
        contract_type=ContractType.DSL,
    ),
    Case(
        "Fitnessstudio: Umzug", MOVE, {}, LetterMode.ORDINARY,
        "kein gesetzliches Recht; Umzug in der Regel Risiko des Mitglieds, kein wichtiger Grund",
        "BGH, Urteil vom 04.05.2016, XII ZR 62/15; § 314 BGB",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("§", "außerordentlich", "Umzug"),
        chat=("kein gesetzliches Sonderkündigungsrecht wegen eines Umzugs", "XII ZR 62/15",
              "mit einer Kopie der Meldebestätigung"),
        contract_type=ContractType.GYM,
    ),
    Case(
        "Fitnessstudio: Umzug nach Spanien", MOVE, {"abroad": YES}, LetterMode.ORDINARY,
        "kein gesetzliches Recht; ob der Wegzug ins Ausland ein wichtiger Grund ist, entscheidet der Einzelfall",
        "BGH, Urteil vom 04.05.2016, XII ZR 62/15; § 314 BGB",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("§", "außerordentlich", "Ausland"),
        chat=("beurteilen Gerichte im Einzelfall – sicher ist das nicht", "„wichtiger Grund“"),
        contract_type=ContractType.GYM,
    ),
    Case(
        "Hausratversicherung: Umzug", MOVE, {}, LetterMode.ORDINARY,
        "kein gesetzliches Umzugs-Sonderkündigungsrecht außer TKG und EnWG",
        "§ 60 TKG; § 41b Abs. 5 EnWG",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("§", "außerordentlich"),
        chat=("für andere Verträge in der Regel nicht",),
        contract_type=ContractType.INSURANCE,
    ),
    Case(
        "Strom (Sondervertrag): Umzug am 15.02.2027", MOVE,
        {"basic_supply": NO, "move_date": "2027-02-15", "new_address": "Lindenweg 3, 99999 Irgendwo"},
        LetterMode.EXTRAORDINARY,
        "§ 41b Abs. 5 EnWG: sechs Wochen, frühestens zum Auszug (Umzugstag ist später)",
        "§ 41b Abs. 5 EnWG",
        letter=("wegen meines Umzugs außerordentlich mit einer Frist von sechs Wochen zum 15.02.2027",
                "Ich ziehe am 15.02.2027 an folgende Anschrift um: Lindenweg 3, 99999 Irgendwo.",
                "stütze ich auf § 41b Abs. 5 EnWG"),
        not_in_letter=("TKG", "Meldebestätigung"),
        chat=("endet dann in der Regel am 15.02.2027", "innerhalb von zwei Wochen"),
        contract_type=ContractType.ENERGY,
    ),
    Case(
        "Gas (Sondervertrag): Umzug nach Österreich am 01.12.2026", MOVE,
        {"basic_supply": NO, "move_date": "2026-12-01", "new_address": "Hauptplatz 1, 8010 Graz, Österreich",
         "abroad": YES},
        LetterMode.EXTRAORDINARY,
        "§ 41b Abs. 5 EnWG; § 188 Abs. 2 BGB: Zugang + sechs Wochen ist später",
        "§ 41b Abs. 5 EnWG; /work/shared/LEGAL.md Added 2026-12-02 (Postal delivery times)",
        letter=("mit einer Frist von sechs Wochen zum 11.01.2027", "Die neue Anschrift liegt im Ausland"),
        not_in_letter=("TKG",),
        chat=("spätestens am 30.11.2026 zu", "endet dann in der Regel am 11.01.2027"),
        contract_type=ContractType.GAS,
    ),
    Case(
        "Strom (Grundversorgung): Umzug", MOVE, {"basic_supply": YES}, LetterMode.ORDINARY,
        "§ 20 Abs. 1 StromGVV: zwei Wochen Frist ohnehin",
        "§ 20 Abs. 1 StromGVV / GasGVV",
        letter=(ORDINARY_LETTER,),
        not_in_letter=("§", "außerordentlich"),
        chat=("mit einer Frist von zwei Wochen kündigen (§ 20 Abs. 1 StromGVV bzw. GasGVV)",),
        contract_type=ContractType.ENERGY,
    ),
    # --- death --------------------------------------------------------------------------------
    Case(
        "Todesfall, Sterbeurkunde liegt vor", DEATH,
        {"deceased_name": "Hans Muster", "date_of_death": "2026-11-01", "relationship": "Tochter",
         "has_death_certificate": YES},
        LetterMode.GOODWILL,
        "§ 1922 BGB: kein Sonderkündigungsrecht; §§ 1943, 1944 BGB: nicht als Erbe schreiben",
        f"{LEGAL} Special termination (Death); Issue 9",
        letter=("Hans Muster ist am 01.11.2026 verstorben", "Ich schreibe Ihnen als Tochter von Hans Muster.",
                "Eine Kopie der Sterbeurkunde liegt bei", ORDINARY_LETTER),
        not_in_letter=("Erbe", "Erbin", "außerordentlich"),
        chat=("innerhalb von sechs Wochen ausgeschlagen werden (§§ 1943, 1944 BGB)",),
    ),
    Case(
        "Todesfall, Sterbeurkunde noch nicht da", DEATH,
        {"deceased_name": "Hans Muster", "date_of_death": "2026-11-20", "relationship": "Ehemann",
         "has_death_certificate": NO},
        LetterMode.GOODWILL,
        "§ 1922 BGB", f"{LEGAL} Special termination (Death)",
        letter=("Eine Kopie der Sterbeurkunde reiche ich nach",),
        not_in_letter=("Anlagen", "Erbe"),
    ),
    Case(
        "Todesfall: „Mein Mann ist verstorben“", DEATH,
        {"deceased_name": "Hans Muster", "date_of_death": "2026-11-20", "relationship": "mein Ehemann",
         "has_death_certificate": YES},
        LetterMode.GOODWILL,
        "§ 1922 BGB; die Beziehung so, wie die Nutzerin sie nannte (keine Doppelformen)",
        f"{LEGAL} Special termination (Death)",
        letter=("Hans Muster war mein Ehemann.",),
        not_in_letter=("bzw.", "Erbe", "Angehörige"),
    ),
    # --- important reason --------------------------------------------------------------------------
    Case(
        "Wichtiger Grund, seit 10.11.2026 bekannt", REASON,
        {"reason": "Der Anschluss ist seit sechs Wochen ohne Funktion", "known_since": "2026-11-10"},
        LetterMode.EXTRAORDINARY,
        "§ 314 BGB: ohne Frist, angemessene Zeit nach Kenntnis", f"{LEGAL} Special termination (Important reason)",
        letter=("außerordentlich und fristlos", "stütze ich auf § 314 BGB",
                "Der Anschluss ist seit sechs Wochen ohne Funktion. Davon habe ich am 10.11.2026 erfahren."),
        chat=("hängt vom Einzelfall ab",),
    ),
    Case(
        "Wichtiger Grund, seit 01.06.2026 bekannt", REASON,
        {"reason": "Der Anschluss ist seit Monaten ohne Funktion", "known_since": "2026-06-01"},
        LetterMode.EXTRAORDINARY,
        "§ 314 Abs. 3 BGB: angemessene Frist", f"{LEGAL} Special termination (Important reason)",
        letter=("stütze ich auf § 314 BGB",),
        chat=("seit mehr als zwei Monaten",),
    ),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    lines = [
        "# Special termination: cases and expected results",
        "",
        "Generated from `tests/cancellation/special_cases.py`; `tests/cancellation/test_special_cases.py`",
        "runs every row through the rules and the letter and checks this file is current. Regenerate:",
        "`.venv/bin/python -m tests.cancellation.special_cases > docs/LEGAL_CASES_SPECIAL.md`.",
        "",
        f"All cases assume today = {TODAY:%d.%m.%Y} (a Wednesday): a letter posted today reaches the provider",
        "by the fourth working day, 30.11.2026. \"Brief\" is text the letter states, \"Chat\" what the",
        "dialogue says, \"nie\" what the letter must not state in that case. The wording is general",
        "information (\"in der Regel\"), not individual legal advice.",
        "",
        "| # | case | rule | letter | expected date or text | source |",
        "|---|---|---|---|---|---|",
    ]
    modes = {
        LetterMode.EXTRAORDINARY: "außerordentlich, hilfsweise ordentlich",
        LetterMode.ORDINARY: "ordentlich, kein Sonderrecht behauptet",
        LetterMode.GOODWILL: "ordentlich mit Bitte um sofortiges Ende",
    }
    for number, case in enumerate(CASES, 1):
        cells = (str(number), case.name, case.rule, modes[case.mode], case.expected, case.source)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
