"""Run every benchmark and print each figure beside its budget and its baseline.

    python -m benchmarks                   # all (the 50,000-holder suite takes half an hour)
    python -m benchmarks accrued headless  # the suites named
    python -m benchmarks --save [SUITES]   # ... and record them in benchmarks/results.json
    python -m benchmarks --readme          # redraw README's speed table from that file

Budgets come from the issues. A baseline is the floor the figure is judged against (a plain
numpy float computation of the same figures, or the same job done another way); the ratio
says how far above that floor the exact path sits. Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from benchmarks import record, suites
from benchmarks.measure import Result, format_figure

__all__ = ["Result", "main", "report"]


def report(results: list[Result]) -> int:
    table = Table(title="xl-seriesm benchmarks")
    for column in ("benchmark", "median", "range", "budget", "baseline", "ratio", "", "note"):
        table.add_column(column, justify="left" if column in ("benchmark", "note") else "right")
    for r in results:
        ratio = f"{r.seconds / r.baseline:,.3g}x" if r.baseline else "-"
        baseline = (f"{format_figure(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline
                    else "-")
        spread = (f"{format_figure(r.low, r.unit)} to {format_figure(r.high, r.unit)}"
                  if r.low is not None and r.high is not None else "-")
        if r.failure:
            table.add_row(r.name, "-", "-", format_figure(r.budget, r.unit), "-", "-", "FAILED",
                          r.failure)
            continue
        table.add_row(r.name, format_figure(r.seconds, r.unit), spread,
                      format_figure(r.budget, r.unit), baseline, ratio, "ok" if r.ok else "OVER",
                      r.note)
    Console(width=200).print(table)
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    keep = "--save" in args
    if "--readme" in args:
        record.README.write_text(record.readme_with_table(
            record.README.read_text(encoding="utf-8"), record.load(), list(suites.ALL)),
            encoding="utf-8")
        print(f"drew the speed table in {record.README.name} from {record.RESULTS.name}")
        return 0
    wanted = [a for a in args if a != "--save"] or list(suites.ALL)
    unknown = [w for w in wanted if w not in suites.ALL]
    if unknown:
        print(f"no benchmark named {', '.join(unknown)}; the suites are: "
              f"{', '.join(suites.ALL)}", file=sys.stderr)
        return 2
    ran: dict[str, list[Result]] = {}
    for name in wanted:
        try:
            ran[name] = suites.ALL[name]()
        except Exception as error:  # noqa: BLE001 - reported as that suite's row
            ran[name] = [Result(f"{name} (whole suite)", float("nan"), None,
                                failure=f"{type(error).__name__}: {error}"[:300])]
        if keep:  # each suite as it finishes: a long run stopped halfway keeps what it measured
            record.save({name: ran[name]})
    return report([r for results in ran.values() for r in results])
