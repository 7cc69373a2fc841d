from __future__ import annotations

import re
from datetime import datetime, timezone

from cancellation.log.references import new_reference, normalise_reference


def test_new_reference_has_year_and_six_crockford_characters():
    reference = new_reference(datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc))
    assert re.fullmatch(r"KB-2026-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}", reference)


def test_new_references_differ():
    now = datetime.now(timezone.utc)
    assert len({new_reference(now) for _ in range(200)}) == 200


def test_typed_references_are_normalised():
    assert normalise_reference(" kb-2026-7f3k9q ") == "KB-2026-7F3K9Q"
    assert normalise_reference("KB 2026 7F3K 9Q") == "KB-2026-7F3K9Q"
    assert normalise_reference("KB-2026-7F3K9O") == "KB-2026-7F3K90"  # O read as zero
    assert normalise_reference("KB-2026-7F3K9U") is None  # U is not in the alphabet
    assert normalise_reference("KB-26-7F3K9Q") is None
    assert normalise_reference("") is None


def test_find_reference_in_a_message():
    from cancellation.log.references import find_reference

    assert find_reference("wie ist der Stand bei kb-2026-7f3k9q?") == "KB-2026-7F3K9Q"
    assert find_reference("Vorgang KB 2026 7F3K9Q bitte") == "KB-2026-7F3K9Q"
    assert find_reference("keine Nummer hier") is None
