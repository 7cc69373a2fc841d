import json

from letters import bench


def test_bench_prints_one_json_line_with_timings(capsys):
    bench.main(["-n", "4"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) == {
        "letters", "ms_per_letter_p50", "ms_per_letter_p95", "letters_per_s", "cpu_ms_per_letter_p50"
    }
    assert result["letters"] == 4
    assert 0 < result["ms_per_letter_p50"] <= result["ms_per_letter_p95"]
    assert result["letters_per_s"] > 0
    assert 0 < result["cpu_ms_per_letter_p50"]


def test_bench_letters_are_typical_one_page_letters(pdf_tools):
    for index in range(3):
        pdf = bench.render(bench.typical_letter(index))
        assert len(pdf_tools.reader(pdf).pages) == 1
