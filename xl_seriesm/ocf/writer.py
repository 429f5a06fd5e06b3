"""The ledger, up to its as-of date, as an OCF v1.2.0 package that validates against the
OCF JSON schemas (checked before anything is written).

What goes where:

- Stakeholders: every holder the ledger names, and one stakeholder named
  :data:`~xl_seriesm.core.ledger.EVERYONE_ELSE` for the common of everyone else.
- Stock classes: the Series M (preferred, 9,100 authorised, ratio conversion into the common
  at 4,000 for 1, $0.25) and the common.
- Transactions, in ledger order: Series M issuances, transfers, conversions (the common issued
  as the resulting security), redemptions (repurchases at the §6(a) price per share), common
  issued under §5(e) (``cost_basis`` carries the exact consideration; an exempt issuance says
  so in its comments), splits of the common, and a conversion-ratio adjustment of the Series
  M each time the conversion number changes. The common outstanding at the first statement is
  an issuance to everyone else whose ``custom_id`` starts with ``OPEN-``; a holder's stated
  common is a transfer from or to everyone else.
- The other classes of a capital stack, when given (:mod:`xl_seriesm.ocf.stack`): a stock
  class and an issuance per preferred class, an option grant or a warrant per option or
  warrant row; the Series M's OCF seniority is then above them all.
- The events of the other classes of a ledger, when given
  (:mod:`xl_seriesm.ocf.class_ledger`): their issues, transfers, grants, exercises and
  cancellations, held by their holders; the stack table's other classes as above.
- What OCF has no place for: dividends paid go to ``dividends.csv`` beside the manifest (the
  ledger's own CSV format); the later statements of common outstanding, the statements of
  the conversion number, §3(c) elections and §6(a) redemption notices go to the manifest's
  comments (:mod:`xl_seriesm.ocf.notes`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from xl_seriesm.bulk.cycles import without_cycle_collection
from xl_seriesm.bulk.json_text import json_text
from xl_seriesm.captable.csvtext import for_spreadsheet
from xl_seriesm.core import terms
from xl_seriesm.core.ledger import EVERYONE_ELSE, CapTableState, Effect, Event, EventKind
from xl_seriesm.core.stack import Stack
from xl_seriesm.ocf import COMMON_ID, OCF_VERSION, SERIES_M_ID, notes
from xl_seriesm.ocf import stack as ocf_stack
from xl_seriesm.ocf.class_ledger import EXEMPT_COMMENT, LedgerClasses, class_transactions
from xl_seriesm.ocf.issuer import Issuer
from xl_seriesm.ocf.schema_check import OcfError, validate
from xl_seriesm.ocf.screen import MAX_DIGITS
from xl_seriesm.xlsx.files import write_atomically, write_folder

OPENING_PREFIX = "OPEN-"
MARKET_PRICE_COMMENT = "seriesm: market price "
#: A share count: whole counts as ints (most of them; ints keep the book's arithmetic cheap),
#: fractions of a share after a split as Fractions.
Shares = int | Fraction
#: The price of shares that move or are issued for no consideration (transfers, conversions).
FREE = 0
FILES = {"stakeholders": "Stakeholders.ocf.json", "stock_classes": "StockClasses.ocf.json",
         "transactions": "Transactions.ocf.json"}


def numeric(value: Fraction | Decimal | int) -> str:
    """An OCF Numeric: a fixed-point string with at most 10 decimals (exact when it fits)."""
    if type(value) is int:
        return str(value)
    exact = value if type(value) is Fraction else Fraction(value)
    numerator, denominator = exact.numerator, exact.denominator
    if denominator == 1:  # a whole number of shares, the common case: no decimals to cut
        return str(numerator)
    units = numerator * 10**10 // denominator  # toward minus infinity, then exact cut
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**10)
    text = f"{whole}.{part:010d}".rstrip("0").rstrip(".")
    return sign + text


def _usd(value: Fraction | Decimal | int) -> dict[str, str]:
    return {"amount": numeric(value), "currency": "USD"}


def _exactly(quantity: Shares, key: str | None = None) -> Any:
    """The comments that carry ``quantity`` exactly when its Numeric cannot (a fraction of a
    share after a split; :mod:`xl_seriesm.ocf.notes`): a list, or with ``key`` a dict of it
    to spread into a transaction (empty when the Numeric is exact)."""
    if type(quantity) is int:
        return {} if key else []
    said = notes.exact_quantity(Fraction(quantity), numeric(quantity))
    return ({key: said} if said else {}) if key else said


def _ratio(value: Fraction) -> dict[str, str]:
    """A ratio as OCF numbers a reader takes (ours reads at most :data:`MAX_DIGITS` digits a
    number): exact when both terms fit, else the closest fraction whose terms do. A
    conversion number after many §5(e) adjustments has a denominator of up to 100 digits;
    its closest fraction of 15-digit terms is within 10^-20 of it, far inside the 10^-9 at
    which the ratio, read back as a checkpoint, must reconcile."""
    if max(value.numerator, value.denominator) >= 10**MAX_DIGITS:
        largest = 10 ** (MAX_DIGITS - 1) // max(1, math.ceil(value))  # numerator < 10^15
        value = value.limit_denominator(largest)
    return {"numerator": str(value.numerator), "denominator": str(value.denominator)}


def _count(shares: Fraction | int) -> Shares:
    """A share count as an int when it is whole."""
    if type(shares) is Fraction and shares.denominator == 1:
        return shares.numerator
    return shares


class _Securities:
    """Who holds which OCF securities, so each transaction names the security it acts on."""

    def __init__(self) -> None:
        self.held: dict[tuple[str, str], list[list[Any]]] = {}
        self.transactions: list[dict[str, Any]] = []
        self._count = 0

    def next_id(self, kind: str) -> str:
        self._count += 1
        return f"{kind}-{self._count}"

    def issue(self, when: date, holder: str, stock_class: str, quantity: Shares,
              price: Fraction | int, **extra: Any) -> str:
        security = self.next_id("sec")
        quantity = _count(quantity)  # whole: the security's later moves in ints
        exactly = _exactly(quantity)
        if exactly:
            extra["comments"] = [*extra.get("comments", []), *exactly]
        self.transactions.append({
            "object_type": "TX_STOCK_ISSUANCE", "id": self.next_id("tx"),
            "security_id": security, "date": when.isoformat(),
            "custom_id": extra.pop("custom_id", security.upper()),
            "stakeholder_id": holder, "stock_class_id": stock_class,
            "share_price": _usd(price), "quantity": numeric(quantity),
            "stock_legend_ids": [], "security_law_exemptions": [], **extra})
        self.held.setdefault((holder, stock_class), []).append([security, quantity])
        return security

    def take(self, holder: str, stock_class: str, quantity: Shares,
             ) -> list[tuple[str, Shares, Shares | None]]:
        """Take ``quantity`` off the holder's securities, oldest first: for each security
        used, its id, the part taken, and what is left of it (to re-issue) if anything."""
        parts: list[tuple[str, Shares, Shares | None]] = []
        left = quantity
        securities = self.held.get((holder, stock_class), [])
        while left > 0:
            if not securities:
                raise OcfError(f"the OCF securities of {holder} hold less {stock_class} "
                                 "than the ledger moves")
            security_id, held = securities.pop(0)
            if held == 0:
                continue
            part = min(left, held)
            left -= part
            parts.append((security_id, part, held - part or None))
        return parts

    def balance(self, when: date, holder: str, stock_class: str,
                remainder: Shares | None, price: Fraction | int) -> str | None:
        if remainder is None:
            return None
        security = self.issue(when, holder, stock_class, remainder, price)
        held = self.held[(holder, stock_class)]
        held.insert(0, held.pop())  # the balance keeps its place: oldest first
        return security


def _transactions(effects: Sequence[Effect], ids: dict[str, str],
                  ) -> tuple[list[dict[str, Any]], list[list[str]], list[str]]:
    """The OCF transactions, the dividends rows and the checkpoint comments of the ledger."""
    book = _Securities()
    dividends: list[list[str]] = []
    checkpoints: list[str] = []
    everyone = ids[EVERYONE_ELSE]
    stated = False
    number = terms.CONVERSION_NUMBER
    named_common: dict[str, Shares] = {}

    def move(when: date, stock_class: str, source: str, target: str, quantity: Shares,
             price: Fraction | int) -> None:
        for security, part, remainder in book.take(source, stock_class, quantity):
            resulting = book.issue(when, target, stock_class, part, price)
            book.transactions.append({
                "object_type": "TX_STOCK_TRANSFER", "id": book.next_id("tx"),
                "security_id": security, "date": when.isoformat(), "quantity": numeric(part),
                "resulting_security_ids": [resulting], **_exactly(part, "comments"),
                **({"balance_security_id": b} if (b := book.balance(
                    when, source, stock_class, remainder, price)) else {})})

    def note(e: Event) -> str:
        """The manifest's comment for an event OCF has no transaction for (:mod:`notes`),
        after the last transaction written, so that a day's events keep their order."""
        text = notes.write(e, ids.get(e.holder, everyone),
                           book.transactions[-1]["id"] if book.transactions else None)
        assert text is not None  # called for the kinds notes carries
        return text

    for effect in effects:
        e = effect.event
        # The counts as ints when whole (nearly always): the book's sums stay in ints.
        series_m, common = _count(e.series_m_shares), _count(e.common_shares)
        issued = _count(effect.common_issued)
        when = e.date
        holder = ids.get(e.holder, everyone) if e.holder else everyone
        if e.kind is EventKind.ISSUE:
            book.issue(when, holder, SERIES_M_ID, series_m, terms.STATED_VALUE)
        elif e.kind is EventKind.TRANSFER:
            if series_m:
                move(when, SERIES_M_ID, holder, ids[e.to_holder], series_m,
                     terms.STATED_VALUE)
            if common:
                move(when, COMMON_ID, holder, ids[e.to_holder], common, FREE)
                named_common[e.holder] = named_common.get(e.holder, 0) - common
                named_common[e.to_holder] = (named_common.get(e.to_holder, 0)
                                             + common)
        elif e.kind is EventKind.DIVIDEND:
            dividends.append([when.isoformat(), "dividend", e.holder, numeric(e.amount)])
        elif e.kind is EventKind.CONVERT:
            price_said = ([f"{MARKET_PRICE_COMMENT}{numeric(e.market_price)}"]
                          if e.market_price is not None else [])
            resulting = book.issue(when, holder, COMMON_ID, issued, FREE)
            named_common[e.holder] = named_common.get(e.holder, 0) + issued
            for security, part, remainder in book.take(holder, SERIES_M_ID, series_m):
                comments = [*price_said, *_exactly(part)]
                book.transactions.append({
                    "object_type": "TX_STOCK_CONVERSION", "id": book.next_id("tx"),
                    "security_id": security, "date": when.isoformat(),
                    "quantity_converted": numeric(part), "resulting_security_ids": [resulting],
                    **({"comments": comments} if comments else {}),
                    **({"balance_security_id": b} if (b := book.balance(
                        when, holder, SERIES_M_ID, remainder, terms.STATED_VALUE)) else {})})
        elif e.kind is EventKind.REDEEM:
            price = Fraction(effect.cash) / series_m
            for security, part, remainder in book.take(holder, SERIES_M_ID, series_m):
                book.transactions.append({
                    "object_type": "TX_STOCK_REPURCHASE", "id": book.next_id("tx"),
                    "security_id": security, "date": when.isoformat(),
                    "price": _usd(price), "quantity": numeric(part),
                    **_exactly(part, "comments"),
                    **({"balance_security_id": b} if (b := book.balance(
                        when, holder, SERIES_M_ID, remainder, terms.STATED_VALUE)) else {})})
        elif e.kind is EventKind.COMMON:
            book.issue(when, holder, COMMON_ID, common, e.amount / common,
                       cost_basis=_usd(e.amount),
                       **({"comments": [EXEMPT_COMMENT]} if e.exempt else {}))
            if e.holder:
                named_common[e.holder] = named_common.get(e.holder, 0) + common
        elif e.kind is EventKind.SPLIT:
            new, old = e.ratio
            book.transactions.append({
                "object_type": "TX_STOCK_CLASS_SPLIT", "id": book.next_id("tx"),
                "date": when.isoformat(), "stock_class_id": COMMON_ID,
                "split_ratio": _ratio(new / old)})
            for (_, stock_class), securities in book.held.items():
                if stock_class == COMMON_ID:
                    for position in securities:
                        position[1] *= new / old
            named_common = {k: v * new / old for k, v in named_common.items()}
        elif e.kind is EventKind.OUTSTANDING:
            if not stated:
                rest = common - sum(named_common.values())
                book.issue(when, everyone, COMMON_ID, rest, FREE,
                           custom_id=f"{OPENING_PREFIX}{len(book.transactions) + 1}")
                stated = True
            else:
                checkpoints.append(note(e))
        elif e.kind is EventKind.HOLDING:
            was = named_common.get(e.holder, 0)
            change = common - was
            if not stated and change < 0:
                raise OcfError(f"{e.place.at()}: a holding that falls before any common "
                                 "outstanding is stated cannot be written as OCF")
            if not stated and change > 0:
                book.issue(when, holder, COMMON_ID, change, FREE,
                           custom_id=f"{OPENING_PREFIX}{len(book.transactions) + 1}")
            elif change > 0:
                move(when, COMMON_ID, everyone, holder, change, FREE)
            elif change < 0:
                move(when, COMMON_ID, holder, everyone, -change, FREE)
            named_common[e.holder] = common
        elif e.kind is EventKind.REVOKE:
            raise OcfError(f"{e.place.at()}: a revoked conversion (§5(f)) has no OCF "
                           "transaction; write the ledger without the conversion and its "
                           "revocation")
        elif e.kind in (EventKind.CONVERSION_NUMBER, EventKind.ELECTION,
                        EventKind.REDEMPTION_NOTICE):
            checkpoints.append(note(e))
        if effect.conversion_number_after is not number and (
                effect.conversion_number_after != number):
            number = effect.conversion_number_after
            book.transactions.append({
                "object_type": "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT",
                "id": book.next_id("tx"), "date": when.isoformat(),
                "stock_class_id": SERIES_M_ID,
                "new_ratio_conversion_mechanism": _mechanism(number)})
    return book.transactions, dividends, checkpoints


