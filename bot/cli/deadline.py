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
# Operator output (German, exempt from the catalogue); the explanation comes from the catalogue.
PHASE_LABELS = {
    Phase.INITIAL_TERM: "zum Ende der Mindestlaufzeit",
    Phase.INSURANCE_YEAR: "zum Ende eines Versicherungsjahres (§ 11 VVG)",
    Phase.EXTENSION_PERIOD: "zum Ende eines Verlängerungszeitraums",
    Phase.EXTENDED: "nach stillschweigender Verlängerung (jederzeit mit Monatsfrist)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deadline",
        help="compute the earliest end of a contract for a given day of receipt",
        description="Frühestes Vertragsende nach § 56 TKG, § 309 Nr. 9 BGB, § 11 VVG und §§ 187, 188 BGB.",
    )
    parser.add_argument("--start", required=True, help="contract or service start, YYYY-MM-DD")
    parser.add_argument("--term-months", required=True, help="initial term in months, 0 for none")
    parser.add_argument("--notice-months", help="agreed notice before the end of the term (default: the legal rule)")
    parser.add_argument("--concluded", help="conclusion date, YYYY-MM-DD (default: --start)")
    parser.add_argument("--received", required=True, help="day the cancellation reaches the provider")
    parser.add_argument(
        "--sector",
        choices=[sector.value for sector in Sector],
        help="telecom (§ 56 TKG, default), energy/other (§ 309 Nr. 9 BGB), insurance (§ 11 VVG)",
    )
    parser.add_argument(
        "--telecom",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="shorthand: --telecom = --sector telecom, --no-telecom = --sector other",
    )
    parser.add_argument(
        "--extension-months",
        help="length of each tacit extension (old non-telecom contracts, insurance): months, 0 = indefinite "
        "with one month's notice; "
        "default: unknown, one year assumed",
    )
    parser.add_argument("--language", choices=[language.value for language in Language], default="de",
                        help="language of the explanation")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
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
        )
        result = compute_deadline(terms, _parse_date(args.received, "--received"))
    except ValueError as error:
        print(f"Fehler: {error}", file=err)
        return USAGE_ERROR
    if args.json:
        print(json.dumps(result_as_json(result, args.language), ensure_ascii=False, indent=2), file=out)
    else:
        print("\n".join(result_as_lines(result, args.language)), file=out)
    return 0


def _sector(args: argparse.Namespace) -> Sector:
    if args.sector is not None and args.telecom is not None:
        if (args.sector == Sector.TELECOM.value) != args.telecom:
            raise ValueError("--sector und --telecom/--no-telecom widersprechen sich")
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
    lines = [f"Zugang der Kündigung: {format_date(result.received)}"]
    if result.initial_term_end is not None:
        lines.append(f"Ende der Mindestlaufzeit: {format_date(result.initial_term_end)}")
    if result.latest_receipt is not None:
        lines += [
            "Letzter Zugangstag für dieses Ende: " + format_date(result.latest_receipt),
            "Letzter Einwurftag für einen Brief (4 Werktage): " + format_date(last_day_to_post(result.latest_receipt)),
        ]
    lines += [
        f"Phase: {PHASE_LABELS[result.phase]}",
        f"Frühestes Vertragsende (in der Regel): {format_date(result.earliest_end)}",
        "Angewandte Regeln: " + ", ".join(result.rules_applied),
    ]
    if result.term_too_long:
        lines.append("Hinweis: Mindestlaufzeit über 24 Monate (§ 56 Abs. 1 TKG / § 309 Nr. 9 a BGB).")
    if not result.certain:
        lines.append("Hinweis: Die Berechnung steht unter Vorbehalt; bitte prüfen Sie Ihren Vertrag.")
    if result.recommend_asap:
        lines.append("Empfehlung für den Brief: zum nächstmöglichen Zeitpunkt.")
    lines.append(explanation_text(result, language))
    return lines


def _parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} erwartet ein Datum im Format JJJJ-MM-TT, nicht {text!r}") from None


def _optional_months(text: Optional[str], option: str) -> Optional[int]:
    return None if text is None else _parse_months(text, option)


def _parse_months(text: str, option: str) -> int:
    try:
        months = int(text)
    except ValueError:
        raise ValueError(f"{option} erwartet eine ganze Zahl von Monaten, nicht {text!r}") from None
    if months < 0 or months > MAX_MONTHS:
        raise ValueError(f"{option} muss zwischen 0 und {MAX_MONTHS} liegen, nicht {months}")
    return months
