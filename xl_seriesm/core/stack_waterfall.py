"""The waterfall within the capital stack: each class's payout at one exit value
(:func:`stack_waterfall`) or at many (:class:`Waterfalls`), rounded at one point, with the
breakpoints and the rows of SERIESM_WATERFALL and SERIESM_BREAKPOINTS. The model, and why its
fixed point is the one where no class would choose otherwise: :mod:`xl_seriesm.core.stack`.

Rounding, at one point: the classes other than the common are rounded together, their total
to the cent, half up, never past the exit value rounded down to the cent, and those cents
apportioned by largest remainders (the earlier class on a tie); the common takes the rest
exactly, so every exit value is paid out exactly.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import repeat
from operator import add, floordiv, mod, mul
from typing import NamedTuple

from xl_seriesm.core import checks, errors
from xl_seriesm.core.allocation import apportion
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.numbers import floor_cents, round_cents
from xl_seriesm.core.stack import (
    COMMON,
    PART_HOLDER,
    Participation,
    Result,
    Stack,
    Structure,
    class_names,
    class_shares,
    structure,
)

# --- the waterfall ---------------------------------------------------------------------------

class StackSplit(NamedTuple):
    """One exit value's split among every class."""

    proceeds: Fraction
    #: Each class's total in dollars: cents for all but the common, which takes the rest.
    totals: list[Fraction]
    #: The exact totals before rounding.
    exact: list[Fraction]
    #: Whether each class converts (or exercises); the common False.
    chooses: list[bool]
    #: The common's value per share (None when the preferences are not all paid).
    price: Fraction | None
    #: The exit value above which the Series M converts.
    conversion_breakpoint: Fraction


def rounded(proceeds: Fraction, exact_totals: Sequence[Fraction]) -> list[Fraction]:
    """Totals paying out ``proceeds`` exactly: all but the last (the common) in cents, their
    sum rounded half up but never past the proceeds rounded down to the cent, the cents
    apportioned by largest remainders; the last takes the rest.

    >>> rounded(Fraction(10), [Fraction(10, 3), Fraction(10, 3), Fraction(10, 3)])
    [Fraction(167, 50), Fraction(333, 100), Fraction(333, 100)]
    """
    head = list(exact_totals[:-1])
    total = sum(head, Fraction(0))
    cents = min(int(round_cents(total) * 100), int(floor_cents(proceeds) * 100))
    parts = [Fraction(c, 100) for c in apportion(cents, [x * 100 for x in head])]
    return [*parts, proceeds - sum(parts, Fraction(0))]


def stack_waterfall(proceeds: Fraction, capital: Capital, stack: Stack,
                    convertible: bool = True,
                    built: Structure | None = None) -> StackSplit:
    """§3 within the stack: each class's payout at one exit value.

    The issue's stack: Series L (1,000,000 shares, $1.00, non-participating, 1:1), 10,000,000
    options at $0.10, 100,000,000 common; 9,100 Series M with $455,000 accrued. At
    $20,000,000 the Series M takes its $9,555,000, the Series L its $1,000,000 and the common
    the rest; the common is worth $0.09445 a share, below the strike, so no option is
    exercised:

    >>> from xl_seriesm.core.stack import Kind, StackClass
    >>> stack = (StackClass("Series L", Kind.PREFERRED, Fraction(1_000_000), Fraction(1)),
    ...          StackClass("Options", Kind.OPTION, Fraction(10_000_000), strike=Fraction(1, 10)))
    >>> cap = Capital(Fraction(9100), Fraction(100_000_000), Fraction(455_000))
    >>> [int(x) for x in stack_waterfall(Fraction(20_000_000), cap, stack).totals]
    [9555000, 1000000, 0, 9445000]
    """
    checks.non_negative(proceeds, "proceeds")
    built = built or structure(capital, stack, convertible)
    names = class_names(stack)
    if active():
        explain_structure(built, names)
    note("exit value: the proceeds", proceeds, "§3")
    result = built.pay(proceeds)
    point = series_m_breakpoint(built)
    totals = [Fraction(0)] * len(names)
    chooses = [False] * len(names)
    for part, paid in enumerate(result.exact):
        totals[built.class_of(part)] += paid
        chooses[built.class_of(part)] |= result.chooses[part]
    if active():
        explain_choices(built, result, names)
    final = rounded(proceeds, totals)
    if active():
        for name, total in zip(names, final, strict=True):
            note(f"{name} total" + (", the rest of the proceeds" if name == COMMON else
                                    ", in cents adding up with the others"), total, "§3")
    return StackSplit(proceeds, final, totals, chooses, result.price, point)


