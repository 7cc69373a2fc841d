"""`python -m bot attempts list|show|verify|anchor|sign`: inspect and prove the attempt log.

Everything shown comes from verified reads; text stored from users is printed without escape
sequences and exported to CSV without formulas (bot/cli/output.py). Times in tables are German
local time; JSON and CSV keep ISO 8601 in UTC for machines.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any, Sequence, TextIO

from bot.cli.output import csv_cell, json_text, terminal_text
from bot.cli.store import CommandError, opened_attempt_log, write_output
from cancellation.clock import local_time_text
from cancellation.log import AttemptLog, AttemptRecord, LogEntry
from cancellation.log.signing import sign_unsigned_entries
from cancellation.log.verification import Anchor, LogVerification, new_anchor

LIST_FIELDS = (
    "reference",
    "created_at",
    "kind",
    "channel",
    "provider",
    "provider_key",
    "contract_type",
    "subject_kind",
    "subject",
    "requested_end",
    "status",
    "letter_sha256",
    "related_reference",
    "forgotten",
)
TABLE_COLUMNS = (
    ("Referenz", "reference"),
    ("Erstellt (dt. Zeit)", "created"),
    ("Art", "kind"),
    ("Kanal", "channel"),
    ("Anbieter", "provider"),
    ("Gegenstand", "subject"),
    ("Ende", "requested_end"),
    ("Status", "status"),
    ("Daten", "data"),
)
FORGOTTEN = "gelöscht"
PERSONAL_MARK = "[PERSONENBEZOGEN]"
LOCAL_TIME_LABEL = "deutsche Zeit"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "attempts",
        help="Kündigungsversuche auflisten, anzeigen, Protokoll prüfen und verankern",
        description="Kündigungsversuche (Briefe und Hotline-Anrufe) im Nachweisprotokoll.",
    )
    commands = parser.add_subparsers(dest="attempts_command", metavar="UNTERBEFEHL")
    commands.required = True

    listing = commands.add_parser("list", help="alle Versuche auflisten (neueste zuerst)")
    output = listing.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="als JSON-Array ausgeben")
    output.add_argument("--csv", action="store_true", help="als CSV ausgeben")
    listing.add_argument("--limit", type=_positive_int, help="nur die neuesten N Versuche")
    listing.set_defaults(handler=run_list)

    show = commands.add_parser("show", help="einen Versuch mit Protokolleinträgen anzeigen")
    show.add_argument("reference", metavar="REF", help="Referenz, z. B. KB-2026-7F3K9Q")
    show.set_defaults(handler=run_show)

    verify = commands.add_parser(
        "verify",
        help="das ganze Protokoll prüfen: Hash-Kette, Signaturen, Versuche, Brief-PDFs",
    )
    verify.add_argument(
        "--anchor", metavar="DATEI",
        help="mit `attempts anchor` gesicherter Kettenstand, den das Protokoll fortsetzen muss",
    )
    verify.set_defaults(handler=run_verify)

    anchor = commands.add_parser(
        "anchor",
        help="aktuellen Kettenstand (Hash, Anzahl, Zeit) zur Aufbewahrung außerhalb ausgeben",
    )
    anchor.add_argument("-o", "--output", default="-", metavar="DATEI",
                        help="Zieldatei (Standard: - für stdout)")
    anchor.set_defaults(handler=run_anchor)

    sign = commands.add_parser(
        "sign",
        help="unsignierte Einträge nach vollständiger Prüfung mit LOG_SIGNING_KEY signieren",
    )
    sign.set_defaults(handler=run_sign)


def run_list(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    return _guarded(_list, args, out or sys.stdout, err or sys.stderr)


def run_show(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    return _guarded(_show, args, out or sys.stdout, err or sys.stderr)


def run_verify(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    return _guarded(_verify, args, out or sys.stdout, err or sys.stderr)


def run_anchor(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    return _guarded(_anchor, args, out or sys.stdout, err or sys.stderr)


def run_sign(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    return _guarded(_sign, args, out or sys.stdout, err or sys.stderr)


def _guarded(command: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        with opened_attempt_log() as log:
            return command(log, args, out)
    except CommandError as error:
        print(f"Fehler: {terminal_text(error)}", file=err)
        return 1


def _list(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    records = log.reads.list_attempts(limit=args.limit)
    if args.json:
        rows = [record_as_json(record) for record in records]
        out.write(json_text(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n")
    elif args.csv:
        writer = csv.DictWriter(out, fieldnames=LIST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            row = record_as_json(record)
            writer.writerow({key: csv_cell(row[key]) for key in LIST_FIELDS})
    elif not records:
        print("Noch keine Kündigungsversuche protokolliert.", file=out)
    else:
        out.write(format_table([_table_row(record) for record in records]))
    return 0


def _show(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    record = log.reads.get(args.reference)
    if record is None:
        raise CommandError(f"Unbekannte Referenz: {args.reference}")
    lines = show_lines(
        record,
        log.reads.personal_data(record.reference),
        log.reads.letter_pdf(record.reference),
        log.reads.entries(record.reference),
    )
    out.write("\n".join(terminal_text(line) for line in lines) + "\n")
    return 0


def _verify(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    anchor = _read_anchor(args.anchor) if args.anchor else None
    result = log.reads.verify(anchor)
    for line in verification_lines(result):
        print(terminal_text(line), file=out)
    return 0 if result.ok else 1


def _anchor(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    state = log.reads.chain_state()
    anchor = new_anchor(state)
    write_output(anchor.to_json().encode("utf-8"), args.output)
    if args.output != "-":
        print(
            f"Anker gespeichert: {args.output} (Eintrag #{anchor.entry_id}, Hash "
            f"{anchor.entry_hash}). Bitte außerhalb dieses Servers aufbewahren.",
            file=out,
        )
    return 0


def _sign(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    if log.signing_key is None:
        raise CommandError("LOG_SIGNING_KEY ist nicht gesetzt; ohne Schlüssel wird nichts signiert.")
    result = log.reads.verify(signatures=False)
    if not result.ok:
        for line in verification_lines(result):
            print(terminal_text(line), file=out)
        raise CommandError("Das Protokoll ist nicht intakt; es wurde nichts signiert.")
    signed = sign_unsigned_entries(log.store)
    print(f"{signed} bisher unsignierte Einträge signiert.", file=out)
    return 0


def verification_lines(result: LogVerification) -> list[str]:
    if not result.ok:
        first = result.first
        lines = [f"BESCHÄDIGT: {first.text if first else 'unbekannter Fehler'}"]
        if result.mismatch_count > 1:
            lines.append(f"Insgesamt {result.mismatch_count} Abweichungen; die erste ist genannt.")
        return lines
    lines = [
        f"OK: Protokoll vollständig geprüft: {result.entries} Einträge der Hash-Kette, "
        f"{result.attempts} Versuche, {result.letters} Brief-PDFs stimmen mit der Kette überein."
    ]
    if result.head is not None and result.head.entry_id:
        lines.append(f"Kettenende: Eintrag #{result.head.entry_id}, Hash {result.head.entry_hash}")
    lines.append(
        "Signaturen: alle Einträge mit LOG_SIGNING_KEY geprüft."
        if result.signed
        else "Signaturen: nicht geprüft (LOG_SIGNING_KEY ist nicht gesetzt)."
    )
    if result.anchor is not None:
        lines.append(
            f"Anker: Eintrag #{result.anchor.entry_id} mit Hash {result.anchor.entry_hash} "
            "ist unverändert Teil der Kette."
        )
    return lines


def record_as_json(record: AttemptRecord) -> dict[str, Any]:
    return {
        "reference": record.reference,
        "created_at": record.created_at.isoformat(),
        "kind": str(record.kind),
        "channel": str(record.channel),
        "provider": record.provider,
        "provider_key": record.provider_key,
        "contract_type": None if record.contract_type is None else str(record.contract_type),
        "subject_kind": str(record.subject_kind),
        "subject": record.subject,
        "requested_end": record.requested_end,
        "status": str(record.status),
        "letter_sha256": record.letter_sha256,
        "related_reference": record.related_reference,
        "forgotten": record.forgotten,
        "details": dict(record.details),
        "note": record.note,
    }


def _table_row(record: AttemptRecord) -> dict[str, str]:
    row = {
        "reference": record.reference,
        "created": local_time_text(record.created_at),
        "kind": str(record.kind),
        "channel": str(record.channel),
        "provider": _provider_text(record),
        "subject": record.subject or FORGOTTEN,
        "requested_end": record.requested_end or "-",
        "status": str(record.status),
        "data": FORGOTTEN if record.forgotten else "",
    }
    return {key: terminal_text(value) for key, value in row.items()}


def _provider_text(record: AttemptRecord) -> str:
    if record.provider is not None:
        return record.provider
    return f"{record.provider_key} ({FORGOTTEN})" if record.provider_key else FORGOTTEN


def format_table(rows: Sequence[dict[str, str]]) -> str:
    widths = [
        max([len(title)] + [len(row[key]) for row in rows]) for title, key in TABLE_COLUMNS
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() + "\n"

    header = line([title for title, _ in TABLE_COLUMNS])
    ruler = line(["-" * width for width in widths])
    return header + ruler + "".join(line([row[key] for _, key in TABLE_COLUMNS]) for row in rows)


def show_lines(
    record: AttemptRecord,
    personal: dict[str, Any] | None,
    pdf: bytes | None,
    entries: Sequence[LogEntry],
) -> list[str]:
    fields = [
        ("Referenz", record.reference),
        (f"Erstellt ({LOCAL_TIME_LABEL})", local_time_text(record.created_at)),
        ("Art", record.kind),
        ("Kanal", record.channel),
        ("Gesprächs-ID", record.conversation_id or (FORGOTTEN if record.forgotten else "-")),
        ("Anbieter", _provider_text(record)),
        ("Vertragsart", record.contract_type or "-"),
        ("Gegenstand", f"{record.subject or FORGOTTEN} ({record.subject_kind})"),
        ("Gewünschtes Ende", record.requested_end or "-"),
        ("Status", record.status),
        ("Brief SHA-256", record.letter_sha256 or "-"),
        ("Bezug auf", record.related_reference or "-"),
        ("Details", _plain(dict(record.details)) if record.details else "-"),
    ]
    if record.note:
        fields.append(("Notiz", record.note))
    if record.forgotten and record.forgotten_at is not None:
        fields.append((f"Gelöscht am ({LOCAL_TIME_LABEL})", local_time_text(record.forgotten_at)))
    width = max(len(label) for label, _ in fields) + 2
    lines = [f"{label + ':':<{width}}{value}" for label, value in fields]

    lines.append("")
    if record.forgotten:
        lines.append(f"Personenbezogene Daten: {FORGOTTEN}")
    elif personal:
        lines.append(f"Personenbezogene Daten {PERSONAL_MARK}:")
        lines += [f"  {key}: {_plain(value)}" for key, value in personal.items()]
    else:
        lines.append("Personenbezogene Daten: keine")
    if pdf is not None:
        lines.append(f"Brief-PDF: gespeichert ({len(pdf)} Bytes, SHA-256 geprüft)")
    elif record.letter_sha256:
        lines.append(f"Brief-PDF: {FORGOTTEN}")
    else:
        lines.append("Brief-PDF: keiner (Hotline-Anruf)")

    lines.append("")
    lines.append(f"Protokolleinträge ({len(entries)}, Zeit: {LOCAL_TIME_LABEL}):")
    for entry in entries:
        status = entry.payload.get("status")
        summary = f" (Status {status})" if status else ""
        lines.append(
            f"  #{entry.id}  {local_time_text(entry.created_at)}  {entry.event}{summary}"
            f"  Hash {entry.entry_hash[:16]}…"
        )
    return lines


def _read_anchor(path: str) -> Anchor:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path} kann nicht gelesen werden: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} ist keine Anker-Datei (kein Text).") from None
    try:
        return Anchor.from_json(text)
    except ValueError as error:
        raise CommandError(f"{path}: {error}") from None


def _plain(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"positive ganze Zahl erwartet, nicht {text!r}")
    return number
