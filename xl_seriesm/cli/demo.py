"""``seriesm demo``: the Excel functions on the sample cap table, printed as tables."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from rich.console import Console
from rich.table import Table

from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.core import liquidation, terms
from xl_seriesm.excel import udfs
from xl_seriesm.workbook.inputs import CapTable


def _money(value: object) -> str:
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _count(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.6f}"
    return str(value)


def _column(values: list[Fraction]) -> list[list[float]]:
    return [[float(v)] for v in values]


def holders_table(cap: CapTable, conversion_number: float) -> Table:
    """SERIESM_ACCRUED and SERIESM_CONVERT, each one array call over the holders."""
    investors = [h for h in cap.holders if h.series_m_shares > 0]
    shares = _column([h.series_m_shares for h in investors])
    accrued = udfs.SERIESM_ACCRUED(shares, cap.closing_date, cap.as_of_date,
                                   _column([h.dividends_paid for h in investors]))
    common = udfs.SERIESM_CONVERT(shares, cap.closing_date, cap.as_of_date, conversion_number,
                                  shares)
    table = Table(title=f"Holders at {cap.as_of_date} (Closing Date {cap.closing_date})")
    for name in ("Holder", "Series M", "Dividends paid", "Accrued (§2)",
                 "Common on conversion (§5)"):
        table.add_column(name, justify="left" if name == "Holder" else "right")
    for holder, (due,), (issuable,) in zip(investors, accrued, common, strict=True):
        table.add_row(holder.name, _count(float(holder.series_m_shares)),
                      _money(float(holder.dividends_paid)), _money(due), _count(issuable))
    return table


def ledger_table(cap: CapTable) -> tuple[Table, float]:
    """SERIESM_DILUTE over the §5(e) ledger in one call."""
    rows = cap.issuances
    running = udfs.SERIESM_DILUTE(
        float(terms.CONVERSION_NUMBER),
        _column([r.common_outstanding for r in rows]), _column([r.new_shares for r in rows]),
        _column([r.consideration for r in rows]), [[r.exempt] for r in rows])
    table = Table(title="§5(e) issuances of common and the running conversion number")
    for name in ("Date", "Outstanding before", "New shares", "Consideration", "Price",
                 "Exempt", "Conversion number"):
        table.add_column(name, justify="right")
    for row, (number,) in zip(rows, running, strict=True):
        price = row.consideration / row.new_shares
        table.add_row(str(row.date), _count(float(row.common_outstanding)),
                      _count(float(row.new_shares)), _money(float(row.consideration)),
                      f"{float(price):.4f}", "yes" if row.exempt else "no", _count(number))
    return table, running[-1][0]


def waterfall_table(cap: CapTable, conversion_number: float, accrued_total: float) -> Table:
    """SERIESM_WATERFALL over a column of exit values in one call."""
    breakpoint_ = udfs.SERIESM_WATERFALL(0.0, float(cap.series_m_total),
                                         float(cap.common_total), accrued_total,
                                         conversion_number, output="Conversion breakpoint")
    exits = [0.0, 5_000_000.0, 9_100_000.0 + accrued_total, 25_000_000.0,
             float(breakpoint_), 60_000_000.0, 100_000_000.0]
    rows = udfs.SERIESM_WATERFALL([[e] for e in exits], float(cap.series_m_total),
                                  float(cap.common_total), accrued_total, conversion_number)
    table = Table(title=f"§3 liquidation waterfall (breakpoint {_money(breakpoint_)})")
    header = rows[0]
    for name in header[:-1]:
        table.add_column(str(name), justify="right")
    for row in rows[1:]:
        table.add_row(*(_money(v) if i in (0, 1, 3) else
                        ("yes" if v else "no") if isinstance(v, bool) else f"{v:,.4f}"
                        for i, v in enumerate(row[:-1])))
    return table


def payouts_table(cap: CapTable, conversion_number: float, accrued: list[list[float]],
                  proceeds: float) -> Table:
    """SERIESM_PAYOUTS: the waterfall by holder at one exit value, in one call, with dividends
    paid and forfeited on conversion (§2), so that holders with different arrears show how
    each decides for itself."""
    investors = [i for i, h in enumerate(cap.holders) if h.series_m_shares > 0]
    shares = [[float(cap.holders[i].series_m_shares)] for i in investors]
    arrears = [accrued[i] for i in investors]
    paid = udfs.SERIESM_PAYOUTS(proceeds, shares, arrears, float(cap.common_total),
                                conversion_number)
    forfeited = udfs.SERIESM_PAYOUTS(proceeds, shares, arrears, float(cap.common_total),
                                     conversion_number, True, False)
    table = Table(title=f"§3 payouts by holder at an exit of {_money(proceeds)} "
                        "(accrued dividends per period, §2)")
    # Both payout columns are each holder's whole §3 payout, under the two readings of what
    # a converting holder's accrued dividends become (§2).
    for name in ("Holder", "Series M", "Accrued (§2)", "Payout if dividends are paid on "
                 "conversion", "Payout if dividends are forfeited"):
        table.add_column(name, justify="left" if name == "Holder" else "right")
    for i, (share,), (due,), (a,), (b,) in zip(investors, shares, arrears, paid, forfeited,
                                                strict=True):
        table.add_row(cap.holders[i].name, _count(share), _money(due), _money(a), _money(b))
    return table


def run_demo(out: str = "workbooks", write_workbooks: bool = True,
             cap: CapTable = SAMPLE) -> int:
    console = Console()
    if not console.is_terminal or console.width < 120:  # piped, or a narrow window
        console = Console(width=140, force_terminal=console.is_terminal)
    console.print("[bold]nStor Technologies, Series M Convertible Preferred Stock[/bold] "
                  "(certificate signed 2005-01-10): the Excel functions on a sample cap table")
    ledger, conversion_number = ledger_table(cap)
    console.print(ledger)
    console.print(holders_table(cap, conversion_number))
    accrued = udfs.SERIESM_ACCRUED([[float(h.series_m_shares)] for h in cap.holders],
                                   cap.closing_date, cap.as_of_date,
                                   [[float(h.dividends_paid)] for h in cap.holders])
    accrued_total = float(sum(Fraction(repr(a)) for (a,) in accrued))
    console.print(waterfall_table(cap, conversion_number, accrued_total))
    console.print(f"Labels of SERIESM_WATERFALL: {', '.join(liquidation.WATERFALL_LABELS)}")
    console.print(payouts_table(cap, conversion_number, accrued, 60_000_000.0))
    if write_workbooks:
        from xl_seriesm.cli.template import make  # noqa: PLC0415
        from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

        # The sample workbooks are generated files: rewriting them gives the same bytes.
        for path in make(cap, Path(out), list(Flavor), force=True):
            console.print(f"wrote {path}")
    return 0
