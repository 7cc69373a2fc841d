"""`python -m bot forget REF`: delete the personal data behind an attempt (Art. 17 DSGVO)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.cli.store import CommandError, opened_attempt_log


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "forget",
        help="personenbezogene Daten eines Versuchs löschen",
        description=(
            "Löscht Personendaten, Brief-PDF und Download-Links eines Versuchs (und weiterer "
            "Briefe derselben Person). Der anonymisierte Versuch und die Protokollkette bleiben."
        ),
    )
    parser.add_argument("reference", metavar="REF", help="Referenz, z. B. KB-2026-7F3K9Q")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with opened_attempt_log() as log:
            record = log.reads.get(args.reference)
            if record is None:
                raise CommandError(f"Unbekannte Referenz: {args.reference}")
            if record.forgotten:
                print(
                    f"{record.reference}: personenbezogene Daten waren bereits gelöscht.",
                    file=out,
                )
                return 0
            result = log.deletion.forget_attempt(record.reference)
    except CommandError as error:
        print(f"Fehler: {error}", file=err)
        return 1
    print(f"Personenbezogene Daten zu {record.reference} gelöscht:", file=out)
    print(f"  Personendatensätze: {result.persons_deleted}", file=out)
    print(f"  Brief-PDFs: {result.letters_deleted}", file=out)
    print(f"  Download-Links: {result.tokens_deleted}", file=out)
    print(f"  Betroffene Versuche: {', '.join(result.references)}", file=out)
    print("Der anonymisierte Versuch und die Protokollkette bleiben erhalten.", file=out)
    return 0
