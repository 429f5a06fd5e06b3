"""The capital stack of ``seriesm captable`` at its as-of date: the stack table's terms with
the ledger's counts of the other classes (:mod:`xl_seriesm.core.ledger_classes`), and at an
exit value each holder's payout of those classes, pro rata within each row of the stack."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from xl_seriesm.captable.report import json_number, shares_text
from xl_seriesm.core import ledger_classes
from xl_seriesm.core.allocation import allocate
from xl_seriesm.core.ledger_classes import ClassEvent, ClassState, StackDifference, StackRow
from xl_seriesm.core.ledger_events import LedgerError
from xl_seriesm.core.stack import Stack, StackClass

if TYPE_CHECKING:
    from rich.console import Console

    from xl_seriesm.captable.stack_file import ExitPayouts

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Classes:
    """The other classes at a date: the stack paid, and (from a ledger) the rows' holders and
    the stack table's counts that differ from the ledger's."""

    stack: Stack
    state: ClassState | None = None
    rows: Sequence[StackRow] = ()
    differences: Sequence[StackDifference] = field(default_factory=list)
    #: The ledger's events of the other classes and the stack table of their terms.
    events: Sequence[ClassEvent] = ()
    terms: Stack = ()
    #: Why the holders of the other classes are left out, when they are.
    note: str = ""
    #: What counts the rows the events name: a ledger's events or an OCF package's.
    source: str = "ledger"


def from_ledger(terms: Stack, events: Sequence[ClassEvent], as_of: date) -> Classes:
    """The stack at ``as_of``: ``terms`` (the stack table) with the ledger's counts. The whole
    ledger of other classes is checked on the way."""
    state = ledger_classes.replay(events, terms, as_of)
    rows, differences = ledger_classes.stack_rows(terms, state)
    return Classes(tuple(r.row for r in rows), state, rows, differences, tuple(events), terms)


def from_package(rows: Stack, events: Sequence[ClassEvent], as_of: date) -> Classes:
    """The stack of an OCF package at ``as_of`` (``rows``, counted from its transactions)
    with the holders its other classes' ``events`` give: each class the events name takes
    its terms from its row at the date (one of its rows per strike), the other rows stay as
    they are; a class with no row at the date holds nothing then, and its events are left
    out. Where the holders' events do not make up the package's counts (transactions they
    cannot follow), the package's rows are taken without holders."""
    names = {ledger_classes.key(e.stock_class): e.stock_class for e in events}
    terms: list[StackClass] = []
    taken: set[str] = set()
    for row in rows:
        owner = next((name for k, name in names.items() if ledger_classes.key(row.name) == k
                      or (not row.is_preferred and ledger_classes.key(row.name)
                          == ledger_classes.key(ledger_classes.strike_name(name, row.strike)))),
                     None)
        if owner is None:
            terms.append(row)
        elif owner not in taken:
            taken.add(owner)
            terms.append(row._replace(name=owner))
        else:  # another strike of the class: its rows' shares together
            at = next(i for i, c in enumerate(terms) if c.name == owner)
            terms[at] = terms[at]._replace(shares=terms[at].shares + row.shares)
    kept = [e for e in events if e.stock_class in taken]
    if not kept:
        return Classes(rows, source="package")
    try:
        found = from_ledger(tuple(terms), kept, as_of)
    except LedgerError as error:  # transactions the holders' reading cannot follow
        return Classes(rows, note=f"the other classes' holders are left out: {error}",
                       source="package")
    if found.differences:  # holders only where they make up the package's own counts
        d = found.differences[0]
        return Classes(rows, note=f"the other classes' holders are left out: their "
                       f"transactions make {shares_text(d.ledger)} {d.stock_class} at {as_of}, "
                       f"the package counts {shares_text(d.stated)}", source="package")
    return replace(found, source="package")


def _holders(state: ClassState, row: StackRow) -> list[tuple[str, Fraction]]:
    return [(h.holder, h.shares) for h in state.holdings
            if h.stock_class == row.stock_class and h.strike == row.strike]


