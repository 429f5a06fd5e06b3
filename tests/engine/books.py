"""Small workbooks the engine tests build: one sheet named Sheet, its cells, optionally the
values cached in it and defined names."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from xl_seriesm.xlsx.cache import with_cached_values


def book(path: Path, cells: dict[str, object], cached: dict[str, object] | None = None,
         names: dict[str, str] | None = None) -> Path:
    """Write the book to ``path``: ``cells`` by reference, ``cached`` values stored as a
    saved workbook holds them, ``names`` as defined names."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet"
    for ref, value in cells.items():
        sheet[ref] = value
    for name, text in (names or {}).items():
        workbook.defined_names[name] = DefinedName(name, attr_text=text)
    workbook.save(path)
    if cached is not None:
        path.write_bytes(with_cached_values(path, {("Sheet", r): v for r, v in cached.items()}))
    return path
