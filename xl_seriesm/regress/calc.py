"""``seriesm calc``: compute a workbook's formulas and save them with their values cached,
as Excel would, so that pandas, a previewer or a spreadsheet with recalculation off shows
the numbers."""

from __future__ import annotations

from pathlib import Path

from xl_seriesm.files import write_atomically
from xl_seriesm.regress.cache import with_cached_values
from xl_seriesm.regress.runner import formula_cells, isolated
from xl_seriesm.regress.safety import Limits, RefusedError, preflight


def default_output(source: Path) -> Path:
    return source.with_name(f"{source.stem}-calc{source.suffix}")


def computed_copy(source: Path, limits: Limits) -> bytes:
    """The bytes of ``source`` with every formula's computed value cached."""
    from xl_seriesm import engine  # noqa: PLC0415

    preflight(source, limits)
    titles, cells = formula_cells(source)
    values = engine.calculate(source, titles)
    return with_cached_values(source, {key: values.get(key) for key in cells})


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
    data = isolated(computed_copy, (source, limits), source, limits.seconds)
    return write_atomically(target, data, force)
