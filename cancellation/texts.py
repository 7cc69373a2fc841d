"""The text catalogue: every sentence the assistant says, in German and English, in one place.

The place is the Rasa domain's responses (`bot/domain/responses/*.yml`). Each response has a
German variation without condition (the default) and an English variation with the condition
`{type: slot, name: language, value: en}`, so Rasa renders the responses its rules and forms
utter in the conversation's language by itself. Code that composes a message (the summary, a
deadline answer, a validation error) renders the same responses here, in the action server or
the CLI: the domain core returns `Message`s (a response name and its parameters) and never a
sentence, and `render` turns them into text for one language.

Placeholders are `{name}` as in Rasa. Parameters may be strings, numbers, dates (written the way
the language writes dates), other `Message`s (rendered in the same language) or lists of those
(one per line).
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import yaml

from cancellation.vocabulary import DEFAULT_LANGUAGE, Language

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIR = PROJECT_ROOT / "bot" / "domain" / "responses"
LANGUAGE_SLOT = "language"

_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DE_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)


class CatalogueError(LookupError):
    """A response name or placeholder the catalogue does not have."""


@dataclass(frozen=True)
class Message:
    """Something to say, not yet in a language: a response name and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.key.startswith("utter_"):
            raise ValueError(f"response names start with utter_: {self.key!r}")


@dataclass(frozen=True)
class MonthOfYear:
    """A month as a parameter: "März 2024" in German, "March 2024" in English."""

    year: int
    month: int


def say(key: str, **params: Any) -> Message:
    """`say("utter_ask_provider_address", provider="o2")`"""
    return Message(key, params)


Renderable = Union[Message, str, Sequence[Union[Message, str]]]


@dataclass(frozen=True)
class Variation:
    text: str
    buttons: Tuple[Mapping[str, str], ...] = ()


class Catalogue:
    """The responses of the domain, by name and language."""

    def __init__(self, responses: Mapping[str, Mapping[Language, Variation]]) -> None:
        self._responses = dict(responses)

    @classmethod
    def load(cls, directory: Path = CATALOGUE_DIR) -> "Catalogue":
        responses: Dict[str, Dict[Language, Variation]] = {}
        for path in sorted(directory.glob("*.yml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for name, variations in (document.get("responses") or {}).items():
                if name in responses:
                    raise CatalogueError(f"{path.name}: response {name} is defined twice")
                responses[name] = _by_language(name, variations)
        return cls(responses)

    @property
    def names(self) -> Tuple[str, ...]:
        return tuple(sorted(self._responses))

    def languages(self, key: str) -> Tuple[Language, ...]:
        return tuple(self._variations(key))

    def variation(self, key: str, language: Language) -> Variation:
        variations = self._variations(key)
        return variations.get(language) or variations[DEFAULT_LANGUAGE]

    def text(self, key: str, language: Language = DEFAULT_LANGUAGE, **params: Any) -> str:
        return self.render(Message(key, params), language)

    def buttons(self, key: str, language: Language = DEFAULT_LANGUAGE) -> List[Dict[str, str]]:
        return [dict(button) for button in self.variation(key, language).buttons]

    def render(self, what: Renderable, language: Optional[Language | str] = None) -> str:
        language = language_of(language)
        if isinstance(what, str):
            return what
        if isinstance(what, Message):
            template = self.variation(what.key, language).text
            values = {name: self._value(value, language) for name, value in what.params.items()}
            return _fill(what.key, template, values)
        return "\n".join(self.render(part, language) for part in what)

    def _value(self, value: Any, language: Language) -> str:
        if isinstance(value, (Message, list, tuple)):
            return self.render(value, language)
        if isinstance(value, dt.datetime):
            return format_date(value.date(), language)
        if isinstance(value, dt.date):
            return format_date(value, language)
        if isinstance(value, MonthOfYear):
            names = _EN_MONTHS if language is Language.EN else _DE_MONTHS
            return f"{names[value.month - 1]} {value.year}"
        return "" if value is None else str(value)

    def _variations(self, key: str) -> Mapping[Language, Variation]:
        try:
            return self._responses[key]
        except KeyError:
            raise CatalogueError(f"no response named {key!r} in {CATALOGUE_DIR}") from None


def _by_language(name: str, variations: Iterable[Mapping[str, Any]]) -> Dict[Language, Variation]:
    found: Dict[Language, Variation] = {}
    for variation in variations or ():
        language = DEFAULT_LANGUAGE
        for condition in variation.get("condition") or ():
            if condition.get("name") == LANGUAGE_SLOT:
                language = Language(condition["value"])
        if language in found:
            raise CatalogueError(f"response {name} has two variations for {language.value}")
        buttons = tuple(
            {"title": str(button["title"]), "payload": str(button["payload"])}
            for button in variation.get("buttons") or ()
        )
        found[language] = Variation(text=str(variation.get("text") or ""), buttons=buttons)
    if DEFAULT_LANGUAGE not in found:
        raise CatalogueError(f"response {name} has no German (unconditioned) variation")
    return found


def _fill(key: str, template: str, values: Mapping[str, str]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Strict(key, values))
    except (ValueError, IndexError) as error:
        raise CatalogueError(f"{key}: bad template {template!r}: {error}") from None


class _Strict(dict):
    """Placeholders must all be given: a missing one is a bug, not an empty string."""

    def __init__(self, key: str, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self._key = key

    def __missing__(self, name: str) -> str:
        raise CatalogueError(f"{self._key}: no value for placeholder {{{name}}}")


def placeholders(template: str) -> Tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def language_of(value: Any) -> Language:
    """The language for a slot value (None or anything unknown: German)."""
    return Language.parse(value) or DEFAULT_LANGUAGE  # type: ignore[return-value]


def format_date(day: dt.date, language: Language | str = DEFAULT_LANGUAGE) -> str:
    """31.05.2027 in German, 31 May 2027 in English."""
    if language_of(language) is Language.EN:
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d.%m.%Y")


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The process-wide catalogue, read once on first use."""
    return Catalogue.load()


def render(what: Renderable, language: Optional[Language | str] = None) -> str:
    return catalogue().render(what, language)


def text(key: str, language: Optional[Language | str] = None, **params: Any) -> str:
    return catalogue().render(Message(key, params), language)
