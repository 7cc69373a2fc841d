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


def json_of(*argv):
    code, out, err = run_cli("deadline", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_json_output_in_time_for_initial_term_end():
    data = json_of("--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-10")
    assert data["earliest_end"] == "2026-03-14"
    assert data["latest_receipt"] == "2026-02-14"
    assert data["last_day_to_post"] == "2026-02-09"  # Fri 13.02. back four postal working days: Mon 09.02.
    assert data["phase"] == "initial_term" and data["rule_set"] == "tkg"
    assert "in der Regel" in data["explanation"]
    assert data["rules_applied"] and data["initial_term_end"] == "2026-03-14"


def test_month_end_receipt_on_the_last_day_of_the_month_is_in_time():
    data = json_of("--start", "2025-07-01", "--term-months", "12", "--notice-months", "1", "--received", "2026-05-31")
    assert data["earliest_end"] == "2026-06-30" and data["latest_receipt"] == "2026-05-31"
    assert data["phase"] == "initial_term"


def test_json_output_after_extension_has_null_latest_receipt():
    data = json_of("--start", "2024-03-15", "--term-months", "24", "--received", "2026-11-25")
    assert data["latest_receipt"] is None and data["last_day_to_post"] is None
    assert data["phase"] == "extended" and data["earliest_end"] == "2026-12-25"


def test_no_telecom_uses_bgb_rule_and_readable_lines():
    code, out, _ = run_cli(
        "deadline", "--start", "2023-01-31", "--term-months", "12", "--notice-months", "1",
        "--concluded", "2023-01-20", "--received", "2028-01-31", "--no-telecom",
    )
    assert code == 0
    assert "Frühestes Vertragsende (in der Regel): 29.02.2028" in out
    assert "§ 309 Nr. 9 b BGB" in out and "§ 56 Abs. 3 TKG" not in out


def test_insurance_follows_the_vvg():
    data = json_of("--start", "2023-01-01", "--term-months", "36", "--notice-months", "3",
                   "--received", "2025-10-15", "--sector", "insurance")
    assert data["rule_set"] == "vvg" and data["phase"] == "extension_period"
    assert data["earliest_end"] == "2026-12-31" and data["latest_receipt"] == "2026-09-30"
    assert "§ 11 Abs. 3 VVG" in data["rules_applied"] and "309" not in " ".join(data["rules_applied"])
    assert "unwirksam" not in data["explanation"]


@pytest.mark.parametrize(
    "extension, end, asap",
    [("12", "2027-12-31", False), ("6", "2027-06-30", False), ("0", "2026-12-15", False), (None, "2027-12-31", True)],
)
def test_old_non_telecom_contract_takes_an_extension_period(extension, end, asap):
    argv = ["--start", "2020-01-01", "--term-months", "24", "--notice-months", "3", "--sector", "other",
            "--received", "2026-11-15"]
    if extension is not None:
        argv += ["--extension-months", extension]
    data = json_of(*argv)
    assert data["rule_set"] == "bgb_old"
    assert data["earliest_end"] == end
    assert data["recommend_asap"] is asap
    assert data["extension_assumed"] is asap


def test_explanation_in_english():
    data = json_of("--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-10", "--language", "en")
    assert "as a rule" in data["explanation"] and "14 March 2026" in data["explanation"]


@pytest.mark.parametrize(
    "bad",
    [
        ("--start", "15.03.2024", "--term-months", "24", "--received", "2026-02-10"),
        ("--start", "2024-03-15", "--term-months", "zwei", "--received", "2026-02-10"),
        ("--start", "2024-03-15", "--term-months", "-1", "--received", "2026-02-10"),
        ("--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-30"),
        ("--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-10", "--extension-months", "x"),
        ("--start", "2024-03-15", "--term-months", "24", "--received", "2026-02-10", "--sector", "insurance",
         "--telecom"),
    ],
)
def test_bad_input_gives_one_line_error_and_exit_2(bad):
    code, out, err = run_cli("deadline", *bad)
    assert code == 2
    assert out == ""
    assert err.startswith("Fehler:") and err.count("\n") == 1


def test_module_entry_point():
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


# --- one language per run (W3 in docs/LEGAL_REVIEW.md) ---------------------------------------------

ENGLISH_RUN = ("deadline", "--start", "2024-01-01", "--term-months", "36", "--notice-months", "1",
               "--received", "2025-09-30", "--language", "en")
GERMAN_LABELS = ("Zugang der Kündigung", "Ende der Mindestlaufzeit", "Letzter", "Frühestes", "Angewandte",
                 "Hinweis", "Empfehlung", "zum Ende der", "spätestens")
ENGLISH_LABELS = ("Cancellation received", "End of the minimum term", "Last day", "Earliest end", "Rules applied",
                  "Note:", "Recommendation", "at the latest")


def test_english_output_has_no_german_label():
    code, out, _ = run_cli(*ENGLISH_RUN)
    assert code == 0
    labels = "\n".join(line.split(":")[0] for line in out.splitlines()[:-1])  # the last line is the explanation
    assert "End of contract at the latest (if the agreed clause applies): 31 December 2026" in out
    assert "Recommendation for the letter: at the earliest possible date." in out
    assert not [word for word in GERMAN_LABELS if word in labels], labels
    assert "as a rule" in out.splitlines()[-1]


def test_german_output_has_no_english_label():
    code, out, _ = run_cli(*ENGLISH_RUN[:-2])
    assert code == 0
    assert "Vertragsende spätestens (falls die vereinbarte Klausel gilt): 31.12.2026" in out
    assert not [word for word in ENGLISH_LABELS if word in out]


def test_errors_follow_the_language():
    code, out, err = run_cli("deadline", "--start", "15.03.2024", "--term-months", "24", "--received", "2026-02-10",
                             "--language", "en")
    assert code == 2 and out == ""
    assert err == "Error: --start expects a date as YYYY-MM-DD, not '15.03.2024'\n"


# --- basic supply and the conclusion date --------------------------------------------------------------


def test_basic_supply_ends_two_weeks_after_receipt():
    data = json_of("--start", "2024-01-01", "--term-months", "0", "--sector", "energy", "--basic-supply",
                   "--received", "2027-01-29")
    assert data["rule_set"] == "basic_supply" and data["earliest_end"] == "2027-02-12"
    assert data["latest_receipt"] is None and data["recommend_asap"] is False
    assert "§ 20 Abs. 1 StromGVV/GasGVV" in data["rules_applied"] and "309" not in " ".join(data["rules_applied"])


def test_basic_supply_is_refused_outside_energy():
    code, out, err = run_cli("deadline", "--start", "2024-01-01", "--term-months", "0", "--sector", "telecom",
                             "--basic-supply", "--received", "2027-01-29")
    assert code == 2 and out == ""
    assert err == "Fehler: --basic-supply gibt es nur für --sector energy\n"


def test_the_24_months_count_from_the_conclusion():
    data = json_of("--start", "2024-03-01", "--term-months", "24", "--concluded", "2024-01-10",
                   "--received", "2025-11-20")
    assert data["term_too_long"] is True and data["recommend_asap"] is True
    assert "III ZR 8/25" in data["explanation"]
