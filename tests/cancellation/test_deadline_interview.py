"""The deadline dialogue: which questions, and an answer that never contradicts itself."""

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cancellation import deadline_interview as di
from cancellation.deadline_answers import UNKNOWN
from cancellation.texts import render
from cancellation.vocabulary import Sector

TODAY = dt.date(2026, 11, 26)  # a Thursday
D = dt.date


def answers(**overrides):
    base = {di.START: "2025-03-15", di.TERM: 24, di.NOTICE: 1, di.SECTOR: "telecom", di.SENDING: "einschreiben"}
    base.update(overrides)
    return base


def text_of(reply, language="de"):
    return render(list(reply.messages), language)


# --- which questions --------------------------------------------------------------------------


def test_questions_start_with_the_contract_start_and_term():
    assert di.deadline_fields({}, TODAY) == (di.START, di.TERM, di.NOTICE, di.SECTOR, di.SENDING)


def test_no_notice_question_without_an_initial_term():
    assert di.NOTICE not in di.deadline_fields({di.TERM: 0}, TODAY)


def test_an_unknown_start_or_term_asks_only_the_kind_of_contract():
    assert di.deadline_fields({di.START: UNKNOWN}, TODAY) == (di.START, di.SECTOR)
    assert di.deadline_fields({di.START: "2024-03-01", di.TERM: UNKNOWN}, TODAY) == (di.START, di.TERM, di.SECTOR)


def test_conclusion_date_is_asked_only_when_it_changes_the_result():
    assert di.CONCLUDED not in di.deadline_fields(answers(), TODAY)
    # Started shortly after 01.03.2022, notice unknown: the default notice (1 or 3 months) depends on it.
    early = answers(**{di.START: "2022-03-10", di.NOTICE: UNKNOWN, di.SECTOR: "other", di.TERM: 60})
    assert di.deadline_fields(early, TODAY)[-1] == di.CONCLUDED


def test_extension_is_asked_for_old_non_telecom_contracts_when_it_decides_the_end():
    old = answers(**{di.START: "2020-01-01", di.TERM: 24, di.NOTICE: 3, di.SECTOR: "other"})
    assert di.deadline_fields(old, TODAY)[-1] == di.EXTENSION
    assert di.EXTENSION not in di.deadline_fields({**old, di.SECTOR: "telecom"}, TODAY)
    assert di.EXTENSION not in di.deadline_fields({**old, di.SECTOR: "insurance"}, TODAY)
    # in time for the end of the initial term: the extension does not matter
    in_time = {**old, di.START: "2021-06-01", di.TERM: 72}
    assert di.EXTENSION not in di.deadline_fields(in_time, TODAY)


def test_an_unvalidated_raw_answer_does_not_break_the_question_plan():
    raw = answers(**{di.SENDING: "Einwurf-Einschreiben, morgen"})
    assert di.deadline_fields(raw, TODAY) == (di.START, di.TERM, di.NOTICE, di.SECTOR, di.SENDING)


# --- the first message ----------------------------------------------------------------------------


def test_start_and_term_in_the_first_message_answer_at_once():
    opening = di.opening_answers("Vertrag seit 15.3.2024, 24 Monate, wann komme ich raus?", TODAY, "mobile")
    assert opening == {di.START: "2024-03-15", di.TERM: 24, di.NOTICE: UNKNOWN, di.SECTOR: "telecom",
                       di.SENDING: "einschreiben"}
    assert not di.questions_needed(opening, TODAY)
    reply = di.deadline_reply(opening, TODAY)
    text = text_of(reply)
    assert "Einwurf-Einschreiben" in text and "angenommen, dass sie einen Monat beträgt" in text


def test_without_the_kind_of_contract_only_that_is_asked():
    opening = di.opening_answers("Vertrag seit 15.3.2024, 24 Monate, wann komme ich raus?", TODAY)
    assert di.questions_needed(opening, TODAY)
    assert [name for name in di.deadline_fields(opening, TODAY) if opening.get(name) is None] == [di.SECTOR]


def test_a_provider_gives_the_sector():
    opening = di.opening_answers("bis wann muss ich kündigen?", TODAY, None, ("energy",))
    assert opening == {di.SECTOR: "energy"}


# --- the answer -------------------------------------------------------------------------------------


