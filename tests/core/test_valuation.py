"""The option pricing model: Black-Scholes against the textbook, breakpoints against the
published example worked by hand, and the invariants the theory promises."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.stats import norm

from xl_seriesm.core import valuation
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.liquidation import Capital, waterfall
from xl_seriesm.core.valuation import (
    Common,
    Market,
    Preferred,
    Warrant,
    backsolve,
    black_scholes_call,
    class_values,
    normal_cdf,
    opm_value,
    series_m_structure,
    tranches,
)

F = Fraction


def scipy_call(spot: float, strike: float, market: Market) -> float:
    """Black-Scholes with scipy's normal distribution: an independent implementation."""
    if strike == 0:
        return spot
    sigma, t, r = market.volatility, market.term_years, market.risk_free_rate
    d1 = (math.log(spot / strike) + (r + sigma ** 2 / 2) * t) / (sigma * math.sqrt(t))
    return float(spot * norm.cdf(d1) - strike * math.exp(-r * t) * norm.cdf(d1 - sigma * t ** .5))


# --- Black-Scholes -------------------------------------------------------------------------

def test_black_scholes_textbook_call() -> None:
    # S = K = 10, σ = 40%, r = 4.27%, T = 10 (a published textbook figure):
    # σ√T = 0.4 × 3.16228 = 1.26491; d1 = (ln 1 + (0.0427 + 0.08) × 10) ÷ 1.26491
    # = 1.227 ÷ 1.26491 = 0.97003; d2 = 0.97003 − 1.26491 = −0.29488;
    # C = 10 × Φ(0.97003) − 10 × e^(−0.427) × Φ(−0.29488)
    #   = 10 × 0.833984 − 6.524641 × 0.384043 = 8.33984 − 2.50574 = 5.83411.
    call = black_scholes_call(10.0, 10.0, Market(0.4, 10.0, 0.0427))
    assert round(call.d1, 5) == 0.97003
    assert round(call.d2, 5) == -0.29488
    assert round(call.value, 5) == 5.83411


