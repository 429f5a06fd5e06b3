"""An OCF package (a folder or a .zip) read into the ledger of events.

Untrusted input: every file is validated against the OCF v1.2.0 schemas before it is read;
a file the manifest names must lie inside the package (no absolute path, no ``..``, no link
leading out); sizes are bounded (:data:`MAX_FILE_BYTES` a file, :data:`MAX_TOTAL_BYTES` in
all, :data:`MAX_MEMBERS` zip members, compression at most :data:`MAX_RATIO` to 1: see
:mod:`xl_seriesm.ocf.package_files`), and nothing else is opened.

How OCF maps onto the ledger:

- The Series M is the stock class given by ``--series-m``, or the one preferred class whose
  name says "Series M"; the common is the class it converts into (or the one common class).
- Stock issuances of the Series M are ``issue`` events; the Closing Date is the first one's.
- Common issued before the Closing Date (or marked ``OPEN-`` by this package's writer) is the
  opening position: a ``holding`` for each stakeholder and an ``outstanding`` for the total.
- Common issued later is a §5(e) issuance (``common``): the consideration is ``cost_basis``
  or share price × quantity; exempt when its comments say so, or when it results from an
  exercise of equity compensation (employee options) and its comments do not say it is not.
  Issuances that result from a transfer, a conversion or an exercise are not new issuances.
- Transfers, conversions (the common is computed again with the conversion number in force,
  §5(b)), repurchases of the Series M (``redeem``), splits of the common, and
  conversion-ratio adjustments of the Series M (a checkpoint the ledger must reconcile to).
- The Series M terms OCF cannot carry (5% cumulative dividends, the one-year lock, §5(e))
  come from the certificate; dividends paid come from ``dividends.csv`` in the package or a
  CSV given with ``--dividends`` (the ledger's own format).
- A stakeholder named "Everyone else (not listed)" is the ledger's everyone else.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xl_seriesm.bulk.cycles import without_cycle_collection
from xl_seriesm.captable.csvtext import from_spreadsheet
from xl_seriesm.core.ledger import EVERYONE_ELSE, Event, EventKind, Place
from xl_seriesm.core.ledger_classes import ClassEvent
from xl_seriesm.core.stack import Stack
from xl_seriesm.ocf import notes
from xl_seriesm.ocf.class_ledger import EXEMPT_COMMENT, NOT_EXEMPT_COMMENT, read_class_events
from xl_seriesm.ocf.issuer import Issuer
from xl_seriesm.ocf.package_files import PackageFiles
from xl_seriesm.ocf.schema_check import OcfError
from xl_seriesm.ocf.screen import screen, unique_ids
from xl_seriesm.ocf.stack import read_stack
from xl_seriesm.ocf.writer import MARKET_PRICE_COMMENT, OPENING_PREFIX
from xl_seriesm.workbook.inputs import InputError, holder_name

if TYPE_CHECKING:
    from xl_seriesm.workbook.inputs import NumberFormat

MANIFEST = "Manifest.ocf.json"
DIVIDENDS = "dividends.csv"
#: The transactions the stack takes (:mod:`xl_seriesm.ocf.stack`), not the ledger's.
_STACK_KINDS = frozenset({"TX_EQUITY_COMPENSATION_ISSUANCE", "TX_EQUITY_COMPENSATION_EXERCISE",
                          "TX_EQUITY_COMPENSATION_CANCELLATION", "TX_WARRANT_ISSUANCE",
                          "TX_WARRANT_EXERCISE", "TX_WARRANT_CANCELLATION",
                          "TX_EQUITY_COMPENSATION_TRANSFER", "TX_WARRANT_TRANSFER"})
_KINDS = ("stakeholders", "stock_classes", "transactions", "stock_plans",
          "stock_legend_templates", "vesting_terms", "valuations", "financings", "documents")


@dataclass
class Package:
    """What was read: the events, the issuer, and what the ledger did not take; the other
    classes of the capital stack at any date (:mod:`xl_seriesm.ocf.stack`)."""

    events: tuple[Event, ...]
    issuer: Issuer
    ignored: dict[str, int] = field(default_factory=dict)
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    series_m: str = ""
    common: str = ""
    where: str = ""

    def stack_at(self, as_of: date | None) -> Stack:
        """The preferred classes besides the Series M, the options and the warrants
        outstanding at ``as_of`` (None: after every transaction)."""
        return read_stack(self.items, self.series_m, self.common, as_of, self.where,
                          self.ignored)

    def has_other_classes(self) -> bool:
        """Whether the package holds a class of the stack besides the Series M and the
        common: another preferred stock class, or an option grant or a warrant."""
        return any(c["class_type"] == "PREFERRED" and c["id"] != self.series_m
                   for c in self.items.get("stock_classes", [])) or any(
            tx["object_type"] in ("TX_EQUITY_COMPENSATION_ISSUANCE", "TX_WARRANT_ISSUANCE")
            for tx in self.items.get("transactions", []))

    def class_events(self) -> tuple[ClassEvent, ...]:
        """The other classes' events, by holder (:mod:`xl_seriesm.ocf.class_ledger`); an
        exercise's common is among :attr:`events`."""
        return read_class_events(self.items, self.series_m, self.common, self.where)


