"""The decorator that makes a Python function an Excel function described by its spec entry,
for the classic xlwings add-in and xlwings Lite alike (:func:`excel_function`).

Kept apart from the functions themselves (:mod:`xl_seriesm.excel.udfs`) so that module reads
as the list of adapters it is.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from xl_seriesm.core import errors
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.explain import active as explaining
from xl_seriesm.excel import batch_calls, calls
from xl_seriesm.excel.spec import BY_NAME, CATEGORY, REQUIRED, Function, Kind

xw: Any
try:
    import xlwings as xw
except ImportError:  # the functions work from Python without xlwings
    xw = None

_F = TypeVar("_F", bound=Callable[..., Any])

def _lite_runtime() -> bool:
    """True under xlwings Lite (Pyodide in Excel) or xlwings Server, whose Office.js
    decorators build custom-function metadata and show a raised error's message on hover."""
    if xw is None:
        return False
    return sys.platform == "emscripten" or "officejs" in getattr(xw.func, "__module__", "")


def _check_signature(func: Callable[..., Any], spec: Function) -> None:
    """The Python signature must be the spec's: same names, order and defaults."""
    params = list(inspect.signature(func).parameters.values())
    names = tuple(p.name for p in params)
    if names != spec.arg_names:
        raise TypeError(f"{spec.name}: signature {names} differs from the spec {spec.arg_names}")
    for param, arg in zip(params, spec.args, strict=True):
        default = REQUIRED if param.default is inspect.Parameter.empty else param.default
        if default != arg.default:
            raise TypeError(f"{spec.name}: default of {arg.name} is {default!r}, "
                            f"the spec says {arg.default!r}")


def _to_lite(result: object) -> object:
    """Errors as xlwings Lite shows them: a raised error becomes #VALUE! with the message
    on hover; inside an array, a cell's error becomes the real error value of its code."""
    if errors.is_error_text(result):
        assert xw is not None
        raise xw.XlwingsError(str(result))
    if isinstance(result, list):
        return [[c.split(" ", 1)[0] if errors.is_error_text(c) else c for c in row]
                for row in result]
    return result


def excel_function(func: _F | None = None, *,
                   each: Callable[..., object] | None = None) -> Any:
    """Make ``func`` an Excel function described by its spec entry.

    With ``each``, the function's body is not used: every cell of its range arguments (or
    its single values) is read by the spec and handed to the core function ``each``, and the
    results come back in the range's shape. Errors become the cell's text (classic) or a real
    error value with the message on hover (Lite); an unexpected exception becomes an error
    text too, never a traceback. The xlwings decorators receive the spec's descriptions;
    array arguments are read as 2-D ranges so that a column comes back as a column.
    """
    if func is None:
        return functools.partial(excel_function, each=each)
    spec = BY_NAME[func.__name__]
    _check_signature(func, spec)
    signature = inspect.signature(func)
    lite = _lite_runtime()

    def compute(*args: Any, **kwargs: Any) -> Any:
        if each is None:
            return func(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        grid = None if explaining() else batch_calls.by_columns(spec, bound.arguments, each)
        return grid if grid is not None else calls.elementwise(spec, bound.arguments, each)

    @functools.wraps(func)
    def adapter(*args: Any, **kwargs: Any) -> Any:
        try:
            result = compute(*args, **kwargs)
        except SeriesMError as error:
            result = error.excel_text()
        except (ArithmeticError, ValueError) as error:  # a date past 9999, a number past 1e308
            result = errors.out_of_reach(spec.name, error).excel_text()
        except Exception as error:  # noqa: BLE001 - a cell must never show a traceback
            result = (f"#VALUE! {spec.name}: unexpected {type(error).__name__} ({error}); "
                      "please report it with the arguments used.")
        return _to_lite(result) if lite else result

    adapter.__doc__ = spec.description
    if xw is None:
        return adapter
    if lite:  # a Literal hint is a dropdown in Lite (and would break classic conversion)
        adapter.__annotations__ = {a.name: Literal[a.choices]
                                   for a in spec.args if a.choices}
    decorated: Any = adapter
    for arg in reversed(spec.args):
        # err_to_str: an error in a cell arrives as its text ("#DIV/0!"), which the function
        # passes on, instead of as an empty cell, which would take the argument's default.
        options: dict[str, object] = {"err_to_str": True}
        if arg.array or arg.kind in (Kind.DATES, Kind.TABLE, Kind.SPLITS):
            options["ndim"] = 2
        decorated = xw.arg(arg.name, doc=arg.description, **options)(decorated)
    # Not volatile and not cached by Excel's runtime: results depend on the arguments only.
    return xw.func(category=CATEGORY)(decorated)


def raw_arguments(frame_locals: dict[str, Any], spec: Function) -> dict[str, object]:
    """The arguments of a call as the cell passed them, by name (from the function's
    ``locals()``), for the readers of :mod:`xl_seriesm.excel.calls`."""
    return {name: frame_locals[name] for name in spec.arg_names}
