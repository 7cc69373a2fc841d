import dataclasses
import hashlib
import re

import pytest

from letters.evidence import EvidenceEntry, EvidenceReport, render_evidence_report

LETTER_HASH = hashlib.sha256(b"letter").hexdigest()


def entry(number: int, **changes) -> EvidenceEntry:
    values = dict(
        time_text=f"26.11.2026, 11:{number:02d} Uhr",
        kind="letter_created",
        description=f"Schreiben Nummer {number} erstellt",
        entry_hash=hashlib.sha256(str(number).encode()).hexdigest(),
    )
    values.update(changes)
    return EvidenceEntry(**values)


def report(entries, **changes) -> EvidenceReport:
    values = dict(
        reference="KB-2026-7F3K9Q",
        generated_text="26.11.2026, 13:30 Uhr (deutsche Zeit)",
        provider="Telefónica Germany GmbH & Co. OHG",
        subject="Kündigung Mobilfunkvertrag",
        requested_end_text="zum nächstmöglichen Zeitpunkt",
        status="versandt",
        letter_sha256=LETTER_HASH,
        entries=tuple(entries),
        verification_text="geprüft gegen die Hash-Kette, Stand 26.11.2026, 13:29 Uhr "
        "(deutsche Zeit); Kette intakt bis Eintrag #3",
    )
    values.update(changes)
    return EvidenceReport(**values)


def test_report_lists_every_entry_the_letter_hash_and_how_to_check_it(pdf_tools):
    entries = [entry(n) for n in range(1, 4)]
    pdf = render_evidence_report(report(entries))
    text = pdf_tools.flat(pdf)
    assert text.startswith("Nachweis zu Vorgang KB-2026-7F3K9Q")
    assert ("Alle Angaben geprüft gegen die Hash-Kette, Stand 26.11.2026, 13:29 Uhr "
            "(deutsche Zeit); Kette intakt bis Eintrag #3.") in text
    assert f"SHA-256 des Schreibens: {LETTER_HASH}" in text
    for item in entries:
        assert item.description in text
        assert f"Hash: {item.entry_hash}" in text
    assert "26.11.2026, 11:01 Uhr" in text
    assert "Erstellt am: 26.11.2026, 13:30 Uhr (deutsche Zeit)" in text
    assert "Hash-Kette" in text and "sha256sum" in text and "Auslieferungsbeleg" in text
    assert len(pdf_tools.reader(pdf).pages) == 1


def test_long_logs_continue_on_further_pages_with_page_numbers(pdf_tools):
    entries = [entry(n, description="Beschreibung " * (n % 7) + f"Eintrag {n}") for n in range(1, 61)]
    pdf = render_evidence_report(report(entries))
    pages = pdf_tools.pages(pdf)
    assert len(pages) >= 3
    for number, page_text in enumerate(pages, start=1):
        assert "Nachweis zu Vorgang KB-2026-7F3K9Q" in page_text
        assert f"Seite {number} von {len(pages)}" in page_text
        assert "Zeitpunkt (dt. Zeit)" in page_text  # the table header repeats
    text = pdf_tools.flat(pdf)
    found = [int(n) for n in re.findall(r"Eintrag (\d+)", text)]
    assert found == list(range(1, 61))


def test_text_is_printed_literally_and_output_is_deterministic(pdf_tools):
    description = "<script>alert(1)</script> &amp; <font color=red>"
    hostile = report([entry(1, kind="<b>x</b>", description=description)])
    pdf = render_evidence_report(hostile)
    text = pdf_tools.flat(pdf)
    for fragment in ("<b>x</b>", "<script>alert(1)</script>", "&amp;", "<font color=red>"):
        assert fragment in text
    assert render_evidence_report(hostile) == pdf


def test_metadata(pdf_tools):
    metadata = pdf_tools.reader(render_evidence_report(report([entry(1)]))).metadata
    assert metadata.title == "Nachweis zu Vorgang KB-2026-7F3K9Q"
    assert metadata.subject == "Kündigung Mobilfunkvertrag – Telefónica Germany GmbH & Co. OHG"
    assert metadata.creator == "Kündigungsassistent (letters.evidence)"
    assert metadata.author


def test_report_data_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        report([]).status = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry(1).description = "x"  # type: ignore[misc]


def test_report_without_entries_and_huge_description_still_renders(pdf_tools):
    assert "Keine Einträge." in pdf_tools.flat(render_evidence_report(report([])))
    huge = render_evidence_report(report([entry(1, description="X" * 20_000)]))
    joined = "".join(pdf_tools.flat(huge).split())
    assert "X" * 2_000 in joined
    for page in range(len(pdf_tools.reader(huge).pages)):
        for placed in pdf_tools.positioned(huge, page):
            assert pdf_tools.right_edge(placed) <= 190.01
