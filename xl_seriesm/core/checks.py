"""Domain checks shared by the calculations; each raises the catalogue's error."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from xl_seriesm.core import errors, terms


def non_negative(value: Fraction, arg: str) -> Fraction:
    if value < 0:
        raise errors.negative(arg, value)
    return value


def positive(value: Fraction, arg: str) -> Fraction:
    if value <= 0:
        raise errors.not_positive(arg, value)
    return value


def series_m_shares(value: Fraction, arg: str = "shares") -> Fraction:
    """A number of Series M shares: 0 to the 9,100 designated (§1); fractions allowed."""
    non_negative(value, arg)
    if value > terms.SHARES_DESIGNATED:
        raise errors.over_designated(arg, value)
    return value


def on_or_after(later: date, later_arg: str, earlier: date, earlier_arg: str) -> None:
    if later < earlier:
        raise errors.dates_out_of_order(later_arg, later, earlier_arg, earlier)


def whole(value: Fraction, arg: str) -> int:
    if value.denominator != 1:
        raise errors.not_whole(arg, value)
    return value.numerator
