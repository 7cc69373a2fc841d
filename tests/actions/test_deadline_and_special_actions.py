"""The deadline and special-termination adapters: slots in, pure code, slots out."""

from __future__ import annotations

import asyncio
import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cancellation import clock, examples

from actions.deadline import (
    ActionAnswerDeadline,
    ActionAskDeadlineTermMonths,
    ActionStartDeadline,
    ValidateDeadlineForm,
)
from actions.special import (
    ActionAskFullName,
    ActionAskSpecialFact,
    ActionAssessSpecial,
    ActionOfferSpecial,
    ActionStartSpecial,
    ValidateSpecialForm,
)


def tracker(text: str = "", **slots) -> Tracker:
    return Tracker("c", slots, {"text": text, "intent": {}}, [], False, None, {}, "action_listen")


def events_of(action, text="", **slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(text, **slots), {}))
    return dispatcher.messages, {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def test_deadline_question_takes_over_provider_and_sector():
    _, slots = events_of(ActionStartDeadline(), "bis wann muss ich bei o2 kündigen?")
    assert slots["provider_key"] == "o2" and slots["deadline_sector"] == "telecom"
    assert slots["deadline_start"] is None  # an earlier calculation is forgotten
    assert slots["deadline_questions_needed"] is True


def test_deadline_question_with_start_and_term_needs_no_questions():
    _, slots = events_of(ActionStartDeadline(), "Mein Handyvertrag läuft seit 15.3.2024, 24 Monate, wann komme ich raus?")
    assert slots["deadline_start"] == "2024-03-15" and slots["deadline_term_months"] == 24
    assert slots["deadline_sector"] == "telecom" and slots["deadline_sending"] == "einschreiben"
    assert slots["deadline_questions_needed"] is False


def test_insurance_named_in_the_question_sets_the_sector():
    _, slots = events_of(ActionStartDeadline(), "Bis wann kann ich meine Hausratversicherung kündigen?")
    assert slots["deadline_sector"] == "insurance" and slots["contract_type"] == "insurance"


def test_a_yearly_renewal_in_the_question_is_taken_over_with_the_insurance():
    # § 11 Abs. 1 VVG: a yearly renewal is the usual case for insurance; neither it nor the kind is asked.
    _, slots = events_of(ActionStartDeadline(), "Meine Kfz-Versicherung verlängert sich jährlich, wann kann ich kündigen?")
    assert slots["deadline_sector"] == "insurance" and slots["contract_type"] == "insurance"
    assert slots["deadline_extension_months"] == 12 and slots["deadline_questions_needed"] is True


def test_deadline_answer_sets_the_letters_end_date_and_offers_to_cancel():
    messages, slots = events_of(
        ActionAnswerDeadline(),
        deadline_start="2025-03-15", deadline_term_months=0, deadline_notice_months=None,
        deadline_sector="telecom", deadline_sending="receipt:2026-12-31",
    )
    assert slots["end_date"] == "2027-01-31"
    assert messages[0]["buttons"] == [{"title": "Jetzt kündigen", "payload": "/cancel"}]
    assert "31.01.2027" in messages[0]["text"]


def test_deadline_answer_speaks_english_and_an_unknown_start_means_asap():
    messages, slots = events_of(
        ActionAnswerDeadline(), deadline_start="none", deadline_sector="insurance", language="en",
    )
    assert slots["end_date"] == "asap"
    assert "earliest possible date" in messages[0]["text"] and "§ 11 VVG" in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "Cancel now", "payload": "/cancel"}]


