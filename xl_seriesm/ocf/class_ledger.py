"""The ledger's events for the other classes (:mod:`xl_seriesm.core.ledger_classes`) as OCF
transactions, and back.

Writing, for each event up to the as-of date, in ledger order, held by the stakeholder of
its holder:

- a preferred class: ``TX_STOCK_ISSUANCE`` of the stack table's stock class (written by
  :func:`xl_seriesm.ocf.stack.stack_classes`), ``TX_STOCK_TRANSFER`` (the part moved issued
  to the receiver, the rest as a balance), ``TX_STOCK_CANCELLATION``;
- options: ``TX_EQUITY_COMPENSATION_ISSUANCE`` (``OPTION``, the strike its exercise price),
  ``..._TRANSFER``, ``..._EXERCISE`` (the common it issued, written by the Series M's writer
  from the exercise's ``common`` event, as its resulting security; OCF v1.2.0's exercise has
  no ``balance_security_id``, so one in part leaves the rest on the grant, as its
  ``quantity`` says) and ``..._CANCELLATION``;
- warrants: ``TX_WARRANT_ISSUANCE``, ``..._TRANSFER``, ``..._EXERCISE`` (OCF exercises a
  warrant whole: what is left is issued again as a new warrant, marked
  :data:`BALANCE_COMMENT`) and ``..._CANCELLATION``.

A transfer or a cancellation in part (of any class) names the new security that holds the
rest in its ``balance_security_id``, as OCF asks; the reader counts a balance as the rest of
the grant, not as a grant of its own. Each grant carries the stack row it counts in
(:data:`xl_seriesm.ocf.stack.CLASS_COMMENT`, "Pool at $0.10" when the class has several
strikes at the date) and its class (:data:`LEDGER_CLASS_COMMENT`). Reading
(:func:`read_class_events`) gives back events whose holdings at the date are the ledger's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction
from typing import Any, NamedTuple

from xl_seriesm.core.ledger_classes import (
    ClassEvent,
    ClassEventKind,
    ClassState,
    stack_rows,
)
from xl_seriesm.core.ledger_events import Place
from xl_seriesm.core.stack import Kind, Stack, StackClass
from xl_seriesm.ocf.schema_check import OcfError
from xl_seriesm.ocf.stack import CLASS_COMMENT, STACK_HOLDER_ID, TRIGGER, exercise_at_will

#: The comment naming the ledger's class of an option grant or a warrant.
LEDGER_CLASS_COMMENT = "seriesm ledger class: "
#: An issuance of common under §5(e) that is exempt (the Series M writer's comment).
EXEMPT_COMMENT = "seriesm: exempt under §5(e)"
#: The comment of an option exercise's common that the ledger reads as not exempt: a reader
#: takes an equity compensation exercise's common as exempt (an employee plan, §5(e)(i))
#: unless this says otherwise, so the conversion number survives the round trip.
NOT_EXEMPT_COMMENT = "seriesm: not exempt under §5(e)(i)"
#: The comment of a warrant issued for what an exercise left of another.
BALANCE_COMMENT = "seriesm: balance of a warrant exercised in part"
#: The comment of an option grant or a warrant issued for what a cancellation left of
#: another (the cancellation's ``balance_security_id``).
PART_CANCELLED_COMMENT = "seriesm: balance of a grant cancelled in part"
_ISSUANCE = {Kind.OPTION: "TX_EQUITY_COMPENSATION_ISSUANCE", Kind.WARRANT: "TX_WARRANT_ISSUANCE"}
_WORD = {Kind.OPTION: "EQUITY_COMPENSATION", Kind.WARRANT: "WARRANT",
         Kind.PREFERRED: "STOCK"}

Numeric = Callable[[Fraction], str]
Usd = Callable[[Fraction], dict[str, str]]


class LedgerClasses(NamedTuple):
    """What the writer needs of a ledger's other classes: the events, the stack table of
    their terms and their state at the as-of date."""

    events: Sequence[ClassEvent]
    terms: Stack
    state: ClassState


class _Lots:
    """Who holds which OCF security of each class (and strike), oldest first."""

    def __init__(self, next_id: Callable[[str], str]) -> None:
        self.held: dict[tuple[str, str, Fraction | None], list[list[Any]]] = {}
        self.next_id = next_id

    def add(self, key: tuple[str, str, Fraction | None], security: str,
            quantity: Fraction) -> None:
        self.held.setdefault(key, []).append([security, quantity])

    def take(self, key: tuple[str, str, Fraction | None], quantity: Fraction,
             ) -> list[tuple[str, Fraction, Fraction]]:
        """(security, part taken, part left) for each security used, oldest first."""
        parts = []
        left = quantity
        securities = self.held.get(key, [])
        while left > 0:
            if not securities:
                raise OcfError(f"the OCF securities of {key[0]} hold less {key[1]} than the "
                               "ledger moves")
            security, held = securities.pop(0)
            part = min(left, held)
            left -= part
            parts.append((security, part, held - part))
        return parts


def class_transactions(events: Sequence[ClassEvent], terms: Stack, state: ClassState,
                       ids: dict[str, str], common: list[dict[str, Any]], numeric: Numeric,
                       usd: Usd, next_id: Callable[[str], str]) -> list[dict[str, Any]]:
    """The OCF transactions of the events dated on or before the state's date. ``ids`` are
    the holders' stakeholder ids; ``common`` the Series M writer's transactions, where each
    exercise's common issuance is found; stock classes are ``stack-<n>`` by the row of
    ``terms``."""
    rows, _ = stack_rows(terms, state)
    row_name = {(r.stock_class, r.strike): r.row.name for r in rows if r.stock_class}
    by_name = {c.name: (index, c) for index, c in enumerate(terms, start=1)}
    lots = _Lots(next_id)
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for e in events:
        if e.date > state.as_of:
            continue
        index, c = by_name[_class_of(terms, e)]
        holder = ids[e.holder]
        when = e.date.isoformat()
        key = (e.holder, c.name, e.strike)

        def issue(to: str, quantity: Fraction, c: StackClass = c, index: int = index,
                  strike: Fraction | None = e.strike, extra: tuple[str, ...] = (),
                  when: str = when) -> str:
            security = next_id("class-sec")
            body: dict[str, Any] = {
                "id": next_id("class-tx"), "security_id": security, "date": when,
                "custom_id": security.upper(), "stakeholder_id": ids[to],
                "security_law_exemptions": [], "quantity": numeric(quantity)}
            if c.kind is Kind.PREFERRED:
                body.update(object_type="TX_STOCK_ISSUANCE", stock_class_id=f"stack-{index}",
                            share_price=usd(c.preference), stock_legend_ids=[])
            else:
                assert strike is not None
                body.update(object_type=_ISSUANCE[c.kind], exercise_price=usd(strike),
                            comments=[CLASS_COMMENT + row_name.get((c.name, strike), c.name),
                                      LEDGER_CLASS_COMMENT + c.name, *extra])
                if c.kind is Kind.OPTION:
                    body.update(compensation_type="OPTION", expiration_date=None,
                                termination_exercise_windows=[])
                else:
                    body.update(purchase_price=usd(Fraction(0)),
                                exercise_triggers=exercise_at_will(numeric(quantity)))
            out.append(body)
            lots.add((to, c.name, strike), security, quantity)
            return security

        if e.kind in (ClassEventKind.ISSUE, ClassEventKind.GRANT):
            issue(e.holder, e.shares)
            continue
        word = _WORD[c.kind]
        resulting = _exercised(common, used, e, holder, numeric, c.kind) \
            if e.kind is ClassEventKind.EXERCISE else ""
        for security, part, left in lots.take(key, e.shares):
            base = {"id": next_id("class-tx"), "security_id": security, "date": when}
            if e.kind is ClassEventKind.EXERCISE and c.kind is Kind.WARRANT:
                out.append({"object_type": "TX_WARRANT_EXERCISE", **base, "trigger_id": TRIGGER,
                            "resulting_security_ids": [resulting]})
                if left:
                    issue(e.holder, left, extra=(BALANCE_COMMENT,))
                    held = lots.held[key]
                    held.insert(0, held.pop())  # the balance keeps its place: oldest first
                continue
            if e.kind is ClassEventKind.TRANSFER:
                target = issue(e.to_holder, part)
                body = {"object_type": f"TX_{word}_TRANSFER", **base, "quantity": numeric(part),
                        "resulting_security_ids": [target]}
            elif e.kind is ClassEventKind.EXERCISE:
                body = {"object_type": "TX_EQUITY_COMPENSATION_EXERCISE", **base,
                        "quantity": numeric(part), "resulting_security_ids": [resulting]}
            else:
                body = {"object_type": f"TX_{word}_CANCELLATION", **base,
                        "quantity": numeric(part),
                        "reason_text": e.note or "cancelled, per the ledger"}
            if left and e.kind is not ClassEventKind.EXERCISE:
                # A transfer or cancellation in part: the rest is a new security, named.
                body["balance_security_id"] = issue(
                    e.holder, left, extra=() if c.kind is Kind.PREFERRED or e.kind is
                    ClassEventKind.TRANSFER else (PART_CANCELLED_COMMENT,))
                held = lots.held[key]
                held.insert(0, held.pop())
            elif left:  # an option exercise in part: OCF v1.2.0's exercise has no balance
                lots.held[key].insert(0, [security, left])  # its quantity leaves the rest
            out.append(body)
    return out


def _class_of(terms: Stack, event: ClassEvent) -> str:
    wanted = " ".join(event.stock_class.lower().split())
    return next(c.name for c in terms if " ".join(c.name.lower().split()) == wanted)


def _exercised(common: list[dict[str, Any]], used: set[str], e: ClassEvent, holder: str,
               numeric: Numeric, kind: Kind) -> str:
    """The common issuance the Series M writer wrote for an exercise; an option's that the
    ledger reads as not exempt gains :data:`NOT_EXEMPT_COMMENT`."""
    assert e.strike is not None
    for tx in common:
        if (tx["object_type"] == "TX_STOCK_ISSUANCE" and tx["security_id"] not in used
                and tx["date"] == e.date.isoformat() and tx["stakeholder_id"] == holder
                and tx["quantity"] == numeric(e.shares)
                and tx.get("cost_basis", {}).get("amount") == numeric(e.shares * e.strike)):
            used.add(tx["security_id"])
            if kind is Kind.OPTION and EXEMPT_COMMENT not in tx.get("comments", []):
                tx["comments"] = [*tx.get("comments", []), NOT_EXEMPT_COMMENT]
            return str(tx["security_id"])
    raise OcfError(f"{e.place.at()}: the common issued by the exercise was not written")


# --- reading ---------------------------------------------------------------------------------

def read_class_events(items: dict[str, list[dict[str, Any]]], series_m: str, common: str,
                      where: str) -> tuple[ClassEvent, ...]:
    """The other classes' events of a package: stock of the preferred classes but the Series
    M, option grants and warrants (each named by its :data:`LEDGER_CLASS_COMMENT`, else by its
    stack row), in date order. Transfers of options and warrants and partial exercises of
    warrants come back as the cancellations and issuances that make the same holdings."""
    names = {s["id"]: s["name"]["legal_name"] for s in items.get("stakeholders", [])}
    classes = {c["id"]: c["name"] for c in items.get("stock_classes", [])
               if c["class_type"] == "PREFERRED" and c["id"] not in (series_m, common)}
    transactions = sorted(enumerate(items.get("transactions", [])),
                          key=lambda pair: pair[1].get("date", ""))
    resulting = {r for _, tx in transactions for r in
                 [*tx.get("resulting_security_ids", []), tx.get("balance_security_id", "")]}
    held: dict[str, tuple[str, str, Fraction | None]] = {}  # security -> class, holder, strike
    # An exercise's common says whether the ledger read it as exempt (the writer's comments).
    said = {tx["security_id"]: (True if EXEMPT_COMMENT in tx.get("comments", []) else False
                                if NOT_EXEMPT_COMMENT in tx.get("comments", []) else None)
            for _, tx in transactions if tx["object_type"] == "TX_STOCK_ISSUANCE"}
    for _, tx in transactions:
        kind = tx["object_type"]
        if kind == "TX_STOCK_ISSUANCE":
            if tx["stock_class_id"] not in classes:
                continue
            name, strike = classes[tx["stock_class_id"]], None
        elif kind in _ISSUANCE.values():
            if "exercise_price" not in tx or "quantity" not in tx or (
                    kind == "TX_EQUITY_COMPENSATION_ISSUANCE"
                    and tx["compensation_type"] not in ("OPTION", "OPTION_ISO", "OPTION_NSO")):
                continue
            comments = tx.get("comments", [])
            name = next((c[len(p):] for p in (LEDGER_CLASS_COMMENT, CLASS_COMMENT)
                         for c in comments if c.startswith(p)), "")
            if not name:
                continue
            strike = Fraction(tx["exercise_price"]["amount"])
        else:
            continue
        if tx["stakeholder_id"] == STACK_HOLDER_ID:
            continue  # a stack table's class as a whole, not a ledger's
        held[tx["security_id"]] = (name, names.get(tx["stakeholder_id"], ""), strike)
    out: list[ClassEvent] = []
    for index, tx in transactions:
        kind = tx["object_type"]
        place = Place(f"{where} transactions[{index}] ({tx.get('id', '')})")
        security = tx.get("security_id", "")
        if "date" not in tx or security not in held:
            continue
        day = date.fromisoformat(tx["date"])
        name, holder, strike = held[security]
        if kind in ("TX_STOCK_ISSUANCE", *_ISSUANCE.values()):
            if security in resulting and BALANCE_COMMENT not in tx.get("comments", []):
                continue  # the receiving side of a transfer, or a balance: counted there
            out.append(ClassEvent(day, ClassEventKind.ISSUE if strike is None
                                  else ClassEventKind.GRANT, name, holder,
                                  Fraction(tx["quantity"]), strike, place=place))
            continue
        if kind.endswith("_TRANSFER"):
            for target in tx.get("resulting_security_ids", []):
                if target in held:
                    _, to, _ = held[target]
                    out.append(ClassEvent(day, ClassEventKind.TRANSFER, name, holder,
                                          _quantity(items, target), strike, to, place=place))
        elif kind in ("TX_EQUITY_COMPENSATION_EXERCISE", "TX_WARRANT_EXERCISE"):
            quantity = (Fraction(tx["quantity"]) if "quantity" in tx
                        else _quantity(items, security, tx["date"]))
            exempt = next((said[r] for r in tx.get("resulting_security_ids", [])
                           if said.get(r) is not None), None)
            out.append(ClassEvent(day, ClassEventKind.EXERCISE, name, holder, quantity, strike,
                                  exempt=exempt, place=place))
        elif kind.endswith("_CANCELLATION") or kind in ("TX_STOCK_REPURCHASE",
                                                         "TX_STOCK_CONVERSION"):
            gone = str(tx.get("quantity", tx.get("quantity_converted", "0")))
            out.append(ClassEvent(day, ClassEventKind.CANCEL, name, holder, Fraction(gone),
                                  strike, place=place))
    return tuple(out)


def _quantity(items: dict[str, list[dict[str, Any]]], security: str,
              before: str | None = None) -> Fraction:
    """What a security held: issued, less the exercises and cancellations before ``before``
    (a warrant's exercise, which OCF gives no quantity, takes what is left)."""
    total = Fraction(0)
    for tx in items.get("transactions", []):
        if tx.get("security_id") != security:
            continue
        if tx["object_type"].endswith("_ISSUANCE"):
            total += Fraction(tx["quantity"])
        elif (before is not None and tx["object_type"].endswith("_CANCELLATION")
              and tx["date"] <= before):
            total -= Fraction(tx["quantity"])
    return total
