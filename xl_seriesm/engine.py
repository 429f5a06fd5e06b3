"""Computing a workbook's formulas without Excel.

``SERIESM_*`` calls go to this package's own Excel functions; Excel's built-ins go to the
``formulas`` engine (the only maintained pure-Python Excel engine, see shared/ENGINES.md),
with its known departures from Excel corrected here: ROUND, ROUNDUP and ROUNDDOWN work on
the binary value (ROUND(1.005, 2) gives 1.0 where Excel gives 1.01), YEARFRAC and DAYS360
mishandle February's end, and WORKDAY fails on a start date that is not a business day.
Those are replaced by Excel's rules.

The engine behaves as Excel with the classic add-in: a ``SERIESM_*`` error is the text the
cell shows (``#NUM! shares = ...``), and an error cell passed to a ``SERIESM_*`` function
arrives as its text (xlwings' ``err_to_str``), which the function passes on. Excel's own
errors are :class:`CellError`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from xl_seriesm import cellrefs, udfs
from xl_seriesm.core.dates import from_serial, to_serial
from xl_seriesm.core.daycount import Basis, days360, yearfrac


class CellError(NamedTuple):
    """An Excel error value (#DIV/0!, #N/A, ...) in a cell."""

    code: str

    def __str__(self) -> str:
        return self.code


Value = float | bool | str | CellError | None
CellRef = tuple[str, str]  # (sheet title, "A1")

_KEY = re.compile(r"^'(?:.*[/\\])?\[(?P<book>[^\]]+)\](?P<sheet>.*)'!"
                  r"(?P<ref>\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$")


class EngineError(RuntimeError):
    """The formula engine could not load or compute a workbook."""


def _plain(value: Any) -> Any:
    """A value from the engine as Python: numpy scalars unwrapped, empty cells None."""
    import formulas  # noqa: PLC0415
    import schedula  # noqa: PLC0415

    if value is schedula.EMPTY:
        return None
    if isinstance(value, formulas.XlError):
        return CellError(str.__str__(value))
    if isinstance(value, np.generic):
        return value.item()
    return value


def _argument(value: Any) -> Any:
    """An argument as classic xlwings passes it: a range as a list of lists (ndim=2), an
    error cell as its text (err_to_str)."""
    if isinstance(value, np.ndarray):
        return [[_as_passed(v) for v in row] for row in np.atleast_2d(value).tolist()]
    return _as_passed(value)


def _as_passed(value: Any) -> Any:
    if isinstance(value, _Missing):
        return None  # xlwings passes an argument left out, f(a,,c), as its default
    plain = _plain(value)
    return plain.code if isinstance(plain, CellError) else plain


class _Missing(int):
    """An argument left out between commas: 0 to Excel's built-ins (ROUND(1.5,) is
    ROUND(1.5, 0)), "not given" to the SERIESM_* functions, as in Excel."""

    def __repr__(self) -> str:
        return "MISSING"


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return float(to_serial(value.date())) + (value - dt.datetime.combine(
            value.date(), dt.time())).total_seconds() / 86_400
    if isinstance(value, dt.date):
        return float(to_serial(value))
    if value is None:
        return ""
    return value


def _seriesm(function: Callable[..., Any]) -> Callable[..., Any]:
    """A SERIESM_* function as the engine calls it."""

    def call(*args: Any) -> Any:
        result = function(*(_argument(a) for a in args))
        if isinstance(result, list):
            return np.array([[_cell_value(v) for v in row] for row in result], dtype=object)
        return _cell_value(result)

    call.__name__ = function.__name__
    return call


def _decimal_round(mode: str) -> Callable[[float, float], float]:
    def round_(number: float, digits: float = 0) -> float:
        # Excel rounds the number it shows (15 significant digits), not its binary value.
        shown = Decimal(f"{number:.15g}")
        return float(shown.quantize(Decimal(1).scaleb(-int(digits)), rounding=mode))
    return round_


def _serial_date(serial: float) -> dt.date:
    return from_serial(int(serial))


def _yearfrac(start: float, end: float, basis: float = 0) -> float:
    return float(yearfrac(_serial_date(start), _serial_date(end), Basis(int(basis))))


def _days360(start: float, end: float, method: Any = False) -> float:
    return float(days360(_serial_date(start), _serial_date(end), bool(method)))


@cache
def register() -> None:
    """Make the engine know the SERIESM_* functions and Excel's own rounding and day counts
    (once per process; ``formulas`` keeps one registry)."""
    import formulas  # noqa: PLC0415
    from formulas.functions import wrap_func, wrap_ufunc  # noqa: PLC0415
    from formulas.tokens import operand  # noqa: PLC0415

    # formulas compiles an argument left out as a plain 0, which the SERIESM_* functions
    # would take as a given 0 (a conversion number of 0) instead of their default.
    missing = _Missing(0)
    operand.Empty.compile = staticmethod(lambda: missing)
    registry = formulas.get_functions()
    for name in udfs.__all__:
        wrapped = wrap_func(_seriesm(getattr(udfs, name)))
        registry[name] = wrapped
        registry[f"_XLUDF.{name}"] = wrapped  # how Excel saves a function it could not find
    registry["ROUND"] = wrap_ufunc(_decimal_round(ROUND_HALF_UP))
    registry["ROUNDUP"] = wrap_ufunc(_decimal_round(ROUND_UP))
    registry["ROUNDDOWN"] = wrap_ufunc(_decimal_round(ROUND_DOWN))
    registry["YEARFRAC"] = wrap_ufunc(_yearfrac)
    registry["DAYS360"] = wrap_ufunc(_days360)


def calculate(path: Path, sheets: Iterable[str]) -> dict[CellRef, Value]:
    """Every formula cell's value as computed now, by (sheet title, cell)."""
    import formulas  # noqa: PLC0415
    import schedula  # noqa: PLC0415

    titles = {title.upper(): title for title in sheets}
    awkward = [title for title in titles.values() if "'" in title]
    if awkward:
        # formulas turns every reference to such a sheet into #REF!: refuse, never guess.
        raise EngineError(f"{path}: sheet {awkward[0]!r} has an apostrophe in its name, which "
                          "the formula engine cannot reference; rename the sheet")
    os.environ.setdefault("TQDM_DISABLE", "1")  # formulas draws a progress bar on stderr
    register()
    with tempfile.TemporaryDirectory(prefix="seriesm-engine-") as folder:
        # formulas reads the file name into every reference: "[" or "]" in it breaks them.
        plain = Path(folder) / "workbook.xlsx"
        shutil.copyfile(path, plain)
        try:
            solution = formulas.ExcelModel().loads(str(plain)).finish().calculate()
        except Exception as error:
            raise EngineError(f"{path}: the formula engine could not compute it "
                              f"({type(error).__name__}: {error})") from error
    found: dict[CellRef, Value] = {}
    # Ranges first, so that single cells (more specific) win.
    keys = sorted((k for k in solution if isinstance(k, str)
                   and not isinstance(k, schedula.utils.dsp.Token)),
                  key=lambda key: ":" not in key)
    for key in keys:
        match = _KEY.match(key)
        if not match or match["sheet"] not in titles:
            continue
        sheet = titles[match["sheet"]]
        value = solution[key]
        grid = np.asarray(getattr(value, "value", [[value]]), dtype=object)
        grid = np.atleast_2d(grid)
        col, row = cellrefs.split(match["ref"].partition(":")[0])
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                found[(sheet, f"{cellrefs.letters(col + j)}{row + i}")] = _plain(grid[i, j])
    return found