def _q(text: str) -> Fraction:
    return Fraction(int(text)) if text.isascii() and text.isdigit() else Fraction(text)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _series_m(classes: list[dict[str, Any]], wanted: str | None, where: str) -> tuple[str, str]:
    by_id = {c["id"]: c for c in classes}
    if wanted is not None:
        if wanted not in by_id:
            raise OcfError(f"--series-m {wanted!r}: no such stock class in {where}; the classes "
                           f"are {', '.join(repr(i) for i in by_id) or '(none)'}")
        series_m = by_id[wanted]
    else:
        found = [c for c in classes if c["class_type"] == "PREFERRED"
                 and "series m" in c["name"].lower()]
        if len(found) != 1:
            listed = ", ".join(f"{c['id']!r} ({c['name']})" for c in classes) or "(none)"
            raise OcfError(f"{where}: {len(found)} preferred classes named Series M; name the "
                           f"Series M with --series-m CLASS_ID (classes: {listed})")
        series_m = found[0]
    targets = [r.get("converts_to_stock_class_id") for r in series_m.get("conversion_rights", [])]
    commons = [c["id"] for c in classes if c["class_type"] == "COMMON"]
    common = next((t for t in targets if t in commons), commons[0] if len(commons) == 1 else None)
    if common is None:
        raise OcfError(f"{where}: cannot tell the common class ({len(commons)} common classes "
                       "and no conversion right of the Series M naming one)")
    return series_m["id"], common


@without_cycle_collection()
def read_package(path: Path, series_m_class: str | None = None,
                 dividends: Path | None = None,
                 number_format: NumberFormat | None = None) -> Package:
    """The ledger of an OCF package; raises OcfError naming the file when it is not valid."""
    source = PackageFiles(path)
    if not source.exists(MANIFEST):
        raise OcfError(f"{source.name(MANIFEST)}: no manifest at the top of the package"
                       + source.found_deeper(MANIFEST))
    manifest = source.document(MANIFEST)
    if manifest["file_type"] != "OCF_MANIFEST_FILE":
        raise OcfError(f"{source.name(MANIFEST)}: not the manifest (file_type "
                       f"{manifest['file_type']})")
    try:
        return _read(source, manifest, series_m_class, dividends, number_format)
    except OcfError:
        raise
    except (ValueError, ArithmeticError, KeyError, TypeError, RecursionError) as error:
        # Checked item by item above; a case those checks miss is still an answer.
        raise OcfError(f"{path}: cannot be read as the Series M ledger "
                       f"({type(error).__name__}: {str(error)[:200]})") from None


