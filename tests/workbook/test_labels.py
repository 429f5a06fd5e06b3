"""Labels that say what their cells compute: the breakpoint of the Series M and the common
alone beside the one within the stack, the waterfall Check's source, the ownership the
Holders sheet counts, the §5(e) flags of the Issuances sheet and the conversion date's note."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import require_libreoffice
from tests.workbook.test_template_exit import STACK
from xl_seriesm.cli import main
from xl_seriesm.engine import recalc


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("labels")
    assert main(["template", "--out", str(root / "plain"), "--flavor", "both"]) == 0
    assert main(["template", "--out", str(root / "stack"), "--stack", str(STACK),
                 "--flavor", "both"]) == 0
    return {name: root / name / "seriesm-captable-native.xlsx" for name in ("plain", "stack")}


def _row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, label: str) -> int:
    (row,) = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label]
    return row


def test_the_breakpoint_says_which(books: dict[str, Path]) -> None:
    plain = openpyxl.load_workbook(books["plain"], data_only=True)["Terms"]
    stack = openpyxl.load_workbook(books["stack"], data_only=True)["Terms"]
    # The sample (§3, §5): accrued 799,861.12 + 9,100 × $1,000 + the 138,500,000 common ×
    # the threshold 0.246875 (= $1,000 ÷ 320,000/79) = 44,092,048.62, the Series M and the
    # common alone, in both books.
    alone = "Conversion breakpoint, Series M and common alone (§3, §5)"
    assert plain.cell(_row_of(plain, "Conversion breakpoint (§3, §5)"), 2).value == 44092048.62
    row = _row_of(stack, alone)
    assert stack.cell(row, 2).value == 44092048.62
    assert "the row below" in stack.cell(row, 3).value
    # Within the stack (docs/example-stack.csv) the Series L's 1,000,000 preference and the
    # options' 10,000,000 × (0.246875 − 0.10) = 1,468,750 come in too: 46,560,798.62
    # (tests/workbook/test_template_exit.py works it out).
    assert stack.cell(row + 1, 1).value == "Conversion breakpoint within the capital stack"
    assert stack.cell(row + 1, 2).value == 46560798.62
    assert not any(_row_of_any(plain, "within the capital stack"))
    # The conversion date's note names no internal name (§5(a)).
    opens = _row_of(plain, "Conversion opens (§5(a))")
    assert "LeapAnniversary" not in plain.cell(opens, 3).value


def _row_of_any(sheet: openpyxl.worksheet.worksheet.Worksheet, part: str) -> list[int]:
    return [r for r in range(1, sheet.max_row + 1) if part in str(sheet.cell(r, 1).value)]


@pytest.mark.libreoffice
def test_the_breakpoint_within_the_stack_recalculated(books: dict[str, Path]) -> None:
    # The cell is a formula over the Capital stack sheet's kink table: recalculated, the
    # hand-worked 46,560,798.62.
    require_libreoffice()
    terms = openpyxl.load_workbook(books["stack"])["Terms"]
    row = _row_of(terms, "Conversion breakpoint within the capital stack")
    values = recalc.calculate(books["stack"])
    assert values[("Terms", f"B{row}")] == pytest.approx(46560798.62, abs=0.005)


def test_the_waterfall_check_names_every_class(books: dict[str, Path]) -> None:
    for name, source in (("plain", "§3: Series M + common = exit"),
                         ("stack", "§3 and the classes' terms: every class + common = exit")):
        checks = openpyxl.load_workbook(books[name])["Checks"]
        row = _row_of(checks, "Every waterfall row hands out exactly its exit value")
        assert checks.cell(row, 4).value == source, name


def test_the_ownership_column_says_what_it_counts(books: dict[str, Path]) -> None:
    holders = openpyxl.load_workbook(books["stack"], data_only=True)["Holders"]
    headers = {holders.cell(3, c).value: c for c in range(1, 16)}
    # It counts the common and the Series M as converted, not the options or the Series L:
    # the Series M's 36,860,759.49 of 175,360,759.49 (with the 138,500,000 common) is
    # 21.0200%, the share the Terms sheet gives.
    assert "Fully diluted ownership" not in headers
    k = headers["Ownership, Series M + common only"]
    j = headers["Common, Series M converted"]
    total = _row_of(holders, "Total")
    assert holders.cell(total, j).value == pytest.approx(175_360_759.49, abs=0.01)
    assert holders.cell(total, k).value == pytest.approx(1)


def test_the_issuance_flags_say_what_they_compute(books: dict[str, Path]) -> None:
    issuances = openpyxl.load_workbook(books["plain"], data_only=True)["Issuances"]
    moves = "Moves the conversion number"
    ignored = "Exempt or after the as-of date"
    assert [issuances[f"{c}3"].value for c in "GI"] == [moves, ignored]
    # The sample's §5(e) rows: 8,000,000 at $0.20 (below $0.25: 4,000 × 128,000,000 ÷
    # (120,000,000 + 1,600,000 ÷ 0.25) = 4,050.63), 500,000 exempt at $0.10 (below the
    # price, but exempt: no move) and 10,000,000 at $0.30 (above it: no move). Each flag is
    # TRUE exactly when its header holds: G when the conversion number moves on that row,
    # I when the row is exempt or after the as-of date.
    previous = 4000.0
    for r in (4, 5, 6):
        number = issuances[f"H{r}"].value
        assert issuances[f"G{r}"].value is (number != previous), r
        assert issuances[f"I{r}"].value is bool(issuances[f"E{r}"].value), r
        previous = number
    assert [issuances[f"G{r}"].value for r in (4, 5, 6)] == [True, False, False]
    assert [issuances[f"I{r}"].value for r in (4, 5, 6)] == [False, True, False]
