"""The option pricing model over the capital stack: every class valued by Black-Scholes calls
at the stack's breakpoints (:func:`stack_opm`), the backsolve from any class's price
(:func:`stack_backsolve`), and the Series M's preference accrued to the exit
(:func:`to_exit`)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import checks, terms
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.numbers import round_cents
from xl_seriesm.core.stack import Stack, class_names, class_shares, structure
from xl_seriesm.core.stack_waterfall import parse_class_label
from xl_seriesm.core.valuation import SECTION, Market, equity_at_price, value_tranches

# --- the option pricing model over the stack -------------------------------------------------

def to_exit(capital: Capital, term_years: Fraction) -> Capital:
    """The Series M as it stands at the exit: its dividends keep accruing at 5% a year on the
    Stated Value (§2) for ``term_years``, simple (cumulative dividends earn no dividends).

    The README's example, 9,100 shares with $100,000 accrued, 3 years: 100,000 + 9,100 ×
    1,000 × 5% × 3 = 1,465,000:

    >>> to_exit(Capital(Fraction(9100), Fraction(36_400_000), Fraction(100_000)),
    ...         Fraction(3)).accrued_dividends
    Fraction(1465000, 1)
    """
    added = note("dividends accruing to the exit: shares × $1,000 × 5% × term in years",
                 capital.pref_shares * terms.STATED_VALUE * terms.DIVIDEND_RATE * term_years,
                 "§2")
    accrued = note("accrued dividends at the exit", capital.accrued_dividends + added, "§2")
    return Capital(capital.pref_shares, capital.common_shares, accrued,
                   capital.conversion_number, capital.dividends_on_conversion)


def opm_labels(stack: Stack) -> list[str]:
    """The figures SERIESM_OPM returns with a stack: total and per share for every class."""
    labels = []
    for name in class_names(stack):
        labels += [f"{name} total", f"{name} per share"]
    return labels


def stack_opm(equity_value: Fraction, capital: Capital, stack: Stack,
              market: Market) -> list[Fraction | Decimal]:
    """Every class valued by the OPM at ``equity_value`` (in the order of
    :func:`opm_labels`): Σ over the stack's tranches of the class's share × (C(Kᵢ) −
    C(Kᵢ₊₁)). Each class but the common is rounded to the cent, half up; the common takes the
    rest, so the classes add up to the equity value exactly.
    """
    checks.positive(equity_value, "equity_value")
    spot = note("equity value S", float(equity_value), SECTION)
    note("volatility σ", market.volatility, SECTION)
    note("term T in years", market.term_years, SECTION)
    note("risk-free rate r", market.risk_free_rate, SECTION)
    built = structure(capital, stack)
    names = class_names(stack)
    found = built.tranches()
    valued = value_tranches(spot, found, market)
    if active():
        for number, v in enumerate(valued, start=1):
            note(f"tranche {number} from (equity value)", v.tranche.lower, SECTION)
            note(f"tranche {number}: C(K) at K = {float(v.tranche.lower):,.2f}",
                 v.call_at_lower.value, "Black-Scholes")
            note(f"tranche {number} value: C(this tranche's K) − C(the next one's)", v.value,
                 SECTION)
            for name, share in zip(names, v.tranche.allocation, strict=True):
                if share:
                    note(f"tranche {number}: {name}'s share of each dollar", share, SECTION)
    values: list[Fraction | Decimal] = []
    rest = equity_value
    for index, (name, shares) in enumerate(zip(names, class_shares(capital, stack),
                                               strict=True)):
        if index == len(names) - 1:
            total = note(f"{name} total: equity value − the other classes", rest, SECTION)
            values += [total, total / shares]
            break
        worth = math.fsum(float(v.tranche.allocation[index]) * v.value for v in valued)
        note(f"{name}: Σ its share × tranche value", worth, SECTION)
        cents = note(f"{name} total, rounded to the cent", round_cents(Fraction(worth)),
                     SECTION)
        rest -= Fraction(cents)
        values += [cents, Fraction(cents) / shares]
    return values


def stack_backsolve(price: Fraction, capital: Capital, stack: Stack, market: Market,
                    target: str = "Series M per share") -> Decimal:
    """The equity value at which the OPM over the stack values one share of the class named
    by ``target`` (one option or warrant: its value net of the strike) at ``price``, rounded
    to the cent; bracketed by doubling and narrowed by Brent's method, as without a stack."""
    index, name = parse_class_label(target, stack, "target")
    checks.positive(price, "price_per_share")
    shares = float(class_shares(capital, stack)[index])
    found = structure(capital, stack).tranches()

    def per_share(equity: float) -> float:
        valued = value_tranches(equity, found, market)
        return math.fsum(float(v.tranche.allocation[index]) * v.value
                         for v in valued) / shares

    return equity_at_price(per_share, price, shares, f"{name} per share")


