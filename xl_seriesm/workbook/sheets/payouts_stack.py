"""The Payouts sheet when the template has a capital stack: each Series M holder's payout at the
exit value within the stack, as :func:`xl_seriesm.core.payouts.payouts` pays it with ``stack``.

Each holder is one more part of the stack's fixed point (:mod:`xl_seriesm.core.stack`): it
converts when the common's value per share p exceeds its threshold t. With the holders of the
lowest thresholds converting, the exit value at which the common is worth x is

    T(x) = T₀(x) + the holders' preferences + x × (common of the holders with t ≤ x)
           − (what those holders give up by converting),

where T₀ is the exit value at which the common is worth x with the other classes alone: a
column of the Capital stack sheet's kink table (column S), linear between its kink prices.
T is increasing, so p exceeds a holder's threshold x exactly when T(x) is below the exit value.
The sheet keeps the halving search over the holders in threshold order (21 steps, each one
SMALL and two SUMPRODUCTs over the holders, with T₀ read off the kink table), and then solves
T(p) = exit value once, for the holders found converting: in a kink segment of T₀ (the count
of kinks at or below the exit value, each kink's T₀ plus the converting holders' common × its
price), T is linear. A shortfall (the exit value below every preference, the Series M's and
the others') pays the Series M first (§3(a)), pro rata to the holders' preferences (§3(b)).

The Series M class total is the stack's rounding (:func:`xl_seriesm.core.stack_waterfall.
rounded`): the Series M (the holders' exact payouts summed) and the other classes but the
common at p, their total rounded to the cent, half up, never past the exit value rounded down,
and those cents apportioned by largest remainders, the Series M first on a tie. The holders'
cents are then apportioned as without a stack (:mod:`xl_seriesm.workbook.sheets.payouts`).

Both flavors show the built-ins' exact payouts (as the Capital stack sheet does), so that the
Checks compare the add-in's SERIESM_PAYOUTS with them: every class's exact payout at p adds up
to the exit value; the holders' payouts add up to the Series M's total; each holder's payout is
its exact payout to the cent.

Pure: no openpyxl here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import terms
from xl_seriesm.core.stack import Holder, Stack, Structure
from xl_seriesm.core.stack_waterfall import rounded as stack_rounded
from xl_seriesm.workbook.base import Kind, Role, Sheet, absolute_ref, excel_value
from xl_seriesm.workbook.sheets.halving import Probe, halving
from xl_seriesm.workbook.sheets.stack import payout_formulas

#: The search's cells with a stack (one more column than without: the kink below x).
SEARCH_COLUMNS = "NOPQRSTU"
#: The stack's classes at the price p: below the search.
BLOCK_ROW = 33


class Step(NamedTuple):
    """One halving step with a stack: the holders ``low`` (all convert) and ``high`` (not all
    convert) in threshold order, the middle one, its threshold x, the kink prices at or below
    x, T(x), and whether T(x) is below the exit value (p above x: it converts)."""

    low: int
    high: int
    middle: int
    threshold: Fraction
    kink: int
    total: Fraction
    converts: bool

    @property
    def found(self) -> int:
        return self.middle if self.converts else self.low


class Within(NamedTuple):
    """The core's figures for the sheet's cells with a stack."""

    steps: list[Step]
    #: What the converting holders give up, and the common they convert into.
    freed: Fraction
    converted: Fraction
    #: The kink of T₀ below p (at least 1), and p (0 when short of the preferences).
    kink: int
    price: Fraction
    #: Each class at p: the Series M (the holders summed), the stack's classes, the common.
    classes: list[Fraction]
    #: The Series M class total: the stack's rounding.
    class_total: Fraction


def within(proceeds: Fraction, stack: Stack, common: Fraction, number: Fraction,
           convertible: bool, dividends_on_conversion: bool, shares: Sequence[Fraction],
           accrued: Sequence[Fraction], thresholds: Sequence[Fraction],
           freed: Sequence[Fraction], prices: Sequence[Fraction], steps: int) -> Within:
    """The sheet's figures, exactly: the search as the sheet does it (on its rounded
    ``thresholds``), the core's fixed point for the rest. ``prices`` are the Capital stack
    sheet's kink prices (sorted)."""
    holders = [Holder(s * terms.STATED_VALUE + a, a if dividends_on_conversion else Fraction(0),
                      s * number) for s, a in zip(shares, accrued, strict=True)]
    built = Structure(holders, stack, common, convertible)
    others = Structure([], stack, common, convertible)
    paid = built.pay(proceeds)
    series_m = sum((h.preference for h in holders), Fraction(0))
    found = _search(proceeds, thresholds, shares, freed, number, series_m, others, prices,
                    steps)
    count = len(holders)
    chooses = paid.chooses[:count]
    freed_sum = sum((f for f, c in zip(freed, chooses, strict=True) if c), Fraction(0))
    converted = number * sum((s for s, c in zip(shares, chooses, strict=True) if c),
                             Fraction(0))
    target = proceeds - series_m + freed_sum
    kink = max(1, sum(1 for q in prices if others.total_at(q) + converted * q <= target))
    classes = [sum(paid.exact[:count], Fraction(0)), *paid.exact[count:]]
    return Within(found, freed_sum, converted, kink,
                  paid.price if paid.price is not None else Fraction(0), classes,
                  stack_rounded(proceeds, classes)[0])