def test_reply_names_the_dates_the_rules_and_the_assumption():
    reply = di.deadline_reply(answers(), TODAY)
    text = text_of(reply)
    # 24 months from 15.03.2025 end on 14.03.2027; one month's notice -> receipt by 14.02.2027.
    assert reply.end_date == "2027-03-14"
    assert "Spätester Zugang beim Anbieter für das Vertragsende am 14.03.2027: 14.02.2027." in text
    assert "in der Regel" in text and "§ 188 Abs. 2 BGB" in text
    assert "Einwurf-Einschreiben" in text and "vierten Werktag" in text
    assert "keine Rechtsberatung" in text
    assert "„zum 14.03.2027, hilfsweise zum nächstmöglichen Zeitpunkt“" in text
    assert reply.offer == "utter_deadline_letter_date"


def test_reply_in_english():
    text = text_of(di.deadline_reply(answers(), TODAY), "en")
    assert "14 March 2027" in text and "as a rule" in text and "not legal advice" in text
    assert "“zum 14.03.2027, hilfsweise zum nächstmöglichen Zeitpunkt”" in text  # the German letter's words


def test_month_end_is_in_time_on_the_last_day_and_the_letter_names_the_month_end():
    reply = di.deadline_reply(answers(**{di.START: "2026-02-01", di.TERM: 12}), D(2026, 12, 2))
    text = text_of(reply)
    assert reply.end_date == "2027-01-31"
    assert "für das Vertragsende am 31.01.2027: 31.12.2026" in text
    assert "01.02.2027" not in text  # never "zum 01.02." for a term that ends on 31.01.
    # Thursday 31.12.2026: four postal working days back from it, over Christmas
    assert "spätestens am 24.12.2026" in text.replace("Spätestens am", "spätestens am")


def test_a_letter_that_can_no_longer_arrive_in_time_is_said_with_the_way_out():
    today = D(2026, 12, 28)  # Monday; a letter arrives after New Year
    reply = di.deadline_reply(answers(**{di.START: "2026-02-01", di.TERM: 12}), today)
    text = text_of(reply)
    assert "nicht mehr zu schaffen" in text and "24.12.2026" in text and "31.01.2027" in text
    assert "Fax" in text and "Kündigungsbutton" in text
    assert reply.end_date == "2027-02-04"  # the letter (received 04.01.2027) gives one month from receipt


def test_urgent_posting_when_less_than_a_week_is_left():
    today = D(2027, 2, 20)  # Saturday; receipt needed by Friday 26.02.2027
    reply = di.deadline_reply(answers(**{di.START: "2026-03-27", di.TERM: 12}), today)
    text = text_of(reply)
    assert reply.end_date == "2027-03-26"
    assert "Es wird knapp" in text and "spätestens am 22.02.2027" in text


def test_in_good_time_posting_advises_a_week_before():
    text = text_of(di.deadline_reply(answers(), TODAY))
    # receipt by Sunday 14.02.2027 -> delivery by Friday 12.02. -> post by Monday 08.02.; a week's margin: Sat 06.02.
    assert "bis zum 06.02.2027 ab" in text and "Spätestens am 08.02.2027" in text


def test_given_receipt_day_overrides_the_suggestion():
    reply = di.deadline_reply(answers(**{di.TERM: 0, di.SENDING: "receipt:2026-12-31"}), TODAY)
    assert reply.end_date == "2027-01-31"
    assert "von Ihnen genannten Zugang am 31.12.2026" in text_of(reply)


def test_fax_arrives_the_same_business_day():
    reply = di.deadline_reply(answers(**{di.TERM: 0, di.SENDING: "fax"}), TODAY)
    assert reply.end_date == "2026-12-26"


def test_insurance_answer_follows_the_vvg():
    reply = di.deadline_reply(
        answers(**{di.SECTOR: "insurance", di.START: "2024-01-01", di.TERM: 12, di.NOTICE: 3}), TODAY
    )
    text = text_of(reply)
    assert "§ 11" in text and "309" not in text.replace("nicht § 309 Nr. 9 BGB", "")
    assert "unwirksam" not in text
    assert reply.end_date == "2027-12-31"  # missed 30.09.2026 for 31.12.2026: the next insurance year


