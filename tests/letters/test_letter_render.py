import datetime as dt
import hashlib
import re
import subprocess
import sys
from pathlib import Path

from pypdf.generic import ContentStream

from letters import PostalAddress, SpecialTermination, Statement, render

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# DIN 5008 form B, in mm from the top-left corner.
WINDOW_LEFT, WINDOW_TOP, WINDOW_RIGHT, WINDOW_BOTTOM = 20.0, 45.0, 105.0, 90.0
NOTE_ZONE_BOTTOM = 62.7


def _longest_letter(make_letter):
    return make_letter(
        sender=PostalAddress(("Erika Musterfrau",), "Hauptstraße 1", "10115", "Berlin"),
        contract_number="V-998877",
        requested_end=dt.date(2027, 5, 31),
        confirmation_email="erika@example.org",
        special=SpecialTermination(
            "death",
            preamble=(
                Statement("death_holder", (("died_on", "01.11.2026"), ("holder", "Max Mustermann"))),
                Statement("death_writer", (("relationship", "Tochter"),)),
                Statement("death_certificate_enclosed"),
            ),
            statements=(Statement("death_goodwill"),),
        ),
        enclosures=("death_certificate", "Erbschein (Kopie)"),
        revoke_sepa_mandate=True,
        object_to_advertising=True,
        request_number_porting=True,
        date_of_birth=dt.date(1950, 3, 4),
        customer_password="4711",
        reminder_of=("KB-2026-AAAAAA", dt.date(2026, 11, 1)),
        extra_paragraphs=("Bitte senden Sie alle weiteren Schreiben an meine oben genannte Anschrift.",),
    )


def test_recipient_return_line_and_postal_note_sit_in_the_envelope_window(make_letter, pdf_tools):
    placed = pdf_tools.positioned(render(make_letter()))
    by_text = {text: (x, y) for text, x, y, *_ in placed}

    return_x, return_y = by_text["Max Mustermann · Musterstraße 12 · 10115 Berlin"]
    note_x, note_y = by_text["Einwurf-Einschreiben"]
    assert WINDOW_TOP < return_y < note_y < NOTE_ZONE_BOTTOM
    for line in ("Telefónica Germany GmbH & Co. OHG", "Kundenbetreuung", "Postfach 1234", "90345 Nürnberg"):
        x, y = by_text[line]
        assert abs(x - 25.0) < 0.01
        assert NOTE_ZONE_BOTTOM < y < WINDOW_BOTTOM
    assert by_text["Postfach 1234"][1] < by_text["90345 Nürnberg"][1]
    assert abs(return_x - 25.0) < 0.01 and abs(note_x - 25.0) < 0.01


def test_information_block_holds_reference_and_place_with_date(make_letter, pdf_tools):
    placed = pdf_tools.positioned(render(make_letter()))
    by_text = {text: (x, y) for text, x, y, *_ in placed}
    for text in ("Vorgangsnummer", "KB-2026-7F3K9Q", "Berlin, 26.11.2026"):
        x, y = by_text[text]
        assert abs(x - 125.0) < 0.01
        assert 50.0 <= y < WINDOW_BOTTOM


def test_subject_is_bold_below_the_window_and_without_the_word_betreff(make_letter, pdf_tools):
    pdf = render(make_letter())
    placed = pdf_tools.positioned(pdf)
    subject = [entry for entry in placed if entry[0] == "Kündigung Mobilfunkvertrag"]
    assert len(subject) == 1
    _, x, y, font, _ = subject[0]
    assert abs(x - 25.0) < 0.01 and y > WINDOW_BOTTOM + 8
    assert font.endswith("DejaVuSans-Bold")
    numbers = [entry for entry in placed if entry[0].startswith("Kundennummer 123456789")]
    assert numbers and numbers[0][3].endswith("DejaVuSans-Bold")
    salutation = [entry for entry in placed if entry[0] == "Sehr geehrte Damen und Herren,"]
    assert salutation[0][3].endswith("DejaVuSans") and salutation[0][2] > y
    assert "Betreff" not in pdf_tools.flat(pdf)


