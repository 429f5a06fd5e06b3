"""``seriesm regress``: recompute every formula of signed-off workbooks and compare with the
values cached in them.

Each workbook is checked in a child process with a time limit and a memory limit, so a
hostile or broken file can neither hang the run nor stop the other files from being checked.
Input files are only ever read.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

from xl_seriesm import cellrefs
from xl_seriesm.core.dates import to_serial
from xl_seriesm.core.errors import error_code
from xl_seriesm.engine import CellError
from xl_seriesm.regress.safety import Limits, RefusedError, preflight

_T = TypeVar("_T")

#: Memory a child may use (bytes of address space), where the platform lets us limit it.
MEMORY_LIMIT = 4 * 1024**3


class Status(Enum):
    PASSED = "passed"
    FAILED = "failed"      # some value moved
    REFUSED = "refused"    # not read: a limit, not a workbook, unreadable, timed out


@dataclass(frozen=True)
class Tolerance:
    """Two numbers match when |a - b| <= max(atol, rtol * max(|a|, |b|)): half a cent, or
    float noise on large figures, so a cent moved on $10,000,000 is caught."""

    atol: float = 0.005
    rtol: float = 1e-12

    def numbers_match(self, a: float, b: float) -> bool:
        return abs(a - b) <= max(self.atol, self.rtol * max(abs(a), abs(b)))


@dataclass(frozen=True)
class Mismatch:
    ref: str  # Sheet!A1
    formula: str
    cached: object
    recomputed: object


@dataclass
class FileReport:
    path: Path
    status: Status
    checked: int = 0
    matched: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0


def _error_code(value: object) -> str | None:
    """The Excel error code of a value: a real error, or a SERIESM error text."""
    return value.code if isinstance(value, CellError) else error_code(value)


def values_match(cached: object, recomputed: object, tolerance: Tolerance) -> bool:
    """The comparison rules: numbers within the tolerance (dates as Excel's serial numbers);
    text, booleans and error codes equal. A cached error must still be an error of the same
    code; a SERIESM function's error text counts as an error of its code, and a cached #VALUE!
    also accepts one (xlwings Lite shows every raised error as #VALUE!)."""
    if isinstance(cached, CellError):
        code = _error_code(recomputed)
        return code == cached.code or (cached.code == "#VALUE!" and isinstance(recomputed, str)
                                       and code is not None)
    if isinstance(recomputed, CellError):
        return False
    if cached is None or cached == "":
        return recomputed is None or recomputed == ""
    if isinstance(cached, bool) or isinstance(recomputed, bool):
        return isinstance(cached, bool) and isinstance(recomputed, bool) and cached == recomputed
    if isinstance(cached, (int, float)):
        return (isinstance(recomputed, (int, float)) and math.isfinite(float(recomputed))
                and tolerance.numbers_match(float(cached), float(recomputed)))
    return cached == recomputed


def _cached(cell: Any) -> object:
    """A cell's cached value as the comparison sees it."""
    value = cell.value
    if cell.data_type == "e":
        return CellError(str(value))
    if isinstance(value, dt.datetime):
        midnight = dt.datetime.combine(value.date(), dt.time())
        return to_serial(value.date()) + (value - midnight).total_seconds() / 86_400
    if isinstance(value, dt.date):
        return float(to_serial(value))
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86_400
    return value


def formula_cells(path: Path) -> tuple[list[str], dict[tuple[str, str], str]]:
    """Sheet titles, and every cell a formula computes with the formula that computes it
    (the cells an array formula fills carry its formula)."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415

    book = openpyxl.load_workbook(path)
    found: dict[tuple[str, str], str] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    for ref in cellrefs.cells(value.ref):
                        found[(ws.title, ref)] = f"{{{value.text}}}"
                elif cell.data_type == "f":
                    found[(ws.title, cell.coordinate)] = str(value)
    return book.sheetnames, found


def check_file(path: Path, tolerance: Tolerance, limits: Limits) -> FileReport:
    """Recompute one workbook and compare it with its cached values (in this process)."""
    import openpyxl  # noqa: PLC0415

    from xl_seriesm import engine  # noqa: PLC0415

    preflight(path, limits)
    titles, formulas = formula_cells(path)
    cached_book = openpyxl.load_workbook(path, data_only=True)
    recomputed = engine.calculate(path, titles)
    report = FileReport(path, Status.PASSED, checked=len(formulas))
    for (sheet, ref), formula in formulas.items():
        cached = _cached(cached_book[sheet][ref])
        value = recomputed.get((sheet, ref))
        if values_match(cached, value, tolerance):
            report.matched += 1
        else:
            report.mismatches.append(Mismatch(f"{sheet}!{ref}", formula, cached, value))
    if report.mismatches:
        report.status = Status.FAILED
        if all(m.cached is None for m in report.mismatches):
            report.message = ("no cached values: the file was not saved by a spreadsheet "
                              "(`seriesm calc` stores them)")
    return report


def _child(connection: Any, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        import resource  # noqa: PLC0415

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit still holds
    try:
        outcome: tuple[str, Any] = ("done", job(*args))
    except RefusedError as error:
        outcome = ("refused", str(error))
    except MemoryError:
        outcome = ("refused", f"needs more than {MEMORY_LIMIT // 1024**3} GB of memory")
    except Exception as error:  # noqa: BLE001 - any failure is this file's, reported as such
        outcome = ("refused", f"could not be read ({type(error).__name__}: {error})")
    connection.send(outcome)
    connection.close()


def isolated(job: Callable[..., _T], args: tuple[Any, ...], path: Path, seconds: float) -> _T:
    """``job(*args)`` in a child process, stopped past ``seconds``; any failure of the job
    (or of the child) is raised here as :class:`RefusedError` naming ``path``."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, job, args), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise RefusedError(f"{path}: not done within the time limit of {seconds:g} s "
                          "(--timeout); stopped")
        kind, value = receive.recv()
    except EOFError:
        raise RefusedError(f"{path}: the check stopped without an answer (exit code "
                      f"{child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind == "refused":
        message = str(value)
        raise RefusedError(message if message.startswith(str(path)) else f"{path}: {message}")
    return value  # type: ignore[no-any-return]


def check_isolated(path: Path, tolerance: Tolerance, limits: Limits) -> FileReport:
    """:func:`check_file` in a child process, with the time and memory limits."""
    start = time.perf_counter()
    try:
        report = isolated(check_file, (path, tolerance, limits), path, limits.seconds)
    except RefusedError as error:
        report = FileReport(path, Status.REFUSED, message=str(error))
    report.seconds = time.perf_counter() - start
    return report


def workbooks(paths: Iterable[str]) -> Iterator[Path]:
    """The workbooks named: files as given, folders searched for .xlsx and .xlsm."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm")
                              and not p.name.startswith("~$") and p.is_file())
        else:
            yield path


def exit_status(reports: list[FileReport]) -> int:
    """0 when everything matches, 1 when anything differs, 2 when a file was not read."""
    if any(r.status is Status.REFUSED for r in reports):
        return 2
    return 1 if any(r.status is Status.FAILED for r in reports) else 0


def _shown(value: object) -> str:
    return value.code if isinstance(value, CellError) else repr(value)


def text_report(report: FileReport, most: int = 50) -> list[str]:
    if report.status is Status.REFUSED:
        return [f"REFUSED {report.message}"]
    mismatched = len(report.mismatches)
    lines = [f"{'ok' if report.status is Status.PASSED else 'FAIL'} {report.path}: "
             f"{report.checked} cells checked, {report.matched} matched, {mismatched} mismatched"]
    if report.message:
        lines.append(f"  {report.message}")
        most = min(most, 5)  # no cached values at all: a few lines say it
    for m in report.mismatches[:most]:
        lines.append(f"  {m.ref}: {m.formula}  cached {_shown(m.cached)}, recomputed "
                     f"{_shown(m.recomputed)}")
    if mismatched > most:
        lines.append(f"  ... and {mismatched - most} more")
    return lines


def junit(reports: list[FileReport]) -> str:
    """A JUnit XML report: one test case per workbook."""
    failures = sum(r.status is Status.FAILED for r in reports)
    errors = sum(r.status is Status.REFUSED for r in reports)
    total = sum(r.seconds for r in reports)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuite name="seriesm regress" tests="{len(reports)}" failures="{failures}" '
           f'errors="{errors}" time="{total:.3f}">']
    for r in reports:
        out.append(f'  <testcase classname="seriesm.regress" name={quoteattr(str(r.path))} '
                   f'time="{r.seconds:.3f}">')
        if r.status is Status.FAILED:
            detail = "\n".join(text_report(r, most=1000)[1:])
            out.append(f"    <failure message={quoteattr(f'{len(r.mismatches)} cells differ')}>"
                       f"{escape(detail)}</failure>")
        elif r.status is Status.REFUSED:
            out.append(f"    <error message={quoteattr(r.message)}/>")
        out.append("  </testcase>")
    out.append("</testsuite>")
    return "\n".join(out) + "\n"


def run(paths: list[str], tolerance: Tolerance, limits: Limits, junit_path: str | None,
        progress: bool | None = None) -> int:
    """Check every workbook named, print the reports, write JUnit if asked; the exit status."""
    found = list(workbooks(paths))
    if not found:
        print(f"seriesm regress: no .xlsx workbooks in {', '.join(paths)}", file=sys.stderr)
        return 2
    show_bar = progress if progress is not None else (len(found) >= 5 and sys.stderr.isatty())
    reports = []
    if show_bar:
        from rich.progress import Progress  # noqa: PLC0415

        with Progress(transient=True) as bar:
            task = bar.add_task("checking workbooks", total=len(found))
            for path in found:
                reports.append(check_isolated(path, tolerance, limits))
                bar.advance(task)
    else:
        reports = [check_isolated(path, tolerance, limits) for path in found]
    for report in reports:
        for line in text_report(report):
            print(line)
    passed = sum(r.status is Status.PASSED for r in reports)
    failed = sum(r.status is Status.FAILED for r in reports)
    refused = sum(r.status is Status.REFUSED for r in reports)
    print(f"{len(reports)} workbook(s): {passed} passed, {failed} failed, {refused} refused")
    if junit_path:
        Path(junit_path).write_text(junit(reports), encoding="utf-8")
    return exit_status(reports)
