"""The cap table at a date as people read it: a rich table, JSON, or a pandas DataFrame."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from xl_seriesm.core.ledger import EVERYONE_ELSE, CapTableState

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console


def json_number(value: Fraction | Decimal | int) -> int | float:
    """A JSON number: whole values as integers, others as the nearest double (money has
    two decimals, share counts and the conversion number may carry fractions)."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    try:
        return float(value)
    except OverflowError:  # past 1e308: the whole part, exactly (JSON numbers have no bound)
        return int(value)


def _holder_rows(state: CapTableState) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{
        "holder": h.holder,
        "series_m_shares": json_number(h.series_m_shares),
        "common_shares": json_number(h.common_shares),
        "accrued_dividends": json_number(h.accrued_dividends),
        "dividends_paid": json_number(h.dividends_paid),
        "dividends_in_arrears": json_number(h.dividends_in_arrears),
        "votes": h.votes,
        "voting_power": json_number(h.voting_power),
        "accrues_from": h.accrues_from.isoformat() if h.accrues_from else None,
        "fully_diluted_common": json_number(h.fully_diluted_common),
        "fully_diluted_share": json_number(h.fully_diluted_share),
    } for h in state.holders]
    if state.everyone_else is not None:
        share = (state.everyone_else / state.fully_diluted_common
                 if state.fully_diluted_common else Fraction(0))
        rows.append({"holder": EVERYONE_ELSE, "series_m_shares": 0,
                     "common_shares": json_number(state.everyone_else), "accrued_dividends": 0,
                     "dividends_paid": 0, "dividends_in_arrears": 0, "votes": 0,
                     "voting_power": json_number(state.everyone_else),
                     "accrues_from": None,
                     "fully_diluted_common": json_number(state.everyone_else),
                     "fully_diluted_share": json_number(share)})
    return rows


def to_json(state: CapTableState) -> dict[str, Any]:
    """The state as JSON-ready data, numbers as numbers.

    The exact conversion number is also given as text (``"420000/103"``), since a double
    cannot hold it.
    """
    return {
        "as_of": state.as_of.isoformat(),
        "closing_date": state.closing_date.isoformat(),
        "conversion_number": json_number(state.conversion_number),
        "conversion_number_exact": str(state.conversion_number),
        "common_outstanding": json_number(state.common_outstanding),
        "series_m_outstanding": json_number(state.series_m_outstanding),
        "series_m_issued": json_number(state.series_m_issued),
        "threshold_price": json_number(state.threshold_price),
        "fully_diluted_common": json_number(state.fully_diluted_common),
        "holders": _holder_rows(state),
        "issuances": [{
            "date": i.date.isoformat(), "common_outstanding": json_number(i.common_outstanding),
            "new_shares": json_number(i.new_shares), "consideration": json_number(i.consideration),
            "exempt": i.exempt, "conversion_number_after": json_number(i.conversion_number_after),
        } for i in state.issuances],
        "reconciliations": [{
            "date": r.date.isoformat(), "what": r.what, "stated": json_number(r.stated),
            "computed": json_number(r.computed), "ok": r.ok, "where": r.place.at(),
        } for r in state.reconciliations],
        "elections": [{
            "effective_date": e.effective_date.isoformat(),
            "electing_shares": json_number(e.electing_shares),
            "outstanding_shares": json_number(e.outstanding_shares),
            "holders": list(e.holders),
            "treated_as_liquidation": e.treated_as_liquidation,
        } for e in state.elections],
        "checks": _status(state),
        "pending": [{"date": e.date.isoformat(), "event": e.kind.value, "holder": e.holder,
                     "where": e.place.at()} for e in state.pending],
    }


def _status(state: CapTableState) -> str:
    """The overall status in the templates' words: "All checks OK" or "1 of 2 checks FAIL"."""
    from xl_seriesm.workbook.sheets.checks import overall_status  # noqa: PLC0415

    return overall_status(["OK" if r.ok else "FAILS" for r in state.reconciliations])


def to_dataframe(state: CapTableState) -> pd.DataFrame:
    """One row per holder (everyone else last), the columns of :func:`to_json`'s holders.

    Needs pandas (``pip install pandas``)."""
    try:
        import pandas as pd  # noqa: PLC0415 - optional, and slow to import
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install pandas") from None
    return pd.DataFrame(_holder_rows(state)).set_index("holder")


def _fixed(value: Fraction | int, places: int) -> str:
    """``value`` to ``places`` decimals, half away from zero, thousands grouped: exact at
    any size (a float overflows past 1e308, which splits of a long history can pass)."""
    scaled = Fraction(value) * 10**places
    units = int(abs(scaled) + Fraction(1, 2))
    whole, part = divmod(units, 10**places)
    sign = "-" if scaled < 0 and units else ""
    return f"{sign}{whole:,}" + (f".{part:0{places}d}" if places else "")


