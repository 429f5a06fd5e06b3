"""§6 redemption: the price, the shares lawful funds can buy, and its deadlines.

Rounding: the redemption price is rounded to the cent once, half up, in
:func:`redemption_price`. Share counts are exact.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.conversion import LeapAnniversary, conversion_opens
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import Accrual, PaymentSchedule
from xl_seriesm.core.explain import note
from xl_seriesm.core.liquidation import liquidation_value
from xl_seriesm.core.numbers import SNAP_TOLERANCE, floor_cents, round_cents, snap_shares


def redemption_price(shares: Fraction, closing_date: date, redemption_date: date,
                     dividends_paid: Fraction = Fraction(0),
                     basis: Basis = Basis.US_30_360,
                     accrual: Accrual = Accrual.PER_PERIOD,
                     schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> Decimal:
    """§6(a): the price to redeem ``shares``: their Stated Value plus the dividends accrued
    but unpaid before the redemption date, rounded to the cent once.

    Formula: round(shares × 1,000 + shares × 1,000 × 5% × accrual_years(closing, redemption,
    basis, accrual) − dividends_paid, 2): the same figure as the §3(a) Liquidation Value at
    that date. The Company may redeem "at any time after the Closing Date, upon fifteen (15)
    days' notice", so a redemption date earlier than 15 days after the Closing Date is refused.

    >>> redemption_price(Fraction(100), date(2005, 1, 10), date(2005, 7, 10))
    Decimal('102500.00')
    """
    earliest = closing_date + timedelta(days=terms.REDEMPTION_NOTICE_DAYS)
    if redemption_date < earliest:
        raise errors.too_early_to_redeem("redemption_date", redemption_date, earliest)
    return liquidation_value(shares, closing_date, redemption_date, dividends_paid, basis,
                             accrual, schedule)


def redeemable_shares(available_funds: Fraction, price_per_share: Fraction,
                      shares_called: Fraction | None = None, fractional: bool = False,
                      ) -> Fraction:
    """§6(b): the greatest number of shares the funds lawfully available (DGCL §160) can
    redeem at ``price_per_share`` (at least the $1,000 Stated Value, §6(a)): whole shares
    unless ``fractional`` (the Company may issue fractional shares, §1, but redeems whole
    ones by default), never more than called, nor, with no call given, than the 9,100
    designated (§1).

    Whole shares are counted in cents, as the price is paid: the greatest n whose price
    round(n × price_per_share, 2) (half up, as SERIESM_REDEEM rounds it) fits the funds. Five
    shares at $1,000.13889 cost $5,000.69 (5,000.69445 rounded), so $5,000.69 redeems 5:

    >>> redeemable_shares(Fraction(1_000_000), Fraction(1025))
    Fraction(975, 1)
    >>> redeemable_shares(Fraction(1_000_000), Fraction(1025), Fraction(500))
    Fraction(500, 1)
    >>> redeemable_shares(Fraction("5000.69"), Fraction("1000.13889"))
    Fraction(5, 1)
    >>> redeemable_shares(Fraction(20_000_000), Fraction(1000))  # 20,000 paid for; 9,100 exist
    Fraction(9100, 1)
    """
    checks.non_negative(available_funds, "available_funds")
    if price_per_share < terms.STATED_VALUE:
        raise errors.out_of_range(
            "price_per_share", price_per_share,
            "at least the $1,000 Stated Value (§6(a): the redemption price is the Stated "
            "Value plus the dividends accrued on the share)")
    if fractional:
        most = note("shares the funds would pay for: funds ÷ price per share",
                    available_funds / price_per_share, "§6(b)")
    else:
        # Funds within a millionth of a dollar of a cent are that cent (3 × $1,000.01 typed
        # as a sum is 3000.0299999999997); otherwise only whole cents can be paid out.
        cents = available_funds * 100
        nearest = round(cents)
        funds = note("funds in whole cents", Fraction(nearest, 100)
                     if abs(cents - nearest) <= SNAP_TOLERANCE * 100
                     else Fraction(floor_cents(available_funds)), "§6(b)")
        # round(n × price, 2) ≤ funds (whole cents) ⟺ n × price < funds + half a cent.
        whole = math.floor((funds + Fraction(1, 200)) / price_per_share)
        while whole > 0 and Fraction(round_cents(whole * price_per_share)) > funds:
            whole -= 1
        most = note("whole shares whose price, rounded to the cent, fits the funds",
                    Fraction(whole), "§6(b)")
    if shares_called is not None:
        checks.series_m_shares(shares_called, "shares_called")
        called = note("shares called for redemption", snap_shares(shares_called), "§6(b)")
        most = min(most, called)
    elif most > terms.SHARES_DESIGNATED:  # no call named: no more than can exist
        most = note("at most the shares designated (§1)", Fraction(terms.SHARES_DESIGNATED),
                    "§1")
    return note("shares redeemed: the greatest number the lawful funds allow (DGCL §160)",
                most, "§6(b)")


def earliest_redemption_date(notice_date: date) -> date:
    """§6(a): the first day a redemption may take place after its notice: fifteen days'
    notice, so the notice date plus 15 calendar days.

    >>> earliest_redemption_date(date(2007, 3, 1))
    datetime.date(2007, 3, 16)
    """
    note("notice date", notice_date, "§6(a)")
    return note("earliest redemption: 15 days' notice", notice_date + timedelta(
        days=terms.REDEMPTION_NOTICE_DAYS), "§6(a)")


def last_conversion_date(notice_received: date, closing_date: date,
                         leap_anniversary: LeapAnniversary = LeapAnniversary.FEB_28) -> date:
    """§6(a): the last day a holder who received a Notice of Optional Redemption may still
    convert the called shares: within ten days of receipt, i.e. receipt + 10 days.

    Conversion needs the first anniversary (§5(a)): a window that closes before it leaves no
    right to convert, which is an error (#N/A), not a date.

    >>> last_conversion_date(date(2007, 3, 1), date(2005, 1, 10))
    datetime.date(2007, 3, 11)
    """
    checks.on_or_after(notice_received, "notice_received", closing_date, "closing_date")
    note("notice of redemption received", notice_received, "§6(a)")
    last = note("ten days after receipt", notice_received + timedelta(
        days=terms.CONVERT_AFTER_REDEMPTION_NOTICE_DAYS), "§6(a)")
    opens = conversion_opens(closing_date, leap_anniversary)
    if last < opens:
        raise errors.no_conversion_right("notice_received", notice_received, opens)
    return note("last day to convert: the ten days end on or after the anniversary", last,
                "§6(a), §5(a)")
