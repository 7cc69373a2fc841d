"""`python -m bot evidence REF -o report.pdf`: the evidence report of one cancellation as PDF.

The report is made only from data verified against the hash chain and says so in its header;
if anything does not match, no report is written.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.cli.output import terminal_text
from bot.cli.store import CommandError, opened_attempt_log, write_output
from cancellation.evidence import evidence_report_for
from letters.evidence import render_evidence_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evidence",
        help="Nachweis (Protokoll mit Hash-Kette) eines Vorgangs als PDF erstellen",
        description="Erstellt den Nachweis zu einem Vorgang: alle Protokolleinträge, zugehörige "
        "Hotline-Anrufe und Erinnerungen, alles geprüft gegen die Hash-Kette. Die Datei ist nur "
        "für ihren Eigentümer lesbar (0600).",
    )
    parser.add_argument("reference", metavar="REF", help="Referenz, z. B. KB-2026-7F3K9Q")
    parser.add_argument(
        "-o", "--output", required=True, metavar="DATEI", help="Zieldatei (- für stdout)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with opened_attempt_log() as log:
            report = evidence_report_for(log, args.reference)
        if report is None:
            raise CommandError(f"Unbekannte Referenz: {args.reference}")
        write_output(render_evidence_report(report), args.output)
    except CommandError as error:
        print(f"Fehler: {terminal_text(error)}", file=err)
        return 1
    if args.output != "-":
        print(
            f"Nachweis {report.reference} gespeichert: {args.output} ({len(report.entries)} "
            f"Einträge, {report.verification_text}).",
            file=out,
        )
    return 0
