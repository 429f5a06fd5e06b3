"""Comparing a recalculated template with the core's figures, cell by cell."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import NamedTuple

from xl_seriesm.core.dates import to_serial
from xl_seriesm.workbook.base import Kind, Workbook

#: Money to half a cent; other numbers to a relative 1e-9 (a spreadsheet keeps 15 digits).
MONEY_TOLERANCE = 0.005
RELATIVE_TOLERANCE = 1e-9


class Difference(NamedTuple):
    sheet: str
    ref: str
    expected: object
    found: object

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}: expected {self.expected!r}, found {self.found!r}"


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        return float(to_serial(value.date()))
    if isinstance(value, dt.date):
        return float(to_serial(value))
    return None


def same(kind: Kind, expected: object, found: object) -> bool:
    """Whether a cell's value is the core's figure, within the cell kind's tolerance."""
    if isinstance(expected, bool) or isinstance(found, bool):
        return expected is found or (isinstance(found, (int, float)) and found == expected)
    want, got = _number(expected), _number(found)
    if want is not None and got is not None:
        if kind is Kind.MONEY:
            return abs(want - got) <= MONEY_TOLERANCE
        return math.isclose(want, got, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    if expected in ("", None) and found in ("", None):
        return True  # an empty text shows as an empty cell, and a file may store it as one
    return expected == found


def differences(workbook: Workbook, values: Mapping[tuple[str, str], object],
                absent: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
                ) -> list[Difference]:
    """Every computed cell whose value is not the core's figure (or is missing), apart from
    the cells ``absent`` from the flavor computed (``Workbook.native_only`` for the add-in)."""
    found = []
    for sheet, cell in workbook.computed():
        if (sheet, cell.ref) in absent:
            continue
        value = values.get((sheet, cell.ref), "<missing>")
        if not same(cell.kind, cell.expected, value):
            found.append(Difference(sheet, cell.ref, cell.expected, value))
    return found
