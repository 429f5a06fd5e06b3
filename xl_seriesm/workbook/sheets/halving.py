"""The Payouts sheets' halving search over the holders in threshold order, exactly as the
sheet computes it: at each step the middle holder's threshold x (SMALL), and the shares and
freed dividends of every holder of shares with a threshold up to x (the SUMPRODUCTs). What
decides a step, the price against x without a stack or T(x) against the exit value within
one, is the caller's.

Pure: no openpyxl here.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import NamedTuple, Protocol, TypeVar


class Probe(NamedTuple):
    """One step's question: the holders ``low`` (all convert) and ``high`` (not all convert)
    in threshold order, the middle one, its threshold, and the shares and freed dividends of
    the holders up to that threshold."""

    low: int
    high: int
    middle: int
    threshold: Fraction
    shares: Fraction
    freed: Fraction


class Decided(Protocol):
    @property
    def converts(self) -> bool: ...


StepT = TypeVar("StepT", bound=Decided)


def halving(thresholds: Sequence[Fraction], shares: Sequence[Fraction],
            freed: Sequence[Fraction], count: int,
            decide: Callable[[Probe], StepT]) -> list[StepT]:
    """``count`` halving steps, each ``decide``-d; a step that converts moves ``low`` up."""
    order = sorted(range(len(thresholds)), key=thresholds.__getitem__)
    ordered = [thresholds[i] for i in order]
    freed_sums = list(itertools.accumulate(
        (freed[i] if shares[i] > 0 else Fraction(0) for i in order), initial=Fraction(0)))
    share_sums = list(itertools.accumulate(
        (shares[i] if shares[i] > 0 else Fraction(0) for i in order), initial=Fraction(0)))
    steps: list[StepT] = []
    low, high = 0, len(thresholds) + 1
    for _ in range(count):
        middle = (low + high) // 2
        x = ordered[middle - 1] if middle > 0 else Fraction(0)
        upto = bisect_right(ordered, x)
        steps.append(decide(Probe(low, high, middle, x, share_sums[upto], freed_sums[upto])))
        low, high = (middle, high) if steps[-1].converts else (low, middle)
    return steps
