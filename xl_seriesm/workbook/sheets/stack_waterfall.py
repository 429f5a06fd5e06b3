"""The Waterfall sheet when the template has a capital stack: every class's total at each exit
value, in both flavors.

The add-in flavor asks SERIESM_WATERFALL with the Capital stack sheet's table for each class's
column. The built-ins flavor reuses the Capital stack sheet's fixed point on each exit row: the
count of kink exit values T(p) at or below the exit value gives the segment, where T is linear,
so the common's price p follows, and each class's exact payout at p (the same formulas as the
Capital stack sheet's column J). The classes but the common are rounded together, their cents
apportioned by largest remainders (the Series M first on a tie, then the table's order, as
:mod:`xl_seriesm.core.stack_waterfall` does); the common takes the rest. The exact payouts are
helper columns in both flavors, and two Checks compare: they add up to each exit value, and
each class's total is its exact payout to the cent.

Pure: no openpyxl here.
"""

from __future__ import annotations

from fractions import Fraction

from xl_seriesm.core.stack import structure
from xl_seriesm.core.stack_waterfall import series_m_breakpoint, stack_waterfall
from xl_seriesm.workbook.base import (
    WATERFALL,
    Chart,
    Kind,
    Role,
    Sheet,
    absolute_ref,
    excel_value,
    nice_step,
)
from xl_seriesm.workbook.figures import EXIT_ROWS, Figures, Rows
from xl_seriesm.workbook.sheets.stack import kink_prices, payout_formulas
from xl_seriesm.xlsx import cellrefs


