"""Run every benchmark and print each figure beside its budget and its baseline.

    python -m benchmarks                   # all (the 50,000-holder suite takes half an hour)
    python -m benchmarks accrued headless  # the suites named

Budgets come from the issues. A baseline is the floor the figure is judged against (a plain
numpy float computation of the same figures, or the same job done another way); the ratio
says how far above that floor the exact path sits. Exit status 1 when a budget is missed.
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
    seconds: float  # the median (or, with unit "MB", megabytes)
    budget: float | None
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""
    low: float | None = None
    high: float | None = None
    unit: str = "s"
    #: Why the benchmark could not measure (the figure is then missing, and the run fails).
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure and (self.budget is None or self.seconds <= self.budget)


@dataclass(frozen=True)
class Timing:
    median: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{_format(self.median)} ({_format(self.low)} to {_format(self.high)})"


def timing(job: Callable[[], object], repeat: int = 5, warm_up: bool = True) -> Timing:
    """The median of ``repeat`` runs (after one warm-up), with the range: the figure a user
    sees, and how much the shared machine moved it."""
    if warm_up:
        job()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), min(times), max(times))


def median_of(job: Callable[[], object], repeat: int = 5) -> float:
    """The median of ``repeat`` runs after a warm-up."""
    return timing(job, repeat).median


def median_in_subprocess(code: str, repeat: int = 7) -> float:
    """Median of a figure a fresh interpreter prints (for import times)."""
    figures = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        figures.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(figures)


def _format(seconds: float | None, unit: str = "s") -> str:
    if seconds is None:
        return "-"
    if unit != "s":
        return f"{seconds:,.0f} {unit}"
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.1f} µs"
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def report(results: list[Result]) -> int:
    table = Table(title="xl-seriesm benchmarks")
    for column in ("benchmark", "median", "range", "budget", "baseline", "ratio", "", "note"):
        table.add_column(column, justify="left" if column in ("benchmark", "note") else "right")
    for r in results:
        ratio = f"{r.seconds / r.baseline:,.3g}x" if r.baseline else "-"
        baseline = (f"{_format(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline
                    else "-")
        spread = (f"{_format(r.low, r.unit)} to {_format(r.high, r.unit)}"
                  if r.low is not None and r.high is not None else "-")
        if r.failure:
            table.add_row(r.name, "-", "-", _format(r.budget, r.unit), "-", "-", "FAILED",
                          r.failure)
            continue
        table.add_row(r.name, _format(r.seconds, r.unit), spread, _format(r.budget, r.unit),
                      baseline, ratio, "ok" if r.ok else "OVER", r.note)
    Console(width=200).print(table)
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    from benchmarks import suites  # noqa: PLC0415

    wanted = (argv if argv is not None else sys.argv[1:]) or list(suites.ALL)
    unknown = [w for w in wanted if w not in suites.ALL]
    if unknown:
        print(f"no benchmark named {', '.join(unknown)}; the suites are: "
              f"{', '.join(suites.ALL)}", file=sys.stderr)
        return 2
    results = []
    for name in wanted:
        try:
            results.extend(suites.ALL[name]())
        except Exception as error:  # noqa: BLE001 - reported as that suite's row
            results.append(Result(f"{name} (whole suite)", float("nan"), None,
                                  failure=f"{type(error).__name__}: {error}"[:300]))
    return report(results)
