"""The xlwings Lite module in real Pyodide, offline.

xlwings Lite runs the functions in Pyodide inside Excel. This test runs the same thing under
node (tests/pyodide_runner.py): the npm package ``pyodide`` pinned in
tests/runtimes/pyodide/package-lock.json (installed with ``npm ci``), and the packages the
generated requirements.txt names (xlwings, holidays, and what they need: python-dateutil,
six), downloaded as pure-Python wheels with pip and unpacked into Pyodide's site-packages as
Lite's micropip would install them (Pyodide's CDN, where micropip and numpy live, is never
reached). Two sessions, each in a fresh Pyodide: the default ``main.py`` that ``seriesm
lite`` writes, which carries the functions' modules itself, and the ``--wheel`` route, with
the wheel this repo builds installed beside them.

Every worked example of every function in the spec is called through xlwings' Office.js
entry point ``xlwings.server.custom_functions_call``: xlwings publishes a pure-Python wheel
on PyPI that loads in Pyodide, so the calls take Lite's own argument conversion (every
argument a 2-D array, dates as serial numbers, empty cells as null) and its own result
conversion (dates to serials, error texts to real error values).

One node process answers every call. Skipped where node is missing; required in CI
(SERIESM_REQUIRE_PYODIDE=1, set by .ci/run).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

import pytest

from tests import pyodide_runner as runner
from tests.conftest import ROOT
from xl_seriesm.core.dates import to_serial
from xl_seriesm.core.errors import is_error_text
from xl_seriesm.excel.spec import FUNCTIONS

# Office.js's names for the error values (Excel.ErrorCellValueType).
ERROR_TYPES = {"#DIV/0!": "Div0", "#N/A": "NotAvailable", "#NAME?": "Name", "#NULL!": "Null",
               "#NUM!": "Num", "#REF!": "Ref", "#VALUE!": "Value"}
# The --wheel route: Lite would fetch this URL; here the wheel is built and unpacked.
WHEEL_URL = "https://wheels.example.org/xl_seriesm-0.1.0-py3-none-any.whl"

pytestmark = pytest.mark.xdist_group("pyodide")  # one worker, one node process


def office_cell(value: object) -> object:
    """One cell as Office.js sends it: dates as serial numbers, empty as null."""
    if isinstance(value, datetime):
        midnight = datetime.combine(value.date(), datetime.min.time())
        return to_serial(value.date()) + (value - midnight).total_seconds() / 86400
    if isinstance(value, date):
        return to_serial(value)
    return value


def office_args(args: tuple[object, ...]) -> list[object]:
    """Every argument as a 2-D array, as Office.js passes it."""
    return [[[office_cell(c) for c in row] for row in arg] if isinstance(arg, list)
            else [[office_cell(arg)]] for arg in args]


def lite_cell(value: object) -> object:
    """One result cell as Lite writes it: a date a serial number, an error a real error."""
    if isinstance(value, date):
        return float(office_cell(value))  # type: ignore[arg-type]
    if is_error_text(value):
        return {"type": "Error", "errorType": ERROR_TYPES[str(value).split(" ", 1)[0]]}
    return value


def lite_outcome(result: object) -> dict[str, Any]:
    """What Lite shows for a result: a scalar error is raised (#VALUE! with the message on
    hover); anything else comes back as a 2-D array."""
    if is_error_text(result):
        return {"raised": "XlwingsError", "message": result}
    if isinstance(result, list):
        return {"value": [[lite_cell(c) for c in row] for row in result]}
    return {"value": [[lite_cell(result)]]}


def same(got: object, want: object) -> bool:
    """Equal, with a boolean only equal to a boolean (True == 1.0 in Python) and numbers
    compared exactly whatever their type (Lite may return 1000000 or 1000000.0)."""
    if isinstance(want, bool) or isinstance(got, bool):
        return type(got) is type(want) and got == want
    if isinstance(want, list):
        return (isinstance(got, list) and len(got) == len(want)
                and all(same(g, w) for g, w in zip(got, want, strict=True)))
    if isinstance(want, dict):
        return (isinstance(got, dict) and got.keys() == want.keys()
                and all(same(got[k], want[k]) for k in want))
    return bool(got == want)


ROWS = 20  # past batch_calls.MIN_ROWS, so the column kernels (no numpy) answer
# Beyond the worked examples: an array call taking the column path with one refused row, and
# empty cells. 9,100 shares, 2005-01-10 to 2005-04-10, 30/360: 9,100 × $50 × 90/360 =
# $113,750 (§2); row 7 holds −5 shares, refused as #NUM!.
EXTRA_CALLS: list[tuple[str, tuple[object, ...], dict[str, Any]]] = [
    ("SERIESM_ACCRUED",
     ([[-5.0] if row == 6 else [9100.0] for row in range(ROWS)], date(2005, 1, 10),
      date(2005, 4, 10)),
     {"value": [[{"type": "Error", "errorType": "Num"}] if row == 6 else [113750.0]
                for row in range(ROWS)]}),
    # Empty optional cells arrive as null and take their defaults (dividends_paid 0, 30/360).
    ("SERIESM_ACCRUED", (9100, date(2005, 1, 10), date(2005, 4, 10), None, None),
     {"value": [[113750.0]]}),
    # An empty required cell: an error naming the argument, never a traceback.
    ("SERIESM_ACCRUED", (None, date(2005, 1, 10), date(2005, 4, 10)),
     {"raised": "XlwingsError"}),
    # The README's table, row by row (see test_readme_table_shows_what_the_runtimes_do).
    ("SERIESM_ACCRUED", (-5, date(2005, 1, 10), date(2005, 4, 10)),
     {"raised": "XlwingsError", "message": "#NUM! shares = -5: must be 0 or more."}),
    ("SERIESM_ACCRUED", ([[9100], [-5]], date(2005, 1, 10), date(2005, 4, 10)),
     {"value": [[113750.0], [{"type": "Error", "errorType": "Num"}]]}),
    # The WORKDAY column kernel: Friday 23 December 2005 + 1 business day is Tuesday 27th
    # (Christmas fell on Sunday 25th, so the Federal Reserve closed Monday 26th, §5(f));
    # row 5 holds the text "x" for days, refused as #VALUE!.
    ("SERIESM_WORKDAY",
     ([[date(2005, 12, 23)]] * ROWS, [["x"] if row == 4 else [1.0] for row in range(ROWS)]),
     {"value": [[{"type": "Error", "errorType": "Value"}] if row == 4
                else [lite_cell(date(2005, 12, 27))] for row in range(ROWS)]}),
]
# README row -> the index of its call in EXTRA_CALLS.
README_ROWS = {"bad argument": 3, "empty optional cells": 1, "empty required cell": 2,
               "array result": 4}


def _calls() -> list[tuple[str, list[object], dict[str, Any], str]]:
    """(function, Office.js arguments, expected outcome, why) for every worked example of
    every function in the spec, then the extra calls."""
    calls = [(f.name, office_args(e.args), lite_outcome(e.result), e.derivation)
             for f in FUNCTIONS for e in f.examples]
    calls += [(name, office_args(args), want, "extra call") for name, args, want in EXTRA_CALLS]
    return calls


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Both routes, each in its own Pyodide: main.py with the functions embedded (the
    default), and main.py with the wheel this repo builds installed from requirements.txt."""
    folder = tmp_path_factory.mktemp("pyodide")
    calls = [[name, args] for name, args, _, _ in _calls()]
    try:
        embedded = runner.write_lite(folder / "embedded")
        requirements = (embedded / "requirements.txt").read_text(encoding="utf-8").split()
        by_url = runner.write_lite(folder / "by-url", WHEEL_URL)
        wheel, needs = runner.build_wheel(folder / "built")
        # The wheel's own requirements are what requirements.txt names beside xlwings.
        assert needs == [r for r in requirements if r != "xlwings"]
        wheels = runner.pure_wheels(requirements, folder / "wheels")
        return runner.run([
            {"wheels": [str(w) for w in wheels], "main": str(embedded / "main.py"),
             "calls": calls},
            {"wheels": [str(w) for w in [*wheels, wheel]], "main": str(by_url / "main.py"),
             "calls": calls},
        ], folder / "job.json")
    except runner.Unavailable as reason:
        if os.environ.get("SERIESM_REQUIRE_PYODIDE") == "1":
            pytest.fail(f"{reason}; CI must run the Lite module in Pyodide (.ci/run)")
        pytest.skip(str(reason))


