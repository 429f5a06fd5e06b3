"""The Valuation sheet's inputs and the Series M at the exit: the block both Valuation sheets
(the Series M and the common alone, :mod:`~xl_seriesm.workbook.sheets.valuation`, and every
class of the capital stack, :mod:`~xl_seriesm.workbook.sheets.valuation_stack`) start with.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from fractions import Fraction

from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.stack_opm import to_exit
from xl_seriesm.core.valuation import Market
from xl_seriesm.workbook.base import (
    VALUATION,
    Kind,
    Role,
    Sheet,
    Validation,
    absolute_ref,
    excel_value,
    nice_step,
)

#: The valuer's inputs the template starts with (typical of a venture-backed company).
VALUATION_VOLATILITY = Fraction(60, 100)
VALUATION_TERM_YEARS = Fraction(3)
VALUATION_RISK_FREE_RATE = Fraction(427, 10_000)
#: Beyond the certificate: what every tranche's value rests on.
METHOD = ("each tranche between two breakpoints of the §3 waterfall at the exit is worth "
          "C(from) − C(to), Black-Scholes calls on the whole equity, shared by the tranche's "
          "marginal percentages (AICPA guide, ASC 820). The §6(a) call is not modelled.")


def starting_equity_value(point: Fraction) -> Fraction:
    """An equity value between the preference and the breakpoint, on a round figure."""
    step = Fraction(nice_step(float(point), 10))
    return max(step, (point * 3 / 4 // step) * step)


def market() -> Market:
    """The template's starting volatility, term and rate."""
    return Market(float(VALUATION_VOLATILITY), float(VALUATION_TERM_YEARS),
                  float(VALUATION_RISK_FREE_RATE))


#: What each input means, and the figures at the exit (rows 5 to 8, 12 and 13); short, for
#: a sheet whose column C also holds figures.
MEANINGS = ("value of all the equity today, the options' underlying",
            "a year, of the equity value", "to the expected exit or liquidity event",
            "a year, continuously compounded, for that term",
            "5% a year for the term, on top of today's (§2)",
            "shares × $1,000 + those dividends (§3(a))")
SHORT_MEANINGS = ("all equity, today", "a year", "to the exit", "a year, continuous",
                  "5% a year (§2)", "§3(a)")


def inputs(v: Sheet, equity: Fraction, names: dict[str, str],
           meanings: tuple[str, ...] = MEANINGS) -> None:
    """Rows 4 to 11: the valuer's inputs (named), σ√T and the discount factor."""
    v.text("A4", "Input", Role.HEADER)
    v.text("B4", "Value", Role.HEADER)
    v.text("C4", "What it means", Role.HEADER)
    found = market()
    rows = [("EquityValue", "Equity value (S)", Kind.MONEY, equity, meanings[0]),
            ("Volatility", "Volatility (σ)", Kind.PERCENT, VALUATION_VOLATILITY, meanings[1]),
            ("TermYears", "Term in years (T)", Kind.NUMBER, VALUATION_TERM_YEARS, meanings[2]),
            ("RiskFreeRate", "Risk-free rate (r)", Kind.PERCENT, VALUATION_RISK_FREE_RATE,
             meanings[3])]
    for row, (name, label, kind, value, meaning) in enumerate(rows, start=5):
        v.text(f"A{row}", label, Role.LABEL)
        v.add(f"B{row}", Role.INPUT, kind, float(value))
        v.text(f"C{row}", meaning)
        names[name] = absolute_ref(VALUATION, f"B{row}")
    v.validations += [
        Validation("B5", "decimal", minimum=0.01, prompt="Dollars, above 0."),
        Validation("B6", "decimal", minimum=0.0001, maximum=10, prompt="Above 0%, e.g. 60%."),
        Validation("B7", "decimal", minimum=0.01, maximum=100, prompt="Years, above 0."),
        Validation("B8", "decimal", minimum=-0.99, maximum=0.99, prompt="e.g. 4.27%."),
    ]
    v.text("A10", "σ√T", Role.LABEL)
    v.same("B10", Kind.NUMBER, "=Volatility*SQRT(TermYears)",
           found.volatility * math.sqrt(found.term_years))
    names["SigmaRootT"] = absolute_ref(VALUATION, "B10")
    v.text("A11", "Discount factor e^(−rT)", Role.LABEL)
    v.same("B11", Kind.NUMBER, "=EXP(-RiskFreeRate*TermYears)",
           math.exp(-found.risk_free_rate * found.term_years))
    names["DiscountFactor"] = absolute_ref(VALUATION, "B11")


def at_exit(v: Sheet, capital: Capital, names: dict[str, str],
            meanings: tuple[str, ...] = MEANINGS) -> Capital:
    """Rows 12 and 13: the dividends and the preference at the exit; the Series M then."""
    # The preference at the exit: the dividends keep accruing for the term (§2), simple.
    found = to_exit(capital, VALUATION_TERM_YEARS)
    v.text("A12", "Dividends at the exit", Role.LABEL)
    v.same("B12", Kind.MONEY, "=TotalAccrued+TotalSeriesM*StatedValue*DividendRate*TermYears",
           excel_value(found.accrued_dividends))
    v.text("C12", meanings[4])
    names["AccruedAtExit"] = absolute_ref(VALUATION, "B12")
    v.text("A13", "Preference at the exit", Role.LABEL)
    v.same("B13", Kind.MONEY, "=TotalSeriesM*StatedValue+AccruedAtExit",
           excel_value(found.preference))
    v.text("C13", meanings[5])
    names["PreferenceAtExit"] = absolute_ref(VALUATION, "B13")
    return found


def call(strike: str) -> str:
    """C(K), the Black-Scholes call on the equity value at the strike in ``strike`` (a cell
    above 0), without ``=``."""
    d1 = f"(LN(EquityValue/{strike})+(RiskFreeRate+Volatility^2/2)*TermYears)/SigmaRootT"
    return (f"(EquityValue*NORMSDIST({d1})-{strike}*DiscountFactor*"
            f"NORMSDIST({d1}-SigmaRootT))")
