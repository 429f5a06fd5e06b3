"""Run every benchmark and print each figure beside its budget and its baseline.

    python -m benchmarks            # all
    python -m benchmarks accrued    # those whose name contains "accrued"

Budgets come from the issues. A baseline is the floor the figure is judged against (a plain
numpy float computation of the same figures, or the same job done another way); the ratio
says how far above that floor the exact path sits. A figure with a range after it is the median of
several runs (fastest–slowest); the others are the fastest run. Exit status 1 when a budget
is missed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    budget: float | None
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""
    #: fastest and slowest run, when ``seconds`` is a median (see :func:`spread_of`)
    spread: tuple[float, float] | None = None

    @property
    def ok(self) -> bool:
        return self.budget is None or self.seconds <= self.budget


def times_of(job: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` runs, after one warm-up."""
    job()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return times


def best_of(job: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs (after one warm-up): the figure least disturbed by
    whatever else the machine is doing."""
    return min(times_of(job, repeat))


def spread_of(job: Callable[[], object], repeat: int = 7) -> tuple[float, tuple[float, float]]:
    """The median of ``repeat`` runs (after one warm-up) and their range: for the budgets a
    user feels, where one lucky run would flatter the figure."""
    times = times_of(job, repeat)
    return statistics.median(times), (min(times), max(times))


def median_in_subprocess(code: str, repeat: int = 7) -> float:
    """Median of a figure a fresh interpreter prints (for import times)."""
    figures = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        figures.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(figures)


def _format(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.1f} µs"
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def report(results: list[Result]) -> int:
    table = Table(title="xl-seriesm benchmarks")
    for column in ("benchmark", "measured", "budget", "baseline", "ratio", "", "note"):
        table.add_column(column, justify="left" if column in ("benchmark", "note") else "right")
    for r in results:
        ratio = f"{r.seconds / r.baseline:,.3g}x" if r.baseline else "-"
        baseline = f"{_format(r.baseline)} ({r.baseline_name})" if r.baseline else "-"
        measured = _format(r.seconds)
        if r.spread:
            measured += f" ({_format(r.spread[0])}–{_format(r.spread[1])})"
        table.add_row(r.name, measured, _format(r.budget), baseline, ratio,
                      "ok" if r.ok else "OVER", r.note)
    Console(width=200).print(table)
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    from benchmarks import suites  # noqa: PLC0415

    wanted = (argv if argv is not None else sys.argv[1:]) or [""]
    results = []
    for name, bench in suites.ALL.items():
        if any(w in name for w in wanted):
            results.extend(bench())
    return report(results)
