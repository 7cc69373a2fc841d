"""`python -m bot migrate`: bring the database schema up to date (run by `make run`)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.store import CommandError, opened_attempt_log


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("migrate", help="Datenbankschema aktualisieren")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        with opened_attempt_log():  # migrates on open
            pass
    except CommandError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    print("Datenbankschema ist aktuell.")
    return 0
