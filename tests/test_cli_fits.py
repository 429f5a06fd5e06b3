"""What a user reads on the terminal says what it is and fits (issue 23, item 7): every
subcommand's --help ends with two or three examples that parse; the cap table fits the
terminal's width, or shows every column with --wide; help and behaviour agree; the demo's
labels say what the columns hold."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from xl_seriesm.cli import build_parser
from xl_seriesm.cli.parser import EXAMPLES, EXAMPLES_HEADING


def _run(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300, check=False)


def _subcommands() -> dict[str, object]:
    import argparse  # noqa: PLC0415

    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_subcommand_help_ends_with_examples_that_parse() -> None:
    subcommands = _subcommands()
    assert set(subcommands) == set(EXAMPLES)
    for name, sub in subcommands.items():
        text = sub.format_help()  # type: ignore[attr-defined]
        tail = text[text.rindex(EXAMPLES_HEADING):].splitlines()[1:]
        assert 2 <= len(tail) <= 3, name
        for line in tail:
            words = shlex.split(line.strip(), posix=not line.strip().count("\\"))
            assert words[:2] == ["seriesm", name], line
            build_parser().parse_args(words[1:])  # exits (fails) on an unknown option


def test_the_cap_table_fits_80_columns_and_wide_shows_all() -> None:
    narrow = _run("captable", "docs/example-ledger.csv", "--as-of", "2006-06-30")
    assert narrow.returncode == 0, narrow.stderr
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    assert "Paid, In arrears, Fully diluted: left out to fit 80 columns; --wide" in (
        narrow.stdout)
    # Palm Fund LP's accrued dividends at 2006-06-30 (README: 213,888.89) still show.
    assert "213,888.89" in narrow.stdout
    wide = _run("captable", "docs/example-ledger.csv", "--as-of", "2006-06-30", "--wide")
    assert "Fully diluted" in wide.stdout
    assert "left out" not in wide.stdout
    roomy = _run("captable", "docs/example-ledger.csv", "--as-of", "2006-06-30", columns=160)
    assert "Fully diluted" in roomy.stdout
    assert "left out" not in roomy.stdout


def test_addin_help_says_what_it_does_with_the_interpreter(tmp_path: object) -> None:
    helped = _run("addin", "--help", columns=200)
    assert "default: no line written" in helped.stdout
    done = _run("addin", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    conf = (tmp_path / "xlwings.conf").read_text()  # type: ignore[operator]
    assert "INTERPRETER" not in conf  # as the help says
    given = _run("addin", "--out", str(tmp_path), "--force", "--interpreter",
                 "C:\\Python312\\python.exe")
    assert given.returncode == 0, given.stderr
    assert '"INTERPRETER_WIN","C:\\Python312\\python.exe"' in (
        tmp_path / "xlwings.conf").read_text()  # type: ignore[operator]


@pytest.mark.parametrize("label", ["Payout if dividends are paid on conversion",
                                   "Payout if dividends are forfeited"])
def test_the_demo_payout_columns_say_payout(label: str) -> None:
    done = _run("demo", "--no-workbooks", columns=200)
    assert done.returncode == 0, done.stderr
    assert f"┃ {label} ┃" in done.stdout or f"┃ {label} ┃" in done.stdout.replace("┃\n", "┃")
    assert "┃ Dividends paid on conversion" not in done.stdout
