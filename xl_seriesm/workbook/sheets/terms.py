"""The template's Terms sheet: the certificate's terms and the settings (readings) in force,
with the dividend periods to the as-of date, in both flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.core.dividends import accrual_years, period_boundary, period_days, periods_done
from xl_seriesm.core.governance import par_value_headroom
from xl_seriesm.workbook.base import (
    ISSUANCES,
    TERMS,
    Kind,
    Role,
    Sheet,
    Validation,
    absolute_ref,
    excel_value,
)
from xl_seriesm.workbook.figures import Figures, Rows
from xl_seriesm.workbook.sheets.payouts_exit import breakpoint_of


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap, settings = f.cap, f.cap.settings
    opens, convertible, conversion_day, number = f.opens, f.convertible, f.conversion_day, f.number
    capital, point, ledger_last = f.capital, f.breakpoint, rows.ledger_last
    t = Sheet(TERMS, widths={"A": 56, "B": 18, "C": 22, "D": 12, "E": 70}, freeze="A4")
    t.text("A1", "Series M Convertible Preferred Stock: terms and inputs", Role.TITLE)
    t.text("A2", "Yellow cells with blue figures are inputs; everything else is computed. "
                 "Sections cite the Certificate of Designation signed 10 January 2005.")
    t.text("A4", "Input", Role.HEADER)
    t.text("B4", "Value", Role.HEADER)
    t.text("C4", "What it means", Role.HEADER)
    inputs = [
        ("ClosingDate", "Closing Date (§1)", Kind.DATE, cap.closing_date,
         "the day the Series M was first issued"),
        ("AsOfDate", "As-of date", Kind.DATE, cap.as_of_date,
         "every figure is computed at this date (accrual up to it, votes and liquidation on it)"),
        ("Basis", "Day-count basis (§2)", Kind.WHOLE, int(settings.basis),
         "0 US 30/360 (default), 1 actual/actual, 2 actual/360, 3 actual/365, 4 European 30/360"),
        ("DividendsOnConversion", "Accrued dividends paid on conversion (§2)", Kind.BOOL,
         settings.dividends_on_conversion,
         "TRUE (default): a converting holder is paid its accrued dividends in cash first"),
        ("PaymentSchedule", "Dividend payment dates (§2)", Kind.TEXT, settings.schedule.value,
         '"from closing" (every 3 months from the Closing Date) or "quarter ends"'),
        ("VotesReading", "Votes before the first anniversary (§4)", Kind.TEXT,
         settings.votes_before_anniversary.value,
         '"as-converted" (default) or "none" (no votes until conversion opens)'),
        ("ThresholdPrice", "Dilution price (§5(e)(i))", Kind.PRICE,
         float(settings.threshold_price), "issuances of common below it raise the conversion "
         "number; $0.25 in the text (replace it after a split if the parties meant to)"),
        ("MarketPrice", "Market price of the common (§5(h))", Kind.PRICE,
         float(settings.market_price), "for the cash paid instead of a fraction of a share"),
    ]
    for row, (name, label, kind, value, meaning) in enumerate(inputs, start=5):
        t.text(f"A{row}", label, Role.LABEL)
        t.add(f"B{row}", Role.INPUT, kind, value)
        t.text(f"C{row}", meaning)
        names[name] = absolute_ref(TERMS, f"B{row}")
    t.validations += [
        Validation("B5:B6", "date", minimum=date(1999, 1, 1), maximum=date(2100, 12, 31),
                   prompt="A date from 1999 to 2100 (the bank calendar's years)."),
        Validation("B7", "list", '"0,1,2,3,4"', prompt="0 to 4, Excel's YEARFRAC basis."),
        Validation("B8", "list", '"TRUE,FALSE"'),
        Validation("B9", "list", '"from closing,quarter ends"'),
        Validation("B10", "list", '"as-converted,none"'),
        Validation("B11:B12", "decimal", minimum=0, prompt="A price per common share."),
    ]
    # Key results.
    last_of_ledger = (f"={ISSUANCES}!H{ledger_last}" if cap.issuances
                      else "=InitialConversionNumber")
    results_top = 5 + len(inputs) + 2  # one blank row and the header below the inputs
    for column, heading in zip("ABC", ("Computed", "Value", "How"), strict=True):
        t.text(f"{column}{results_top - 1}", heading, Role.HEADER)
    results: list[tuple[str, str, Kind, str, str, object, str]] = [
        ("ConversionOpens", "Conversion opens (§5(a))", Kind.DATE,
         "=SERIESM_CONVERTFROM(ClosingDate,LeapAnniversary)",
         '=EDATE(ClosingDate,12)+IF(AND(LeapAnniversary="1 March",MONTH(ClosingDate)=2,'
         "DAY(ClosingDate)=29),1,0)", opens,
         "first anniversary of the Closing Date; of a 29 February one, as chosen under More "
         "inputs below"),
        ("Convertible", "Convertible at the as-of date", Kind.BOOL, "=AsOfDate>=ConversionOpens",
         "=AsOfDate>=ConversionOpens", convertible, "the as-of date is on or after it"),
        ("ConversionDateUsed", "Conversion date for the Holders sheet", Kind.DATE,
         "=MAX(AsOfDate,ConversionOpens)", "=MAX(AsOfDate,ConversionOpens)", conversion_day,
         "the as-of date, or the anniversary if that is later"),
        ("ConversionNumber", "Conversion number after the §5(e) ledger", Kind.NUMBER,
         last_of_ledger, last_of_ledger, number, "the last row of Issuances"),
        ("Preference", "Series M preference (§3(a))", Kind.MONEY,
         "=TotalSeriesM*StatedValue+TotalAccrued", "=TotalSeriesM*StatedValue+TotalAccrued",
         capital.preference, "shares × Stated Value + accrued dividends"),
        ("ConvertedFraction", "Series M share of the common as converted", Kind.PERCENT,
         "=TotalSeriesM*ConversionNumber/(TotalSeriesM*ConversionNumber+TotalCommon)",
         "=TotalSeriesM*ConversionNumber/(TotalSeriesM*ConversionNumber+TotalCommon)",
         capital.converted_fraction, "as-converted common over all common"),
        ("Breakpoint", "Conversion breakpoint, Series M and common alone (§3, §5)"
         if cap.stack else "Conversion breakpoint (§3, §5)", Kind.MONEY,
         "=SERIESM_BREAKPOINT(TotalSeriesM,TotalCommon,TotalAccrued,ConversionNumber,"
         "DividendsOnConversion)",
         "=IF(DividendsOnConversion,TotalAccrued+TotalSeriesM*StatedValue/ConvertedFraction,"
         "Preference/ConvertedFraction)", point,
         "exit value above which converting pays the Series M more, were the Series M and "
         "the common the only classes" + ("; within the stack, the row below" if cap.stack
                                          else "")),
        ("ParValueOK", "Par value within the price paid per common share (§9(a))", Kind.BOOL,
         "=SERIESM_PAROK(ConversionNumber,CommonParValue)",
         "=StatedValue/ConversionNumber>=CommonParValue",
         par_value_headroom(number) >= 0, "$1,000 ÷ conversion number ≥ par"),
    ]
    if cap.stack:  # the other classes move it: where the common price reaches the threshold
        within = "=IF(Convertible,INDEX(StackKinkTotals,MATCH(StackThreshold,StackKinkPrices,0)),"\
                 "Breakpoint)"
        results.insert(results.index(next(r for r in results if r[0] == "Breakpoint")) + 1, (
            "StackBreakpoint", "Conversion breakpoint within the capital stack", Kind.MONEY,
            within, within, breakpoint_of(f),
            "the exit value at which the common is worth the Series M's threshold (Capital "
            "stack sheet, O column) with every class paid as its terms say"))
    for row, (name, label, kind, udf, native, expected, how) in enumerate(results,
                                                                           start=results_top):
        t.text(f"A{row}", label, Role.LABEL)
        t.add(f"B{row}", Role.COMPUTED, kind, udf=udf, native=native,
              expected=excel_value(expected))
        t.text(f"C{row}", how)
        names[name] = absolute_ref(TERMS, f"B{row}")
    # Fixed terms (shown, not edited), with the names formulas use.
    fixed_names = {"Stated Value": "StatedValue", "Dividend rate": "DividendRate",
                   "Conversion number": "InitialConversionNumber",
                   "Shares designated": "SharesDesignated", "Common par value": "CommonParValue"}
    periods_end = _dividend_periods(f, t, names, results_top + len(results))
    fixed_top = periods_end + 3  # one blank row, then the header
    t.text(f"A{fixed_top - 1}", "Fixed by the certificate", Role.HEADER)
    for column, heading in zip("BCDE", ("Value", "Unit", "Section", "Note"), strict=True):
        t.text(f"{column}{fixed_top - 1}", heading, Role.HEADER)
    for row, term in enumerate(terms.TERMS, start=fixed_top):
        t.text(f"A{row}", term.name, Role.LABEL)
        value = float(term.value) if isinstance(term.value, Fraction) else term.value
        kind = (Kind.TEXT if isinstance(value, str) else Kind.WHOLE
                if not isinstance(value, float) or value.is_integer()
                else Kind.PRICE if term.unit.startswith("$") else Kind.PERCENT)
        t.add(f"B{row}", Role.TEXT, kind, value)
        t.text(f"C{row}", term.unit)
        t.text(f"D{row}", term.section)
        t.text(f"E{row}", term.note)
        if term.name in fixed_names:
            names[fixed_names[term.name]] = absolute_ref(TERMS, f"B{row}")

    return t


def _dividend_periods(f: Figures, t: Sheet, names: dict[str, str], top: int) -> int:
    """More settings (§2 accrual, §5(a) 29 February) and the dividend periods at the as-of
    date, which the built-ins formulas of the "per period" accrual read, from row ``top``
    (a blank row) on; returns the last row used."""
    cap, settings = f.cap, f.cap.settings
    closing, as_of, basis, schedule = (cap.closing_date, cap.as_of_date, settings.basis,
                                       settings.schedule)
    head = top + 1
    t.text(f"A{head}", "More inputs", Role.HEADER)
    t.text(f"B{head}", "Value", Role.HEADER)
    t.text(f"C{head}", "What it means", Role.HEADER)
    more = [("Accrual", "Dividend accrual (§2)", settings.accrual.value,
             '"per period" (default): each full period pays exactly a quarter of the 5%; '
             '"from closing": one YEARFRAC from the Closing Date'),
            ("LeapAnniversary", "Anniversary of a 29 February Closing Date (§5(a))",
             settings.leap_anniversary.value, '"28 February" (default, EDATE) or "1 March"')]
    for row, (name, label, value, meaning) in enumerate(more, start=head + 1):
        t.text(f"A{row}", label, Role.LABEL)
        t.add(f"B{row}", Role.INPUT, Kind.TEXT, value)
        t.text(f"C{row}", meaning)
        names[name] = absolute_ref(TERMS, f"B{row}")
    t.validations += [Validation(f"B{head + 1}", "list", '"per period,from closing"'),
                      Validation(f"B{head + 2}", "list", '"28 February,1 March"')]
    # The ledger's readings: they decided the holders' figures when the workbook was written
    # from a ledger (`seriesm template --events`); no formula here reads them.
    ledger = [("Class dividends on the ledger (§2)", settings.dividend_allocation.value,
               '"pro rata to unpaid" (default) or "oldest period first": how a dividend paid '
               "to the class was shared; set with seriesm template --events "
               "--dividend-allocation"),
              ("§5(e) $0.25 after a split", settings.threshold_after_split.value,
               '"literal" (default) or "scaled" by old/new at each split; the template '
               "shows no split; seriesm captable --threshold-after-split")]
    for row, (label, value, meaning) in enumerate(ledger, start=head + 3):
        t.text(f"A{row}", label, Role.LABEL)
        t.text(f"B{row}", value)
        t.text(f"C{row}", meaning)
    periods = head + 6
    quarter_ends = 'PaymentSchedule="quarter ends"'
    first_quarter_end = ("IF(EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),3))=ClosingDate,"
                         "EOMONTH(ClosingDate,3),EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),3)))")

    def boundary(index: str) -> str:
        return (f"IF({quarter_ends},EOMONTH(FirstPeriodStart,3*{index}),"
                f"EDATE(ClosingDate,3*{index}))")

    def dc(start: str, end: str) -> str:  # 30/360 by YEARFRAC for bases 0 and 4, else actual
        return f"IF(MOD(Basis,4)=0,YEARFRAC({start},{end},Basis)*360,{end}-{start})"

    done = periods_done(closing, as_of, schedule)
    first_start, first_end = (period_boundary(closing, 0, schedule),
                              period_boundary(closing, 1, schedule))
    months = (as_of.year - first_start.year) * 12 + as_of.month - first_start.month
    t.text(f"A{periods}", "Dividend periods at the as-of date (§2)", Role.HEADER)
    t.text(f"B{periods}", "Value", Role.HEADER)
    t.text(f"C{periods}", "How", Role.HEADER)
    helpers: list[tuple[str, str, Kind, str, object, str]] = [
        ("FirstPaymentDate", "First dividend payment date", Kind.DATE,
         f"=IF({quarter_ends},{first_quarter_end},EDATE(ClosingDate,3))", first_end,
         "the first date of the payment schedule"),
        ("FirstPeriodStart", "Start of the first dividend period", Kind.DATE,
         f"=IF({quarter_ends},EOMONTH(FirstPaymentDate,-3),ClosingDate)", first_start,
         "the Closing Date, or the quarter end before the first payment date"),
        ("PeriodGuess", "Quarters of months since that start", Kind.WHOLE,
         "=INT(((YEAR(AsOfDate)-YEAR(FirstPeriodStart))*12+MONTH(AsOfDate)"
         "-MONTH(FirstPeriodStart))/3)", months // 3,
         "the periods done, or one more when the as-of date is before that month's date"),
        ("PeriodsDone", "Dividend periods ended by the as-of date", Kind.WHOLE,
         f"=PeriodGuess-IF({boundary('PeriodGuess')}>AsOfDate,1,0)", done,
         "payment dates on or before the as-of date"),
        ("PeriodStart", "Start of the running period", Kind.DATE,
         f"={boundary('PeriodsDone')}", period_boundary(closing, done, schedule), ""),
        ("PeriodEnd", "End of the running period", Kind.DATE,
         f"={boundary('(PeriodsDone+1)')}", period_boundary(closing, done + 1, schedule), ""),
        ("FirstPeriodFraction", "Part of the first period from the Closing Date", Kind.NUMBER,
         f"={dc('ClosingDate', 'FirstPaymentDate')}/{dc('FirstPeriodStart', 'FirstPaymentDate')}",
         period_days(closing, first_end, basis) / period_days(first_start, first_end, basis),
         "1 unless the quarter-end schedule makes the first period short"),
        ("AccrualYears", "Years of dividend accrued to the as-of date", Kind.NUMBER,
         '=IF(Accrual="from closing",YEARFRAC(ClosingDate,AsOfDate,Basis),IF(PeriodsDone=0,'
         f"{dc('ClosingDate', 'AsOfDate')}/{dc('FirstPeriodStart', 'FirstPaymentDate')},"
         f"FirstPeriodFraction+PeriodsDone-1+{dc('PeriodStart', 'AsOfDate')}/"
         f"{dc('PeriodStart', 'PeriodEnd')})/4)",
         accrual_years(closing, as_of, basis, settings.accrual, schedule),
         "per period: (full periods + dc fraction of the running one) ÷ 4; dc is 30/360 days "
         "for bases 0 and 4, actual days otherwise"),
    ]
    for row, (name, label, kind, formula, expected, how) in enumerate(helpers,
                                                                         start=periods + 1):
        t.text(f"A{row}", label, Role.LABEL)
        t.same(f"B{row}", kind, formula, excel_value(expected))
        t.text(f"C{row}", how)
        names[name] = absolute_ref(TERMS, f"B{row}")
    return periods + len(helpers)