def _mechanism(number: Fraction) -> dict[str, Any]:
    return {"type": "RATIO_CONVERSION", "ratio": _ratio(number),
            "conversion_price": _usd(terms.STATED_VALUE / number), "rounding_type": "FLOOR"}


def _stock_classes(series_m_seniority: int = 2) -> list[dict[str, Any]]:
    return [
        {"object_type": "STOCK_CLASS", "id": SERIES_M_ID,
         "name": "Series M Convertible Preferred Stock", "class_type": "PREFERRED",
         "default_id_prefix": "SM-", "initial_shares_authorized": str(terms.SHARES_DESIGNATED),
         "votes_per_share": numeric(terms.CONVERSION_NUMBER),
         "par_value": _usd(terms.PREFERRED_PAR_VALUE),
         "price_per_share": _usd(terms.STATED_VALUE),
         "seniority": str(series_m_seniority),
         "liquidation_preference_multiple": "1",
         "conversion_rights": [{"type": "STOCK_CLASS_CONVERSION_RIGHT",
                                "conversion_mechanism": _mechanism(terms.CONVERSION_NUMBER),
                                "converts_to_stock_class_id": COMMON_ID}],
         "comments": ["Certificate of Designation signed 2005-01-10: 5% cumulative dividends "
                      "(§2), conversion from the first anniversary (§5(a)) and the §5(e) "
                      "adjustment, which OCF cannot carry, follow from the certificate"]},
        {"object_type": "STOCK_CLASS", "id": COMMON_ID, "name": "Common Stock",
         "class_type": "COMMON", "default_id_prefix": "CS-",
         "initial_shares_authorized": "NOT APPLICABLE", "votes_per_share": "1",
         "par_value": _usd(terms.COMMON_PAR_VALUE), "seniority": "1"},
    ]


