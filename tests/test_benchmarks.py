"""The benchmark runner: suites chosen by exact name, a failed suite reported, not raised."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from benchmarks import record, run, suites


def test_a_failing_suite_is_a_failed_row_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> list[run.Result]:
        raise RuntimeError("seriesm calc: exit 2: stopped at the time limit of 120 s")

    def fine() -> list[run.Result]:
        return [run.Result("fine one", 0.5, 1.0)]

    monkeypatch.setattr(suites, "ALL", {"broken": broken, "fine": fine, "fine-too": fine})
    assert run.main(["broken", "fine"]) == 1
    shown = capsys.readouterr().out
    assert "FAILED" in shown
    assert "time limit" in shown
    assert shown.count("fine one") == 1  # "fine" named exactly: "fine-too" did not run


def test_an_unknown_suite_is_named_with_the_choices(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(suites, "ALL", {"fine": list})
    assert run.main(["fin"]) == 2
    assert "no benchmark named fin; the suites are: fine" in capsys.readouterr().err


def test_save_records_each_suite_with_its_run_and_keeps_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record, "RESULTS", tmp_path / "results.json")
    monkeypatch.setattr(suites, "ALL", {"a": lambda: [run.Result("a one", 0.5, 1.0)],
                                        "b": lambda: [run.Result("b one", 2.0, 1.0)]})
    assert run.main(["--save", "a", "b"]) == 1  # b is over its budget
    first = record.load()
    assert [r["name"] for r in first["b"]["results"]] == ["b one"]
    monkeypatch.setattr(suites, "ALL", {"a": lambda: [run.Result("a two", 0.25, 1.0)]})
    assert run.main(["--save", "a"]) == 0
    kept = record.load()
    assert [r["name"] for r in kept["a"]["results"]] == ["a two"]  # replaced
    assert kept["b"] == first["b"]  # not run: its last run kept
    assert set(kept["a"]["ran"]) == {"date", "python", "cpus", "load"}


def test_the_table_shows_budget_baseline_ratio_and_marks_what_is_over() -> None:
    ran = {"date": "2026-12-06 06:00 UTC", "python": "3.11.7", "cpus": 2, "load": 1.5}
    data = {
        "fast": {"ran": ran, "results": [asdict(run.Result(
            "x | y", 0.3, 1.0, 0.1, "floats", "median of 3", 0.25, 0.5))]},
        "slow": {"ran": ran, "results": [asdict(run.Result("z", 2.5, 1.0))]},
        "broke": {"ran": ran, "results": [asdict(run.Result(
            "w", float("nan"), 1.0, failure="RuntimeError: no soffice"))]},
    }
    lines = record.table(data, ["slow", "fast", "broke"]).splitlines()
    # 300 ms against 100 ms of floats: 3×; the pipe in the name escaped for Markdown.
    assert lines[3] == ("| x \\| y (`fast`; median of 3) | 300.0 ms (250.0 ms to 500.0 ms) | "
                        "1.00 s | 100.0 ms: floats | 3× | 2026-12-06, load 1.5 on 2 cores |")
    assert lines[2].startswith("| z (`slow`) | 2.50 s **over budget** | 1.00 s | - | - |")
    assert "could not measure: RuntimeError: no soffice" in lines[4]


def test_the_readme_speed_table_is_the_recorded_runs() -> None:
    # Drawn by `python -m benchmarks --readme`; never typed by hand.
    readme = record.README.read_text(encoding="utf-8")
    assert record.readme_with_table(readme, record.load(), list(suites.ALL)) == readme


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="speed-table markers"):
        record.readme_with_table("# no table", {}, [])
