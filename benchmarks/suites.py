"""The benchmarks, one function each, returning their results."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import stack
from benchmarks.headless import folder, headless, headless_large
from benchmarks.ledger import captable
from benchmarks.linear import columns, dilute, payouts_sheet, refused
from benchmarks.measure import Result, median_in_subprocess, median_of, timing
from benchmarks.ocf import ocf
from benchmarks.template import template_floor

CLOSING, AS_OF = date(2005, 1, 10), date(2007, 6, 30)


def udf_import() -> list[Result]:
    """Import of xl_seriesm.udfs beyond `import xlwings` (budget 30 ms).

    Bytecode is compiled first, as pip does when it installs the package: without it (say
    with PYTHONDONTWRITEBYTECODE set) every start recompiles the sources, which measures
    the compiler, not the import.
    """
    import compileall  # noqa: PLC0415

    import xl_seriesm  # noqa: PLC0415

    compileall.compile_dir(Path(xl_seriesm.__file__).parent, quiet=1)
    code = ("import time; t = time.perf_counter(); import xlwings; "
            "t1 = time.perf_counter(); import xl_seriesm.udfs; "
            "print(time.perf_counter() - t1)")
    xlwings_alone = ("import time; t = time.perf_counter(); import xlwings; "
                     "print(time.perf_counter() - t)")
    return [Result("import xl_seriesm.udfs after xlwings", median_in_subprocess(code), 0.030,
                   median_in_subprocess(xlwings_alone), "import xlwings itself",
                   "median of 7 fresh interpreters")]


def _holders(count: int) -> tuple[list[list[float]], list[list[float]]]:
    """Valid holder rows: shares to a tenth, dividends paid in cents and never more than
    $100 a share (the accrual to 2007-06-30 is $123.61 a share), so every row goes the
    column path and none is refused."""
    rng = random.Random(2005)
    shares = [[rng.randint(1, 9_100_0) / 10] for _ in range(count)]
    paid = [[rng.randint(0, round(s[0] * 100_00)) / 100] for s in shares]
    return shares, paid


def _numpy() -> Any:
    """numpy for a float baseline, when installed (the functions themselves never use it)."""
    try:
        import numpy  # noqa: PLC0415
    except ImportError:
        return None
    return numpy


def accrued() -> list[Result]:
    """SERIESM_ACCRUED over 100,000 holder rows in one call (budget 1 s), in pure Python:
    the path both the classic add-in and xlwings Lite (Pyodide, no numpy) take."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    shares, paid = _holders(100_000)
    # The same figures in plain floats, from the same Excel-shaped lists to the same lists.
    year_fraction = 890 / 360  # YEARFRAC(2005-01-10, 2007-06-30, 0)

    def python_floats() -> object:
        return [[round(s[0] * 1000 * 0.05 * year_fraction - p[0], 2)]
                for s, p in zip(shares, paid, strict=True)]

    def exact_call() -> object:
        return udfs.SERIESM_ACCRUED(shares, CLOSING, AS_OF, paid)

    result = exact_call()
    assert isinstance(result, list)
    assert len(result) == 100_000
    assert not any(isinstance(row[0], str) for row in result), "every row must be valid"
    run = timing(exact_call, 7)
    too_much = [[p[0] + 1e6] for p in paid]  # every row refused: the error path alone

    def error_call() -> object:
        return udfs.SERIESM_ACCRUED(shares, CLOSING, AS_OF, too_much)

    errors = timing(error_call, 3)
    results = [
        Result("  (error path: 100,000 rows, every one refused)", errors.median, None,
               note="timed apart from the valid rows", low=errors.low, high=errors.high),
        Result("SERIESM_ACCRUED, 100,000 rows, one call (pure Python)", run.median, 1.0,
               median_of(python_floats), "Python floats, lists in and out",
               "exact: decimals as scaled integers; median of 7", low=run.low, high=run.high)]
    np = _numpy()
    if np is not None:
        def numpy_floats() -> object:
            s = np.asarray(shares, dtype=np.float64)
            p = np.asarray(paid, dtype=np.float64)
            return np.round(s * 1000 * 0.05 * year_fraction - p, 2).tolist()

        results.append(Result("  (the same beside numpy floats)", run.median, None,
                              median_of(numpy_floats), "numpy floats, lists in and out",
                              "numpy is not used by the functions", low=run.low,
                              high=run.high))
    return results


def lite() -> list[Result]:
    """SERIESM_ACCRUED over the same 100,000 rows inside Pyodide (npm pyodide under node,
    the runtime of xlwings Lite; budget 1 s), called directly as in :func:`accrued`."""
    import statistics  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from tests import pyodide_runner as runner  # noqa: PLC0415

    shares, paid = _holders(100_000)
    args = [shares, CLOSING.isoformat(), AS_OF.isoformat(), paid]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        try:
            main = runner.write_lite(folder / "lite") / "main.py"
            requirements = (folder / "lite" / "requirements.txt").read_text().split()
            wheels = runner.pure_wheels(requirements, folder / "wheels")
            (answer,) = runner.run([{
                "wheels": [str(w) for w in wheels], "main": str(main),
                "benchmark": {"function": "SERIESM_ACCRUED", "args": args, "repeat": 7}}],
                folder / "job.json")
        except runner.Unavailable as reason:
            print(f"lite: skipped ({reason})")
            return []
    times = answer["benchmark"]
    return [Result("SERIESM_ACCRUED, 100,000 rows, in Pyodide (xlwings Lite's runtime)",
                   statistics.median(times), 1.0, note=f"pyodide {runner.pinned_version()}, "
                   "node; median of 7", low=min(times), high=max(times))]