def test_a_vague_start_gives_the_earliest_and_latest_possible_end():
    # "März 2024", 24 months, receipt 01.12.2026 (letter sent 26.11.): every start ended its term long ago
    same = di.deadline_reply(answers(**{di.START: "2024-03-01/2024-03-31"}), TODAY)
    assert "dasselbe Vertragsende" in text_of(same) and same.end_date == "2027-01-01"
    # "März 2025": receipt lies between the last days of receipt of different starts
    today = D(2027, 2, 9)
    vague = di.deadline_reply(answers(**{di.START: "2025-03-01/2025-03-31", di.SENDING: "fax"}), today)
    text = text_of(vague)
    assert "vom 01.03.2025 bis zum 31.03.2025" in text
    # a start on 01.03. missed its last day (31.01.2027): one month from receipt
    assert "Frühestmögliches Ende: 09.03.2027 (bei Vertragsbeginn am 01.03.2025)" in text
    assert "Spätestmögliches Ende: 30.03.2027 (bei Vertragsbeginn am 31.03.2025)" in text
    assert vague.asap and "nächstmöglichen Zeitpunkt" in text and "hilfsweise" not in text


def test_an_unknown_start_leads_to_the_earliest_possible_date_with_a_reason():
    reply = di.deadline_reply({di.START: UNKNOWN, di.SECTOR: "telecom"}, TODAY)
    text = text_of(reply)
    assert reply.asap and reply.end_date == "asap"
    assert "Ohne den Vertragsbeginn" in text and "§ 56 Abs. 3 TKG" in text
    assert "fristgerecht zum nächstmöglichen Zeitpunkt" in text
    assert text_of(reply, "en").count("earliest possible date") >= 1


def test_old_contract_with_unknown_extension_explains_and_recommends_the_earliest_possible_date():
    reply = di.deadline_reply(
        answers(**{di.START: "2020-01-01", di.TERM: 24, di.NOTICE: 3, di.SECTOR: "other", di.EXTENSION: UNKNOWN}),
        TODAY,
    )
    text = text_of(reply)
    assert reply.asap
    assert "gerechnet ist mit einem Jahr" in text and "nächstmöglichen Zeitpunkt" in text
    assert "hilfsweise" not in text


def test_telecom_from_still_answers_for_the_follow_up_dialogues():
    assert di.telecom_from("mobile") is True
    assert di.telecom_from("gym") is False
    assert di.telecom_from(None, ("mobile", "dsl", "tv")) is True
    assert di.telecom_from("tv") is None


# --- the answer never contradicts itself -----------------------------------------------------------

starts = st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 11, 1))
DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")


@settings(max_examples=150, deadline=None)
@given(
    start=starts,
    term=st.sampled_from([0, 12, 24, 36]),
    notice=st.sampled_from([1, 3, UNKNOWN]),
    sector=st.sampled_from([s.value for s in Sector]),
    sending=st.sampled_from(["einschreiben", "post", "fax", "email"]),
    extension=st.sampled_from([None, 0, 12, UNKNOWN]),
    today=st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31)),
)
def test_the_letter_line_agrees_with_the_stated_end(start, term, notice, sector, sending, extension, today):
    given_answers = answers(**{di.START: start.isoformat(), di.TERM: term, di.NOTICE: notice, di.SECTOR: sector,
                               di.SENDING: sending, di.EXTENSION: extension})
    reply = di.deadline_reply(given_answers, today)
    text = text_of(reply)
    # A term over 24 months is void as a rule: its end is stated as the latest, never as the usual end.
    stated = re.search(r"endet der Vertrag (?:in der Regel|spätestens) am (\d{2}\.\d{2}\.\d{4})", text).group(1)
    if reply.asap:
        assert "„fristgerecht zum nächstmöglichen Zeitpunkt“" in text and "hilfsweise" not in text
    else:
        assert f"„zum {stated}, hilfsweise zum nächstmöglichen Zeitpunkt“" in text
        assert reply.end_date == dt.datetime.strptime(stated, "%d.%m.%Y").date().isoformat()
        assert "Vorbehalt" not in text and "kündigt der Brief zum nächstmöglichen" not in text
    assert text.count("keine Rechtsberatung") == 1


# --- energy: basic supply is asked, because it decides the rule (§ 20 StromGVV / GasGVV) ------------