def _column(n: int) -> str:
    """The letters of the ``n``-th column (1 = A)."""
    return cellrefs.letters(n)


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    """The Waterfall sheet over the stack of ``f``'s cap table."""
    stack, capital, convertible = f.cap.stack, f.capital, f.convertible
    built = structure(capital, stack, convertible)
    point = series_m_breakpoint(built) if convertible else f.breakpoint
    k = len(stack)
    labels = ["Series M", *(c.name for c in stack), "Common"]
    n = len(labels)
    totals = [_column(2 + i) for i in range(n)]  # B..: what each class receives
    segment, price = _column(2 + n), _column(3 + n)
    exact = [_column(4 + n + i) for i in range(n)]
    off, marker_x, marker_y = (_column(4 + 2 * n + i) for i in range(3))
    helpers = (segment, price, *exact, off, marker_x, marker_y)
    w = Sheet(WATERFALL, freeze="B5",
              widths={"A": 16.0} | dict.fromkeys([*totals, *helpers], 14.0),
              helper_columns=helpers)
    w.text("A1", "Liquidation waterfall in the capital stack (§3)", Role.TITLE)
    w.text("A2", "Exit values (column A, editable) against what every class receives: the "
                 "Series M first (§3(a)), then the classes of the Capital stack sheet by "
                 "seniority; each converts when that pays it more. The chart marks the Series "
                 "M's breakpoint.")
    w.text("A4", "Exit value", Role.HEADER)
    for column, label in zip(totals, labels, strict=True):
        w.text(f"{column}4", f"{label} total", Role.HEADER)
    for column, heading in ((segment, "Kink below"), (price, "Common price p"),
                            (off, "Exact sum less exit")):
        w.text(f"{column}4", heading, Role.HEADER)
    for column, label in zip(exact, labels, strict=True):
        w.text(f"{column}4", f"{label} exact", Role.HEADER)

    kinks = sorted({built.total_at(p) for p in built.prices} | {built.preferences})
    top = max(point, max(built.total_at(p) for p in built.prices)) * Fraction(5, 4)
    step = Fraction(nice_step(float(top), EXIT_ROWS - 1))
    exits = [step * j for j in range(EXIT_ROWS)]
    # A grid point on a kink would compare a rounded double with the exact figure; nudge it
    # by a tenth of a step so both engines agree on which side it is.
    exits = [e + step / 10 if any(abs(e - t) < step / 1000 for t in kinks) else e
             for e in exits]
    first, last = rows.exit_first, rows.exit_last
    exit_span = f"A{first}:A{last}"
    prices = kink_prices(stack, capital)
    count = len(prices)
    p_, t_ = "StackKinkPrices", "StackKinkTotals"
    splits = []
    for index, proceeds in enumerate(exits):
        r = first + index
        split = stack_waterfall(proceeds, capital, stack, convertible, built)
        splits.append(split)
        w.add(f"A{r}", Role.INPUT, Kind.MONEY, float(proceeds))
        below = 0 if split.price is None else sum(
            1 for p in prices if built.total_at(p) <= proceeds)
        w.same(f"{segment}{r}", Kind.WHOLE,
               f"=IF(A{r}<StackPreferences,0,SUMPRODUCT(--({t_}<=A{r})))", below)
        s_ = f"{segment}{r}"
        slope = (f"IF({s_}<{count},(INDEX({t_},{s_}+1)-INDEX({t_},{s_}))/(INDEX({p_},{s_}+1)"
                 f"-INDEX({p_},{s_})),StackPastTotal-INDEX({t_},{count}))")
        w.same(f"{price}{r}", Kind.PRICE,
               f"=IF({s_}=0,0,INDEX({p_},{s_})+(A{r}-INDEX({t_},{s_}))/{slope})",
               excel_value(split.price if split.price is not None else Fraction(0)))
        formulas = payout_formulas(k, f"A{r}", f"{price}{r}", outside=True)
        for column, formula, figure in zip(exact, formulas, split.exact, strict=True):
            w.same(f"{column}{r}", Kind.MONEY, f"={formula}", excel_value(figure))
        w.same(f"{off}{r}", Kind.MONEY, f"=SUM({exact[0]}{r}:{exact[-1]}{r})-A{r}",
               excel_value(sum(split.exact) - proceeds))
        head = f"{exact[0]}{r}:{exact[-2]}{r}"
        remainders = f"ROUND(ROUND({head}*100,6)-INT(ROUND({head}*100,6)),6)"
        cents_left = (f"(MIN(ROUND(SUM({head})*100,0),ROUNDDOWN(A{r}*100,0))"
                      f"-SUMPRODUCT(INT(ROUND({head}*100,6))))")
        for i, (column, label) in enumerate(zip(totals, labels, strict=True)):
            anchor = index == 0
            udf = (f"=SERIESM_WATERFALL({exit_span},TotalSeriesM,TotalCommon,TotalAccrued,"
                   f'ConversionNumber,Convertible,DividendsOnConversion,"{_quoted(label)} total",'
                   "StackTable)") if anchor else None
            if i == n - 1:
                native = f"=A{r}-SUM({totals[0]}{r}:{totals[-2]}{r})"
            else:
                e = f"{exact[i]}{r}"
                mine = f"ROUND(ROUND({e}*100,6)-INT(ROUND({e}*100,6)),6)"
                rank = f"SUMPRODUCT(--({remainders}>{mine}))"
                if i:
                    before = f"{exact[0]}{r}:{exact[i - 1]}{r}"
                    rank += (f"+SUMPRODUCT(--(ROUND(ROUND({before}*100,6)-INT(ROUND("
                             f"{before}*100,6)),6)={mine}))")
                native = f"=(INT(ROUND({e}*100,6))+IF({rank}<{cents_left},1,0))/100"
            w.add(f"{column}{r}", Role.COMPUTED, Kind.MONEY, udf=udf,
                  array=f"{column}{first}:{column}{last}" if anchor else None,
                  native=native, expected=excel_value(split.totals[i]))
    below_table = last + 1
    w.text(f"A{below_table}", "Off by a cent", Role.LABEL)
    w.same(f"B{below_table}", Kind.WHOLE,
           f"=SUMPRODUCT(--(ABS({totals[0]}{first}:{totals[-1]}{last}-{exact[0]}{first}:"
           f"{exact[-1]}{last})>=0.01))", 0)
    names["WaterfallCentsOff"] = absolute_ref(WATERFALL, f"B{below_table}")
    names["WaterfallExactOff"] = absolute_ref(WATERFALL, f"{off}{first}") + f":${off}${last}"

    top_payout = max(float(t) for split in splits for t in split.totals)
    w.text(f"{marker_x}4", "Breakpoint marker", Role.HEADER)
    w.text(f"{marker_y}4", "Payout", Role.HEADER)
    breakpoint_formula = f"=IF(Convertible,INDEX({t_},MATCH(StackThreshold,{p_},0)),Breakpoint)"
    for r, height, formula in ((5, 0.0, "=0"),
                               (6, top_payout, f"=MAX({totals[0]}{first}:{totals[-1]}{last})")):
        w.same(f"{marker_x}{r}", Kind.MONEY, breakpoint_formula, excel_value(point))
        w.same(f"{marker_y}{r}", Kind.MONEY, formula, height)
    w.chart = Chart(f"{marker_x}9", (first, last),
                    tuple((column, f"{label} total") for column, label in
                          zip(totals, labels, strict=True)),
                    (5, 6), float(exits[-1]), (marker_x, marker_y))
    return w


def _quoted(text: str) -> str:
    """Text inside a formula's double quotes."""
    return text.replace('"', '""')
