"""Domain checks shared by the calculations; each raises the catalogue's error."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import TypeVar

from xl_seriesm.core import errors, terms

_E = TypeVar("_E", bound=Enum)


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


def choice(value: object, kind: type[_E], aliases: Mapping[str, _E], arg: str) -> _E:
    """One of a fixed set of readings, from the words users type: case, spaces, dashes and
    underscores ignored, a whole number read as its code.

    >>> from xl_seriesm.core.dividends import PaymentSchedule, _SCHEDULE_ALIASES
    >>> choice("Quarter-Ends", PaymentSchedule, _SCHEDULE_ALIASES, "schedule")
    <PaymentSchedule.QUARTER_ENDS: 'quarter ends'>
    """
    if isinstance(value, kind):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = str(value).strip().lower()
    for mark in " -_":
        key = key.replace(mark, "")
    if key in aliases and not isinstance(value, bool):
        return aliases[key]
    raise errors.unknown_choice(arg, value, tuple(f'"{member.value}"' for member in kind))
