"""§3 liquidation, worked by hand, and its invariants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.liquidation import (
    Capital,
    Transaction,
    breakpoint,
    deemed_liquidation,
    liquidation_value,
    waterfall,
)

F = Fraction
# The reference case: all 9,100 shares, 36,400,000 common, $100,000 accrued, 4,000 per share.
# Preference L = 9,100 × 1,000 + 100,000 = 9,200,000. As converted the class holds
# 36,400,000 of 72,800,000 common: f = 1/2. Breakpoint = 100,000 + 9,100,000 ÷ 1/2 = 18,300,000.
CAP = Capital(F(9100), F(36_400_000), F(100_000))


def test_reference_case_constants() -> None:
    assert CAP.preference == 9_200_000
    assert CAP.converted_fraction == F(1, 2)
    assert CAP.breakpoint() == 18_300_000


@pytest.mark.parametrize(("proceeds", "series_m", "common", "converts", "working"), [
    (0, "0.00", 0, False, "nothing to share"),
    (5_000_000, "5000000.00", 0, False, "short of the preference: the Series M takes it all"),
    (9_200_000, "9200000.00", 0, False, "exactly the preference"),
    (12_000_000, "9200000.00", 2_800_000, False, "preference paid, the rest to the common"),
    (18_300_000, "9200000.00", 9_100_000, False,
     "at the breakpoint converting pays 100,000 + 18,200,000/2 = 9,200,000: equal, so no"),
    (20_100_000, "10100000.00", 10_000_000, True, "converts: 100,000 + 20,000,000/2"),
    (F("18300000.02"), "9200000.01", F("9100000.01"), True,
     "two cents past the breakpoint: 100,000 + 18,200,000.02/2 = 9,200,000.01"),
])
def test_waterfall_by_hand(proceeds: object, series_m: str, common: object, converts: bool,
                           working: str) -> None:
    split = waterfall(F(proceeds), CAP)
    assert split.series_m_total == Decimal(series_m), working
    assert split.common_total == F(common)
    assert split.series_m_converts is converts
    assert Fraction(split.series_m_total) + split.common_total == F(proceeds)


def test_not_convertible_keeps_the_preference() -> None:
    # Before the anniversary: 20,100,000 pays the Series M only its 9,200,000 preference.
    split = waterfall(F(20_100_000), CAP, convertible=False)
    assert split.series_m_total == Decimal("9200000.00")
    assert split.common_total == 10_900_000
    assert split.series_m_converts is False
    assert split.conversion_breakpoint == 18_300_000  # still reported


def test_dividends_forfeited_on_conversion() -> None:
    # Forfeited: converting pays P × 1/2; breakpoint = L ÷ f = 9,200,000 × 2 = 18,400,000.
    cap = Capital(F(9100), F(36_400_000), F(100_000), dividends_on_conversion=False)
    assert cap.breakpoint() == 18_400_000
    assert waterfall(F(18_350_000), cap).series_m_converts is False
    split = waterfall(F(20_000_000), cap)
    assert (split.series_m_total, split.series_m_converts) == (Decimal("10000000.00"), True)


def test_per_share_values() -> None:
    split = waterfall(F(20_100_000), CAP)
    assert split.series_m_per_share == F(10_100_000, 9100)
    assert split.common_per_share == F(10_000_000, 36_400_000)


def test_breakpoint_with_an_adjusted_conversion_number() -> None:
    # 9,100 shares at 4,000 beside 138,500,000 common: as converted 36,400,000 of 174,900,000.
    # Breakpoint = 100,000 + 9,100,000 × 174,900,000 / 36,400,000 = 100,000 + 43,725,000.
    assert breakpoint(F(9100), F(138_500_000), F(100_000)) == 43_825_000


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"pref_shares": F(0)}, "pref_shares = 0: must be more than 0."),
    ({"common_shares": F(0)}, "common_shares = 0: must be more than 0."),
    ({"accrued_dividends": F(-1)}, "accrued_dividends = -1: must be 0 or more."),
    ({"conversion_number": F(0)}, "conversion_number = 0: must be more than 0."),
])
def test_capital_refusals(kwargs: dict[str, Fraction], message: str) -> None:
    values = {"pref_shares": F(9100), "common_shares": F(1), "accrued_dividends": F(0),
              **kwargs}
    with pytest.raises(SeriesMError) as caught:
        Capital(**values)
    assert caught.value.message == message


def test_negative_proceeds_refused() -> None:
    with pytest.raises(SeriesMError, match="proceeds = -1: must be 0 or more"):
        waterfall(F(-1), CAP)


capitals = st.builds(
    Capital, strategies.positive_shares, strategies.common_shares, strategies.cents,
    strategies.conversion_numbers, st.booleans())


@given(capitals, strategies.cents, st.booleans())
def test_waterfall_hands_out_exactly_the_proceeds(cap: Capital, proceeds: Fraction,
                                                  convertible: bool) -> None:
    split = waterfall(proceeds, cap, convertible)
    assert Fraction(split.series_m_total) + split.common_total == proceeds
    assert split.series_m_total >= 0
    assert split.common_total >= 0


@given(capitals, strategies.cents, strategies.cents, st.booleans())
def test_more_proceeds_never_pay_any_class_less(cap: Capital, a: Fraction, b: Fraction,
                                                convertible: bool) -> None:
    low, high = sorted((a, b))
    first, second = waterfall(low, cap, convertible), waterfall(high, cap, convertible)
    assert second.series_m_total >= first.series_m_total
    assert second.common_total >= first.common_total


@given(capitals, strategies.cents)
def test_series_m_converts_exactly_when_it_pays_more(cap: Capital, proceeds: Fraction) -> None:
    assume(proceeds > 0)
    split = waterfall(proceeds, cap)
    preference = min(proceeds, cap.preference)
    assert split.series_m_converts is (cap.on_conversion(proceeds) > preference)


def test_liquidation_value() -> None:
    # 100 shares, one year of 30/360 accrual ($5,000), $2,500 paid: 100,000 + 2,500.
    assert liquidation_value(F(100), date(2005, 1, 10), date(2006, 1, 10),
                             F(2500)) == Decimal("102500.00")
    # A third of a share: 333.333… + 16.666… = 350.00 exactly, rounded once.
    assert liquidation_value(F(1, 3), date(2005, 1, 10), date(2006, 1, 10)) == Decimal("350.00")


@pytest.mark.parametrize(("kwargs", "verdict", "reason"), [
    ({"transaction": Transaction.MERGER, "voting_power_kept": F(40, 100)}, True,
     "yes: a merger leaving shareholders 40% of the voting power (§3(c)(i)), elected by holders "
     "of 60% of the Series M (§3(c))"),
    ({"transaction": Transaction.MERGER, "voting_power_kept": F(1, 2)}, True, None),
    ({"transaction": Transaction.MERGER, "voting_power_kept": F(51, 100)}, False,
     "no: shareholders keep 51% of the voting power, more than 50% (§3(c)(i))"),
    ({"transaction": Transaction.MERGER, "voting_power_kept": F(0), "shares_exchanged": False},
     False, "no: the Company's shares are not exchanged for the other corporation's securities "
     "or consideration (§3(c)(i))"),
    ({"transaction": Transaction.ASSET_SALE}, True, None),
    ({"transaction": Transaction.ASSET_SALE, "substantially_all": False}, False,
     "no: not all or substantially all of the assets (§3(c)(ii))"),
    ({"transaction": Transaction.ASSET_SALE, "lender_pledge": True}, False,
     "no: a pledge or security interest to a bona fide lender is excluded (§3(c)(ii))"),
    ({"transaction": Transaction.ASSET_SALE, "affiliate_transfer": True}, False,
     "no: a transfer to or by a wholly-owned subsidiary or parent is excluded (§3(c)(ii))"),
    ({"transaction": Transaction.ASSET_SALE, "electing_shares": F(4550)}, True, None),
    ({"transaction": Transaction.ASSET_SALE, "electing_shares": F(4549)}, False,
     "no: a sale, transfer or lease of substantially all the assets (§3(c)(ii)) qualifies, but "
     "holders of only 49.99% of the Series M elect; 50% is needed (§3(c))"),
])
def test_deemed_liquidation(kwargs: dict[str, object], verdict: bool, reason: str | None) -> None:
    # 9,100 outstanding; 5,460 electing is 60%; 4,550 is exactly the 50% §3(c) requires.
    arguments = {"electing_shares": F(5460), "outstanding_shares": F(9100), **kwargs}
    result = deemed_liquidation(**arguments)  # type: ignore[arg-type]
    assert result.treated_as_liquidation is verdict
    if reason is not None:
        assert result.reason == reason


def test_reasons_show_which_side_of_50_percent() -> None:
    # 50.0001% kept is more than 50%: the reason must not print "50.00%, more than 50%".
    kept = deemed_liquidation(Transaction.MERGER, F(9100), F(9100), F(500001, 1000000))
    assert kept.reason == "no: shareholders keep 50.0001% of the voting power, more than 50% " \
                          "(§3(c)(i))"
    # 4,549.99 of 9,100 elect: 49.9998901…%, short of 50%.
    short = deemed_liquidation(Transaction.ASSET_SALE, F("4549.99"), F(9100))
    assert "holders of only 49.9999% of the Series M elect" in short.reason


def test_deemed_liquidation_merger_needs_voting_power() -> None:
    with pytest.raises(SeriesMError, match="voting_power_kept = \\(empty\\): required"):
        deemed_liquidation(Transaction.MERGER, F(9100), F(9100))