def series_m_breakpoint(built: Structure) -> Fraction:
    """The exit value above which the Series M (its first holder) converts: T(threshold)."""
    t = built.holders[0].threshold
    assert t is not None
    return note("the Series M's conversion breakpoint: the exit value at which the common is "
                "worth its conversion price", built.total_at(t), "§3, §5, §2")


def explain_structure(built: Structure, names: Sequence[str]) -> None:
    """Note the preferences by rank and every tranche."""
    note("preferences: the Series M first, then each seniority", built.preferences, "§3(a)")
    for number, t in enumerate(built.tranches(), start=1):
        note(f"tranche {number} from", t.lower, "§3")
        note(f"tranche {number} to" + (" (no end)" if t.upper is None else ""), t.upper, "§3")
        for name, share in zip(names, t.allocation, strict=True):
            if share:
                note(f"tranche {number}: {name}'s share of each dollar", share, "§3")


def explain_choices(built: Structure, result: Result, names: Sequence[str],
                    holders: bool = True) -> None:
    """Note the common's price and every part's choice with the price that decided it
    (without the Series M holders' when ``holders`` is False: their caller notes them)."""
    if result.price is None:
        note("short of the preferences: paid by seniority, pro rata within one", True,
             "§3(a), §3(b)")
        return
    note("p: the common's value per share, where the classes' best payouts add up to the "
         "proceeds", result.price, "§3, §5")
    for part in range(built.count - 1):
        kind = built.kind(part)
        if kind == PART_HOLDER and not holders:
            continue
        if kind == PART_HOLDER:
            label = names[0] if len(built.holders) == 1 else f"holder {part + 1}"
            t = built.holders[part].threshold
            note(f"{label}: converts above (its preference − dividends kept) ÷ common on "
                 "conversion", t, "§5, §2")
            note(f"{label} converts (p above that)", result.chooses[part], "§3, §5")
            continue
        c = built.stack[part - len(built.holders)]
        if not c.is_preferred:
            note(f"{c.name}: exercised above the strike", c.strike, "stack")
            note(f"{c.name} exercised (p above the strike)", result.chooses[part], "stack")
        elif c.participation is Participation.FULL:
            note(f"{c.name}: participates; converting never pays more", False, "stack")
        else:
            multiple = c.cap if c.participation is Participation.CAPPED else Fraction(1)
            assert multiple is not None
            note(f"{c.name}: converts above (preference" + (" × cap" if multiple != 1 else "")
                 + ") ÷ common on conversion", multiple * c.total_preference / c.as_converted,
                 "stack")
            note(f"{c.name} converts (p above that)", result.chooses[part], "stack")
    note("common per share", result.price, "§3")


# --- Excel-facing kernels --------------------------------------------------------------------

def waterfall_labels(stack: Stack) -> list[str]:
    """The rows of SERIESM_WATERFALL with a stack: total and per share for every class, each
    stack class's choice, then the Series M's choice and conversion breakpoint."""
    labels = []
    for name in class_names(stack):
        labels += [f"{name} total", f"{name} per share"]
    for c in stack:
        labels.append(f"{c.name} " + ("converts" if c.is_preferred else "exercised"))
    return [*labels, "Series M converts", "Conversion breakpoint"]