def documents(state: CapTableState, issuer: Issuer, stack: Stack = (),
              classes: LedgerClasses | None = None) -> dict[str, bytes]:
    """Every file of the package (file name -> bytes), each validated against its schema;
    with the classes of ``stack`` (see :mod:`xl_seriesm.ocf.stack`), or with ``classes``,
    a ledger's events of the other classes, the stack table of their terms and their state
    at the as-of date (see :mod:`xl_seriesm.ocf.class_ledger`)."""
    if issuer.formation_date is None:
        raise OcfError("--to-ocf needs --formation-date YYYY-MM-DD: OCF requires the "
                         "issuer's formation date, which the ledger does not record")
    first = min((effect.event.date for effect in state.applied), default=None)
    if first is not None and issuer.formation_date > first:
        raise OcfError(f"--formation-date {issuer.formation_date}: after the ledger's first "
                       f"event ({first}); the issuer was formed before it issued shares")
    names: list[str] = []
    for effect in state.applied:
        for name in (effect.event.holder, effect.event.to_holder):
            if name and name not in names:
                names.append(name)
    for event in classes.events if classes else ():
        for name in (event.holder, event.to_holder):
            if event.date <= state.as_of and name and name not in names:
                names.append(name)
    ids = {name: f"holder-{index}" for index, name in enumerate(names, start=1)}
    ids[EVERYONE_ELSE] = "everyone-else"
    stakeholders = [{"object_type": "STAKEHOLDER", "id": ids[name], "name": {"legal_name": name},
                     "stakeholder_type": "INSTITUTION",
                     "comments": ["type not recorded by the ledger"]}
                    for name in [*names, EVERYONE_ELSE]]
    transactions, dividends, checkpoints = _transactions(state.applied, ids)
    count = itertools.count(1)

    def next_id(kind: str) -> str:
        return f"{kind}-{next(count)}"

    skip: frozenset[str] = frozenset()
    if classes is not None:
        stack, skip = classes.terms, classes.state.carried
        transactions += class_transactions(classes.events, stack, classes.state, ids,
                                           transactions, numeric, _usd, next_id)
    stakeholders += ocf_stack.stakeholder([c for c in stack if c.name not in skip])
    others, series_m_seniority = ocf_stack.stack_classes(stack, COMMON_ID, numeric, _usd)
    transactions += ocf_stack.stack_transactions(stack, state.as_of, numeric, _usd, next_id,
                                                 skip)
    bodies = {
        FILES["stakeholders"]: {"file_type": "OCF_STAKEHOLDERS_FILE", "items": stakeholders},
        FILES["stock_classes"]: {"file_type": "OCF_STOCK_CLASSES_FILE",
                                 "items": _stock_classes(series_m_seniority) + others},
        FILES["transactions"]: {"file_type": "OCF_TRANSACTIONS_FILE", "items": transactions},
    }
    # Each file is checked as the writer built it (text, whole numbers, lists and dicts:
    # what its JSON text reads back as, which a test holds), before it is encoded.
    for name, body in bodies.items():
        validate(body, name)
    out = {name: json_text(body, ensure_ascii=False).encode() + b"\n"
           for name, body in bodies.items()}
    manifest: dict[str, Any] = {
        "ocf_version": OCF_VERSION, "file_type": "OCF_MANIFEST_FILE",
        "issuer": {"object_type": "ISSUER", "id": "issuer", "legal_name": issuer.legal_name,
                   "formation_date": issuer.formation_date.isoformat(),
                   "country_of_formation": issuer.country_of_formation,
                   "country_subdivision_of_formation": issuer.country_subdivision_of_formation},
        "as_of": state.as_of.isoformat(),
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "comments": ["Written by xl-seriesm from a ledger of events; dividends paid are in "
                     "dividends.csv (OCF v1.2.0 has no dividend transaction)", *checkpoints],
        **{f"{kind}_files": [] for kind in ("stock_plans", "stock_legend_templates",
                                            "vesting_terms", "valuations")},
        **{f"{kind}_files": [{"filepath": name, "md5": hashlib.md5(out[name]).hexdigest()}]
           for kind, name in FILES.items()},
    }
    validate(manifest, "Manifest.ocf.json")
    out["Manifest.ocf.json"] = json_text(manifest, ensure_ascii=False).encode() + b"\n"
    if dividends:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["date", "event", "holder", "amount"])
        writer.writerows([[for_spreadsheet(field) for field in row] for row in dividends])
        out["dividends.csv"] = text.getvalue().encode()
    return out


@without_cycle_collection()
def write_package(state: CapTableState, issuer: Issuer, out: Path, force: bool,
                  stack: Stack = (), classes: LedgerClasses | None = None) -> Path:
    """Write the package: a folder, or a zip when ``out`` ends in .zip; all or nothing."""
    files = documents(state, issuer, stack, classes)
    if out.suffix.lower() == ".zip":
        raw = io.BytesIO()
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return write_atomically(out, raw.getvalue(), force)
    return write_folder(out, files, force)
