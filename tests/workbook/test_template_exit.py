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


@pytest.mark.parametrize("flavor", ["native", "udf"])
def test_without_the_option_both_sheets_start_at_the_stack_exit(tmp_path: Path,
                                                                flavor: str) -> None:
    assert main(["template", "--out", str(tmp_path), "--stack", str(STACK), "--flavor",
                 flavor]) == 0
    (book,) = tmp_path.glob("*.xlsx")
    # The Payouts sheet pays the holders within the stack, so it starts where the Capital
    # stack sheet does: 1.5 × the Series M's breakpoint within the stack, to two figures.
    # The sample: 9,100 Series M shares, accrued 799,861.12, preference 9,100 × $1,000 +
    # 799,861.12 = 9,899,861.12 (§3(a)); converting frees the $9,100,000 of Stated Value
    # (accrued paid on conversion, §2) for 36,860,759.49 common (§5), a threshold of
    # 0.246875 a common share. At p = 0.246875 the stack (docs/example-stack.csv) pays
    # Series L its 1,000,000 preference (p < its $1.00), the 10,000,000 options
    # 10,000,000 × (0.246875 − 0.10) = 1,468,750, the 138,500,000 common 34,192,187.50 and
    # the Series M 9,899,861.12: 46,560,798.62; × 1.5 = 69,841,197.93, so 70,000,000.
    # (Without the stack it was 44,092,048.62 × 1.5, so 66,000,000, the old Payouts default.)
    assert _exit_cells(book) == (70_000_000, 70_000_000)
    labels = openpyxl.load_workbook(book)["Capital stack"]
    # Its preferences are every class's, not the Series M's §3(a) amount alone.
    assert labels["A5"].value == "Preferences, all classes"


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
