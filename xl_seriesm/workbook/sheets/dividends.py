"""The template's Dividends sheet: the §2 quarterly schedule to the as-of date, in both
flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from xl_seriesm.workbook.base import DIVIDENDS, Kind, Role, Sheet, excel_value
from xl_seriesm.workbook.figures import Figures, Rows


def sheet(f: Figures, rows: Rows) -> Sheet:
    schedule = f.schedule
    d = Sheet(DIVIDENDS, freeze="A5", widths={"A": 14, "B": 16, "C": 16, "D": 16})
    d.text("A1", "Quarterly dividends of the Series M class (§2)", Role.TITLE)
    d.text("A2", "All the Series M (TotalSeriesM shares) and all dividends paid (TotalPaid), "
                 "payments applied to the oldest dues first. One row per payment date up to the "
                 "as-of date of this workbook.")
    header = ("Payment date", "Dividend due", "Paid", "Arrears")
    top, bottom = rows.top, rows.bottom
    block = f"A{top}:D{bottom}"
    for column, heading in zip("ABCD", header, strict=True):
        ref = f"{column}{top}"
        if column == "A":  # the array formula's anchor carries the header too
            d.add(ref, Role.HEADER, Kind.TEXT, heading, array=block, udf=(
                "=SERIESM_SCHEDULE(TotalSeriesM,ClosingDate,AsOfDate,TotalPaid,Basis,"
                "PaymentSchedule,Accrual)"))
        else:
            d.text(ref, heading, Role.HEADER)
    for k, payment in enumerate(schedule, start=1):
        r = top + k
        first_quarter_end = ("IF(EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),3))=ClosingDate,"
                             "EOMONTH(ClosingDate,3),EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),"
                             "3)))")
        when = (f'=IF(PaymentSchedule="quarter ends",EOMONTH({first_quarter_end},{3 * (k - 1)}),'
                f"EDATE(ClosingDate,{3 * k}))")
        # At its k-th payment date the class has accrued k − 1 full periods and the first one
        # (short under "quarter ends") per period, or one YEARFRAC from closing (§2).
        accrued_to = ('ROUND(TotalSeriesM*StatedValue*DividendRate*IF(Accrual="from closing",'
                      "YEARFRAC(ClosingDate,{date},Basis),(FirstPeriodFraction+{k}-1)/4),2)")
        due = (f"={accrued_to.format(date=f'A{r}', k=k)}" if k == 1 else
               f"={accrued_to.format(date=f'A{r}', k=k)}"
               f"-{accrued_to.format(date=f'A{r - 1}', k=k - 1)}")
        owed = f"B{r}" if k == 1 else f"D{r - 1}+B{r}"
        applied = "0" if k == 1 else f"SUM(C{top + 1}:C{r - 1})"
        d.add(f"A{r}", Role.COMPUTED, Kind.DATE, native=when, expected=payment.payment_date)
        d.add(f"B{r}", Role.COMPUTED, Kind.MONEY, native=due, expected=excel_value(payment.due))
        d.add(f"C{r}", Role.COMPUTED, Kind.MONEY, native=f"=MIN({owed},TotalPaid-{applied})",
              expected=excel_value(payment.paid))
        d.add(f"D{r}", Role.COMPUTED, Kind.MONEY, native=f"={owed}-C{r}",
              expected=excel_value(payment.arrears))
    return d
