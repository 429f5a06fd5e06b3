"""The ledger CSV format: one dated event per row, read with errors that name the file, the
line, the column and the section of the certificate.

Columns (a header row names them, in any order; only ``date`` and ``event`` are required):

``date``            YYYY-MM-DD, or M/D/YYYY (D/M/YYYY with ``date_format`` day-first)
``event``           issue, transfer, dividend, convert, redeem, common, split, outstanding,
                    holding, conversion_number, redemption_notice, revoke, election (see
                    :class:`xl_seriesm.core.ledger.EventKind`)
``holder``          who: the holder issued to, transferring, paid, converting, redeemed,
                    receiving a redemption notice, revoking, electing
``to_holder``       transfer: who receives
``series_m_shares`` issue, transfer, convert, redeem; redemption_notice: shares called;
                    revoke: the shares converted (optional); election: shares electing
                    (default: the whole holding)
``common_shares``   common: new shares; transfer: common moved; outstanding, holding: stated
``amount``          dividend: dollars paid; common: the consideration (§5(e));
                    conversion_number: the number stated (a checkpoint)
``exempt``          common: TRUE for an exempt issuance (§5(e)); default FALSE
``market_price``    convert: price of the common, to pay the fraction in cash (§5(h))
``ratio``           split: new:old, e.g. 3:2, or 1:10 for a combination (§5(c))
``note``            free text
``effective_date``  election: the date the transaction takes effect (§3(c))
``class``, ``shares``, ``strike``  the events of the other classes of the capital stack
                    (:mod:`xl_seriesm.captable.class_events`); empty for the Series M's

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

from xl_seriesm.captable.class_events import is_class_row, parse_row
from xl_seriesm.core import terms
from xl_seriesm.core.ledger import Event, EventKind, Place
from xl_seriesm.core.ledger_classes import ClassEvent
from xl_seriesm.workbook.csvnumbers import InputError, NumberFormat, _numbers, read_as
from xl_seriesm.workbook.inputs import (
    _CONTROL,
    MAX_NAME,
    DateFormat,
    _boolean,
    _date_field,
    _field,
    _non_negative,
    _positive,
    _rows,
    holder_name,
)

REQUIRED = ("date", "event")
OPTIONAL = ("holder", "to_holder", "series_m_shares", "common_shares", "amount", "exempt",
            "market_price", "ratio", "note", "effective_date", "class", "shares", "strike")
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
    EventKind.REDEMPTION_NOTICE: (("holder", "series_m_shares"), "§6(a)"),
    EventKind.REVOKE: (("holder",), "§5(f)"),
    EventKind.ELECTION: (("holder", "effective_date"), "§3(c)"),
}
_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?::|-for-|for|/)\s*(\d+(?:\.\d+)?)\s*$", re.I)


FIRST_DATE, LAST_DATE = date(1900, 3, 1), date(9998, 12, 31)


def _date(path: Path, line: int, column: str, text: str, date_format: DateFormat) -> date:
    value = _date_field(path, line, column, text, date_format)
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InputError(f"{path} line {line}, column {column}: {text!r} is not a date from "
                         f"{FIRST_DATE} to {LAST_DATE}")
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
NUMERIC = ("series_m_shares", "common_shares", "amount", "market_price", "shares", "strike")


def read_events(path: Path, number_format: NumberFormat | None = None,
                date_format: DateFormat = DateFormat.US) -> tuple[Event, ...]:
    """The Series M's events of a ledger CSV (:func:`read_ledger`), refusing a row of
    another class: its exercises issue common, which only its stack table can say."""
    entries = read_ledger(path, number_format, date_format)
    for entry in entries:
        if isinstance(entry, ClassEvent):
            raise InputError(f"{entry.place.at('class')}: {entry.stock_class!r}: an event of "
                             "another class; `seriesm captable --stack` reads those (the "
                             "stack table gives the class's terms)")
    return entries  # type: ignore[return-value]


def read_ledger(path: Path, number_format: NumberFormat | None = None,
                date_format: DateFormat = DateFormat.US) -> tuple[Event | ClassEvent, ...]:
    """The events of a ledger CSV, the other classes' too, each checked for its own fields
    (the certificate's checks that need the whole ledger are
    :func:`xl_seriesm.core.ledger.check`). The numbers are
    read one way for the whole file: ``number_format``, or detected from the file. Dates
    written with slashes are read month first (US) unless ``date_format`` is day-first; a
    date that cannot be read that way is refused naming the option that reads it."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if not path.is_file():
        raise InputError(f"{path}: not a file; give the ledger CSV")
    if size > MAX_BYTES:
        raise InputError(f"{path}: {size:,} bytes, more than the {MAX_BYTES:,} a ledger may "
                         "have")
    events: list[Event | ClassEvent] = []
    rows = list(_rows(path, REQUIRED, OPTIONAL))
    numbers = _numbers(path, rows, NUMERIC, number_format)
    for line, row in rows:
        if not events:
            unknown = [c for c in row if c and c not in COLUMNS]
            if unknown:
                raise InputError(f"{path} line 1: unknown column {unknown[0]!r}; the columns "
                                 f"are {','.join(COLUMNS)}")
        if is_class_row(row):
            when = _date(path, line, "date", row.get("date", ""), date_format)
            events.append(parse_row(path, line, row, when, numbers))
            continue
        events.append(_event(path, line, row, numbers, date_format))
    if not events:
        raise InputError(f"{path}: no events; add one row per event below the header")
    return tuple(events)


def _event(path: Path, line: int, row: dict[str, str], numbers: NumberFormat,
           date_format: DateFormat = DateFormat.US) -> Event:
    def get(column: str) -> str:
        return row.get(column, "")

    def parse(column: str, how: Callable[..., _T], allowed: str) -> _T:
        if column in NUMERIC:
            return _field(path, line, column, get(column),
                          lambda t: how(t, numbers),
                          allowed + read_as(numbers, get(column)))
        return _field(path, line, column, get(column), how, allowed)

    when = _date(path, line, "date", get("date"), date_format)
    word = get("event").strip().lower()
    if word not in _KINDS:
        raise InputError(f"{path} line {line}, column event: {get('event')!r} is not an event; "
                         f"use one of {', '.join(_KINDS)}")
    kind = _KINDS[word]
    needs, section = _NEEDS[kind]
    for column in needs:
        if not get(column):
            article = "an" if kind.value[0] in "aeiou" else "a"
            raise InputError(f"{path} line {line}, column {column}: empty; {article} "
                             f"{kind.value} event needs it ({section})")
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
    if get("effective_date"):
        fields["effective_date"] = _date(path, line, "effective_date", get("effective_date"),
                                         date_format)
    return Event(when, kind, note=get("note"), place=Place(str(path), line),
                 **fields)  # type: ignore[arg-type]
