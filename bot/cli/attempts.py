"""`python -m bot attempts list|show|verify`: inspect the attempt log and check its hash chain."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Sequence, TextIO

from bot.cli.store import CommandError, opened_attempt_log
from cancellation.log import AttemptLog, AttemptRecord, LogEntry

LIST_FIELDS = (
    "reference",
    "created_at",
    "kind",
    "channel",
    "provider",
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
    ("Erstellt (UTC)", "created"),
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


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "attempts",
        help="Kündigungsversuche auflisten, anzeigen, Protokollkette prüfen",
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

    verify = commands.add_parser("verify", help="die Hash-Kette des Protokolls prüfen")
    verify.set_defaults(handler=run_verify)


def run_list(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    return _guarded(_list, args, out or sys.stdout, err or sys.stderr)


def run_show(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    return _guarded(_show, args, out or sys.stdout, err or sys.stderr)


def run_verify(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    return _guarded(_verify, args, out or sys.stdout, err or sys.stderr)


def _guarded(command: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        with opened_attempt_log() as log:
            return command(log, args, out)
    except CommandError as error:
        print(f"Fehler: {error}", file=err)
        return 1


def _list(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    records = log.reads.list_attempts(limit=args.limit)
    if args.json:
        json.dump([record_as_json(record) for record in records], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.csv:
        writer = csv.DictWriter(out, fieldnames=LIST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({key: record_as_json(record)[key] for key in LIST_FIELDS})
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
    out.write("\n".join(lines) + "\n")
    return 0


def _verify(log: AttemptLog, args: argparse.Namespace, out: TextIO) -> int:
    result = log.reads.verify_chain()
    if result.ok:
        print(f"OK: Protokollkette intakt ({result.entries} Einträge).", file=out)
        if result.last_hash:
            print(f"Letzter Hash: {result.last_hash}", file=out)
        return 0
    print(
        f"BESCHÄDIGT: erster fehlerhafter Eintrag #{result.first_broken_id}: {result.reason} "
        f"({result.entries} Einträge davor sind intakt).",
        file=out,
    )
    return 1


def record_as_json(record: AttemptRecord) -> dict[str, Any]:
    return {
        "reference": record.reference,
        "created_at": record.created_at.isoformat(),
        "kind": record.kind,
        "channel": record.channel,
        "provider": record.provider,
        "subject_kind": record.subject_kind,
        "subject": record.subject,
        "requested_end": record.requested_end,
        "status": record.status,
        "letter_sha256": record.letter_sha256,
        "related_reference": record.related_reference,
        "forgotten": record.forgotten,
        "details": dict(record.details),
    }


def _table_row(record: AttemptRecord) -> dict[str, str]:
    return {
        "reference": record.reference,
        "created": record.created_at.strftime("%Y-%m-%d %H:%M"),
        "kind": record.kind,
        "channel": record.channel,
        "provider": record.provider,
        "subject": record.subject,
        "requested_end": record.requested_end or "-",
        "status": record.status,
        "data": FORGOTTEN if record.forgotten else "",
    }


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
        ("Erstellt (UTC)", record.created_at.isoformat()),
        ("Art", record.kind),
        ("Kanal", record.channel),
        ("Gesprächs-ID", record.conversation_id or ("gelöscht" if record.forgotten else "-")),
        ("Anbieter", record.provider),
        ("Gegenstand", f"{record.subject} ({record.subject_kind})"),
        ("Gewünschtes Ende", record.requested_end or "-"),
        ("Status", record.status),
        ("Brief SHA-256", record.letter_sha256 or "-"),
        ("Bezug auf", record.related_reference or "-"),
        ("Details", _plain(dict(record.details)) if record.details else "-"),
    ]
    if record.forgotten and record.forgotten_at is not None:
        fields.append(("Gelöscht am (UTC)", record.forgotten_at.isoformat()))
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
        lines.append(f"Brief-PDF: gespeichert ({len(pdf)} Bytes)")
    elif record.letter_sha256:
        lines.append(f"Brief-PDF: {FORGOTTEN}")
    else:
        lines.append("Brief-PDF: keiner (Hotline-Anruf)")

    lines.append("")
    lines.append(f"Protokolleinträge ({len(entries)}):")
    for entry in entries:
        status = entry.payload.get("status")
        summary = f" (Status {status})" if status else ""
        lines.append(
            f"  #{entry.id}  {entry.created_at.isoformat()}  {entry.event}{summary}"
            f"  Hash {entry.entry_hash[:16]}…"
        )
    return lines


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