@pytest.fixture(scope="module")
def pyodide(sessions: list[dict[str, Any]]) -> dict[str, Any]:
    return sessions[0]


def test_it_is_pyodide_without_numpy(pyodide: dict[str, Any]) -> None:
    assert pyodide["platform"] == "emscripten"
    assert not pyodide["numpy_loaded"]


def test_the_functions_come_from_main_py_itself(pyodide: dict[str, Any]) -> None:
    # Nothing named xl-seriesm was installed: the modules main.py embeds are what runs.
    assert pyodide["package_file"].endswith("xl_seriesm.zip/xl_seriesm/__init__.py")


def test_the_wheel_route_answers_the_same(sessions: list[dict[str, Any]]) -> None:
    embedded, by_url = sessions
    assert "site-packages/xl_seriesm/" in by_url["package_file"]
    assert by_url["functions"] == embedded["functions"]

    def answers(session: dict[str, Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "seconds"} for r in session["results"]]

    assert answers(by_url) == answers(embedded)


def test_main_py_has_every_function_of_the_spec(pyodide: dict[str, Any]) -> None:
    assert pyodide["functions"] == sorted(f.name for f in FUNCTIONS)
    described = {f["name"]: f for f in pyodide["meta"]["functions"]}
    assert sorted(described) == sorted(f.name for f in FUNCTIONS)
    for function in FUNCTIONS:
        assert described[function.name]["description"] == function.description
        names = [p["name"] for p in described[function.name]["parameters"]]
        assert names == list(function.arg_names)


