"""The Events sheet lists every event of the ledger, the other classes' too (their class,
holders, shares and strike), in date order, and leaves the common outstanding empty before
the ledger first states it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import require_libreoffice
from xl_seriesm.engine import recalc


@pytest.fixture(scope="module")
def book(classes_ledger_books: Path) -> Path:
    return classes_ledger_books / "seriesm-captable-native.xlsx"


def _rows(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path, data_only=True)["Events"]
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=4, max_col=15)
            if row[0].value is not None]


def test_the_other_classes_events_are_listed(book: Path) -> None:
    sheet = openpyxl.load_workbook(book)["Events"]
    assert [sheet.cell(3, c).value for c in (1, 2, 3, 4, 5, 8, 9)] == [
        "Date", "Event", "Class", "Holder", "To holder", "Shares of the class", "Strike"]
    rows = _rows(book)
    # docs/example-classes-ledger.csv, its rows of another class as written there (date,
    # event, class, holder, to holder, shares, strike; a forfeit is a cancellation).
    others = [(r[0], r[1], r[2], r[3], r[4], r[7], r[8]) for r in rows if r[2] is not None]
    assert others == [
        (datetime(2005, 2, 1), "issue", "Series L", "L Fund", None, 1_000_000, None),
        (datetime(2005, 3, 1), "grant", "Pool", "E1", None, 6_000_000, 0.10),
        (datetime(2005, 3, 1), "grant", "Pool", "E2", None, 4_000_000, 0.10),
        (datetime(2005, 6, 1), "grant", "Pool", "E3", None, 500_000, 0.50),
        (datetime(2005, 7, 1), "cancel", "Pool", "E3", None, 500_000, 0.50),
        (datetime(2005, 8, 1), "transfer", "Series L", "L Fund", "L2", 250_000, None),
        (datetime(2006, 6, 1), "exercise", "Pool", "E1", None, 1_000_000, 0.10)]
    # With the Series M's four of 10 January 2005 and the common the exercise issued, after
    # it: every row in date order.
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert len(rows) == 12
    assert rows[-1][1:4] == ("common", None, "E1")


def test_outstanding_is_empty_before_it_is_stated(book: Path) -> None:
    rows = _rows(book)
    # The two issues of the Series M come before the ledger states 100,000,000 common
    # outstanding on 10 January 2005: nothing to show there, not 0. The exercise of
    # 1,000,000 options adds 1,000,000 common: 101,000,000.
    assert [(r[1], r[14]) for r in rows if r[2] is None] == [
        ("issue", None), ("issue", None), ("outstanding", 100_000_000),
        ("holding", 100_000_000), ("common", 101_000_000)]


@pytest.mark.libreoffice
def test_recalculated_the_checks_hold(book: Path) -> None:
    # The Checks reading the Events sheet (the stated outstanding; the common issued on
    # conversion) read its moved columns: recalculated, every Check holds.
    require_libreoffice()
    values = recalc.calculate(book)
    assert values[("Checks", "B3")] == "All checks OK"
