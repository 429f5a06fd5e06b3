"""The template's Waterfall sheet: the §3 split of a range of exit values and its chart, in
both flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from fractions import Fraction

from xl_seriesm.core.liquidation import waterfall
from xl_seriesm.core.numbers import exact
from xl_seriesm.workbook.base import WATERFALL, Chart, Kind, Role, Sheet, excel_value, nice_step
from xl_seriesm.workbook.figures import EXIT_ROWS, Figures, Rows
from xl_seriesm.workbook.sheets import stack_waterfall


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    """The Waterfall sheet: the Series M and the common, or every class of the stack."""
    if f.cap.stack:
        return stack_waterfall.sheet(f, rows, names)
    capital, point, convertible = f.capital, f.breakpoint, f.convertible
    w = Sheet(WATERFALL, freeze="A5", widths={"A": 18, "B": 18, "C": 18, "D": 18, "E": 16,
                                                "F": 17, "H": 18, "I": 18}, helper_columns="HI")
    w.text("A1", "Liquidation waterfall (§3)", Role.TITLE)
    w.text("A2", "Exit values (column A, editable) against what the Series M and the common "
                 "receive; the Series M converts when that pays it more (from the first "
                 "anniversary). The chart marks the breakpoint.")
    for column, heading in zip("ABCDEF", ("Exit value", "Series M total", "Series M per share",
                                           "Common total", "Common per share",
                                           "Series M converts"), strict=True):
        w.text(f"{column}4", heading, Role.HEADER)
    exit_first, exit_last = rows.exit_first, rows.exit_last
    step = nice_step(float(point) * 2, EXIT_ROWS - 1)
    exits = [Fraction(step) * k for k in range(EXIT_ROWS)]
    # A grid point on the breakpoint itself would compare a rounded double with the exact
    # figure; nudge it by one step fraction so both engines agree on which side it is.
    exits = [e + Fraction(step) / 10 if abs(e - point) < Fraction(step) / 1000 else e
             for e in exits]
    labels = {"B": "Series M total", "C": "Series M per share", "D": "Common total",
              "E": "Common per share", "F": "Series M converts"}
    exit_span = f"A{exit_first}:A{exit_last}"
    splits = [waterfall(exact(float(e)), capital, convertible) for e in exits]
    for index, (exit_value, split) in enumerate(zip(exits, splits, strict=True)):
        r = exit_first + index
        w.add(f"A{r}", Role.INPUT, Kind.MONEY, float(exit_value))
        conversion_pays = (f"IF(DividendsOnConversion,MIN(A{r},TotalAccrued)+MAX(A{r}-TotalAccrued,"
                           f"0)*ConvertedFraction,A{r}*ConvertedFraction)")
        formulas = {
            "F": f"=AND(Convertible,A{r}>Breakpoint)",
            "B": f"=ROUND(IF(F{r},{conversion_pays},MIN(A{r},Preference)),2)",
            "C": f"=B{r}/TotalSeriesM",
            "D": f"=A{r}-B{r}",
            "E": f"=D{r}/TotalCommon",
        }
        figures = {"B": split.series_m_total, "C": split.series_m_per_share,
                   "D": split.common_total, "E": split.common_per_share,
                   "F": split.series_m_converts}
        kinds = {"B": Kind.MONEY, "C": Kind.MONEY, "D": Kind.MONEY, "E": Kind.PRICE,
                 "F": Kind.BOOL}
        for column in "BCDEF":
            anchor = index == 0
            w.add(f"{column}{r}", Role.COMPUTED, kinds[column],
                  udf=(f"=SERIESM_WATERFALL({exit_span},TotalSeriesM,TotalCommon,TotalAccrued,"
                       f'ConversionNumber,Convertible,DividendsOnConversion,"{labels[column]}")')
                  if anchor else None,
                  array=f"{column}{exit_first}:{column}{exit_last}" if anchor else None,
                  native=formulas[column], expected=excel_value(figures[column]))
    top_payout = max(max(float(x.series_m_total), float(x.common_total)) for x in splits)
    w.text("H4", "Breakpoint marker", Role.HEADER)
    w.text("I4", "Payout", Role.HEADER)
    for r, height, formula in ((5, 0.0, "=0"),
                               (6, top_payout, f"=MAX(B{exit_first}:B{exit_last},"
                                                f"D{exit_first}:D{exit_last})")):
        w.same(f"H{r}", Kind.MONEY, "=Breakpoint", excel_value(point))
        w.same(f"I{r}", Kind.MONEY, formula, height)
    w.chart = Chart("H9", (exit_first, exit_last),
                    (("B", "Series M total"), ("D", "Common total")), (5, 6), float(exits[-1]))
    return w
