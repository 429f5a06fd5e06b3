"""The template's Events sheet: the ledger of events since the Closing Date, in both flavors:
the Series M's and the common's as the cap table applied them, and the other classes' (the
Capital stack sheet's: preferred issued and transferred, options granted, exercised and
forfeited) with their class, shares and strike, every row in date order.

Pure: no openpyxl here.
"""

from __future__ import annotations

from datetime import date

from xl_seriesm.core.ledger import EventKind
from xl_seriesm.core.ledger_classes import ClassEvent
from xl_seriesm.core.ledger_events import Effect
from xl_seriesm.workbook.base import EVENTS, Kind, Role, Sheet
from xl_seriesm.workbook.figures import Figures, Rows

HEADERS = ("Date", "Event", "Class", "Holder", "To holder", "Series M shares", "Common shares",
           "Shares of the class", "Strike", "Amount", "Exempt", "Note", "At the as-of date",
           "Common issued", "Common outstanding after")


def ordered(effects: tuple[Effect, ...], others: tuple[ClassEvent, ...],
            ) -> list[Effect | ClassEvent]:
    """The Series M's events and the other classes' in date order; on one date, in the
    ledger's order (its line; an exercise before the common it issues, which shares its
    line), the Series M's first where the lines are unknown."""
    def when(item: tuple[int, Effect | ClassEvent]) -> tuple[date, int, bool, int]:
        index, entry = item
        event = entry.event if isinstance(entry, Effect) else entry
        return event.date, event.place.line, isinstance(entry, Effect), index

    both: list[Effect | ClassEvent] = [*effects, *others]
    return [entry for _, entry in sorted(enumerate(both), key=when)]


def sheet(f: Figures, rows: Rows) -> Sheet:
    cap = f.cap
    e = Sheet(EVENTS, freeze="A4", widths={"A": 12, "B": 12, "C": 12, "D": 18, "E": 14,
                                             "F": 12, "G": 14, "H": 14, "I": 10, "J": 14,
                                             "K": 8, "L": 26, "M": 18, "N": 14, "O": 16})
    e.text("A1", "The ledger of events", Role.TITLE)
    e.text("A2", "Every event of the ledger in date order, the other classes' too. Not "
                 "applied: after the as-of date. Outstanding: empty until first stated.")
    for column, heading in zip("ABCDEFGHIJKLMNO", HEADERS, strict=True):
        e.text(f"{column}3", heading, Role.HEADER)
    entries = ordered(cap.events, cap.class_events)
    if not entries:
        e.text("A4", "No events: this workbook was made from a holders table, not a ledger "
                     "(seriesm template --events LEDGER).")
        e.hidden = True
    stated = next((i for i, x in enumerate(cap.events)
                   if x.event.kind is EventKind.OUTSTANDING), len(cap.events))
    seen = 0  # the Series M's events listed so far
    for index, entry in enumerate(entries):
        r = rows.events_first + index
        when = entry.event.date if isinstance(entry, Effect) else entry.date
        e.add(f"A{r}", Role.TEXT, Kind.DATE, when)
        e.same(f"M{r}", Kind.TEXT, f'=IF(A{r}<=AsOfDate,"applied","after: not applied")',
               "applied" if when <= cap.as_of_date else "after: not applied")
        if isinstance(entry, ClassEvent):
            _class_row(e, r, entry)
            continue
        event = entry.event
        e.text(f"B{r}", event.kind.value)
        e.text(f"D{r}", event.holder)
        e.text(f"E{r}", event.to_holder)
        e.add(f"F{r}", Role.TEXT, Kind.SHARES, float(event.series_m_shares))
        e.add(f"G{r}", Role.TEXT, Kind.WHOLE, float(event.common_shares))
        e.add(f"J{r}", Role.TEXT, Kind.MONEY, float(event.amount))
        e.add(f"K{r}", Role.TEXT, Kind.BOOL, event.exempt)
        e.text(f"L{r}", event.note)
        e.add(f"N{r}", Role.TEXT, Kind.COMMON, float(entry.common_issued))
        if seen >= stated:  # before the first statement the ledger knows only the named
            e.add(f"O{r}", Role.TEXT, Kind.COMMON, float(entry.common_outstanding_after))
        seen += 1
    return e


def _class_row(e: Sheet, r: int, event: ClassEvent) -> None:
    """A row of another class's event: its kind, holders, class, shares and strike."""
    e.text(f"B{r}", event.kind.value)
    e.text(f"C{r}", event.stock_class)
    e.text(f"D{r}", event.holder)
    e.text(f"E{r}", event.to_holder)
    e.add(f"H{r}", Role.TEXT, Kind.COMMON, float(event.shares))
    if event.strike is not None:
        e.add(f"I{r}", Role.TEXT, Kind.PRICE, float(event.strike))
    if event.exempt is not None:
        e.add(f"K{r}", Role.TEXT, Kind.BOOL, event.exempt)
    e.text(f"L{r}", event.note)