def test_energy_asks_for_basic_supply_after_the_kind_of_contract():
    fields = di.deadline_fields({di.START: "2024-01-01", di.TERM: 12, di.NOTICE: 1, di.SECTOR: "energy"}, TODAY)
    assert fields == (di.START, di.TERM, di.NOTICE, di.SECTOR, di.BASIC_SUPPLY, di.SENDING)
    assert di.BASIC_SUPPLY not in di.deadline_fields(answers(), TODAY)


def test_basic_supply_ends_two_weeks_after_receipt_and_the_letter_takes_the_date():
    reply = di.deadline_reply(answers(**{di.SECTOR: "energy", di.BASIC_SUPPLY: "yes", di.SENDING: "fax"}), TODAY)
    text = text_of(reply)
    assert reply.end_date == "2026-12-10"  # Thursday 26.11. + two weeks (§ 188 Abs. 2 BGB)
    assert "zwei Wochen" in text and "§ 309" not in text and "Mindestlaufzeit von 24" not in text


def test_a_special_energy_contract_hears_nothing_about_basic_supply():
    reply = di.deadline_reply(answers(**{di.SECTOR: "energy", di.BASIC_SUPPLY: "no"}), TODAY)
    assert "Grundversorgung" not in text_of(reply)


def test_an_energy_question_with_start_and_term_is_still_answered_at_once():
    opening = di.opening_answers("Mein Stromvertrag läuft seit 1.3.2025, 12 Monate. Wann komme ich raus?", TODAY,
                                 contract_type="energy")
    assert opening[di.BASIC_SUPPLY] == UNKNOWN and not di.questions_needed(opening, TODAY)
    assert "Sind Sie in der Grundversorgung" in text_of(di.deadline_reply(opening, TODAY))


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 11, 1)),
    exact=st.booleans(),
    term=st.sampled_from([0, 1, 12, 24]),
    notice=st.sampled_from([1, 3, UNKNOWN]),
    sector=st.sampled_from(["telecom", "energy", "insurance", "other"]),
    sending=st.sampled_from(["einschreiben", "post", "fax", "email"]),
)
def test_no_sentence_of_an_answer_is_said_twice(start, exact, term, notice, sector, sending):
    """An answer repeating itself ('Geht Ihre Kündigung am … ein' twice, found by a hand-test)
    reads as if two answers were glued together."""
    given_answers = answers(
        **{di.START: start.isoformat() if exact else f"{start.replace(day=1)}/{start.replace(day=28)}",
           di.TERM: term,
           di.NOTICE: notice, di.SECTOR: sector, di.SENDING: sending}
    )
    for language in ("de", "en"):
        # The same statement with another article or with its rules cited is still a repeat.
        text = text_of(di.deadline_reply(given_answers, TODAY), language)
        text = re.sub(r"\s*\([^)]*\)|\b(Ihre|die|your|the)\b", "", text)
        sentences = [
            " ".join(sentence.split()).strip(" .")
            for message in text.split("\n")
            for sentence in re.split(r"(?<=[a-z!?]\.)\s+|(?<=[!?])\s+", message)
            if len(sentence.strip()) > 25
        ]
        repeated = {sentence for sentence in sentences if sentences.count(sentence) > 1}
        assert not repeated, repeated


def test_a_yearly_renewal_of_an_insurance_is_taken_over_and_used():
    # § 11 Abs. 1 VVG: a tacit extension of up to one year; the usual case for insurance.
    opening = di.opening_answers("Meine Kfz-Versicherung verlängert sich jährlich, wann kann ich kündigen?",
                                 TODAY, "insurance")
    assert opening == {di.SECTOR: "insurance", di.EXTENSION: 12}
    asked = [name for name in di.deadline_fields(opening, TODAY) if opening.get(name) is None]
    assert asked == [di.START, di.TERM, di.NOTICE, di.SENDING]  # neither the kind nor the renewal again
    answered = {**opening, di.START: "2025-01-01", di.TERM: 12, di.NOTICE: 1, di.SENDING: "einschreiben"}
    assert not di.questions_needed(answered, TODAY)
    text = text_of(di.deadline_reply(answered, TODAY))
    # Start 01.01.2025, one year: 31.12.2025, then yearly: 31.12.2026 is missed in December (one month's
    # notice), so the end is 31.12.2027.
    assert "31.12.2027" in text and "jeweils um 12 Monate" in text and "§ 11 Abs. 1 VVG" in text
