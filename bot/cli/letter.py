"""`python -m bot letter REF -o file.pdf`: export the stored PDF of a letter attempt.

Only a verified letter leaves the database: its attempt, entries and PDF must match the hash
chain (the PDF's SHA-256 is the chained one), and the chain must be intact up to its head.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.cli.output import terminal_text
from bot.cli.store import CommandError, opened_attempt_log, write_output
from cancellation.clock import local_time_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "letter",
        help="gespeichertes Kündigungsschreiben als PDF exportieren (geprüft)",
        description="Exportiert das gespeicherte PDF eines Kündigungsschreibens, nachdem es gegen "
        "die Hash-Kette geprüft wurde. Die Datei ist nur für ihren Eigentümer lesbar (0600).",
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
            record = log.reads.get(args.reference)
            if record is None:
                raise CommandError(f"Unbekannte Referenz: {args.reference}")
            if record.letter_sha256 is None:
                raise CommandError(
                    f"{record.reference} ist ein Hotline-Anruf, dazu gibt es keinen Brief."
                )
            pdf = log.reads.letter_pdf(record.reference)
            if pdf is None:
                raise CommandError(
                    f"Der Brief zu {record.reference} wurde gelöscht "
                    "(personenbezogene Daten vergessen)."
                )
            chain = log.reads.chain_state()
        write_output(pdf, args.output)
    except CommandError as error:
        print(f"Fehler: {terminal_text(error)}", file=err)
        return 1
    if args.output != "-":
        print(
            f"Brief {record.reference} gespeichert: {args.output} ({len(pdf)} Bytes, "
            f"SHA-256 {record.letter_sha256}), geprüft gegen die Hash-Kette, Stand "
            f"{local_time_text(chain.verified_at)} (deutsche Zeit).",
            file=out,
        )
    return 0
