"""§3(b) and §6(b) pro rata allocation in whole units."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.core.allocation import allocate
from xl_seriesm.core.errors import SeriesMError

F = Fraction


@pytest.mark.parametrize(("amount", "weights", "unit", "expected", "working"), [
    (100, [1, 1, 1], "0.01", ["33.34", "33.33", "33.33"],
     "33.333… each; one cent left goes to the first row on the tie"),
    (975, [3500, 2500, 1850, 1000, 250], 1, [375, 268, 198, 107, 27],
     "quotas 375, 267.857, 198.214, 107.143, 26.786; 2 left to .857 and .786"),
    (10, [0, 1], 1, [0, 10], "a zero weight gets nothing"),
    (0, [0, 0], 1, [0, 0], "nothing to split among nobody"),
    ("9200000.00", [2, 1], "0.01", ["6133333.33", "3066666.67"],
     "920,000,000 cents × 2/3 = 613,333,333.33 and × 1/3 = 306,666,666.67: whole parts add to "
     "919,999,999; the cent left goes to the larger remainder (.67), the second row"),
])
def test_allocate_by_hand(amount: object, weights: list[int], unit: object,
                          expected: list[object], working: str) -> None:
    result = allocate(F(amount), [F(w) for w in weights], F(unit))
    assert result == [F(e) for e in expected], working


def test_allocate_refusals() -> None:
    with pytest.raises(SeriesMError, match=r"amount = 100\.005: must be a whole number of units"):
        allocate(F("100.005"), [F(1)])
    with pytest.raises(SeriesMError, match="weights = -1: must be 0 or more"):
        allocate(F(1), [F(1), F(-1)])
    with pytest.raises(SeriesMError, match="weights = 0: must be more than 0 in total"):
        allocate(F(1), [F(0)])


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=30),
       st.sampled_from([F(1, 100), F(1)]))
def test_allocation_adds_up_and_stays_within_a_unit_of_the_quota(
        units: int, weights: list[int], unit: Fraction) -> None:
    if sum(weights) == 0:
        return
    amount = units * unit
    parts = allocate(amount, [F(w) for w in weights], unit)
    assert sum(parts) == amount
    for part, weight in zip(parts, weights, strict=True):
        quota = amount * weight / sum(weights)
        assert (part / unit).denominator == 1
        assert quota - unit < part < quota + unit
