"""`python -m bot letter REF -o file.pdf`: export the stored PDF of a letter attempt."""

from __future__ import annotations

import argparse
import hashlib
import sys
from typing import TextIO

from bot.cli.store import CommandError, opened_attempt_log, write_pdf


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "letter",
        help="gespeichertes Kündigungsschreiben als PDF exportieren",
        description="Exportiert das gespeicherte PDF eines Kündigungsschreibens.",
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
        if hashlib.sha256(pdf).hexdigest() != record.letter_sha256:
            raise CommandError(
                f"Das gespeicherte PDF zu {record.reference} passt nicht zu seinem protokollierten "
                "SHA-256; es wurde nicht exportiert."
            )
        write_pdf(pdf, args.output)
    except CommandError as error:
        print(f"Fehler: {error}", file=err)
        return 1
    if args.output != "-":
        print(
            f"Brief {record.reference} gespeichert: {args.output} ({len(pdf)} Bytes, "
            f"SHA-256 {record.letter_sha256}).",
            file=out,
        )
    return 0
