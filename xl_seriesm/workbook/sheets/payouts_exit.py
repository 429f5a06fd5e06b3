"""The exit value the Payouts and Capital stack sheets start with.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from fractions import Fraction

from xl_seriesm.core.stack import structure
from xl_seriesm.core.stack_waterfall import series_m_breakpoint
from xl_seriesm.workbook.figures import Figures


def exit_value(point: Fraction) -> Fraction:
    """The exit value the sheet starts with: 1.5 × the breakpoint, to two significant
    figures (past it, so that holders convert)."""
    target = float(point) * 3 / 2
    if target <= 0:
        return Fraction(1_000_000)
    power = 10 ** (math.floor(math.log10(target)) - 1)
    return Fraction(round(target / power) * power)


def breakpoint_of(f: Figures) -> Fraction:
    """The Series M's conversion breakpoint the book starts from: within the capital stack
    when there is one (the other classes' preferences come before the common, §3(a) and
    their terms), else the Series M and the common alone (``f.breakpoint``)."""
    if not f.cap.stack or not f.convertible:
        return f.breakpoint
    return series_m_breakpoint(structure(f.capital, f.cap.stack, f.convertible))


def start_exit(f: Figures) -> Fraction:
    """The exit value both sheets start with: the one ``seriesm template --exit`` gave, else
    :func:`exit_value` of :func:`breakpoint_of`, so that with a stack the Payouts sheet and
    the Capital stack sheet start at the same exit and their Series M totals tie."""
    given = f.cap.settings.exit_value
    return exit_value(breakpoint_of(f)) if given is None else given
