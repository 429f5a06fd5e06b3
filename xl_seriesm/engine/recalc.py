"""A workbook recalculated by the warm LibreOffice: the value of every formula cell."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xl_seriesm.engine import CellError, CellRef, Value
from xl_seriesm.engine.book import Book, column_runs, for_libreoffice
from xl_seriesm.engine.office import Engine
from xl_seriesm.xlsx import cellrefs

#: LibreOffice's codes for a circular reference (522) and an iteration that never settles.
CIRCULAR_CODES = frozenset({522, 523})
CIRCULAR = CellError("#CIRCULAR!")  # what regress shows; never written into a file
#: LibreOffice's own error codes without an Excel text, as Excel would show them.
_EXCEL_CODE = {502: "#NUM!", 503: "#NUM!", 504: "#VALUE!", 532: "#DIV/0!", 519: "#VALUE!",
               524: "#REF!", 525: "#NAME?", 32767: "#N/A", 521: "#NULL!"}


def _value(raw: object) -> Value:
    if isinstance(raw, dict):
        code = int(raw.get("error", 0))
        if code in CIRCULAR_CODES:
            return CIRCULAR
        text = str(raw.get("text", ""))
        return CellError(text if text.startswith("#") else _EXCEL_CODE.get(code, "#VALUE!"))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    return raw if isinstance(raw, str) else None


def recalculate(book: Book, engine: Engine, seconds: float) -> dict[CellRef, Value]:
    """Every formula cell of ``book`` as LibreOffice computes it now."""
    from xl_seriesm.libreoffice.extension import calc_names  # noqa: PLC0415

    ranges = {s.title: column_runs(list(s.formulas)) for s in book.sheets if s.formulas}
    if not ranges:
        return {}
    data = for_libreoffice(book.path, [s.part for s in book.sheets], calc_names())
    computed = engine.compute(data, ranges, seconds)
    values: dict[CellRef, Value] = {}
    for title, areas in ranges.items():
        for area, grid in zip(areas, computed.values[title], strict=True):
            column, row = cellrefs.split(area.split(":")[0])
            for i, cells in enumerate(grid):
                for j, raw in enumerate(cells):
                    values[(title, f"{cellrefs.letters(column + j)}{row + i}")] = _value(raw)
    return values


def circular_cells(values: dict[CellRef, Value]) -> list[str]:
    return [f"{sheet}!{ref}" for (sheet, ref), v in values.items() if v == CIRCULAR]


_idle: list[Engine] = []
_lock = threading.Lock()


@contextmanager
def borrowed(memory_bytes: int | None, sandboxed: bool = True) -> Iterator[Engine]:
    """A warm engine for the length of a job: one kept from an earlier job of this process
    when there is one (so a test session or a folder pays the start once per worker)."""
    with _lock:
        engine = _idle.pop() if _idle else Engine()
    engine.memory_bytes = memory_bytes
    engine.sandboxed = sandboxed
    try:
        yield engine
    finally:
        with _lock:
            _idle.append(engine)


@atexit.register
def close_all() -> None:
    with _lock:
        while _idle:
            _idle.pop().close()


def calculate(path: Path, seconds: float = 120.0) -> dict[CellRef, Value]:
    """Every formula cell of the workbook at ``path`` as the warm LibreOffice computes it
    (no preflight, no outside-read check: for workbooks this package wrote; in the sandbox
    where bubblewrap works here)."""
    from xl_seriesm.engine import sandbox  # noqa: PLC0415
    from xl_seriesm.engine.book import read  # noqa: PLC0415

    with borrowed(None, sandbox.works() is None) as engine:
        return recalculate(read(path), engine, seconds)
