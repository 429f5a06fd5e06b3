"""The Excel functions as Excel calls them: Excel-shaped values in, numbers or error texts out."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xl_seriesm.core import dividends
from xl_seriesm.excel import udfs

D = date
CLOSING = D(2005, 1, 10)


# --- Excel-shaped inputs ---------------------------------------------------------------------

@pytest.mark.parametrize(("closing", "as_of"), [
    (D(2005, 1, 10), D(2005, 4, 10)),
    (datetime(2005, 1, 10), datetime(2005, 4, 10)),       # date-formatted cells (classic)
    (38362, 38452),                                       # serials (Lite, or formulas)
    (38362.0, 38452.75),                                  # a time of day is dropped
    ("2005-01-10", "2005-04-10"),                         # ISO text
    ([[38362.0]], [[D(2005, 4, 10)]]),                    # one-cell ranges (ndim=2)
])
def test_accrued_accepts_every_date_shape(closing: object, as_of: object) -> None:
    # 9,100 × $1,000 × 5% × 90/360 = $113,750 (§2).
    assert udfs.SERIESM_ACCRUED(9100, closing, as_of) == 113750.0


def test_empty_optional_arguments_take_their_defaults() -> None:
    # An empty cell arrives as None (classic) or "" (Lite on the web): basis 0, nothing paid.
    assert udfs.SERIESM_ACCRUED(9100.0, CLOSING, D(2005, 4, 10), None, None) == 113750.0
    assert udfs.SERIESM_ACCRUED(9100.0, CLOSING, D(2005, 4, 10), "", "") == 113750.0
    # Lite on the desktop passes 0 for an empty `holding`: treated as not given.
    assert udfs.SERIESM_CONVERT(500, CLOSING, D(2006, 1, 10), None, 0) == 2_000_000.0


def test_array_call_over_a_column_returns_a_column() -> None:
    # 100, 200 and 250 shares for one year: $5,000, $10,000, $12,500 (§2).
    result = udfs.SERIESM_ACCRUED([[100.0], [200.0], [250.0]], CLOSING, D(2006, 1, 10))
    assert result == [[5000.0], [10000.0], [12500.0]]


def test_array_call_over_a_row_returns_a_row() -> None:
    result = udfs.SERIESM_ACCRUED([[100.0, 200.0]], CLOSING, D(2006, 1, 10), [[0.0, 1000.0]])
    assert result == [[5000.0, 9000.0]]


def test_a_flat_list_is_a_column() -> None:
    assert udfs.SERIESM_ACCRUED([100, 200], CLOSING, D(2006, 1, 10)) == [[5000.0], [10000.0]]


def test_one_bad_row_shows_in_its_own_cell() -> None:
    result = udfs.SERIESM_ACCRUED([[100.0], ["n/a"], [200.0]], CLOSING, D(2006, 1, 10))
    assert result == [[5000.0], ['#VALUE! shares row 2 = "n/a": not a number; use a number.'],
                      [10000.0]]


def test_convert_with_holdings_column() -> None:
    # 150 and 250 are whole holdings, 300 is three lots: 600,000, 1,000,000, 1,200,000 (§5).
    result = udfs.SERIESM_CONVERT([[150], [250], [300]], CLOSING, D(2006, 2, 1), 4000,
                                  [[150], [250], [None]])
    assert result == [[600_000.0], [1_000_000.0], [1_200_000.0]]


def test_convert_with_a_conversion_number_from_a_cell() -> None:
    # 30,000/7 read back from a cell is 4285.714285714285; 9,100 shares still give 39,000,000.
    assert udfs.SERIESM_CONVERT(9100, CLOSING, D(2006, 2, 1), 30000 / 7) == 39_000_000.0


def test_dilute_ledger_with_exempt_column_and_blank_rows() -> None:
    # Row 1: 30,000/7 (price $0.15). Row 2: exempt options at $0.10: unchanged. Row 3 blank.
    # Row 4: $0.10 with 1,400,000 out: C = 40,000; 30,000/7 × 1,500,000/1,440,000 = 31,250/7.
    result = udfs.SERIESM_DILUTE(4000, [[1e6], [1.2e6], [None], [1.4e6]],
                                 [[2e5], [2e5], [None], [1e5]], [[3e4], [2e4], [None], [1e4]],
                                 [[False], [True], [None], [False]])
    assert result == [[30000 / 7], [30000 / 7], [30000 / 7], [31250 / 7]]


def test_dilute_error_repeats_in_later_rows() -> None:
    result = udfs.SERIESM_DILUTE(4000, [[1e6], [1e6], [1e6]], [[2e5], [0], [1e5]],
                                 [[3e4], [1e4], [1e4]])
    message = "#NUM! new_shares row 2 = 0: must be more than 0."
    assert result == [[30000 / 7], [message], [message]]


def test_waterfall_over_a_column_of_exits() -> None:
    # The reference case of tests/core/test_liquidation.py: breakpoint 18,300,000.
    table = udfs.SERIESM_WATERFALL([[0.0], [20_100_000.0]], 9100, 36_400_000, 100_000)
    assert table[0] == ["Exit value", "Series M total", "Series M per share", "Common total",
                        "Common per share", "Series M converts", "Conversion breakpoint"]
    assert table[1] == [0.0, 0.0, 0.0, 0.0, 0.0, False, 18_300_000.0]
    assert table[2] == [20_100_000.0, 10_100_000.0, 10_100_000 / 9100, 10_000_000.0,
                        10_000_000 / 36_400_000, True, 18_300_000.0]


def test_waterfall_single_output_over_a_column() -> None:
    result = udfs.SERIESM_WATERFALL([[5e6], [20.1e6]], 9100, 36.4e6, 1e5, 4000, True, True,
                                    "Common total")
    assert result == [[0.0], [10_000_000.0]]


def test_waterfall_output_label_ignores_case_and_spaces() -> None:
    assert udfs.SERIESM_WATERFALL(20.1e6, 9100, 36.4e6, 1e5, output=" common  TOTAL") == 1e7


# --- bad input: one test per kind the issue names ---------------------------------------------

@pytest.mark.parametrize(("call", "expected"), [
    (lambda: udfs.SERIESM_ACCRUED("nine thousand", CLOSING, D(2006, 1, 10)),
     '#VALUE! shares = "nine thousand": not a number; use a number.'),
    (lambda: udfs.SERIESM_ACCRUED(-5, CLOSING, D(2006, 1, 10)),
     "#NUM! shares = -5: must be 0 or more."),
    (lambda: udfs.SERIESM_ACCRUED(100, CLOSING, D(2006, 1, 10), float("inf")),
     "#NUM! dividends_paid = infinity: must be a finite number."),
    (lambda: udfs.SERIESM_WATERFALL(float("nan"), 9100, 1e6, 0),
     "#NUM! proceeds = NaN: must be a finite number."),
    (lambda: udfs.SERIESM_ACCRUED(100, D(2006, 1, 10), CLOSING),
     "#NUM! as_of_date = 2005-01-10: before closing_date = 2006-01-10; must be on or after it."),
    (lambda: udfs.SERIESM_ACCRUED(100, CLOSING, D(2006, 1, 10), 0, 9),
     "#NUM! basis = 9: unknown; use one of 0 (US 30/360), 1 (Actual/Actual), 2 (Actual/360), "
     "3 (Actual/365), 4 (European 30/360)."),
    (lambda: udfs.SERIESM_ACCRUED(100, CLOSING, D(2006, 1, 10), 5000.01),
     "#NUM! dividends_paid = 5000.01: more than the 5000.00 accrued (§2); must be at most that."),
    (lambda: udfs.SERIESM_CONVERT(9200, CLOSING, D(2006, 1, 10)),
     "#NUM! shares = 9200: more than the 9,100 Series M shares designated (§1); "
     "use at most 9,100."),
    (lambda: udfs.SERIESM_ACCRUED([[1], [2]], CLOSING, [[D(2006, 1, 10)]] * 3),
     "#VALUE! ranges of unequal length (shares has 2, as_of_date has 3 cells): give ranges of "
     "the same length, or single values."),
    (lambda: udfs.SERIESM_DILUTE(4000, [[1e6], [1e6]], [[1e5]] * 3, [[1e4], [1e4]]),
     "#VALUE! ranges of unequal length (common_outstanding has 2, new_shares has 3, "
     "consideration has 2 cells): give ranges of the same length, or single values."),
    (lambda: udfs.SERIESM_CONVERT(100, CLOSING, D(2006, 1, 10), 0),
     "#NUM! conversion_number = 0: must be more than 0."),
    (lambda: udfs.SERIESM_WATERFALL(1e6, 9100, 1e6, 0, [[4000], [5000]]),
     "#VALUE! conversion_number = (a range of 2 cells): must be a single cell, not a range."),
    (lambda: udfs.SERIESM_ACCRUED([[1, 2], [3]], CLOSING, D(2006, 1, 10)),
     "#VALUE! shares = a range with rows of different lengths: give one cell, or a column or "
     "row of cells."),
    (lambda: udfs.SERIESM_ACCRUED([[1, 2], [3, 4]], CLOSING, D(2006, 1, 10)),
     "#VALUE! shares = a 2x2 range: must be one cell, one column or one row."),
    (lambda: udfs.SERIESM_ACCRUED("#DIV/0!", CLOSING, D(2006, 1, 10)),
     "#DIV/0! shares = #DIV/0!: the cell holds an error; correct it first."),
    (lambda: udfs.SERIESM_CONVERTFROM(2958465),
     "#NUM! SERIESM_CONVERTFROM: the result is beyond what a cell can hold (12 months from "
     "9999-12-31 is past 9999-12-31); check the sizes of the numbers and dates given."),
    (lambda: udfs.SERIESM_WORKDAY(D(2005, 1, 10), 1e6),
     "#NUM! days = 1000000: counting business days from 2005-01-10 leaves the Federal Reserve "
     "calendar (1999 to 2100)."),
    (lambda: udfs.SERIESM_ACCRUED(100, 60, D(2006, 1, 10)),
     "#NUM! closing_date = 60: Excel's serial 60 is 1900-02-29, a day that never existed; "
     "use a real date."),
    (lambda: udfs.SERIESM_ACCRUED(None, CLOSING, D(2006, 1, 10)),
     "#VALUE! shares = (empty): required; give a value."),
    (lambda: udfs.SERIESM_WATERFALL(1e6, 9100, 1e6, 0, output="Total"),
     '#N/A output = "Total": no such row; use one of Series M total, Series M per share, '
     "Common total, Common per share, Series M converts, Conversion breakpoint."),
])
def test_bad_input_gives_a_readable_excel_error(call: object, expected: str) -> None:
    result = call()  # type: ignore[operator]
    assert result == expected
    assert udfs.is_error_text(result)


def test_an_unexpected_failure_is_an_error_text_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                                ) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dividends, "accrued_dividends", broken)
    result = udfs.SERIESM_ACCRUED(100, CLOSING, D(2006, 1, 10))
    assert result == ("#VALUE! SERIESM_ACCRUED: unexpected RuntimeError (disk on fire); please "
                      "report it with the arguments used.")
