"""The summary before the letter, in the conversation's language (labels from the catalogue)."""

from cancellation.extras import PORTING, SEPA
from cancellation.providers import load_directory
from cancellation.summary import markdown_escape, summary_text
from tests.cancellation.test_letter_request import ANSWERS


def test_the_summary_in_english():
    answers = dict(ANSWERS, extras=[SEPA, PORTING], end_date="2027-05-31")
    text = summary_text(answers, load_directory().get("o2"), language="en")

    assert text.startswith("Please check your details:")
    assert "• Cancellation: mobile contract (Mobilfunkvertrag)" in text
    assert "• Your name: Nguyễn Thị Minh Khai" in text
    assert "• End: on 31 May 2027, or failing that at the earliest possible date" in text
    assert "revoke the direct debit mandate after the final bill; take the phone number along" in text
    assert "according to sparhandy.de" in text  # the directory's note, in English too
    assert text.endswith("Otherwise tell me what to change.")
    assert "Bitte" not in text and "Ihr" not in text


def test_the_german_summary_is_unchanged_and_typed_values_are_escaped_for_the_web():
    answers = dict(ANSWERS, subject_kind="option", option_name="[x](javascript:alert(1))")
    text = summary_text(answers, None, escape=markdown_escape)
    assert text.startswith("Bitte prüfen Sie Ihre Angaben:")
    assert "• Kündigung: Option „\\[x\\]\\(javascript:alert\\(1\\)\\)“" in text
    assert "• Kündigungstermin: zum nächstmöglichen Zeitpunkt" in text
    assert "• Zusätze: keine" in text
    assert text.endswith("Stimmt alles? Dann erstelle ich den Brief. Sonst sagen Sie mir, was ich ändern soll.")


def _special(terms, end):
    return {"ground": "relocation", "terms": terms, "legal_basis": "§ 60 Abs. 2 TKG", "end": end,
            "preamble": [], "statements": [], "enclosures": []}


def test_a_special_termination_summary_names_the_end_the_letter_names():
    # Hand-test: the bot said "Als Vertragsende nennt der Brief den 15.01.2027" and the letter named
    # it, but the summary said "zum nächstmöglichen Zeitpunkt".
    answers = dict(ANSWERS, end_date="asap", special_termination=_special("relocation", "2027-01-15"))
    assert "• Kündigungstermin: zum 15.01.2027, hilfsweise zum nächstmöglichen Zeitpunkt" in summary_text(answers, None)
    assert "• End: on 15 January 2027, or failing that" in summary_text(answers, None, language="en")
    # Without notice ("fristlos"): not the ordinary date either.
    answers = dict(answers, special_termination=_special("without_notice", None))
    assert "• Kündigungstermin: außerordentlich, hilfsweise zum nächstmöglichen Zeitpunkt" in summary_text(answers, None)
    assert "• End: extraordinary notice, or failing that at the earliest possible date" in summary_text(answers, None, language="en")
    # A death case is an ordinary cancellation: its summary stays ordinary.
    answers = dict(answers, special_termination=_special("", None))
    assert "• Kündigungstermin: zum nächstmöglichen Zeitpunkt" in summary_text(answers, None)


def test_the_summary_labels_the_number_a_contract_of_that_kind_has():
    # Hand-test: a gym was asked for "Rufnummer oder Vertragsnummer".
    gym = dict(ANSWERS, contract_type="gym", contract_reference="M-4711")
    assert "• Mitglieds-/Vertragsnummer: M-4711" in summary_text(gym, None)
    assert "• Membership or contract number: M-4711" in summary_text(gym, None, language="en")
    assert "• Versicherungsscheinnummer: 0176 12345678" in summary_text(dict(ANSWERS, contract_type="insurance"), None)
    assert "• Rufnummer/Vertragsnummer:" in summary_text(dict(ANSWERS, contract_type="mobile"), None)