def _search(proceeds: Fraction, thresholds: Sequence[Fraction], shares: Sequence[Fraction],
            freed: Sequence[Fraction], number: Fraction, series_m: Fraction,
            others: Structure, prices: Sequence[Fraction], count: int) -> list[Step]:
    """The sheet's halving search within the stack: T(x), the exit value at which the common
    is worth x with every holder up to x converting; it converts when T(x) is below the exit
    value."""
    def decide(probe: Probe) -> Step:
        x = probe.threshold
        total = others.total_at(x) + series_m + x * number * probe.shares - probe.freed
        return Step(probe.low, probe.high, probe.middle, x, bisect_right(prices, x), total,
                    probe.middle == 0 or total < proceeds)

    return halving(thresholds, shares, freed, count, decide)


def price_formula() -> str:
    """The common's price p: T(p) = exit value, solved in the kink segment of T₀ below it."""
    k = "PayoutKink"
    at = f"INDEX(StackKinkPricesAll,{k})"
    t0 = f"INDEX(StackOthersAll,{k})"
    slope = (f"(INDEX(StackOthersAll,{k}+1)-{t0})/(INDEX(StackKinkPricesAll,{k}+1)-{at})")
    return (f"=IF(ExitValue<StackPreferences,0,{at}+(ExitValue-PayoutPreferences+PayoutFreed"
            f"-{t0}-PayoutConverted*{at})/({slope}+PayoutConverted))")


def exact_formula(r: int, even: bool) -> str:
    """A holder's exact payout within the stack (two shapes: see payouts._alternate)."""
    short = f"MIN(ExitValue,PayoutPreferences)*F{r}/PayoutPreferences"
    paid = (f"IF(E{r},IF(DividendsOnConversion,C{r},0)+B{r}*ConversionNumber*PayoutPrice,"
            f"F{r})")
    if even:
        return f"=IF(ExitValue<StackPreferences,{short},{paid})"
    return f"=IF(ExitValue>=StackPreferences,{paid},{short})"


def class_total_formula(classes: int) -> str:
    """The Series M class total: its whole cents, and one more when its remainder ranks
    within the cents left over (the Series M first on a tie), over the block of ``classes``
    rows (the Series M, the stack's, the common)."""
    first, last = BLOCK_ROW + 1, BLOCK_ROW + classes
    head = f"O{first}:O{last - 1}"
    whole = f"INT(ROUND(O{first}*100,6))"
    mine = f"ROUND(ROUND(O{first}*100,6)-{whole},6)"
    others = f"O{first + 1}:O{last - 1}"
    rank = (f"SUMPRODUCT(--(ROUND(ROUND({others}*100,6)-INT(ROUND({others}*100,6)),6)"
            f">{mine}))") if last - 1 > first else "0"
    left = (f"(MIN(ROUND(SUM({head})*100,0),ROUNDDOWN(ExitValue*100,0))"
            f"-SUMPRODUCT(INT(ROUND({head}*100,6))))")
    return f"=({whole}+IF({rank}<{left},1,0))/100"


