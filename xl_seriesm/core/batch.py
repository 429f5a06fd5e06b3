"""Whole-column versions of the accrual (§2), the waterfall (§3) and the §5(e) ledger for
array calls.

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
from xl_seriesm.core.conversion import CONVERSION_DECIMALS
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import (
    ANNUAL_DIVIDEND_PER_SHARE,
    Accrual,
    PaymentSchedule,
    accrual_years,
)
from xl_seriesm.core.liquidation import Capital

Floats = list[float]
Flags = list[bool]


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
    # Never more than the proceeds rounded down to the cent (as the per-cell path).
    most = linear_floor([(Fraction(100), proceeds)], Fraction(0), half=False)
    cents = [min(paid, limit) for paid, limit in zip(cents, most, strict=True)]
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


@dataclass(frozen=True)
class RunningNumbers:
    """The conversion number after each issuance of a §5(e) ledger, as far as it goes."""

    #: ``float`` of the running number after each row answered, in order.
    numbers: Floats
    #: The first row not answered (one the per-cell path must word), or the row count.
    stopped: int
    #: The running number before that row, exactly.
    running: Fraction


def running_conversion_numbers(number: Fraction, outstanding: DecimalColumn,
                               new_shares: DecimalColumn, consideration: DecimalColumn,
                               exempt: Flags, holes: Flags, threshold_price: Fraction,
                               decimals: int = CONVERSION_DECIMALS) -> RunningNumbers:
    """:func:`~xl_seriesm.core.conversion.dilute` down a ledger, in integers.

    With A, B, K the row's decimals over one power of ten and T = t/u the threshold price,
    a row below the price (K·u < t·B) and not exempt multiplies the running n/d by
    (A + B)·t / (A·t + K·u), the §5(e)(i) factor (A + B) / (A + K/T) with the powers of ten
    cancelled; the product is reduced and carried as :func:`~xl_seriesm.core.conversion.
    carried` carries it, so each figure is the per-cell ``Fraction``'s, and its float the
    same float. A row of three zeros is a blank row (the number carries on); the first row
    with a hole (an empty cell beside figures), a negative figure, no new shares or a zero
    denominator stops the run for the per-cell path to word.
    """
    depth = max(outstanding.scale, new_shares.scale, consideration.scale)
    a_column, b_column, k_column = (
        [digit * 10 ** (depth - column.scale) for digit in column.digits]
        for column in (outstanding, new_shares, consideration))
    t, u = threshold_price.numerator, threshold_price.denominator
    top, bottom = number.numerator, number.denominator
    limit = 10**decimals
    current = top / bottom
    numbers: Floats = []
    rows = zip(a_column, b_column, k_column, exempt, holes, strict=True)
    for index, (a, b, k, is_exempt, hole) in enumerate(rows):
        if not (a or b or k):
            numbers.append(current)
            continue
        if hole or a < 0 or b <= 0 or k < 0 or a * t + k * u == 0:
            return RunningNumbers(numbers, index, Fraction(top, bottom))
        if is_exempt or k * u >= t * b:
            numbers.append(current)
            continue
        # n/d × p/q in lowest terms with n/d and p/q each reduced: the common factors are
        # gcd(n, q) and gcd(p, d), two gcds of a long number with a short one.
        p, q = (a + b) * t, a * t + k * u
        common = math.gcd(p, q)
        p, q = p // common, q // common
        left, right = math.gcd(top, q), math.gcd(p, bottom)
        top, bottom = (top // left) * (p // right), (bottom // right) * (q // left)
        if bottom > limit:
            top, bottom = _carried(top, bottom, decimals)
        current = top / bottom
        numbers.append(current)
    return RunningNumbers(numbers, len(numbers), Fraction(top, bottom))


def _carried(top: int, bottom: int, decimals: int) -> tuple[int, int]:
    """top/bottom rounded half up to ``decimals`` places, in lowest terms (as
    :func:`~xl_seriesm.core.conversion.carried`): the denominator divides 10^decimals, so
    the common factors are the 2s and 5s the rounded numerator ends in."""
    limit = 10**decimals
    top = (2 * top * limit + bottom) // (2 * bottom)
    if top == 0:
        return 0, 1
    twos = min((top & -top).bit_length() - 1, decimals)
    fives = 0
    rest = top >> twos
    while fives < decimals and rest % 5 == 0:
        rest //= 5
        fives += 1
    return top // (2**twos * 5**fives), limit // (2**twos * 5**fives)
