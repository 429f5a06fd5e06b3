"""The column kernels (issue 22, item 2) give, bit for bit, what one call per cell gives:
values, their types, and each refused row's error text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_seriesm.excel import batch_calls, udfs
from xl_seriesm.excel.batch_calls import MIN_ROWS

# Share counts as Excel holds them: whole, tenths, four decimals, counts that make
# shares × 30,000/7 land within a millionth of a whole share (7 × k read back from a cell),
# and invalid ones (negative, past the 9,100 designated).
shares = st.one_of(
    st.integers(0, 9100).map(float),
    st.integers(0, 91_000).map(lambda n: n / 10),
    st.integers(0, 91_000_000).map(lambda n: n / 10_000),
    st.sampled_from([0.1 + 0.2, 9100.0, 9100.5, -1.0, 7.0, 6.9999999, 1e-7, 0.0, 4550.0,
                     1e-6, 1.1e-6, 0.999999, 0.9999989, 1.000001]),
)
numbers = st.sampled_from([4000.0, 30000 / 7, 4285.714285714285, 4077.669902912621, 0.0,
                           -4.0, 1e-3, 6000.0, 1.0])
money = st.one_of(st.integers(0, 10**9).map(lambda n: n / 100),
                  st.sampled_from([0.0, 0.125, 0.14, -0.01, 1e-9, 123456789.125, 1e6]))
common = st.one_of(st.integers(0, 10**10).map(float),
                   st.sampled_from([38_999_999.99999999, 39_000_000.0, -1.0, 0.5]))


def _columns(strategy: st.SearchStrategy[float], size: int) -> st.SearchStrategy[list[float]]:
    return st.lists(strategy, min_size=size, max_size=size)


def _alone(call, *args):  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_calls, "PLANS", {})
        return call(*args)


def _same(together: object, alone: object) -> None:
    assert together == alone
    assert isinstance(together, list)
    assert isinstance(alone, list)
    for mine, theirs in zip(together, alone, strict=True):
        assert type(mine[0]) is type(theirs[0])


def _col(values: list[float]) -> list[list[float]]:
    return [[v] for v in values]


@settings(max_examples=30, deadline=None)
@given(st.integers(MIN_ROWS, 3 * MIN_ROWS).flatmap(lambda n: st.tuples(
    _columns(shares, n), _columns(shares, n), _columns(numbers, n), _columns(money, n),
    _columns(common, n))), numbers, money)
def test_every_kernel_is_the_per_cell_path(data: tuple[list[float], ...], number: float,
                                           price: float) -> None:
    first, second, ratios, amounts, counts = (_col(column) for column in data)
    closing, record = date(2005, 1, 10), date(2007, 6, 30)
    calls = [
        (udfs.SERIESM_VOTES, (first, closing, record, number)),
        (udfs.SERIESM_VOTES, (first, closing, record, ratios)),
        (udfs.SERIESM_VOTES, (first, closing, date(2005, 6, 1), number, "none")),
        (udfs.SERIESM_CASHINLIEU, (first, number, price)),
        (udfs.SERIESM_CASHINLIEU, (first, ratios, amounts)),
        (udfs.SERIESM_RESERVE, (counts, first, number)),
        (udfs.SERIESM_RESERVE, (counts, first, ratios)),
        (udfs.SERIESM_REORGVALUE, (first, amounts, number)),
        (udfs.SERIESM_REORGVALUE, (first, price, ratios)),
        (udfs.SERIESM_CLASSVOTE, (first, second)),
        (udfs.SERIESM_CLASSVOTE, (first, 9100)),
        (udfs.SERIESM_APPRAISER, (first, second)),
        (udfs.SERIESM_APPRAISER, (first, 4550)),
        (udfs.SERIESM_OTHERDIVOK, (amounts, _col(list(reversed(data[3]))))),
        (udfs.SERIESM_OTHERDIVOK, (amounts, price)),
        (udfs.SERIESM_REDEEMABLE, (amounts, 1025.0)),
        (udfs.SERIESM_REDEEMABLE, (amounts, 1000.13889, first)),
        (udfs.SERIESM_REDEEMABLE, (amounts, amounts)),
        (udfs.SERIESM_REDEEMABLE, (amounts, 1000.13889, first, True)),
        (udfs.SERIESM_REDEEMABLE, (amounts, 1025.0, None, True)),
        (udfs.SERIESM_REDEEMABLE, (amounts, amounts, first, True)),
        (udfs.SERIESM_REDEEMABLE, (_col([3 * 1000.01] * len(amounts)), 1000.01)),
        (udfs.SERIESM_REDEEMABLE, (amounts, price)),
    ]
    for call, args in calls:
        _same(call(*args), _alone(call, *args))


def test_kernels_by_hand() -> None:
    rows = MIN_ROWS
    # §4: 1 share at 30,000/7 converts into 4,285 5/7 common: 4,285 votes; 7 shares into
    # exactly 30,000 (read back from a cell, 7 × 4285.714285714285 = 29,999.999999999995,
    # within a millionth of 30,000, snapped).
    assert udfs.SERIESM_VOTES([[1.0], [7.0]] * (rows // 2), date(2005, 1, 10),
                              date(2007, 6, 30), 4285.714285714285)[:2] == [[4285], [30000]]
    # §5(h): 1 share at 30,000/7 leaves 5/7 of a common share; at $0.14, 5/7 × 0.14 = $0.10.
    assert udfs.SERIESM_CASHINLIEU([[1.0]] * rows, 30000 / 7, 0.14)[0] == [0.1]
    # A millionth of a share is snapped away (DOMAIN.md): no cash even at $1,000,000 a
    # share; 1.1 millionths is not (1.1e-6 × 1,000,000 = $1.10).
    assert udfs.SERIESM_CASHINLIEU([[1e-6], [1.1e-6]] * (rows // 2), 1, 1e6)[:2] == [
        [0.0], [1.1]]
    # §6(b): five shares at $1,000.13889 cost $5,000.69 (5,000.69445 rounded half up), so
    # $5,000.69 redeems 5; $3,000.03 typed as 3 × 1000.01 (3000.0299999999997) redeems 3.
    assert udfs.SERIESM_REDEEMABLE([[5000.69]] * rows, 1000.13889)[0] == [5.0]
    assert udfs.SERIESM_REDEEMABLE([[3 * 1000.01]] * rows, 1000.01)[0] == [3.0]
    # §5(j): 9,100 × 4,000 = 36,400,000 issuable against 30,000,000 unissued: 6,400,000 short.
    assert udfs.SERIESM_RESERVE([[30_000_000.0]] * rows, [[9100.0]] * rows)[0] == [6_400_000.0]
    # §8: 4,550 of 9,100 is exactly half, not a majority; §3(d): half is enough.
    assert udfs.SERIESM_CLASSVOTE([[4550.0]] * rows, 9100)[0] == [False]
    assert udfs.SERIESM_APPRAISER([[4550.0]] * rows, 9100)[0] == [True]
