"""Whole-column versions of the accrual (§2) and the waterfall (§3) for array calls.

Same formulas, same single rounding point, same results bit for bit as
:func:`~xl_seriesm.core.dividends.accrued_dividends` and
:func:`~xl_seriesm.core.liquidation.waterfall`, computed over a column at once with exact
integer arithmetic (:mod:`xl_seriesm.core.columns`). A row these kernels cannot vouch for
(a refused input) is flagged, and the caller answers it through the per-cell path, which
words its error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.core.columns import DecimalColumn, linear_floor, ratio_floats
from xl_seriesm.core.daycount import Basis, yearfrac
from xl_seriesm.core.dividends import ANNUAL_DIVIDEND_PER_SHARE
from xl_seriesm.core.liquidation import Capital

Floats = list[float]
Flags = list[bool]


def accrued_cents(shares: DecimalColumn, paid: DecimalColumn, closing_date: date,
                  as_of_date: date, basis: Basis,
                  with_stated_value: bool = False) -> tuple[Floats, Flags]:
    """Accrued and unpaid dividends per row in dollars (with ``with_stated_value``, the §3(a)
    Liquidation Value: plus shares × $1,000), and which rows are valid.

    Per row: round(shares × 50 × YEARFRAC − paid, 2), half up; valid when 0 ≤ shares ≤
    9,100, paid ≥ 0 and paid ≤ the accrual rounded to the cent. The dates must be in order
    (the caller checks them once).
    """
    accrual_cents = 100 * ANNUAL_DIVIDEND_PER_SHARE * yearfrac(closing_date, as_of_date, basis)
    gross_cents = linear_floor([(accrual_cents, shares)], Fraction(0))
    owed = DecimalColumn(gross_cents, 0)
    # floor(rounded accrual in cents − 100 × paid) ≥ 0  ⟺  paid ≤ the rounded accrual.
    unpaid = linear_floor([(Fraction(-100), paid), (Fraction(1), owed)], Fraction(0), half=False)
    # More than a cent's decimals: the per-cell path snaps float noise or refuses.
    cent = 10 ** (paid.scale - 2) if paid.scale > 2 else 1
    designated = shares.compare(Fraction(terms.SHARES_DESIGNATED))
    valid = [count >= 0 and within <= 0 and payment >= 0 and left >= 0 and payment % cent == 0
             for count, within, payment, left
             in zip(shares.digits, designated, paid.digits, unpaid, strict=True)]
    per_share = accrual_cents + (100 * terms.STATED_VALUE if with_stated_value else 0)
    cents = linear_floor([(per_share, shares), (Fraction(-100), paid)], Fraction(0))
    return ratio_floats(cents, Fraction(100)), valid


@dataclass(frozen=True)
class WaterfallColumns:
    """The waterfall's columns, in the order of the table (each a float per row)."""

    series_m_total: Floats
    series_m_per_share: Floats
    common_total: Floats
    common_per_share: Floats
    series_m_converts: Flags
    valid: Flags


def waterfall_columns(proceeds: DecimalColumn, capital: Capital,
                      convertible: bool) -> WaterfallColumns:
    """The §3 split for a column of exit values (see :func:`~xl_seriesm.core.liquidation.
    waterfall` for the rules): the Series M total rounded half up to the cent, the common the
    exact rest."""
    point = capital.breakpoint()
    converts = [convertible and side > 0 for side in proceeds.compare(point)]
    below_preference = [side <= 0 for side in proceeds.compare(capital.preference)]
    as_proceeds = linear_floor([(Fraction(100), proceeds)], Fraction(0))
    preference_cents = math.floor(capital.preference * 100 + Fraction(1, 2))
    f = capital.converted_fraction
    # Converting pays D + (P − D) × f (dividends first), or P × f (forfeited); a converting
    # row has P above the breakpoint, hence above D.
    kept = (1 - f) * capital.accrued_dividends if capital.dividends_on_conversion else Fraction(0)
    on_conversion = linear_floor([(100 * f, proceeds)], 100 * kept)
    cents = [converted if converting else whole if below else preference_cents
             for converting, below, converted, whole
             in zip(converts, below_preference, on_conversion, as_proceeds, strict=True)]
    # Common = P − Series M, exact: (100 × digits − 10^scale × cents) / (100 × 10^scale).
    unit = 100 * 10**proceeds.scale
    shift = 10**proceeds.scale
    rest = [100 * digits - shift * paid
            for digits, paid in zip(proceeds.digits, cents, strict=True)]
    return WaterfallColumns(
        series_m_total=ratio_floats(cents, Fraction(100)),
        series_m_per_share=ratio_floats(cents, 100 * capital.pref_shares),
        common_total=ratio_floats(rest, Fraction(unit)),
        common_per_share=ratio_floats(rest, unit * capital.common_shares),
        series_m_converts=converts,
        valid=[digits >= 0 for digits in proceeds.digits],
    )
