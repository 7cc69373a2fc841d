"""Operator command line: `python -m bot <command> ...`.

Each command group lives in its own module with `register(subparsers)`, which sets a `handler`
taking the parsed arguments and returning the exit code. Nothing here imports Rasa, so the
commands start fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from bot.cli import attempts, deadline, dispatch, evidence, forget, letter, migrate

COMMAND_MODULES = (attempts, letter, evidence, forget, deadline, migrate, dispatch)

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Werkzeuge für den Betrieb des Kündigungsassistenten.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="BEFEHL")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # argparse has already printed usage or help
        return exit_request.code if isinstance(exit_request.code, int) else USAGE_ERROR
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
