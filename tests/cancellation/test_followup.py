import datetime as dt

from cancellation.followup import (
    confirmation_text,
    escalation_advice,
    is_telecom,
    latest_letter,
    next_steps_text,
    reminder_due_on,
    reminder_letter_data,
    waiting_text,
)
from cancellation.log.records import AttemptRecord
from cancellation.providers import load_directory
from letters.wording import compose

CREATED = dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone.utc)
PERSONAL = {"full_name": "Erika Muster", "street": "Musterstraße 5", "postcode": "10115", "city": "Berlin", "customer_number": "K-1"}


def record(**overrides):
    values = dict(
        reference="KB-2026-AAAAAA", created_at=CREATED, kind="letter", channel="rest", provider="o2",
        subject_kind="contract", subject="Mobilfunkvertrag", requested_end="2027-03-14", status="letter_created",
        letter_sha256="0" * 64, related_reference=None,
    )
    values.update(overrides)
    return AttemptRecord(**values)


def test_latest_letter_skips_calls_reminders_and_forgotten_letters():
    older = record(reference="KB-2026-OLDOLD", created_at=CREATED - dt.timedelta(days=3))
    newest = record(created_at=CREATED)
    call = record(reference="KB-2026-CALLCA", kind="hotline_call", created_at=CREATED + dt.timedelta(days=1))
    gone = record(reference="KB-2026-GONEGO", forgotten=True, created_at=CREATED + dt.timedelta(days=2))
    assert latest_letter([older, newest, call, gone]) == newest
    assert latest_letter([older, newest], reference="KB-2026-OLDOLD") == older
    assert latest_letter([call]) is None


def test_reminder_after_two_weeks_and_until_then_a_date_to_wait_for():
    letter = record()
    assert reminder_due_on(letter) == dt.date(2026, 11, 16)
    assert "bis zum 16.11.2026" in waiting_text(letter)


def test_reminder_letter_repeats_the_cancellation_and_refers_to_the_first_letter():
    provider = load_directory().get("o2")
    data = reminder_letter_data(record(), PERSONAL, provider, reference="KB-2026-BBBBBB", today=dt.date(2026, 11, 20))
    assert data.reminder_of == ("KB-2026-AAAAAA", dt.date(2026, 11, 2))
    assert data.subject_label == "Mobilfunkvertrag" and data.requested_end == dt.date(2027, 3, 14)
    text = compose(data)
    assert "Erinnerung an mein Schreiben vom 02.11.2026" in text.subject_lines
    assert "KB-2026-AAAAAA" in " ".join(block for block in text.body if isinstance(block, str))


def test_reminder_for_an_option_names_the_option():
    letter = record(subject_kind="option", subject="Option „Datenoption 5 GB“", requested_end="asap")
    data = reminder_letter_data(letter, PERSONAL, None, reference="KB-2026-BBBBBB", today=dt.date(2026, 11, 20))
    assert data.subject_label == "Datenoption 5 GB" and data.requested_end is None


def test_escalation_names_the_schlichtungsstelle_only_for_telecom():
    assert any("Schlichtungsstelle Telekommunikation" in line for line in escalation_advice(True))
    assert not any("Schlichtungsstelle" in line for line in escalation_advice(False))
    assert any("Verbraucherzentrale" in line for line in escalation_advice(False))
    assert is_telecom(record(), None)
    assert not is_telecom(record(subject="Mitgliedschaft", provider="McFit"), None)


def test_telecom_is_a_lookup_of_the_stored_contract_type_not_of_the_label():
    from cancellation.vocabulary import ContractType

    # An option on a DSL contract: its label names the option, its contract type says telecom.
    option = record(subject="Option „Sicherheitspaket“", subject_kind="option",
                    contract_type=ContractType.DSL)
    assert is_telecom(option, None)
    assert not is_telecom(record(contract_type=ContractType.GYM), None)
    assert is_telecom(record(subject="Vertrag", contract_type=ContractType.MOBILE), None)


def test_confirmation_text_warns_about_a_later_end():
    assert "bestätigt zum 14.03.2027" in confirmation_text(record(), dt.date(2027, 3, 14))
    assert "Achtung" in confirmation_text(record(), dt.date(2027, 6, 30))


def test_next_steps_use_the_providers_channels():
    directory = load_directory()
    o2 = next_steps_text(directory.get("o2"))
    assert "Kündigungsbutton" in o2 and "unterschreiben" in o2 and "Einlieferungsbeleg" in o2
    unknown = next_steps_text(None)
    assert "Wurde Ihr Vertrag nach dem 30.09.2016" in unknown
    assert "Es kam keine Bestätigung" in unknown