def _read(source: PackageFiles, manifest: dict[str, Any], series_m_class: str | None,
          dividends: Path | None, number_format: NumberFormat | None) -> Package:
    from xl_seriesm.captable.events import read_events  # noqa: PLC0415

    screen({k: v for k, v in manifest.items() if k != "comments"}, source.name(MANIFEST))
    items: dict[str, list[dict[str, Any]]] = {}
    origins: dict[str, list[str]] = {}
    for kind in _KINDS:
        for entry in manifest.get(f"{kind}_files", []):
            name = source.name(entry["filepath"])
            found = source.document(entry["filepath"], entry.get("md5"))["items"]
            for index, item in enumerate(found):
                where = f"{name} items[{index}]" + (f" ({item['id']})" if "id" in item else "")
                screen(item, where)
                origins.setdefault(kind, []).append(where)
            items.setdefault(kind, []).extend(found)
    for kind in ("stakeholders", "stock_classes", "transactions"):
        unique_ids(kind.replace("_", " "), list(zip(origins.get(kind, []), items.get(kind, []),
                                                  strict=True)))
    unique_ids("stock issuances", [(w, tx) for w, tx in zip(origins.get("transactions", []),
                                                          items.get("transactions", []),
                                                          strict=True)
                                if tx.get("object_type") == "TX_STOCK_ISSUANCE"],
            "security_id")
    issuer_doc = manifest["issuer"]
    issuer = Issuer(issuer_doc["legal_name"], _day(issuer_doc["formation_date"]),
                    issuer_doc["country_of_formation"],
                    issuer_doc.get("country_subdivision_of_formation", ""))
    series_m, common = _series_m(items.get("stock_classes", []), series_m_class,
                                 source.name(MANIFEST))
    names = {}
    for where, stakeholder in zip(origins.get("stakeholders", []),
                                  items.get("stakeholders", []), strict=True):
        name = stakeholder["name"]["legal_name"]
        try:  # compared as the ledger compares names: NFKC, nothing invisible
            names[stakeholder["id"]] = ("" if name == EVERYONE_ELSE
                                        else holder_name(name, f"{where} name.legal_name"))
        except InputError as error:
            raise OcfError(str(error)) from None
    others = frozenset(c["id"] for c in items.get("stock_classes", [])
                       if c["class_type"] == "PREFERRED" and c["id"] != series_m)
    reading = _Reading(series_m, common, names, source.name(MANIFEST),
                       origins.get("transactions", []), others)
    events = reading.events(items.get("transactions", []),
                            notes.read(manifest.get("comments", []), names,
                                       source.name(MANIFEST)))
    extra: list[Event] = []
    if dividends is not None:
        extra.extend(read_events(dividends, number_format))
    else:
        data = source.read(DIVIDENDS)
        if data is not None:
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / DIVIDENDS
                copy.write_bytes(data)
                try:
                    read = read_events(copy, number_format)
                except ValueError as error:  # named by the package, not the passing copy
                    raise OcfError(str(error).replace(str(copy), source.name(DIVIDENDS))
                                   ) from None
                extra.extend(replace(e, place=Place(source.name(DIVIDENDS), e.place.line))
                             for e in read)
    # A holder's name that starts like a formula was written with an apostrophe before it.
    extra = [replace(e, holder=from_spreadsheet(e.holder)) for e in extra]
    wrong = [e for e in extra if e.kind is not EventKind.DIVIDEND]
    if wrong:
        raise OcfError(f"{wrong[0].place.at('event')}: only dividend rows belong beside an OCF "
                       "package")
    return Package(tuple(events + extra), issuer, reading.ignored, items, series_m, common,
                   source.name(MANIFEST))


