"""A1-style cell references, without a spreadsheet library."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache


def split(ref: str) -> tuple[int, int]:
    """Column and row numbers of "AB12" (a "$" is ignored).

    >>> split("AB12"), split("$C$3")
    ((28, 12), (3, 3))
    """
    if "$" in ref:
        ref = ref.replace("$", "")
    letters = ref.rstrip("0123456789")
    return _column_number(letters), int(ref[len(letters):])


@lru_cache(maxsize=4096)  # a workbook has few distinct columns and refers to them often
def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


@lru_cache(maxsize=4096)
def letters(column: int) -> str:
    """Column letters of a column number.

    >>> letters(1), letters(28), letters(16384)
    ('A', 'AB', 'XFD')
    """
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def cells(area: str) -> Iterator[str]:
    """The cells of "A1:B2", row by row (or the one cell of "A1").

    >>> list(cells("A1:B2"))
    ['A1', 'B1', 'A2', 'B2']
    """
    first, _, last = area.partition(":")
    col1, row1 = split(first)
    col2, row2 = split(last or first)
    for row in range(row1, row2 + 1):
        for col in range(col1, col2 + 1):
            yield f"{letters(col)}{row}"
