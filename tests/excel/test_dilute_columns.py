"""SERIESM_DILUTE down a column: the integer kernel gives, bit for bit, what the per-cell path
gives (the running §5(e)(i) number, blank rows, exempt rows, and the first bad row's error)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.core import conversion
from xl_seriesm.excel import batch_calls, udfs
from xl_seriesm.excel.batch_calls import MIN_ROWS

# A row of a ledger as Excel holds it: figures, a blank row, an empty cell beside figures
# (refused by the per-cell path), a negative figure, no new shares.
ledger_rows = st.one_of(
    st.tuples(st.integers(0, 10**9).map(float), st.integers(1, 10**7).map(float),
              st.integers(0, 10**8).map(lambda c: c / 100)),
    st.tuples(st.integers(10**6, 10**9).map(float), st.integers(1, 10**6).map(float),
              st.sampled_from([0.0, 0.01, 1.5, 250.0, 0.125])),
    st.just((0.0, 0.0, 0.0)),
    st.sampled_from([(None, None, None), (1e6, None, 5e4), (1e6, -5.0, 1e3), (1e6, 0.0, 1e3),
                     (0.0, 5.0, 0.0)]),
)


@given(st.lists(ledger_rows, min_size=MIN_ROWS, max_size=4 * MIN_ROWS),
       st.lists(st.booleans(), min_size=4 * MIN_ROWS, max_size=4 * MIN_ROWS),
       st.sampled_from([4000, 30000 / 7, 4285.714285714285]),
       st.sampled_from([0.25, 0.1, 1 / 3]))
def test_the_column_kernel_is_the_per_cell_path(rows: list[tuple[object, object, object]],
                                                exempt: list[bool], number: float,
                                                threshold: float) -> None:
    a, b, k = ([[row[i]] for row in rows] for i in range(3))
    flags = [[flag] for flag in exempt[:len(rows)]]
    together = udfs.SERIESM_DILUTE(number, a, b, k, flags, threshold)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_calls, "dilution", lambda *args, **kwargs: None)
        alone = udfs.SERIESM_DILUTE(number, a, b, k, flags, threshold)
    assert together == alone
    for mine, theirs in zip(together, alone, strict=True):  # floats, not ints, as before
        assert type(mine[0]) is type(theirs[0])


def test_the_kernel_answers_a_plain_ledger() -> None:
    # 20 identical rows: A = 1,000,000 before each, B = 200,000 sold for $40,000 ($0.20):
    # C = 40,000 / 0.25 = 160,000 and the factor (A + B) / (A + C) = 1.2 / 1.16 = 30/29
    # (§5(e)(i)); row n holds 4,000 × (30/29)^n.
    rows = 20
    result = udfs.SERIESM_DILUTE(4000, [[1e6]] * rows, [[2e5]] * rows, [[4e4]] * rows)
    run = batch_calls.dilution(udfs.BY_NAME["SERIESM_DILUTE"], {
        "common_outstanding": [1e6] * rows, "new_shares": [2e5] * rows,
        "consideration": [4e4] * rows}, {"exempt": False, "threshold_price": Fraction(1, 4)},
        Fraction(4000), rows)
    assert run is not None
    assert run.stopped == rows  # every row went the column path
    assert result == [[float(4000 * Fraction(30, 29) ** n)] for n in range(1, rows + 1)]


def test_long_ledgers_stay_cheap_and_equal_the_core() -> None:
    # 1,000 issuances below $0.25 (each B at $0.13 a share) through SERIESM_DILUTE: the
    # running number is the core's conversion.dilute chained, float for float.
    count = 1000
    outstanding, new, paid = [], [], []
    a = 100_000_000
    for i in range(count):
        b = 1000 + 7 * i
        outstanding.append([float(a)])
        new.append([float(b)])
        paid.append([round(b * 0.13 + (i % 7) / 100, 2)])
        a += b
    result = udfs.SERIESM_DILUTE(4000, outstanding, new, paid)
    running = Fraction(4000)
    for row, (a_, b_, k_) in enumerate(zip(outstanding, new, paid, strict=True)):
        running = conversion.dilute(running, Fraction(a_[0]), Fraction(b_[0]),
                                    Fraction(repr(k_[0])))
        assert result[row] == [float(running)]
    assert running.denominator <= 10**conversion.CONVERSION_DECIMALS
