"""Fact extraction accuracy on tests/nlu/independent/facts.yml (conventions: its README).

Scores cancellation.extraction.extract_facts (subject kind, option, provider, contract type, end
date, "as soon as possible") and cancellation.special_interview.detect_ground (the special ground)
field by field, with today = 2026-12-02 as the set assumes. Most messages come from the scored-only
test set, so only failures of messages that are also in dev.yml are listed.

Usage: .venv/bin/python scripts/nlu_facts.py [--json]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cancellation.extraction import extract_facts  # noqa: E402
from cancellation.providers import load_directory  # noqa: E402
from cancellation.special_interview import detect_ground  # noqa: E402
from cancellation.validation import fold  # noqa: E402

FACTS = ROOT / "tests" / "nlu" / "independent" / "facts.yml"
DEV = ROOT / "tests" / "nlu" / "independent" / "dev.yml"
TODAY = dt.date(2026, 12, 2)
FIELDS = ("subject_kind", "option_name", "provider", "contract_type", "end_date", "asap", "special_ground")
# The set's names for our SpecialGround values.
GROUND_NAMES = {"price_change": "price_increase"}


def _same_text(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return fold(str(a)).replace("-", " ").strip() == fold(str(b)).replace("-", " ").strip()


def extracted(text: str, directory) -> dict:
    facts = extract_facts(text, TODAY, directory)
    provider = directory.get(facts.provider) if facts.provider else None
    ground = detect_ground(text)
    return {
        "subject_kind": facts.subject_kind or "contract",
        "option_name": facts.option_name,
        "provider": provider.name if provider else None,
        "contract_type": facts.contract_type,
        "end_date": facts.end_date.isoformat() if facts.end_date else None,
        "asap": bool(facts.end_asap),
        "special_ground": GROUND_NAMES.get(ground.value, ground.value) if ground else None,
    }


def matches(field: str, expected, got) -> bool:
    if field == "end_date":
        return (str(expected) if expected else None) == got
    if field in ("option_name", "provider"):
        # Names are compared folded; a name counts when one contains the other
        # ("Sky Cinema" vs "Sky Cinema Option", "ZEIT" vs "DIE ZEIT").
        if expected and got:
            a, b = fold(expected), fold(got)
            return a in b or b in a
        return _same_text(expected, got)
    return expected == got


def main() -> int:
    cases = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    dev_texts = {line.strip()[2:] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip().startswith("- ")}
    directory = load_directory()
    correct = {field: 0 for field in FIELDS}
    all_right = 0
    dev_failures = []
    for case in cases:
        got = extracted(case["text"], directory)
        ok = {field: matches(field, case.get(field), got[field]) for field in FIELDS}
        for field, right in ok.items():
            correct[field] += right
        all_right += all(ok.values())
        if case["text"] in dev_texts and not all(ok.values()):
            wrong = {f: (case.get(f), got[f]) for f in FIELDS if not ok[f]}
            dev_failures.append((case["text"], wrong))
    n = len(cases)
    result = {"messages": n, "all_fields": all_right / n, **{f: correct[f] / n for f in FIELDS}}
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
        return 0
    print(f"\n== fact extraction ({FACTS.relative_to(ROOT)}, {n} messages) ==")
    for field in FIELDS:
        print(f"  {field:<15} {correct[field] / n:.3f}  ({correct[field]}/{n})")
    print(f"  {'all fields':<15} {all_right / n:.3f}  ({all_right}/{n})")
    if dev_failures:
        print("failures on messages from dev.yml (expected, extracted):")
        for text, wrong in dev_failures:
            print(f"  {text[:80]}")
            for field, (want, got) in wrong.items():
                print(f"      {field}: {want!r} != {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
