"""`seriesm regress` and `seriesm calc` against LibreOffice's own recalculation of the same
books, measured side by side in the same run.

LibreOffice's figure is ``soffice --convert-to xlsx`` of the book, cold (start, load,
recalculate, save): what "LibreOffice recalculates it" costs from a command line. Ours is the
whole command, cold too (a fresh ``seriesm`` process: engine start, preflight, reading the
XML, LibreOffice's load and recalculation, comparing or writing). Peak memory is the largest
resident total of the command's whole process tree (soffice included), sampled every 50 ms.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.measure import Result, Timing, timing

_ROOT = Path(__file__).resolve().parent.parent


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux)."""
    from xl_seriesm.engine.office import processes  # noqa: PLC0415

    table = processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += table[pid][2] if pid in table else 0
        todo += children.get(pid, [])
    return total


def _run(args: list[str], peak: list[int] | None = None) -> None:
    """Run ``seriesm ARGS`` in a fresh process; its peak memory is appended to ``peak``."""
    env = {**os.environ, "PYTHONPATH": str(_ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "xl_seriesm.cli", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    highest = [0]

    def sample() -> None:
        while process.poll() is None:
            highest[0] = max(highest[0], _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"seriesm {' '.join(args)}: exit {process.returncode}: "
                           f"{out.decode()[-2000:]}{err.decode()[-2000:]}")
    if peak is not None:
        peak.append(highest[0])


def _libreoffice(book: Path, out: Path) -> Callable[[], None]:
    from xl_seriesm import libreoffice  # noqa: PLC0415

    def job() -> None:
        shutil.rmtree(out, ignore_errors=True)
        libreoffice.recalculate([book], out, timeout=3600)
    return job


def _books(holders: int, folder: Path, timeout: list[str]) -> dict[str, Path]:
    """Both flavors of the template for ``holders``, and each with its values cached by
    `seriesm calc` (the book `regress` checks)."""
    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.cli.template import make  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import synthetic  # noqa: PLC0415
    from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

    cap = synthetic(holders, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                    SAMPLE.settings)
    make(cap, folder, list(Flavor), force=False)
    books = {"native": folder / Flavor.NATIVE.filename, "add-in": folder / Flavor.UDF.filename}
    for name, book in list(books.items()):
        cached = folder / f"{name}-cached.xlsx"
        _run(["calc", str(book), "-o", str(cached), *timeout])
        books[f"{name} cached"] = cached
    return books


def _pair(holders: int, repeat: int, factor_native: float, factor_addin: float,
          memory_budget_mb: float | None, limit: float = 120) -> list[Result]:
    """``limit``: the --timeout given to calc and regress (their default is 120 s)."""
    results = []
    timeout = ["--timeout", f"{limit:g}"]
    with tempfile.TemporaryDirectory(prefix="seriesm-bench-") as name:
        folder = Path(name)
        books = _books(holders, folder, timeout)
        lo = timing(_libreoffice(books["native"], folder / "lo"), repeat, warm_up=False)
        for flavor in ("native", "add-in"):
            target = folder / f"{flavor}-out.xlsx"
            peaks: list[int] = []
            calc = timing(lambda f=flavor, t=target, p=peaks: _run(  # type: ignore[misc]
                ["calc", str(books[f]), "-o", str(t), "--force", *timeout], p), repeat, False)
            regress = timing(lambda f=flavor, p=peaks: _run(  # type: ignore[misc]
                ["regress", str(books[f"{f} cached"]), "--jobs", "1", *timeout], p), repeat,
                False)
            factor = factor_native if flavor == "native" else factor_addin
            note = "" if flavor == "native" else "budget against LibreOffice on the native book"
            for command, figure in (("calc", calc), ("regress", regress)):
                results.append(_result(f"seriesm {command}, {holders:,} holders, {flavor}",
                                       figure, factor * lo.median, lo, factor, note))
            if memory_budget_mb is not None:
                peak = max(peaks) / 2**20
                results.append(Result(f"  peak memory, calc and regress, {flavor}", peak,
                                      memory_budget_mb if flavor == "native" else None,
                                      low=min(peaks) / 2**20, high=peak, unit="MB",
                                      note="whole process tree, soffice included"))
    return results


def _result(name: str, figure: Timing, budget: float, lo: Timing, factor: float,
            note: str) -> Result:
    return Result(name, figure.median, budget, lo.median,
                  f"LibreOffice --convert-to of the native book, {lo}",
                  f"budget {factor:g}x LibreOffice; {note}".rstrip("; "),
                  low=figure.low, high=figure.high)


def headless() -> list[Result]:
    """10,000 holders: native within 1.5x LibreOffice and under 1 GB; add-in within 2x
    LibreOffice on the native book."""
    return _pair(10_000, 3, 1.5, 2.0, 1024)  # 3 runs each: about 8 minutes here


def headless_large() -> list[Result]:
    """50,000 holders, both flavors: finishes, within 2x LibreOffice. The native book's
    Payouts sheet ranks every holder against every other (COUNTIF per row), so LibreOffice
    itself takes minutes: calc and regress get a --timeout of an hour, not their 120 s."""
    return _pair(50_000, 1, 2.0, 2.0, None, limit=3600)


def folder() -> list[Result]:
    """A folder of 20 golden books: what each file after the first costs, against
    LibreOffice's own cost per file (ours may exceed it by 0.5 s), with --jobs 1 and 2."""
    golden = sorted((_ROOT / "workbooks" / "golden").glob("*.xlsx"))
    results = []
    with tempfile.TemporaryDirectory(prefix="seriesm-bench-") as name:
        root = Path(name)
        one, twenty = root / "one", root / "twenty"
        one.mkdir()
        twenty.mkdir()
        for i in range(20):
            shutil.copy(golden[i % len(golden)], twenty / f"{i:02d}-{golden[i % len(golden)].name}")
        shutil.copy(golden[0], one / golden[0].name)
        lo_one = timing(_libreoffice_many(sorted(one.glob("*.xlsx")), root / "lo1"), 3, False)
        lo_all = timing(_libreoffice_many(sorted(twenty.glob("*.xlsx")), root / "lo20"), 3,
                        False)
        lo_per_file = (lo_all.median - lo_one.median) / 19
        for jobs in (1, 2):
            first = timing(lambda j=jobs: _run(  # type: ignore[misc]
                ["regress", str(one), "--jobs", str(j)]), 3, False)
            every = timing(lambda j=jobs: _run(  # type: ignore[misc]
                ["regress", str(twenty), "--jobs", str(j)]), 3, False)
            per_file = (every.median - first.median) / 19
            results.append(Result(
                f"regress, folder of 20 golden books, --jobs {jobs}: each file after the "
                "first", per_file, lo_per_file + 0.5, lo_per_file,
                "LibreOffice per file, 20 books in one --convert-to",
                f"budget: LibreOffice's own + 0.5 s; whole folder {every}; one book {first}"))
    return results


def _libreoffice_many(books: list[Path], out: Path) -> Callable[[], None]:
    from xl_seriesm import libreoffice  # noqa: PLC0415

    def job() -> None:
        shutil.rmtree(out, ignore_errors=True)
        libreoffice.recalculate(books, out, timeout=900)
    return job
