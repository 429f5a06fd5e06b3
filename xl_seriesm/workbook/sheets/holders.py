"""The template's Holders sheet: one row per Series M holder, its dividends, liquidation
value, common on conversion and votes, in both flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.workbook.base import (
    HOLDERS,
    Kind,
    Role,
    Sheet,
    Validation,
    absolute_ref,
    excel_value,
)
from xl_seriesm.workbook.figures import Figures, Rows

_QUARTER_ENDS = 'PaymentSchedule="quarter ends"'


def _boundary(index: str) -> str:
    """The payment date ending dividend period ``index`` (0: the first period's start), as
    the Terms sheet's helpers compute it."""
    return (f"IF({_QUARTER_ENDS},EOMONTH(FirstPeriodStart,3*{index}),"
            f"EDATE(ClosingDate,3*{index}))")


def _dc(start: str, end: str) -> str:  # 30/360 by YEARFRAC for bases 0 and 4, else actual
    return f"IF(MOD(Basis,4)=0,YEARFRAC({start},{end},Basis)*360,{end}-{start})"


def periods_before(start: str) -> str:
    """Dividend periods ended by the date in cell ``start`` (the Terms sheet's PeriodsDone
    for another date)."""
    guess = (f"INT(((YEAR({start})-YEAR(FirstPeriodStart))*12+MONTH({start})"
             f"-MONTH(FirstPeriodStart))/3)")
    return f"={guess}-IF({_boundary(guess)}>{start},1,0)"


def not_accrued(row: int) -> str:
    """What row ``row``'s shares would have accrued from the Closing Date to their accrual
    start (column L), with its periods done (column M): the Terms sheet's AccrualYears for
    that date."""
    start, done = f"L{row}", f"M{row}"
    years = (f'IF(Accrual="from closing",YEARFRAC(ClosingDate,{start},Basis),IF({done}=0,'
             f"{_dc('ClosingDate', start)}/{_dc('FirstPeriodStart', 'FirstPaymentDate')},"
             f"FirstPeriodFraction+{done}-1+{_dc(_boundary(done), start)}/"
             f"{_dc(_boundary(done), _boundary(f'({done}+1)'))})/4)")
    return f"=B{row}*StatedValue*DividendRate*{years}"


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap = f.cap
    first, last, total_row = rows.first, rows.last, rows.total_row
    total_diluted = f.total_diluted
    h = Sheet(HOLDERS, freeze="B4", widths={"A": 26, "B": 16, "C": 18, "D": 16, "E": 17,
                                               "F": 19, "G": 20, "H": 16, "I": 14, "J": 20,
                                               "K": 14, "L": 13, "M": 12, "N": 16, "O": 16},
              # The accrual before each holder's start only feeds columns E and F: on screen,
              # not printed (the page stays legible at 8 points).
              helper_columns="MNO")
    h.text("A1", "Holders at the as-of date", Role.TITLE)
    h.text("A2", "One row per holder (inputs in columns A to D and L); each computed column is "
                 "one formula over the holders. Dividends paid: cash paid on the shares held. "
                 "Shares issued after the Closing Date accrue from their issue (column L). "
                 "Totals below.")
    headers = ("Holder", "Series M shares", "Common shares", "Dividends paid",
               "Accrued dividends (§2)", "Liquidation value (§3(a))", "Common on conversion (§5)",
               "Votes (§4)", "Cash in lieu (§5(h))", "Common, Series M converted",
               "Ownership, Series M + common only", "Accrues from (§2)", "Periods before it",
               "Not accrued before it", "Paid or not accrued")
    for column, heading in zip("ABCDEFGHIJKLMNO", headers, strict=True):
        h.text(f"{column}3", heading, Role.HEADER)
    span = {c: f"{c}{first}:{c}{last}" for c in "ABCDEFGHIJKLMNO"}
    udf_columns = {
        "E": f"=SERIESM_ACCRUED({span['B']},ClosingDate,AsOfDate,{span['O']},Basis,Accrual,"
             "PaymentSchedule)",
        "F": f"=SERIESM_LIQVALUE({span['B']},ClosingDate,AsOfDate,{span['O']},Basis,Accrual,"
             "PaymentSchedule)",
        "G": f"=SERIESM_CONVERT({span['B']},ClosingDate,ConversionDateUsed,ConversionNumber,"
             f"{span['B']},LeapAnniversary)",
        "H": f"=SERIESM_VOTES({span['B']},ClosingDate,AsOfDate,ConversionNumber,VotesReading,"
             "LeapAnniversary)",
        "I": f"=SERIESM_CASHINLIEU({span['B']},ConversionNumber,MarketPrice)",
        "J": f"={span['C']}+{span['G']}",
        "K": f"={span['J']}/TotalFullyDiluted",
    }
    for index, holder in enumerate(cap.holders):
        r = first + index
        h.add(f"A{r}", Role.INPUT, Kind.TEXT, holder.name)
        h.add(f"B{r}", Role.INPUT, Kind.SHARES, float(holder.series_m_shares))
        h.add(f"C{r}", Role.INPUT, Kind.WHOLE, float(holder.common_shares))
        h.add(f"D{r}", Role.INPUT, Kind.MONEY, float(holder.dividends_paid))
        h.add(f"L{r}", Role.INPUT, Kind.DATE, holder.accrues_from or cap.closing_date)
        h.same(f"M{r}", Kind.WHOLE, periods_before(f"L{r}"), f.periods_before[index])
        h.same(f"N{r}", Kind.MONEY, not_accrued(r), excel_value(f.not_accrued[index]))
        h.same(f"O{r}", Kind.MONEY, f"=D{r}+N{r}",
               excel_value(holder.dividends_paid + f.not_accrued[index]))
        yearfrac = "AccrualYears"
        product = f"B{r}*ConversionNumber"
        formulas = {
            "E": f"=ROUND(B{r}*StatedValue*DividendRate*{yearfrac}-O{r},2)",
            "F": f"=ROUND(B{r}*StatedValue+B{r}*StatedValue*DividendRate*{yearfrac}-O{r},2)",
            "G": f"={product}",
            "H": f'=IF(AND(VotesReading="none",AsOfDate<ConversionOpens),0,'
                 f"INT(ROUND({product},6)))",
            "I": f"=ROUND(({product}-INT(ROUND({product},6)))*MarketPrice,2)",
            "J": f"=C{r}+G{r}",
            "K": f"=J{r}/TotalFullyDiluted",
        }
        figures = {"E": f.accrued[index], "F": f.liquidation[index], "G": f.converted[index],
                   "H": f.votes[index], "I": f.cash[index], "J": f.diluted[index],
                   "K": f.diluted[index] / total_diluted}
        kinds = {"E": Kind.MONEY, "F": Kind.MONEY, "G": Kind.COMMON, "H": Kind.WHOLE,
                 "I": Kind.MONEY, "J": Kind.COMMON, "K": Kind.PERCENT}
        for column in "EFGHIJK":
            anchor = index == 0
            h.add(f"{column}{r}", Role.COMPUTED, kinds[column],
                  udf=udf_columns[column] if anchor else None,
                  array=span[column] if anchor else None,
                  native=formulas[column], expected=excel_value(figures[column]))
    h.text(f"A{total_row}", "Total", Role.HEADER)
    totals = {"B": (cap.series_m_total, Kind.SHARES, "TotalSeriesM"),
              "C": (cap.common_total, Kind.WHOLE, "TotalCommon"),
              "D": (f.total_paid, Kind.MONEY, "TotalPaid"),
              "E": (f.total_accrued, Kind.MONEY, "TotalAccrued"),
              "F": (sum(f.liquidation, Decimal(0)), Kind.MONEY, "TotalLiquidationValue"),
              "G": (sum(f.converted, Fraction(0)), Kind.COMMON, None),
              "H": (sum(f.votes), Kind.WHOLE, None),
              "I": (sum(f.cash, Decimal(0)), Kind.MONEY, None),
              "J": (total_diluted, Kind.COMMON, "TotalFullyDiluted"),
              "K": (Fraction(1), Kind.PERCENT, None),
              "N": (f.total_not_accrued, Kind.MONEY, "TotalNotAccrued"),
              "O": (f.total_paid + f.total_not_accrued, Kind.MONEY, None)}
    for column, (figure, kind, name) in totals.items():
        # The sums run to the blank row under the holders, so a row inserted above it (a new
        # holder) is inside them, and in the Checks' ranges too.
        h.same(f"{column}{total_row}", kind, f"=SUM({column}{first}:{column}{total_row - 1})",
               excel_value(figure))
        if name:
            names[name] = absolute_ref(HOLDERS, f"{column}{total_row}")
    h.validations.append(Validation(f"B{first}:B{last}", "decimal", minimum=0,
                                    maximum=terms.SHARES_DESIGNATED,
                                    prompt="Series M shares: 0 to 9,100 (§1)."))
    h.validations.append(Validation(f"C{first}:D{last}", "decimal", minimum=0))
    h.validations.append(Validation(f"L{first}:L{last}", "date", minimum=cap.closing_date,
                                    prompt="The day the holder's Series M began accruing: "
                                           "its issue (§2); the Closing Date for the first."))
    return h
