"""`python -m bot deadline`: when does a contract end if the cancellation arrives on a given day?"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from typing import Optional, Sequence, TextIO

from cancellation.deadlines import ContractTerms, DeadlineResult, Phase, compute_deadline, explanation_text
from cancellation.posting import last_day_to_post, recommended_posting_day
from cancellation.texts import format_date
from cancellation.vocabulary import Language, Sector

USAGE_ERROR = 2
MAX_MONTHS = 120
# Operator output (exempt from the chat catalogue): every label in the language of --language, so a
# run never mixes German labels with an English explanation. The explanation comes from the catalogue.
LABELS = {
    "de": {
        "received": "Zugang der Kündigung",
        "initial_term_end": "Ende der Mindestlaufzeit",
        "latest_receipt": "Letzter Zugangstag für dieses Ende",
        "last_day_to_post": "Letzter Einwurftag für einen Brief (4 Werktage)",
        "phase": "Phase",
        "earliest_end": "Frühestes Vertragsende (in der Regel)",
        "latest_end": "Vertragsende spätestens (falls die vereinbarte Klausel gilt)",
        "rules": "Angewandte Regeln",
        "term_too_long": "Hinweis: Bindung über 24 Monate ab Vertragsschluss (§ 56 Abs. 1 TKG / § 309 Nr. 9 a BGB); "
                         "das Ende ist das späteste.",
        "uncertain": "Hinweis: Die Berechnung steht unter Vorbehalt; bitte prüfen Sie Ihren Vertrag.",
        "asap": "Empfehlung für den Brief: zum nächstmöglichen Zeitpunkt.",
        "error": "Fehler",
        "bad_date": "{option} erwartet ein Datum im Format JJJJ-MM-TT, nicht {text!r}",
        "bad_months": "{option} erwartet eine ganze Zahl von Monaten, nicht {text!r}",
        "months_range": "{option} muss zwischen 0 und {maximum} liegen, nicht {months}",
        "sector_conflict": "--sector und --telecom/--no-telecom widersprechen sich",
        "basic_supply_sector": "--basic-supply gibt es nur für --sector energy",
        Phase.INITIAL_TERM: "zum Ende der Mindestlaufzeit",
        Phase.INSURANCE_YEAR: "zum Ende eines Versicherungsjahres (§ 11 VVG)",
        Phase.EXTENSION_PERIOD: "zum Ende eines Verlängerungszeitraums",
        Phase.EXTENDED: "nach stillschweigender Verlängerung, ohne Mindestlaufzeit oder in der Grundversorgung: "
                        "jederzeit mit der gesetzlichen Frist",
    },
    "en": {
        "received": "Cancellation received",
        "initial_term_end": "End of the minimum term",
        "latest_receipt": "Last day of receipt for this end",
        "last_day_to_post": "Last day to post a letter (4 working days)",
        "phase": "Phase",
        "earliest_end": "Earliest end of contract (as a rule)",
        "latest_end": "End of contract at the latest (if the agreed clause applies)",
        "rules": "Rules applied",
        "term_too_long": "Note: binding for more than 24 months from conclusion (§ 56 Abs. 1 TKG / § 309 Nr. 9 a BGB); "
                         "the end is the latest.",
        "uncertain": "Note: treat this calculation with caution; please check the contract.",
        "asap": "Recommendation for the letter: at the earliest possible date.",
        "error": "Error",
        "bad_date": "{option} expects a date as YYYY-MM-DD, not {text!r}",
        "bad_months": "{option} expects a whole number of months, not {text!r}",
        "months_range": "{option} must be between 0 and {maximum}, not {months}",
        "sector_conflict": "--sector and --telecom/--no-telecom contradict each other",
        "basic_supply_sector": "--basic-supply exists for --sector energy only",
        Phase.INITIAL_TERM: "at the end of the minimum term",
        Phase.INSURANCE_YEAR: "at the end of an insurance year (§ 11 VVG)",
        Phase.EXTENSION_PERIOD: "at the end of a renewal period",
        Phase.EXTENDED: "after a tacit renewal, without a minimum term or in basic supply: any time with the "
                        "statutory notice",
    },
}
PHASE_LABELS = {phase: LABELS["de"][phase] for phase in Phase}  # kept for callers


class UsageError(ValueError):
    """Bad input, worded by LABELS key so it is shown in the language of --language."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, language: str) -> str:
        return LABELS[language][self.key].format(**self.values)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deadline",
        help="frühestes Vertragsende für einen Tag des Zugangs berechnen",
        description="Frühestes Vertragsende nach § 56 TKG, § 309 Nr. 9 BGB, § 11 VVG, § 20 StromGVV/GasGVV "
        "und §§ 187, 188 BGB.",
    )
    parser.add_argument("--start", required=True, help="Vertrags- oder Leistungsbeginn, JJJJ-MM-TT")
    parser.add_argument("--term-months", required=True, help="Mindestlaufzeit in Monaten, 0 = keine")
    parser.add_argument("--notice-months", help="vereinbarte Kündigungsfrist zum Laufzeitende (Standard: gesetzliche Regel)")
    parser.add_argument("--concluded", help="Tag des Vertragsschlusses, JJJJ-MM-TT (Standard: --start); die 24 Monate "
                        "zählen ab Vertragsschluss (BGH III ZR 8/25)")
    parser.add_argument("--received", required=True, help="Tag, an dem die Kündigung beim Anbieter eingeht")
    parser.add_argument(
        "--sector",
        choices=[sector.value for sector in Sector],
        help="telecom (§ 56 TKG, Standard), energy/other (§ 309 Nr. 9 BGB), insurance (§ 11 VVG)",
    )
    parser.add_argument(
        "--telecom",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Kurzform: --telecom = --sector telecom, --no-telecom = --sector other",
    )
    parser.add_argument(
        "--extension-months",
        help="Dauer jeder stillschweigenden Verlängerung (alte Verträge außer Telekommunikation, Versicherungen): "
        "Monate, 0 = unbefristet mit Monatsfrist; Standard: unbekannt, ein Jahr angenommen",
    )
    parser.add_argument("--basic-supply", action="store_true",
                        help="Energie in der Grundversorgung: jederzeit mit zwei Wochen Frist (§ 20 StromGVV/GasGVV)")
    parser.add_argument("--language", choices=[language.value for language in Language], default="de",
                        help="Sprache der Ausgabe (Beschriftungen und Erläuterung)")
    parser.add_argument("--json", action="store_true", help="ein JSON-Objekt ausgeben")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        terms = ContractTerms(
            start=_parse_date(args.start, "--start"),
            initial_term_months=_parse_months(args.term_months, "--term-months"),
            notice_months=_optional_months(args.notice_months, "--notice-months"),
            concluded=None if args.concluded is None else _parse_date(args.concluded, "--concluded"),
            sector=_sector(args),
            extension_months=_optional_months(args.extension_months, "--extension-months"),
            basic_supply=True if args.basic_supply else None,
        )
        if terms.basic_supply and terms.sector is not Sector.ENERGY:
            raise UsageError("basic_supply_sector")
        result = compute_deadline(terms, _parse_date(args.received, "--received"))
    except UsageError as error:
        print(f"{LABELS[args.language]['error']}: {error.text(args.language)}", file=err)
        return USAGE_ERROR
    except ValueError as error:
        print(f"{LABELS[args.language]['error']}: {error}", file=err)
        return USAGE_ERROR
    if args.json:
        print(json.dumps(result_as_json(result, args.language), ensure_ascii=False, indent=2), file=out)
    else:
        print("\n".join(result_as_lines(result, args.language)), file=out)
    return 0