def test_fold_and_hole_marks_on_the_left_edge(make_letter, pdf_tools):
    pdf = render(make_letter())
    reader = pdf_tools.reader(pdf)
    page = reader.pages[0]
    operations = ContentStream(page.get_contents(), reader).operations
    starts = [
        (float(operands[0]) / 72 * 25.4, 297 - float(operands[1]) / 72 * 25.4)
        for operands, operator in operations
        if operator == b"m"
    ]
    edge_marks = sorted(round(y, 1) for x, y in starts if x < 10)
    assert edge_marks == [105.0, 148.5, 210.0]


def test_all_text_stays_inside_the_margins(make_letter, pdf_tools):
    pdf = render(_longest_letter(make_letter))
    for page in range(len(pdf_tools.reader(pdf).pages)):
        for entry in pdf_tools.positioned(pdf, page):
            text, x, y, *_ = entry
            assert x >= 20.0
            assert pdf_tools.right_edge(entry) <= 190.01, text
            assert 10.0 <= y <= 288.0, text


def test_normal_contract_and_option_letters_fit_on_one_page(make_letter, pdf_tools):
    full_identification = dict(
        contract_number="V-998877",
        confirmation_email="max@example.org",
        date_of_birth=dt.date(1980, 2, 1),
        customer_password="4711",
        requested_end=dt.date(2027, 5, 31),
    )
    for letter in (
        make_letter(),
        make_letter(subject_kind="option", subject_label="Datenpaket XL"),
        make_letter(**full_identification),
        make_letter(subject_kind="option", subject_label="Datenpaket XL", **full_identification),
    ):
        pdf = render(letter)
        assert len(pdf_tools.reader(pdf).pages) == 1
        text = pdf_tools.flat(pdf)
        assert "Vorgangsnummer KB-2026-7F3K9Q" in text
        assert "Seite 1" not in text


def test_longest_letter_takes_at_most_two_pages_with_numbered_footers(make_letter, pdf_tools):
    pdf = render(_longest_letter(make_letter))
    pages = pdf_tools.pages(pdf)
    assert len(pages) == 2
    for number, page_text in enumerate(pages, start=1):
        assert "Vorgangsnummer KB-2026-7F3K9Q" in page_text
        assert f"Seite {number} von 2" in page_text


def test_metadata_names_subject_reference_and_sender(make_letter, pdf_tools):
    metadata = pdf_tools.reader(render(make_letter())).metadata
    assert metadata.title == "Kündigung Mobilfunkvertrag – KB-2026-7F3K9Q"
    assert metadata.author == "Max Mustermann"
    assert metadata.subject == "Kündigungsschreiben an Telefónica Germany GmbH & Co. OHG"
    assert metadata.creator == "Kündigungsassistent (letters.render)"
    option = pdf_tools.reader(render(make_letter(subject_kind="option", subject_label="Datenpaket XL")))
    assert option.metadata.title == "Kündigung der Option „Datenpaket XL“ – KB-2026-7F3K9Q"


