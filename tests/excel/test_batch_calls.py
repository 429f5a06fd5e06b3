"""The column-at-a-time path gives exactly what the cell-by-cell path gives."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core import columns
from xl_seriesm.excel import udfs
from xl_seriesm.excel.batch_calls import MIN_ROWS

# Floats as Excel holds them: whole numbers, cents, four-decimal shares, awkward binary ones
# (0.1 + 0.2), and a few invalid ones (negative, too many shares) the kernels must flag.
share_cells = st.one_of(
    st.integers(0, 9100).map(float),
    st.integers(0, 91_000_000).map(lambda n: n / 10_000),
    st.sampled_from([0.1 + 0.2, 1 / 3, 9100.0, 9100.5, -1.0, 4285.714285714285]),
)
money_cells = st.one_of(
    st.integers(0, 10**9).map(lambda n: n / 100),
    st.sampled_from([0.0, 0.125, 1e-9, -0.01, 123456789.125]),
)
rows = st.integers(MIN_ROWS, 3 * MIN_ROWS)


@given(rows.flatmap(lambda n: st.tuples(st.lists(share_cells, min_size=n, max_size=n),
                                        st.lists(money_cells, min_size=n, max_size=n))),
       strategies.dates, strategies.dates, st.integers(0, 4),
       st.sampled_from(["SERIESM_ACCRUED", "SERIESM_LIQVALUE", "SERIESM_REDEEM"]))
def test_accrual_columns_equal_cells(data: tuple[list[float], list[float]], a: date, b: date,
                                     basis: int, name: str) -> None:
    shares, paid = data
    a, b = sorted((a, b))
    function = getattr(udfs, name)
    together = function([[s] for s in shares], a, b, [[p] for p in paid], basis)
    one_by_one = [function(s, a, b, p, basis) for s, p in zip(shares, paid, strict=True)]
    for index, (got, alone) in enumerate(zip(together, one_by_one, strict=True)):
        if udfs.is_error_text(alone):
            assert got[0] == alone.replace(" = ", f" row {index + 1} = ", 1)
        else:
            assert got == [alone]


exits = st.one_of(st.integers(0, 10**9).map(float), st.integers(0, 10**11).map(lambda n: n / 100),
                  st.sampled_from([-5.0, 0.1 + 0.2, 18_300_000.0, 1e15]))


@given(rows.flatmap(lambda n: st.lists(exits, min_size=n, max_size=n)),
       st.integers(1, 9100), st.integers(1, 10**9), st.integers(0, 10**8).map(lambda n: n / 100),
       st.sampled_from([4000.0, 30000 / 7, 4050.632911392405, 1234.5]), st.booleans(),
       st.booleans())
def test_waterfall_columns_equal_cells(proceeds: list[float], pref: int, common: int,
                                       accrued: float, number: float, convertible: bool,
                                       dividends: bool) -> None:
    args = (pref, common, accrued, number, convertible, dividends)
    table = udfs.SERIESM_WATERFALL([[p] for p in proceeds], *args)
    for exit_value, row in zip(proceeds, table[1:], strict=True):
        alone = udfs.SERIESM_WATERFALL(exit_value, *args)
        if udfs.is_error_text(alone):
            assert udfs.is_error_text(row[0])
        else:
            assert row == [exit_value, *(value for _, value in alone)]


def test_read_floats_finds_the_shortest_decimals() -> None:
    column = columns.read_floats([0.1, 0.25, 1234.5, 9100.0])
    assert column is not None
    # 0.25 needs two decimals, so every value is held in hundredths.
    assert (column.digits, column.scale) == ([10, 25, 123450, 910000], 2)


def test_read_floats_gives_up_on_long_fractions() -> None:
    # 1/3 has no short decimal form: the per-cell path reads it (exactly, through repr).
    assert columns.read_floats([1 / 3]) is None
    assert columns.read_floats([float("nan")]) is None


decimal_floats = st.one_of(
    st.integers(-10**12, 10**12).flatmap(
        lambda n: st.integers(0, columns.MAX_DECIMALS).map(lambda k: n / 10**k)),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
)


@given(st.lists(decimal_floats, min_size=1, max_size=8))
def test_read_floats_reads_each_float_as_the_per_cell_path_does(values: list[float]) -> None:
    """A column is each float's shortest decimal form (``repr``), exactly as
    :func:`xl_seriesm.core.numbers.exact` reads one cell; when a float has more decimals
    than a column holds, the column is refused and the cells are read one by one."""
    column = columns.read_floats(values)
    exact = [Fraction(repr(v)) for v in values]
    if column is None:
        assert any((e * 10**columns.MAX_DECIMALS).denominator != 1
                   or abs(e) * 10**columns.MAX_DECIMALS >= 2**50 for e in exact)
    else:
        assert [Fraction(d, 10**column.scale) for d in column.digits] == exact
