"""The Dividends sheet carries the class to the as-of date: the running period's accrual
below the schedule, the class's accrued and unpaid, and the tie to the Holders sheet's
accrued total, which a Check compares in both flavors."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import require_libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import model
from xl_seriesm.workbook.writer import Flavor, workbook_bytes

LABEL = "The Dividends sheet's accrued and unpaid ties to the Holders sheet's"

# The reviewer's ledger book (docs/example-classes-ledger.csv at 30 June 2006): 9,100 Series
# M, none of its dividends paid. Each quarter from 10 January 2005 accrues 9,100 × $1,000 ×
# 5% ÷ 4 = $113,750 (§2); five payment dates to 10 April 2006 leave $568,750 in arrears. The
# running period, 10 April to 30 June 2006, is 80 of its 90 days in 30/360: 113,750 × 80/90
# = $101,111.11 (rounded to the cent, §2), so the class has $669,861.11 accrued and unpaid.
# The Holders sheet rounds each holder's accrual to the cent and shows $669,861.12: a cent of
# rounding, within the cent a holder the Check allows.
LEDGER = {"arrears": 568_750.0, "running": 101_111.11, "class": 669_861.11,
          "holders": 669_861.12, "difference": 0.01}


@pytest.fixture(scope="module")
def ledger(classes_ledger_books: Path) -> Path:
    return classes_ledger_books


def _rows(values: dict[tuple[str, str], object], last: int) -> dict[str, object]:
    """The figures below the schedule, whose last row is ``last``."""
    return {"arrears": values[("Dividends", f"D{last}")],
            "running": values[("Dividends", f"B{last + 1}")],
            "class": values[("Dividends", f"D{last + 3}")],
            "holders": values[("Dividends", f"D{last + 4}")],
            "difference": values[("Dividends", f"D{last + 5}")]}


def _cached(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in book.worksheets
            for row in ws.iter_rows() for c in row}


def _check(values: dict[tuple[str, str], object], path: Path) -> object:
    checks = openpyxl.load_workbook(path)["Checks"]
    (row,) = [r for r in range(1, checks.max_row + 1) if checks.cell(r, 1).value == LABEL]
    return values[("Checks", f"B{row}")]


@pytest.mark.parametrize("flavor", list(Flavor))
def test_as_the_book_opens(ledger: Path, flavor: Flavor) -> None:
    # What a user sees on opening (the cached figures, no recalculation).
    values = _cached(ledger / flavor.filename)
    assert values[("Dividends", "A9")].date().isoformat() == "2006-04-10"  # the last due
    assert _rows(values, 9) == pytest.approx(LEDGER, abs=0.001)
    assert values[("Holders", "E" + str(_total_row(values)))] == LEDGER["holders"]
    assert _check(values, ledger / flavor.filename) == "OK"


def _total_row(values: dict[tuple[str, str], object]) -> int:
    (row,) = [int(k[1][1:]) for k, v in values.items()
              if k[0] == "Holders" and k[1].startswith("A") and v == "Total"]
    return row


@pytest.mark.libreoffice
@pytest.mark.parametrize("flavor", list(Flavor))
def test_recalculated(ledger: Path, flavor: Flavor) -> None:
    require_libreoffice()
    values = recalc.calculate(ledger / flavor.filename)
    assert _rows(values, 9) == pytest.approx(LEDGER, abs=0.001)
    assert _check(values, ledger / flavor.filename) == "OK"


@pytest.mark.libreoffice
@pytest.mark.parametrize("flavor", list(Flavor))
def test_the_check_fails_when_they_differ(tmp_path: Path, flavor: Flavor) -> None:
    # The sample (as of 30 June 2007) with the class's accrued and unpaid a dollar too many:
    # the Holders sheet's total no longer ties, by $1.00 less the sample's cent of rounding
    # (799,861.12 on the Holders sheet against the class's 799,861.11 + 1).
    require_libreoffice()
    built = model.build(SAMPLE)
    sheet = next(s for s in built.sheets if s.name == "Dividends")
    unpaid = next(c for c in sheet.cells if c.ref.startswith("D") and c.native is not None
                  and c.native.endswith(f"-C{c.ref[1:]}") and c.ref[1:] != "5"
                  and sheet_row_is_as_of(sheet, c.ref))
    sheet.cells = [c._replace(native=f"{c.native}+1", udf=c.udf and f"{c.udf}+1")
                   if c is unpaid else c for c in sheet.cells]
    path = tmp_path / flavor.filename
    path.write_bytes(workbook_bytes(built, flavor))
    values = recalc.calculate(path)
    assert _check(values, path) == "FAILS: off by -0.99"
    assert values[("Checks", "B3")] != "All checks OK"


def sheet_row_is_as_of(sheet: model.Sheet, ref: str) -> bool:
    """Whether the row of ``ref`` is the running period's (column A: =AsOfDate)."""
    return any(c.ref == f"A{ref[1:]}" and c.native == "=AsOfDate" for c in sheet.cells)