class _Reading:
    """One pass over the transactions, in date order, tracking who holds which security."""

    def __init__(self, series_m: str, common: str, names: dict[str, str], where: str,
                 origins: list[str], stack_classes: frozenset[str] = frozenset()) -> None:
        self.series_m, self.common, self.names, self.where = series_m, common, names, where
        self.origins = origins
        #: The preferred classes the stack takes (not ignored here).
        self.stack_classes = stack_classes
        self.securities: dict[str, tuple[str, str, Fraction]] = {}  # id -> holder, class, qty
        self.common_held: dict[str, Fraction] = {}
        self.opening: dict[str, Fraction] = {}
        #: Where each holder's opening position was first seen: the number of events read
        #: before it (so the holders come back in the ledger's order).
        self.opened: dict[str, int] = {}
        self.position = 0
        self.ignored: dict[str, int] = {}

    def holder(self, tx: dict[str, Any], index: int) -> str:
        stakeholder = tx["stakeholder_id"]
        if stakeholder not in self.names:
            raise OcfError(f"{self.where} transactions[{index}] ({tx['id']}): stakeholder "
                           f"{stakeholder!r} is not in the stakeholders file")
        return self.names[stakeholder]

    def events(self, transactions: list[dict[str, Any]],
               noted: Sequence[tuple[str, Event]] = ()) -> list[Event]:
        """The ledger's events; ``noted`` (from the manifest's comments) each come right
        after the transaction they name, or after their day's when they name none."""
        after: dict[str, list[Event]] = {}
        for tx_id, event in noted:
            after.setdefault(tx_id, []).append(event)
        ordered = sorted(enumerate(transactions), key=lambda pair: pair[1].get("date", ""))
        derived: set[str] = set()
        exercised: set[str] = set()
        warranted: set[str] = set()
        for tx in transactions:
            derived.update(tx.get("resulting_security_ids", []))
            if tx.get("balance_security_id"):
                derived.add(tx["balance_security_id"])
            if tx["object_type"] in ("TX_EQUITY_COMPENSATION_EXERCISE", "TX_WARRANT_EXERCISE"):
                (exercised if "EQUITY" in tx["object_type"] else warranted).update(
                    tx.get("resulting_security_ids", []))  # warrants exempt only when marked
        by_security = {tx["security_id"]: tx for tx in transactions
                       if tx["object_type"] == "TX_STOCK_ISSUANCE"}
        issues = [tx for tx in transactions if tx["object_type"] == "TX_STOCK_ISSUANCE"
                  and tx["stock_class_id"] == self.series_m and tx["security_id"] not in derived]
        if not issues:
            raise OcfError(f"{self.where}: no issuance of the Series M class {self.series_m!r}")
        closing = min(_day(tx["date"]) for tx in issues)
        opening = self.opening
        events: list[Event] = []

        def place(index: int, tx: dict[str, Any]) -> Place:
            if index < len(self.origins):
                return Place(self.origins[index])
            return Place(f"{self.where} transactions[{index}] ({tx['id']})")

        # Register every issued security first: transfers name securities issued the same day.
        for index, tx in ordered:
            if tx["object_type"] == "TX_STOCK_ISSUANCE":
                self.securities[tx["security_id"]] = (
                    self.holder(tx, index), tx["stock_class_id"],
                    notes.read_quantity(tx, "quantity", place(index, tx).at()))
        previous = None
        for index, tx in ordered:
            if previous is not None:
                events.extend(after.pop(previous, []))
            previous = tx["id"]
            self.position = len(events)
            kind, when = tx["object_type"], _day(tx["date"]) if "date" in tx else closing
            at = place(index, tx)
            if kind == "TX_STOCK_ISSUANCE":
                if (tx["security_id"] in derived and tx["security_id"] not in exercised
                        and tx["security_id"] not in warranted):
                    continue
                holder, stock_class, quantity = self.securities[tx["security_id"]]
                if stock_class == self.series_m:
                    events.append(Event(when, EventKind.ISSUE, holder, series_m_shares=quantity,
                                        place=at))
                elif stock_class == self.common:
                    comments = tx.get("comments", [])
                    if tx["custom_id"].startswith(OPENING_PREFIX) or when < closing:
                        self._open(holder, quantity)
                        continue
                    consideration = (_q(tx["cost_basis"]["amount"]) if "cost_basis" in tx
                                     else _q(tx["share_price"]["amount"]) * quantity)
                    plan = tx["security_id"] in exercised and NOT_EXEMPT_COMMENT not in comments
                    events.append(Event(when, EventKind.COMMON, holder, common_shares=quantity,
                                        amount=consideration, place=at,
                                        exempt=EXEMPT_COMMENT in comments or plan))
                    self._add(holder, quantity)
                elif stock_class not in self.stack_classes:
                    self._ignore(f"issuance of class {stock_class}")
            elif kind in ("TX_STOCK_TRANSFER", "TX_STOCK_CONVERSION", "TX_STOCK_REPURCHASE"):
                events.extend(self._security_tx(tx, when, at, closing, by_security))
            elif kind == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT":
                if tx["stock_class_id"] == self.series_m:
                    ratio = tx["new_ratio_conversion_mechanism"]["ratio"]
                    events.append(Event(when, EventKind.CONVERSION_NUMBER, place=at,
                                        amount=_q(ratio["numerator"]) / _q(ratio["denominator"])))
                else:
                    self._ignore(kind)
            elif kind == "TX_STOCK_CLASS_SPLIT":
                ratio = tx["split_ratio"]
                if tx["stock_class_id"] == self.series_m:
                    raise OcfError(f"{at.at()}: a split of the Series M; the certificate "
                                   "provides for splits of the common only (§5(c))")
                if tx["stock_class_id"] == self.common:
                    events.append(Event(when, EventKind.SPLIT, place=at,
                                        ratio=(_q(ratio["numerator"]), _q(ratio["denominator"]))))
                    factor = _q(ratio["numerator"]) / _q(ratio["denominator"])
                    self.common_held = {k: self._held(k) * factor
                                        for k in {*self.common_held, *self.opening}}
                else:
                    self._ignore(kind)
            elif kind not in _STACK_KINDS and not (
                    kind == "TX_STOCK_CANCELLATION"
                    and self.securities.get(tx["security_id"], ("", "", 0))[1]
                    in self.stack_classes):
                self._ignore(kind)
        events.extend(e for left in after.values() for e in left)  # last on their day
        # The opening position where it was first seen, its total first: a holder whose
        # common is stated keeps the ledger's place among the holders.
        before = Place(f"{self.where}: common before the Closing Date")
        start = [(seen, Event(closing, EventKind.HOLDING, name, common_shares=opening[name],
                              place=before)) for name, seen in self.opened.items() if name]
        if opening:
            start.insert(0, (min(self.opened.values()), Event(
                closing, EventKind.OUTSTANDING, common_shares=sum(opening.values(),
                                                                  Fraction(0)), place=before)))
        for seen, event in reversed(start):  # from the last: the earlier places hold
            events.insert(seen, event)
        return _merge_conversions(events)

    def _open(self, name: str, shares: Fraction) -> None:
        self.opening[name] = self.opening.get(name, Fraction(0)) + shares
        self.opened.setdefault(name, self.position)

    def _ignore(self, what: str) -> None:
        self.ignored[what] = self.ignored.get(what, 0) + 1

    def _security_tx(self, tx: dict[str, Any], when: date, at: Place, closing: date,
                     by_security: dict[str, dict[str, Any]]) -> Iterator[Event]:
        kind = tx["object_type"]
        if tx["security_id"] not in self.securities:
            raise OcfError(f"{at.at()}: security {tx['security_id']!r} was never issued")
        holder, stock_class, _ = self.securities[tx["security_id"]]
        if stock_class not in (self.series_m, self.common):
            if stock_class not in self.stack_classes:
                self._ignore(f"{kind} of class {stock_class}")
            return
        if kind == "TX_STOCK_CONVERSION":
            if stock_class != self.series_m:
                self._ignore("TX_STOCK_CONVERSION of the common")
                return
            shares = notes.read_quantity(tx, "quantity_converted", at.at())
            price = next((_q(c[len(MARKET_PRICE_COMMENT):]) for c in tx.get("comments", [])
                          if c.startswith(MARKET_PRICE_COMMENT)), None)
            if price is None and all(
                    self.securities[r][2].denominator == 1
                    for r in tx["resulting_security_ids"] if r in by_security):
                price = Fraction(0)  # whole common issued: the fraction was not issued
            for resulting in tx["resulting_security_ids"]:
                if resulting in self.securities:
                    self._add(holder, self.securities[resulting][2])
            yield Event(when, EventKind.CONVERT, holder, series_m_shares=shares,
                        market_price=price, place=at)
            return
        if kind == "TX_STOCK_REPURCHASE":
            if stock_class != self.series_m:
                raise OcfError(f"{at.at()}: a repurchase of common; the ledger has no event "
                               "for common bought back")
            yield Event(when, EventKind.REDEEM, holder,
                        series_m_shares=notes.read_quantity(tx, "quantity", at.at()), place=at)
            return
        # A transfer: to the holders of the resulting securities.
        for resulting in tx["resulting_security_ids"]:
            target, _, quantity = self.securities[resulting]
            if stock_class == self.series_m:
                yield Event(when, EventKind.TRANSFER, holder, target, series_m_shares=quantity,
                            place=at)
            elif when <= closing and not self.common_held:
                self._open(holder, -quantity)
                self._open(target, quantity)
            elif holder and target:
                self._add(holder, -quantity)
                self._add(target, quantity)
                yield Event(when, EventKind.TRANSFER, holder, target, common_shares=quantity,
                            place=at)
            else:  # to or from everyone else: the named holder's common as it now stands
                name, change = (target, quantity) if holder == "" else (holder, -quantity)
                now = self._held(name) + change
                self.common_held[name] = now
                yield Event(when, EventKind.HOLDING, name, common_shares=now, place=at)

    def _held(self, name: str) -> Fraction:
        return self.common_held.get(name, self.opening.get(name, Fraction(0)))

    def _add(self, name: str, shares: Fraction) -> None:
        if name:
            self.common_held[name] = self._held(name) + shares


def _merge_conversions(events: list[Event]) -> list[Event]:
    """One conversion spread over several OCF securities is one conversion of the holder's
    shares that day (§5(a) lots and the §5(h) fraction count on the whole batch)."""
    out: list[Event] = []
    index: dict[tuple[str, date], int] = {}
    for event in events:
        key = (event.holder, event.date)
        if event.kind is EventKind.CONVERT and key in index:
            first = out[index[key]]
            out[index[key]] = replace(first, series_m_shares=first.series_m_shares
                                      + event.series_m_shares)
            continue
        if event.kind is EventKind.CONVERT:
            index[key] = len(out)
        out.append(event)
    return out