def search_cells(p: Sheet, fig: Within, col: dict[str, str], cent_cut: Fraction,
                 cut: Fraction, names: dict[str, str], first_row: int) -> None:
    """The search for the last converting holder within the stack, the price's parts, the
    last cent's remainder, in columns N to U (built-ins; the cent's cut native only)."""
    steps = fig.steps
    last = first_row + len(steps) - 1
    chosen = f"({col['H']}<=PayoutCut)*({col['B']}>0)"
    summary = [
        ("PayoutConverting", "Holders converting (threshold order)", Kind.WHOLE,
         f"=IF(U{last},Q{last},O{last})", steps[-1].found, True),
        ("PayoutCut", "Highest threshold converting", Kind.PRICE,
         f"=IF(AND(Convertible,PayoutConverting>0),SMALL({col['H']},PayoutConverting),-1)",
         cut, True),
        ("PayoutCentCut", "Ranked remainder of the last cent handed out", Kind.MONEY,
         f"=IF(PayoutLeftover>0,LARGE({col['I']},PayoutLeftover),2)", cent_cut, False),
        ("PayoutFreed", "Given up by the converting", Kind.MONEY,
         f"=SUMPRODUCT({chosen},{col['G']})", fig.freed, True),
        ("PayoutConverted", "Common they convert into", Kind.COMMON,
         f"=ConversionNumber*SUMPRODUCT({chosen},{col['B']})", fig.converted, True),
        ("PayoutKink", "Kink of the others below p", Kind.WHOLE,
         "=MAX(1,SUMPRODUCT(--(StackOthersTotals+PayoutConverted*StackKinkPrices<="
         "ExitValue-PayoutPreferences+PayoutFreed)))", fig.kink, True),
    ]
    for row, (name, label, what, formula, expected, both) in enumerate(summary, start=4):
        p.text(f"N{row}", label, Role.LABEL)
        if both:
            p.same(f"O{row}", what, formula, excel_value(expected))
        else:
            p.add(f"O{row}", Role.COMPUTED, what, native=formula,
                  expected=excel_value(expected))
        names[name] = absolute_ref(p.name, f"O{row}")
    headers = ("Halving step", "Low", "High", "Middle", "Its threshold x", "Kinks at or "
               "below x", "Exit value T(x)", "Pays to convert")
    for column, heading in zip(SEARCH_COLUMNS, headers, strict=True):
        p.text(f"{column}{first_row - 1}", heading, Role.HEADER)
    within_ = f"({col['H']}<=R{{r}})*({col['B']}>0)"
    for index, step in enumerate(steps):
        r = first_row + index
        low = "=0" if index == 0 else f"=IF(U{r - 1},Q{r - 1},O{r - 1})"
        high = f"=COUNT({col['H']})+1" if index == 0 else f"=IF(U{r - 1},P{r - 1},Q{r - 1})"
        chosen_r = within_.format(r=r)
        t0 = (f"INDEX(StackOthersAll,S{r})+(R{r}-INDEX(StackKinkPricesAll,S{r}))*"
              f"(INDEX(StackOthersAll,S{r}+1)-INDEX(StackOthersAll,S{r}))/"
              f"(INDEX(StackKinkPricesAll,S{r}+1)-INDEX(StackKinkPricesAll,S{r}))")
        cells = [
            ("O", Kind.WHOLE, low, step.low),
            ("P", Kind.WHOLE, high, step.high),
            ("Q", Kind.WHOLE, f"=INT((O{r}+P{r})/2)", step.middle),
            ("R", Kind.PRICE, f"=IF(Q{r}>0,SMALL({col['H']},Q{r}),0)", step.threshold),
            ("S", Kind.WHOLE, f"=SUMPRODUCT(--(StackKinkPrices<=R{r}))", step.kink),
            ("T", Kind.MONEY, f"={t0}+PayoutPreferences+R{r}*ConversionNumber*SUMPRODUCT("
                              f"{chosen_r},{col['B']})-SUMPRODUCT({chosen_r},{col['G']})",
             step.total),
            ("U", Kind.BOOL, f"=OR(Q{r}=0,T{r}<ExitValue)", step.converts),
        ]
        p.text(f"N{r}", f"Step {index + 1}", Role.LABEL)
        for column, what, formula, expected in cells:
            p.same(f"{column}{r}", what, formula, excel_value(expected))


def block_cells(p: Sheet, fig: Within, stack: Stack, col: dict[str, str], proceeds: Fraction,
                names: dict[str, str]) -> None:
    """Every class's exact payout at p (the Series M the holders summed), and the cells the
    Checks read: the exact payouts less the exit value, the payouts less the class total, and
    the count of holders whose payout is not their exact payout to the cent."""
    labels = ["Series M", *(c.name for c in stack), "Common"]
    formulas = payout_formulas(len(stack), "ExitValue", "PayoutPrice", outside=True)
    p.text(f"N{BLOCK_ROW}", "Class at p", Role.HEADER)
    p.text(f"O{BLOCK_ROW}", "Exact payout", Role.HEADER)
    for index, (label, exact) in enumerate(zip(labels, fig.classes, strict=True)):
        r = BLOCK_ROW + 1 + index
        p.text(f"N{r}", label, Role.LABEL)
        formula = f"=SUM({col['J']})" if index == 0 else f"={formulas[index]}"
        p.same(f"O{r}", Kind.MONEY, formula, excel_value(exact))
    last = BLOCK_ROW + len(labels)
    d, j = col["D"], col["J"]
    checks = [
        ("PayoutExactOff", "Exact payouts less the exit value", Kind.MONEY,
         f"=SUM(O{BLOCK_ROW + 1}:O{last})-ExitValue", sum(fig.classes) - proceeds),
        ("PayoutSumOff", "Payouts less the Series M total", Kind.MONEY,
         f"=SUM({d})-PayoutClassTotal", Fraction(0)),
        ("PayoutCentsOff", "Holders off by a cent", Kind.WHOLE,
         f"=SUMPRODUCT(--(ABS({d}-{j})>=0.01))", 0),
    ]
    for row, (name, label, kind, formula, expected) in enumerate(checks, start=last + 2):
        p.text(f"N{row}", label, Role.LABEL)
        p.same(f"O{row}", kind, formula, excel_value(expected))
        names[name] = absolute_ref(p.name, f"O{row}")