def test_deadline_validators_explain_bad_answers_in_the_users_language():
    dispatcher = CollectingDispatcher()
    form = ValidateDeadlineForm()
    assert form.validate_deadline_term_months("2 Jahre", dispatcher, tracker(), {}) == {"deadline_term_months": 24}
    assert form.validate_deadline_start("März 2024", dispatcher, tracker(), {}) == {
        "deadline_start": "2024-03-01/2024-03-31"
    }
    assert form.validate_deadline_start("irgendwann", dispatcher, tracker(), {}) == {"deadline_start": None}
    example = examples.start_date(clock.today())  # computed from today, never a fixed day
    assert example.strftime("%d.%m.%Y") in dispatcher.messages[0]["text"]
    english = CollectingDispatcher()
    assert form.validate_deadline_sector("hm", english, tracker(language="en"), {}) == {"deadline_sector": None}
    assert "insurance" in english.messages[0]["text"]
    concluded = CollectingDispatcher()
    late = form.validate_deadline_concluded("01.05.2024", concluded, tracker(deadline_start="2024-03-01/2024-03-31"), {})
    assert late == {"deadline_concluded": None} and "vor oder an seinem Beginn" in concluded.messages[0]["text"]


def test_the_basic_supply_question_is_asked_only_when_the_model_knows_it():
    form = ValidateDeadlineForm()
    energy = tracker(deadline_start="2024-01-01", deadline_term_months=12, deadline_notice_months=1,
                     deadline_sector="energy")
    with_question = ["deadline_start", "deadline_term_months", "deadline_notice_months", "deadline_sector",
                     "deadline_sending", "deadline_concluded", "deadline_extension_months", "deadline_basic_supply"]
    asked = asyncio.run(form.required_slots(with_question, CollectingDispatcher(), energy, {}))
    assert asked.index("deadline_basic_supply") == asked.index("deadline_sector") + 1
    older_model = asyncio.run(form.required_slots(with_question[:-1], CollectingDispatcher(), energy, {}))
    assert "deadline_basic_supply" not in older_model and "deadline_sending" in older_model
    dispatcher = CollectingDispatcher()
    assert form.validate_deadline_basic_supply("Grundversorgung", dispatcher, energy, {}) == {
        "deadline_basic_supply": "yes"
    }
    assert form.validate_deadline_basic_supply("hm", dispatcher, tracker(language="en"), {}) == {
        "deadline_basic_supply": None
    }
    assert "special contract" in dispatcher.messages[0]["text"]


def _run_special_form(ground, answers, **slots):
    """Answer the special form's fact questions in order; the asked questions' texts and the facts."""
    form, facts, asked = ValidateSpecialForm(), dict(slots.pop("special_facts", {})), []
    for answer in answers:
        messages, _ = events_of(ActionAskSpecialFact(), special_ground=ground, special_facts=facts, **slots)
        asked.append(messages[0]["text"])
        dispatcher = CollectingDispatcher()
        result = form.validate_special_fact(
            answer, dispatcher, tracker(special_ground=ground, special_facts=facts, **slots), {}
        )
        assert not dispatcher.messages, dispatcher.messages
        facts = result["special_facts"]
    assert result["special_fact"] == "done"
    return asked, facts


def test_special_facts_are_collected_one_by_one_then_assessed():
    _, slots = events_of(ActionStartSpecial(), "mein Vater ist verstorben")
    assert slots["special_ground"] == "death"
    asked, facts = _run_special_form("death", ("Hans Muster", "01.11.2026", "Sohn", "ja"))
    assert "verstorbene Person" in asked[0] and "Sterbeurkunde" in asked[3]
    assert facts == {"deceased_name": "Hans Muster", "date_of_death": "2026-11-01", "relationship": "Sohn",
                     "has_death_certificate": "yes"}

    messages, slots = events_of(ActionAssessSpecial(), special_ground="death", special_facts=facts)
    assert slots["special_termination"]["holder_name"] == "Hans Muster"
    assert slots["end_date"] == "asap"
    assert "§§ 1943, 1944 BGB" in messages[0]["text"] and "Sterbeurkunde" in messages[0]["text"]

    messages, _ = events_of(ActionAskFullName(), special_termination=slots["special_termination"])
    assert "Ihr eigener vollständiger Name" in messages[0]["text"] and "Hans Muster" in messages[0]["text"]
    messages, _ = events_of(ActionAskFullName())
    assert messages[0]["response"] == "utter_ask_full_name"


