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
from collections.abc import Callable, Iterator
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from xl_seriesm.captable.class_events import is_class_row, parse_row
from xl_seriesm.core import terms
from xl_seriesm.core.ledger import CheckedEvents, Event, EventKind, Place
from xl_seriesm.core.ledger_classes import ClassEvent
from xl_seriesm.workbook.csvnumbers import (
    InputError,
    NumberFormat,
    detect_number_format,
    read_as,
)
from xl_seriesm.workbook.inputs import (
    _CONTROL,
    MAX_NAME,
    DateFormat,
    _boolean,
    _date_field,
    _field,
    _non_negative,
    _positive,
    _table,
    holder_name,
    parse_date,
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


#: Parses are kept by text (a ledger repeats a few thousand dates, names and numbers over
#: its rows); a text that fails is not kept, so its row's error names its own line.
_SEEN = 1 << 16


@lru_cache(maxsize=_SEEN)
def _date_text(text: str, date_format: str) -> date:
    value = parse_date(text, DateFormat(date_format))
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(text)
    return value


def _date(path: Path, line: int, column: str, text: str, date_format: DateFormat) -> date:
    try:
        return _date_text(text, date_format._value_)
    except ValueError:
        pass
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


@lru_cache(maxsize=_SEEN)
def _name_text(text: str) -> str | None:
    """The name kept for ``text``, or None when :func:`_name` refuses it."""
    try:
        name = holder_name(text, "")
    except InputError:
        return None
    return None if _CONTROL.search(name) or len(name) > MAX_NAME else name


def _name(path: Path, line: int, column: str, text: str) -> str:
    name = _name_text(text)
    if name is not None:
        return name
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
    header, lines = _table(path, REQUIRED, OPTIONAL)
    rows = list(lines)
    numbers = detect_number_format(path, _numeric_cells(header, rows), number_format)
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown and rows:
        raise InputError(f"{path} line 1: unknown column {unknown[0]!r}; the columns are "
                         f"{','.join(COLUMNS)}")
    quick = _quick_reader(path, header, numbers, date_format)
    for line, values in rows:
        cells = list(map(str.strip, values))
        cells.append("")  # what a column the file lacks reads
        event = quick(line, cells)
        if event is not None:
            events.append(event)
            continue
        # Anything unusual (another class's row, a cell to refuse): read by name, the slow
        # and thorough way, whose errors name the line, the column and what is allowed.
        row = dict(zip(header, cells, strict=False))  # the width checked by _table
        if is_class_row(row):
            when = _date(path, line, "date", row.get("date", ""), date_format)
            events.append(parse_row(path, line, row, when, numbers))
            continue
        events.append(_event(path, line, row, numbers, date_format))
    if not events:
        raise InputError(f"{path}: no events; add one row per event below the header")
    if any(isinstance(e, ClassEvent) for e in events):
        return tuple(events)
    # Each row was checked as validate() would check its event: a replay need not again.
    return CheckedEvents(cast(list[Event], events))


def _numeric_cells(header: list[str],
                   rows: list[tuple[int, list[str]]]) -> Iterator[tuple[int, str, str]]:
    """(line, column, text) of the numeric cells, each text only where it first appears
    (all the detection of the number format reads)."""
    at = [(column, header.index(column)) for column in NUMERIC if column in header]
    seen: set[str] = set()
    for line, values in rows:
        for column, index in at:
            text = values[index]
            if text and text not in seen:
                seen.add(text)
                text = text.strip()
                if text:
                    yield line, column, text


@lru_cache(maxsize=_SEEN)
def _number_text(how: Callable[..., object], text: str, numbers: str) -> object:
    """``how(text)`` read the file's way (the format by its word: an Enum hashes slowly)."""
    value = how(text, NumberFormat(numbers))
    if how is _series_m and value > terms.SHARES_DESIGNATED:  # type: ignore[operator]
        raise ValueError(text)  # the caller says why
    return value


def _series_m(text: str, number_format: NumberFormat = NumberFormat.US) -> Fraction:
    return _positive(text, number_format)


def _event(path: Path, line: int, row: dict[str, str], numbers: NumberFormat,
           date_format: DateFormat = DateFormat.US) -> Event:
    get = row.get  # every cell is looked up once: this runs for each of a ledger's rows
    fmt = numbers._value_  # the word, read without Enum's descriptor

    def parse(column: str, text: str, how: Callable[..., _T], allowed: str) -> _T:
        if column in NUMERIC:
            try:
                return cast(_T, _number_text(how, text, fmt))
            except (ValueError, ArithmeticError):
                pass
            return _field(path, line, column, text, lambda t: how(t, numbers),
                          allowed + read_as(numbers, text))
        return _field(path, line, column, text, how, allowed)

    when = _date(path, line, "date", get("date", ""), date_format)
    written = get("event", "")
    word = written.strip().lower()
    found = _KINDS.get(word)
    if found is None:
        raise InputError(f"{path} line {line}, column event: {written!r} is not an event; "
                         f"use one of {', '.join(_KINDS)}")
    kind = found
    needs, section = _NEEDS_BY_WORD[word]
    for column in needs:
        if not get(column):
            article = "an" if word[0] in "aeiou" else "a"
            raise InputError(f"{path} line {line}, column {column}: empty; {article} "
                             f"{word} event needs it ({section})")
    fields: dict[str, object] = {}
    holder, to_holder = get("holder", ""), get("to_holder", "")
    if holder:
        fields["holder"] = _name(path, line, "holder", holder)
    if to_holder:
        fields["to_holder"] = _name(path, line, "to_holder", to_holder)
    transfer = word == "transfer"
    if transfer and fields.get("holder") == fields.get("to_holder"):
        raise InputError(f"{path} line {line}, column to_holder: {to_holder!r} is the "
                         "holder itself; a transfer needs two holders")
    series_m, common, amount = (get("series_m_shares", ""), get("common_shares", ""),
                                get("amount", ""))
    if series_m:
        try:  # the usual case: a text already read, at most the shares designated
            shares = cast(Fraction, _number_text(_series_m, series_m, fmt))
        except (ValueError, ArithmeticError):
            shares = parse("series_m_shares", series_m, _series_m,
                           "a number of Series M shares above 0")
        if shares > terms.SHARES_DESIGNATED:
            raise InputError(f"{path} line {line}, column series_m_shares: {series_m}"
                             f" is more than the {terms.SHARES_DESIGNATED:,} designated (§1)")
        fields["series_m_shares"] = shares
    if common:
        how = _non_negative if word in ("outstanding", "holding") else _positive
        fields["common_shares"] = parse("common_shares", common, how, "a number of common "
                                        "shares " + ("(0 or more)" if how is _non_negative
                                                     else "above 0"))
    if transfer and not (series_m or common):
        raise InputError(f"{path} line {line}, column series_m_shares: empty; a transfer moves "
                         "series_m_shares, common_shares or both")
    if amount:
        if word == "dividend":
            fields["amount"] = parse("amount", amount, _cents, "dollars above 0 in whole cents")
        elif word == "conversion_number":
            fields["amount"] = parse("amount", amount, _positive,
                                     "a conversion number above 0")
        else:
            fields["amount"] = parse("amount", amount, _non_negative, "dollars (0 or more)")
    elif word == "common":
        raise InputError(f"{path} line {line}, column amount: empty; a common issuance needs "
                         "its consideration in dollars (0 for none) (§5(e)(i))")
    for column, reader, allowed in _REST:
        text = get(column)
        if text:
            fields[column] = parse(column, text, reader, allowed)
    effective = get("effective_date")
    if effective:
        fields["effective_date"] = _date(path, line, "effective_date", effective, date_format)
    return Event(when, kind, note=get("note", ""), place=Place(str(path), line),
                 **fields)  # type: ignore[arg-type]


#: The optional cells read the same way whatever the event.
_REST: tuple[tuple[str, Callable[..., object], str], ...] = (
    ("exempt", _boolean, "TRUE or FALSE"),
    ("market_price", _non_negative, "a price (0 or more)"),
    ("ratio", _ratio, "new:old shares, e.g. 3:2 or 1:10"))
#: :data:`_NEEDS` by the word of the ``event`` column (a str key hashes faster than an Enum).
_NEEDS_BY_WORD = {kind.value: needs for kind, needs in _NEEDS.items()}


#: The dataclass's own defaults, the very objects (a replay knows the 1:1 ratio by identity).
_DEFAULT: dict[str, Any] = {f: Event.__dataclass_fields__[f].default
                            for f in Event.__dataclass_fields__}
#: Each field's slot, in the order of the fields.
_SLOTS = tuple(Event.__dict__[f].__set__ for f in Event.__dataclass_fields__)


def _new_event() -> Callable[..., Event]:
    """A maker of an :class:`Event` from all its fields in order, each stored in its slot
    (a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, at
    twice the cost; a reader makes one per row): the same event, ``==`` the one the class
    makes."""
    (s_date, s_kind, s_holder, s_to, s_series_m, s_common, s_amount, s_exempt, s_price,
     s_ratio, s_note, s_place, s_effective) = _SLOTS
    new = object.__new__
    at_source, at_line = Place.__dict__["source"].__set__, Place.__dict__["line"].__set__

    def make(when: date, kind: EventKind, holder: str, to_holder: str, series_m: Fraction,
             common: Fraction, amount: Fraction, exempt: bool, price: Fraction | None,
             ratio: tuple[Fraction, Fraction], note: str, source: str, line: int,
             effective: date | None) -> Event:
        place = new(Place)  # Place(source, line), by its slots too
        at_source(place, source)
        at_line(place, line)
        event = new(Event)
        s_date(event, when)
        s_kind(event, kind)
        s_holder(event, holder)
        s_to(event, to_holder)
        s_series_m(event, series_m)
        s_common(event, common)
        s_amount(event, amount)
        s_exempt(event, exempt)
        s_price(event, price)
        s_ratio(event, ratio)
        s_note(event, note)
        s_place(event, place)
        s_effective(event, effective)
        return event

    return make


def _quick_reader(path: Path, header: list[str], numbers: NumberFormat,
                  date_format: DateFormat) -> Callable[[int, list[str]], Event | None]:
    """The reading of a Series M row in the usual case, by the columns' positions (``cells``
    stripped, with one empty cell added at the end for the absent columns), each text
    parsed once for the whole file. It gives the event :func:`_event` would give, or None
    for anything else (another class's row, a cell to refuse), which :func:`_event` then
    reads and refuses with its message."""
    width = len(header)

    def at(column: str) -> int:  # an absent column reads the empty cell added at the end
        return header.index(column) if column in header else width

    (i_date, i_event, i_holder, i_to, i_series_m, i_common, i_amount, i_exempt, i_price,
     i_ratio, i_note, i_effective, i_class, i_shares, i_strike) = map(at, COLUMNS)
    needs = {word: tuple(map(at, columns)) for word, (columns, _) in _NEEDS_BY_WORD.items()}
    source, fmt, date_word = str(path), numbers._value_, date_format._value_
    no_series_m, no_common, no_amount, no_price, one_for_one = (
        _DEFAULT["series_m_shares"], _DEFAULT["common_shares"], _DEFAULT["amount"],
        _DEFAULT["market_price"], _DEFAULT["ratio"])
    # What each text reads as, by the way it is read; a text refused is not kept.
    dates: dict[str, date] = {}
    names: dict[str, str] = {}
    series_ms: dict[str, Fraction] = {}
    read: dict[Callable[..., object], dict[str, Fraction]] = {
        how: {} for how in (_positive, _non_negative, _cents)}
    amount_how = {"dividend": _cents, "conversion_number": _positive}
    common_how = {"outstanding": _non_negative, "holding": _non_negative}
    make = _new_event()

    def number(how: Callable[..., object], text: str) -> Fraction:
        value = _number_text(how, text, fmt)
        read[how][text] = cast(Fraction, value)
        return cast(Fraction, value)

    def name(text: str) -> str:
        found = _name_text(text)
        if found is None:
            raise ValueError(text)
        names[text] = found
        return found

    def quick(line: int, cells: list[str]) -> Event | None:
        if cells[i_class] or cells[i_shares] or cells[i_strike]:
            return None
        word = cells[i_event].lower()
        kind = _KINDS.get(word)
        if kind is None:
            return None
        for index in needs[word]:
            if not cells[index]:
                return None
        try:
            text = cells[i_date]
            when = dates.get(text)
            if when is None:
                when = dates[text] = _date_text(text, date_word)
            holder = cells[i_holder]
            if holder:
                holder = names.get(holder) or name(holder)
            to_holder = cells[i_to]
            if to_holder:
                to_holder = names.get(to_holder) or name(to_holder)
            text = cells[i_series_m]
            if text:
                series_m = series_ms.get(text)
                if series_m is None:
                    series_m = series_ms[text] = cast(
                        Fraction, _number_text(_series_m, text, fmt))
            else:
                series_m = no_series_m
            text = cells[i_common]
            if text:
                how = common_how.get(word, _positive)
                common = read[how].get(text) or number(how, text)
            else:
                common = no_common
            text = cells[i_amount]
            if text:
                how = amount_how.get(word, _non_negative)
                amount = read[how].get(text) or number(how, text)
            elif word == "common":
                return None
            else:
                amount = no_amount
            text = cells[i_exempt]
            exempt = _boolean(text) if text else False
            text = cells[i_price]
            price = number(_non_negative, text) if text else no_price
            text = cells[i_ratio]
            ratio = _ratio(text) if text else one_for_one
            text = cells[i_effective]
            effective = _date_text(text, date_word) if text else None
        except (ValueError, ArithmeticError):
            return None
        if word == "transfer" and (holder == to_holder or not (series_m or common)):
            return None
        return make(when, kind, holder, to_holder, series_m, common, amount, exempt, price,
                    ratio, cells[i_note], source, line, effective)

    return quick