def _sector(args: argparse.Namespace) -> Sector:
    if args.sector is not None and args.telecom is not None:
        if (args.sector == Sector.TELECOM.value) != args.telecom:
            raise UsageError("sector_conflict")
    if args.sector is not None:
        return Sector(args.sector)
    return Sector.OTHER if args.telecom is False else Sector.TELECOM


def result_as_json(result: DeadlineResult, language: str = "de") -> dict:
    data = dataclasses.asdict(result)
    for key, value in data.items():
        if isinstance(value, dt.date):
            data[key] = value.isoformat()
    data["phase"] = result.phase.value
    data["rule_set"] = result.rule_set.value
    data["rules_applied"] = list(result.rules_applied)
    data["explanation"] = explanation_text(result, language)
    latest = result.latest_receipt
    data["last_day_to_post"] = None if latest is None else last_day_to_post(latest).isoformat()
    data["recommended_posting_day"] = None if latest is None else recommended_posting_day(latest).isoformat()
    return data


def result_as_lines(result: DeadlineResult, language: str = "de") -> Sequence[str]:
    label = LABELS[language]
    lines = [f"{label['received']}: {format_date(result.received, language)}"]
    if result.initial_term_end is not None:
        lines.append(f"{label['initial_term_end']}: {format_date(result.initial_term_end, language)}")
    if result.latest_receipt is not None:
        lines += [
            f"{label['latest_receipt']}: {format_date(result.latest_receipt, language)}",
            f"{label['last_day_to_post']}: {format_date(last_day_to_post(result.latest_receipt), language)}",
        ]
    lines += [
        f"{label['phase']}: {label[result.phase]}",
        # A void term or extension clause: the date computed from it is the latest end, not the earliest.
        f"{label['latest_end' if result.end_is_latest else 'earliest_end']}: {format_date(result.earliest_end, language)}",
        f"{label['rules']}: " + ", ".join(result.rules_applied),
    ]
    if result.term_too_long:
        lines.append(label["term_too_long"])
    if not result.certain:
        lines.append(label["uncertain"])
    if result.recommend_asap:
        lines.append(label["asap"])
    lines.append(explanation_text(result, language))
    return lines


def _parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError("bad_date", option=option, text=text) from None


def _optional_months(text: Optional[str], option: str) -> Optional[int]:
    return None if text is None else _parse_months(text, option)


def _parse_months(text: str, option: str) -> int:
    try:
        months = int(text)
    except ValueError:
        raise UsageError("bad_months", option=option, text=text) from None
    if months < 0 or months > MAX_MONTHS:
        raise UsageError("months_range", option=option, maximum=MAX_MONTHS, months=months)
    return months