def test_every_call_answers_as_lite_shows_it(pyodide: dict[str, Any]) -> None:
    calls = _calls()
    assert len(pyodide["results"]) == len(calls)
    wrong = []
    for (name, args, want, why), got in zip(calls, pyodide["results"], strict=True):
        got = {k: v for k, v in got.items() if k != "seconds"}
        if "message" not in want and "raised" in want:
            got.pop("message", None)
        if not same(got, want):
            wrong.append(f"{name}{tuple(args)}: got {got}, want {want} ({why})")
    assert not wrong, "\n".join(wrong)


def test_an_empty_required_cell_names_the_argument(pyodide: dict[str, Any]) -> None:
    message = pyodide["results"][len(_calls()) - len(EXTRA_CALLS) + 2]["message"]
    assert message == "#VALUE! shares = (empty): required; give a value."


def _readme_rows() -> dict[str, list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- runtimes:start -->", 1)[1].split("<!-- runtimes:end -->", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")]
            for line in table.strip().splitlines()[2:]]
    return {next(k for k in README_ROWS if row[0].startswith(k)): row for row in rows}


def _shown(value: object) -> str:
    """A cell as the README writes it: whole numbers without a decimal point."""
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if isinstance(value, dict):
        code = next(k for k, v in ERROR_TYPES.items() if v == value["errorType"])
        return f"a real `{code}` error value"
    return f"`{value}`"


def test_readme_table_shows_what_the_classic_add_in_returns() -> None:
    from xl_seriesm import udfs  # noqa: PLC0415

    rows = _readme_rows()
    assert sorted(rows) == sorted(README_ROWS)
    for row_name, index in README_ROWS.items():
        name, args, _ = EXTRA_CALLS[index]
        result = getattr(udfs, name)(*args)
        cells = [c for line in result for c in line] if isinstance(result, list) else [result]
        for cell in cells:
            assert _shown(cell) in rows[row_name][1], (row_name, cell)


def test_readme_table_shows_what_lite_returns(pyodide: dict[str, Any]) -> None:
    rows = _readme_rows()
    first = len(_calls()) - len(EXTRA_CALLS)
    for row_name, index in README_ROWS.items():
        got = pyodide["results"][first + index]
        lite = rows[row_name][2]
        if "raised" in got:
            assert lite.startswith("`#VALUE!`, with ")
            assert f"`{got['message']}` on hover" in lite
        else:
            for cell in (c for line in got["value"] for c in line):
                assert _shown(cell) in lite, (row_name, cell)
    assert all(row[3] for row in rows.values())  # the LibreOffice column is filled in
