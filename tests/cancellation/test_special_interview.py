import datetime as dt

import pytest

from cancellation.interview import ASAP
from cancellation.letter_request import build_letter_data, personal_data
from cancellation.special import Context, assess, latest_receipt
from cancellation.special.facts import QUESTIONS
from cancellation.special_interview import (
    asks_why,
    why_asked,
    InvalidAnswer,
    assessment_messages,
    contracted_speed_in,
    detect_ground,
    facts_from_message,
    facts_from_request,
    mentions_abroad,
    parse_fact,
    parse_ground,
)
from cancellation.texts import render
from cancellation.vocabulary import ContractType, SpecialGround
from letters.wording import compose

TODAY = dt.date(2026, 11, 26)
CONTEXT = Context(TODAY, latest_receipt(TODAY), ContractType.DSL)
ANSWERS = {
    "subject_kind": "contract",
    "provider": "Vodafone",
    "contract_type": "dsl",
    "provider_address": {"lines": ["Vodafone GmbH"], "street": "Postfach 1", "postcode": "40875", "city": "Ratingen"},
    "full_name": "Erika Muster",
    "street": "Musterstraße 5",
    "postcode": "10115",
    "city": "Berlin",
    "customer_number": "123456",
    "end_date": ASAP,
}


@pytest.mark.parametrize(
    "text, ground",
    [
        ("o2 erhöht die Preise, kann ich sonderkündigen?", SpecialGround.PRICE_CHANGE),
        ("ich will kündigen wegen der Preiserhöhung", SpecialGround.PRICE_CHANGE),
        ("Netflix wird schon wieder teurer", SpecialGround.PRICE_CHANGE),
        ("my provider announced a price increase", SpecialGround.PRICE_CHANGE),
        ("ich bekomme nur 20 statt 100 Mbit", SpecialGround.SLOW_INTERNET),
        ("kündigen, das Internet ist zu langsam", SpecialGround.SLOW_INTERNET),
        ("my internet is too slow", SpecialGround.SLOW_INTERNET),
        ("Ich will kündigen, mein Kabelanschluss mit 250 Mbit schafft nur 40", SpecialGround.SLOW_INTERNET),
        ("ich ziehe um, was passiert mit meinem Vertrag", SpecialGround.RELOCATION),
        ("ich will kündigen, ich ziehe nächsten Monat nach Hamburg", SpecialGround.RELOCATION),
        ("Vertrag kündigen, ich gehe ins Ausland", SpecialGround.RELOCATION),
        ("I am moving abroad and want to cancel", SpecialGround.RELOCATION),
        ("mein Vater ist gestorben", SpecialGround.DEATH),
        ("ich bin schwer krank", SpecialGround.IMPORTANT_REASON),
        ("Sonderkündigung", None),
        ("ich will meinen 100 Mbit DSL-Vertrag kündigen", None),
        ("Ich will meinen Handyvertrag bei o2 kündigen", None),
        ("Geld vom Konto abziehen lassen", None),
    ],
)
def test_the_ground_is_taken_from_what_the_user_wrote(text, ground):
    assert detect_ground(text) == ground


def test_ground_answer_from_a_button_or_text():
    assert parse_ground("Preiserhöhung") is SpecialGround.PRICE_CHANGE
    assert parse_ground("death") is SpecialGround.DEATH
    with pytest.raises(InvalidAnswer) as error:
        parse_ground("einfach so")
    assert error.value.message.key == "utter_special_choose_ground"


@pytest.mark.parametrize(
    "text, speed",
    [
        ("ich bekomme nur 20 statt 100 Mbit", "100 Mbit/s"),
        ("Mein Vodafone Kabelanschluss mit 250 Mbit schafft nur 40", "250 Mbit/s"),
        ("1000 Mbit gebucht, es kommen 300 an", "1000 Mbit/s"),
        ("zugesagt sind 50 MBit/s, gemessen 12", "50 Mbit/s"),
        ("ich habe nur 50 Mbit", None),
        ("das Internet ist zu langsam", None),
    ],
)
def test_the_contracted_speed_is_taken_only_when_it_is_marked_as_such(text, speed):
    assert contracted_speed_in(text) == speed


