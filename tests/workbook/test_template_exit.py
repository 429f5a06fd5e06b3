"""``seriesm template --exit``: the exit value the Payouts and Capital stack sheets start
with, typed on the command line as a user types dollars; a bad one refused, nothing
written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from xl_seriesm.cli import main

STACK = ROOT / "docs" / "example-stack.csv"


def _exit_cells(book: Path) -> tuple[object, object]:
    workbook = openpyxl.load_workbook(book)
    return workbook["Capital stack"]["B4"].value, workbook["Payouts"]["B4"].value


@pytest.mark.parametrize("flavor", ["native", "udf"])
def test_the_exit_reaches_both_sheets(tmp_path: Path, flavor: str) -> None:
    # "$30,026,000" typed: 30,026,000 dollars in both sheets' exit cell (B4, an input).
    assert main(["template", "--out", str(tmp_path), "--stack", str(STACK), "--flavor",
                 flavor, "--exit", "$30,026,000"]) == 0
    (book,) = tmp_path.glob("*.xlsx")
    assert _exit_cells(book) == (30_026_000, 30_026_000)


def test_without_the_option_the_default_exit(tmp_path: Path) -> None:
    assert main(["template", "--out", str(tmp_path), "--stack", str(STACK), "--flavor",
                 "native"]) == 0
    (book,) = tmp_path.glob("*.xlsx")
    # Each sheet's own default: 1.5 × the Series M's conversion breakpoint, rounded, which
    # the other classes move on the Capital stack sheet.
    stack_exit, payouts_exit = _exit_cells(book)
    assert isinstance(stack_exit, int)
    assert isinstance(payouts_exit, int)
    assert stack_exit != payouts_exit


@pytest.mark.parametrize(("typed", "said"), [
    ("lots", "--exit 'lots': not an amount; use dollars"),
    ("-5", "--exit -5: must be 0 or more")])
def test_a_bad_exit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               typed: str, said: str) -> None:
    out = tmp_path / "books"
    assert main(["template", "--out", str(out), "--exit", typed]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert "nothing was written" in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(("argv", "said"), [
    (["--exit", "5000000.005"], "--exit 5000000.005: a fraction of a cent"),
    (["--exit", "1" + "0" * 34], "not an amount; use dollars and cents below "
                                 "$1,000,000,000,000,000 (15 digits)"),
    (["--holders", "2000000"], "--holders 2,000,000: at most 1,000,000 (a holder is a row"),
    (["--market-price", "9" * 26], "below $1,000,000,000,000,000 (15 digits)")])
def test_amounts_and_sizes_past_what_a_book_holds(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   argv: list[str], said: str) -> None:
    # An exit is paid in cents (half a cent is no amount); a figure of more than 15 digits
    # is past what a spreadsheet keeps; a sheet holds 1,048,576 rows, one a holder.
    out = tmp_path / "books"
    assert main(["template", "--out", str(out), *argv]) == 2
    assert said in capsys.readouterr().err
    assert not out.exists()
