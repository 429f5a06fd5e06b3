"""The template's Valuation sheet: the option pricing model over the waterfall, in both
flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math

from xl_seriesm.core.valuation import (
    BREAKPOINT_HEADER,
    opm_value,
    series_m_tranches,
    value_tranches,
)
from xl_seriesm.workbook.base import VALUATION, Kind, Role, Sheet, absolute_ref, excel_value
from xl_seriesm.workbook.figures import Figures
from xl_seriesm.workbook.sheets import valuation_stack
from xl_seriesm.workbook.sheets.valuation_inputs import (
    METHOD,
    VALUATION_RISK_FREE_RATE,
    VALUATION_TERM_YEARS,
    VALUATION_VOLATILITY,
    at_exit,
    inputs,
    market,
    starting_equity_value,
)

__all__ = ["VALUATION_RISK_FREE_RATE", "VALUATION_TERM_YEARS", "VALUATION_VOLATILITY",
           "sheet", "starting_equity_value"]
VALUATION_TOP, VALUATION_TRANCHES = 16, 3  # the table's header row; the Series M has three


def sheet(f: Figures, names: dict[str, str]) -> Sheet:
    """The Valuation sheet: the Series M and the common, or every class of the stack."""
    if f.cap.stack:
        return valuation_stack.sheet(f, names)
    capital = f.capital
    v = Sheet(VALUATION, freeze="A4", widths={"A": 34, "B": 18, "C": 18, "D": 16, "E": 16,
                                               "F": 12, "G": 12, "H": 18, "I": 18, "J": 18,
                                               "K": 18})
    v.text("A1", "Value of the Series M and the common (option pricing model)", Role.TITLE)
    v.text("A2", "Beyond the certificate's arithmetic: " + METHOD)
    equity = starting_equity_value(f.breakpoint)
    inputs(v, equity, names)
    found_market = market()
    at_exit_ = at_exit(v, capital, names)
    v.text("A14", "Breakpoint at the exit", Role.LABEL)
    v.same("B14", Kind.MONEY, "=IF(DividendsOnConversion,AccruedAtExit+TotalSeriesM*StatedValue"
                              "/ConvertedFraction,PreferenceAtExit/ConvertedFraction)",
           excel_value(at_exit_.breakpoint()))
    v.text("C14", "where converting pays more (§3, §5)")
    names["BreakpointAtExit"] = absolute_ref(VALUATION, "B14")

    top = VALUATION_TOP
    first, last = top + 1, top + VALUATION_TRANCHES
    found = value_tranches(float(equity), series_m_tranches(at_exit_), found_market)
    assert len(found) == VALUATION_TRANCHES
    headers = (*BREAKPOINT_HEADER, "d1", "d2", "Call C(K) at From", "Tranche value",
               "Series M value", "Common value")  # A:E are SERIESM_BREAKPOINTS' own
    for column, heading in zip("ABCDEFGHIJK", headers, strict=True):
        ref = f"{column}{top}"
        if column == "A":  # SERIESM_BREAKPOINTS fills A:E, header row included
            v.add(ref, Role.HEADER, Kind.TEXT, heading, array=f"A{top}:E{last}",
                  udf="=SERIESM_BREAKPOINTS(TotalSeriesM,TotalCommon,AccruedAtExit,"
                      "ConversionNumber,DividendsOnConversion)")
        else:
            v.text(ref, heading, Role.HEADER)
    # The three tranches of §3: the preference, the common alone, both as converted.
    bounds = [("=0", "=PreferenceAtExit", "=1", "=0"),
              ("=PreferenceAtExit", "=BreakpointAtExit", "=0", "=1"),
              ("=BreakpointAtExit", None, "=ConvertedFraction", "=1-ConvertedFraction")]
    for index, (valued, (lower, upper, series_m, common)) in enumerate(
            zip(found, bounds, strict=True)):
        r = first + index
        t, call = valued.tranche, valued.call_at_lower
        v.add(f"A{r}", Role.COMPUTED, Kind.WHOLE, native=f"={index + 1}", expected=index + 1)
        v.add(f"B{r}", Role.COMPUTED, Kind.MONEY, native=lower, expected=excel_value(t.lower))
        # The last tranche has no end: an empty cell (SERIESM_BREAKPOINTS leaves it empty).
        v.add(f"C{r}", Role.COMPUTED, Kind.MONEY, native=upper or '=""',
              expected="" if t.upper is None else excel_value(t.upper))
        v.add(f"D{r}", Role.COMPUTED, Kind.PERCENT, native=series_m,
              expected=excel_value(t.allocation[0]))
        v.add(f"E{r}", Role.COMPUTED, Kind.PERCENT, native=common,
              expected=excel_value(t.allocation[1]))
        if t.lower == 0:
            v.text(f"F{r}", "(K = 0)")
            v.text(f"G{r}", "C(0) = S")
            v.same(f"H{r}", Kind.MONEY, "=EquityValue", call.value)
        else:
            v.same(f"F{r}", Kind.NUMBER, f"=(LN(EquityValue/B{r})+(RiskFreeRate+Volatility^2/2)"
                                         f"*TermYears)/SigmaRootT", call.d1)
            v.same(f"G{r}", Kind.NUMBER, f"=F{r}-SigmaRootT", call.d2)
            v.same(f"H{r}", Kind.MONEY, f"=EquityValue*NORMSDIST(F{r})-B{r}*DiscountFactor*"
                                        f"NORMSDIST(G{r})", call.value)
        above = f"-H{r + 1}" if r < last else ""
        v.same(f"I{r}", Kind.MONEY, f"=H{r}{above}", valued.value)
        v.same(f"J{r}", Kind.MONEY, f"=D{r}*I{r}", float(t.allocation[0]) * valued.value)
        v.same(f"K{r}", Kind.MONEY, f"=E{r}*I{r}", float(t.allocation[1]) * valued.value)
    total = last + 1
    v.text(f"A{total}", "Total", Role.HEADER)
    for column in "IJK":
        v.same(f"{column}{total}", Kind.MONEY, f"=SUM({column}{first}:{column}{last})",
               math.fsum(float(x.tranche.allocation[0 if column == "J" else 1]) * x.value
                         if column != "I" else x.value for x in found))
    names["OpmTranches"] = f"{VALUATION}!$J${first}:$K${last}"
    names["OpmSeriesMSum"] = absolute_ref(VALUATION, f"J{total}")

    opm_figures = opm_value(equity, at_exit_, found_market)
    results_top = total + 2
    v.text(f"A{results_top}", "Value", Role.HEADER)
    v.text(f"B{results_top}", "Dollars", Role.HEADER)
    v.text(f"C{results_top}", "How", Role.HEADER)
    opm = ("=SERIESM_OPM(EquityValue,Volatility,TermYears,RiskFreeRate,TotalSeriesM,"
           'TotalCommon,TotalAccrued,ConversionNumber,DividendsOnConversion,"{}")')
    results = [("OpmSeriesM", "Series M total", Kind.MONEY, f"=ROUND(J{total},2)",
                opm_figures.series_m_total, "its share of each tranche, rounded to the cent"),
               ("OpmSeriesMPerShare", "Series M per share", Kind.MONEY,
                f"=B{results_top + 1}/TotalSeriesM", opm_figures.series_m_per_share,
                "over the Series M shares"),
               ("OpmCommon", "Common total", Kind.MONEY, f"=EquityValue-B{results_top + 1}",
                opm_figures.common_total, "the rest of the equity value"),
               ("OpmCommonPerShare", "Common per share", Kind.PRICE,
                f"=B{results_top + 3}/TotalCommon", opm_figures.common_per_share,
                "over the common shares outstanding")]
    for row, (name, label, kind, native, figure, how) in enumerate(results,
                                                                     start=results_top + 1):
        v.text(f"A{row}", label, Role.LABEL)
        v.add(f"B{row}", Role.COMPUTED, kind, udf=opm.format(label), native=native,
              expected=excel_value(figure))
        v.text(f"C{row}", how)
        names[name] = absolute_ref(VALUATION, f"B{row}")
    return v