def test_normal_cdf_is_scipys() -> None:
    for x in (-12.0, -6.0, -1.5, -0.29488, 0.0, 0.97003, 3.0, 8.0):
        assert normal_cdf(x) == pytest.approx(norm.cdf(x), rel=1e-13, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(st.floats(1, 1e9), st.floats(0.01, 1e9), st.floats(0.05, 3), st.floats(0.1, 20),
       st.floats(-0.02, 0.15))
def test_black_scholes_is_scipys(spot: float, strike: float, sigma: float, term: float,
                                 rate: float) -> None:
    market = Market(sigma, term, rate)
    assert black_scholes_call(spot, strike, market).value == pytest.approx(
        scipy_call(spot, strike, market), rel=1e-9, abs=1e-9 * spot)


# --- breakpoints ---------------------------------------------------------------------------

PUBLISHED = [Preferred("Series A", F(1000), F(500)),   # $1,000 preference, converts at $2
             Preferred("Series B", F(1500), F(300)),   # $1,500 preference, converts at $5
             Common("Common", F(1500)),
             Warrant("Warrants", F(250), F(10))]       # 250 warrants at $10


def test_published_example_breakpoints_and_allocations() -> None:
    # Worked by hand. The preferences rank together: 1,000 + 1,500 = 2,500, shared 40/60.
    # Then the common alone, until it is worth $2 a share (Series A's conversion price):
    # 2,500 + 1,500 × $2 = 5,500. Series A joins with 1,000 ÷ 2 = 500 shares: 2,000 shares
    # share each dollar until $5 a share (Series B's price): 5,500 + 2,000 × 3 = 11,500.
    # Series B joins with 1,500 ÷ 5 = 300 shares: 2,300 shares until the $10 strike:
    # 11,500 + 2,300 × 5 = 23,000. Then the 250 warrants too: 2,550 shares.
    found = tranches(PUBLISHED)
    assert [t.lower for t in found] == [0, 2500, 5500, 11500, 23000]
    assert [t.upper for t in found] == [2500, 5500, 11500, 23000, None]
    #                A             B            Common           Warrants
    assert [t.allocation for t in found] == [
        (F(2, 5), F(3, 5), F(0), F(0)),                        # pro rata to preferences
        (F(0), F(0), F(1), F(0)),                              # the common alone
        (F(500, 2000), F(0), F(1500, 2000), F(0)),             # 25% / 75%
        (F(500, 2300), F(300, 2300), F(1500, 2300), F(0)),     # 21.74% / 13.04% / 65.22%
        (F(500, 2550), F(300, 2550), F(1500, 2550), F(250, 2550)),
    ]


def test_seniority_pays_the_senior_preference_first() -> None:
    senior = [Preferred("B", F(1500), F(300), rank=1), Preferred("A", F(1000), F(500), rank=2),
              Common("Common", F(1500))]
    found = tranches(senior)
    assert [(t.lower, t.allocation[:2]) for t in found[:2]] == [
        (0, (F(1), F(0))), (1500, (F(0), F(1)))]


def test_series_m_tranches_by_hand() -> None:
    # 9,100 shares, 36,400,000 common, $100,000 accrued, 4,000 per share (§3, §5, §2):
    # L = 9,100 × 1,000 + 100,000 = 9,200,000; as converted 36,400,000 common, so the
    # conversion price is $1,000 ÷ 4,000 = $0.25 (the dividends are kept, §2), and the
    # common alone takes 9,200,000 to 9,200,000 + 36,400,000 × 0.25 = 18,300,000, the
    # conversion breakpoint of SERIESM_BREAKPOINT; then half each (72,800,000 shares).
    capital = Capital(F(9100), F(36_400_000), F(100_000))
    found = tranches(series_m_structure(capital))
    assert [(t.lower, t.upper, t.allocation) for t in found] == [
        (0, 9_200_000, (F(1), F(0))), (9_200_000, 18_300_000, (F(0), F(1))),
        (18_300_000, None, (F(1, 2), F(1, 2)))]
    assert found[-1].lower == capital.breakpoint()
    # Dividends forfeited: the breakpoint is L ÷ f = 18,400,000.
    forfeit = Capital(F(9100), F(36_400_000), F(100_000), dividends_on_conversion=False)
    assert [t.lower for t in tranches(series_m_structure(forfeit))] == [0, 9_200_000, 18_400_000]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 9100), st.integers(1, 10**9), st.integers(0, 10**7),
       st.integers(1, 20_000), st.booleans())
def test_series_m_tranches_agree_with_the_waterfall(shares: int, common: int, accrued: int,
                                                     number: int, kept: bool) -> None:
    # Paying out each tranche at its marginal rates gives the waterfall's split (§3).
    capital = Capital(F(shares), F(common), F(accrued), F(number), kept)
    found = tranches(series_m_structure(capital))
    for proceeds in (capital.preference / 2, capital.breakpoint() * 2, capital.breakpoint()):
        series_m = sum((t.allocation[0] * (min(proceeds, t.upper if t.upper is not None
                                                   else proceeds) - t.lower)
                        for t in found if t.lower < proceeds), F(0))
        split = waterfall(proceeds, capital)
        assert abs(series_m - F(split.series_m_total)) <= F(1, 200)


# --- the OPM ---------------------------------------------------------------------------------

def test_series_m_value_is_the_call_decomposition() -> None:
    # The Series M's payoff is min(P, L) + f × max(P − B, 0) = P − max(P − L, 0) + f ×
    # max(P − B, 0), so its value is S − C(L) + f × C(B); computed with scipy, apart.
    capital = Capital(F(9100), F(36_400_000), F(100_000))
    market = Market(0.6, 3.0, 0.0427)
    value = opm_value(F(15_000_000), capital, market)
    expected = (15e6 - scipy_call(15e6, 9.2e6, market) + 0.5 * scipy_call(15e6, 18.3e6, market))
    assert float(value.series_m_total) == pytest.approx(expected, abs=0.01)
    assert float(value.series_m_per_share) == pytest.approx(expected / 9100, abs=1e-5)
    assert float(value.common_total) == pytest.approx(15e6 - expected, abs=0.01)
    assert F(value.series_m_total) + value.common_total == 15_000_000