def test_same_data_gives_identical_bytes_also_in_a_fresh_process(make_letter):
    letter = _longest_letter(make_letter)
    first = render(letter)
    assert render(letter) == first
    assert render(make_letter(customer_number="123456780")) != render(make_letter())
    script = (
        "import datetime as dt, hashlib, sys\n"
        "sys.path.insert(0, 'tests/letters')\n"
        "from letters import render, PostalAddress\n"
        "from test_letter_render import _longest_letter\n"
        "from conftest import _base_letter\n"
        "import dataclasses\n"
        "make = lambda **c: dataclasses.replace(_base_letter(), **c)\n"
        "print(hashlib.sha256(render(_longest_letter(make))).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == hashlib.sha256(first).hexdigest()


def test_importing_the_package_does_not_load_reportlab():
    script = "import sys, letters; print('reportlab' in sys.modules, callable(letters.render))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def test_user_text_is_printed_literally_never_as_markup(make_letter, pdf_tools):
    hostile = ("<b>x</b>", "<script>alert(1)</script>", "&amp;", "<font color=red>rot</font>")
    letter = make_letter(
        sender=PostalAddress(("Max <b>x</b> Mustermann",), "Musterstraße 12 &amp;", "10115", "Berlin"),
        holder_name="Max <b>x</b> Mustermann",
        subject_kind="option",
        subject_label="<font color=red>rot</font>",
        extra_paragraphs=hostile,
    )
    text = pdf_tools.flat(render(letter))
    for fragment in hostile:
        assert fragment in text
    assert "Kündigung der Option „<font color=red>rot</font>“" in text
    assert "Max <b>x</b> Mustermann" in text


def test_ten_thousand_character_inputs_still_give_a_readable_pdf(make_letter, pdf_tools):
    long_name = "A" * 10_000
    long_street = "Straße " * 1_430
    letter = make_letter(
        sender=PostalAddress((long_name,), long_street, "10115", "Berlin"),
        holder_name=long_name,
        recipient=PostalAddress(("B" * 10_000,), "Postfach 1234", "90345", "Nürnberg"),
        place="C" * 10_000,
        customer_number="9" * 10_000,
        extra_paragraphs=("D" * 10_000,),
    )
    pdf = render(letter)
    assert pdf.startswith(b"%PDF")
    page_count = len(pdf_tools.reader(pdf).pages)
    footer = re.compile(r"Vorgangsnummer KB-2026-7F3K9Q|Seite \d+ von \d+")
    joined = "".join("".join(footer.sub("", page) for page in pdf_tools.pages(pdf)).split())
    # Fixed-size fields are cut, but the name, number and paragraph are printed in full in the body.
    assert long_name in joined and "9" * 10_000 in joined and "D" * 10_000 in joined
    for page in range(page_count):
        for entry in pdf_tools.positioned(pdf, page):
            assert pdf_tools.right_edge(entry) <= 190.01
            assert 10.0 <= entry[2] <= 288.0
    placed = pdf_tools.positioned(pdf)
    window = [entry for entry in placed if WINDOW_TOP < entry[2] < WINDOW_BOTTOM and entry[1] < 110]
    assert any(text == "90345 Nürnberg" for text, *_ in window)
    assert any(text.startswith("BBB") and text.endswith("…") for text, *_ in window)
    date_line = [text for text, x, *_ in placed if x > 120 and text.endswith("26.11.2026")]
    assert date_line and date_line[0].startswith("CCC")


def test_recipient_with_too_many_lines_keeps_street_and_city_within_six_lines(make_letter, pdf_tools):
    recipient = PostalAddress(tuple(f"Zeile {n}" for n in range(1, 9)), "Postfach 1234", "90345", "Nürnberg")
    placed = pdf_tools.positioned(render(make_letter(recipient=recipient)))
    recipient_lines = [
        text for text, x, y, *_ in placed if NOTE_ZONE_BOTTOM < y < WINDOW_BOTTOM and x < WINDOW_RIGHT
    ]
    assert len(recipient_lines) == 6
    assert recipient_lines[-2:] == ["Postfach 1234", "90345 Nürnberg"]
    assert recipient_lines[0] == "Zeile 1"
    assert recipient_lines[3].startswith("Zeile 4, Zeile 5")


def test_a_foreign_recipient_ends_with_the_country_also_when_lines_are_merged(make_letter, pdf_tools):
    recipient = PostalAddress(
        tuple(f"Zeile {n}" for n in range(1, 6)), "Regeringsgatan 19", "111 53", "Stockholm", country="SCHWEDEN"
    )
    placed = pdf_tools.positioned(render(make_letter(recipient=recipient)))
    recipient_lines = [
        text for text, x, y, *_ in placed if NOTE_ZONE_BOTTOM < y < WINDOW_BOTTOM and x < WINDOW_RIGHT
    ]
    assert len(recipient_lines) == 6
    assert recipient_lines[-3:] == ["Regeringsgatan 19", "111 53 Stockholm", "SCHWEDEN"]
    assert recipient_lines[2].startswith("Zeile 3, Zeile 4")


def test_letters_rendered_in_parallel_threads_are_identical_to_sequential_ones(make_letter):
    from concurrent.futures import ThreadPoolExecutor

    names = ("Nguyễn Thị Minh Khai", "Zoë Ñúñez-Łukaszewicz", "Ђорђе Петровић", "Γεώργιος Παπαδόπουλος")
    letters = [
        make_letter(
            sender=PostalAddress((names[n % 4],), "Musterstraße 12", "10115", "Berlin"),
            holder_name=names[n % 4],
            customer_number=str(100000 + n),
        )
        for n in range(40)
    ]
    sequential = [render(letter) for letter in letters]
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, as a busy server would
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            parallel = list(pool.map(render, letters))
    finally:
        sys.setswitchinterval(previous_interval)
    assert parallel == sequential