def with_class_holders(found: ExitPayouts, classes: Classes) -> ExitPayouts:
    """``found`` with each holder's payout of the other classes the ledger carries: a row's
    total (as the stack rounds it) shared pro rata to the holders' shares of it, in cents
    adding up to the total (largest remainders); holders of only those classes are added."""
    state = classes.state
    if state is None:
        return found
    totals = {name: total for name, total, _, _ in found.classes}
    paid: list[dict[str, Any]] = []
    for row in classes.rows:
        if row.stock_class is None:
            continue
        held = _holders(state, row)
        amounts = allocate(totals[row.row.name], [shares for _, shares in held])
        paid += [{"holder": holder, "class": row.row.name, "shares": shares,
                  "payout": (Decimal(amount.numerator)
                             / Decimal(amount.denominator)).quantize(_CENT)}
                 for (holder, shares), amount in zip(held, amounts, strict=True)]
    rows = [dict(r, other_classes=Decimal("0.00")) for r in found.holders]
    by_name = {r["holder"]: r for r in rows}
    for item in paid:
        row_ = by_name.get(item["holder"])
        if row_ is None:
            row_ = by_name[item["holder"]] = {
                "holder": item["holder"], "series_m": Decimal("0.00"), "converts": False,
                "common": Decimal("0.00"), "total": Decimal("0.00"),
                "other_classes": Decimal("0.00")}
            rows.append(row_)
        row_["other_classes"] = (row_["other_classes"] + item["payout"]).quantize(_CENT)
    for row_ in rows:
        row_["total"] = row_["series_m"] + row_["common"] + row_["other_classes"]
    return replace(found, holders=rows, class_holders=paid)


def stack_json(classes: Classes) -> list[dict[str, Any]]:
    """The stack's rows at the date, each with its holders when the ledger counts it."""
    state = classes.state
    return [{"class": r.row.name, "kind": r.row.kind.value, "shares": json_number(r.row.shares),
             "strike": json_number(r.row.strike) if not r.row.is_preferred else None,
             "counted_by": ("package" if classes.source == "package"  # every row its own
                            else "ledger" if r.stock_class else "stack table"),
             "holders": [{"holder": holder, "shares": json_number(shares)}
                         for holder, shares in (_holders(state, r) if state and r.stock_class
                                                else [])]}
            for r in classes.rows]


def differences_json(classes: Classes) -> list[dict[str, Any]]:
    return [{"class": d.stock_class, "stack_table": json_number(d.stated),
             "ledger": json_number(d.ledger)} for d in classes.differences]




def pending_json(classes: Classes) -> list[dict[str, Any]]:
    """The other classes' events after the as-of date, listed but not applied."""
    pending = classes.state.pending if classes.state is not None else ()
    return [{"date": e.date.isoformat(), "event": e.kind.value, "class": e.stock_class,
             "holder": e.holder, "where": e.place.at()} for e in pending]


def print_differences(classes: Classes, as_of: date, console: Console) -> None:
    """The stack at the date, the stack table's counts the ledger's replace, and the other
    classes' events not applied."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=f"The other classes at {as_of} (the stack table's terms)")
    for column in ("class", "kind", "shares", "strike", "counted by", "holders"):
        table.add_column(column, justify="right" if column in ("shares", "strike", "holders")
                         else "left")
    for r, row in zip(classes.rows, stack_json(classes), strict=True):
        strike = "" if r.row.is_preferred else ledger_classes.money(r.row.strike)
        table.add_row(r.row.name, r.row.kind.value, shares_text(r.row.shares), strike,
                      row["counted_by"], f"{len(row['holders']):,}" if row["holders"] else "")
    console.print(table)
    for e in classes.state.pending if classes.state is not None else ():
        if e.kind is not ledger_classes.ClassEventKind.EXERCISE:  # listed with the common
            console.print(f"not applied (after {as_of}): {e.date} {e.kind.value} "
                          f"{e.stock_class} {e.holder} ({e.place.at()})", highlight=False,
                          soft_wrap=True)
    for line in difference_lines(classes, as_of):
        console.print(line, highlight=False, soft_wrap=True)


def difference_lines(classes: Classes, as_of: date) -> list[str]:
    """Each stack table count the ledger's replaces at ``as_of``, in words."""
    return [f"{d.stock_class}: the stack table states {shares_text(d.stated)} shares, the ledger "
            f"{shares_text(d.ledger)} at {as_of}; the ledger's count is used"
            for d in classes.differences]
