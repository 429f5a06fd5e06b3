"""What each class is worth: the option pricing model (OPM) over the waterfall's breakpoints.

Beyond the certificate's arithmetic. The AICPA's guide to valuing privately held equity
(and ASC 820 / 409A practice) values each class of a capital structure as a strip of call
options on the whole equity: every equity value at which the split of the next dollar
changes is a breakpoint; between two breakpoints lies a tranche, shared among the classes
in fixed marginal percentages; a tranche is worth C(Kᵢ) − C(Kᵢ₊₁), the difference of two
Black-Scholes calls struck at its ends (the last one is worth C(Kₙ)); a class is worth the
sum of its percentage of each tranche.

The breakpoints come from a generic model of the capital structure (:class:`Preferred`,
:class:`Common`, :class:`Warrant`): preferences are paid first, by rank and pro rata within
a rank; then the common takes every dollar until its value per share reaches the lowest
price at which a preferred class converts or a warrant is exercised; that class then joins,
and so on. The Series M is one such structure (:func:`series_m_structure`): its Liquidation
Value (§3(a)) first, then the common alone up to the conversion breakpoint of §3 with §5,
then both as converted. The accrued dividends a converting holder is still paid in cash
(§2) are the part of its preference it keeps on converting.

Numbers: breakpoints and percentages are exact (``Fraction``); the option values are
doubles, since the normal distribution has no exact value. The normal CDF is the standard
library's error function, Φ(x) = ½(1 + erf(x/√2)), computed as ½·erfc(−x/√2), which is the
same function without losing digits far in the lower tail (no numpy or scipy, so it runs in
Pyodide). Rounding: the Series M total is rounded once, to the cent, half up; the common
takes the rest of the equity value, so the two add up to it exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.numbers import round_cents
from xl_seriesm.core.rootfind import brent

#: The section every figure here rests on: the waterfall of §3 with the conversion of §5.
SECTION = "§3, §5 (OPM)"


# --- the capital structure ----------------------------------------------------------------

class Preferred(NamedTuple):
    """A non-participating convertible preferred class.

    ``preference`` is paid before the common (by ``rank``: 1 first, equal ranks pro rata to
    their preferences). The class converts into ``as_converted`` common when the common's
    value per share passes (preference − kept_on_conversion) ÷ as_converted, the price at
    which converting gives up exactly what it forgoes; ``kept_on_conversion`` is what it is
    still paid after converting (the Series M's accrued dividends, §2). ``as_converted`` 0:
    a straight preferred that never converts.
    """

    name: str
    preference: Fraction
    as_converted: Fraction
    kept_on_conversion: Fraction = Fraction(0)
    rank: int = 1

    @property
    def conversion_price(self) -> Fraction | None:
        if self.as_converted == 0:
            return None
        return (self.preference - self.kept_on_conversion) / self.as_converted


class Common(NamedTuple):
    """Common shares: the residual claim."""

    name: str
    shares: Fraction


class Warrant(NamedTuple):
    """Options or warrants on ``shares`` common at ``strike`` a share, exercised once the
    common is worth more than the strike."""

    name: str
    shares: Fraction
    strike: Fraction


Security = Preferred | Common | Warrant


class Tranche(NamedTuple):
    """Equity values from ``lower`` to ``upper`` (None: no upper end) and each class's
    share of every dollar in between (in the order of the structure's classes)."""

    lower: Fraction
    upper: Fraction | None
    allocation: tuple[Fraction, ...]


def tranches(classes: Sequence[Security]) -> list[Tranche]:
    """The breakpoints of a capital structure, as tranches with marginal allocations.

    The published example (two preferred classes pari passu, $1,000 converting at $2 and
    $1,500 at $5; 1,500 common; 250 warrants at $10) has breakpoints 2,500, 5,500, 11,500
    and 23,000:

    >>> classes = [Preferred("A", Fraction(1000), Fraction(500)),
    ...            Preferred("B", Fraction(1500), Fraction(300)),
    ...            Common("Common", Fraction(1500)), Warrant("W", Fraction(250), Fraction(10))]
    >>> [int(t.lower) for t in tranches(classes)]
    [0, 2500, 5500, 11500, 23000]
    """
    if not any(isinstance(c, Common) and c.shares > 0 for c in classes):
        raise errors.not_positive("common_shares", Fraction(0))
    count = len(classes)
    found: list[Tranche] = []
    lower = Fraction(0)

    def share_out(width: Fraction | None, weights: dict[int, Fraction]) -> None:
        nonlocal lower
        total = sum(weights.values(), Fraction(0))
        allocation = tuple(weights.get(i, Fraction(0)) / total for i in range(count))
        upper = None if width is None else lower + width
        found.append(Tranche(lower, upper, allocation))
        if upper is not None:
            lower = upper

    # Preferences, most senior rank first, pro rata within a rank.
    for rank in sorted({c.rank for c in classes if isinstance(c, Preferred)}):
        weights = {i: c.preference for i, c in enumerate(classes)
                   if isinstance(c, Preferred) and c.rank == rank and c.preference > 0}
        if weights:
            share_out(sum(weights.values(), Fraction(0)), weights)
    # Then the common, joined by each class at its price, lowest first.
    joining: list[tuple[Fraction, int, Fraction]] = []
    participating: dict[int, Fraction] = {}
    for i, c in enumerate(classes):
        if isinstance(c, Common):
            if c.shares > 0:
                participating[i] = c.shares
        elif isinstance(c, Warrant):
            if c.shares > 0:
                joining.append((c.strike, i, c.shares))
        elif c.conversion_price is not None:
            joining.append((c.conversion_price, i, c.as_converted))
    value_per_share = Fraction(0)
    for price, index, shares in sorted(joining):
        if price > value_per_share:
            share_out((price - value_per_share) * sum(participating.values(), Fraction(0)),
                      participating)
            value_per_share = price
        participating = {**participating, index: shares}
    share_out(None, participating)
    return found


def series_m_structure(capital: Capital) -> list[Security]:
    """The Series M and the common as a capital structure (§3, §5, §2).

    Preference: the Liquidation Value, shares × $1,000 + accrued dividends (§3(a)). As
    converted: shares × conversion number (§5(b)). Kept on conversion: the accrued
    dividends, paid in cash on conversion (§2), unless the setting forfeits them.
    """
    kept = capital.accrued_dividends if capital.dividends_on_conversion else Fraction(0)
    return [Preferred("Series M", capital.preference, capital.as_converted, kept),
            Common("Common", capital.common_shares)]


#: The columns of SERIESM_BREAKPOINTS (its header row).
BREAKPOINT_HEADER = ("Tranche", "From", "To", "Series M", "Common")


def series_m_tranches(capital: Capital) -> list[Tranche]:
    """The Series M waterfall's tranches, each step noted for an explanation.

    9,100 shares, 36,400,000 common, $100,000 accrued: the preference to 9,200,000, the
    common alone to the 18,300,000 conversion breakpoint, then half each:

    >>> cap = Capital(Fraction(9100), Fraction(36_400_000), Fraction(100_000))
    >>> [(int(t.lower), t.allocation) for t in series_m_tranches(cap)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(0, (Fraction(1, 1), Fraction(0, 1))), (9200000, (Fraction(0, 1), Fraction(1, 1))),
     (18300000, (Fraction(1, 2), Fraction(1, 2)))]
    """
    note("Liquidation Value: shares × $1,000 + accrued dividends", capital.preference, "§3(a)")
    note("common on conversion: shares × conversion number", capital.as_converted, "§5(b)")
    structure = series_m_structure(capital)
    series_m = structure[0]
    assert isinstance(series_m, Preferred)
    note("conversion price per common share: $1,000 ÷ conversion number"
         if capital.dividends_on_conversion else
         "conversion price per common share: Liquidation Value ÷ common on conversion",
         series_m.conversion_price, "§5, §2")
    found = tranches(structure)
    if active():
        for number, t in enumerate(found, start=1):
            note(f"tranche {number}", number, SECTION)
            note(f"tranche {number} from (equity value)", t.lower, SECTION)
            note(f"tranche {number} to" + (" (no end)" if t.upper is None else ""), t.upper,
                 SECTION)
            note(f"tranche {number}: the Series M's share of each dollar", t.allocation[0],
                 SECTION)
            note(f"tranche {number}: the common's share of each dollar", t.allocation[1],
                 SECTION)
    return found


# --- Black-Scholes ---------------------------------------------------------------------------

class Market(NamedTuple):
    """The option inputs: volatility and risk-free rate a year (0.4 is 40%), term in years."""

    volatility: float
    term_years: float
    risk_free_rate: float


def check_market(volatility: Fraction, term_years: Fraction, risk_free_rate: Fraction) -> Market:
    if not 0 < volatility <= 10:
        raise errors.out_of_range("volatility", volatility,
                                  "above 0 and at most 10 (1,000%), e.g. 0.4 for 40%")
    if not 0 < term_years <= 100:
        raise errors.out_of_range("term_years", term_years, "above 0 and at most 100 years")
    if not -1 < risk_free_rate < 1:
        raise errors.out_of_range("risk_free_rate", risk_free_rate,
                                  "between -1 and 1 (-100% and 100%), e.g. 0.0427 for 4.27%")
    return Market(float(volatility), float(term_years), float(risk_free_rate))


def normal_cdf(x: float) -> float:
    """Φ(x), the standard normal distribution: ½(1 + erf(x/√2)) = ½·erfc(−x/√2).

    >>> round(normal_cdf(0.97003), 6), normal_cdf(0.0)
    (0.833984, 0.5)
    """
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


class Call(NamedTuple):
    """A Black-Scholes call and its working."""

    strike: float
    d1: float
    d2: float
    value: float


def black_scholes_call(spot: float, strike: float, market: Market) -> Call:
    """The Black-Scholes value of a European call (no dividends).

    d1 = (ln(S/K) + (r + σ²/2)T) ÷ (σ√T), d2 = d1 − σ√T, C = S·Φ(d1) − K·e^(−rT)·Φ(d2);
    a strike of 0 is the whole equity, C = S.

    The textbook case S = K = 10, σ = 40%, r = 4.27%, T = 10: d1 = 1.227 ÷ 1.26491 =
    0.97003, d2 = −0.29488, C = 10 × 0.83398 − 6.52464 × 0.38404 = 5.83411:

    >>> c = black_scholes_call(10.0, 10.0, Market(0.4, 10.0, 0.0427))
    >>> round(c.d1, 5), round(c.d2, 5), round(c.value, 5)
    (0.97003, -0.29488, 5.83411)
    """
    if strike <= 0:
        return Call(strike, math.inf, math.inf, spot)
    if spot <= 0:  # no equity: a call with a strike is worth nothing
        return Call(strike, -math.inf, -math.inf, 0.0)
    spread = market.volatility * math.sqrt(market.term_years)
    d1 = ((math.log(spot / strike)
           + (market.risk_free_rate + market.volatility ** 2 / 2) * market.term_years) / spread)
    d2 = d1 - spread
    value = (spot * normal_cdf(d1)
             - strike * math.exp(-market.risk_free_rate * market.term_years) * normal_cdf(d2))
    return Call(strike, d1, d2, max(value, 0.0))


# --- the OPM ---------------------------------------------------------------------------------

class TrancheValue(NamedTuple):
    tranche: Tranche
    call_at_lower: Call
    value: float  # C(lower) − C(upper)


def value_tranches(equity_value: float, found: Sequence[Tranche],
                   market: Market) -> list[TrancheValue]:
    """Each tranche's value C(Kᵢ) − C(Kᵢ₊₁) (the last one C(Kₙ)); they add up to C(0) = S."""
    calls = [black_scholes_call(equity_value, float(t.lower), market) for t in found]
    values = []
    for index, (t, call) in enumerate(zip(found, calls, strict=True)):
        above = calls[index + 1].value if index + 1 < len(calls) else 0.0
        values.append(TrancheValue(t, call, call.value - above))
    return values


def class_values(equity_value: float, classes: Sequence[Security],
                 market: Market) -> list[float]:
    """What each class is worth: Σ its marginal share × tranche value.

    For the published example at an equity value of $10,000 the four values add up to it:

    >>> classes = [Preferred("A", Fraction(1000), Fraction(500)),
    ...            Preferred("B", Fraction(1500), Fraction(300)),
    ...            Common("Common", Fraction(1500)), Warrant("W", Fraction(250), Fraction(10))]
    >>> round(sum(class_values(10_000.0, classes, Market(0.5, 3.0, 0.03))), 6)
    10000.0
    """
    valued = value_tranches(equity_value, tranches(classes), market)
    return [math.fsum(float(v.tranche.allocation[i]) * v.value for v in valued)
            for i in range(len(classes))]


#: The figures SERIESM_OPM returns (its `output` choices).
OPM_LABELS = ("Series M total", "Series M per share", "Common total", "Common per share")


class OpmValue(NamedTuple):
    """What the Series M and the common are worth under the OPM."""

    series_m_total: Decimal
    series_m_per_share: Fraction
    common_total: Fraction
    common_per_share: Fraction

    def values(self) -> tuple[Decimal | Fraction, ...]:
        return tuple(self)


def check_equity(equity_value: Fraction) -> Fraction:
    return checks.positive(equity_value, "equity_value")


def opm_value(equity_value: Fraction, capital: Capital, market: Market) -> OpmValue:
    """The Series M and the common valued by the OPM at ``equity_value``.

    The Series M total is Σ over tranches of its percentage × (C(Kᵢ) − C(Kᵢ₊₁)), rounded
    once to the cent; the common takes the rest of the equity value (its own sum agrees to
    within float noise, which the tests check).

    >>> cap = Capital(Fraction(9100), Fraction(36_400_000), Fraction(100_000))
    >>> v = opm_value(Fraction(15_000_000), cap, Market(0.6, 3.0, 0.0427))
    >>> Fraction(v.series_m_total) + v.common_total == 15_000_000
    True
    """
    check_equity(equity_value)
    spot = note("equity value S", float(equity_value), SECTION)
    note("volatility σ", market.volatility, SECTION)
    note("term T in years", market.term_years, SECTION)
    note("risk-free rate r", market.risk_free_rate, SECTION)
    found = series_m_tranches(capital)
    valued = value_tranches(spot, found, market)
    if active():
        for number, v in enumerate(valued, start=1):
            call = v.call_at_lower
            if call.strike > 0:
                note(f"tranche {number}: d1 = (ln(S/K) + (r + σ²/2)T) ÷ σ√T at K = "
                     f"{call.strike:,.2f}", call.d1, "Black-Scholes")
                note(f"tranche {number}: d2 = d1 − σ√T", call.d2, "Black-Scholes")
                note(f"tranche {number}: C(K) = S·Φ(d1) − K·e^(−rT)·Φ(d2)", call.value,
                     "Black-Scholes")
            else:
                note(f"tranche {number}: C(0) = S, the whole equity", call.value,
                     "Black-Scholes")
            note(f"tranche {number} value: C(this tranche's K) − C(the next one's)", v.value,
                 SECTION)
    exact_series_m = math.fsum(float(v.tranche.allocation[0]) * v.value for v in valued)
    note("Series M: Σ its share × tranche value", exact_series_m, SECTION)
    series_m = note("Series M total, rounded to the cent", round_cents(Fraction(exact_series_m)),
                    SECTION)
    common = note("Common total: equity value − Series M total",
                  equity_value - Fraction(series_m), SECTION)
    return OpmValue(series_m, Fraction(series_m) / capital.pref_shares, common,
                    common / capital.common_shares)


def pick_output(label: str | None, labels: Sequence[str], arg: str = "output") -> int | None:
    """The index of an output label (case and spacing ignored), or None when omitted."""
    if label is None:
        return None
    wanted = " ".join(label.lower().split())
    for index, known in enumerate(labels):
        if known.lower() == wanted:
            return index
    raise errors.unknown_label(arg, label, labels)


# --- the backsolve ---------------------------------------------------------------------------

#: What SERIESM_OPM_BACKSOLVE can solve for (its `target` choices).
BACKSOLVE_TARGETS = ("Series M per share", "Common per share")


def backsolve(price: Fraction, capital: Capital, market: Market,
              target: str = "Series M per share") -> Decimal:
    """The equity value at which the OPM values a Series M share (or a common share) at
    ``price``, rounded to the cent.

    Each class's value rises with the equity value (every tranche's value does), so the
    root is bracketed: from 0 (worth nothing) up, doubling the upper end until the value
    passes ``price``; Brent's method then narrows the bracket below $0.001.

    >>> cap = Capital(Fraction(9100), Fraction(36_400_000), Fraction(100_000))
    >>> market = Market(0.6, 3.0, 0.0427)
    >>> e = backsolve(Fraction(1200), cap, market)
    >>> abs(float(opm_value(Fraction(e), cap, market).series_m_per_share) - 1200) < 0.01
    True
    """
    index = pick_output(target, BACKSOLVE_TARGETS, "target")
    assert index is not None
    checks.positive(price, "price_per_share")
    shares = capital.pref_shares if index == 0 else capital.common_shares
    found = tranches(series_m_structure(capital))
    column = 0 if index == 0 else 1

    def per_share(equity: float) -> float:
        valued = value_tranches(equity, found, market)
        return math.fsum(float(v.tranche.allocation[column]) * v.value for v in valued) / float(
            shares)

    return equity_at_price(per_share, price, float(shares), BACKSOLVE_TARGETS[index])


def equity_at_price(per_share: Callable[[float], float], price: Fraction, shares: float,
                    label: str) -> Decimal:
    """The equity value, rounded to the cent, at which ``per_share`` (a class's OPM value
    per share, rising with the equity value) reaches ``price``: bracketed from 0 by doubling
    the upper end, then narrowed by Brent's method below $0.001. Shared by the backsolve
    with and without a capital stack."""
    wanted = float(price)
    note(f"target: {label}", wanted, SECTION)
    high = max(wanted * shares, 1.0)
    while per_share(high) < wanted:
        if high > 1e15:
            raise errors.out_of_range("price_per_share", price,
                                      "a price the OPM reaches below $1e15 of equity value")
        high *= 2
    note("bracket: equity values from 0 to", high, SECTION)
    root = brent(lambda equity: per_share(equity) - wanted, 0.0, high)
    note(f"{label} at the root (Brent's method, to $0.001)", per_share(root), SECTION)
    return note("equity value, rounded to the cent", round_cents(Fraction(root)), SECTION)


# --- Excel-facing kernels --------------------------------------------------------------------

def series_m_breakpoints(pref_shares: Fraction, common_shares: Fraction,
                         accrued_dividends: Fraction,
                         conversion_number: Fraction = terms.CONVERSION_NUMBER,
                         dividends_on_conversion: bool = True) -> list[list[object]]:
    """SERIESM_BREAKPOINTS: a header row and one row per tranche (``To`` an empty text on
    the last, which every runtime shows as an empty cell), the marginal allocations as
    fractions of a dollar."""
    capital = Capital(pref_shares, common_shares, accrued_dividends, conversion_number,
                      dividends_on_conversion)
    rows: list[list[object]] = [list(BREAKPOINT_HEADER)]
    for number, t in enumerate(series_m_tranches(capital), start=1):
        rows.append([number, t.lower, "" if t.upper is None else t.upper, *t.allocation])
    return rows
