"""Calls after a letter: only a letter to the provider that was called counts (two providers)."""

from __future__ import annotations

from tests.actions.test_followup_actions import SENDER, first_letter, log, run  # noqa: F401  (fixture)

from actions.followup import ActionLogHotlineCalls


def said(messages):
    return [message.get("response") for message in messages]


def slots_of(events):
    return {event["name"]: event["value"] for event in events}


def test_calls_to_another_provider_than_the_letters_lead_to_its_own_letter(log):
    first_letter(log)  # a letter to o2 in this conversation
    messages, events = run(ActionLogHotlineCalls(), "Ich habe heute zweimal bei Vodafone angerufen",
                           provider="Vodafone", provider_key="vodafone")
    assert slots_of(events)["hotline_letter_exists"] is False  # the rules begin the letter to Vodafone
    assert said(messages)[0] == "utter_hotline_empathy"  # "... das erstellen wir jetzt gemeinsam"
    calls = [r for r in log.reads.attempts_for_conversation(SENDER) if r.kind == "hotline_call"]
    assert len(calls) == 2 and {call.provider for call in calls} == {"Vodafone"}


def test_calls_to_the_letters_provider_are_after_the_letter(log):
    first_letter(log)
    messages, events = run(ActionLogHotlineCalls(), "zweimal bei o2 angerufen", provider="o2", provider_key="o2")
    assert slots_of(events)["hotline_letter_exists"] is True
    assert said(messages)[0] == "utter_hotline_empathy_letter_exists"


def vodafone_letter(log):
    return log.evidence.create_letter_attempt(
        channel="rest", conversation_id=SENDER, provider="Vodafone", provider_key="vodafone",
        subject_kind="contract", subject="DSL-Vertrag", requested_end=None,
        personal_data={"full_name": "Erika Muster", "street": "Musterstraße 5", "postcode": "10115", "city": "Berlin"},
        render=lambda reference: b"%PDF-1.4 " + reference.encode(),
    )


def test_after_the_letter_calls_without_a_provider_are_calls_to_its_provider(log):
    # Hand-test item 4: "bei der Hotline" after the o2 letter: logged for o2, no new interview.
    letter = first_letter(log)
    messages, events = run(ActionLogHotlineCalls(), "ich habe heute zweimal vergeblich bei der Hotline angerufen")
    assert slots_of(events)["hotline_letter_exists"] is True and slots_of(events)["hotline_provider_needed"] is False
    assert said(messages)[0] == "utter_hotline_empathy_letter_exists"
    assert "2 erfolglose Anrufe bei o2" in messages[-1]["text"]
    calls = [r for r in log.reads.attempts_for_conversation(SENDER) if r.kind == "hotline_call"]
    assert len(calls) == 2 and {call.provider for call in calls} == {letter.provider}


def test_with_letters_to_two_providers_and_none_named_the_answer_waits_for_the_provider(log):
    first_letter(log)
    vodafone_letter(log)
    messages, events = run(ActionLogHotlineCalls(), "ich habe dreimal vergeblich angerufen")
    assert messages == [] and slots_of(events)["hotline_provider_needed"] is True
    pending = slots_of(events)["hotline_calls"]
    messages, events = run(ActionLogHotlineCalls(), "o2", provider="o2", provider_key="o2", hotline_calls=pending)
    assert said(messages)[0] == "utter_hotline_empathy_letter_exists"
    assert slots_of(events)["hotline_letter_exists"] is True
    assert "3 erfolglose Anrufe bei o2" in messages[-1]["text"]
