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

import numpy as np
import numpy.typing as npt

from xl_seriesm.core import terms
from xl_seriesm.core.columns import DecimalColumn, linear_floor, ratio_floats
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import (
    ANNUAL_DIVIDEND_PER_SHARE,
    Accrual,
    PaymentSchedule,
    accrual_years,
)
from xl_seriesm.core.liquidation import Capital

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


def accrued_cents(shares: DecimalColumn, paid: DecimalColumn, closing_date: date,
                  as_of_date: date, basis: Basis,
                  with_stated_value: bool = False,
                  accrual: Accrual = Accrual.PER_PERIOD,
                  schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING,
                  ) -> tuple[Floats, Flags]:
    """Accrued and unpaid dividends per row in dollars (with ``with_stated_value``, the §3(a)
    Liquidation Value: plus shares × $1,000), and which rows are valid.

    Per row: round(shares × 50 × accrual_years − paid, 2), half up (``accrual`` picks the
    reading, as in :func:`~xl_seriesm.core.dividends.accrual_years`); valid when 0 ≤ shares ≤
    9,100, paid ≥ 0 and paid ≤ the accrual rounded to the cent. The dates must be in order
    (the caller checks them once).
    """
    years = accrual_years(closing_date, as_of_date, basis, accrual, schedule)
    accrual_cents = 100 * ANNUAL_DIVIDEND_PER_SHARE * years
    gross_cents = linear_floor([(accrual_cents, shares)], Fraction(0))
    owed = DecimalColumn(gross_cents, 0)
    # ceil(100 × paid − rounded accrual in cents) ≤ 0  ⟺  paid ≤ the rounded accrual.
    over = -linear_floor([(Fraction(-100), paid), (Fraction(1), owed)], Fraction(0), half=False)
    valid = ((shares.digits >= 0)
             & (shares.compare(Fraction(terms.SHARES_DESIGNATED)) <= 0)
             & (paid.digits >= 0)
             & (over <= 0))
    if paid.scale > 2:  # a fraction of a cent: the per-cell path snaps float noise or refuses
        valid &= paid.digits % 10 ** (paid.scale - 2) == 0
    per_share = accrual_cents + (100 * terms.STATED_VALUE if with_stated_value else 0)
    cents = linear_floor([(per_share, shares), (Fraction(-100), paid)], Fraction(0))
    return ratio_floats(cents, Fraction(100)), valid.astype(bool)


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
    converts = (proceeds.compare(point) > 0) & convertible
    below_preference = proceeds.compare(capital.preference) <= 0
    as_proceeds = linear_floor([(Fraction(100), proceeds)], Fraction(0))
    preference_cents = math.floor(capital.preference * 100 + Fraction(1, 2))
    f = capital.converted_fraction
    # Converting pays D + (P − D) × f (dividends first), or P × f (forfeited); a converting
    # row has P above the breakpoint, hence above D.
    kept = (1 - f) * capital.accrued_dividends if capital.dividends_on_conversion else Fraction(0)
    on_conversion = linear_floor([(100 * f, proceeds)], 100 * kept)
    cents = np.where(converts, on_conversion,
                     np.where(below_preference, as_proceeds, preference_cents))
    # Never more than the proceeds rounded down to the cent (as the per-cell path).
    cents = np.minimum(cents, linear_floor([(Fraction(100), proceeds)], Fraction(0), half=False))
    # Common = P − Series M, exact: (100 × digits − 10^scale × cents) / (100 × 10^scale).
    unit = 100 * 10**proceeds.scale
    digits = proceeds.digits
    if 200 * proceeds.largest >= 2**62:
        digits, cents = digits.astype(object), cents.astype(object)
    rest = digits * 100 - cents * 10**proceeds.scale
    return WaterfallColumns(
        series_m_total=ratio_floats(cents, Fraction(100)),
        series_m_per_share=ratio_floats(cents, 100 * capital.pref_shares),
        common_total=ratio_floats(rest, Fraction(unit)),
        common_per_share=ratio_floats(rest, unit * capital.common_shares),
        series_m_converts=converts.astype(bool),
        valid=(proceeds.digits >= 0).astype(bool),
    )
