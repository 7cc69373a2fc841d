import datetime as dt

from cancellation.interview import ASAP, SKIPPED
from cancellation.letter_request import build_letter_data, personal_data
from cancellation.providers import load_directory
from cancellation.summary import summary_text

ANSWERS = {
    "subject_kind": "contract",
    "provider": "o2",
    "provider_key": "o2",
    "contract_type": "mobile",
    "full_name": "Nguyễn Thị Minh Khai",
    "street": "Musterstraße 5",
    "postcode": "10115",
    "city": "Berlin",
    "customer_number": "123456789",
    "contract_reference": "0176 12345678",
    "phone_number": "0176 12345678",
    "end_date": ASAP,
    "email": SKIPPED,
}


def test_letter_data_from_answers_with_directory_address():
    provider = load_directory().get("o2")
    data = build_letter_data(ANSWERS, provider, reference="KB-2026-ABCDEF", today=dt.date(2026, 11, 26))
    assert data.sender.lines == ("Nguyễn Thị Minh Khai",)
    assert data.recipient.postcode == provider.address.postcode
    assert provider.legal_entity in data.recipient.lines
    assert data.subject_label == "Mobilfunkvertrag"
    assert data.requested_end is None
    assert data.confirmation_email is None  # skipped
    assert data.phone_number == "0176 12345678"


def test_letter_data_for_an_option_with_date_and_own_address():
    answers = dict(
        ANSWERS,
        subject_kind="option",
        option_name="Multicard",
        provider="Fit AG",
        provider_key=None,
        provider_address={"lines": ["Fit AG"], "street": "Postfach 1", "postcode": "12345", "city": "Ort"},
        end_date="2027-05-31",
    )
    data = build_letter_data(answers, None, reference="KB-2026-ABCDEF", today=dt.date(2026, 11, 26))
    assert data.subject_kind == "option" and data.subject_label == "Multicard"
    assert data.requested_end == dt.date(2027, 5, 31)
    assert data.recipient.lines == ("Fit AG",) and data.recipient.street == "Postfach 1"


def test_personal_data_leaves_out_skipped_answers():
    stored = personal_data(ANSWERS)
    assert stored["full_name"] == "Nguyễn Thị Minh Khai"
    assert "email" not in stored


def test_summary_names_every_answer_and_the_directory_sources_date():
    provider = load_directory().get("o2")
    text = summary_text(ANSWERS, provider)
    for expected in ("Mobilfunkvertrag", "Nguyễn Thị Minh Khai", "Musterstraße 5, 10115 Berlin", "123456789",
                     "0176 12345678", "zum nächstmöglichen Zeitpunkt", "letzten Rechnung",
                     "laut sparhandy.de, postclic.com (de-at), Stand 01/2026"):
        assert expected in text


def test_summary_escapes_markdown_for_the_web_widget():
    from cancellation.summary import markdown_escape

    answers = dict(ANSWERS, full_name="[klick](javascript:alert(1)) *fett*")
    text = summary_text(answers, None, escape=markdown_escape)
    assert "[klick](javascript" not in text and "\\[klick\\]\\(javascript" in text
    assert "[klick](javascript:alert(1))" in summary_text(answers, None)  # other channels: verbatim


def test_summary_names_a_special_termination_and_its_enclosures():
    answers = dict(
        ANSWERS,
        special_termination={
            "ground": "price_change",
            "terms": "without_notice",
            "legal_basis": "§ 57 Abs. 1 TKG",
            "enclosures": ["change_notice"],
        },
    )
    text = summary_text(answers, None)
    assert "außerordentlich (§ 57 Abs. 1 TKG), hilfsweise ordentlich" in text
    assert "Anlagen: eine Kopie der Mitteilung über die Vertragsänderung" in text
    assert "change_notice" not in text


def test_summary_of_a_death_case_says_the_letter_cancels_ordinarily():
    answers = dict(
        ANSWERS,
        special_termination={"ground": "death", "terms": "", "legal_basis": "", "holder_name": "Hans Muster",
                             "enclosures": ["death_certificate"]},
    )
    text = summary_text(answers, None)
    assert "ordentlich zum nächstmöglichen Zeitpunkt, mit der Bitte, den Vertrag wegen des Todesfalls" in text
    assert "außerordentlich" not in text
    assert "Hans Muster" in text and "Sterbeurkunde" in text


def test_a_sender_abroad_gets_the_country_line_in_the_letter_and_the_summary():
    # Found by an independent hand-test: "Via Roma 3, 39100 Bozen, Italien" lost its country, so
    # the provider's answer could not reach the user.
    answers = dict(ANSWERS, street="Via Roma 3", postcode="39100", city="Bozen", country="Italien")
    provider = load_directory().get("o2")
    data = build_letter_data(answers, provider, reference="KB-2026-ABCDEF", today=dt.date(2026, 11, 26))
    assert (data.sender.postcode, data.sender.city, data.sender.country) == ("39100", "Bozen", "ITALIEN")
    assert data.place == "Bozen"
    assert "Via Roma 3, 39100 Bozen, Italien" in summary_text(answers, provider)
    assert personal_data(answers)["country"] == "Italien"
    home = build_letter_data(ANSWERS, provider, reference="KB-2026-ABCDEF", today=dt.date(2026, 11, 26))
    assert home.sender.country == ""
    # Hand-test item 19: Deutsche Post's Einwurf-Einschreiben cannot be posted from abroad.
    assert data.postal_note == "Einschreiben – Recommandé" and "Einwurf" not in data.postal_note
    assert home.postal_note == "Einwurf-Einschreiben"


def test_a_cancellation_made_elsewhere_is_referred_to_only_in_a_letter_to_that_provider():
    # hand-test item 10: "vor 3 Wochen bei o2 gekündigt, keine Bestätigung", then the letter
    earlier = {"on": "2026-11-05", "provider_key": "o2", "provider": "o2"}
    today = dt.date(2026, 11, 26)
    o2 = load_directory().get("o2")
    data = build_letter_data(dict(ANSWERS, earlier_cancellation=earlier), o2, reference="KB-2026-ABCDEF", today=today)
    assert data.earlier_cancellation is not None and data.earlier_cancellation.on == dt.date(2026, 11, 5)
    unnamed = build_letter_data(dict(ANSWERS, earlier_cancellation={"on": None, "provider_key": None, "provider": None}),
                                o2, reference="KB-2026-ABCDEF", today=today)
    assert unnamed.earlier_cancellation is not None and unnamed.earlier_cancellation.on is None
    other = dict(ANSWERS, provider="Vodafone", provider_key="vodafone", earlier_cancellation=earlier)
    assert build_letter_data(other, o2, reference="KB-2026-ABCDEF", today=today).earlier_cancellation is None
    assert build_letter_data(ANSWERS, o2, reference="KB-2026-ABCDEF", today=today).earlier_cancellation is None
