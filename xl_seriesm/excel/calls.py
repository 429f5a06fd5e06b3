"""How an Excel call becomes a core call: read each argument by its spec, broadcast ranges
one cell at a time, and turn results and errors into values a cell can hold.
"""

from __future__ import annotations

import gc
import numbers
from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from typing import Any, NamedTuple

from xl_seriesm.core import errors
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.explain import active as explaining
from xl_seriesm.excel import values
from xl_seriesm.excel.spec import Arg, Function, Kind

_READERS: dict[Kind, Callable[[object, str], object]] = {
    Kind.NUMBER: values.number,
    Kind.INTEGER: values.whole_number,
    Kind.DATE: values.day,
    Kind.MOMENT: values.moment,
    Kind.BOOLEAN: values.boolean,
    Kind.DATES: values.date_set,
    Kind.LABEL: values.text,
    Kind.TABLE: values.stack_table,
    Kind.SPLITS: values.split_rows,
    Kind.ANY: lambda value, arg: value,
}

Grid = list[list[object]]

#: Arguments that take a whole range as one value (not one answer per cell).
_WHOLE_RANGES = frozenset({Kind.DATES, Kind.TABLE, Kind.SPLITS})


def _is_zero(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == 0


_EXCEL_ERRORS = frozenset(code.value for code in errors.ErrorCode)


def read(arg: Arg, value: object) -> Any:
    """One argument's value in the core's terms; an empty cell gives the default, and a
    cell holding an Excel error passes that error on (classic xlwings hands it over as its
    text, ``err_to_str``)."""
    if isinstance(value, str) and value in _EXCEL_ERRORS:
        raise errors.error_in_cell(arg.name, value)
    if values.is_empty(value) or (arg.zero_is_empty and _is_zero(value)):
        if arg.may_be_empty:
            return None
        if not arg.optional:
            raise errors.required(arg.name)
        if arg.default is None:
            return None
        value = arg.default
    if arg.kind is Kind.CHOICE:
        assert arg.parse is not None
        return arg.parse(value, arg.name)
    return _READERS[arg.kind](value, arg.name)


def single(value: object) -> object:
    """The value of a one-cell range (how xlwings passes a cell with ``ndim=2``)."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def is_range(value: object) -> bool:
    """Not a single value (a one-cell range, ``[[x]]``, is a single value)."""
    if not isinstance(value, (list, tuple)):
        return False
    if len(value) != 1:
        return True  # several rows, or an empty range (refused by cells_of)
    first = value[0]
    return isinstance(first, (list, tuple)) and len(first) != 1


def cells_of(arg: str, value: Sequence[object]) -> tuple[list[object], int, int]:
    """The cells of a range row by row, with its rows and columns; a flat list is a column."""
    if not value:
        raise errors.bad_range(arg, "with no cells")
    if isinstance(value[0], (list, tuple)):
        if not all(issubclass(kind, (list, tuple)) for kind in set(map(type, value))):
            raise errors.bad_range(arg, "mixing rows and single cells")
        widths = set(map(len, value))  # type: ignore[arg-type]
        if len(widths) != 1:
            raise errors.bad_range(arg, "with rows of different lengths")
        width = widths.pop()
        if width == 0:
            raise errors.bad_range(arg, "with no cells")
        return list(chain.from_iterable(value)), len(value), width  # type: ignore[arg-type]
    if any(isinstance(c, (list, tuple)) for c in value):
        raise errors.bad_range(arg, "mixing rows and single cells")
    return list(value), len(value), 1


def ranges_of(function: Function, raw: Mapping[str, object]) -> dict[str, list[object]]:
    """The array arguments given as ranges, as flat lists of cells; one length for all."""
    found: dict[str, list[object]] = {}
    for arg in function.args:
        value = raw[arg.name]
        if arg.kind in _WHOLE_RANGES or not is_range(value):
            continue
        if not arg.array:
            raise errors.not_single(arg.name, value)
        assert isinstance(value, (list, tuple))
        cells, rows, columns = cells_of(arg.name, value)
        if rows > 1 and columns > 1:
            raise errors.not_a_column(arg.name, rows, columns)
        found[arg.name] = cells
    lengths = {name: len(cells) for name, cells in found.items()}
    if len(set(lengths.values())) > 1:
        raise errors.unequal_lengths(lengths)
    return found


def output_shape(function: Function, raw: Mapping[str, object]) -> tuple[int, int]:
    """The shape of the first range argument, which the result takes."""
    for arg in function.args:
        value = raw[arg.name]
        if arg.array and is_range(value):
            assert isinstance(value, (list, tuple))
            if isinstance(value[0], (list, tuple)):
                return len(value), len(value[0])
            return len(value), 1
    return 1, 1


def reshape(cells: list[object], rows: int, columns: int) -> Grid:
    """The cells as ``rows`` rows of ``columns``.

    The garbage collector is paused while the rows are made: a row is a new list, and
    100,000 of them would set off collections that walk every object the process holds
    (the rows hold results only, so they cannot form a cycle to collect)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        if columns == 1:
            return [[cell] for cell in cells]
        return [cells[r * columns:(r + 1) * columns] for r in range(rows)]
    finally:
        if collecting:
            gc.enable()


def row_error(error: SeriesMError, function: Function, index: int, columns: int) -> str:
    """An error said of one cell of an array call (``shares row 3 = -5: ...``)."""
    where = f"row {index + 1}" if columns == 1 else f"cell {index + 1}"
    message = error.message
    name = message.split(" = ", 1)[0]
    if " = " in message and name in function.arg_names:
        return f"{error.code} {name} {where}{message[len(name):]}"
    return f"{error.code} {where}: {message}"


def elementwise(function: Function, raw: Mapping[str, object],
                kernel: Callable[..., object]) -> object:
    """Call ``kernel`` once per distinct row of the range arguments (or once, for single
    values) and return one result per cell in the range's shape. An error in one cell shows in
    that cell only."""
    found = ranges_of(function, raw)
    scalars = {a.name: read(a, single(raw[a.name])) for a in function.args
               if a.name not in found}
    if not found:
        return values.to_excel(kernel(**scalars))
    rows, columns = output_shape(function, raw)
    seen = Seen(function, kernel, scalars, found, columns)
    return reshape(seen.cells(), rows, columns)


class _Failed(NamedTuple):
    error: SeriesMError


class Seen:
    """The cells of an array call, each distinct row computed once.

    A column of 20,000 rows usually holds far fewer distinct values (one closing date, a few
    share counts); the core is a pure function of the values read, so a row equal to an
    earlier one (same values of the same types: ``True`` is not ``1``) gets the earlier row's
    result, or its error said of this row. Not while a call is being explained, where each
    row's steps are recorded.
    """

    def __init__(self, function: Function, kernel: Callable[..., object],
                 scalars: Mapping[str, Any], found: Mapping[str, list[object]],
                 columns: int) -> None:
        self.function, self.kernel, self.scalars = function, kernel, scalars
        self.found, self.columns = found, columns
        self.remembered: dict[object, object] | None = None if explaining() else {}
        self._keys: list[object] | None = None

    def keys(self) -> list[object]:
        """Each row's values with their types, built a column at a time."""
        if self._keys is None:
            found = list(self.found.values())
            if all(len(set(map(type, cells))) == 1 for cells in found):
                # One type a column (a column of floats): the values are the keys.
                self._keys = found[0] if len(found) == 1 else list(zip(*found, strict=True))
            else:
                typed = [zip(map(type, cells), cells, strict=True) for cells in found]
                self._keys = list(zip(*typed, strict=True))
        return self._keys

    def cells(self) -> list[object]:
        """Every cell of the call: its value, or its error text."""
        count = len(next(iter(self.found.values())))
        if self.remembered is None:
            return [self._text(index, self._compute(index)) for index in range(count)]
        keys = self.keys()
        try:
            first = dict(zip(reversed(keys), range(count - 1, -1, -1), strict=True))
        except TypeError:  # an unhashable cell: every row on its own
            return [self._text(index, self._compute(index)) for index in range(count)]
        remembered = {key: self._compute(index) for key, index in first.items()}
        found = list(map(remembered.__getitem__, keys))
        if any(type(result) is _Failed for result in remembered.values()):
            found = [self._text(index, result) for index, result in enumerate(found)]
        return found

    def cell(self, index: int) -> object:
        """One cell of the call: its value, or its error text."""
        if self.remembered is None:
            return self._text(index, self._compute(index))
        key = self.keys()[index]
        try:
            known = self.remembered.get(key)
        except TypeError:  # an unhashable cell: computed on its own
            return self._text(index, self._compute(index))
        if known is None:
            known = self.remembered[key] = self._compute(index)
        return self._text(index, known)

    def _text(self, index: int, result: object) -> object:
        if type(result) is _Failed:
            return row_error(result.error, self.function, index, self.columns)
        return result

    def _compute(self, index: int) -> object:
        try:
            row_args = {name: read(self.function.arg(name), cells[index])
                        for name, cells in self.found.items()}
            return values.to_excel(self.kernel(**self.scalars, **row_args))
        except SeriesMError as error:
            failure = error
        except (ArithmeticError, ValueError) as error:  # a result past what a cell holds
            failure = errors.out_of_reach(self.function.name, error)
        # Kept without its traceback: thousands of remembered errors holding their frames
        # would cost the garbage collector more than computing them.
        return _Failed(SeriesMError(failure.code, failure.message))


def read_all(function: Function, raw: Mapping[str, object]) -> dict[str, Any]:
    """Every argument read as a single value (for functions that take no ranges)."""
    for arg in function.args:
        if arg.kind not in _WHOLE_RANGES and is_range(raw[arg.name]):
            raise errors.not_single(arg.name, raw[arg.name])
    return {a.name: read(a, single(raw[a.name])) for a in function.args}
