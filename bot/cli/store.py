"""Open the attempt log for a CLI command: settings from the environment, schema migrated."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, Mapping

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.output import write_private_file
from cancellation.log import AttemptLog
from cancellation.log.records import TamperedEvidence
from cancellation.log.migrate import upgrade
from cancellation.settings import Settings, SettingsError


class CommandError(Exception):
    """A user error: printed as one line on stderr, exit code 1, no traceback."""


@contextmanager
def opened_attempt_log(environ: Mapping[str, str] = os.environ) -> Iterator[AttemptLog]:
    try:
        settings = Settings.from_env(environ)
    except SettingsError as error:
        raise CommandError(str(error)) from None
    try:
        upgrade(settings.database_url)
        log = AttemptLog.from_settings(settings)
    except SQLAlchemyError as error:
        raise CommandError(f"Datenbank nicht nutzbar: {_first_line(error)}") from None
    try:
        yield log
    except SQLAlchemyError as error:
        raise CommandError(f"Datenbankfehler: {_first_line(error)}") from None
    except TamperedEvidence as error:
        raise CommandError(
            f"{error} Es wurde nichts ausgegeben. Alle Abweichungen: python -m bot attempts verify"
        ) from None
    finally:
        log.dispose()


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    return text.splitlines()[0] if text else type(original).__name__


def write_output(data: bytes, output: str) -> None:
    """Write a file readable by its owner only (0600), or to stdout for "-"."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_private_file(output, data)
    except OSError as error:
        raise CommandError(f"{output} kann nicht geschrieben werden: {error.strerror}") from None
