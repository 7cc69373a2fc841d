import datetime as dt

import pytest

from cancellation.hotline import (
    call_note,
    call_times,
    calls_summary,
    empathy_response,
    letter_to,
    parse_call_report,
    provider_of_the_letters,
)
from cancellation.log.records import AttemptRecord
from cancellation.texts import render
from cancellation.vocabulary import AttemptKind, Channel, Status, SubjectKind

TODAY = dt.date(2026, 11, 26)  # Thursday


@pytest.mark.parametrize(
    "text, count, day",
    [
        ("ich habe heute zweimal vergeblich angerufen", 2, TODAY),
        ("gestern 3 mal angerufen, keiner geht ran", 3, dt.date(2026, 11, 25)),
        ("ich habe es 5x versucht", 5, TODAY),
        ("vorgestern dreimal in der Warteschleife", 3, dt.date(2026, 11, 24)),
        ("hotline besetzt", 1, TODAY),
        ("am Montag zwei mal angerufen", 2, dt.date(2026, 11, 23)),
        ("am 20.11. angerufen, niemand erreichbar", 1, dt.date(2026, 11, 20)),
        ("ich rufe ständig an", 2, TODAY),
        ("1000 mal angerufen", 20, TODAY),
    ],
)
def test_count_and_day(text, count, day):
    report = parse_call_report(text, TODAY)
    assert (report.count, report.day) == (count, day)


def test_a_future_date_is_not_a_call_day():
    report = parse_call_report("am 30.11. angerufen", TODAY)
    assert report.day == TODAY and not report.day_stated


def test_calls_today_are_logged_now_earlier_calls_at_noon_berlin():
    now = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.timezone.utc)
    today = parse_call_report("heute zweimal", TODAY)
    assert call_times(today, now) == (now, now)
    yesterday = parse_call_report("gestern", TODAY)
    (moment,) = call_times(yesterday, now)
    assert moment == dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.timezone.utc)  # 12:00 CET
    with pytest.raises(ValueError):
        call_times(today, dt.datetime(2026, 11, 26, 15, 30))


def test_note_and_summary_say_what_was_logged():
    report = parse_call_report("heute zweimal", TODAY)
    assert call_note(report, 2).startswith("Anruf 2 von 2 (2 Anrufe am 26.11.2026")
    summary = render(calls_summary(report, "o2", ("KB-2026-AAAAAA", "KB-2026-BBBBBB")))
    assert "2 erfolglose Anrufe bei o2 am 26.11.2026" in summary and "KB-2026-BBBBBB" in summary
    english = render(calls_summary(report, "o2", ("KB-2026-AAAAAA",)), "en")
    assert "2 unsuccessful calls to o2 on 26 November 2026" in english
    one = parse_call_report("gestern", TODAY)
    assert call_note(one, 1).startswith("Anruf 1 von 1 (ein Anruf am 25.11.2026")


# --- calls after a letter: only a letter to the provider that was called counts -------------------


def record(provider, key=None, kind=AttemptKind.LETTER, day=1, forgotten=False):
    return AttemptRecord(
        reference=f"KB-2026-{provider[:3].upper()}{day:03d}", created_at=dt.datetime(2026, 11, day, 12),
        kind=kind, channel=Channel.REST, provider=None if forgotten else provider, subject_kind=SubjectKind.CONTRACT,
        subject=None, requested_end=None, status=Status.LETTER_CREATED, letter_sha256=None, related_reference=None,
        forgotten=forgotten, provider_key=key,
    )


VODAFONE = record("Vodafone", "vodafone", day=2)
O2_CALL = record("o2", "o2", kind=AttemptKind.HOTLINE_CALL, day=3)
OLD_O2 = record("o2", "o2", day=1, forgotten=True)
NORDKURIER = record("Lokalzeitung Nordkurier", day=4)


@pytest.mark.parametrize(
    "records, provider, key, letter",
    [
        ([VODAFONE], "Vodafone", "vodafone", VODAFONE),
        ([VODAFONE], "o2", "o2", None),  # a letter to another provider does not count
        ([VODAFONE, O2_CALL], "o2", "o2", None),  # earlier calls are no letter
        ([OLD_O2], "o2", "o2", None),  # a forgotten letter is gone
        ([NORDKURIER], "lokalzeitung nordkurier", None, NORDKURIER),  # not in the directory: by name
        ([NORDKURIER], "Nordkurier Mediengruppe", None, None),
        ([VODAFONE, NORDKURIER], "Vodafone GmbH", "vodafone", VODAFONE),  # the directory key decides
        ([], "o2", "o2", None),
    ],
)
def test_the_letter_the_calls_come_after(records, provider, key, letter):
    assert letter_to(records, provider, key) == letter


@pytest.mark.parametrize(
    "records, provider, key, asked, said",
    [
        ([], None, None, False, "utter_hotline_empathy"),  # no letter anywhere: said at once
        ([], "o2", "o2", True, None),  # ... and not again after the provider's answer
        ([VODAFONE], None, None, False, None),  # a letter exists: the provider decides, wait for it
        ([VODAFONE], "o2", "o2", True, "utter_hotline_empathy"),  # o2 still needs its letter
        ([VODAFONE], "Vodafone", "vodafone", True, "utter_hotline_empathy_letter_exists"),
        ([VODAFONE], "o2", "o2", False, "utter_hotline_empathy"),
        ([VODAFONE], "Vodafone", "vodafone", False, "utter_hotline_empathy_letter_exists"),
    ],
)
def test_what_is_said_about_the_calls(records, provider, key, asked, said):
    assert empathy_response(records, provider, key, asked_provider=asked) == said


O2 = record("o2", "o2", day=5)
O2_AGAIN = record("O2 Telefónica", "o2", day=6)


@pytest.mark.parametrize(
    "records, letter",
    [
        # Hand-test item 4: "bei der Hotline angerufen" after the o2 letter are calls to o2.
        ([O2], O2),
        ([O2, O2_CALL], O2),  # calls are no letter
        ([O2, O2_AGAIN], O2_AGAIN),  # one provider, two letters: the newest
        ([VODAFONE, O2], None),  # two providers: the user is asked which one
        ([OLD_O2], None),  # a forgotten letter is gone
        ([], None),
    ],
)
def test_calls_without_a_provider_named_go_to_the_provider_of_the_conversations_letters(records, letter):
    assert provider_of_the_letters(records) == letter
