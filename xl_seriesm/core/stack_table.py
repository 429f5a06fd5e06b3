"""The stack table (issue 20): a header row, then one row per class besides the Series M
and the common, read from a spreadsheet range or a CSV file's rows, each bad cell refused
naming its row, its column and what is allowed (:func:`parse_stack`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import checks, errors
from xl_seriesm.core.numbers import exact
from xl_seriesm.core.stack import (
    COMMON,
    SERIES_M,
    Kind,
    Participation,
    Stack,
    StackClass,
)

_KIND_ALIASES = {"preferred": Kind.PREFERRED, "preferredstock": Kind.PREFERRED,
                 "preference": Kind.PREFERRED, "option": Kind.OPTION, "options": Kind.OPTION,
                 "warrant": Kind.WARRANT, "warrants": Kind.WARRANT}
_PARTICIPATION_ALIASES = {"none": Participation.NONE, "no": Participation.NONE,
                          "nonparticipating": Participation.NONE,
                          "full": Participation.FULL, "participating": Participation.FULL,
                          "fullyparticipating": Participation.FULL,
                          "capped": Participation.CAPPED}

# --- the stack table -------------------------------------------------------------------------

#: The stack table's columns, in their usual order.
COLUMNS = ("class", "kind", "shares", "preference", "seniority", "participation", "cap",
           "conversion_ratio", "strike")
_REQUIRED = ("class", "kind", "shares")
_COLUMN_ALIASES = {"name": "class", "classname": "class", "ratio": "conversion_ratio",
                   "conversionratio": "conversion_ratio", "exerciseprice": "strike",
                   "strikeprice": "strike", "capmultiple": "cap", "type": "kind"}


def column_key(text: str) -> str:
    """The stack table's column a header cell names, or "" when it names none."""
    key = "".join(text.strip().lower().replace("_", " ").split())
    for name in COLUMNS:
        if name.replace("_", "") == key:
            return name
    return _COLUMN_ALIASES.get(key, "")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _zero(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


#: Columns where no valid value is 0: read from a spreadsheet, a 0 there is an empty cell
#: (xlwings Lite on the desktop passes empty cells as 0).
_ZERO_IS_EMPTY = frozenset({"class", "kind", "seniority", "participation", "cap",
                            "conversion_ratio"})


#: A number typed as text: digits, commas only between thousands, a point before the
#: decimals, an exponent of at most two digits; a leading $ allowed. "1,50" (a European
#: decimal comma) is not one: read as 150 it would be a silent wrong number. At most 15
#: digits before the point, as a spreadsheet keeps.
_NUMBER_TEXT = re.compile(r"[+-]?\$?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?"
                          r"(?:[eE][+-]?\d{1,2})?")
_MOST_DIGITS = 15


def _text_number(text: str) -> Fraction | None:
    """The number a text cell holds, or None when it is not one (see :data:`_NUMBER_TEXT`)."""
    compact = text.strip().replace(" ", "")
    match = _NUMBER_TEXT.fullmatch(compact)
    if not match or not any(ch.isdigit() for ch in compact) or compact.endswith("."):
        return None
    if len((match["whole"] or "").replace(",", "")) > _MOST_DIGITS:
        return None
    number = Fraction(compact.replace(",", "").replace("$", ""))
    return number if abs(number) < 10**_MOST_DIGITS else None


class _Cell:
    """Reads one row's cells, each error naming where, the column and what is allowed."""

    def __init__(self, where: str, cells: dict[str, object], zero_is_empty: bool) -> None:
        self.where = where
        self.cells = cells
        self.zero_is_empty = zero_is_empty

    def fail(self, column: str, allowed: str,
             code: errors.ErrorCode = errors.ErrorCode.NUM) -> errors.SeriesMError:
        value = self.cells.get(column)
        if _blank(value):
            value = None  # an empty cell, however it came
        elif isinstance(value, str):
            number = _text_number(value)
            if number is not None:  # a number in a text file, echoed as the number
                value = number
        return errors.table_cell(self.where, column, value, allowed, code)

    def given(self, column: str) -> bool:
        value = self.cells.get(column)
        if self.zero_is_empty and column in _ZERO_IS_EMPTY and _zero(value):
            return False
        return not _blank(value)

    def number(self, column: str) -> Fraction:
        value = self.cells.get(column)
        if isinstance(value, str):
            text = value.strip()
            if column == "cap" and text[-1:] in ("x", "X", "×"):
                text = text[:-1]
            number = _text_number(text)
            if number is None:
                raise self.fail(column, "not a number; use digits, a point before the "
                                "decimals and commas only between thousands (1,000,000.50)",
                                errors.ErrorCode.VALUE)
            return number
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
            raise self.fail(column, "not a number; use a number", errors.ErrorCode.VALUE)
        try:
            return exact(value, column)
        except errors.SeriesMError:
            raise self.fail(column, "not a finite number; use a number",
                            errors.ErrorCode.VALUE) from None

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        return value.strip() if isinstance(value, str) else errors.echo(value)

    def not_for(self, column: str, kind: str) -> None:
        if self.given(column) and not _zero(self.cells.get(column)):
            raise self.fail(column, f"does not apply to {kind}; leave it empty",
                            errors.ErrorCode.VALUE)


def table_rows(stack: Stack) -> list[list[object]]:
    """The stack table as a spreadsheet range holds it, header first: each class's numbers
    as a cell's doubles, its kind and participation as text, a column that does not apply
    to its kind empty. :func:`parse_stack` reads it back to ``stack``.

    >>> table_rows(parse_stack([["class", "kind", "shares", "strike"],
    ...                         ["Options", "option", 10_000_000, "0.10"]]))[1]
    ['Options', 'option', 10000000.0, None, None, None, None, None, 0.1]
    """
    rows: list[list[object]] = [list(COLUMNS)]
    for c in stack:
        preferred = c.kind is Kind.PREFERRED
        rows.append([c.name, c.kind.value, float(c.shares),
                     float(c.preference) if preferred else None,
                     c.seniority if preferred else None,
                     c.participation.value if preferred else None,
                     float(c.cap) if preferred and c.cap is not None else None,
                     float(c.conversion_ratio) if preferred else None,
                     None if preferred else float(c.strike)])
    return rows


def parse_stack(rows: Sequence[Sequence[object]], source: str = "stack",
                first_row: int = 1, row_word: str = "row",
                zero_is_empty: bool = False) -> Stack:
    """The stack table: a header row, then one row per class besides the Series M and the
    common. Columns (any order; case, spaces and underscores ignored): ``class``, ``kind``
    (preferred, option, warrant), ``shares``, ``preference`` (dollars per share, preferred),
    ``seniority`` (1 = first after the Series M; default 1), ``participation`` (none, full,
    capped; default none), ``cap`` (capped only: the total per share as a multiple of the
    preference, at least 1), ``conversion_ratio`` (common per share, default 1) and
    ``strike`` (options and warrants). Empty rows are skipped; an empty table is no stack.
    With ``zero_is_empty`` (a range from a spreadsheet) a 0 where no valid value is 0 is an
    empty cell; a 0 in a column that does not apply to the row's kind is always ignored.
    Errors name the ``source``, the row (``first_row`` is the header's number; ``row_word``
    "line" for a file), the column and what is allowed.

    >>> stack = parse_stack([["Class", "Kind", "Shares", "Preference", "Strike"],
    ...                      ["Series L", "preferred", 1_000_000, 1, None],
    ...                      ["Options", "option", "10,000,000", "", "$0.10"]])
    >>> [(c.name, c.kind.value, c.total_preference, c.strike) for c in stack]
    [('Series L', 'preferred', Fraction(1000000, 1), Fraction(0, 1)), \
('Options', 'option', Fraction(0, 1), Fraction(1, 10))]
    """
    table = [list(row) for row in rows]
    while table and all(_blank(cell) or (zero_is_empty and _zero(cell)) for cell in table[0]):
        table.pop(0)
        first_row += 1
    if not table:
        return ()
    header: list[str] = []
    for number, cell in enumerate(table[0], start=1):
        if _blank(cell) or (zero_is_empty and _zero(cell)):
            header.append("")
            continue
        key = column_key(str(cell)) if isinstance(cell, str) else ""
        if not key:
            raise errors.table_cell(f"{source} {row_word} {first_row}", f"column {number}",
                                    cell, "not a column of the stack table; use "
                                    + ", ".join(COLUMNS), errors.ErrorCode.VALUE)
        if key in header:
            raise errors.table_cell(f"{source} {row_word} {first_row}", f"column {number}",
                                    cell, f"a second {key} column; give each column once",
                                    errors.ErrorCode.VALUE)
        header.append(key)
    for name in _REQUIRED:
        if name not in header:
            raise errors.table_cell(f"{source} {row_word} {first_row}", "header",
                                    list(table[0]), f"no {name} column; the stack table "
                                    "needs " + ", ".join(_REQUIRED), errors.ErrorCode.VALUE)
    found: list[StackClass] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(table[1:], start=1):
        number = first_row + offset
        cells = {key: row[i] if i < len(row) else None for i, key in enumerate(header) if key}
        extra = [row[i] for i in range(len(row)) if (i >= len(header) or not header[i])
                 and not _blank(row[i]) and not (zero_is_empty and _zero(row[i]))]
        where = f"{source} {row_word} {number}"
        if extra:
            raise errors.table_cell(where, "a column with no header", extra[0],
                                    "give the column a header or leave it empty",
                                    errors.ErrorCode.VALUE)
        if all(_blank(value) or (zero_is_empty and _zero(value)) for value in cells.values()):
            continue
        found.append(_parse_row(_Cell(where, cells, zero_is_empty), seen, number))
    return tuple(found)


def _parse_row(cell: _Cell, seen: dict[str, int], number: int) -> StackClass:
    if not cell.given("class"):
        raise cell.fail("class", "required; give the class a name", errors.ErrorCode.VALUE)
    name = cell.text("class")
    key = " ".join(name.lower().split())
    if key in (SERIES_M.lower(), COMMON.lower()):
        raise cell.fail("class", f"{SERIES_M} and {COMMON} are always in the stack; list "
                        "only the other classes", errors.ErrorCode.VALUE)
    if key in seen:
        raise cell.fail("class", f"also the class of row {seen[key]}; give each class once",
                        errors.ErrorCode.VALUE)
    seen[key] = number
    if not cell.given("kind"):
        raise cell.fail("kind", "required; use preferred, option or warrant",
                        errors.ErrorCode.VALUE)
    try:
        kind = checks.choice(cell.cells["kind"], Kind, _KIND_ALIASES, "kind")
    except errors.SeriesMError:
        raise cell.fail("kind", "use preferred, option or warrant",
                        errors.ErrorCode.VALUE) from None
    if not cell.given("shares"):
        raise cell.fail("shares", "required; give the number of shares",
                        errors.ErrorCode.VALUE)
    shares = cell.number("shares")
    if shares <= 0:
        raise cell.fail("shares", "must be more than 0")
    if kind is not Kind.PREFERRED:
        for column in ("preference", "seniority", "participation", "cap", "conversion_ratio"):
            cell.not_for(column, "options and warrants (one common share each, at the strike)")
        if not cell.given("strike"):
            raise cell.fail("strike", f"required for {kind.value}s; give the exercise price "
                            "per common share", errors.ErrorCode.VALUE)
        strike = cell.number("strike")
        if strike < 0:
            raise cell.fail("strike", "must be 0 or more")
        return StackClass(name, kind, shares, strike=strike)
    cell.not_for("strike", "preferred classes")
    if not cell.given("preference"):
        raise cell.fail("preference", "required for a preferred class; give its "
                        "liquidation preference in dollars per share", errors.ErrorCode.VALUE)
    preference = cell.number("preference")
    if preference < 0:
        raise cell.fail("preference", "must be 0 or more")
    seniority = 1
    if cell.given("seniority"):
        value = cell.number("seniority")
        if value.denominator != 1 or value < 1:
            raise cell.fail("seniority", "must be a whole number, 1 or more (1 = first after "
                            "the Series M)")
        seniority = int(value)
    participation = Participation.NONE
    if cell.given("participation"):
        try:
            participation = checks.choice(cell.cells["participation"], Participation,
                                          _PARTICIPATION_ALIASES, "participation")
        except errors.SeriesMError:
            raise cell.fail("participation", "use none, full or capped",
                            errors.ErrorCode.VALUE) from None
    cap = None
    if participation is Participation.CAPPED:
        if not cell.given("cap"):
            raise cell.fail("cap", "required for capped participation; give the total per "
                            "share as a multiple of the preference (e.g. 3)",
                            errors.ErrorCode.VALUE)
        cap = cell.number("cap")
        if cap < 1:
            raise cell.fail("cap", "must be 1 or more (a multiple of the preference)")
    else:
        cell.not_for("cap", "a class that is not capped")
    ratio = Fraction(1)
    if cell.given("conversion_ratio"):
        ratio = cell.number("conversion_ratio")
        if ratio <= 0:
            raise cell.fail("conversion_ratio", "must be more than 0")
    return StackClass(cell.text("class"), kind, shares, preference, seniority, participation,
                      cap, ratio)


