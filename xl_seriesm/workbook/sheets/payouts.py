"""The template's Payouts sheet: the §3 waterfall by holder at an exit value the user types.

The add-in flavor computes the payouts with one SERIESM_PAYOUTS array formula. The built-ins
flavor follows the same rule with helper cells, which only it has (the add-in flavor leaves
them empty: one call computes what they spell out), in time linear in the holders (n log n at
most), with Excel 2010 functions only:

- A holder converts when its threshold t = (what converting frees) ÷ (shares × conversion
  number) is below the price of a common share with every holder of a threshold up to its own
  converting; the holders that convert are those of the lowest thresholds (the core's order
  argument, xl_seriesm.core.payouts). So the sheet looks for the last of them in threshold
  order by halving (21 steps, each one SMALL and two SUMPRODUCTs over the holders; enough
  for two million holders) instead of pricing every holder against every other, and a holder
  converts when its threshold is at most that holder's.
- The class total is rounded once and its cents go to the largest remainders, the earlier
  row on a tie: the remainder of the last cent handed out is found once (LARGE), a holder
  above it gets a cent, and of the holders at it the first few get one, counted by a running
  sum down the rows (no rank of every holder against every other).

Thresholds are rounded to 12 decimals and remainders to 6 before they are compared.

With a capital stack (``seriesm template --stack``) the holders are paid within it, the same
search deciding them on the exit value at each threshold instead of the price:
:mod:`xl_seriesm.workbook.sheets.payouts_stack`.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import terms
from xl_seriesm.core.payouts import payouts
from xl_seriesm.workbook.base import (
    HOLDERS,
    Kind,
    Role,
    Sheet,
    Validation,
    absolute_ref,
    excel_value,
)
from xl_seriesm.workbook.figures import Figures
from xl_seriesm.workbook.sheets import payouts_stack
from xl_seriesm.workbook.sheets.halving import Probe, halving
from xl_seriesm.workbook.sheets.payouts_exit import start_exit
from xl_seriesm.workbook.sheets.stack import kink_prices

PAYOUTS = "Payouts"
FIRST_ROW = 11
#: Halving steps of the search for the last converting holder: 2^21 - 2 holders at most.
STEPS = 21
#: The search's cells, beside the holders and outside the print area.
SEARCH_COLUMNS = "NOPQRST"
#: Ties between remainders go to the earlier row: a row's remainder plus the rows below it
#: ÷ this.
TIE_STEP = 10**13


class Step(NamedTuple):
    """One halving step: the holders ``low`` (all convert) and ``high`` (not all convert) in
    threshold order, the middle one, its threshold, the price with every holder up to it
    converting, and whether that pays it to convert."""

    low: int
    high: int
    middle: int
    threshold: Fraction
    price: Fraction
    converts: bool

    @property
    def found(self) -> int:
        """The low end after this step."""
        return self.middle if self.converts else self.low


def _alternate(index: int, even: str, odd: str) -> str:
    """A column's formula, written one way on even rows and the other (the same figure) on
    odd rows. LibreOffice 7.4 computes a run of equal formulas as one group, and a group that
    reads one cell taking SMALL, LARGE or SUMPRODUCT over another group's cells is computed
    before that cell on the first pass and left at 0; runs of one formula are computed cell
    by cell, in order. (Excel computes either way alike; the LibreOffice test against the core
    catches the wrong shape.)"""
    return even if index % 2 == 0 else odd


def _search(thresholds: list[Fraction], shares: list[Fraction], freed: list[Fraction],
            left: Fraction, common: Fraction, number: Fraction) -> list[Step]:
    """The sheet's halving search, exactly: the price with every holder of shares and a
    threshold up to the k-th smallest x converting; it converts when x is below it."""
    def decide(probe: Probe) -> Step:
        price = (left + probe.freed) / (common + number * probe.shares)
        return Step(probe.low, probe.high, probe.middle, probe.threshold, price,
                    probe.middle == 0 or probe.threshold < price)

    return halving(thresholds, shares, freed, STEPS, decide)


def _search_cells(p: Sheet, steps: list[Step], col: dict[str, str],
                  cuts: tuple[Fraction, Fraction], names: dict[str, str]) -> None:
    """The search for the last converting holder and the last cent's remainder (built-ins
    only), in columns N to T."""
    cut, cent_cut = cuts
    last = FIRST_ROW + STEPS - 1
    summary = [
        ("PayoutConverting", "Holders converting (threshold order)", Kind.WHOLE,
         f"=IF(T{last},Q{last},O{last})", steps[-1].found),
        ("PayoutCut", "Highest threshold converting", Kind.PRICE,
         f"=IF(AND(Convertible,PayoutConverting>0),SMALL({col['H']},PayoutConverting),-1)",
         cut),
        ("PayoutCentCut", "Ranked remainder of the last cent handed out", Kind.MONEY,
         f"=IF(PayoutLeftover>0,LARGE({col['I']},PayoutLeftover),2)", cent_cut),
    ]
    for row, (name, label, what, formula, expected) in enumerate(summary, start=4):
        p.text(f"N{row}", label, Role.LABEL)
        p.add(f"O{row}", Role.COMPUTED, what, native=formula, expected=excel_value(expected))
        names[name] = absolute_ref(PAYOUTS, f"O{row}")
    headers = ("Halving step", "Low", "High", "Middle", "Its threshold",
               "Price if those up to it convert", "Pays to convert")
    for column, heading in zip(SEARCH_COLUMNS, headers, strict=True):
        p.text(f"{column}10", heading, Role.HEADER)
    within = f"({col['H']}<=R{{r}})*({col['B']}>0)"
    for index, step in enumerate(steps):
        r = FIRST_ROW + index
        low = "=0" if index == 0 else f"=IF(T{r - 1},Q{r - 1},O{r - 1})"
        high = f"=COUNT({col['H']})+1" if index == 0 else f"=IF(T{r - 1},P{r - 1},Q{r - 1})"
        chosen = within.format(r=r)
        cells = [
            ("O", Kind.WHOLE, low, step.low),
            ("P", Kind.WHOLE, high, step.high),
            ("Q", Kind.WHOLE, f"=INT((O{r}+P{r})/2)", step.middle),
            ("R", Kind.PRICE, f"=IF(Q{r}>0,SMALL({col['H']},Q{r}),0)", step.threshold),
            ("S", Kind.PRICE,
             f"=(ExitValue-PayoutPreferences+SUMPRODUCT({chosen},{col['G']}))/(TotalCommon"
             f"+ConversionNumber*SUMPRODUCT({chosen},{col['B']}))", step.price),
            ("T", Kind.BOOL, f"=OR(Q{r}=0,R{r}<S{r})", step.converts),
        ]
        p.text(f"N{r}", f"Step {index + 1}", Role.LABEL)
        for column, what, formula, expected in cells:
            p.add(f"{column}{r}", Role.COMPUTED, what, native=formula,
                  expected=excel_value(expected))


def sheet(f: Figures, holder_first: int, holder_last: int, names: dict[str, str]) -> Sheet:
    """The Payouts sheet for the cap table of ``f``; holder rows of the Holders sheet are
    ``holder_first`` to ``holder_last``."""
    cap, settings, number = f.cap, f.cap.settings, f.number
    proceeds = start_exit(f)  # with a stack, the Capital stack sheet's too
    shares = [h.series_m_shares for h in cap.holders]
    accrued = [Fraction(a) for a in f.accrued]
    paid_on_conversion = settings.dividends_on_conversion
    stack = cap.stack
    result = payouts(proceeds, shares, accrued, cap.common_total, number, f.convertible,
                     paid_on_conversion, stack)
    preference = [s * terms.STATED_VALUE + a for s, a in zip(shares, accrued, strict=True)]
    freed = [s * terms.STATED_VALUE if paid_on_conversion else p
             for s, p in zip(shares, preference, strict=True)]
    threshold = [e / (s * number) if s > 0 else Fraction(0)
                 for e, s in zip(freed, shares, strict=True)]
    total_preference = sum(preference, Fraction(0))

    rounded = [round(t, 12) for t in threshold]
    within = payouts_stack.within(
        proceeds, stack, cap.common_total, number, f.convertible, paid_on_conversion, shares,
        accrued, rounded, freed, kink_prices(stack, f.capital), STEPS) if stack else None
    search = _search(rounded, shares, freed, proceeds - total_preference, cap.common_total,
                     number) if within is None else []
    found = search[-1].found if within is None else within.steps[-1].found
    cut = sorted(rounded)[found - 1] if f.convertible and found > 0 else Fraction(-1)
    converting = [i for i, c in enumerate(result.converts) if c]
    price = ((proceeds - total_preference + sum((freed[i] for i in converting), Fraction(0)))
             / (cap.common_total + number * sum((shares[i] for i in converting), Fraction(0)))
             if within is None else within.price)
    whole_cents = [math.floor(x * 100) for x in result.exact]
    leftover = int(result.class_total * 100) - sum(whole_cents)
    remainders = [round(x * 100 - w, 6) for x, w in zip(result.exact, whole_cents, strict=True)]
    # Ranked by remainder, the earlier row first on a tie: each row's remainder plus a hair
    # that shrinks down the rows (10^-13 for each row below it, under the 10^-6 remainders
    # are rounded to for two million rows), so no two keys are equal and one LARGE finds the
    # last cent's.
    below = len(remainders) - 1
    keys = [x + Fraction(below - index, TIE_STEP) for index, x in enumerate(remainders)]
    cent_cut = sorted(keys, reverse=True)[leftover - 1] if leftover > 0 else Fraction(2)

    wider: dict[str, float] = {} if within is None else {"T": 16.0, "U": 12.0}
    p = Sheet(PAYOUTS, freeze="B11", widths={"A": 30, "B": 16, "C": 16, "D": 16, "E": 10,
                                               "F": 18, "G": 18, "H": 12, "I": 12, "J": 18,
                                               "K": 14, "L": 14, "N": 30, "O": 14, "P": 14,
                                               "Q": 14, "R": 14, "S": 14, "T": 12}
              | wider,
              helper_columns=SEARCH_COLUMNS if within is None else payouts_stack.SEARCH_COLUMNS)
    p.text("A1", "Payouts by holder at one exit value (§3)", Role.TITLE)
    p.text("A2", "Type an exit value: each Series M holder converts only when that pays it more "
                 "given what the others do (§5(a)); a shortfall is shared pro rata to the full "
                 "preferential amounts (§3(b)). Payouts are in cents and add up to the class "
                 "total. In the add-in book SERIESM_PAYOUTS (column D) computes them in one "
                 "call; the helper cells it does not need are filled in the built-ins book "
                 "(seriesm-captable-native.xlsx) only." + ("" if within is None else
                             " Within the capital stack (the Capital stack sheet's classes); "
                             "with dividends forfeited, holders of different arrears a share "
                             "decide apart, so the Series M total may differ from that "
                             "sheet's, which takes the class as one holder."))
    first, last = FIRST_ROW, FIRST_ROW + len(shares) - 1
    col = {c: f"{c}{first}:{c}{last}" for c in "BCDEFGHIJKL"}
    p.text("A4", "Exit value", Role.LABEL)
    p.add("B4", Role.INPUT, Kind.MONEY, float(proceeds))
    names["ExitValue"] = absolute_ref(PAYOUTS, "B4")
    summary = [
        ("PayoutPreferences", "Preferences (§3(a))", Kind.MONEY,
         "=TotalSeriesM*StatedValue+TotalAccrued", total_preference),
        ("PayoutPrice", "Common share price", Kind.PRICE,
         f"=(ExitValue-PayoutPreferences+SUMPRODUCT({col['G']},{col['E']}*1))/(TotalCommon"
         f"+ConversionNumber*SUMPRODUCT({col['B']},{col['E']}*1))", price),
        ("PayoutClassTotal", "Series M class total", Kind.MONEY,
         f"=MIN(ROUND(SUM({col['J']}),2),ROUNDDOWN(ExitValue,2))", result.class_total),
        # Native only from here: the add-in's payouts need neither.
        ("PayoutLeftover", "Cents left to hand out", Kind.WHOLE,
         f"=ROUND(PayoutClassTotal*100,0)-SUM({col['K']})", leftover),
    ]
    # The add-in flavor: the preferences as in the built-ins, the class total the sum of the
    # payouts (SERIESM_PAYOUTS apportions it); the price and the cents left are native only.
    payouts_call = (f"SERIESM_PAYOUTS(ExitValue,{HOLDERS}!B{holder_first}:B{holder_last},"
                    f"{HOLDERS}!E{holder_first}:E{holder_last},TotalCommon,ConversionNumber,"
                    "Convertible,DividendsOnConversion)")
    add_in = {"PayoutPreferences": summary[0][3], "PayoutClassTotal": f"=SUM({payouts_call})"}
    if within is not None:  # both flavors: the stack's rounding, which the Checks compare
        payouts_call = payouts_call[:-1] + ",StackTable)"
        summary[1] = (*summary[1][:3], payouts_stack.price_formula(), price)
        summary[2] = (*summary[2][:3], payouts_stack.class_total_formula(len(stack) + 2),
                      result.class_total)
        add_in |= {"PayoutPrice": summary[1][3], "PayoutClassTotal": summary[2][3]}
    for row, (name, label, kind, formula, expected) in enumerate(summary, start=5):
        p.text(f"A{row}", label, Role.LABEL)
        udf = add_in.get(name)
        p.add(f"B{row}", Role.COMPUTED, kind, udf=udf, native=formula,
              expected=excel_value(expected))
        names[name] = absolute_ref(PAYOUTS, f"B{row}")
    p.text("A9", "Check: payouts add up", Role.LABEL)
    p.same("B9", Kind.TEXT, f'=IF(AND(ABS(SUM({col["D"]})-PayoutClassTotal)<0.005,'
           f'PayoutClassTotal<=ExitValue),"OK",SUM({col["D"]})-PayoutClassTotal)', "OK")
    headers = ("Holder", "Series M shares", "Accrued dividends", "Payout", "Converts",
               "Preference (§3(a))", "Freed by converting", "Threshold",
               "Remainder, ranked", "Exact payout", "Whole cents",
               "Remainder (of a cent)")
    for column, heading in zip("ABCDEFGHIJKL", headers, strict=True):
        p.text(f"{column}10", heading, Role.HEADER)
    for index in range(len(shares)):
        r, h = first + index, holder_first + index
        exact = result.exact[index]
        cells = [
            ("A", Kind.TEXT, f"={HOLDERS}!A{h}", cap.holders[index].name),
            ("B", Kind.SHARES, f"={HOLDERS}!B{h}", shares[index]),
            ("C", Kind.MONEY, f"={HOLDERS}!E{h}", accrued[index]),
            ("F", Kind.MONEY, f"=B{r}*StatedValue+C{r}", preference[index]),
            ("G", Kind.MONEY, f"=IF(DividendsOnConversion,B{r}*StatedValue,F{r})",
             freed[index]),
            ("H", Kind.PRICE, f"=IF(B{r}>0,ROUND(G{r}/(B{r}*ConversionNumber),12),0)",
             rounded[index]),
            ("I", Kind.MONEY, f"=L{r}+{below - index}/{TIE_STEP}", keys[index]),
            ("E", Kind.BOOL, _alternate(index, f"=AND(Convertible,B{r}>0,H{r}<=PayoutCut)",
                                        f"=AND(B{r}>0,H{r}<=PayoutCut,Convertible)"),
             result.converts[index]),
            ("J", Kind.MONEY, _alternate(
                index,
                f"=IF(ExitValue<PayoutPreferences,ExitValue*F{r}/PayoutPreferences,IF(E{r},"
                f"IF(DividendsOnConversion,C{r},0)+B{r}*ConversionNumber*PayoutPrice,F{r}))",
                f"=IF(ExitValue>=PayoutPreferences,IF(E{r},IF(DividendsOnConversion,C{r},0)"
                f"+B{r}*ConversionNumber*PayoutPrice,F{r}),ExitValue*F{r}/PayoutPreferences)")
             if within is None else payouts_stack.exact_formula(r, index % 2 == 0), exact),
            ("K", Kind.WHOLE, f"=INT(ROUND(J{r}*100,6))", whole_cents[index]),
            # Compared as money (a fraction of a cent): only its rank among the rows matters.
            ("L", Kind.MONEY, f"=ROUND(ROUND(J{r}*100,6)-K{r},6)",
             remainders[index]),
        ]
        for column, kind, formula, expected in cells:
            # The add-in flavor needs none but the names (SERIESM_PAYOUTS is one call); with
            # a stack it shows the exact payouts too, which the Checks compare with it.
            if column == "A" or (within is not None and column in "BCEFGHJ"):
                p.same(f"{column}{r}", kind, formula, excel_value(expected))
            else:
                p.add(f"{column}{r}", Role.COMPUTED, kind, native=formula,
                      expected=excel_value(expected))
        p.add(f"D{r}", Role.COMPUTED, Kind.MONEY, udf=f"={payouts_call}" if index == 0 else None,
              array=col["D"] if index == 0 else None,
              native=_alternate(index, f"=(K{r}+IF(I{r}>=PayoutCentCut,1,0))/100",
                                f"=(IF(I{r}>=PayoutCentCut,1,0)+K{r})/100"),
              expected=excel_value(result.amounts[index]))
    total = last + 1
    p.text(f"A{total}", "Total", Role.HEADER)
    p.same(f"D{total}", Kind.MONEY, f"=SUM({col['D']})", excel_value(result.class_total))
    if within is None:
        _search_cells(p, search, col, (cut, cent_cut), names)
    else:
        payouts_stack.search_cells(p, within, col, cent_cut, cut, names, FIRST_ROW)
        payouts_stack.block_cells(p, within, stack, col, proceeds, names)
    p.validations.append(Validation("B4", "decimal", minimum=0,
                                    prompt="An exit value in dollars (0 or more)."))
    return p
