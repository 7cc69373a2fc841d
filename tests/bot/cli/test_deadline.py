import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import deadline

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*argv):
    parser = argparse.ArgumentParser(prog="bot")
    deadline.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_json_output_in_time_for_initial_term_end():
    code, out, _ = run_cli(
        "deadline", "--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-10", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["earliest_end"] == "2026-03-14"
    assert data["latest_receipt_for_initial_term_end"] == "2026-02-14"
    assert data["phase"] == "initial_term"
    assert "in der Regel" in data["explanation"]
    assert data["rules_applied"] and data["initial_term_end"] == "2026-03-14"


def test_json_output_after_extension_has_null_latest_receipt():
    code, out, _ = run_cli(
        "deadline", "--start", "2024-03-15", "--term-months", "24", "--received", "2026-11-25", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["latest_receipt_for_initial_term_end"] is None
    assert data["phase"] == "extended" and data["earliest_end"] == "2026-12-25"


def test_no_telecom_uses_bgb_rule_and_readable_lines():
    code, out, _ = run_cli(
        "deadline", "--start", "2023-01-31", "--term-months", "12", "--notice-months", "1",
        "--concluded", "2023-01-20", "--received", "2028-01-31", "--no-telecom",
    )
    assert code == 0
    assert "Frühestes Vertragsende (in der Regel): 29.02.2028" in out
    assert "§ 309 Nr. 9 BGB" in out and "§ 56 Abs. 3 TKG" not in out


@pytest.mark.parametrize(
    "bad",
    [
        ("--start", "15.03.2024", "--term-months", "24", "--received", "2026-02-10"),
        ("--start", "2024-03-15", "--term-months", "zwei", "--received", "2026-02-10"),
        ("--start", "2024-03-15", "--term-months", "-1", "--received", "2026-02-10"),
        ("--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-30"),
    ],
)
def test_bad_input_gives_one_line_error_and_exit_2(bad):
    code, out, err = run_cli("deadline", *bad)
    assert code == 2
    assert out == ""
    assert err.startswith("Fehler:") and err.count("\n") == 1


def test_module_entry_point_when_present():
    if not (ROOT / "bot" / "__main__.py").exists():
        pytest.fail("bot/__main__.py is missing: `python -m bot deadline` cannot run")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "deadline", "--start", "2024-06-01", "--term-months", "24",
         "--received", "2026-04-30", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["earliest_end"] == "2026-05-31"


def test_registered_in_operator_cli(capsys):
    from bot.cli import main

    code = main(["deadline", "--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-15"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Frühestes Vertragsende (in der Regel): 15.03.2026" in out
    assert "nach stillschweigender Verlängerung" in out
    assert main(["deadline", "--start", "gestern", "--term-months", "24", "--received", "2026-02-15"]) == 2
