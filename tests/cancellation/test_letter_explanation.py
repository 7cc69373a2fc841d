"""English users learn what their German letter says, from the data the PDF is rendered from."""

import datetime as dt

from cancellation.extras import ADVERTISING, PORTING, SEPA
from cancellation.letter_explanation import explain_letter
from cancellation.letter_request import build_letter_data
from cancellation.providers import load_directory
from cancellation.texts import render
from letters import render as render_pdf
from tests.cancellation.test_letter_request import ANSWERS
from tests.e2e.pdftext import pdf_text

TODAY = dt.date(2026, 11, 26)


def test_a_contract_to_the_next_possible_date_explained_in_english():
    data = build_letter_data(ANSWERS, load_directory().get("o2"), reference="KB-2026-ABCDEF", today=TODAY)
    text = render(explain_letter(data), "en")

    assert text.startswith("The letter is in German, because it goes to a German company.")
    assert "You cancel your contract (“Mobilfunkvertrag”) with" in text
    assert "the earliest possible date" in text
    assert "123456789, 0176 12345678" in text
    assert "written confirmation" in text
    assert "direct debit" not in text and "e-mail" not in text  # nothing the letter does not say
    # What is explained is what the letter says.
    letter = pdf_text(render_pdf(data))
    assert "Mobilfunkvertrag" in letter and "nächstmöglichen Zeitpunkt" in letter


def test_an_option_with_date_and_email():
    answers = dict(
        ANSWERS,
        subject_kind="option",
        option_name="Multicard",
        end_date="2027-05-31",
        email="erika@example.org",
        extras=[ADVERTISING],
    )
    data = build_letter_data(answers, load_directory().get("o2"), reference="KB-2026-ABCDEF", today=TODAY)
    text = render(explain_letter(data), "en")

    assert "only the option “Multicard”" in text and "the contract itself continues" in text
    assert "End date: 31 May 2027" in text
    assert "advertising" in text
    assert "erika@example.org" in text
    letter = pdf_text(render_pdf(data))
    assert "Multicard" in letter and "31.05.2027" in letter


def test_the_extras_of_a_mobile_contract():
    answers = dict(ANSWERS, extras=[SEPA, PORTING, ADVERTISING])
    data = build_letter_data(answers, load_directory().get("o2"), reference="KB-2026-ABCDEF", today=TODAY)
    text = render(explain_letter(data), "en")

    assert "direct debit mandate" in text
    assert "number porting" in text
    assert "advertising" in text
    letter = pdf_text(render_pdf(data))
    assert "SEPA-Lastschriftmandat" in letter and "59 TKG" in letter


def test_a_letter_after_a_cancellation_made_elsewhere_says_it_cancels_again():
    answers = dict(ANSWERS, earlier_cancellation={"on": "2026-11-05", "provider_key": "o2", "provider": "o2"})
    data = build_letter_data(answers, load_directory().get("o2"), reference="KB-2026-ABCDEF", today=TODAY)
    text = render(explain_letter(data), "en")
    assert "refers to your earlier cancellation of 5 November 2026" in text and "cancels again" in text
    letter = pdf_text(render_pdf(data))
    assert "habe ich den Vertrag bereits gekündigt" in letter and "nochmals" in letter
