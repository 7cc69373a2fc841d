from reportlab.pdfbase import pdfmetrics

from letters import PostalAddress, render
from letters.fonts import (
    BOLD,
    BOLD_FILE,
    FONT_DIR,
    REGULAR,
    REGULAR_FILE,
    registered_fonts,
    unsupported_characters,
)

NAMES = ("Nguyễn Thị Minh Khai", "Zoë Ñúñez-Łukaszewicz", "Ђорђе Петровић", "Γεώργιος Παπαδόπουλος")


def test_every_character_of_international_names_has_a_glyph_in_both_weights():
    registered_fonts()
    for font_name in (REGULAR, BOLD):
        char_to_glyph = pdfmetrics_face(font_name).charToGlyph
        for name in NAMES:
            for char in name:
                assert ord(char) in char_to_glyph, (font_name, char)
                assert char_to_glyph[ord(char)] != 0, (font_name, char)  # 0 is the "missing" box
            assert unsupported_characters(name, font_name) == frozenset()


def pdfmetrics_face(font_name):
    return pdfmetrics.getFont(font_name).face


def test_characters_outside_the_font_are_reported():
    assert unsupported_characters("Max 山田") == frozenset({"山", "田"})


def test_international_names_come_out_of_the_pdf_as_typed(make_letter, pdf_tools):
    for name in NAMES:
        sender = PostalAddress((name,), "Musterstraße 12", "10115", "Berlin")
        letter = make_letter(sender=sender, holder_name=name)
        text = pdf_tools.flat(render(letter))
        assert f"Name: {name}" in text
        assert f"Mit freundlichen Grüßen {name}" in text


def test_fonts_and_their_licence_ship_inside_the_package():
    assert REGULAR_FILE.parent == BOLD_FILE.parent == FONT_DIR
    assert FONT_DIR.parent.name == "letters"
    assert REGULAR_FILE.stat().st_size > 100_000 and BOLD_FILE.stat().st_size > 100_000
    assert "Bitstream Vera" in (FONT_DIR / "LICENSE").read_text()


def test_fonts_are_registered_once():
    assert registered_fonts() is registered_fonts()
    assert pdfmetrics.getFont(REGULAR).face.filename == str(REGULAR_FILE)