def test_an_energy_price_rise_is_assessed_under_the_enwg_not_the_tkg():
    today = clock.today()
    notice, effective = today - dt.timedelta(days=10), today + dt.timedelta(days=60)
    asked, facts = _run_special_form(
        "price_change",
        (f"{notice:%d.%m.%Y}", f"{effective:%d.%m.%Y}", "Arbeitspreis steigt auf 40 ct/kWh", "nein", "ja"),
        contract_type="energy",
    )
    assert any("Grundversorgung" in question for question in asked)
    messages, slots = events_of(ActionAssessSpecial(), special_ground="price_change", special_facts=facts,
                                contract_type="energy")
    assert "§ 41 Abs. 5 EnWG" in messages[0]["text"] and "§ 57" not in messages[0]["text"]
    assert slots["special_termination"]["legal_basis"] == "§ 41 Abs. 5 EnWG"
    assert slots["subject_kind"] == "contract"


def test_yes_no_questions_come_with_buttons_in_the_users_language():
    messages, _ = events_of(ActionAskSpecialFact(), special_ground="slow_internet", special_facts={},
                            contract_type="dsl", language="en")
    assert messages[0]["text"].startswith("Have you already measured")
    assert [button["title"] for button in messages[0]["buttons"]] == ["Yes", "No", "Don't know"]
    dispatcher = CollectingDispatcher()
    result = ValidateSpecialForm().validate_special_fact(
        "perhaps", dispatcher, tracker(special_ground="slow_internet", special_facts={}, contract_type="dsl",
                                       language="en"), {})
    assert result == {"special_fact": None}
    assert "Please answer" in dispatcher.messages[0]["text"]


def test_a_cancellation_that_names_a_reason_offers_the_special_path_with_what_it_said():
    messages, slots = events_of(ActionOfferSpecial(), "ich will kündigen, mein Kabel schafft nur 40 statt 250 Mbit")
    assert slots["special_offered"] is True
    assert slots["special_offer"] == {"ground": "slow_internet", "facts": {"contracted_speed": "250 Mbit/s"}}
    assert [button["payload"] for button in messages[0]["buttons"]] == ["/affirm", "/deny"]
    _, started = events_of(ActionStartSpecial(), "/affirm", special_offer=slots["special_offer"],
                           end_date="2027-04-01")
    assert started["special_ground"] == "slow_internet"
    assert started["end_date"] is None  # a date in the reason's message is not the wanted end
    assert started["special_facts"] == {"contracted_speed": "250 Mbit/s"}
    assert started["special_offered"] is False

    messages, slots = events_of(ActionOfferSpecial(), "Ich will meinen Handyvertrag bei o2 kündigen")
    assert messages == [] and slots["special_offered"] is False


def test_a_relative_named_in_the_first_message_is_not_asked_for_again():
    # Hand-test item 12: "Mein Vater ist gestorben" -> "In welchem Verhältnis standen Sie zu ihr?".
    _, offered = events_of(ActionOfferSpecial(), "Mein Vater ist letzte Woche gestorben, ich will seinen Handyvertrag kündigen")
    _, slots = events_of(ActionStartSpecial(), "/affirm", special_offer=offered["special_offer"])
    asked, facts = _run_special_form("death", ("Hans Muster", "01.11.2026", "ja"), special_facts=slots["special_facts"])
    assert not any("Verhältnis" in question for question in asked)
    assert facts["relationship"] == "mein Vater"
    messages, slots = events_of(ActionAssessSpecial(), special_ground="death", special_facts=facts)
    preamble = " ".join(str(part) for part in slots["special_termination"].values())
    assert "mein Vater" in preamble


def test_a_fact_stated_in_another_answer_is_not_asked_for_again():
    # Hand-test item 12: "… am neuen Ort gibt es kein Glasfaser" -> asked whether it is available.
    asked, facts = _run_special_form(
        "relocation", ("15.02.2027", "Lindenweg 3, 04109 Leipzig, am neuen Ort gibt es kein Glasfaser"),
        contract_type="fibre",
    )
    assert not any("neuen Anschrift an" in question for question in asked)
    assert facts["available_at_new_address"] == "no"
    # Said as the answer to the availability question itself, in other words.
    asked, facts = _run_special_form(
        "relocation", ("15.02.2027", "Lindenweg 3, 04109 Leipzig", "dort gibt es kein Glasfaser"),
        contract_type="fibre",
    )
    assert facts["available_at_new_address"] == "no"
    assert facts["new_address"] == "Lindenweg 3, 04109 Leipzig"


