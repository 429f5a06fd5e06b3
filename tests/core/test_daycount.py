"""Excel's day counts: YEARFRAC in five bases and DAYS360, checked against Excel itself."""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given

from tests import strategies
from tests.conftest import DATA
from xl_seriesm.core.daycount import Basis, days360, parse_basis, yearfrac
from xl_seriesm.core.dividends import Accrual, accrual_years
from xl_seriesm.core.errors import SeriesMError


def _excel_rows() -> list[tuple[date, date, int, float]]:
    with (DATA / "excel-yearfrac.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(date.fromisoformat(r["start"]), date.fromisoformat(r["end"]), basis,
             float(r[f"basis{basis}"])) for r in rows for basis in range(5)]


EXCEL = _excel_rows()


def test_reference_file_is_whole() -> None:
    # 370 date pairs × 5 bases, saved by Microsoft Excel (tests/data/excel-yearfrac.csv).
    assert len(EXCEL) == 1850


@pytest.mark.parametrize(("start", "end", "basis", "excel"), EXCEL,
                         ids=[f"{s}_{e}_b{b}" for s, e, b, _ in EXCEL])
def test_yearfrac_matches_excel_bit_for_bit(start: date, end: date, basis: int,
                                            excel: float) -> None:
    assert float(yearfrac(start, end, Basis(basis))) == excel


@pytest.mark.parametrize(("start", "end", "basis", "expected", "why"), [
    (date(2005, 1, 10), date(2005, 4, 10), 0, Fraction(90, 360), "3 months of 30 days"),
    (date(2005, 1, 31), date(2005, 3, 31), 0, Fraction(60, 360), "both 31sts become 30ths"),
    (date(2005, 1, 1), date(2005, 1, 31), 0, Fraction(30, 360),
     "an end on the 31st stays 31 when the start is before the 30th: 30 days, not 29"),
    (date(2005, 2, 28), date(2005, 5, 28), 0, Fraction(88, 360),
     "a start on February's last day counts as the 30th: 88 days where DAYS360 gives 90"),
    (date(2004, 2, 29), date(2005, 2, 28), 0, Fraction(360, 360),
     "both on February's last day: both become the 30th"),
    (date(2005, 1, 31), date(2005, 2, 28), 4, Fraction(28, 360), "European: 31st -> 30th"),
    (date(2005, 2, 28), date(2005, 3, 31), 4, Fraction(32, 360),
     "European leaves February alone and makes every 31st a 30th"),
    (date(2005, 1, 10), date(2005, 7, 10), 2, Fraction(181, 360), "181 actual days / 360"),
    (date(2005, 1, 10), date(2005, 3, 1), 3, Fraction(50, 365), "50 actual days / 365"),
    (date(2005, 1, 10), date(2005, 7, 10), 1, Fraction(181, 365), "within 2005, not leap"),
    (date(2004, 1, 10), date(2004, 7, 10), 1, Fraction(182, 366), "within 2004, a leap year"),
    (date(2005, 4, 10), date(2005, 1, 10), 0, Fraction(90, 360), "dates in reverse: swapped"),
])
def test_yearfrac_by_hand(start: date, end: date, basis: int, expected: Fraction, why: str) -> None:
    # Rules: Excel's YEARFRAC as reproduced by D. A. Wheeler (OASIS office list, 2008), which
    # the 1,850 Excel figures above confirm; Microsoft documents the February quirk.
    assert yearfrac(start, end, Basis(basis)) == expected, why


def test_yearfrac_actual_actual_over_years_divides_by_average_year() -> None:
    # 2003-10-21 to 2005-01-06: 443 days; the years 2003, 2004, 2005 hold 1,096 days, an
    # average of 365.333…; Excel divides by that average held as a double.
    result = yearfrac(date(2003, 10, 21), date(2005, 1, 6), Basis.ACTUAL_ACTUAL)
    assert abs(result - Fraction(443 * 3, 1096)) < Fraction(1, 10**15)
    assert float(result) == 443 / (1096 / 3)


