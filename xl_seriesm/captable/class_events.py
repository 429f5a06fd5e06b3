"""Rows of the ledger CSV for the classes besides the Series M and the common (a ``class``,
``shares`` and, for options and warrants, a ``strike``), read into
:class:`~xl_seriesm.core.ledger_classes.ClassEvent`, each bad cell refused naming the file,
the line, the column and what is allowed. Whether the class exists and what it may do is
checked against the stack table when the ledger is replayed
(:func:`xl_seriesm.core.ledger_classes.replay`).

Columns an event of another class uses: ``date``, ``event`` (issue, transfer, grant,
exercise, cancel; also cancellation, forfeit, forfeiture, expire), ``class``, ``holder``,
``to_holder`` (transfer), ``shares`` (shares, options or warrants), ``strike`` (options and
warrants), ``exempt`` (exercise: its common exempt under §5(e)(i)) and ``note``; any other
column filled in is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from xl_seriesm.core.ledger_classes import ONLY_CLASS_WORDS, WORDS, ClassEvent
from xl_seriesm.core.ledger_events import Place
from xl_seriesm.workbook.csvnumbers import InputError, NumberFormat, read_as
from xl_seriesm.workbook.inputs import (
    _CONTROL,
    MAX_NAME,
    _boolean,
    _field,
    _non_negative,
    _positive,
    holder_name,
)

#: The ledger's columns for other classes (the Series M's events leave them empty).
COLUMNS = ("class", "shares", "strike")
#: The columns of the Series M's events, which an event of another class leaves empty.
_SERIES_M_ONLY = ("series_m_shares", "common_shares", "amount", "market_price", "ratio",
                  "effective_date")
_T = TypeVar("_T")


def is_class_row(row: dict[str, str]) -> bool:
    """Whether a row is an event of another class: it names a class, a count of its shares
    or a strike, or uses a word only those events use."""
    return bool(row.get("class") or row.get("shares") or row.get("strike")
                or row.get("event", "").strip().lower() in ONLY_CLASS_WORDS)


def parse_row(path: Path, line: int, row: dict[str, str], when: date,
              numbers: NumberFormat) -> ClassEvent:
    """One row of another class, its date already read."""
    def get(column: str) -> str:
        return row.get(column, "").strip()

    def where(column: str) -> str:
        return f"{path} line {line}, column {column}"

    def parse(column: str, how: Callable[..., _T], allowed: str) -> _T:
        return _field(path, line, column, get(column), lambda t: how(t, numbers),
                      allowed + read_as(numbers, get(column)))

    word = get("event").lower()
    if not get("class"):
        if word in ONLY_CLASS_WORDS:
            raise InputError(f"{where('class')}: empty; a {word} is of another class's "
                             "shares, options or warrants: name the class as the stack "
                             "table does")
        column = "strike" if get("strike") else "shares"
        raise InputError(f"{where(column)}: {get(column)!r} on a row with no class (the "
                         f"Series M's or the common's {word or 'event'}): {column} is for "
                         "the events of another class; name the class, or leave it empty "
                         "(the Series M's and the common's counts are series_m_shares and "
                         "common_shares)")
    if word not in WORDS:
        raise InputError(f"{where('event')}: {get('event')!r} is not an event of another "
                         f"class ({get('class')!r}); use issue, transfer, grant, exercise or "
                         "cancel")
    for column in _SERIES_M_ONLY:
        if get(column):
            raise InputError(f"{where(column)}: {get(column)!r} does not apply to an event of "
                             f"another class ({get('class')!r}); give the count in shares "
                             "and leave it empty")
    names = {}
    for column in ("class", "holder", "to_holder"):
        text = get(column)
        if text:
            names[column] = holder_name(text, where(column))
            if _CONTROL.search(names[column]) or len(names[column]) > MAX_NAME:
                raise InputError(f"{where(column)}: {text[:40]!r} has control characters or "
                                 f"more than {MAX_NAME:,} characters")
    if not get("shares"):
        raise InputError(f"{where('shares')}: empty; a {word} of {names['class']} needs the "
                         "number of shares, options or warrants")
    shares = parse("shares", _positive, "a number of shares above 0")
    strike = (parse("strike", _non_negative, "a strike in dollars per common share (0 or more)")
              if get("strike") else None)
    exempt = None
    if get("exempt"):
        exempt = _field(path, line, "exempt", get("exempt"), _boolean, "TRUE or FALSE")
    return ClassEvent(when, WORDS[word], names["class"], names.get("holder", ""), shares,
                      strike, names.get("to_holder", ""), exempt, get("note"),
                      Place(str(path), line))