def test_a_kind_of_contract_said_at_another_deadline_question_is_taken():
    # Hand-test item 12: "Fitnessstudio" at the minimum-term question was ignored, the kind asked later.
    dispatcher = CollectingDispatcher()
    form = ValidateDeadlineForm()
    result = form.validate_deadline_term_months("Fitnessstudio", dispatcher, tracker(deadline_start="2025-03-15"), {})
    assert result == {"deadline_term_months": None, "deadline_sector": "other", "contract_type": "gym"}
    assert dispatcher.messages == []  # the term is asked again, no error about the word
    result = form.validate_deadline_term_months("24 Monate, ist ein Fitnessstudio", dispatcher, tracker(), {})
    assert result == {"deadline_term_months": 24, "deadline_sector": "other", "contract_type": "gym"}
    result = form.validate_deadline_start("seit 01.03.2025, Handyvertrag mit 24 Monaten Laufzeit", dispatcher, tracker(), {})
    assert result["deadline_start"] == "2025-03-01" and result["deadline_term_months"] == 24
    assert result["deadline_sector"] == "telecom"
    # Known answers are not overwritten by what a later answer mentions.
    result = form.validate_deadline_term_months("24 Monate, wie beim Handyvertrag", dispatcher,
                                                tracker(deadline_sector="other", contract_type="gym"), {})
    assert result == {"deadline_term_months": 24}


def test_the_term_question_offers_a_year_first_for_insurance():
    # Hand-test item 12: "Kfz-Versicherung … jährlich" was offered "24 Monate" first.
    messages, _ = events_of(ActionAskDeadlineTermMonths(), deadline_sector="insurance")
    assert "Versicherung" in messages[0]["text"]
    assert [button["title"] for button in messages[0]["buttons"]][0] == "1 Jahr"
    assert messages[0]["buttons"][0]["payload"] == "12 Monate"
    messages, _ = events_of(ActionAskDeadlineTermMonths(), deadline_sector="insurance", language="en")
    assert messages[0]["buttons"][0]["title"] == "1 year"
    messages, _ = events_of(ActionAskDeadlineTermMonths(), deadline_sector="telecom")
    assert messages[0]["text"].startswith("Wie lange ist die Mindestlaufzeit")
    assert messages[0]["buttons"][0]["title"] == "24 Monate"


def test_an_unknown_provider_named_in_the_deadline_question_is_kept_for_the_letter():
    # Hand-test item 12: "Zeitungsabo bei der Lokalzeitung Nordkurier" -> "Bei welchem Anbieter…?".
    _, slots = events_of(ActionStartDeadline(), "Ich habe ein Zeitungsabo bei der Lokalzeitung Nordkurier, "
                                                "bis wann kann ich kündigen?", provider_key="o2")
    assert slots["provider"] == "Lokalzeitung Nordkurier" and slots["provider_key"] is None
    assert slots["contract_type"] == "press"


def test_a_ground_that_needs_no_facts_finishes_the_special_questions_at_once():
    # Hand-test item 1: a gym member's move needs no fact; the form asked nothing and listened, so
    # the assessment came one message late. Chosen at the start or at the ground question alike.
    _, started = events_of(ActionStartSpecial(), "Fitnessstudio kündigen wegen Umzug", contract_type="gym")
    assert started["special_ground"] == "relocation" and started["special_fact"] == "done"
    chosen = ValidateSpecialForm().validate_special_ground(
        "Umzug", CollectingDispatcher(), tracker(contract_type="gym"), {})
    assert chosen["special_fact"] == "done"
    _, telecom = events_of(ActionStartSpecial(), "DSL kündigen wegen Umzug", contract_type="dsl")
    assert telecom["special_fact"] is None  # the move date is still to ask
