"""The ledger CSV format: one dated event per row, read with errors that name the file, the
line, the column and the section of the certificate.

Columns (a header row names them, in any order; only ``date`` and ``event`` are required):

``date``            YYYY-MM-DD
``event``           issue, transfer, dividend, convert, redeem, common, split, outstanding,
                    holding (see :class:`xl_seriesm.core.ledger.EventKind`)
``holder``          who: the holder issued to, transferring, paid, converting, redeemed
``to_holder``       transfer: who receives
``series_m_shares`` issue, transfer, convert, redeem
``common_shares``   common: new shares; transfer: common moved; outstanding, holding: stated
``amount``          dividend: dollars paid; common: the consideration (§5(e));
                    conversion_number: the number stated (a checkpoint)
``exempt``          common: TRUE for an exempt issuance (§5(e)); default FALSE
``market_price``    convert: price of the common, to pay the fraction in cash (§5(h))
``ratio``           split: new:old, e.g. 3:2, or 1:10 for a combination (§5(c))
``note``            free text

A file from outside is untrusted: it is read only, at most :data:`MAX_BYTES`, and nothing
in it names another file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from xl_seriesm.core import terms
from xl_seriesm.core.ledger import Event, EventKind, Place
from xl_seriesm.workbook.csvnumbers import InputError, NumberFormat, _numbers, read_as
from xl_seriesm.workbook.inputs import (
    _CONTROL,
    MAX_NAME,
    _boolean,
    _field,
    _non_negative,
    _positive,
    _rows,
    holder_name,
)

REQUIRED = ("date", "event")
OPTIONAL = ("holder", "to_holder", "series_m_shares", "common_shares", "amount", "exempt",
            "market_price", "ratio", "note")
COLUMNS = REQUIRED + OPTIONAL
#: A ledger larger than this is refused before it is read (a million rows fit easily).
MAX_BYTES = 64 * 1024 * 1024
_T = TypeVar("_T")

_KINDS = {kind.value: kind for kind in EventKind}
#: The fields each kind needs (besides date) and the section they serve.
_NEEDS: dict[EventKind, tuple[tuple[str, ...], str]] = {
    EventKind.ISSUE: (("holder", "series_m_shares"), "§1"),
    EventKind.TRANSFER: (("holder", "to_holder"), "§1"),
    EventKind.DIVIDEND: (("amount",), "§2"),
    EventKind.CONVERT: (("holder", "series_m_shares"), "§5(a)"),
    EventKind.REDEEM: (("holder", "series_m_shares"), "§6(a)"),
    EventKind.COMMON: (("common_shares",), "§5(e)"),
    EventKind.SPLIT: (("ratio",), "§5(c)"),
    EventKind.OUTSTANDING: (("common_shares",), "§5(e)"),
    EventKind.HOLDING: (("holder", "common_shares"), "§5(e)"),
    EventKind.CONVERSION_NUMBER: (("amount",), "§5(b)"),
}
_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?::|-for-|for|/)\s*(\d+(?:\.\d+)?)\s*$", re.I)


def _date(text: str) -> date:
    value = date.fromisoformat(text)
    if not date(1900, 3, 1) <= value <= date(9998, 12, 31):
        raise ValueError(text)
    return value


def _cents(text: str, number_format: NumberFormat = NumberFormat.US) -> Fraction:
    value = _positive(text, number_format)
    if (value * 100).denominator != 1:
        raise ValueError(text)
    return value


def _ratio(text: str) -> tuple[Fraction, Fraction]:
    match = _RATIO.match(text)
    if not match or not float(match[1]) or not float(match[2]):
        raise ValueError(text)
    return Fraction(match[1]), Fraction(match[2])


def _name(path: Path, line: int, column: str, text: str) -> str:
    text = holder_name(text, f"{path} line {line}, column {column}")
    if _CONTROL.search(text) or len(text) > MAX_NAME:
        raise InputError(f"{path} line {line}, column {column}: {text[:40]!r} has control "
                         f"characters or more than {MAX_NAME:,} characters")
    return text


#: The columns that hold numbers, read one way for the whole file.
NUMERIC = ("series_m_shares", "common_shares", "amount", "market_price")


def read_events(path: Path, number_format: NumberFormat | None = None) -> tuple[Event, ...]:
    """The events of a ledger CSV, each checked for its own fields (the certificate's checks
    that need the whole ledger are :func:`xl_seriesm.core.ledger.check`). The numbers are
    read one way for the whole file: ``number_format``, or detected from the file."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if not path.is_file():
        raise InputError(f"{path}: not a file; give the ledger CSV")
    if size > MAX_BYTES:
        raise InputError(f"{path}: {size:,} bytes, more than the {MAX_BYTES:,} a ledger may "
                         "have")
    events: list[Event] = []
    rows = list(_rows(path, REQUIRED, OPTIONAL))
    numbers = _numbers(path, rows, NUMERIC, number_format)
    for line, row in rows:
        if not events:
            unknown = [c for c in row if c and c not in COLUMNS]
            if unknown:
                raise InputError(f"{path} line 1: unknown column {unknown[0]!r}; the columns "
                                 f"are {','.join(COLUMNS)}")
        events.append(_event(path, line, row, numbers))
    if not events:
        raise InputError(f"{path}: no events; add one row per event below the header")
    return tuple(events)


