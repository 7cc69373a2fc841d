"""What the user hears after deleting their data: counted in real German and English."""

import pytest

from cancellation.forgetting import forget_message
from cancellation.texts import render


@pytest.mark.parametrize(
    "count, german, english",
    [(1, "Ihren Vorgang samt Schreiben gelöscht", "your case including its letters"),
     (3, "(3 Vorgänge)", "(3 cases)")],
)
def test_the_number_of_deleted_cases_is_in_singular_or_plural(count, german, english):
    # Hand-test: "(3 Vorgang/Vorgänge)".
    assert german in render(forget_message(count, True), "de")
    assert english in render(forget_message(count, True), "en")
