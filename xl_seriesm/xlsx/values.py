"""What a cell of a computed book holds, as the file format stores it: a number, a boolean,
a text, an Excel error value or nothing. The engine and the cached-value writer share these
(:mod:`xl_seriesm.engine` re-exports them under their earlier names).
"""

from __future__ import annotations

from typing import NamedTuple


class CellError(NamedTuple):
    """An Excel error value (#DIV/0!, #N/A, ...) in a cell."""

    code: str

    def __str__(self) -> str:
        return self.code


Value = float | bool | str | CellError | None
CellRef = tuple[str, str]  # (sheet title, "A1")