def shares_text(value: Fraction | int) -> str:
    """A share count as the tables show it: to four decimals, trailing zeros dropped."""
    return _fixed(value, 4).rstrip("0").rstrip(".")


#: The columns a narrow terminal drops first, by index: paid, in arrears, fully diluted,
#: voting power, votes; the holder, the shares and the accrued dividends always show.
_DROP_ORDER = (4, 5, 8, 7, 6)
#: A holder's name wraps down to this width before any column is dropped.
_NAME_WIDTH = 16


def table_width(headings: tuple[str, ...], rows: list[tuple[str, ...]],
                shown: list[int], name_width: int | None = None) -> int:
    """Characters a rich table of these columns takes (a border and one space each side)."""
    widths = [max([len(headings[i]), *(len(r[i]) for r in rows)]) for i in shown]
    if name_width is not None and shown and shown[0] == 0:
        widths[0] = min(widths[0], max(name_width, len(headings[0])))
    return sum(widths) + 3 * len(widths) + 1


def fitting_columns(headings: tuple[str, ...], rows: list[tuple[str, ...]], width: int,
                    wide: bool) -> list[int]:
    """The columns shown in ``width`` characters: all with ``wide``; otherwise the holder's
    name wraps, then columns are dropped in :data:`_DROP_ORDER` until the table fits."""
    shown = list(range(len(headings)))
    if wide:
        return shown
    for drop in _DROP_ORDER:
        if table_width(headings, rows, shown, _NAME_WIDTH) <= width:
            break
        shown.remove(drop)
    return shown


def print_table(state: CapTableState, console: Console, wide: bool = False,
                limit: int | None = None) -> None:
    """The cap table as a rich table, the class figures above, checks and pending below. It
    fits the console's width (names wrap, then the least needed columns are left out and
    named) unless ``wide``; with ``limit``, only the first ``limit`` holders (the rest
    counted)."""
    from rich.table import Table  # noqa: PLC0415

    console.print(f"[bold]Series M cap table as of {state.as_of}[/bold] "
                  f"(Closing Date {state.closing_date})")
    console.print(f"Conversion number {_fixed(state.conversion_number, 6)} "
                  f"({state.conversion_number}) · common outstanding "
                  f"{shares_text(state.common_outstanding)} · Series M outstanding "
                  f"{shares_text(state.series_m_outstanding)}")
    headings = ("Holder", "Series M", "Common", "Accrued (§2)", "Paid", "In arrears",
                "M votes (§4)", "Voting power", "Fully diluted")
    every = _holder_rows(state)
    listed = every if limit is None else every[:limit]
    rows: list[tuple[str, ...]] = [(str(row["holder"]),
                                    shares_text(Fraction(row["series_m_shares"])),
             shares_text(Fraction(row["common_shares"])), f"{row['accrued_dividends']:,.2f}",
             f"{row['dividends_paid']:,.2f}", f"{row['dividends_in_arrears']:,.2f}",
             f"{row['votes']:,}", shares_text(Fraction(row["voting_power"])),
             f"{row['fully_diluted_share']:.4%}")
            for row in listed]
    shown = fitting_columns(headings, rows, console.width, wide)
    if wide:
        console.width = max(console.width, table_width(headings, rows, shown))
    table = Table(show_lines=False)
    for i in shown:
        table.add_column(headings[i], justify="left" if i == 0 else "right", no_wrap=i > 0)
    for cells in rows:
        table.add_row(*(cells[i] for i in shown))
    console.print(table)
    if len(listed) < len(every):
        console.print(f"… {len(every) - len(listed):,} more rows not shown (--limit {limit}); "
                      "--json gives every holder", highlight=False, soft_wrap=True)
    left_out = [headings[i] for i in range(len(headings)) if i not in shown]
    if left_out:
        console.print(f"{', '.join(left_out)}: left out to fit {console.width} columns; "
                      "--wide shows every column (or --json)")
    for election in state.elections:
        verdict = ("treated as a liquidation" if election.treated_as_liquidation
                   else "not treated as a liquidation")
        console.print(f"§3(c) election for the transaction effective "
                      f"{election.effective_date}: {shares_text(election.electing_shares)} of "
                      f"{shares_text(election.outstanding_shares)} Series M "
                      f"({float(election.share):.2%}) elect: {verdict} (50% needed)",
                      highlight=False, soft_wrap=True)
    for r in state.reconciliations:
        mark = "[green]OK[/green]" if r.ok else "[bold red]FAIL[/bold red]"
        console.print(f"{mark} {r.what} on {r.date}: stated {shares_text(r.stated)}, ledger "
                      f"{shares_text(r.computed)} ({r.place.at()})")
    if not state.reconciled:
        console.print(f"[bold red]{_status(state)}[/bold red]")
    for e in state.pending:
        console.print(f"not applied (after {state.as_of}): {e.date} {e.kind.value} "
                      f"{e.holder} ({e.place.at()})")