@pytest.mark.parametrize(("start", "end", "european", "expected"), [
    (date(2005, 1, 31), date(2005, 3, 31), False, 60),
    (date(2005, 2, 28), date(2005, 3, 31), False, 33),   # February's end not adjusted
    (date(2005, 2, 28), date(2005, 5, 28), False, 90),   # where YEARFRAC basis 0 gives 88
    (date(2005, 1, 30), date(2005, 3, 31), False, 60),   # start 30th: end 31st -> 30th
    (date(2005, 3, 31), date(2005, 1, 31), False, -60),  # reverse order is negative
    (date(2005, 2, 28), date(2005, 3, 31), True, 32),
])
def test_days360(start: date, end: date, european: bool, expected: int) -> None:
    assert days360(start, end, european) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    (0, Basis.US_30_360), (0.0, Basis.US_30_360), (1.7, Basis.ACTUAL_ACTUAL),
    ("4", Basis.EUROPEAN_30_360), ("US 30/360", Basis.US_30_360), ("30/360", Basis.US_30_360),
    ("actual/actual", Basis.ACTUAL_ACTUAL), ("Act/360", Basis.ACTUAL_360),
    ("ACTUAL/365", Basis.ACTUAL_365), ("30E/360", Basis.EUROPEAN_30_360),
    ("European 30/360", Basis.EUROPEAN_30_360),
])
def test_parse_basis_accepts_codes_and_names(typed: object, expected: Basis) -> None:
    assert parse_basis(typed) is expected


@pytest.mark.parametrize("typed", [5, -1, "act/366", "", True, None])
def test_parse_basis_rejects_with_the_choices(typed: object) -> None:
    with pytest.raises(SeriesMError) as caught:
        parse_basis(typed)
    assert caught.value.code == "#NUM!"
    assert caught.value.message.startswith("basis = ")
    assert "0 (US 30/360)" in caught.value.message


@given(strategies.plain_dates, strategies.plain_dates, strategies.plain_dates)
def test_30_360_is_additive_away_from_month_ends(a: date, b: date, c: date) -> None:
    a, b, c = sorted((a, b, c))
    for basis in (Basis.US_30_360, Basis.EUROPEAN_30_360):
        assert yearfrac(a, b, basis) + yearfrac(b, c, basis) == yearfrac(a, c, basis)


def test_30_360_is_not_additive_across_a_31st() -> None:
    # Why the property above avoids month ends: 15 Jan -> 31 Jan is 16 days (the 31st stays),
    # 31 Jan -> 15 Feb is 15 days (the 31st becomes the 30th), but 15 Jan -> 15 Feb is 30.
    a, b, c = date(2005, 1, 15), date(2005, 1, 31), date(2005, 2, 15)
    assert yearfrac(a, b) * 360 == 16
    assert yearfrac(b, c) * 360 == 15
    assert yearfrac(a, c) * 360 == 30


@given(strategies.dates, strategies.dates)
def test_actual_bases_count_actual_days(a: date, b: date) -> None:
    days = abs((b - a).days)
    assert yearfrac(a, b, Basis.ACTUAL_360) == Fraction(days, 360)
    assert yearfrac(a, b, Basis.ACTUAL_365) == Fraction(days, 365)


def test_from_closing_accrual_is_excels_yearfrac_for_every_saved_figure() -> None:
    # The "from closing" reading of §2 is one Excel YEARFRAC from the Closing Date: all 1,850
    # figures Excel saved still hold through the accrual (start as closing, end as the date).
    for start, end, basis, excel in EXCEL:
        closing, as_of = min(start, end), max(start, end)
        years = accrual_years(closing, as_of, Basis(basis), Accrual.FROM_CLOSING)
        assert float(years) == excel, (start, end, basis)
