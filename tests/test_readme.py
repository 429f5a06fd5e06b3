"""The README's two commands are the ones CI and new users run."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_first_command_runs_the_demo_and_second_the_tests() -> None:
    first, second = _commands()[:2]
    assert first.endswith("seriesm demo")
    assert second.endswith("-m pytest")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line for line in ci.splitlines() if line and not line.startswith(("#", " "))]
    assert lines[-1] == _commands()[1]