def waterfall() -> list[Result]:
    """SERIESM_WATERFALL over 10,000 exit values (budget 1 s), in pure Python."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    exits = [[float(i * 10_000)] for i in range(10_000)]
    pref, common, accrued_total, number = 9100.0, 138_500_000.0, 799_861.12, 30000 / 7
    preference = pref * 1000 + accrued_total
    as_converted = pref * number
    f = as_converted / (as_converted + common)
    point = accrued_total + pref * 1000 / f

    def python_floats() -> object:
        table = []
        for (p,) in exits:
            converts = p > point
            series_m = round(accrued_total + (p - accrued_total) * f if converts
                             else min(p, preference), 2)
            rest = p - series_m
            table.append([p, series_m, series_m / pref, rest, rest / common, converts, point])
        return table

    def exact_call() -> object:
        return udfs.SERIESM_WATERFALL(exits, pref, common, accrued_total, number)

    run = timing(exact_call, 7)
    return [Result("SERIESM_WATERFALL, 10,000 exit values, one call (pure Python)", run.median,
                   1.0, median_of(python_floats), "Python floats, lists in and out",
                   "median of 7", low=run.low, high=run.high)]


def per_call() -> list[Result]:
    """The Python cost of one call of each function (its first worked example), which Excel
    adds to its own per-call overhead (about 20 ms through COM in classic xlwings)."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415
    from xl_seriesm.excel.spec import FUNCTIONS  # noqa: PLC0415

    results = []
    for function in FUNCTIONS:
        call = getattr(udfs, function.name)
        args = function.examples[0].args

        def job(call: Callable[..., object] = call, args: tuple[object, ...] = args) -> None:
            for _ in range(100):
                call(*args)

        results.append(Result(f"per call: {function.name}", median_of(job, 3) / 100, None,
                              note="first worked example"))
    return results


def array_vs_single() -> list[Result]:
    """One array call over 10,000 holders against 10,000 single calls."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    shares, paid = _holders(10_000)
    lots = [[float((round(s[0]) // 100 + 1) * 100)] for s in shares]
    results = []
    cases: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("SERIESM_ACCRUED",
         lambda: udfs.SERIESM_ACCRUED(shares, CLOSING, AS_OF, paid),
         lambda: [udfs.SERIESM_ACCRUED(s[0], CLOSING, AS_OF, p[0])
                  for s, p in zip(shares, paid, strict=True)]),
        ("SERIESM_CONVERT",
         lambda: udfs.SERIESM_CONVERT(lots, CLOSING, AS_OF, 30000 / 7),
         lambda: [udfs.SERIESM_CONVERT(s[0], CLOSING, AS_OF, 30000 / 7) for s in lots]),
        ("SERIESM_VOTES",
         lambda: udfs.SERIESM_VOTES(shares, CLOSING, AS_OF),
         lambda: [udfs.SERIESM_VOTES(s[0], CLOSING, AS_OF) for s in shares]),
    ]
    for name, array_call, single_calls in cases:
        results.append(Result(f"{name}: 1 array call over 10,000 holders",
                              median_of(array_call, 3), None, median_of(single_calls, 1),
                              "10,000 single calls",
                              "Python time only; classic Excel adds ~20 ms of COM per call"))
    return results


def template() -> list[Result]:
    """Writing both flavors of the template for 10,000 holders (budget 10 s)."""
    import tempfile  # noqa: PLC0415

    from openpyxl import Workbook  # noqa: PLC0415

    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.cli.template import make  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import synthetic  # noqa: PLC0415
    from xl_seriesm.workbook.model import build  # noqa: PLC0415
    from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

    cap = synthetic(10_000, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                    SAMPLE.settings)
    cells = sum(len(sheet.cells) for sheet in build(cap).sheets)

    def both() -> None:
        with tempfile.TemporaryDirectory() as folder:
            make(cap, Path(folder), list(Flavor), force=False)

    def bare() -> None:  # the same number of plain cells, twice, no styles or formulas
        with tempfile.TemporaryDirectory() as folder:
            for name in ("a.xlsx", "b.xlsx"):
                wb = Workbook()
                ws = wb.active
                for row in range(cells // 11):
                    ws.append([row] * 11)
                wb.save(Path(folder) / name)

    return [Result("seriesm template, 10,000 holders, both flavors", median_of(both, 2), 10.0,
                   median_of(bare, 1), "openpyxl, same cell count, bare values",
                   f"{cells:,} cells per flavor; model, core figures, styles, atomic write")]


ALL: dict[str, Callable[[], list[Result]]] = {
    "import": udf_import,
    "accrued": accrued,
    "lite": lite,
    "waterfall": waterfall,
    "stack": stack.stack,
    "payouts": stack.payouts,
    "per-call": per_call,
    "array-vs-single": array_vs_single,
    "template": template,
    "headless": headless,
    "headless-50k": headless_large,
    "headless-folder": folder,
    "captable": captable,
    "columns": columns,
    "dilute": dilute,
    "refused": refused,
    "payouts-sheet": payouts_sheet,
    "payouts-sheet-stack": stack.payouts_sheet_stack,
    "template-floor": template_floor,
    "ocf": ocf,
}
