"""The text catalogue: every response in both languages, every name code uses exists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cancellation import texts
from cancellation.texts import Catalogue, CatalogueError, Message, format_date, placeholders, say
from cancellation.vocabulary import Language

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("actions", "bot", "cancellation", "letters")
# A response name in code: a complete literal like "utter_greet" (not a prefix ending in "_").
LITERAL_NAME = re.compile(r"""["'](utter_[a-z0-9_]*[a-z0-9])["']""")
RULE_STEP = re.compile(r"^\s*-\s*action:\s*(utter_[a-z0-9_]+)\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def _code_names() -> set[str]:
    names = set()
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            names.update(LITERAL_NAME.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "data").rglob("*.yml"):
        names.update(RULE_STEP.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_response_has_german_and_english(catalogue: Catalogue) -> None:
    missing = [name for name in catalogue.names if Language.EN not in catalogue.languages(name)]
    assert not missing, f"responses without an English variation: {missing}"


def test_both_languages_take_the_same_placeholders_and_buttons(catalogue: Catalogue) -> None:
    for name in catalogue.names:
        german = catalogue.variation(name, Language.DE)
        english = catalogue.variation(name, Language.EN)
        assert set(placeholders(german.text)) == set(placeholders(english.text)), name
        assert [b["payload"] for b in german.buttons] == [b["payload"] for b in english.buttons], name


def test_every_name_used_in_code_and_rules_exists(catalogue: Catalogue) -> None:
    unknown = sorted(_code_names() - set(catalogue.names))
    assert not unknown, f"used but not in bot/domain/responses: {unknown}"


def test_render_fills_placeholders_in_the_requested_language() -> None:
    catalogue = Catalogue(
        {
            "utter_x": {
                Language.DE: texts.Variation("Zum {day} bei {who}."),
                Language.EN: texts.Variation("By {day} with {who}."),
            }
        }
    )
    message = say("utter_x", day=dt.date(2027, 5, 31), who="o2")
    assert catalogue.render(message, Language.DE) == "Zum 31.05.2027 bei o2."
    assert catalogue.render(message, "en") == "By 31 May 2027 with o2."
    assert catalogue.render(message, None) == "Zum 31.05.2027 bei o2."
    assert catalogue.render([message, "plain"], "en") == "By 31 May 2027 with o2.\nplain"


def test_a_missing_placeholder_or_name_is_an_error_not_an_empty_text() -> None:
    catalogue = Catalogue({"utter_x": {Language.DE: texts.Variation("Hallo {name}")}})
    with pytest.raises(CatalogueError):
        catalogue.render(say("utter_x"), Language.DE)
    with pytest.raises(CatalogueError):
        catalogue.render(say("utter_unknown"), Language.DE)
    with pytest.raises(ValueError):
        Message("greet")


def test_dates_are_written_the_way_each_language_writes_them() -> None:
    assert format_date(dt.date(2026, 3, 1), Language.DE) == "01.03.2026"
    assert format_date(dt.date(2026, 3, 1), Language.EN) == "1 March 2026"
