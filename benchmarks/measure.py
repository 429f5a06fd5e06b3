"""Measuring: a benchmark's result, the median and range of repeated runs, figures printed
from a fresh interpreter. The suites (:mod:`benchmarks.suites`, :mod:`benchmarks.headless`)
measure with these; :mod:`benchmarks.run` runs the suites and prints the table.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


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
        low, high = format_figure(self.low), format_figure(self.high)
        return f"{format_figure(self.median)} ({low} to {high})"


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


def command_seconds(command: list[str], repeat: int) -> list[float]:
    """The wall-clock seconds of each of ``repeat`` runs of a command, as a user runs it."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


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


def format_figure(seconds: float | None, unit: str = "s") -> str:
    if seconds is None:
        return "-"
    if unit != "s":
        return f"{seconds:,.0f} {unit}"
    if seconds < 1e-3:
        return f"{seconds * 1e6:,.1f} µs"
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"
