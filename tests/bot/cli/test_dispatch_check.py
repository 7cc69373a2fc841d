"""`python -m bot dispatch check` against the fake LetterXpress: always test mode."""

from __future__ import annotations

from bot.cli import main
from tests.support.fake_letterxpress import API_KEY, USERNAME, FakeLetterXpress


def test_check_submits_one_test_letter_and_reports(monkeypatch, capsys):
    with FakeLetterXpress() as fake:
        monkeypatch.setenv("LETTERXPRESS_USER", USERNAME)
        monkeypatch.setenv("LETTERXPRESS_API_KEY", API_KEY)
        monkeypatch.setenv("LETTERXPRESS_MODE", "live")
        monkeypatch.setenv("LETTERXPRESS_BASE_URL", fake.base_url)
        assert main(["dispatch", "check"]) == 0
    out = capsys.readouterr().out
    [job] = fake.jobs.values()
    assert job.mode == "test" and job.registered == "r1"
    assert f"Druckauftrag Nr. {job.id}" in out and "Guthaben: 54.89 EUR" in out
    assert API_KEY not in out


def test_check_explains_wrong_credentials_and_missing_configuration(monkeypatch, capsys):
    monkeypatch.delenv("LETTERXPRESS_USER", raising=False)
    monkeypatch.delenv("LETTERXPRESS_API_KEY", raising=False)
    assert main(["dispatch", "check"]) == 1
    assert "Versand ist aus" in capsys.readouterr().err
    with FakeLetterXpress() as fake:
        monkeypatch.setenv("LETTERXPRESS_USER", USERNAME)
        monkeypatch.setenv("LETTERXPRESS_API_KEY", "wrong-key")
        monkeypatch.setenv("LETTERXPRESS_BASE_URL", fake.base_url)
        assert main(["dispatch", "check"]) == 1
    assert "unauthorized" in capsys.readouterr().err
