"""Every figure explained: each worked example of the spec, run with its derivation
recorded, gives the same result, and the derivation ends with that result."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_seriesm import udfs
from xl_seriesm.core import errors
from xl_seriesm.derivation.calls import EXPLAIN, cell_value, explain_call, function_named
from xl_seriesm.excel.spec import FUNCTIONS, Example, Function

EXPLAINED = [(f, e) for f in FUNCTIONS if f.name != EXPLAIN for e in f.examples]


def result_cells(result: object) -> list[object]:
    """The figures a result shows: a value; a table's values (a label-value table's second
    column; below a header row, every cell)."""
    if not isinstance(result, list):
        return [result]
    if all(len(row) == 2 and isinstance(row[0], str) for row in result):
        return [row[1] for row in result]
    body = result[1:] if all(isinstance(c, str) for c in result[0]) else result
    return [cell for row in body for cell in row]


def in_order(wanted: list[object], found: list[object]) -> bool:
    """Whether ``wanted`` appears in ``found`` in the same order (not necessarily together)."""
    position = iter(found)
    return all(any(_same(w, f) for f in position) for w in wanted)


def _same(expected: object, found: object) -> bool:
    if expected is None:
        return found in ("", None)
    if isinstance(expected, dt.datetime) or isinstance(found, dt.datetime):
        return expected == found
    return (type(expected) is type(found) and expected == found) or (
        isinstance(expected, (int, float)) and not isinstance(expected, bool)
        and isinstance(found, (int, float)) and not isinstance(found, bool)
        and float(expected) == float(found))


@pytest.mark.parametrize(("function", "example"), EXPLAINED,
                         ids=[f"{f.name}-{i}" for f in FUNCTIONS if f.name != EXPLAIN
                              for i, _ in enumerate(f.examples)])
def test_every_worked_example_is_explained_and_ends_with_its_result(
        function: Function, example: Example) -> None:
    explanation = explain_call(function.name, example.args)
    # Recording changes nothing: the result is the worked example's.
    assert explanation.result == example.result, example.derivation
    steps = [cell_value(s.value) for s in explanation.steps]
    assert all(s.step and isinstance(s.step, str) for s in explanation.steps)
    if explanation.failed:
        return  # the table ends with the error row (test_a_failing_call_ends_with_its_error)
    assert len(steps) >= 2, f"{function.name}: a derivation, not only the answer"
    cells = result_cells(explanation.result)
    assert _same(cells[-1], steps[-1]), (function.name, explanation.steps[-1])
    assert in_order(cells, steps), (function.name, cells, steps)


def test_every_function_has_a_sectioned_derivation() -> None:
    for function in FUNCTIONS:
        if function.name == EXPLAIN:
            continue
        example = next(e for e in function.examples if not errors.is_error_text(e.result))
        steps = explain_call(function.name, example.args).steps
        assert any(s.section.startswith("§") for s in steps), function.name


def test_the_excel_function_returns_the_table() -> None:
    table = udfs.SERIESM_EXPLAIN("accrued", 9100, dt.date(2005, 1, 10), dt.date(2005, 4, 10))
    assert table[0] == ["Step", "Value", "Section"]
    assert table[-1][1] == udfs.SERIESM_ACCRUED(9100, dt.date(2005, 1, 10), dt.date(2005, 4, 10))
    # Unused argument slots (None) take the explained function's defaults.
    assert udfs.SERIESM_EXPLAIN("SERIESM_WORKDAY", "2021-12-23", 2, None, None)[-1][1] == \
        dt.date(2021, 12, 27)


def test_a_failing_call_ends_with_its_error() -> None:
    table = udfs.SERIESM_EXPLAIN("CONVERT", 100, dt.date(2005, 1, 10), dt.date(2006, 1, 9))
    assert table[-1][0] == "error"
    assert table[-1][1].startswith("#N/A conversion_date = 2006-01-09")


def test_bad_names_and_too_many_arguments_are_refused() -> None:
    assert udfs.SERIESM_EXPLAIN("NOPE").startswith(
        '#NAME? function_name = "NOPE": no such function; use one of ACCRUED')
    assert udfs.SERIESM_EXPLAIN("EXPLAIN", "ACCRUED").startswith("#NAME? function_name")
    assert udfs.SERIESM_EXPLAIN("REDEEMDATE", 1, 2).startswith(
        "#NUM! arguments = 2: must be at most 1 for SERIESM_REDEEMDATE(notice_date)")
    assert function_named("=seriesm_accrued(").name == "SERIESM_ACCRUED"


def test_recording_is_off_outside_explanations() -> None:
    from xl_seriesm.core import explain  # noqa: PLC0415

    assert not explain.active()
    udfs.SERIESM_WORKDAY(dt.date(2021, 12, 23), 2)
    with explain.recording() as steps:
        pass
    assert steps == []
