import datetime as dt

import pytest

from cancellation.hotline import call_note, call_times, calls_summary, parse_call_report
from cancellation.texts import render

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