def _event(path: Path, line: int, row: dict[str, str], numbers: NumberFormat) -> Event:
    def get(column: str) -> str:
        return row.get(column, "")

    def parse(column: str, how: Callable[..., _T], allowed: str) -> _T:
        if column in NUMERIC:
            return _field(path, line, column, get(column),
                          lambda t: how(t, numbers),
                          allowed + read_as(numbers, get(column)))
        return _field(path, line, column, get(column), how, allowed)

    when = parse("date", _date, "a date YYYY-MM-DD (1900-03-01 to 9998-12-31)")
    word = get("event").strip().lower()
    if word not in _KINDS:
        raise InputError(f"{path} line {line}, column event: {get('event')!r} is not an event; "
                         f"use one of {', '.join(_KINDS)}")
    kind = _KINDS[word]
    needs, section = _NEEDS[kind]
    for column in needs:
        if not get(column):
            raise InputError(f"{path} line {line}, column {column}: empty; a {kind.value} event "
                             f"needs it ({section})")
    fields: dict[str, object] = {}
    for column in ("holder", "to_holder"):
        if get(column):
            fields[column] = _name(path, line, column, get(column))
    if kind is EventKind.TRANSFER and fields.get("holder") == fields.get("to_holder"):
        raise InputError(f"{path} line {line}, column to_holder: {get('to_holder')!r} is the "
                         "holder itself; a transfer needs two holders")
    if get("series_m_shares"):
        shares = parse("series_m_shares", _positive, "a number of Series M shares above 0")
        if shares > terms.SHARES_DESIGNATED:
            raise InputError(f"{path} line {line}, column series_m_shares: {get('series_m_shares')}"
                             f" is more than the {terms.SHARES_DESIGNATED:,} designated (§1)")
        fields["series_m_shares"] = shares
    if get("common_shares"):
        how = _non_negative if kind in (EventKind.OUTSTANDING, EventKind.HOLDING) else _positive
        fields["common_shares"] = parse("common_shares", how, "a number of common shares "
                                        + ("(0 or more)" if how is _non_negative else "above 0"))
    if kind is EventKind.TRANSFER and not (get("series_m_shares") or get("common_shares")):
        raise InputError(f"{path} line {line}, column series_m_shares: empty; a transfer moves "
                         "series_m_shares, common_shares or both")
    if get("amount"):
        if kind is EventKind.DIVIDEND:
            fields["amount"] = parse("amount", _cents, "dollars above 0 in whole cents")
        elif kind is EventKind.CONVERSION_NUMBER:
            fields["amount"] = parse("amount", _positive, "a conversion number above 0")
        else:
            fields["amount"] = parse("amount", _non_negative, "dollars (0 or more)")
    elif kind is EventKind.COMMON:
        raise InputError(f"{path} line {line}, column amount: empty; a common issuance needs "
                         "its consideration in dollars (0 for none) (§5(e)(i))")
    if get("exempt"):
        fields["exempt"] = parse("exempt", _boolean, "TRUE or FALSE")
    if get("market_price"):
        fields["market_price"] = parse("market_price", _non_negative, "a price (0 or more)")
    if get("ratio"):
        fields["ratio"] = parse("ratio", _ratio, "new:old shares, e.g. 3:2 or 1:10")
    return Event(when, kind, note=get("note"), place=Place(str(path), line),
                 **fields)  # type: ignore[arg-type]