structures = st.builds(
    lambda a, b, ca, cb, rank_b, common, w, strike: [
        Preferred("A", F(a), F(ca)), Preferred("B", F(b), F(cb), rank=rank_b),
        Common("Common", F(common)), Warrant("W", F(w), F(strike))],
    st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**5), st.integers(0, 10**5),
    st.integers(1, 2), st.integers(1, 10**6), st.integers(0, 10**5), st.integers(0, 100))
markets = st.builds(Market, st.floats(0.05, 2), st.floats(0.25, 10), st.floats(0, 0.1))


@settings(max_examples=150, deadline=None)
@given(structures, st.floats(1, 1e8), markets)
def test_class_values_add_up_to_the_equity_value(classes: list[valuation.Security],
                                                  equity: float, market: Market) -> None:
    values = class_values(equity, classes, market)
    assert all(v >= -1e-6 * equity for v in values)
    assert math.fsum(values) == pytest.approx(equity, rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(structures, st.floats(1e3, 1e8), markets, st.floats(0.01, 1))
def test_monotonic_in_volatility_as_theory_says(classes: list[valuation.Security],
                                                equity: float, market: Market,
                                                more: float) -> None:
    # A call gains value with volatility (vega > 0). So a claim whose marginal share never
    # falls from one tranche to the next (a convex payoff: the warrants, everything above a
    # breakpoint) gains value, and one whose share never rises (a concave payoff: the most
    # senior preference) loses it. The Series M and the common are neither in general.
    higher = market._replace(volatility=market.volatility + more)
    found = tranches(classes)
    low, high = class_values(equity, classes, market), class_values(equity, classes, higher)
    slack = 1e-9 * equity
    for index in range(len(classes)):
        shares = [t.allocation[index] for t in found]
        if shares == sorted(shares):
            assert high[index] >= low[index] - slack
        if shares == sorted(shares, reverse=True):
            assert high[index] <= low[index] + slack
    for t in found:
        assert (black_scholes_call(equity, float(t.lower), higher).value
                >= black_scholes_call(equity, float(t.lower), market).value - slack)


@settings(max_examples=40, deadline=None)
@given(st.integers(100, 9100), st.integers(10**6, 10**9), st.floats(100, 5000), markets)
def test_backsolve_recovers_the_price(shares: int, common: int, price: float,
                                      market: Market) -> None:
    capital = Capital(F(shares), F(common), F(0))
    equity = backsolve(F(price), capital, market)
    assert float(opm_value(F(equity), capital, market).series_m_per_share) == pytest.approx(
        price, abs=0.01 / shares + 1e-9 * price)


def test_backsolve_agrees_with_scipy_brentq() -> None:
    capital = Capital(F(9100), F(36_400_000), F(100_000))
    market = Market(0.6, 3.0, 0.0427)

    def gap(equity: float) -> float:  # S − C(L) + f C(B), per share, minus $1,200
        return (equity - scipy_call(equity, 9.2e6, market)
                + 0.5 * scipy_call(equity, 18.3e6, market)) / 9100 - 1200

    assert float(backsolve(F(1200), capital, market)) == pytest.approx(
        brentq(gap, 1.0, 1e9, xtol=1e-6), abs=0.01)
    common = backsolve(F("0.2"), capital, market, "common per share")
    assert float(opm_value(F(common), capital, market).common_per_share) == pytest.approx(
        0.2, abs=1e-9)


@pytest.mark.parametrize(("args", "message"), [
    ((0, 3, 0.04), "volatility = 0: must be above 0"),
    ((0.4, 0, 0.04), "term_years = 0: must be above 0"),
    ((0.4, 3, 1.5), "risk_free_rate = 1.5: must be between -1 and 1"),
])
def test_market_inputs_are_checked(args: tuple[float, float, float], message: str) -> None:
    with pytest.raises(SeriesMError) as raised:
        valuation.check_market(*(F(str(a)) for a in args))
    assert message in raised.value.message


def test_no_common_is_refused() -> None:
    with pytest.raises(SeriesMError, match="common_shares"):
        tranches([Preferred("A", F(1), F(1))])
