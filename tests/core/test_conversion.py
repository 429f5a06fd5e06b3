"""§5 conversion and §4 votes, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.conversion import (
    Issuance,
    VotesBeforeAnniversary,
    cash_in_lieu,
    common_on_conversion,
    conversion_opens,
    dilute,
    dilution_ledger,
    split_adjust,
    votes,
)
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.numbers import exact, split_whole

D = date
F = Fraction
CLOSING = D(2005, 1, 10)
OPEN = D(2006, 1, 10)
SEVENTHS = F(30000, 7)  # 4,000 × 15/14: the conversion number after the §5(e) example below


@pytest.mark.parametrize(("shares", "day", "number", "holding", "expected", "working"), [
    (500, OPEN, 4000, None, 2_000_000, "anniversary itself allowed; 500 × 4,000"),
    (9100, D(2010, 6, 1), 4000, None, 36_400_000, "all 9,100 × 4,000"),
    (150, OPEN, 4000, 150, 600_000, "150 is the whole holding: 150 × 4,000"),
    (100, OPEN, SEVENTHS, None, F(3_000_000, 7), "100 × 30,000/7 = 428,571 3/7, exact"),
    (7, OPEN, SEVENTHS, 7, 30_000, "7 × 30,000/7 = 30,000 exactly"),
    (9100, OPEN, SEVENTHS, None, 39_000_000, "9,100 × 30,000/7 = 39,000,000 exactly"),
    (9100, OPEN, exact(30000 / 7), None, 39_000_000,
     "30,000/7 through a cell is 4285.714285714285: 9,100 × that = 38,999,999.99999999, "
     "snapped to the whole share"),
    (F(1001, 10), OPEN, 4000, F(1001, 10), 400_400, "100.1 shares, the whole holding"),
    (0, OPEN, 4000, None, 0, "nothing converted, nothing issued (a common-only row)"),
])
def test_common_on_conversion(shares: object, day: date, number: object, holding: object,
                              expected: object, working: str) -> None:
    result = common_on_conversion(F(shares), CLOSING, day, F(number),
                                  None if holding is None else F(holding))
    assert result == F(expected), working


def test_conversion_opens_on_the_first_anniversary() -> None:
    assert conversion_opens(CLOSING) == OPEN
    assert conversion_opens(D(2008, 2, 29)) == D(2009, 2, 28)  # EDATE rule for 29 February
    common_on_conversion(F(100), D(2008, 2, 29), D(2009, 2, 28))  # allowed on the 28th


@pytest.mark.parametrize(("args", "code", "message"), [
    ((F(100), CLOSING, D(2006, 1, 9)), "#N/A",
     "conversion_date = 2006-01-09: before 2006-01-10, the 1-year anniversary when conversion "
     "opens (§5(a)); use that date or later."),
    ((F(150), CLOSING, OPEN), "#NUM!",
     "shares = 150: not a multiple of 100 (§5(a)); use a multiple of 100, or the whole holding "
     "given as holding."),
    ((F(150), CLOSING, OPEN, F(4000), F(250)), "#NUM!",
     "shares = 150: not a multiple of 100 (§5(a)); use a multiple of 100, or the whole holding "
     "given as holding."),
    ((F(300), CLOSING, OPEN, F(4000), F(250)), "#NUM!",
     "shares = 300: more than holding = 250; must be at most that."),
    ((F(100), CLOSING, OPEN, F(0)), "#NUM!", "conversion_number = 0: must be more than 0."),
    ((F(9200), CLOSING, OPEN), "#NUM!",
     "shares = 9200: more than the 9,100 Series M shares designated (§1); use at most 9,100."),
])
def test_conversion_refusals(args: tuple[object, ...], code: str, message: str) -> None:
    with pytest.raises(SeriesMError) as caught:
        common_on_conversion(*args)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.message) == (code, message)


@pytest.mark.parametrize(("shares", "number", "price", "expected", "working"), [
    (7, SEVENTHS, "0.14", "0.00", "7 × 30,000/7 = 30,000: no fraction"),
    (1, SEVENTHS, "0.14", "0.10", "4,285 5/7: 5/7 × $0.14 = $0.10"),
    (100, SEVENTHS, "0.14", "0.06",
     "counted once on the batch (§5(h)): 428,571 3/7, so 3/7 × $0.14 = $0.06, not 100 × 5/7"),
    (7, exact(30000 / 7), "0.14", "0.00", "a conversion number read from a cell: snapped"),
    (100, 4000, "0.30", "0.00", "4,000 a share: always whole"),
    (1, F(40001, 10), "0.25", "0.03", "4,000.1: 0.1 × $0.25 = $0.025, half up to $0.03"),
])
def test_cash_in_lieu(shares: int, number: object, price: str, expected: str,
                      working: str) -> None:
    assert cash_in_lieu(F(shares), F(number), F(price)) == Decimal(expected), working


@pytest.mark.parametrize(("shares", "record", "number", "reading", "expected"), [
    (250, D(2005, 6, 1), 4000, VotesBeforeAnniversary.AS_CONVERTED, 1_000_000),
    (250, D(2005, 6, 1), 4000, VotesBeforeAnniversary.NONE, 0),
    (250, OPEN, 4000, VotesBeforeAnniversary.NONE, 1_000_000),  # from the anniversary, alike
    (1, D(2006, 6, 1), SEVENTHS, VotesBeforeAnniversary.AS_CONVERTED, 4285),  # no vote for 5/7
    (9100, D(2006, 6, 1), exact(30000 / 7), VotesBeforeAnniversary.AS_CONVERTED, 39_000_000),
])
def test_votes(shares: int, record: date, number: object, reading: VotesBeforeAnniversary,
               expected: int) -> None:
    assert votes(F(shares), CLOSING, record, F(number), reading) == expected


@pytest.mark.parametrize(("args", "expected", "working"), [
    ((4000, 1_000_000, 200_000, 30_000), SEVENTHS,
     "price $0.15; C = 120,000; 4,000 × 1,200,000/1,120,000 = 30,000/7"),
    ((4000, 1_000_000, 200_000, 50_000), 4000, "price exactly $0.25 is not below it: unchanged"),
    ((4000, 1_000_000, 200_000, 30_000, True), 4000, "exempt issuance: unchanged"),
    ((4000, 1_000_000, 100_000, 0), 4400, "shares given away: C = 0; 4,000 × 1.1"),
    ((8000, 1_000_000, 200_000, 20_000, False, "0.125"), F(240_000, 29),
     "after a 2-for-1 split with the threshold set to $0.125: price $0.10; C = 160,000; "
     "8,000 × 1,200,000/1,160,000"),
    ((4000, 0, 100, 10), 10_000, "nothing outstanding before: C = 40; 4,000 × 100/40"),
])
def test_dilute(args: tuple[object, ...], expected: object, working: str) -> None:
    converted = [F(a) if not isinstance(a, bool) else a for a in args]
    assert dilute(*converted) == F(expected), working  # type: ignore[arg-type]


def test_dilute_without_a_denominator() -> None:
    with pytest.raises(SeriesMError, match="common_outstanding = 0 and consideration = 0"):
        dilute(F(4000), F(0), F(100), F(0))


def test_dilution_ledger_compounds() -> None:
    # Row 1: 30,000/7 as above. Row 2: 100,000 sold for $10,000 ($0.10) with 1,200,000 out:
    # C = 40,000; 30,000/7 × 1,300,000/1,240,000 = 975,000/217. Row 3: above $0.25: unchanged.
    ledger = dilution_ledger(F(4000), [
        Issuance(F(1_000_000), F(200_000), F(30_000)),
        Issuance(F(1_200_000), F(100_000), F(10_000)),
        Issuance(F(1_300_000), F(100_000), F(90_000)),
    ])
    assert ledger == [SEVENTHS, F(975_000, 217), F(975_000, 217)]


@given(strategies.conversion_numbers, st.integers(0, 10**9), st.integers(1, 10**9),
       st.integers(0, 10**9), st.booleans())
def test_dilution_never_lowers_the_conversion_number(number: Fraction, outstanding: int,
                                                     new: int, paid: int, exempt: bool) -> None:
    if outstanding == 0 and paid == 0:
        return
    assert dilute(number, F(outstanding), F(new), F(paid), exempt) >= number


@pytest.mark.parametrize(("new", "old", "expected"), [(3, 2, 6000), (1, 10, 400), (2, 1, 8000)])
def test_split_adjust(new: int, old: int, expected: int) -> None:
    # §5(c): the holder converts into what it would have held after the split.
    assert split_adjust(F(4000), F(new), F(old)) == expected


@given(strategies.positive_shares, strategies.conversion_numbers)
def test_whole_shares_and_fraction_make_the_exact_conversion(shares: Fraction,
                                                             number: Fraction) -> None:
    exact_common = shares * number
    whole, fraction = split_whole(exact_common)
    assert 0 <= fraction < 1
    assert abs(whole + fraction - exact_common) <= F(1, 10**6)
    if fraction != 0:
        assert whole + fraction == exact_common  # only a snap to a whole number moves it