def test_a_complaint_names_the_speed_and_moving_abroad_so_they_are_not_asked():
    assert facts_from_message(SpecialGround.SLOW_INTERNET, "Kabel mit 250 Mbit, kommen nur 40 an") == {
        "contracted_speed": "250 Mbit/s"}
    assert facts_from_message(SpecialGround.RELOCATION, "ich ziehe nach Österreich") == {"abroad": "yes"}
    assert facts_from_message(SpecialGround.RELOCATION, "ich ziehe nach Hamburg") == {}
    assert mentions_abroad("Ringstraße 5, 1010 Wien, Austria")


@pytest.mark.parametrize("text, effective", [
    ("Mein Stromanbieter E.ON hat die Preise erhöht, ab 1. Januar. Kann ich da raus?", "2027-01-01"),
    ("o2 erhöht die Preise ab Februar, kann ich kündigen?", "2027-02-01"),
    ("Vodafone wird ab dem 15.01.2027 teurer", "2027-01-15"),
    ("my provider raised the price from 1 March", "2027-03-01"),
    ("Telekom erhöht die Preise", None),
    ("Ich will zum 31.03. kündigen, wegen der Preiserhöhung", None),  # the end wanted, not the change
    ("Am 1.11. kam eine Preiserhöhung von Vodafone", None),  # the day the notice came
    # hand-test item 7: "zum <Tag>" next to the change is when it takes effect
    ("Meine Stadtwerke erhöhen zum 1. Januar die Preise. Kann ich da raus?", "2027-01-01"),
    ("Sehr geehrter Kunde, wir passen unsere Preise zum 01.02.2027 an. Der Grundpreis steigt.", "2027-02-01"),
    ("Vodafone erhöht die Preise, ich will zum 31.03.2027 kündigen", None),
    ("Preiserhöhung! Ich möchte zum 31.01.2027 kündigen", None),
])
def test_the_day_a_price_change_takes_effect_is_taken_from_the_message(text, effective):
    # hand-test item 4: "ab 1. Januar" / "ab Februar" was asked again; in an answer a date
    # answers the question asked, so only the request's own facts include it
    assert "change_effective" not in facts_from_message(SpecialGround.PRICE_CHANGE, text)
    facts = facts_from_request(SpecialGround.PRICE_CHANGE, text, TODAY)
    assert facts.get("change_effective") == effective


@pytest.mark.parametrize("text, received", [
    ("Meine Stadtwerke erhöhen zum 1. Januar die Preise. Den Brief habe ich am 20.11.2026 bekommen.", "2026-11-20"),
    ("o2 erhöht ab dem 1.2. die Grundgebühr, die Mitteilung habe ich am 15.11. erhalten", "2026-11-15"),
    ("Am 1.11. kam eine Preiserhöhung von Vodafone", "2026-11-01"),
    ("I received the notice on 20 November, prices go up from 1 January", "2026-11-20"),
    ("Telekom erhöht die Preise ab 1. Januar", None),
    ("Das Schreiben soll am 30.11. kommen", None),  # a day still to come is no receipt
])
def test_the_day_the_notice_came_is_taken_from_the_message(text, received):
    # hand-test item 7: "Den Brief habe ich am 20.11.2026 bekommen" was asked again
    assert facts_from_request(SpecialGround.PRICE_CHANGE, text, TODAY).get("notice_received") == received


def test_a_month_without_a_day_is_the_first_of_that_month_when_a_change_or_move_starts():
    for question in (QUESTIONS["change_effective"], QUESTIONS["move_date"]):
        assert parse_fact(question, "hab ich doch gesagt, ab februar", TODAY) == {question.key: "2027-02-01"}
        assert parse_fact(question, "ab März 2027", TODAY) == {question.key: "2027-03-01"}


