"""§6 redemption and §4/§5(j)/§8/§9(a) checks, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.governance import class_vote_passes, par_value_headroom, reserve_shortfall
from xl_seriesm.core.redemption import (
    earliest_redemption_date,
    last_conversion_date,
    redeemable_shares,
    redemption_price,
)

F = Fraction
D = date


def test_redemption_price() -> None:
    # 100 shares, 10 Jan to 10 Jul 2005 (180/360): 100,000 + 100 × 50 × 1/2 = 102,500.
    assert redemption_price(F(100), D(2005, 1, 10), D(2005, 7, 10)) == Decimal("102500.00")
    # With $1,000 of it already paid: 101,500.
    assert redemption_price(F(100), D(2005, 1, 10), D(2005, 7, 10),
                            F(1000)) == Decimal("101500.00")


@pytest.mark.parametrize(("funds", "price", "called", "fractional", "expected", "why"), [
    (1_000_000, 1025, None, False, 975, "1,000,000 / 1,025 = 975.6: 975 whole shares"),
    (1_000_000, 1025, None, True, F(1_000_000, 1025), "fractional: 975 25/41"),
    (1_000_000, 1025, 500, False, 500, "never more than called"),
    (0, 1025, None, False, 0, "no lawful funds: none"),
    (1025, 1025, None, False, 1, "exactly one share"),
])
def test_redeemable(funds: int, price: int, called: int | None, fractional: bool,
                    expected: object, why: str) -> None:
    result = redeemable_shares(F(funds), F(price), None if called is None else F(called),
                               fractional)
    assert result == F(expected), why


def test_redemption_dates() -> None:
    assert earliest_redemption_date(D(2007, 3, 1)) == D(2007, 3, 16)     # 15 days' notice
    assert last_conversion_date(D(2007, 3, 1), D(2005, 1, 10)) == D(2007, 3, 11)  # 10 days
    # Window 1 to 11 Jan 2006 reaches the 10 Jan anniversary: the holder may convert until 11th.
    assert last_conversion_date(D(2006, 1, 1), D(2005, 1, 10)) == D(2006, 1, 11)


def test_first_year_redemption_leaves_no_conversion() -> None:
    with pytest.raises(SeriesMError) as caught:
        last_conversion_date(D(2005, 6, 1), D(2005, 1, 10))
    assert caught.value.code == "#N/A"


@pytest.mark.parametrize(("shares_for", "outstanding", "passes"), [
    (4551, 9100, True), (4550, 9100, False), (1, 1, True), (0, 100, False),
    (F(4550.5), 9100, True),
])
def test_class_vote(shares_for: object, outstanding: int, passes: bool) -> None:
    # §8: "at least a majority of the then outstanding shares": more than half of them.
    assert class_vote_passes(F(shares_for), F(outstanding)) is passes


def test_reserve_and_par_value() -> None:
    # §5(j): 9,100 × 4,000 = 36,400,000 needed; 30,000,000 unissued leaves 6,400,000 short.
    assert reserve_shortfall(F(30_000_000), F(9100)) == 6_400_000
    assert reserve_shortfall(F(40_000_000), F(9100)) == 0
    # §9(a): $1,000 / 4,000 = $0.25 per common share paid, $0.20 above the $0.05 par;
    # at 20,000 exactly $0.05 (allowed); at 25,000 $0.04, a cent below par.
    assert par_value_headroom(F(4000)) == F(1, 5)
    assert par_value_headroom(F(20_000)) == 0
    assert par_value_headroom(F(25_000)) == F(-1, 100)


def test_no_more_than_can_exist_and_no_price_below_the_stated_value() -> None:
    # $20,000,000 at $1,000 a share would pay for 20,000 shares; only the 9,100 designated
    # can be outstanding (§1), so with no call given 9,100 at most, whole or fractional.
    assert redeemable_shares(Fraction(20_000_000), Fraction(1000)) == 9100
    assert redeemable_shares(Fraction(20_000_000), Fraction(1000), fractional=True) == 9100
    # Called: the call bounds it (5,000 of the 20,000 paid for).
    assert redeemable_shares(Fraction(20_000_000), Fraction(1000), Fraction(5000)) == 5000
    # §6(a): the price is the $1,000 Stated Value plus accrued dividends; $999.99 is none.
    with pytest.raises(SeriesMError, match=r"price_per_share = 999\.99: must be at least "
                                           r"the \$1,000 Stated Value"):
        redeemable_shares(Fraction(100_000), Fraction("999.99"))


def test_the_column_path_caps_and_refuses_row_by_row() -> None:
    # The function over a column (the column kernel) as cell by cell: the 9,100 cap and the
    # $1,000 floor per row.
    from xl_seriesm.udfs import SERIESM_REDEEMABLE  # noqa: PLC0415

    found = SERIESM_REDEEMABLE([[20_000_000.0], [1_000_000.0], [100_000.0]],
                               [[1000.0], [1025.0], [999.99]])
    assert found[0] == [9100.0]
    assert found[1] == [975.0]  # 1,000,000 ÷ 1,025 = 975.6…: 975 whole shares
    assert str(found[2][0]).startswith("#NUM! price_per_share row 3 = 999.99: must be at least")
