"""What an OCF package could hold that would stop the reading with a Python error, refused
first with the file, the item and the field named: an impossible date, an oversized number,
a control character, and two items with one id (a second stakeholder with a holder's id
would take her shares; two issuances of one security lose one)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from xl_seriesm.ocf.schema_check import OcfError

#: Digits a number of a package may have before its decimal point: a quadrillion shares or
#: dollars is past any cap table; a 5,000-digit one would cost minutes (or Python's limit on
#: integer text) in every figure computed from it.
MAX_DIGITS = 15
#: The fields the ledger reads numbers from, and its dates' range (the ledger's own).
_NUMBERS = frozenset({"quantity", "quantity_converted", "amount", "numerator", "denominator"})
FIRST_DAY, LAST_DAY = date(1900, 3, 1), date(9998, 12, 31)


def screen(value: object, where: str, key: str = "") -> None:
    """Refuse, naming the item and the field, what would otherwise stop the reading with a
    Python error: an impossible date, a number past :data:`MAX_DIGITS`, a NUL or another
    control character in a text. A field's path is spelled out only for a refusal: a
    package of 10,000 transactions has some 250,000 fields."""
    if isinstance(value, dict):
        for name, inner in value.items():
            if isinstance(inner, str):
                read = _READ.get(name)
                if read is None:
                    read = _read_field(name)
                if read or _CONTROL.search(inner):
                    _text(inner, where, f"{key}.{name}" if key else str(name))
            elif isinstance(inner, dict | list):
                screen(inner, where, f"{key}.{name}" if key else str(name))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            if isinstance(inner, str):
                if _CONTROL.search(inner):
                    _text(inner, where, f"{key}[{index}]")
            elif isinstance(inner, dict | list):
                screen(inner, where, f"{key}[{index}]")
    elif isinstance(value, str):
        _text(value, where, key)


#: A control character other than tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The fields whose text :func:`_text` reads beyond the control characters.
_CHECKED = _NUMBERS | {"date"}
#: Whether :func:`_text` reads a field's text beyond the control characters, by the field's
#: name, for the first few thousand names met (a package repeats a few dozen).
_READ: dict[str, bool] = {}


def _read_field(name: str) -> bool:
    field = name.rsplit(".", 1)[-1]
    read = field in _CHECKED or field.endswith("_date")
    if len(_READ) < 4096:
        _READ[name] = read
    return read


def _text(value: str, where: str, key: str) -> None:
    field = key.rsplit(".", 1)[-1]
    if _CONTROL.search(value):
        raise OcfError(f"{where}: {key} holds a control character (such as NUL) "
                       f"{value[:40]!r}; refused")
    if field == "date" or field.endswith("_date"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None or not FIRST_DAY <= day <= LAST_DAY:
            raise OcfError(f"{where}: {key} {value[:40]!r} is not a date from "
                           f"{FIRST_DAY} to {LAST_DAY} (YYYY-MM-DD)")
    elif field in _NUMBERS:
        whole = value.lstrip("+-").split(".", 1)[0]
        if len(whole) > MAX_DIGITS:
            raise OcfError(f"{where}: {key} has {len(whole):,} digits before the point "
                           f"({value[:20]}...); at most {MAX_DIGITS} are read")


def unique_ids(kind: str, entries: list[tuple[str, dict[str, Any]]], field: str = "id") -> None:
    """Refuse two items of one kind with one id, naming both (a second stakeholder with a
    holder's id would take her shares; two issuances of one security lose one)."""
    seen: dict[str, str] = {}
    for where, item in entries:
        key = item.get(field)
        if not isinstance(key, str):
            continue
        if key in seen:
            raise OcfError(f"{where}: {field} {key!r} is already the {field} of {seen[key]}; "
                           f"each of the {kind} needs its own, refused")
        seen[key] = where
