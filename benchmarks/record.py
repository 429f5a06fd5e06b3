"""The last run of each suite, kept in ``benchmarks/results.json``, and the README's speed
table drawn from it.

``python -m benchmarks --save [SUITES]`` runs the suites and records their results, each
suite with the date, machine and load it ran at (a partial run replaces only the suites it
ran); ``python -m benchmarks --readme`` redraws the README's table from the file. The table
is never typed by hand: tests/test_benchmarks.py fails when it differs from the file.
"""

from __future__ import annotations

import json
import os
import platform
import re
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import Result, format_figure

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"
BEGIN = "<!-- speed table: drawn by python -m benchmarks --readme from benchmarks/results.json -->"
END = "<!-- end of the speed table -->"


def machine() -> dict[str, Any]:
    """Where and when a suite ran: its figures mean little without it."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "load": None if load is None else round(load, 1)}


def load(path: Path | None = None) -> dict[str, Any]:
    path = path or RESULTS
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def save(ran: dict[str, list[Result]], path: Path | None = None) -> None:
    """Record the suites of this run, keeping the other suites' last runs."""
    path = path or RESULTS
    data = load(path)
    where = machine()
    for name, results in ran.items():
        data[name] = {"ran": where, "results": [asdict(r) for r in results]}
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _result(entry: dict[str, Any]) -> Result:
    known = {f.name for f in fields(Result)}
    return Result(**{k: v for k, v in entry.items() if k in known})


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(data: dict[str, Any], order: list[str]) -> str:
    """The Markdown table of every recorded result, suites in ``order``."""
    lines = ["| benchmark (suite) | median (range) | budget | baseline, same run | ratio | "
             "run |", "|---|---|---|---|---|---|"]
    for suite in [*order, *sorted(set(data) - set(order))]:
        if suite not in data:
            continue
        ran = data[suite]["ran"]
        when = f"{ran['date'][:10]}, load {ran['load']} on {ran['cpus']} cores"
        for r in map(_result, data[suite]["results"]):
            if r.failure:
                row = [f"{r.name} (`{suite}`)", "could not measure: " + r.failure,
                       format_figure(r.budget, r.unit), "-", "-", when]
            else:
                spread = (f" ({format_figure(r.low, r.unit)} to {format_figure(r.high, r.unit)})"
                          if r.low is not None and r.high is not None else "")
                mark = "" if r.ok else " **over budget**"
                baseline = (f"{format_figure(r.baseline, r.unit)}: {r.baseline_name}"
                            if r.baseline else "-")
                ratio = f"{r.seconds / r.baseline:,.3g}×" if r.baseline else "-"
                note = f"; {r.note}" if r.note else ""
                row = [f"{r.name} (`{suite}`{note})",
                       f"{format_figure(r.seconds, r.unit)}{spread}{mark}",
                       format_figure(r.budget, r.unit), baseline, ratio, when]
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines)


def readme_with_table(readme: str, data: dict[str, Any], order: list[str]) -> str:
    """``readme`` with the text between the markers replaced by the table."""
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(readme):
        raise ValueError(f"README.md has no speed-table markers ({BEGIN} ... {END})")
    block = f"{BEGIN}\n{table(data, order)}\n{END}"
    return pattern.sub(lambda _: block, readme, count=1)
