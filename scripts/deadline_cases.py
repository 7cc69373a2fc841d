"""The deadline case table: tests/cancellation/deadline_cases.yml -> docs/LEGAL_CASES_DEADLINES.md.

`python -m scripts.deadline_cases` rewrites the document; `--check` exits 1 when it is out of date.
The same YAML drives tests/cancellation/test_deadline_cases.py, so the table and the tests agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cancellation" / "deadline_cases.yml"
DOCUMENT = ROOT / "docs" / "LEGAL_CASES_DEADLINES.md"

HEADER = """# Deadline cases

Generated from `tests/cancellation/deadline_cases.yml` by `make deadline-cases`; do not edit by hand.
Every row is a parametrised test in `tests/cancellation/test_deadline_cases.py` (the engine
`cancellation/deadlines.py`, postal working days `cancellation/posting.py`, the chat answer
`cancellation/deadline_interview.py`), and a test fails when this file is out of date.

The assistant states these results as general information ("in der Regel"), never as individual
legal advice. LEGAL.md is the project's collection of legal facts with sources
(`/work/shared/LEGAL.md`). Abbreviations: TKG telecom (§ 56 TKG), BGB other consumer contracts
(§ 309 Nr. 9 BGB), a. F. the version before 01.03.2022, VVG insurance (§ 11 VVG).

"""

_FIELDS = {
    "earliest_end": "end {}",
    "latest_receipt": "last day of receipt {}",
    "last_day_to_post": "post by {}",
    "recommended": "recommended posting {}",
    "assumed_receipt": "received {}",
    "end_date": "letter end {}",
}
_FLAGS = {
    ("certain", False): "subject to reservation",
    ("recommend_asap", True): "letter: nächstmöglich",
    ("term_too_long", True): "term over 24 months flagged",
    ("extension_assumed", True): "one-year extension assumed",
}


def load_cases(path: Path = CASES) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def _value(value: Any) -> str:
    if value is None:
        return "none (one month from receipt, any time)"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if value == "asap":
        return "„zum nächstmöglichen Zeitpunkt“"
    return str(value).replace("_", " ")


def _given(case: Mapping[str, Any]) -> str:
    kind = case.get("kind", "engine")
    if kind == "posting":
        key = "receipt_by" if "receipt_by" in case else "posted"
        return f"{key.replace('_', ' ')} {_value(case[key])}"
    if kind == "answer":
        answers = ", ".join(f"{name} {_value(value)}" for name, value in case["answers"].items())
        return f"{answers}; today {_value(case['today'])}"
    terms = ", ".join(f"{name} {_value(value)}" for name, value in case["terms"].items())
    return f"{terms}; received {_value(case['received'])}"


def expected_text(case: Mapping[str, Any]) -> str:
    expect = case.get("expect", {})
    parts = [template.format(_value(expect[name])) for name, template in _FIELDS.items() if name in expect]
    if "phase" in expect:
        parts.append(_value(expect["phase"]))
    if "rule_set" in expect:
        parts.append(f"rules {expect['rule_set']}")
    parts += [label for (name, value), label in _FLAGS.items() if expect.get(name) is value]
    parts += [f"says „{text}“" for text in case.get("says", ())]
    parts += [f"never „{text}“" for text in case.get("never_says", ())]
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(cases: List[Mapping[str, Any]]) -> str:
    lines = [HEADER, "| # | Case | Given | Rule | Expected date or text | Source |", "|---|---|---|---|---|---|"]
    for number, case in enumerate(cases, start=1):
        cells = (str(number), case["case"], _given(case), case["rule"], expected_text(case), case["source"])
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the document is out of date")
    args = parser.parse_args(argv)
    text = render_markdown(load_cases())
    if args.check:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
        if current != text:
            print(f"{DOCUMENT.relative_to(ROOT)} is out of date: run make deadline-cases", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(text, encoding="utf-8")
    print(f"wrote {DOCUMENT.relative_to(ROOT)} ({len(load_cases())} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
