"""The exit value the Payouts and Capital stack sheets start with.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from fractions import Fraction


def exit_value(point: Fraction) -> Fraction:
    """The exit value the sheet starts with: 1.5 × the breakpoint, to two significant
    figures (past it, so that holders convert)."""
    target = float(point) * 3 / 2
    if target <= 0:
        return Fraction(1_000_000)
    power = 10 ** (math.floor(math.log10(target)) - 1)
    return Fraction(round(target / power) * power)
