"""Explaining one call of an Excel function: run it while its core records each step.

The explanation is not a second implementation: the function runs exactly as in a cell,
and the steps are those its core functions note while computing (see
:mod:`xl_seriesm.core.explain`). So the derivation's last step is the figure the cell shows,
which the tests check on every worked example of the spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from xl_seriesm.core import errors, explain
from xl_seriesm.core.explain import Step
from xl_seriesm.excel import values
from xl_seriesm.excel.spec import BY_NAME, Function

#: The function that explains the others, which does not explain itself.
EXPLAIN = "SERIESM_EXPLAIN"


class Explanation(NamedTuple):
    """A call, the steps its computation noted, and its result as the cell shows it."""

    function: Function
    args: tuple[object, ...]
    steps: list[Step]
    result: object

    @property
    def failed(self) -> bool:
        return errors.is_error_text(self.result)


def function_named(name: object, arg: str = "function_name") -> Function:
    """The spec entry of a function, by its name with or without ``SERIESM_`` (any case)."""
    if not isinstance(name, str) or not name.strip():
        raise errors.not_a_text(arg, name, ("a function name such as \"ACCRUED\"",))
    wanted = name.strip().upper().removeprefix("=").split("(", 1)[0].strip()
    if not wanted.startswith("SERIESM_"):
        wanted = "SERIESM_" + wanted
    if wanted not in BY_NAME or wanted == EXPLAIN:
        known = [n.removeprefix("SERIESM_") for n in BY_NAME if n != EXPLAIN]
        raise errors.unknown_function(arg, name, known)
    return BY_NAME[wanted]


def explain_call(name: object, args: Sequence[object],
                 functions: Mapping[str, Callable[..., object]]) -> Explanation:
    """Run the Excel function ``name`` (found in ``functions``, the module of the Excel
    functions: :func:`xl_seriesm.excel.udfs.explain_call` passes it) on ``args`` (as a cell
    passes them) while recording.

    Empty arguments past the last one given are dropped, so that ``SERIESM_EXPLAIN``'s
    unused argument slots take the explained function's defaults.
    """
    function = function_named(name)
    given = list(args)
    while given and values.is_empty(given[-1]):
        given.pop()
    if len(given) > len(function.args):
        raise errors.out_of_range("arguments", len(given),
                                  f"at most {len(function.args)} for {function.syntax()}")
    # Slots not given are empty, as a cell passes them: a required one is then named by the
    # function's own error ("shares = (empty): required"), an optional one takes its default.
    padded = given + [None] * (len(function.args) - len(given))
    with explain.recording() as steps:
        result = functions[function.name](*padded)
    return Explanation(function, tuple(given), steps, result)


def rows(explanation: Explanation) -> list[list[object]]:
    """The derivation as a table: a header, then (step, value, section) per step; a call
    that failed ends with its error."""
    table: list[list[object]] = [["Step", "Value", "Section"]]
    for step in explanation.steps:
        table.append([step.step, cell_value(step.value), step.section])
    if explanation.failed:
        table.append(["error", explanation.result, explanation.function.section])
    return table


def cell_value(value: object) -> object:
    """A step's value as a cell holds it (numbers as doubles, empty as an empty text)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(cell_value(v)) for v in value)
    return values.to_excel(value)


def explain_cell(name: object, args: Sequence[object],
                 functions: Mapping[str, Callable[..., object]]) -> list[list[object]]:
    """SERIESM_EXPLAIN's table (a wrong function name raises the catalogue's error)."""
    return rows(explain_call(name, args, functions))
