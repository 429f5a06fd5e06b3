"""Reading Excel's values: numbers, serial dates, datetimes, ISO text, booleans, ranges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.excel import values


@pytest.mark.parametrize(("cell", "expected"), [
    (9100, Fraction(9100)),
    (9100.0, Fraction(9100)),
    (0.1, Fraction(1, 10)),                   # the decimal the user typed, not the binary
    (4285.714285714285, Fraction("4285.714285714285")),
    (np.float64(0.25), Fraction(1, 4)),
    (np.int64(7), Fraction(7)),
    (Decimal("1.005"), Fraction(1005, 1000)),
    (-5, Fraction(-5)),
])
def test_number(cell: object, expected: Fraction) -> None:
    assert values.number(cell, "x") == expected


@pytest.mark.parametrize(("cell", "message"), [
    ("100", 'x = "100": not a number; use a number.'),
    (True, "x = TRUE: not a number; use a number."),
    (None, "x = (empty): not a number; use a number."),
    (float("nan"), "x = NaN: must be a finite number."),
    (float("inf"), "x = infinity: must be a finite number."),
    ([1, 2], "x = (a range of 2 cells): not a number; use a number."),
])
def test_number_refusals(cell: object, message: str) -> None:
    with pytest.raises(SeriesMError) as caught:
        values.number(cell, "x")
    assert caught.value.message == message


@pytest.mark.parametrize(("cell", "expected"), [
    (date(2005, 1, 10), date(2005, 1, 10)),
    (datetime(2005, 1, 10), date(2005, 1, 10)),          # a date-formatted cell (classic)
    (datetime(2005, 1, 10, 16, 30), datetime(2005, 1, 10, 16, 30)),
    (38362, date(2005, 1, 10)),                          # a serial (Lite, or a formula)
    (38362.0, date(2005, 1, 10)),
    (38362.6875, datetime(2005, 1, 10, 16, 30)),
    (38362.999999999, date(2005, 1, 11)),                # a hair below midnight
    (59, date(1900, 2, 28)),
    (61, date(1900, 3, 1)),                              # past Excel's phantom 29 Feb 1900
    ("2005-01-10", date(2005, 1, 10)),
    (" 2005-01-10 ", date(2005, 1, 10)),
    ("2005-01-10 16:30", datetime(2005, 1, 10, 16, 30)),
    ("2005-01-10T16:30:15", datetime(2005, 1, 10, 16, 30, 15)),
    ("2005-01-10 00:00", date(2005, 1, 10)),
])
def test_moment(cell: object, expected: object) -> None:
    assert values.moment(cell, "d") == expected


def test_day_drops_the_time() -> None:
    assert values.day(38362.6875, "d") == date(2005, 1, 10)


@pytest.mark.parametrize(("cell", "code", "message"), [
    (60, "#NUM!", "d = 60: Excel's serial 60 is 1900-02-29, a day that never existed; "
     "use a real date."),
    (0, "#NUM!", "d = 0: must be a date from 1900-01-01 to 9999-12-31."),
    (-3, "#NUM!", "d = -3: must be a date from 1900-01-01 to 9999-12-31."),
    (2958466, "#NUM!", "d = 2958466: must be a date from 1900-01-01 to 9999-12-31."),
    ("2005-13-01", "#VALUE!", 'd = "2005-13-01": not a date; use a date, an Excel date serial '
     "or text YYYY-MM-DD."),
    ("10/01/2005", "#VALUE!", 'd = "10/01/2005": not a date; use a date, an Excel date serial '
     "or text YYYY-MM-DD."),
    (True, "#VALUE!", "d = TRUE: not a date; use a date, an Excel date serial or text "
     "YYYY-MM-DD."),
    (float("nan"), "#VALUE!", "d = NaN: not a date; use a date, an Excel date serial or text "
     "YYYY-MM-DD."),
])
def test_moment_refusals(cell: object, code: str, message: str) -> None:
    with pytest.raises(SeriesMError) as caught:
        values.moment(cell, "d")
    assert (caught.value.code, caught.value.message) == (code, message)


@pytest.mark.parametrize(("cell", "expected"), [
    (True, True), (False, False), (1, True), (0.0, False), ("TRUE", True), ("false", False)])
def test_boolean(cell: object, expected: bool) -> None:
    assert values.boolean(cell, "b") is expected


def test_boolean_refusal() -> None:
    with pytest.raises(SeriesMError, match=r'b = "yes": use TRUE or FALSE\.'):
        values.boolean("yes", "b")


def test_date_set_ignores_empty_cells() -> None:
    # None (classic), "" and 0 (how Lite passes an empty cell) are all empty.
    cells = [[date(2004, 9, 27)], [None], [""], [0], [38256.0]]
    assert values.date_set(cells, "closures") == {date(2004, 9, 27), date(2004, 9, 26)}


def test_flatten() -> None:
    assert values.flatten([[1, 2], [3, 4]]) == [1, 2, 3, 4]
    assert values.flatten([1, 2]) == [1, 2]
    assert values.flatten(5) == [5]
