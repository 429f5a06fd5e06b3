"""`seriesm template` (issue 22, item 7): both flavors at 10,000 holders within 2× openpyxl's
write-only mode writing the same cells, timed round by round in the same run; and at 50,000
holders under 1 GB, with time and memory growing linearly from 10,000.

The growth figures come from fresh processes (``make`` of both flavors, as the command runs
it, after the imports): the time of the job, and the peak resident memory of the process
(its high-water mark, ``VmHWM``) above what the interpreter holds once the modules are
imported.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.linear import interleaved
from benchmarks.measure import Result

_ROOT = Path(__file__).resolve().parent.parent
#: The growth a linear job is allowed between 10,000 and 50,000 holders, with noise.
GROWTH = 1.1
MEMORY_BUDGET_MB = 1024

_CHILD = """
import json, re, sys, tempfile, time
from pathlib import Path
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.workbook.inputs import synthetic
from xl_seriesm.workbook.writer import Flavor
def high_water():  # kB: the process's own peak, reset by exec (unlike ru_maxrss)
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s*(\\d+) kB", status.read())[1])
imported = high_water()
cap = synthetic(int(sys.argv[1]), SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                SAMPLE.settings)
start = time.perf_counter()
with tempfile.TemporaryDirectory() as folder:
    make(cap, Path(folder), list(Flavor), force=False)
seconds = time.perf_counter() - start
peak = high_water()
print(json.dumps([seconds, imported * 1024, peak * 1024]))
"""


def _fresh(holders: int) -> tuple[float, float, float]:
    """Seconds, resident MB after the imports, and peak resident MB of ``make`` of both
    flavors for ``holders`` in a fresh process (Linux: ``VmHWM``, the high-water mark of
    the process's own memory; ``ru_maxrss`` would count the parent's resident memory at
    the fork)."""
    env = {**os.environ, "PYTHONPATH": str(_ROOT)}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(holders)], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"seriesm template --holders {holders}: exit {done.returncode}: "
                           f"{done.stderr[-2000:]}")
    seconds, imported, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, imported / 2**20, peak / 2**20


def template_floor() -> list[Result]:
    """`seriesm template`, both flavors, at 10,000 holders beside openpyxl's write-only mode
    writing the same cells (each flavor's formulas, or values where it has none, sheet by
    sheet) in the same run (budget 2×); then 10,000 and 50,000 holders in fresh processes:
    the peak memory at 50,000 (budget 1 GB) and the growth of time and memory from 10,000
    (budget n^1.1 each)."""
    return measure(10_000, 50_000)


def measure(holders: int, large: int) -> list[Result]:
    """:func:`template_floor` for ``holders`` and ``large`` holders (five times as many)."""
    if large != 5 * holders:
        raise ValueError(f"large = {large:,}: give five times holders ({5 * holders:,})")
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string  # noqa: PLC0415

    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.cli.template import make  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import synthetic  # noqa: PLC0415
    from xl_seriesm.workbook.model import build  # noqa: PLC0415
    from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

    cap = synthetic(holders, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                    SAMPLE.settings)
    built = build(cap)
    grids: dict[Flavor, list[tuple[str, list[list[object]]]]] = {}
    for flavor in Flavor:
        sheets = []
        for sheet in built.sheets:
            rows: dict[int, dict[int, object]] = {}
            for cell in sheet.cells:
                letters, number = coordinate_from_string(cell.ref)
                formula = cell.native if flavor is Flavor.NATIVE else cell.udf
                rows.setdefault(number, {})[column_index_from_string(letters)] = (
                    formula or cell.value)
            width = max((max(r) for r in rows.values()), default=1)
            sheets.append((sheet.name, [[rows.get(n, {}).get(c) for c in range(1, width + 1)]
                                        for n in range(1, max(rows, default=0) + 1)]))
        grids[flavor] = sheets
    del built

    def ours() -> None:
        with tempfile.TemporaryDirectory() as folder:
            make(cap, Path(folder), list(Flavor), force=False)

    def floor() -> None:
        with tempfile.TemporaryDirectory() as folder:
            for flavor, sheets in grids.items():
                book = Workbook(write_only=True)
                for name, rows in sheets:
                    sheet = book.create_sheet(name)
                    for row in rows:
                        sheet.append(row)
                book.save(Path(folder) / flavor.filename)

    run, base, ratio = interleaved(ours, floor, rounds=3)
    grids.clear()  # the fresh processes below need the memory more
    results = [Result(f"seriesm template, {holders:,} holders, both flavors", run.median, 2 * base,
                      base, "openpyxl write-only, same cells", f"budget 2×; round by round "
                      f"{ratio:.2f}×; median of 3", low=run.low, high=run.high)]
    small = [_fresh(holders) for _ in range(3)]
    seconds, imported, peak = _fresh(large)
    small_seconds = statistics.median(s for s, _, _ in small)
    small_imported = statistics.median(i for _, i, _ in small)
    small_peak = statistics.median(p for _, _, p in small)
    time_growth = math.log(seconds / small_seconds) / math.log(5)
    small_memory, memory = small_peak - small_imported, peak - imported
    memory_growth = math.log(memory / small_memory) / math.log(5)
    results += [
        Result(f"  {holders:,} holders in a fresh process", small_seconds, None,
               note=f"peak {small_peak:,.0f} MB ({small_memory:,.0f} MB above the "
               f"{small_imported:,.0f} MB of the imports); median of 3",
               low=min(s for s, _, _ in small), high=max(s for s, _, _ in small)),
        Result(f"  {large:,} holders (time's growth from {holders:,})", seconds,
               small_seconds * 5**GROWTH, small_seconds, f"{holders:,} holders, fresh process",
               f"n^{time_growth:.2f} (budget n^{GROWTH}); one run"),
        Result(f"  {large:,} holders, peak memory", peak, MEMORY_BUDGET_MB, imported,
               "the interpreter after the imports", "VmHWM of the process; one run",
               unit="MB"),
        Result(f"  {large:,} holders, memory above the imports (growth from {holders:,})",
               memory,
               small_memory * 5**GROWTH, small_memory, f"the same at {holders:,} holders",
               f"n^{memory_growth:.2f} (budget n^{GROWTH})", unit="MB"),
    ]
    return results
