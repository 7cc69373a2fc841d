"""Provider directory: loads providers.yml and finds a provider named in free text.

Run `python -m cancellation.providers --lookup` to print the Rasa NLU lookup
table of all provider names and aliases (committed as data/nlu/lookup_providers.yml).
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from cancellation.provider_records import Hint, IdentificationRule, ProviderAddress, Source

DEFAULT_PATH = Path(__file__).with_name("providers.yml")

CONTRACT_TYPES = (
    "mobile", "dsl", "cable", "fibre", "internet", "landline", "tv", "energy", "gas",
    "gym", "streaming", "press", "insurance", "other",
)

# Short aliases ("o2", "Sky", "EWE") only match exactly: one typo away from
# them lie ordinary German words.
MIN_FUZZY_ALIAS_CHARS = 6
FUZZY_SCORE_CUTOFF = 90.0
MAX_WINDOW_TOKENS = 4


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    legal_entity: str | None
    categories: tuple[str, ...]
    address: ProviderAddress | None
    alternative_addresses: tuple[ProviderAddress, ...]
    fax: str | None
    email: str | None
    online_cancellation_url: str | None
    expects_online_cancellation: bool  # the service is run online; a letter still counts
    has_cancellation_button: bool | None
    identification: IdentificationRule
    hints: tuple[Hint, ...]
    aliases: tuple[str, ...]
    source: Source  # of the address (or of what the entry says, when it has none)
    checked_on: date  # when we last looked at the source
    notes: str  # for maintainers: what else was found, and why it was (not) used

    def address_for(self, contract_type: str | None) -> ProviderAddress | None:
        """Where a letter about `contract_type` goes: the alternative address named for that
        contract type (EWE's energy company), otherwise the provider's address."""
        for alternative in self.alternative_addresses:
            if contract_type in alternative.categories:
                return alternative
        return self.address

    def source_of(self, address: ProviderAddress) -> Source:
        """The source of one of this provider's addresses."""
        return address.source or self.source

    @property
    def names(self) -> tuple[str, ...]:
        """Brand name followed by all aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ProviderMatch:
    provider: Provider
    score: float  # 0..100, 100 = exact (after folding)
    matched_text: str  # the words of the input that matched


def normalise(text: str) -> str:
    """Fold case, umlauts and accents; keep letters, digits, & and + as tokens."""
    lowered = text.casefold().replace("ÿ", "y")
    for umlaut, plain in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss")):
        lowered = lowered.replace(umlaut, plain)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Whitespace squeezed first: `\s*` before `[&+]` on a long run of spaces would be quadratic.
    stripped = re.sub(r" ?([&+]) ?", r"\1", " ".join(stripped.split()))
    stripped = re.sub(r"[^\w&+]+", " ", stripped)
    return " ".join(stripped.replace("_", " ").split())


def _provider(raw: dict) -> Provider:
    key = raw["key"]
    categories = tuple(raw["categories"])
    unknown = set(categories) - set(CONTRACT_TYPES)
    if unknown:
        raise ValueError(f"provider {key}: unknown categories {sorted(unknown)}")
    for alternative in raw.get("alternative_addresses") or ():
        wrong = set(alternative.get("categories") or ()) - set(categories)
        if wrong:
            raise ValueError(f"provider {key}: alternative address for categories it does not serve {sorted(wrong)}")
    checked_on = raw["checked_on"]
    if not isinstance(checked_on, date):
        checked_on = date.fromisoformat(str(checked_on))
    return Provider(
        key=key,
        name=raw["name"],
        legal_entity=raw.get("legal_entity"),
        categories=categories,
        address=ProviderAddress.parse(raw.get("address"), f"provider {key}"),
        alternative_addresses=tuple(
            ProviderAddress.parse(alternative, f"provider {key}, alternative address", own_source=True)
            for alternative in raw.get("alternative_addresses") or ()
        ),
        fax=None if raw.get("fax") is None else str(raw["fax"]),
        email=raw.get("email"),
        online_cancellation_url=raw.get("online_cancellation_url"),
        expects_online_cancellation=bool(raw.get("expects_online_cancellation", False)),
        has_cancellation_button=raw.get("has_cancellation_button"),
        identification=IdentificationRule.parse(raw.get("identification"), f"provider {key}"),
        hints=tuple(Hint(hint) for hint in raw.get("hints") or ()),
        aliases=tuple(str(alias) for alias in raw.get("aliases") or ()),
        source=Source.parse(raw, f"provider {key}"),
        checked_on=checked_on,
        notes=" ".join(str(raw.get("notes") or "").split()),
    )


class Directory:
    """All providers, with lookup by key and fuzzy matching of free text."""

    def __init__(self, providers: tuple[Provider, ...]) -> None:
        self.providers = providers
        self._by_key = {provider.key: provider for provider in providers}
        if len(self._by_key) != len(providers):
            raise ValueError("duplicate provider keys in the directory")
        index: dict[str, Provider] = {}
        for provider in providers:
            for name in provider.names:
                folded = normalise(name)
                if folded and index.setdefault(folded, provider) is not provider:
                    raise ValueError(f"alias {name!r} belongs to two providers")
        self._index = index
        self._fuzzy_choices = [alias for alias in index if len(alias) >= MIN_FUZZY_ALIAS_CHARS]

    def get(self, key: str) -> Provider | None:
        return self._by_key.get(key)

    def match(self, text: str) -> ProviderMatch | None:
        """The provider named in `text` (a bare name or inside a sentence), or None."""
        if not isinstance(text, str):
            return None
        tokens = normalise(text[:20_000]).split()
        best: ProviderMatch | None = None
        for size in range(min(MAX_WINDOW_TOKENS, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                window = " ".join(tokens[start:start + size])
                candidate = self._match_window(window)
                if candidate and (best is None or candidate.score > best.score):
                    best = candidate
            if best is not None and best.score == 100:
                break  # longer exact matches win ("Vodafone Kabel" over "Kabel ...")
        return best

    def other_named(self, text: str, first_key: str | None) -> Provider | None:
        """A second provider named word for word in `text` besides `first_key` ("…bei o2 und den
        Stromvertrag bei Vattenfall"), or None. Exact names only: a fuzzy second match would offer a
        letter to a company nobody named (hand-test item 8)."""
        if not isinstance(text, str) or not first_key:
            return None
        tokens = normalise(text[:20_000]).split()
        for size in range(min(MAX_WINDOW_TOKENS, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                found = self._index.get(" ".join(tokens[start:start + size]))
                if found is not None and found.key != first_key:
                    return found
        return None

    def _match_window(self, window: str) -> ProviderMatch | None:
        exact = self._index.get(window)
        if exact is not None:
            return ProviderMatch(provider=exact, score=100.0, matched_text=window)
        if len(window) < MIN_FUZZY_ALIAS_CHARS:
            return None
        found = process.extractOne(
            window, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE_CUTOFF
        )
        if found is None:
            return None
        alias, score, _ = found
        return ProviderMatch(provider=self._index[alias], score=float(score), matched_text=window)

    def lookup_names(self) -> list[str]:
        """All brand names and aliases, each once (case-insensitively), in directory order."""
        seen: set[str] = set()
        names = []
        for provider in self.providers:
            for name in provider.names:
                if name.casefold() not in seen:
                    seen.add(name.casefold())
                    names.append(name)
        return names


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> Directory:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Directory(tuple(_provider(raw) for raw in data["providers"]))


def load_directory(path: str | Path | None = None) -> Directory:
    """Load (and cache) the provider directory; defaults to cancellation/providers.yml."""
    return _load(Path(path or DEFAULT_PATH).resolve())


def lookup_table_yaml(directory: Directory) -> str:
    """Rasa NLU lookup table for the `provider` entity."""
    lines = [
        "# Generated by `python -m cancellation.providers --lookup` from cancellation/providers.yml.",
        "# Do not edit by hand; a test checks that this file equals the generator output.",
        'version: "3.1"',
        "nlu:",
        "- lookup: provider",
        "  examples: |",
    ]
    lines.extend(f"    - {name}" for name in directory.lookup_names())
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lookup", action="store_true", help="print the Rasa NLU lookup table YAML")
    parser.add_argument("--path", default=None, help="providers.yml to read")
    args = parser.parse_args(argv)
    directory = load_directory(args.path)
    if args.lookup:
        sys.stdout.write(lookup_table_yaml(directory))
        return 0
    for provider in directory.providers:
        where = "no address" if provider.address is None else f"{provider.address.postcode} {provider.address.city}"
        print(f"{provider.key:20} {provider.name:20} {where:28} {provider.source.name}")
    with_address = sum(provider.address is not None for provider in directory.providers)
    print(f"{with_address} of {len(directory.providers)} providers with an address")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
