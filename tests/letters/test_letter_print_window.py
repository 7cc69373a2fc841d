"""The letter goes into LetterXpress' window envelopes unchanged: the service reads the recipient
from the PDF, so it must sit inside the window and be machine-readable.

Sources (docs/DISPATCH.md, "Address window"): LetterXpress posts in window envelopes with the
standard fold and refers to DIN 5008 and Deutsche Post's rules ("Briefe richtig adressieren",
letterxpress.de/news/briefe-richtig-adressieren); its address guidelines ask for a regular
standard font of 10 to 12 pt (letterxpress.de/richtlinien-zur-adressgestaltung). DIN 5008 form B:
window 20 mm from the left, 45 mm from the top, 85 x 45 mm; the postal notes zone is its first
17.7 mm, the recipient zone the 27.3 mm below, text from the 25 mm margin line.
"""

from __future__ import annotations

import pytest

import letters
from letters import PostalAddress
from letters import din5008 as din

from tests.letters.conftest import positioned_text, right_edge

WINDOW_LEFT = din.ADDRESS_FIELD_LEFT
WINDOW_RIGHT = din.ADDRESS_FIELD_LEFT + din.ADDRESS_FIELD_WIDTH
WINDOW_TOP = din.ADDRESS_FIELD_TOP
WINDOW_BOTTOM = din.ADDRESS_FIELD_TOP + din.ADDRESS_FIELD_HEIGHT
RECIPIENT_TOP = WINDOW_TOP + din.NOTE_ZONE_HEIGHT
# Cap height of DejaVu Sans is 0.73 em: the top of a line is that far above its baseline.
CAP_HEIGHT_EM = 0.73
PT_TO_MM = 25.4 / 72

LONG_RECIPIENT = PostalAddress(
    ("Telefónica Germany GmbH & Co. OHG", "Kundenbetreuung Kündigungen", "Abteilung Vertragsende"),
    "Georg-Brauchle-Ring 50 Gebäude B", "80992", "München",
)


def window_lines(pdf: bytes):
    return [entry for entry in positioned_text(pdf)
            if entry[1] < WINDOW_RIGHT and WINDOW_TOP <= entry[2] <= WINDOW_BOTTOM]


@pytest.mark.parametrize("recipient", [None, LONG_RECIPIENT], ids=["usual", "long"])
def test_recipient_sits_inside_the_window_in_a_readable_size(make_letter, recipient):
    letter = make_letter() if recipient is None else make_letter(recipient=recipient)
    pdf = letters.render(letter)
    address = letter.recipient
    expected = [*address.lines, address.street, f"{address.postcode} {address.city}"]
    drawn = [entry for entry in window_lines(pdf) if entry[2] > RECIPIENT_TOP]
    assert [entry[0] for entry in drawn] == expected
    for text, x, baseline, _, size in drawn:
        assert 10 <= size <= 12, text
        top = baseline - size * CAP_HEIGHT_EM * PT_TO_MM
        assert RECIPIENT_TOP <= top and baseline <= WINDOW_BOTTOM, text
        assert x >= WINDOW_LEFT + din.ADDRESS_FIELD_TEXT_INSET - 0.01, text
        assert right_edge((text, x, baseline, _, size)) <= WINDOW_RIGHT, text


def test_only_return_line_and_einschreiben_note_above_the_recipient(make_letter):
    pdf = letters.render(make_letter())
    above = [entry[0] for entry in window_lines(pdf) if entry[2] <= RECIPIENT_TOP]
    assert above == ["Max Mustermann · Musterstraße 12 · 10115 Berlin", "Einwurf-Einschreiben"]


def test_a_long_company_name_wraps_in_the_window_instead_of_losing_its_legal_form(make_letter):
    sky = PostalAddress(
        ("Sky Deutschland Fernsehen GmbH & Co. KG", "Kundenservice"), "Postfach 1234", "85773",
        "Unterföhring",
    )
    pdf = letters.render(make_letter(recipient=sky))
    drawn = [entry for entry in window_lines(pdf) if entry[2] > RECIPIENT_TOP]
    texts = [entry[0] for entry in drawn]
    assert "…" not in " ".join(texts)
    assert " ".join(texts[:-2]) == "Sky Deutschland Fernsehen GmbH & Co. KG Kundenservice"
    assert texts[-2:] == ["Postfach 1234", "85773 Unterföhring"]
    for entry in drawn:
        assert right_edge(entry) <= WINDOW_RIGHT, entry[0]


def test_a_sender_abroad_has_the_country_in_the_return_line_and_the_letterhead(make_letter):
    sender = PostalAddress(("Max Mustermann",), "Via Roma 3", "39100", "Bozen", "ITALIEN")
    pdf = letters.render(make_letter(sender=sender, place="Bozen"))
    above = [entry[0] for entry in window_lines(pdf) if entry[2] <= RECIPIENT_TOP]
    assert any(line.endswith("39100 Bozen · ITALIEN") for line in above), above
    head = [entry[0] for entry in positioned_text(pdf) if entry[2] < WINDOW_TOP]
    assert "Via Roma 3 · 39100 Bozen · ITALIEN" in head, head
