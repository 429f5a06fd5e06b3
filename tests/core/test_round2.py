"""Fidelity at the edges (issue 9): each expected value worked by hand from the certificate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.allocation import allocate
from xl_seriesm.core.conversion import (
    LeapAnniversary,
    VotesBeforeAnniversary,
    common_on_conversion,
    conversion_opens,
    votes,
)
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.governance import (
    appraiser_may_be_required,
    class_vote_passes,
    other_dividend_allowed,
    reserve_shortfall,
)
from xl_seriesm.core.liquidation import Capital, waterfall
from xl_seriesm.core.numbers import exact
from xl_seriesm.core.redemption import last_conversion_date, redeemable_shares, redemption_price

F = Fraction
D = date


# --- §3: the waterfall never hands out more than the proceeds -------------------------------

def test_a_shortfall_of_half_a_cent_never_gives_the_common_a_negative_amount() -> None:
    # §3(a), (b): $1,000.005 against a $9,200,000 preference: all of it is the Series M's, but
    # only whole cents can be paid: $1,000.00 (half up would say $1,000.01, more than there
    # is); the common takes the exact rest, $0.005, never −$0.005.
    cap = Capital(F(9100), F(36_400_000), F(100_000))
    split = waterfall(exact(1000.005), cap)
    assert split.series_m_total == Decimal("1000.00")
    assert split.common_total == F(5, 1000)


@given(st.integers(0, 10**9).map(lambda n: F(n, 1000)), strategies.positive_shares,
       strategies.common_shares, strategies.cents, st.booleans(), st.booleans())
def test_waterfall_never_pays_out_more_than_the_proceeds(
        proceeds: Fraction, shares: Fraction, common: Fraction, accrued: Fraction,
        convertible: bool, forfeit: bool) -> None:
    split = waterfall(proceeds, Capital(shares, common, accrued,
                                        dividends_on_conversion=not forfeit), convertible)
    assert Fraction(split.series_m_total) <= proceeds
    assert split.common_total >= 0
    assert Fraction(split.series_m_total) + split.common_total == proceeds


# --- §6: redemption ---------------------------------------------------------------------------

@pytest.mark.parametrize(("funds", "price", "expected", "why"), [
    ("5000.69", "1000.13889", 5, "5 × $1,000.13889 = $5,000.69445, paid as $5,000.69 (rounded "
     "as SERIESM_REDEEM rounds): it fits, so 5, although 5,000.69 ÷ 1,000.13889 is 4.99999…"),
    ("5000.68", "1000.13889", 4, "$5,000.69 does not fit $5,000.68: 4 shares cost $4,000.56"),
    ("1000000", "1025", 975, "975 × $1,025 = $999,375; 976 would cost $1,000,400"),
    ("3000.0299999999997", "1000.01", 3, "a sum of three prices typed in a cell carries float "
     "noise: within a millionth of a dollar of $3,000.03, which pays 3 × $1,000.01"),
])
def test_redeemable_counts_the_price_in_cents(funds: str, price: str, expected: int,
                                              why: str) -> None:
    assert redeemable_shares(F(funds), F(price)) == expected, why


def test_shares_called_zero_means_none_called() -> None:
    # §6(a): a Notice of Optional Redemption for 0 shares redeems 0, whatever the funds.
    assert redeemable_shares(F(1_000_000), F(1025), F(0)) == 0


@pytest.mark.parametrize(("redemption", "ok"), [
    (D(2005, 1, 24), False), (D(2005, 1, 25), True)])
def test_redemption_not_earlier_than_15_days_after_the_closing(redemption: date,
                                                               ok: bool) -> None:
    # §6(a): "at any time after the Closing Date, upon fifteen (15) days' notice": a Closing
    # on 10 January 2005 allows a redemption on 25 January at the earliest (10 + 15).
    if ok:
        # 15 of the 90 days of the first period (30/360): 100 × $1,000 + $1,250 × 15/90.
        assert redemption_price(F(100), D(2005, 1, 10), redemption) == Decimal("100208.33")
        return
    with pytest.raises(SeriesMError) as caught:
        redemption_price(F(100), D(2005, 1, 10), redemption)
    assert caught.value.code == "#NUM!"
    assert caught.value.message.startswith(
        "redemption_date = 2005-01-24: earlier than 2005-01-25, 15 days after the Closing Date "
        "(§6(a)")


# --- §5(a): the anniversary of a 29 February Closing Date -----------------------------------

def test_anniversary_of_29_february() -> None:
    # §5(a) "beginning on the one (1) year anniversary": 2009 has no 29 February; 28 February
    # by default (Excel's EDATE), or 1 March when a full year must have passed.
    closing = D(2008, 2, 29)
    assert conversion_opens(closing) == D(2009, 2, 28)
    assert conversion_opens(closing, LeapAnniversary.MAR_1) == D(2009, 3, 1)
    assert conversion_opens(D(2008, 2, 28), LeapAnniversary.MAR_1) == D(2009, 2, 28)
    with pytest.raises(SeriesMError, match="before 2009-03-01"):
        common_on_conversion(F(100), closing, D(2009, 2, 28),
                             leap_anniversary=LeapAnniversary.MAR_1)
    assert common_on_conversion(F(100), closing, D(2009, 2, 28)) == 400_000
    # §4 literal reading: no votes on 28 February 2009 under the 1 March anniversary.
    assert votes(F(100), closing, D(2009, 2, 28), before_anniversary=VotesBeforeAnniversary.NONE,
                 leap_anniversary=LeapAnniversary.MAR_1) == 0
    # §6(a): a notice received 15 February 2009 leaves until 25 February, before 1 March.
    with pytest.raises(SeriesMError, match="#N/A"):
        last_conversion_date(D(2009, 2, 15), closing, LeapAnniversary.MAR_1)
    assert last_conversion_date(D(2009, 2, 18), closing) == D(2009, 2, 28)


# --- snapping share counts -------------------------------------------------------------------

def test_reserve_snaps_a_conversion_number_read_from_a_cell() -> None:
    # §5(j): 9,100 × 30,000/7 = 39,000,000 exactly; read back from a cell the number is
    # 4285.714285714285 and the product 38,999,999.99999999, which is 39,000,000 shares:
    # against 38,999,999 unissued the shortfall is exactly 1.
    assert reserve_shortfall(F(38_999_999), F(9100), exact(30000 / 7)) == 1


def test_convert_snaps_shares_before_the_lot_test() -> None:
    # §5(a): 300 shares typed as 0.1 × 3000 (300.00000000000006) are a multiple of 100.
    assert common_on_conversion(exact(0.1 * 3000), D(2005, 1, 10), D(2006, 1, 10)) == 1_200_000


def test_class_vote_snaps_counts() -> None:
    # §8: 4,550.0000000001 of 9,100 is half (within a millionth), not a majority.
    assert class_vote_passes(exact(4550.0000000001), F(9100)) is False


# --- §3(d) appraiser, §2 blocker ------------------------------------------------------------

@pytest.mark.parametrize(("requesting", "expected", "why"), [
    (4550, True, "§3(d) 'fifty percent (50%) or more': exactly half of 9,100 suffices"),
    (4549, False, "4,549 of 9,100 is 49.99%"),
    (9100, True, "all of them"),
])
def test_appraiser(requesting: int, expected: bool, why: str) -> None:
    assert appraiser_may_be_required(F(requesting), F(9100)) is expected, why


def test_appraiser_requesting_more_than_outstanding_is_refused() -> None:
    with pytest.raises(SeriesMError, match="requesting_shares = 9101: more than"):
        appraiser_may_be_required(F(9101), F(9100))


@pytest.mark.parametrize(("arrears", "set_apart", "expected", "why"), [
    (0, 0, True, "§2: nothing in arrears, nothing blocks a dividend on the common"),
    ("2875", 0, False, "§2: $2,875 in arrears and nothing set apart: 'the deficiency shall "
     "first be paid'"),
    ("2875", "2875", True, "a sum sufficient for the arrears set apart"),
    ("2875", "2874.99", False, "a cent short of sufficient"),
])
def test_dividend_on_other_stock(arrears: str, set_apart: str, expected: bool,
                                 why: str) -> None:
    assert other_dividend_allowed(F(arrears), F(set_apart)) is expected, why


def test_allocate_snaps_a_share_count_read_from_a_cell() -> None:
    # §6(b): 975 shares to redeem that arrive from a sum of cells as 974.9999999999999, over
    # holdings of 3,500 and 5,600: quotas 375 and 600, exactly.
    assert allocate(exact(974.9999999999999), [F(3500), F(5600)], F(1)) == [375, 600]
