"""The template's Events sheet: the ledger of events since the Closing Date, in both flavors.

Pure: no openpyxl here.
"""

from __future__ import annotations

from xl_seriesm.workbook.base import EVENTS, Kind, Role, Sheet
from xl_seriesm.workbook.figures import Figures, Rows


def sheet(f: Figures, rows: Rows) -> Sheet:
    cap = f.cap
    e = Sheet(EVENTS, freeze="A4", widths={"A": 12, "B": 12, "C": 24, "D": 20, "E": 14,
                                             "F": 16, "G": 14, "H": 8, "I": 30, "J": 30,
                                             "K": 18, "L": 18})
    e.text("A1", "The ledger of events", Role.TITLE)
    e.text("A2", "Every event of the ledger, in date order; those after the as-of date are "
                 "listed but not applied. Common issued and outstanding are the ledger's.")
    for column, heading in zip("ABCDEFGHIJKL", (
            "Date", "Event", "Holder", "To holder", "Series M shares", "Common shares",
            "Amount", "Exempt", "Note", "At the as-of date", "Common issued",
            "Common outstanding after"), strict=True):
        e.text(f"{column}3", heading, Role.HEADER)
    if not cap.events:
        e.text("A4", "No events: this workbook was made from a holders table, not a ledger "
                     "(seriesm template --events LEDGER).")
        e.hidden = True
    for index, effect in enumerate(cap.events):
        r = rows.events_first + index
        event = effect.event
        e.add(f"A{r}", Role.TEXT, Kind.DATE, event.date)
        e.text(f"B{r}", event.kind.value)
        e.text(f"C{r}", event.holder)
        e.text(f"D{r}", event.to_holder)
        e.add(f"E{r}", Role.TEXT, Kind.SHARES, float(event.series_m_shares))
        e.add(f"F{r}", Role.TEXT, Kind.WHOLE, float(event.common_shares))
        e.add(f"G{r}", Role.TEXT, Kind.MONEY, float(event.amount))
        e.add(f"H{r}", Role.TEXT, Kind.BOOL, event.exempt)
        e.text(f"I{r}", event.note)
        e.same(f"J{r}", Kind.TEXT, f'=IF(A{r}<=AsOfDate,"applied","after: not applied")',
               "applied" if event.date <= cap.as_of_date else "after: not applied")
        e.add(f"K{r}", Role.TEXT, Kind.COMMON, float(effect.common_issued))
        e.add(f"L{r}", Role.TEXT, Kind.COMMON, float(effect.common_outstanding_after))
    return e
