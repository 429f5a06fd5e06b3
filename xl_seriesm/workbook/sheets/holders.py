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


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap = f.cap
    first, last, total_row = rows.first, rows.last, rows.total_row
    total_diluted = f.total_diluted
    h = Sheet(HOLDERS, freeze="B4", widths={"A": 26, "B": 16, "C": 18, "D": 16, "E": 17,
                                               "F": 19, "G": 20, "H": 16, "I": 14, "J": 20,
                                               "K": 14})
    h.text("A1", "Holders at the as-of date", Role.TITLE)
    h.text("A2", "One row per holder (inputs in columns A to D); each computed column is one "
                 "formula over the holders. Totals below.")
    headers = ("Holder", "Series M shares", "Common shares", "Dividends paid",
               "Accrued dividends (§2)", "Liquidation value (§3(a))", "Common on conversion (§5)",
               "Votes (§4)", "Cash in lieu (§5(h))", "Fully diluted common",
               "Fully diluted ownership")
    for column, heading in zip("ABCDEFGHIJK", headers, strict=True):
        h.text(f"{column}3", heading, Role.HEADER)
    span = {c: f"{c}{first}:{c}{last}" for c in "ABCDEFGHIJK"}
    udf_columns = {
        "E": f"=SERIESM_ACCRUED({span['B']},ClosingDate,AsOfDate,{span['D']},Basis,Accrual,"
             "PaymentSchedule)",
        "F": f"=SERIESM_LIQVALUE({span['B']},ClosingDate,AsOfDate,{span['D']},Basis,Accrual,"
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
        yearfrac = "AccrualYears"
        product = f"B{r}*ConversionNumber"
        formulas = {
            "E": f"=ROUND(B{r}*StatedValue*DividendRate*{yearfrac}-D{r},2)",
            "F": f"=ROUND(B{r}*StatedValue+B{r}*StatedValue*DividendRate*{yearfrac}-D{r},2)",
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
              "K": (Fraction(1), Kind.PERCENT, None)}
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
    return h
