"""The column kernels' snapping (issue 22, item 2) is ``numbers.split_whole`` row by row."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from xl_seriesm.core import kernels
from xl_seriesm.core.numbers import snap_shares, split_whole

# Numerators around multiples of the denominator (within a few millionths of a whole share,
# on either side, and exactly on the millionth), and anywhere; denominators small (decimals
# read from cells: 10^k) and large (conversion numbers read back, 10^15 and their products).
denominators = st.one_of(st.sampled_from([1, 10, 100, 10**4, 10**6, 10**7, 10**15, 7 * 10**15]),
                         st.integers(1, 10**18))


@st.composite
def columns(draw: st.DrawFn) -> kernels.Exact:
    d = draw(denominators)
    near = st.builds(lambda whole, off: whole * d + off, st.integers(-10**6, 10**6),
                     st.integers(-(d // 10**6) - 2, d // 10**6 + 2))
    anywhere = st.integers(-(10**6) * d, 10**6 * d)
    return kernels.Exact(draw(st.lists(st.one_of(near, anywhere), min_size=1, max_size=30)), d)


@settings(max_examples=300, deadline=None)
@given(columns())
def test_snapped_is_split_whole_row_by_row(column: kernels.Exact) -> None:
    split = kernels.snapped(column)
    value = kernels.snapped_value(column)
    for index, numerator in enumerate(column.numerators):
        exact = Fraction(numerator, column.denominator)
        whole, rest = split_whole(exact)
        assert split.whole[index] == whole
        assert Fraction(split.rest[index], split.denominator) == rest
        assert Fraction(value.numerators[index], value.denominator) == snap_shares(exact)


@settings(max_examples=100, deadline=None)
@given(st.fractions(), st.integers(1, 5))
def test_one_value_repeated_snaps_once(value: Fraction, count: int) -> None:
    column = kernels.Exact.of_value(value, count)
    whole, rest = split_whole(value)
    split = kernels.snapped(column)
    assert split.whole == [whole] * count
    assert {Fraction(r, split.denominator) for r in split.rest} == {rest}
    snapped = kernels.snapped_value(column)
    assert snapped.value == snap_shares(value)
    assert [Fraction(n, snapped.denominator) for n in snapped.numerators] == [snapped.value] * count


def test_snapping_by_hand() -> None:
    # 9,100 × 4285.714285714285 = 38,999,999.9999999935 (the number read back from a cell,
    # DOMAIN.md): within a millionth of 39,000,000, so 39,000,000 whole and nothing over.
    column = kernels.Exact([9100 * 4285714285714285], 10**12)
    assert kernels.snapped(column).whole == [39_000_000]
    assert kernels.snapped(column).rest == [0]
    # 30,000/7: 4,285 whole and 5/7 over (numbers.split_whole's own example).
    assert kernels.snapped(kernels.Exact([30_000], 7)).whole == [4285]
    assert kernels.snapped(kernels.Exact([30_000], 7)).rest == [5]
    # 1.000001 is exactly a millionth from 1: snapped; 1.0000011 is not.
    assert kernels.snapped_value(kernels.Exact([10_000_010, 10_000_011], 10**7)).numerators \
        == [10**7, 10_000_011]
