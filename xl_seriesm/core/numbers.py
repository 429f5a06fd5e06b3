"""Exact numbers: how a number enters the core, and the one way money leaves it.

Share counts, conversion numbers and money are ``Fraction`` inside the core. A float (what
Excel hands over) enters through its shortest decimal representation, so the 0.1 a user typed
is 1/10 and not 0.1000000000000000055511151231257827. Money becomes cents only in
:func:`round_cents`, half up, at the one point of each cash result that its function
documents; cash already paid is whole cents (:func:`cash`).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import errors

#: A share count within this of a whole number is that whole number (see :func:`snap_shares`).
SNAP_TOLERANCE = Fraction(1, 1_000_000)

Number = int | float | Fraction | Decimal


def exact(value: Number, arg: str = "value") -> Fraction:
    """The exact value of a number, a float read through its shortest decimal form.

    >>> exact(0.1), exact(4285.714285714285), exact(Fraction(30000, 7))
    (Fraction(1, 10), Fraction(857142857142857, 200000000000), Fraction(30000, 7))
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise errors.not_a_number(arg, value)
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise errors.not_finite(arg, value)
        return _shortest_decimal(float(value))  # repr of np.float64 is "np.float64(...)"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise errors.not_finite(arg, value)
        return Fraction(value)
    raise errors.not_a_number(arg, value)


def _shortest_decimal(value: float) -> Fraction:
    """``Fraction(repr(value))`` for a finite float, without parsing a string as a number:
    the digits of ``repr`` over a power of ten (an exponent form is parsed as before)."""
    shown = repr(value)
    if "e" in shown:
        return Fraction(shown)
    whole, _, decimals = shown.partition(".")
    if decimals == "0":
        return Fraction(int(whole))
    return Fraction(int(whole + decimals), 10 ** len(decimals))


def round_cents(amount: Fraction) -> Decimal:
    """Dollars to the cent, half up: floor(amount × 100 + ½) ÷ 100.

    For the non-negative amounts the package pays this is Excel's ROUND(x, 2). Half up
    (rather than away from zero) keeps an accrual less a payment of that accrual rounded to
    the cent at 0.00 even when the accrual ends in exactly half a cent.

    >>> round_cents(Fraction(1005, 1000)), round_cents(Fraction(250, 3))
    (Decimal('1.01'), Decimal('83.33'))
    >>> round_cents(Fraction(125, 1000) - Fraction(13, 100))  # 0.125 accrued, 0.13 paid
    Decimal('0.00')
    """
    # floor(n/d × 100 + 1/2) = floor((200n + d) / 2d), in integers (a ledger rounds each of
    # its payments: Fraction arithmetic would cost several times more).
    n, d = amount.numerator, amount.denominator
    return Decimal((200 * n + d) // (2 * d)).scaleb(-2)


def floor_cents(amount: Fraction) -> Decimal:
    """Dollars rounded down to the cent: the most that can be handed out of ``amount``.

    >>> floor_cents(Fraction(1000005, 1000))
    Decimal('1000.00')
    """
    cents = amount * 100
    return Decimal(cents.numerator // cents.denominator).scaleb(-2)


def cash(amount: Fraction, arg: str) -> Fraction:
    """An amount of cash already paid: whole cents. Float noise from a spreadsheet sum
    (0.1 + 0.2 + 0.67 is 0.9700000000000001) is within a millionth of a dollar of a cent
    and is taken as that cent; anything further from one is refused.

    >>> cash(exact(0.1 + 0.2 + 0.67), "dividends_paid")
    Fraction(97, 100)
    """
    cents = amount * 100
    nearest = round(cents)
    if abs(cents - nearest) > SNAP_TOLERANCE * 100:
        raise errors.not_cents(arg, amount)
    return Fraction(nearest, 100)


def snap_shares(shares: Fraction) -> Fraction:
    """A share count within a millionth of a whole number, made that whole number.

    A conversion number that has passed through an Excel cell is no longer exact: 30,000/7
    comes back as 4285.714285714285, and 9,100 shares then convert into 38,999,999.99999999
    common. Snapping keeps a round trip through a cell from costing a holder a share or paying
    cash for a phantom fraction (DOMAIN.md, "Money, shares and rounding").

    >>> snap_shares(9100 * exact(4285.714285714285))
    Fraction(39000000, 1)
    >>> snap_shares(Fraction(1, 2))
    Fraction(1, 2)
    """
    nearest = round(shares)
    if abs(shares - nearest) <= SNAP_TOLERANCE:
        return Fraction(nearest)
    return shares


def split_whole(shares: Fraction) -> tuple[int, Fraction]:
    """Whole shares and the fraction left over, after snapping.

    >>> split_whole(Fraction(30000, 7))
    (4285, Fraction(5, 7))
    """
    snapped = snap_shares(shares)
    whole = math.floor(snapped)
    return whole, snapped - whole
