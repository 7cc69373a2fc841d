"""`python -m bot dispatch check`: is LetterXpress reachable with these credentials?

Always in LetterXpress' test mode, whatever LETTERXPRESS_MODE says: nothing is printed or posted.
It asks for the balance, submits one sample letter (Einwurf-Einschreiben, the specification the
assistant uses), reads the print job back and reports what came back. Exit code 0 only if all
three worked.
"""

from __future__ import annotations

import argparse
import sys

SAMPLE_REFERENCE = "KB-2026-TEST00"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dispatch", help="Versand per LetterXpress prüfen")
    commands = parser.add_subparsers(dest="dispatch_command", metavar="AKTION")
    check = commands.add_parser("check", help="Testauftrag (Testmodus) senden und Antwort zeigen")
    check.set_defaults(handler=check_connection)
    parser.set_defaults(handler=lambda args: (parser.print_help(sys.stderr), 2)[1])


def sample_pdf() -> bytes:
    import letters
    from cancellation import clock
    from letters import LetterData, PostalAddress

    return letters.render(LetterData(
        reference=SAMPLE_REFERENCE,
        sender=PostalAddress(("Erika Mustermann",), "Heidestraße 17", "51147", "Köln"),
        recipient=PostalAddress(("Beispiel GmbH", "Kundenservice"), "Musterweg 1", "10115", "Berlin"),
        place="Köln", letter_date=clock.today(), subject_kind="contract",
        subject_label="Testvertrag", holder_name="Erika Mustermann",
    ))


def check_connection(args: argparse.Namespace) -> int:
    from cancellation.dispatch.letterxpress import (
        Credentials,
        LetterXpressClient,
        ServiceError,
    )
    from cancellation.settings import DispatchSettings, SettingsError

    try:
        configured = DispatchSettings.from_env()
    except SettingsError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    if configured is None:
        print("Versand ist aus: LETTERXPRESS_USER und LETTERXPRESS_API_KEY sind nicht gesetzt.",
              file=sys.stderr)
        return 1
    client = LetterXpressClient(Credentials(configured.username, configured.api_key, "test"),
                                base_url=configured.base_url)
    print(f"LetterXpress: {configured.base_url} (Testmodus; eingestellt ist {configured.mode})")
    try:
        balance = client.balance()
        print(f"Guthaben: {balance.get('balance')} {balance.get('currency', '')}".rstrip())
        job = client.submit(sample_pdf(), notice=SAMPLE_REFERENCE,
                            filename=f"Kuendigung-{SAMPLE_REFERENCE}.pdf")
        print(f"Testauftrag angenommen: Druckauftrag Nr. {job.job_id}, Status {job.status}")
        again = client.get(job.job_id)
        print(f"Abgefragt: Status {again.status}"
              + (f", Position {again.item_status}" if again.item_status else "")
              + (f", Sendungsnummer {again.tracking_number}" if again.tracking_number else ""))
    except ServiceError as error:
        print(f"Fehler: LetterXpress antwortet nicht wie erwartet ({error.code}).", file=sys.stderr)
        return 1
    print("Versand per LetterXpress funktioniert (Testmodus: nichts gedruckt oder verschickt).")
    return 0
