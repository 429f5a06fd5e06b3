"""The benchmark runner: suites chosen by exact name, a failed suite reported, not raised."""

from __future__ import annotations

import pytest

from benchmarks import run, suites


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
