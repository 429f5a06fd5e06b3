"""§3 by holder (SERIESM_PAYOUTS): each holder's own choice, worked by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.liquidation import Capital, waterfall
from xl_seriesm.core.payouts import payouts

F = Fraction
TWO = [F(100), F(100)]
ARREARS = [F(0), F(10_000)]


def test_holders_with_different_arrears_decide_differently_when_dividends_are_forfeited() -> None:
    # Two holders of 100 shares (as converted 400,000 common each), arrears $0 and $10,000,
    # 600,000 common, proceeds $370,000, dividends forfeited on conversion.
    # Holder 2 keeps its $110,000 preference (§3(a)); if holder 1 converts it shares the
    # $260,000 left with the common: 400,000 / 1,000,000 × 260,000 = $104,000 > $100,000.
    # Holder 2 converting too would get 400,000 / 1,400,000 × 370,000 = $105,714.29 < $110,000.
    result = payouts(F(370_000), TWO, ARREARS, F(600_000), dividends_on_conversion=False)
    assert result.converts == [True, False]
    assert result.amounts == [Decimal("104000.00"), Decimal("110000.00")]
    assert result.class_total == Decimal("214000.00")


def test_with_dividends_paid_both_convert() -> None:
    # Dividends paid on conversion (§2): holder 2's $10,000 comes first, the $360,000 left is
    # shared by 1,400,000 common: 400,000 each, $102,857.142857…; holder 2 gets $112,857.142857…
    # (more than its $110,000). The class total $215,714.2857… is $215,714.29 (half up, once);
    # cents: 102,857.14 + 112,857.14 = 215,714.28, and the cent left goes to the larger
    # remainder, a tie (.2857… both), so to the earlier row.
    result = payouts(F(370_000), TWO, ARREARS, F(600_000))
    assert result.converts == [True, True]
    assert result.exact == [F(720_000, 7), F(790_000, 7)]
    assert result.class_total == Decimal("215714.29")
    assert result.amounts == [Decimal("102857.15"), Decimal("112857.14")]


def test_shortfall_is_shared_pro_rata_to_the_full_preferential_amounts() -> None:
    # §3(b): $105,000 against preferences of $100,000 and $110,000 (total $210,000): half
    # each, $50,000.00 and $55,000.00; nobody converts.
    result = payouts(F(105_000), TWO, ARREARS, F(600_000))
    assert result.converts == [False, False]
    assert result.amounts == [Decimal("50000.00"), Decimal("55000.00")]


def test_not_convertible_before_the_anniversary() -> None:
    # §5(a): before the anniversary nobody may convert: preferences $100,000 and $110,000.
    result = payouts(F(10_000_000), TWO, ARREARS, F(600_000), convertible=False)
    assert result.amounts == [Decimal("100000.00"), Decimal("110000.00")]


def test_cents_add_up_to_the_class_total() -> None:
    # $100.00 short among three equal claims of $1,000 + $0 each: 33.34, 33.33, 33.33.
    result = payouts(F(100), [F(1)] * 3, [F(0)] * 3, F(1000))
    assert result.amounts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_bad_input() -> None:
    with pytest.raises(SeriesMError, match="holder_shares = 9200: more than the 9,100"):
        payouts(F(1), [F(4600), F(4600)], [F(0), F(0)], F(1))
    with pytest.raises(SeriesMError, match="holder_accrued = -1: must be 0 or more"):
        payouts(F(1), [F(1)], [F(-1)], F(1))


# Up to five holders of up to 1,820 shares: never more than the 9,100 shares of the
# certificate (§1), which payouts() refuses.
holders = st.lists(st.tuples(st.integers(0, 1820).map(F), strategies.cents.map(
    lambda c: c % 1_000_000)), min_size=1, max_size=5)


@given(holders, st.integers(0, 10**10).map(lambda n: F(n, 100)), strategies.common_shares,
       st.booleans())
def test_no_holder_would_change_its_choice_and_the_sum_is_the_class_total(
        rows: list[tuple[Fraction, Fraction]], proceeds: Fraction, common: Fraction,
        paid: bool) -> None:
    shares = [s for s, _ in rows]
    accrued = [a for _, a in rows]
    result = payouts(proceeds, shares, accrued, common, dividends_on_conversion=paid)
    assert sum(result.amounts, Decimal(0)) == result.class_total
    assert Fraction(result.class_total) <= proceeds
    # Equilibrium: flipping any one holder's choice never pays it strictly more.
    for i, converts in enumerate(result.converts):
        kept = result.exact[i]
        if shares[i] == 0:
            continue
        others = [j for j, c in enumerate(result.converts) if c and j != i]
        flipped = _payout(i, proceeds, shares, accrued, common, paid,
                          set(others) | (set() if converts else {i}))
        assert flipped <= kept or proceeds < sum(s * 1000 + a for s, a in rows)


def _payout(i: int, proceeds: Fraction, shares: list[Fraction], accrued: list[Fraction],
            common: Fraction, paid: bool, converting: set[int]) -> Fraction:
    """Holder i's exact payout when exactly ``converting`` convert (no shortfall)."""
    kept = [a if paid else F(0) for a in accrued]
    left = proceeds - sum(shares[j] * 1000 + accrued[j] for j in range(len(shares))
                          if j not in converting) - sum(kept[j] for j in converting)
    pool = common + sum(shares[j] * 4000 for j in converting)
    if i in converting:
        return kept[i] + shares[i] * 4000 * max(left, F(0)) / pool
    return shares[i] * 1000 + accrued[i]


