"""Benchmark: `python -m letters.bench [-n N]` renders N typical letters and prints one JSON line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from typing import List, Optional, Sequence

from letters.model import LetterData, PostalAddress
from letters.render import render

_NAMES = ("Max Mustermann", "Zoë Ñúñez-Łukaszewicz", "Nguyễn Thị Minh Khai", "Ђорђе Петровић")


def typical_letter(index: int) -> LetterData:
    """A one-page letter; varies name and numbers so no two renders are identical."""
    name = _NAMES[index % len(_NAMES)]
    return LetterData(
        reference=f"KB-2026-{index:06d}",
        sender=PostalAddress((name,), f"Musterstraße {index % 200 + 1}", "10115", "Berlin"),
        recipient=PostalAddress(("Telefónica Germany GmbH & Co. OHG",), "Postfach 1234", "90345", "Nürnberg"),
        place="Berlin",
        letter_date=dt.date(2026, 11, 26),
        subject_kind="option" if index % 3 == 0 else "contract",
        subject_label="Datenpaket XL" if index % 3 == 0 else "Mobilfunkvertrag",
        holder_name=name,
        customer_number=f"{100000000 + index}",
        phone_number=f"0176 {12345678 + index}",
        confirmation_email="kunde@example.org" if index % 2 else None,
    )


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(count: int) -> dict:
    letters = [typical_letter(index) for index in range(count)]
    render(typical_letter(count))  # font registration is a one-off per process, not per letter
    durations: List[float] = []
    cpu_durations: List[float] = []
    started = time.perf_counter()
    for letter in letters:
        before, cpu_before = time.perf_counter(), time.thread_time()
        render(letter)
        cpu_durations.append(time.thread_time() - cpu_before)
        durations.append(time.perf_counter() - before)
    total = time.perf_counter() - started
    durations.sort()
    return {
        "letters": count,
        "ms_per_letter_p50": round(statistics.median(durations) * 1000, 3),
        "ms_per_letter_p95": round(percentile(durations, 0.95) * 1000, 3),
        "letters_per_s": round(count / total, 1),
        # CPU time of this thread: close to wall time on an idle machine, and still meaningful
        # when other processes compete for the cores.
        "cpu_ms_per_letter_p50": round(statistics.median(cpu_durations) * 1000, 3),
    }


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m letters.bench", description=__doc__)
    parser.add_argument("-n", type=int, default=500, help="number of letters (default 500)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("-n must be at least 1")
    print(json.dumps(run(args.n)))


if __name__ == "__main__":
    main()
