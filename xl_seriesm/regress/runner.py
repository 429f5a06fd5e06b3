"""``seriesm regress``: recompute every formula of signed-off workbooks and compare with the
values cached in them.

Each workbook is preflighted (:mod:`xl_seriesm.regress.safety`), read for its formula cells
and cached values (:mod:`xl_seriesm.engine.book`) and recalculated by a warm LibreOffice
(:mod:`xl_seriesm.engine`), with a time limit and a memory limit that stop the engine, never
the run: the next file gets a fresh engine. ``--jobs N`` checks N files at once, one engine
each; ``--shard K/N`` checks the K-th of N slices of the file list. Input files are only ever
read, and nothing outside them is: a cell that would read another file is reported.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from xl_seriesm.core.errors import error_code
from xl_seriesm.engine import CellError, Value
from xl_seriesm.engine.office import Engine, StoppedError
from xl_seriesm.regress.safety import Limits, RefusedError, preflight

#: Mismatches printed per file unless --max-mismatches says otherwise (JUnit has them all).
MAX_MISMATCHES = 50


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
    from xl_seriesm.engine.recalc import CIRCULAR  # noqa: PLC0415

    if recomputed == CIRCULAR:  # an error cached there may be what Excel showed
        return isinstance(cached, CellError) or error_code(cached) is not None
    if isinstance(cached, CellError):
        code = _error_code(recomputed)
        return code == cached.code or (cached.code == "#VALUE!" and isinstance(recomputed, str)
                                       and code is not None)
    if isinstance(recomputed, CellError):
        # Calc gives an error in an argument itself instead of calling the function, whose
        # text in Excel starts with the same code.
        return isinstance(cached, str) and error_code(cached) == recomputed.code
    if cached is None or cached == "":
        return recomputed is None or recomputed == ""
    if isinstance(cached, bool):  # Calc keeps TRUE/FALSE as 1/0 with a boolean format
        return (isinstance(recomputed, (bool, int, float))
                and not isinstance(recomputed, str) and float(recomputed) == float(cached))
    if isinstance(recomputed, bool):
        return False
    if isinstance(cached, (int, float)):
        return (isinstance(recomputed, (int, float)) and math.isfinite(float(recomputed))
                and tolerance.numbers_match(float(cached), float(recomputed)))
    return cached == recomputed


def _stop_message(path: Path, stop: StoppedError, limits: Limits) -> str:
    if stop.reason == "time":
        return f"{path}: stopped at the time limit of {limits.seconds:g} s (--timeout)"
    if stop.reason == "memory":
        return (f"{path}: stopped at the memory limit of {limits.memory_bytes / 2**20:,.0f} MB "
                "(--max-memory-mb)")
    return f"{path}: LibreOffice crashed on this book ({stop}); restarted for the next file"


def _named(cells: list[str], most: int = 5) -> str:
    shown = ", ".join(cells[:most])
    return shown + (f" and {len(cells) - most} more" if len(cells) > most else "")


def check_file(path: Path, tolerance: Tolerance, limits: Limits) -> FileReport:
    """Recompute one workbook and compare it with its cached values."""
    from xl_seriesm.engine.recalc import borrowed  # noqa: PLC0415

    start = time.perf_counter()
    with borrowed(limits.memory_bytes, limits.sandbox) as engine:
        engine.warm_up()  # LibreOffice starts while the file is preflighted and read
        report = _check(path, tolerance, limits, engine)
    report.seconds = time.perf_counter() - start
    return report


def _check(path: Path, tolerance: Tolerance, limits: Limits, engine: Engine) -> FileReport:
    from xl_seriesm.engine import book as books  # noqa: PLC0415
    from xl_seriesm.engine.recalc import recalculate  # noqa: PLC0415

    try:
        preflight(path, limits)
        book = books.read(path)
    except (RefusedError, books.BookError) as error:
        return FileReport(path, Status.REFUSED, message=str(error))
    if book.linked:
        return FileReport(path, Status.REFUSED, message=f"{path}: has {', '.join(book.linked)}, "
                          "which reads data outside the file; not followed")
    cached = {(s.title, ref): v for s in book.sheets for ref, v in s.cached.items()}
    # A cell reading another file is compared as #REF! when that is what it cached (how
    # Excel shows a link it cannot follow); any other such cell stops the file.
    unfollowed = {key for key in book.outside if cached.get(key) == CellError("#REF!")}
    followed = sorted(f"{s}!{r}" for (s, r) in set(book.outside) - unfollowed)
    if followed:
        first = next(k for k in sorted(book.outside) if k not in unfollowed)
        return FileReport(path, Status.REFUSED, message=(
            f"{path}: {_named(followed)} read outside the file ({first[0]}!{first[1]}: "
            f"{book.outside[first]}); not followed, nothing computed from another file"))
    try:
        recomputed = recalculate(book, engine, limits.seconds)
    except StoppedError as stop:
        return FileReport(path, Status.REFUSED, message=_stop_message(path, stop, limits))
    except Exception as error:  # noqa: BLE001 - this file's failure, reported as such
        return FileReport(path, Status.REFUSED,
                          message=f"{path}: could not be computed ({error})")
    report = FileReport(path, Status.PASSED, checked=book.formula_count)
    for key, formula in book.formula_cells():
        value: Value = CellError("#REF!") if key in unfollowed else recomputed.get(key)
        if values_match(cached.get(key), value, tolerance):
            report.matched += 1
        else:
            report.mismatches.append(Mismatch(f"{key[0]}!{key[1]}", formula, cached.get(key),
                                              value))
    if report.mismatches:
        report.status = Status.FAILED
        if all(m.cached is None for m in report.mismatches):
            report.message = ("no cached values: the file was not saved by a spreadsheet "
                              "(`seriesm calc` stores them)")
    return report


def shard(paths: list[Path], part: tuple[int, int] | None) -> list[Path]:
    """The ``K``-th of ``N`` slices (1-based) of the list, in its order: every N-th file from
    the K-th, so slices stay even and a file's slice never depends on the others'."""
    if part is None:
        return paths
    k, n = part
    return paths[k - 1::n]


def check_all(paths: list[Path], tolerance: Tolerance, limits: Limits, jobs: int,
              done: Callable[[], None] | None = None) -> list[FileReport]:
    """Check every file, ``jobs`` at a time (one warm engine each); reports in input order."""
    def one(path: Path) -> FileReport:
        report = check_file(path, tolerance, limits)
        if done is not None:
            done()
        return report

    if jobs <= 1 or len(paths) <= 1:
        return [one(p) for p in paths]
    with ThreadPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        return list(pool.map(one, paths))


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


def shown(value: object) -> str:
    """A value as a cell shows it: numbers to Excel's 15 significant digits (no
    0.5700000000000001), TRUE/FALSE, error codes, text in quotes."""
    if isinstance(value, CellError):
        return value.code
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return "empty" if isinstance(value, float) and math.isnan(value) else f"{value:.15g}"
    if value is None:
        return "empty"
    return repr(value)


def text_report(report: FileReport, most: int = MAX_MISMATCHES) -> list[str]:
    if report.status is Status.REFUSED:
        return [f"REFUSED {report.message}"]
    mismatched = len(report.mismatches)
    lines = [f"{'ok' if report.status is Status.PASSED else 'FAIL'} {report.path}: "
             f"{report.checked} cells checked, {report.matched} matched, {mismatched} mismatched"
             f" ({report.seconds:.2f} s)"]
    if report.message:
        lines.append(f"  {report.message}")
        most = min(most, 5)  # no cached values at all: a few lines say it
    for m in report.mismatches[:most]:
        lines.append(f"  {m.ref}: {m.formula}  cached {shown(m.cached)}, recomputed "
                     f"{shown(m.recomputed)}")
    if mismatched > most:
        lines.append(f"  ... and {mismatched - most} more")
    return lines


def junit(reports: list[FileReport], name: str = "seriesm regress") -> str:
    """A JUnit XML report: one test case per workbook, every mismatch listed. Reports of the
    shards of one run merge: each is one ``testsuite`` named by its shard."""
    failures = sum(r.status is Status.FAILED for r in reports)
    errors = sum(r.status is Status.REFUSED for r in reports)
    total = sum(r.seconds for r in reports)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<testsuites>",
           f'<testsuite name={quoteattr(name)} tests="{len(reports)}" failures="{failures}" '
           f'errors="{errors}" time="{total:.3f}">']
    for r in reports:
        out.append(f'  <testcase classname="seriesm.regress" name={quoteattr(str(r.path))} '
                   f'time="{r.seconds:.3f}">')
        if r.status is Status.FAILED:
            detail = "\n".join(text_report(r, most=len(r.mismatches))[1:])
            out.append(f"    <failure message={quoteattr(f'{len(r.mismatches)} cells differ')}>"
                       f"{escape(detail)}</failure>")
        elif r.status is Status.REFUSED:
            out.append(f"    <error message={quoteattr(r.message)}/>")
        out.append("  </testcase>")
    out.append("</testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def run(paths: list[str], tolerance: Tolerance, limits: Limits, junit_path: str | None,
        progress: bool | None = None, jobs: int | None = None,
        part: tuple[int, int] | None = None, most: int = MAX_MISMATCHES) -> int:
    """Check every workbook named, print the reports, write JUnit if asked; the exit status."""
    from xl_seriesm.engine import ENGINE_NAME  # noqa: PLC0415

    found = shard(list(workbooks(paths)), part)
    if not found:
        where = f" (shard {part[0]}/{part[1]})" if part else ""
        print(f"seriesm regress: no .xlsx workbooks in {', '.join(paths)}{where}",
              file=sys.stderr)
        return 2
    jobs = jobs or os.cpu_count() or 1
    show_bar = progress if progress is not None else (len(found) >= 5 and sys.stderr.isatty())
    if show_bar:
        from rich.progress import Progress  # noqa: PLC0415

        with Progress(transient=True) as bar:
            task = bar.add_task("checking workbooks", total=len(found))
            reports = check_all(found, tolerance, limits, jobs, lambda: bar.advance(task))
    else:
        reports = check_all(found, tolerance, limits, jobs)
    print(f"engine: {ENGINE_NAME}")
    for report in reports:
        for line in text_report(report, most):
            print(line)
    passed = sum(r.status is Status.PASSED for r in reports)
    failed = sum(r.status is Status.FAILED for r in reports)
    refused = sum(r.status is Status.REFUSED for r in reports)
    print(f"{len(reports)} workbook(s): {passed} passed, {failed} failed, {refused} refused")
    if junit_path:
        from xl_seriesm.xlsx.files import write_atomically  # noqa: PLC0415

        name = f"seriesm regress (shard {part[0]}/{part[1]})" if part else "seriesm regress"
        write_atomically(Path(junit_path), junit(reports, name), force=True)
    return exit_status(reports)
