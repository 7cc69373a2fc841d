"""Fact extraction accuracy on tests/nlu/independent/facts.yml (conventions: its README).

Scores cancellation.extraction.extract_facts (subject kind, option, provider, contract type, end
date, "as soon as possible") and cancellation.special_interview.detect_ground (the special ground)
field by field, with today = 2026-12-02 as the set assumes. Most messages of facts.yml come from the
scored-only test set, so for it only failures of messages that are also in dev.yml are listed.
`--set PATH` scores another file of the same format instead, e.g. the development set
tests/nlu/independent/facts_dev.yml; every failure of such a set is listed in full.

Usage: .venv/bin/python scripts/nlu_facts.py [--set PATH] [--json]
"""

from __future__ import annotations

import argparse
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


def _arguments(argv):
    parser = argparse.ArgumentParser(description="Fact extraction accuracy on a facts set.")
    parser.add_argument("--set", type=Path, default=FACTS, dest="facts_set",
                        help="file of expected facts (default: tests/nlu/independent/facts.yml)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON only")
    return parser.parse_args(argv)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _listed(development: bool):
    """Which failures may be shown: for facts.yml only those of messages also in dev.yml (the rest
    come from the scored-only test set); any other set is a development set, shown whole."""
    if development:
        return (lambda text: True), "failures (expected, extracted):"
    dev_texts = {line.strip()[2:] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip().startswith("- ")}
    return dev_texts.__contains__, "failures on messages from dev.yml (expected, extracted):"


def main(argv=None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    if not args.facts_set.is_file():
        print(f"no such facts set: {args.facts_set}", file=sys.stderr)
        return 2
    cases = yaml.safe_load(args.facts_set.read_text(encoding="utf-8"))
    development = args.facts_set.resolve() != FACTS.resolve()
    listed, failures_title = _listed(development)
    directory = load_directory()
    correct = {field: 0 for field in FIELDS}
    all_right = 0
    failures = []
    for case in cases:
        got = extracted(case["text"], directory)
        ok = {field: matches(field, case.get(field), got[field]) for field in FIELDS}
        for field, right in ok.items():
            correct[field] += right
        all_right += all(ok.values())
        if listed(case["text"]) and not all(ok.values()):
            wrong = {f: (case.get(f), got[f]) for f in FIELDS if not ok[f]}
            failures.append((case["text"], wrong))
    n = len(cases)
    result = {"messages": n, "all_fields": all_right / n, **{f: correct[f] / n for f in FIELDS}}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"\n== fact extraction ({_shown(args.facts_set)}, {n} messages) ==")
    for field in FIELDS:
        print(f"  {field:<15} {correct[field] / n:.3f}  ({correct[field]}/{n})")
    print(f"  {'all fields':<15} {all_right / n:.3f}  ({all_right}/{n})")
    if failures:
        print(failures_title)
        for text, wrong in failures:
            print(f"  {text if development else text[:80]}")
            for field, (want, got) in wrong.items():
                print(f"      {field}: {want!r} != {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
