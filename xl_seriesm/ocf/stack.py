"""The capital stack besides the Series M and the common, read from and written to OCF.

Reading, at the package's as-of date (or a date given):

- every preferred stock class but the Series M is a ``preferred`` row: its shares are the
  class's securities outstanding (issued, less those transferred, converted, repurchased or
  cancelled: a balance or a resulting security is issued again and counted as such); its
  preference per share is ``liquidation_preference_multiple`` (default 1) ×
  ``price_per_share``; its conversion ratio the class's ``RATIO_CONVERSION`` right (default 1);
  its seniority the order of OCF's ``seniority`` (there higher is paid first; here 1 is first
  after the Series M, which the certificate puts ahead of every class, §3(a), whatever the
  package says); participation ``capped`` when the class has a ``participation_cap_multiple``
  (OCF's multiple of the price per share; here the cap is a multiple of the preference, so it
  is divided by the preference multiple), ``full`` when its comments say
  :data:`FULL_PARTICIPATION`, otherwise ``none`` (OCF v1.2.0 has no participation flag);
- equity compensation of an option type (``OPTION_ISO``, ``OPTION_NSO``, ``OPTION``)
  outstanding (granted, less exercised and cancelled) is one ``option`` row per exercise price;
- warrants outstanding (issued with a quantity, less cancelled; an exercised warrant is gone)
  are one ``warrant`` row per exercise price.

Other equity compensation (RSUs, stock appreciation rights) and warrants without a quantity
are counted in what the reader did not take. Writing does the reverse: a stock class and one
issuance per preferred row, an option grant or a warrant per option or warrant row, all held
by the stakeholder :data:`STACK_HOLDER` (the stack table has no holders), dated the as-of
date. The round trip gives back the same stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from xl_seriesm.core.stack import (
    COMMON,
    SERIES_M,
    Kind,
    Participation,
    Stack,
    StackClass,
)
from xl_seriesm.ocf import COMMON_ID
from xl_seriesm.ocf.schema_check import OcfError

#: The comment that marks a fully participating class (OCF has no participation flag).
FULL_PARTICIPATION = "seriesm: participation full"
#: The comment naming the stack row an option grant or a warrant was written from.
CLASS_COMMENT = "seriesm class: "
#: The stakeholder holding every security the stack table writes.
STACK_HOLDER = "Holders of the other classes (not listed)"
STACK_HOLDER_ID = "stack-holders"
_OPTION_TYPES = frozenset({"OPTION_ISO", "OPTION_NSO", "OPTION"})
_CONSUMING = frozenset({"TX_STOCK_TRANSFER", "TX_STOCK_CONVERSION", "TX_STOCK_REPURCHASE"})


def _q(text: str) -> Fraction:
    return Fraction(text)


def _money(text: str) -> str:
    value = _q(text)
    return f"${float(value):,.{max(2, _decimals(value))}f}"


def _decimals(value: Fraction) -> int:
    for places in range(11):
        if (value * 10**places).denominator == 1:
            return places
    return 10


def read_stack(items: dict[str, list[dict[str, Any]]], series_m: str, common: str,
               as_of: date | None, where: str,
               ignored: dict[str, int] | None = None) -> Stack:
    """The stack of an OCF package's items (stock classes and transactions) at ``as_of``
    (None: every transaction)."""
    ignored = {} if ignored is None else ignored
    transactions = [tx for tx in items.get("transactions", [])
                    if as_of is None or "date" not in tx or tx["date"] <= as_of.isoformat()]
    classes = {c["id"]: c for c in items.get("stock_classes", [])
               if c["class_type"] == "PREFERRED" and c["id"] not in (series_m, common)}
    # Securities outstanding: issued, not since consumed (a balance is issued again).
    stock: dict[str, tuple[str, Fraction]] = {}
    grants: dict[str, tuple[str, Fraction, Fraction]] = {}  # security -> name, strike, qty
    warrants: dict[str, tuple[str, Fraction, Fraction]] = {}
    for tx in sorted(transactions, key=lambda t: t.get("date", "")):
        kind = tx["object_type"]
        security = tx.get("security_id", "")
        if kind == "TX_STOCK_ISSUANCE" and tx["stock_class_id"] in classes:
            stock[security] = (tx["stock_class_id"], _q(tx["quantity"]))
        elif kind in _CONSUMING or kind == "TX_STOCK_CANCELLATION":
            if security in stock and (kind in _CONSUMING or "balance_security_id" in tx):
                del stock[security]
            elif security in stock:
                stock_class, held = stock[security]
                stock[security] = (stock_class, held - _q(tx["quantity"]))
        elif kind == "TX_EQUITY_COMPENSATION_ISSUANCE":
            if tx["compensation_type"] not in _OPTION_TYPES or "exercise_price" not in tx:
                _count(ignored, f"equity compensation {tx['compensation_type']}")
                continue
            grants[security] = (_name(tx), _q(tx["exercise_price"]["amount"]),
                                _q(tx["quantity"]))
        elif kind == "TX_WARRANT_ISSUANCE":
            if "quantity" not in tx or "exercise_price" not in tx:
                _count(ignored, "warrant without a quantity or an exercise price")
                continue
            warrants[security] = (_name(tx), _q(tx["exercise_price"]["amount"]),
                                  _q(tx["quantity"]))
        elif kind in ("TX_EQUITY_COMPENSATION_EXERCISE", "TX_EQUITY_COMPENSATION_CANCELLATION"):
            _take(grants, security, tx)
        elif kind == "TX_WARRANT_EXERCISE":
            warrants.pop(security, None)
        elif kind == "TX_EQUITY_COMPENSATION_TRANSFER":  # the parts are issued again
            grants.pop(security, None)
        elif kind == "TX_WARRANT_TRANSFER":
            warrants.pop(security, None)
        elif kind == "TX_WARRANT_CANCELLATION":
            _take(warrants, security, tx)
    shares: dict[str, Fraction] = {}
    for stock_class, held in stock.values():
        shares[stock_class] = shares.get(stock_class, Fraction(0)) + held
    levels = sorted({_q(c["seniority"]) for c in classes.values()}, reverse=True)
    rows: list[StackClass] = []
    for class_id, c in classes.items():
        if shares.get(class_id, Fraction(0)) <= 0:
            continue
        rows.append(_preferred(c, shares[class_id], levels.index(_q(c["seniority"])) + 1,
                               where))
    rows += _by_strike(grants, Kind.OPTION, "Options")
    rows += _by_strike(warrants, Kind.WARRANT, "Warrants")
    names = [" ".join(r.name.lower().split()) for r in rows]
    for name in names:
        if name in (SERIES_M.lower(), COMMON.lower()) or names.count(name) > 1:
            raise OcfError(f"{where}: two classes of the stack would be named {name!r}; "
                           "rename a stock class")
    return tuple(rows)


def _count(ignored: dict[str, int], what: str) -> None:
    ignored[what] = ignored.get(what, 0) + 1


def _name(tx: dict[str, Any]) -> str:
    """The stack row a grant or warrant was written from, or "" (then named by strike)."""
    return next((c[len(CLASS_COMMENT):] for c in tx.get("comments", [])
                 if c.startswith(CLASS_COMMENT)), "")


def _take(held: dict[str, tuple[str, Fraction, Fraction]], security: str,
          tx: dict[str, Any]) -> None:
    if security not in held:
        return
    if "balance_security_id" in tx:
        del held[security]
        return
    name, strike, quantity = held[security]
    held[security] = (name, strike, quantity - _q(tx["quantity"]))


def _preferred(c: dict[str, Any], shares: Fraction, seniority: int, where: str) -> StackClass:
    if "price_per_share" not in c:
        raise OcfError(f"{where}: stock class {c['id']!r} ({c['name']}) has no price_per_share; "
                       "its preference is liquidation_preference_multiple × price_per_share")
    multiple = _q(c.get("liquidation_preference_multiple", "1"))
    preference = multiple * _q(c["price_per_share"]["amount"])
    ratio = Fraction(1)
    for right in c.get("conversion_rights", []):
        mechanism = right.get("conversion_mechanism", {})
        if mechanism.get("type") == "RATIO_CONVERSION":
            ratio = _q(mechanism["ratio"]["numerator"]) / _q(mechanism["ratio"]["denominator"])
            break
    participation, cap = Participation.NONE, None
    if "participation_cap_multiple" in c:
        if multiple <= 0:
            raise OcfError(f"{where}: stock class {c['id']!r} has a participation cap and no "
                           "liquidation preference")
        participation, cap = Participation.CAPPED, _q(c["participation_cap_multiple"]) / multiple
    elif FULL_PARTICIPATION in c.get("comments", []):
        participation = Participation.FULL
    return StackClass(c["name"], Kind.PREFERRED, shares, preference, seniority, participation,
                      cap, ratio)


def _by_strike(held: dict[str, tuple[str, Fraction, Fraction]], kind: Kind,
               word: str) -> list[StackClass]:
    """One row per named row (the writer's) and strike, the others one per strike."""
    totals: dict[tuple[str, Fraction], Fraction] = {}
    for name, strike, quantity in held.values():
        key = (name or f"{word} at {_money(str(strike))}", strike)
        totals[key] = totals.get(key, Fraction(0)) + quantity
    return [StackClass(name, kind, quantity, strike=strike)
            for (name, strike), quantity in totals.items() if quantity > 0]


# --- writing ---------------------------------------------------------------------------------

def stack_classes(stack: Stack, common: str, numeric: Any, usd: Any,
                  ) -> tuple[list[dict[str, Any]], int]:
    """The stock classes of the stack's preferred rows, and the OCF seniority the Series M
    takes above them all (the common is 1)."""
    ranks = sorted({c.seniority for c in stack if c.kind is Kind.PREFERRED})
    top = len(ranks) + 1
    out = []
    for index, c in enumerate(stack, start=1):
        if c.kind is not Kind.PREFERRED:
            continue
        body: dict[str, Any] = {
            "object_type": "STOCK_CLASS", "id": f"stack-{index}", "name": c.name,
            "class_type": "PREFERRED", "default_id_prefix": f"S{index}-",
            "initial_shares_authorized": numeric(c.shares), "votes_per_share": "1",
            "price_per_share": usd(c.preference),
            "seniority": str(top - ranks.index(c.seniority)),
            "liquidation_preference_multiple": "1",
            "conversion_rights": [{"type": "STOCK_CLASS_CONVERSION_RIGHT",
                                   "conversion_mechanism": {
                                       "type": "RATIO_CONVERSION",
                                       "ratio": {"numerator": str(c.conversion_ratio.numerator),
                                                 "denominator":
                                                     str(c.conversion_ratio.denominator)},
                                       "conversion_price": usd(c.preference
                                                               / c.conversion_ratio),
                                       "rounding_type": "NORMAL"},
                                   "converts_to_stock_class_id": common}]}
        if c.participation is Participation.CAPPED:
            assert c.cap is not None
            body["participation_cap_multiple"] = numeric(c.cap)
        elif c.participation is Participation.FULL:
            body["comments"] = [FULL_PARTICIPATION]
        out.append(body)
    return out, top + 1


def stack_transactions(stack: Stack, when: date, numeric: Any, usd: Any,
                       next_id: Any, skip: frozenset[str] = frozenset(),
                       ) -> list[dict[str, Any]]:
    """One issuance per preferred row, one option grant or warrant per option or warrant
    row, held by :data:`STACK_HOLDER_ID` and dated ``when``; none for the classes named in
    ``skip`` (a ledger's, written from its events)."""
    out: list[dict[str, Any]] = []
    common_fields = {"date": when.isoformat(), "stakeholder_id": STACK_HOLDER_ID,
                     "security_law_exemptions": []}
    for index, c in enumerate(stack, start=1):
        if c.name in skip:
            continue
        security = next_id("stack-sec")
        base = {"id": next_id("stack-tx"), "security_id": security,
                "custom_id": security.upper(), **common_fields}
        if c.kind is Kind.PREFERRED:
            out.append({"object_type": "TX_STOCK_ISSUANCE", **base,
                        "stock_class_id": f"stack-{index}", "share_price": usd(c.preference),
                        "quantity": numeric(c.shares), "stock_legend_ids": []})
        elif c.kind is Kind.OPTION:
            out.append({"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", **base,
                        "compensation_type": "OPTION", "quantity": numeric(c.shares),
                        "exercise_price": usd(c.strike), "expiration_date": None,
                        "termination_exercise_windows": [],
                        "comments": [CLASS_COMMENT + c.name]})
        else:
            out.append({"object_type": "TX_WARRANT_ISSUANCE", **base,
                        "quantity": numeric(c.shares), "exercise_price": usd(c.strike),
                        "purchase_price": usd(Fraction(0)),
                        "exercise_triggers": exercise_at_will(numeric(c.shares)),
                        "comments": [CLASS_COMMENT + c.name]})
    return out


#: The trigger of every warrant the package writes: exercisable at will, which each warrant
#: exercise names.
TRIGGER = "exercise-at-will"


def exercise_at_will(quantity: str) -> list[dict[str, Any]]:
    """A warrant's ``exercise_triggers``: at will, into ``quantity`` shares of the common."""
    return [{"trigger_id": TRIGGER, "type": "ELECTIVE_AT_WILL", "nickname": "at will",
             "conversion_right": {
                 "type": "WARRANT_CONVERSION_RIGHT", "converts_to_stock_class_id": COMMON_ID,
                 "conversion_mechanism": {"type": "FIXED_AMOUNT_CONVERSION",
                                          "converts_to_quantity": quantity}}}]


def stakeholder(stack: Sequence[StackClass]) -> list[dict[str, Any]]:
    if not stack:
        return []
    return [{"object_type": "STAKEHOLDER", "id": STACK_HOLDER_ID,
             "name": {"legal_name": STACK_HOLDER}, "stakeholder_type": "INSTITUTION",
             "comments": ["the holders of the stack's classes, which the stack table does "
                          "not list"]}]