@given(st.integers(1, 9100).map(F), strategies.common_shares, strategies.cents,
       st.integers(0, 10**10).map(lambda n: F(n, 100)))
def test_one_holder_is_the_class_waterfall(shares: Fraction, common: Fraction,
                                           accrued: Fraction, proceeds: Fraction) -> None:
    # With a single holder (or all alike) the holder's payout is SERIESM_WATERFALL's Series M
    # total, dividends paid on conversion.
    split = waterfall(proceeds, Capital(shares, common, accrued))
    result = payouts(proceeds, [shares], [accrued], common)
    assert result.amounts == [split.series_m_total]
    assert result.converts == [split.series_m_converts]


# --- exact decisions on the fast path, and holders within the stack --------------------------

def test_thresholds_a_float_cannot_tell_apart_are_decided_exactly() -> None:
    # Dividends forfeited, 4,000 common a share, one share each: holder 1 owes $10^-14 of
    # arrears, holder 2 none, so their thresholds are (1,000 + 10^-14) ÷ 4,000 and
    # 1,000 ÷ 4,000 = $0.25, 2.5 × 10^-18 apart (as floats both 1,000 ÷ 4,000: the float sort
    # keeps holder 1 first). 4,000 common; proceeds = the preferences (2,000 + 10^-14) plus
    # 4,000 × the midpoint of the two thresholds, so with nobody converting the common is
    # worth just between them. Holder 2 (the lower threshold) converts; the price then falls
    # towards $0.25 but stays above it, and below holder 1's threshold: holder 1 keeps its
    # preference.
    tiny = F(1, 10**14)
    claims = 2000 + tiny
    middle = (F(1000) + tiny / 2) / 4000
    proceeds = claims + 4000 * middle
    result = payouts(proceeds, [F(1), F(1)], [tiny, F(0)], F(4000),
                     dividends_on_conversion=False)
    assert result.converts == [False, True]
    # Holder 1: its preference, 1,000 + 10^-14 (§3(a)). Holder 2: what is left after it,
    # shared by the 4,000 common and its own 4,000: (proceeds − 1,000 − 10^-14) ÷ 2. (The
    # float order puts holder 1 first; the exact check finds holder 2 below the price and
    # redoes the walk in exact order.)
    assert result.exact == [1000 + tiny, (proceeds - 1000 - tiny) / 2]


def test_explain_shows_each_holders_threshold_and_the_price() -> None:
    from xl_seriesm.core.explain import recording  # noqa: PLC0415

    # The first case above: thresholds 100,000 ÷ 400,000 = $0.25 and 110,000 ÷ 400,000 =
    # $0.275; with holder 1 converting the common is worth 260,000 ÷ 1,000,000 = $0.26,
    # above 0.25, not above 0.275.
    with recording() as steps:
        payouts(F(370_000), TWO, ARREARS, F(600_000), dividends_on_conversion=False)
    shown = {step.step: step.value for step in steps}
    assert shown["p: the common's value per share with the converting holders converted"] == F(
        26, 100)
    thresholds = [step.value for step in steps if "threshold, the common's price" in step.step]
    assert thresholds == [F(1, 4), F(11, 40)]
    assert shown["holder 1: p above its threshold"] == F(26, 100)
    assert shown["holder 2: p not above its threshold"] == F(26, 100)


def test_holders_within_a_stack() -> None:
    from xl_seriesm.core.stack import Kind, StackClass  # noqa: PLC0415

    # The first case with a junior Series J of 100,000 shares at $1.00 (non-participating,
    # converting above $1.00): at $470,000 the preferences are 210,000 + 100,000; with holder
    # 1 converting, (470,000 − 110,000 − 100,000) ÷ 1,000,000 = $0.26 a share: above its
    # $0.25, below holder 2's $0.275 and the Series J's $1.00. Holder 1 104,000, holder 2
    # 110,000; the Series J 100,000 and the common 156,000 (stack_waterfall's figures).
    junior = (StackClass("Series J", Kind.PREFERRED, F(100_000), F(1)),)
    result = payouts(F(470_000), TWO, ARREARS, F(600_000), dividends_on_conversion=False,
                     stack=junior)
    assert result.converts == [True, False]
    assert result.amounts == [Decimal("104000.00"), Decimal("110000.00")]
    assert result.class_total == Decimal("214000.00")
    # Short of the Series J's preference: the Series M first (§3(a)), pro rata to its
    # holders' preferences (§3(b)) when short too.
    result = payouts(F(105_000), TWO, ARREARS, F(600_000), stack=junior)
    assert result.amounts == [Decimal("50000.00"), Decimal("55000.00")]


@given(holders, st.integers(0, 10**10).map(lambda n: F(n, 100)), strategies.common_shares,
       st.booleans(), st.booleans(), strategies.conversion_numbers)
def test_the_fast_path_is_the_stack_model_without_a_stack(
        rows: list[tuple[Fraction, Fraction]], proceeds: Fraction, common: Fraction,
        paid: bool, convertible: bool, number: Fraction) -> None:
    # Two implementations: integers with one float sort, and the stack's exact fixed point.
    from xl_seriesm.core.stack import Holder, Structure  # noqa: PLC0415

    shares = [s for s, _ in rows]
    accrued = [a for _, a in rows]
    result = payouts(proceeds, shares, accrued, common, number, convertible, paid)
    built = Structure([Holder(s * 1000 + a, a if paid else F(0), s * number) for s, a in rows],
                      (), common, convertible)
    model = built.pay(proceeds)
    assert result.exact == model.exact[:-1]
    assert result.converts == model.chooses[:-1]
