"""`python -m bot deadline`: when does a contract end if the cancellation arrives on a given day?"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from typing import Optional, Sequence, TextIO

from cancellation.deadlines import ContractTerms, DeadlineResult, compute_deadline, format_date

USAGE_ERROR = 2
PHASE_LABELS = {"initial_term": "innerhalb der Mindestlaufzeit", "extended": "nach stillschweigender Verlängerung"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deadline",
        help="compute the earliest end of a contract for a given day of receipt",
        description="Frühestes Vertragsende nach § 56 TKG, § 309 Nr. 9 BGB und §§ 187, 188 BGB.",
    )
    parser.add_argument("--start", required=True, help="contract or service start, YYYY-MM-DD")
    parser.add_argument("--term-months", required=True, help="initial term in months, 0 for none")
    parser.add_argument("--notice-months", help="agreed notice before the end of the initial term")
    parser.add_argument("--concluded", help="conclusion date, YYYY-MM-DD (default: --start)")
    parser.add_argument("--received", required=True, help="day the cancellation reaches the provider")
    parser.add_argument(
        "--telecom",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="telecom contract (§ 56 TKG); --no-telecom for other consumer contracts (§ 309 Nr. 9 BGB)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        notice = args.notice_months
        concluded = args.concluded
        terms = ContractTerms(
            start=_parse_date(args.start, "--start"),
            initial_term_months=_parse_months(args.term_months, "--term-months"),
            notice_months=None if notice is None else _parse_months(notice, "--notice-months"),
            concluded=None if concluded is None else _parse_date(concluded, "--concluded"),
            telecom=args.telecom,
        )
        result = compute_deadline(terms, _parse_date(args.received, "--received"))
    except ValueError as error:
        print(f"Fehler: {error}", file=err)
        return USAGE_ERROR
    if args.json:
        print(json.dumps(result_as_json(result), ensure_ascii=False, indent=2), file=out)
    else:
        print("\n".join(result_as_lines(result)), file=out)
    return 0


def result_as_json(result: DeadlineResult) -> dict:
    data = dataclasses.asdict(result)
    for key, value in data.items():
        if isinstance(value, dt.date):
            data[key] = value.isoformat()
    data["rules_applied"] = list(result.rules_applied)
    return data


def result_as_lines(result: DeadlineResult) -> Sequence[str]:
    lines = [f"Zugang der Kündigung: {format_date(result.received)}"]
    if result.initial_term_end is not None:
        lines.append(f"Ende der Mindestlaufzeit: {format_date(result.initial_term_end)}")
    if result.latest_receipt_for_initial_term_end is not None:
        lines.append(
            "Letzter Zugangstag für dieses Ende: " + format_date(result.latest_receipt_for_initial_term_end)
        )
    lines += [
        f"Phase: {PHASE_LABELS[result.phase]}",
        f"Frühestes Vertragsende (in der Regel): {format_date(result.earliest_end)}",
        "Angewandte Regeln: " + ", ".join(result.rules_applied),
    ]
    if not result.certain:
        lines.append("Hinweis: Die Berechnung steht unter Vorbehalt; bitte prüfen Sie Ihren Vertrag.")
    lines.append(result.explanation)
    return lines


def _parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} erwartet ein Datum im Format JJJJ-MM-TT, nicht {text!r}") from None


def _parse_months(text: str, option: str) -> int:
    try:
        months = int(text)
    except ValueError:
        raise ValueError(f"{option} erwartet eine ganze Zahl von Monaten, nicht {text!r}") from None
    if months < 0 or months > 120:
        raise ValueError(f"{option} muss zwischen 0 und 120 liegen, nicht {months}")
    return months
