"""The template's Dividends sheet: the §2 quarterly schedule to the as-of date, in both
flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from xl_seriesm.workbook.base import DIVIDENDS, Kind, Role, Sheet, absolute_ref, excel_value
from xl_seriesm.workbook.figures import Figures, Rows

#: The class's accrual to the as-of date (§2), rounded to the cent once, as each row's.
ACCRUED_TO = ('ROUND(TotalSeriesM*StatedValue*DividendRate*IF(Accrual="from closing",'
              "YEARFRAC(ClosingDate,{date},Basis),(FirstPeriodFraction+{k}-1)/4),2)")


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    schedule = f.schedule
    d = Sheet(DIVIDENDS, freeze="A5", widths={"A": 14, "B": 16, "C": 16, "D": 16, "E": 44})
    d.text("A1", "Quarterly dividends of the Series M class (§2)", Role.TITLE)
    d.text("A2", "All the Series M (TotalSeriesM shares) as if from the Closing Date, less all "
                 "dividends paid (TotalPaid) and, when shares were issued later, what they did "
                 "not accrue before their issue (TotalNotAccrued, not a payment: the Paid column "
                 "counts it), applied to the oldest dues first. One row per payment date up to "
                 "the as-of date of this workbook, then the running period to the as-of date and "
                 "the tie to the Holders sheet's accrued dividends.")
    header = ("Payment date", "Dividend due", "Paid", "Arrears")
    top, bottom = rows.top, rows.bottom
    block = f"A{top}:D{bottom}"
    for column, heading in zip("ABCD", header, strict=True):
        ref = f"{column}{top}"
        if column == "A":  # the array formula's anchor carries the header too
            d.add(ref, Role.HEADER, Kind.TEXT, heading, array=block, udf=(
                "=SERIESM_SCHEDULE(TotalSeriesM,ClosingDate,AsOfDate,TotalPaid+TotalNotAccrued,"
                "Basis,PaymentSchedule,Accrual)"))
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
        accrued_to = ACCRUED_TO
        due = (f"={accrued_to.format(date=f'A{r}', k=k)}" if k == 1 else
               f"={accrued_to.format(date=f'A{r}', k=k)}"
               f"-{accrued_to.format(date=f'A{r - 1}', k=k - 1)}")
        owed = f"B{r}" if k == 1 else f"D{r - 1}+B{r}"
        applied = "0" if k == 1 else f"SUM(C{top + 1}:C{r - 1})"
        d.add(f"A{r}", Role.COMPUTED, Kind.DATE, native=when, expected=payment.payment_date)
        d.add(f"B{r}", Role.COMPUTED, Kind.MONEY, native=due, expected=excel_value(payment.due))
        d.add(f"C{r}", Role.COMPUTED, Kind.MONEY,
              native=f"=MIN({owed},TotalPaid+TotalNotAccrued-{applied})",
              expected=excel_value(payment.paid))
        d.add(f"D{r}", Role.COMPUTED, Kind.MONEY, native=f"={owed}-C{r}",
              expected=excel_value(payment.arrears))
    _as_of_rows(d, f, rows, names)
    return d


def _as_of_rows(d: Sheet, f: Figures, rows: Rows, names: dict[str, str]) -> None:
    """The running period's accrual to the as-of date (both flavors alike: built-ins over the
    schedule's last row), the class's accrued and unpaid, and the Holders sheet's total."""
    top, bottom, n = rows.top, rows.bottom, len(f.schedule)
    a = f.running
    r = bottom + 1
    before = ACCRUED_TO.format(date=f"A{bottom}", k=n) if n else "0"
    d.same(f"A{r}", Kind.DATE, "=AsOfDate", f.cap.as_of_date)
    # Accrued to the as-of date (AccrualYears: either accrual, §2) less accrued to the last
    # payment date, each rounded to the cent as the schedule's rows are.
    d.same(f"B{r}", Kind.MONEY,
           f"=ROUND(TotalSeriesM*StatedValue*DividendRate*AccrualYears,2)-{before}",
           excel_value(a.due))
    owed = f"D{bottom}+B{r}" if n else f"B{r}"
    applied = f"SUM(C{top + 1}:C{bottom})" if n else "0"
    d.same(f"C{r}", Kind.MONEY, f"=MIN({owed},MAX(TotalPaid+TotalNotAccrued-{applied},0))",
           excel_value(a.paid))
    d.same(f"D{r}", Kind.MONEY, f"={owed}-C{r}", excel_value(a.unpaid))
    d.text(f"E{r}", "to the as-of date: the running period, not yet due")
    names["DividendsUnpaid"] = absolute_ref(DIVIDENDS, f"D{r}")
    tie = [
        ("Accrued and unpaid, the class", "=DividendsUnpaid", a.unpaid,
         "the row above: the class's accrual rounded to the cent once (§2)"),
        ("Holders sheet's accrued dividends", "=TotalAccrued", f.total_accrued,
         "each holder's rounded to the cent (§2)"),
        ("Difference: the rounding", f"=D{r + 3}-D{r + 2}", f.total_accrued - a.unpaid,
         "at most a cent a holder and a cent more, or the Checks fail"),
    ]
    for row, (label, formula, expected, how) in enumerate(tie, start=r + 2):
        d.text(f"A{row}", label, Role.LABEL)
        d.same(f"D{row}", Kind.MONEY, formula, excel_value(expected))
        d.text(f"E{row}", how)
    names["DividendsRounding"] = absolute_ref(DIVIDENDS, f"D{r + 4}")
