"""The template's Checks sheet: each Check's formula, what it compares and the core's result,
and the overall status the other sheets show.

Pure: no openpyxl here.
"""

from __future__ import annotations

from xl_seriesm.workbook.base import (
    CHECKS,
    DIVIDENDS,
    EVENTS,
    FAILS,
    HOLDERS,
    ISSUANCES,
    WATERFALL,
    Check,
    Kind,
    Role,
    Sheet,
    absolute_ref,
    stack_checks,
    valuation_checks,
)
from xl_seriesm.workbook.figures import Figures, Rows, rounding_allowed
from xl_seriesm.xlsx import cellrefs

#: The text of the overall status when every check holds.
ALL_OK = "All checks OK"
FIRST_CHECK_ROW = 5


def check_formula(check: Check) -> str:
    """OK, or by how much the check fails (what to look at is in the column beside it)."""
    return (f'=IF({check.holds},"OK","{FAILS}"&TEXT({check.off_by},'
            f'"{check.off_by_format}"))')


def overall_status(results: list[object]) -> str:
    """The overall status the Checks sheet computes from its results."""
    failing = sum(1 for r in results if r != "OK")
    return ALL_OK if not failing else f"{failing} of {len(results)} checks FAIL"


def sheet(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    first, top, bottom = rows.first, rows.top, rows.bottom
    exit_first, exit_last = rows.exit_first, rows.exit_last
    c = Sheet(CHECKS)
    c.text("A1", "Reconciliations that must hold", Role.TITLE)
    c.text("A2", "Each shows OK, or FAILS with the amount it is off by; the column beside it "
                 "says where to look.")
    for column, heading in zip("ABCD", ("Check", "Result", "If it fails, look at", "Source"),
                               strict=True):
        c.text(f"{column}4", heading, Role.HEADER)
    holder_range = f"{HOLDERS}!{{c}}{first}:{{c}}{rows.total_row - 1}"  # see holders.sheet
    exits_a = f"{WATERFALL}!A{exit_first}:A{exit_last}"
    exits_b = f"{WATERFALL}!B{exit_first}:B{exit_last}"
    exits_d = f"{WATERFALL}!D{exit_first}:D{exit_last}"
    due_range = f"{DIVIDENDS}!B{top + 1}:B{bottom}" if f.schedule else None
    rows_off = ("ABS(SUM({b})-TotalSeriesM)+ABS(SUM({e})-TotalAccrued)+ABS(SUM({f})"
                "-TotalLiquidationValue)").format(b=holder_range.format(c="B"),
                                                  e=holder_range.format(c="E"),
                                                  f=holder_range.format(c="F"))
    liquidation_off = "TotalLiquidationValue-TotalSeriesM*StatedValue-TotalAccrued"
    # The classes' totals: the Series M and the common (B, D), or B onwards with a stack.
    paid = ([exits_b, exits_d] if not f.cap.stack else
            [f"{WATERFALL}!{column}{exit_first}:{column}{exit_last}" for column in
             (cellrefs.letters(2 + i) for i in range(len(f.cap.stack) + 2))])
    waterfall_off = f"SUMPRODUCT(ABS({exits_a}-{'-'.join(paid)}))"
    paid_over = (f"TotalPaid+TotalNotAccrued-SUM({due_range})" if due_range
                 else "TotalPaid+TotalNotAccrued")
    common_off = "TotalCommon-LedgerCommonOutstanding"
    checks = [
        Check("Series M outstanding within the 9,100 shares designated",
              "TotalSeriesM<=SharesDesignated", "TotalSeriesM-SharesDesignated",
              "Holders column B (Series M shares): more shares than §1 designates",
              "§1", "#,##0.####"),
        Check("Holder rows add up to the totals", f"{rows_off}<0.005", rows_off,
              "Holders total row: a total that no longer sums all holder rows",
              "totals are the sums of the rows"),
        Check("Liquidation values are shares × $1,000 plus accrued dividends",
              f"ABS({liquidation_off})<0.005", liquidation_off,
              "Holders columns E and F (accrued dividends, liquidation value)", "§3(a)"),
        Check("No holder has been paid more dividends than accrued",
              f'MIN({holder_range.format(c="E")})>=0', f'MIN({holder_range.format(c="E")})',
              "Holders column D (dividends paid) against column E", "§2"),
        Check("Ownership of the Series M as converted and the common adds up to 100%",
              f'ABS(SUM({holder_range.format(c="K")})-1)<0.000000001',
              f'SUM({holder_range.format(c="K")})-1', "Holders columns J and K",
              "as-converted common over all common", "0.0000%"),
        Check("Every waterfall row hands out exactly its exit value",
              f"{waterfall_off}<0.005", waterfall_off,
              "Waterfall columns B and D against the exit value in column A" if not f.cap.stack
              else "Waterfall: the class totals against the exit value in column A",
              "§3: Series M + common = exit" if not f.cap.stack else
              "§3 and the classes' terms: every class + common = exit"),
        Check("Dividends paid do not exceed the dividends fallen due",
              f"{paid_over}<=0", paid_over,
              "Holders columns D and N (paid, not accrued) against the Dividends sheet",
              "§2, payment dates on the Dividends sheet"),
        Check("Par value within the price paid per common share", "ParValueOK",
              "CommonParValue-StatedValue/ConversionNumber",
              "Terms: Common par value against $1,000 ÷ the conversion number", "§9(a)",
              "$0.0000"),
        Check("Holders' common (with everyone else) is the ledger's common outstanding",
              f"ABS({common_off})<0.5", common_off,
              "Holders column C, the Everyone else row too, against Issuances K7: the last "
              "§5(e) row counted plus the common issued on conversion since",
              "§5(e)(i): A, the common outstanding", "#,##0"),
        _rows_check(rows),
        _stated_check(rows),
        _dividends_tie(len(f.cap.holders)),
    ]
    checks += valuation_checks(f.cap.stack)
    checks += stack_checks(f.cap.stack)
    for row, (check, result) in enumerate(zip(checks, f.checks, strict=True),
                                          start=FIRST_CHECK_ROW):
        c.text(f"A{row}", check.label, Role.LABEL)
        c.same(f"B{row}", Kind.TEXT, check_formula(check), result)
        c.text(f"C{row}", check.look_at)
        c.text(f"D{row}", check.why)
    results = f"B{FIRST_CHECK_ROW}:B{FIRST_CHECK_ROW + len(checks) - 1}"
    c.text("A3", "Overall", Role.LABEL)
    c.same("B3", Kind.TEXT, f'=IF(COUNTIF({results},"OK")=ROWS({results}),"{ALL_OK}",'
                            f'ROWS({results})-COUNTIF({results},"OK")&" of "&ROWS({results})'
                            f'&" checks FAIL")', overall_status(f.checks))
    names["OverallStatus"] = absolute_ref(CHECKS, "B3")
    return c


def _rows_check(rows: Rows) -> Check:
    label = "Each §5(e) row's outstanding before follows from the row above"
    why = "§5(e)(i): A, the common outstanding before each issuance"
    if rows.ledger_last < rows.ledger_first:
        first = f"{ISSUANCES}!B{rows.ledger_first}"
        return Check(label, f"COUNT({first})=0", f"SUM({first})",
                     f"Issuances row {rows.ledger_first}: a figure typed where the ledger has "
                     "no rows (regenerate with --issuances-csv)", why, "#,##0")
    span = {c: f"{ISSUANCES}!{c}{rows.ledger_first}:{c}{rows.ledger_last}" for c in "ABJ"}
    gap = f"SUMPRODUCT(({span['A']}<=AsOfDate)*ABS({span['B']}-{span['J']}))"
    return Check(label, f"{gap}<0.5", gap,
                 "Issuances column B against column J: the row above's B + C plus the common "
                 "issued on conversion in between (Events sheet)", why, "#,##0")


def _dividends_tie(holders: int) -> Check:
    off = "DividendsRounding"
    return Check("The Dividends sheet's accrued and unpaid ties to the Holders sheet's",
                 f"ABS({off})<={rounding_allowed(holders)}+0.000001", off,
                 "Dividends, below the schedule, against Holders column E",
                 "§2, each holder rounded to the cent")


def _stated_check(rows: Rows) -> Check:
    span = {c: f"{EVENTS}!{c}{rows.events_first}:{c}{rows.events_last}" for c in "ABGO"}
    gap = (f'SUMPRODUCT(({span["B"]}="outstanding")*({span["A"]}<=AsOfDate)*'
           f'ABS({span["G"]}-{span["O"]}))')
    return Check("Each common outstanding stated on the Events sheet agrees with the ledger",
                 f"{gap}<0.5", gap,
                 "Events, the outstanding rows up to the as-of date: column G (stated) "
                 "against column O (the ledger's)", "the ledger's checkpoints", "#,##0")