def test_the_example_in_a_date_question_is_never_in_the_past():
    # hand-test item 4: "Bitte nennen Sie ein Datum, zum Beispiel 15.03.2026" in December 2026
    for today in (TODAY, dt.date(2027, 12, 31), dt.date(2030, 6, 1)):
        with pytest.raises(InvalidAnswer) as error:
            parse_fact(QUESTIONS["change_effective"], "irgendwann", today)
        shown = render(error.value.message)
        day, month, year = (int(part) for part in shown.split("zum Beispiel ")[1].rstrip(".").split("."))
        assert dt.date(year, month, day) > today
        with pytest.raises(InvalidAnswer) as error:
            parse_fact(QUESTIONS["notice_received"], "irgendwann", today)
        shown = render(error.value.message)
        day, month, year = (int(part) for part in shown.split("zum Beispiel ")[1].rstrip(".").split("."))
        assert today - dt.timedelta(days=31) <= dt.date(year, month, day) <= today  # a past date for a past event


def test_dates_replies_and_text_are_normalised():
    received = QUESTIONS["notice_received"]
    assert parse_fact(received, "1.11.2026", TODAY) == {"notice_received": "2026-11-01"}
    with pytest.raises(InvalidAnswer) as error:
        parse_fact(received, "01.12.2026", TODAY)  # a notice received in the future
    assert error.value.message.key == "utter_special_date_in_future"
    assert parse_fact(QUESTIONS["move_date"], "01.02.2027", TODAY) == {"move_date": "2027-02-01"}
    with pytest.raises(InvalidAnswer):
        parse_fact(received, "neulich", TODAY)

    reply = QUESTIONS["deviation_confirmed"]
    assert parse_fact(reply, "Ja, klar", TODAY) == {"deviation_confirmed": "yes"}
    assert parse_fact(reply, "nee", TODAY) == {"deviation_confirmed": "no"}
    assert parse_fact(reply, "weiß ich nicht", TODAY) == {"deviation_confirmed": "unknown"}
    assert parse_fact(reply, "no", TODAY) == {"deviation_confirmed": "no"}
    with pytest.raises(InvalidAnswer):
        parse_fact(reply, "vielleicht morgen", TODAY)

    speed = QUESTIONS["contracted_speed"]
    for unknown in ("weiß nicht", "hab ich nicht", "", "???"):
        with pytest.raises(InvalidAnswer):
            parse_fact(speed, unknown, TODAY)  # never printed as a value
    address = parse_fact(QUESTIONS["new_address"], "Ringstraße 5, 1010 Wien, Österreich", TODAY)
    assert address["abroad"] == "yes"


@pytest.mark.parametrize(
    "answer, facts",
    [
        ("Strom", {"sector": "energy", "contract_type": "energy"}),
        ("Gas", {"sector": "energy", "contract_type": "gas"}),
        ("Telefon und Internet", {"sector": "telecom"}),
        ("Handyvertrag", {"sector": "telecom"}),
        ("Versicherung", {"sector": "insurance"}),
        ("Fitnessstudio", {"sector": "other"}),
        ("anderer Vertrag", {"sector": "other"}),
    ],
)
def test_the_kind_of_contract_answer(answer, facts):
    assert parse_fact(QUESTIONS["sector"], answer, TODAY) == facts


@pytest.mark.parametrize("answer", ["weiß nicht", "keine Ahnung", "???"])
def test_an_unknown_kind_of_contract_is_asked_again_not_taken_as_other(answer):
    with pytest.raises(InvalidAnswer) as error:
        parse_fact(QUESTIONS["sector"], answer, TODAY)
    assert error.value.message.key == "utter_ask_special_sector"


def test_warnings_come_before_the_rule_and_the_letter_line_after():
    facts = {"notice_received": "2026-06-01", "change_effective": "2026-08-01", "change_description": "x",
             "notice_compliant": "yes"}
    text = render(assessment_messages(assess("price_change", facts, CONTEXT)))
    assert text.index("⚠") < text.index("Ändert der Anbieter") < text.index("Der Brief kündigt deshalb ordentlich")
    assert text.rstrip().endswith("keine Rechtsberatung. Jetzt noch ein paar Angaben für den Brief.")
    english = render(assessment_messages(assess("price_change", facts, CONTEXT)), "en")
    assert "claims no special right" in english and "Ändert" not in english