def waterfall_values(split: StackSplit, capital: Capital,
                     stack: Stack) -> list[Fraction | Decimal | bool]:
    """The values in the order of :func:`waterfall_labels`; money totals as cents."""
    values: list[Fraction | Decimal | bool] = []
    for index, (total, shares) in enumerate(zip(split.totals, class_shares(capital, stack),
                                                strict=True)):
        last = index == len(split.totals) - 1
        values += [total if last else Decimal(total.numerator * 100 // total.denominator)
                   .scaleb(-2), total / shares]
    values += split.chooses[1:-1]
    return [*values, split.chooses[0], split.conversion_breakpoint]


def breakpoint_header(stack: Stack) -> list[str]:
    return ["Tranche", "From", "To", *class_names(stack)]


def stack_breakpoints(capital: Capital, stack: Stack) -> list[list[object]]:
    """SERIESM_BREAKPOINTS with a stack: a header row and one row per tranche, a column per
    class (the share of each dollar in the tranche), the last ``To`` empty.

    The issue's stack: breakpoints 9,555,000, 10,555,000, 20,555,000, 37,055,000 and
    146,855,000 (derived in the tests).
    """
    built = structure(capital, stack)
    names = class_names(stack)
    rows: list[list[object]] = [list(breakpoint_header(stack))]
    found = built.tranches()
    for number, t in enumerate(found, start=1):
        if active():
            note(f"tranche {number}", number, "§3")
            note(f"tranche {number} from (equity value)", t.lower, "§3")
            note(f"tranche {number} to" + (" (no end)" if t.upper is None else ""), t.upper,
                 "§3")
            for name, share in zip(names, t.allocation, strict=True):
                note(f"tranche {number}: {name}'s share of each dollar", share, "§3")
        rows.append([number, t.lower, "" if t.upper is None else t.upper, *t.allocation])
    return rows


def parse_class_label(label: str, stack: Stack, arg: str) -> tuple[int, str]:
    """A class named by ``label`` ("Series L" or "Series L per share"; case and spacing
    ignored): its index in :func:`class_names` and its name."""
    names = class_names(stack)
    wanted = " ".join(label.lower().split())
    if wanted.endswith(" per share"):
        wanted = wanted[: -len(" per share")]
    for index, name in enumerate(names):
        if " ".join(name.lower().split()) == wanted:
            return index, name
    raise errors.unknown_label(arg, label, [f"{name} per share" for name in names])




# --- many exit values at once ----------------------------------------------------------------

class Segment(NamedTuple):
    """Exit values from ``start`` on (to the next segment's start), where each class's payout
    is affine in the exit value X: 100 × payout = (A + B × X) ÷ Q for the classes but the
    common, with integers A, B and Q."""

    start: Fraction
    a: list[int]
    b: list[int]
    q: int
    #: Each class's choice inside the segment, and at its start (a tie does not convert).
    chooses: list[bool]
    chooses_at_start: list[bool]


class Waterfalls:
    """The waterfall of one structure (one Series M holder) at many exit values: the
    segments between breakpoints worked out once, then per exit value a search and a few
    integer multiply-adds per class. The same figures as :func:`stack_waterfall`, which the
    tests compare it with."""

    def __init__(self, built: Structure) -> None:
        if len(built.holders) != 1:
            raise ValueError("Waterfalls: one Series M holder (the class)")
        self.built = built
        self.width = len(built.stack) + 2
        self.segments: list[Segment] = []
        lower = Fraction(0)
        paid: list[int] = []  # the parts of the ranks already paid in full
        for rank in built.ranks:  # short of the preferences: rank by rank
            owed = sum((built.claim[i] for i in rank), Fraction(0))
            if owed <= 0:
                continue
            alpha = [Fraction(0)] * self.width
            beta = [Fraction(0)] * self.width
            for i in paid:
                alpha[built.class_of(i)] += built.claim[i]
            for i in rank:  # (X − lower) × claim ÷ owed
                alpha[built.class_of(i)] -= lower * built.claim[i] / owed
                beta[built.class_of(i)] += built.claim[i] / owed
            paid += rank
            no = [False] * self.width
            self.segments.append(self._segment(lower, alpha, beta, no, no))
            lower += owed
        # Each class's payout is u + v·p between kinks: from its preference at p = 0, each
        # kink adds its change of shares to v and takes change × price off u (the payout is
        # continuous: a conversion, an exercise or a cap changes the slope, not the value).
        u = [Fraction(0)] * self.width
        v = [Fraction(0)] * self.width
        for part in range(built.count):
            u[built.class_of(part)] += built.claim[part]
        for k, (price, moves, value, slope) in enumerate(zip(
                built.prices, built.changes, built.values, built.slopes, strict=True)):
            for part, change in moves:
                v[built.class_of(part)] += change
                u[built.class_of(part)] -= change * price
            inside = price + (built.prices[k + 1] - price) / 2 if k + 1 < len(built.prices) \
                else price + 1
            chooses = [built.chooses(i, inside) for i in range(built.count)]
            at_start = [built.chooses(i, price) for i in range(built.count)]
            # p = price + (X − value) ÷ slope, so payout = u + v·shift + (v ÷ slope)·X
            shift = price - value / slope
            alpha = [a + b * shift for a, b in zip(u, v, strict=True)]
            beta = [b / slope for b in v]
            self.segments.append(self._segment(value, alpha, beta, self._by_class(chooses),
                                               self._by_class(at_start)))
        self.starts = [s.start for s in self.segments]

    def _by_class(self, chooses: Sequence[bool]) -> list[bool]:
        found = [False] * self.width
        for part, choice in enumerate(chooses):
            found[self.built.class_of(part)] |= choice
        return found

    def _segment(self, start: Fraction, alpha: list[Fraction], beta: list[Fraction],
                 chooses: list[bool], at_start: list[bool]) -> Segment:
        head = [100 * x for x in alpha[:-1]] + [100 * x for x in beta[:-1]]
        q = math.lcm(*(x.denominator for x in head))
        n = len(alpha) - 1
        scaled = [x.numerator * (q // x.denominator) for x in head]
        return Segment(start, scaled[:n], scaled[n:], q, chooses, at_start)

    def row(self, proceeds: Fraction) -> tuple[list[int], Fraction, list[bool]]:
        """The cents of each class but the common, the common's exact rest, and each class's
        choice, at one exit value (rounded as :func:`rounded` rounds)."""
        k = bisect.bisect_right(self.starts, proceeds) - 1
        cents, total = self._cents(k, proceeds.numerator, proceeds.denominator)
        segment = self.segments[k]
        chooses = segment.chooses_at_start if proceeds == segment.start else segment.chooses
        return cents, proceeds - Fraction(total, 100), chooses

    def rows(self, digits: Sequence[int], scale: int,
             ) -> Iterator[tuple[list[int], int, list[bool]]]:
        """:meth:`row` for a column of exit values ``digits[i] / 10**scale`` (0 or more), on
        integers alone: each row's cents, the cents of them all, and the choices."""
        xd = 10**scale
        # x ≥ start exactly when digits ≥ ⌈start × 10^scale⌉ (digits are whole).
        ceilings = [-((-s.numerator * xd) // s.denominator) for s in self.starts]
        for xn in digits:
            k = bisect.bisect_right(ceilings, xn) - 1
            segment = self.segments[k]
            cents, total = self._cents(k, xn, xd)
            at_start = xn == ceilings[k] and xn * segment.start.denominator == (
                segment.start.numerator * xd)
            yield cents, total, segment.chooses_at_start if at_start else segment.chooses

    def _cents(self, k: int, xn: int, xd: int) -> tuple[list[int], int]:
        segment = self.segments[k]
        denominator = segment.q * xd
        quotas = list(map(add, map(mul, segment.a, repeat(xd)), map(mul, segment.b,
                                                                     repeat(xn))))
        total = sum(quotas)
        cents = min((2 * total + denominator) // (2 * denominator), (100 * xn) // xd)
        whole = list(map(floordiv, quotas, repeat(denominator)))
        left = cents - sum(whole)
        if left:
            remainders = list(map(mod, quotas, repeat(denominator)))
            # the largest remainders, the earlier class on a tie (a stable sort, reversed)
            for index in sorted(range(len(quotas)), key=remainders.__getitem__,
                                reverse=True)[:left]:
                whole[index] += 1
        return whole, cents
