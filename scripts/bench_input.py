"""What one maximal user message costs the fact extractor: benign and hostile, 4,000 characters.

    .venv/bin/python -m scripts.bench_input [--chars 4000] [--repeat 5]

The first message of a conversation (and a pasted letter) goes through
`cancellation.extraction.extract_facts`: provider matching, a dozen regular expressions, date and
address parsing. Messages are capped at 4,000 characters by the channels; this measures that
size. Prints one JSON line per message (CPU milliseconds, the best of `--repeat` runs, and the
growth from a quarter of the size: about 4 for linear work, 16 for quadratic), then a summary
line. tests/cancellation/test_extraction_cost.py asserts the same ratios on the same messages.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from typing import Callable, Dict, Iterable, Optional

from cancellation.extraction import extract_facts
from cancellation.providers import load_directory

MAX_MESSAGE_CHARS = 4_000
TODAY = date(2026, 12, 1)

_LETTER = (
    "Erika Mustermann\nMusterstraße 5\n10115 Berlin\n\nVodafone GmbH\nKundenbetreuung\n"
    "40875 Ratingen\n\nBerlin, 01.12.2026\n\nKündigung meines Mobilfunkvertrags\n"
    "Kundennummer: 123456789, Vertragsnummer V-2024-778899, Rufnummer 0170 1234567\n\n"
    "Sehr geehrte Damen und Herren,\n\nhiermit kündige ich meinen Handyvertrag fristgerecht "
    "zum 31.05.2027, hilfsweise zum nächstmöglichen Zeitpunkt. Bitte bestätigen Sie mir die "
    "Kündigung und das Vertragsende schriftlich an erika@example.org. Die Datenoption und die "
    "MultiCard sollen ebenfalls enden. Einer weiteren Nutzung meiner Daten für Werbung "
    "widerspreche ich.\n\nMit freundlichen Grüßen\nErika Mustermann\n\n"
)


def _fill(unit: str) -> Callable[[int], str]:
    return lambda chars: (unit * (chars // len(unit) + 1))[:chars]


def _after(prefix: str, unit: str, suffix: str = "") -> Callable[[int], str]:
    def build(chars: int) -> str:
        body = chars - len(prefix) - len(suffix)
        return prefix + (unit * (body // len(unit) + 1))[:body] + suffix
    return build


BENIGN: Callable[[int], str] = _fill(_LETTER)

# Each aims at a pattern shape that backtracks: long runs of one kind of character, repeated
# separators, a keyword followed by a run the rest of the pattern cannot match.
HOSTILE: Dict[str, Callable[[int], str]] = {
    "digits": _fill("1"),
    "dots": _fill("."),
    "spaces": _after("x", " ", "x"),
    "newlines": _after("Vertrag", "\n", "x"),
    "letters": _fill("a"),
    "capitals": _fill("A"),
    "1.1.1.1": _fill("1."),
    "1-1-1-1": _fill("1-"),
    "a-a-a-a": _fill("a-"),
    "Ab-Ab-Ab": _fill("Ab-"),
    "a@a@a@": _fill("a@"),
    "x@x.x.x.": _after("x@", "x."),
    "aboabo": _fill("abo"),
    "repeated words": _fill("kündigung "),
    "Vertrag words": _fill("Vertrag "),
    "zum zum": _fill("zum "),
    "12345 Ab": _fill("12345 Ab "),
    "Straße 1": _fill("Musterstraße 1 "),
    "Kundennummer + spaces": _after("Kundennummer", " ", "!"),
    "Nummer + spaces": _after("Nummer", " ", "x"),
    "nächst + spaces": _after("nächst", " "),
    "Kd.Nr.": _fill("Kd.Nr. "),
    "nur nur": _fill("nur "),
}


def cpu_ms(text: str, repeat: int) -> float:
    """Best-of-`repeat` CPU time of extracting the facts of `text`, in milliseconds."""
    directory = load_directory()
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        extract_facts(text, TODAY, directory)
        best = min(best, time.process_time() - started)
    return best * 1000


def measure(name: str, build: Callable[[int], str], chars: int, repeat: int) -> dict:
    full = cpu_ms(build(chars), repeat)
    quarter = cpu_ms(build(chars // 4), repeat)
    return {"message": name, "chars": chars, "cpu_ms": round(full, 2),
            "growth_from_quarter": round(full / max(quarter, 1e-3), 1)}


def run(chars: int = MAX_MESSAGE_CHARS, repeat: int = 5, names: Optional[Iterable[str]] = None) -> list:
    load_directory()  # loaded once, outside the measurements
    rows = [measure("benign letter", BENIGN, chars, repeat)]
    rows += [measure(name, HOSTILE[name], chars, repeat) for name in (names or HOSTILE)]
    return rows


def main(argv: Optional[Iterable[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=MAX_MESSAGE_CHARS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(list(argv) if argv is not None else None)
    rows = run(args.chars, args.repeat)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    benign, hostile = rows[0], rows[1:]
    worst = max(hostile, key=lambda row: row["cpu_ms"])
    print(json.dumps({
        "summary": f"maximal message ({args.chars} chars)",
        "benign_cpu_ms": benign["cpu_ms"],
        "worst_hostile": worst["message"],
        "worst_hostile_cpu_ms": worst["cpu_ms"],
        "worst_over_benign": round(worst["cpu_ms"] / max(benign["cpu_ms"], 1e-3), 1),
        "max_growth_from_quarter": max(row["growth_from_quarter"] for row in hostile),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