def test_death_makes_the_deceased_the_holder_and_the_relative_the_sender():
    facts = {"deceased_name": "Hans Muster", "date_of_death": "2026-11-01", "relationship": "ich bin der Sohn",
             "has_death_certificate": "yes"}
    slot = assess("death", facts, CONTEXT).as_slot()
    assert slot["holder_name"] == "Hans Muster" and slot["legal_basis"] == ""
    data = build_letter_data(dict(ANSWERS, special_termination=slot), None, reference="KB-2026-ABCDEF", today=TODAY)
    assert data.holder_name == "Hans Muster" and data.sender.lines == ("Erika Muster",)
    assert data.enclosures == ("death_certificate",)
    first = compose(data).body[0]
    assert "Ich schreibe Ihnen als Sohn von Hans Muster." in first and "Erbe" not in first
    assert "bzw." not in first  # no double forms (hand-test item 8)


def test_an_ordinary_outcome_leaves_no_special_termination_in_the_letter():
    facts = {"measured": "yes", "measurement_completed": "2026-11-20", "deviation_confirmed": "no"}
    assessment = assess("slow_internet", facts, CONTEXT)
    assert assessment.as_slot() is None
    data = build_letter_data(dict(ANSWERS, special_termination=None), None, reference="KB-2026-ABCDEF", today=TODAY)
    assert data.special is None and data.enclosures == ()


def test_the_special_termination_is_kept_with_the_personal_data_for_a_reminder():
    facts = {"move_date": "2027-02-15", "new_address": "A-Straße 1, 12345 B", "available_at_new_address": "no"}
    slot = assess("relocation", facts, CONTEXT).as_slot()
    assert personal_data(dict(ANSWERS, special_termination=slot))["special_termination"] == slot
    assert "special_termination" not in personal_data(dict(ANSWERS, special_termination=None))


@pytest.mark.parametrize(
    "ground, text, expected",
    [
        ("death", "Mein Vater ist gestorben", {"relationship": "mein Vater"}),
        ("death", "meine Mutter ist letzte Woche verstorben", {"relationship": "meine Mutter"}),
        ("death", "Mein Mann ist verstorben", {"relationship": "mein Ehemann"}),
        ("death", "my late father died", {"relationship": "mein Vater"}),
        ("death", "Der Vertragsinhaber ist gestorben", {}),
        ("relocation", "Ich ziehe um, am neuen Ort gibt es kein Glasfaser", {"available_at_new_address": "no"}),
        ("relocation", "ich ziehe nach Leipzig, dort ist DSL nicht verfügbar", {"available_at_new_address": "no"}),
        ("relocation", "the provider does not offer it at my new address", {"available_at_new_address": "no"}),
        ("relocation", "Ich ziehe um und kündige, da ich nicht mehr dort wohnen werde", {}),
        ("relocation", "wir ziehen um, da gibt es auch Glasfaser", {}),
        ("relocation", "Ich ziehe nach Hamburg", {}),
    ],
)
def test_facts_a_message_states_are_taken(ground, text, expected):
    assert facts_from_message(SpecialGround(ground), text) == expected


@pytest.mark.parametrize("text, why", [
    ("warum?", True), ("Warum brauchen Sie das?", True), ("wozu?", True), ("why do you need that", True),
    ("01.11.2026", False), ("Hans Muster", False), ("weiß ich nicht", False),
])
def test_a_why_question_at_a_fact_question_is_recognised(text, why):
    # hand-test item 8: "warum?" at the date-of-death question was read as a wrong date
    assert asks_why(text) is why


def test_why_a_fact_is_needed_is_explained_for_the_death_questions_and_in_general():
    assert "Todestag" in render(why_asked(QUESTIONS["date_of_death"]))
    assert "Regeln" in render(why_asked(QUESTIONS["move_date"]))
    assert "Todestag" not in render(why_asked(QUESTIONS["date_of_death"]), "en")
