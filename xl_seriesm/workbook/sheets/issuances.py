"""The template's Issuances sheet: the §5(e) ledger of issuances of common and the
conversion number after each, in both flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from xl_seriesm.workbook.base import (
    ISSUANCES,
    LEDGER_COMMON_CELL,
    OPENING_COMMON_CELL,
    SINCE_CLOSING,
    Kind,
    Role,
    Sheet,
    Validation,
    absolute_ref,
    excel_value,
)
from xl_seriesm.workbook.figures import Figures, Rows


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap, settings, ledger = f.cap, f.cap.settings, f.ledger
    ledger_first, ledger_last = rows.ledger_first, rows.ledger_last
    s = Sheet(ISSUANCES, freeze="A4", widths={"A": 13, "B": 24, "C": 16, "D": 18, "E": 10,
                                                "F": 16, "G": 18, "H": 26, "I": 22, "J": 26,
                                                "K": 30})
    s.text("A1", "Issuances of common since the designation (§5(e))", Role.TITLE)
    s.text("A2", "In date order. Exempt: options under an employee plan, or conversions of "
                 "securities outstanding in December 2004 (the exact date is blank in the filing)."
                 " A row dated after the as-of date is listed but not counted.")
    for column, heading in zip("ABCDEFGHIJ", (
            "Date", "Common outstanding before", "New shares", "Consideration", "Exempt",
            "Price per share", "Moves the conversion number", "Conversion number after",
            "Exempt or after the as-of date", "Outstanding before, per the ledger"), strict=True):
        s.text(f"{column}3", heading, Role.HEADER)
    if not cap.issuances:
        s.text("A4", "No issuances: the conversion number is the certificate's 4,000 (§5(b)).")
    for index, (issue, running) in enumerate(zip(cap.issuances, ledger, strict=True)):
        r = ledger_first + index
        s.add(f"A{r}", Role.INPUT, Kind.DATE, issue.date)
        s.add(f"B{r}", Role.INPUT, Kind.WHOLE, float(issue.common_outstanding))
        s.add(f"C{r}", Role.INPUT, Kind.WHOLE, float(issue.new_shares))
        s.add(f"D{r}", Role.INPUT, Kind.MONEY, float(issue.consideration))
        s.add(f"E{r}", Role.INPUT, Kind.BOOL, issue.exempt)
        price = issue.consideration / issue.new_shares
        not_counted = issue.exempt or issue.date > cap.as_of_date
        s.same(f"F{r}", Kind.PRICE, f"=D{r}/C{r}", excel_value(price))
        s.same(f"I{r}", Kind.BOOL, f"=OR(E{r},A{r}>AsOfDate)", not_counted)
        s.same(f"G{r}", Kind.BOOL, f"=AND(NOT(I{r}),F{r}<ThresholdPrice)",
               (not not_counted) and price < settings.threshold_price)
        before = "InitialConversionNumber" if index == 0 else f"H{r - 1}"
        anchor = index == 0
        cells = f"{ledger_first}:{{c}}{ledger_last}"
        ranges = {c: f"{c}{cells.format(c=c)}" for c in "BCDI"}
        s.add(f"H{r}", Role.COMPUTED, Kind.NUMBER,
              udf=(f"=SERIESM_DILUTE(InitialConversionNumber,{ranges['B']},{ranges['C']},"
                   f"{ranges['D']},{ranges['I']},ThresholdPrice)") if anchor else None,
              array=f"H{ledger_first}:H{ledger_last}" if anchor else None,
              native=f"=IF(G{r},{before}*(B{r}+C{r})/(B{r}+D{r}/ThresholdPrice),{before})",
              expected=excel_value(running))
        if index == 0:
            per_ledger = "=OpeningCommon+" + rows.converted(SINCE_CLOSING, f"A{r}")
        else:
            since_above = rows.converted(f'">"&A{r - 1}', f"A{r}")
            per_ledger = f"=B{r - 1}+C{r - 1}+{since_above}"
        s.same(f"J{r}", Kind.WHOLE, per_ledger, excel_value(f.outstanding_per_ledger[index]))
    if cap.issuances:
        s.validations.append(Validation(f"E{ledger_first}:E{ledger_last}", "list",
                                        '"TRUE,FALSE"'))
    # The common outstanding the ledger gives, for the Checks: at the Closing Date (an input)
    # and at the as-of date (the last row counted, plus the conversions since).
    opening_row, ledger_row = int(OPENING_COMMON_CELL[1:]), int(LEDGER_COMMON_CELL[1:])
    s.text(f"K{opening_row - 1}", "Common outstanding at the Closing Date", Role.HEADER)
    s.add(OPENING_COMMON_CELL, Role.INPUT, Kind.WHOLE, float(f.opening_common))
    names["OpeningCommon"] = absolute_ref(ISSUANCES, OPENING_COMMON_CELL)
    s.text(f"K{ledger_row - 1}", "Common outstanding at the as-of date", Role.HEADER)
    span = {c: f"${c}${ledger_first}:${c}${max(ledger_last, ledger_first)}" for c in "ABC"}
    last = f"MATCH(AsOfDate,{span['A']},1)"
    since_last = rows.converted(f'">"&INDEX({span["A"]},{last})', "AsOfDate")
    since_closing = rows.converted(SINCE_CLOSING, "AsOfDate")
    s.same(LEDGER_COMMON_CELL, Kind.WHOLE,
           f"=IFERROR(INDEX({span['B']},{last})+INDEX({span['C']},{last})+{since_last},"
           f"OpeningCommon+{since_closing})", excel_value(f.ledger_common))
    names["LedgerCommonOutstanding"] = absolute_ref(ISSUANCES, LEDGER_COMMON_CELL)
    s.text(f"K{ledger_row + 1}", "the last row counted (B + C), plus the common issued on "
           "conversion since (Events sheet)")
    return s
