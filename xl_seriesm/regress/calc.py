"""``seriesm calc``: compute a workbook's formulas and save them with their values cached,
as Excel would, so that pandas, a previewer or a spreadsheet with recalculation off shows
the numbers.

Computed by the warm LibreOffice (:mod:`xl_seriesm.engine`). Refused, with the cells named
and nothing written: a cell that would read outside the file, a circular reference (Excel
would show 0 or an old value; an empty or made-up figure must never be written), a book
with a data connection or a query, a book past a limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xl_seriesm.regress.safety import Limits, RefusedError, preflight
from xl_seriesm.xlsx.cache import with_cached_values
from xl_seriesm.xlsx.files import write_atomically

if TYPE_CHECKING:
    from xl_seriesm.engine.office import Engine


def default_output(source: Path) -> Path:
    return source.with_name(f"{source.stem}-calc{source.suffix}")


def _named(cells: list[str], most: int = 5) -> str:
    shown = ", ".join(cells[:most])
    return shown + (f" and {len(cells) - most} more" if len(cells) > most else "")


def computed_copy(source: Path, limits: Limits) -> bytes:
    """The bytes of ``source`` with every formula's computed value cached."""
    from xl_seriesm.engine.recalc import borrowed  # noqa: PLC0415

    with borrowed(limits.memory_bytes, limits.sandbox) as engine:
        engine.warm_up()  # LibreOffice starts while the file is preflighted and read
        return _computed_copy(source, limits, engine)


def _computed_copy(source: Path, limits: Limits, engine: Engine) -> bytes:
    from xl_seriesm.engine import book as books  # noqa: PLC0415
    from xl_seriesm.engine.office import StoppedError  # noqa: PLC0415
    from xl_seriesm.engine.recalc import circular_cells, recalculate  # noqa: PLC0415
    from xl_seriesm.regress.runner import _stop_message  # noqa: PLC0415

    preflight(source, limits)
    try:
        book = books.read(source)
    except books.BookError as error:
        raise RefusedError(str(error)) from None
    if book.linked:
        raise RefusedError(f"{source}: has {', '.join(book.linked)}, which reads data outside "
                           "the file; refused, nothing was written")
    if book.outside:
        cells = sorted(f"{s}!{r}" for s, r in book.outside)
        first = min(book.outside)
        raise RefusedError(f"{source}: {_named(cells)} read outside the file "
                           f"({first[0]}!{first[1]}: {book.outside[first]}); refused, nothing "
                           "was written")
    try:
        values = recalculate(book, engine, limits.seconds)
    except StoppedError as stop:
        raise RefusedError(f"{_stop_message(source, stop, limits)}; nothing was written"
                           ) from None
    circular = circular_cells(values)
    if circular:
        raise RefusedError(f"{source}: a circular reference in {_named(sorted(circular))}; "
                           "nothing was written")
    return with_cached_values(source, {key: values.get(key) for key, _ in book.formula_cells()})


def calc(source: Path, target: Path | None, force: bool, limits: Limits) -> Path:
    """Write ``target`` (by default ``NAME-calc.xlsx`` beside ``source``); ``source`` is
    never written, and ``target`` is replaced only with ``force``."""
    target = target or default_output(source)
    if target.is_dir():
        raise RefusedError(f"{target}: is a folder; give the output file's name (-o)")
    if target.resolve() == source.resolve():
        raise RefusedError(f"{target}: is the input; give another output file (-o)")
    if target.exists() and not force:
        raise FileExistsError(f"{target}: already exists; use --force to replace it")
    return write_atomically(target, computed_copy(source, limits), force)
