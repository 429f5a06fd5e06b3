"""Issue 22's budgets for the functions: every array function over 100,000 rows within 5× a
numpy float floor, SERIESM_DILUTE over 10,000 issuances within 10× numpy with linear
growth, and (issue 21) 20,000 refused rows within 1 s.

A floor is the same figures in numpy floats from the same Excel-shaped lists to lists, timed
in the same run (numpy is never used by the functions themselves: xlwings Lite has none).
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from benchmarks.measure import Result, Timing, median_of, timing

ROWS = 100_000
CLOSING, AS_OF = datetime(2005, 1, 10), datetime(2007, 6, 30)
N = 30000 / 7  # 4,000 × 15/14 after a §5(e) issuance


def _numpy() -> Any:
    try:
        import numpy  # noqa: PLC0415
    except ImportError:
        return None
    return numpy


def _columns(rows: int) -> dict[str, list[list[object]]]:
    """Excel-shaped columns of ``rows`` cells: holdings to a tenth of a share (about 91,000
    distinct values), lots of 100, money in cents, conversion numbers, and dates drawn from
    twenty years of days (about 7,300 distinct)."""
    rng = random.Random(22)
    start = datetime(2006, 1, 10)
    return {
        "shares": [[rng.randint(1, 91_000) / 10] for _ in range(rows)],
        "lots": [[float(100 * rng.randint(1, 91))] for _ in range(rows)],
        "money": [[rng.randint(0, 10**9) / 100] for _ in range(rows)],
        "common": [[float(rng.randint(10**6, 10**9))] for _ in range(rows)],
        "numbers": [[rng.choice([4000.0, N, 4077.669902912621, 6000.0, 400.0])]
                    for _ in range(rows)],
        "dates": [[start + timedelta(days=rng.randint(0, 7300))] for _ in range(rows)],
        "days": [[float(rng.randint(-30, 30))] for _ in range(rows)],
    }


def _cases(c: dict[str, list[list[object]]], np: Any,
           ) -> list[tuple[str, Callable[[], object], Callable[[], object]]]:
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    def f(name: str) -> Any:
        return np.asarray(c[name], dtype=np.float64)

    def d(name: str) -> Any:
        return np.asarray(c[name], dtype="datetime64[D]")

    def snapped(x: Any) -> Any:
        r = np.round(x)
        return np.where(np.abs(x - r) <= 1e-6, r, x)

    holidays = [date(2006 + y, 12, 25) for y in range(22)]
    return [
        ("SERIESM_CONVERT (lots of 100)",
         lambda: udfs.SERIESM_CONVERT(c["lots"], CLOSING, AS_OF, N),
         lambda: snapped(f("lots") * N).tolist()),
        ("SERIESM_VOTES",
         lambda: udfs.SERIESM_VOTES(c["shares"], CLOSING, AS_OF, N),
         lambda: np.floor(snapped(f("shares") * N)).tolist()),
        ("SERIESM_CASHINLIEU",
         lambda: udfs.SERIESM_CASHINLIEU(c["shares"], N, 0.14),
         lambda: np.round((lambda x: (x - np.floor(x)) * 0.14)(snapped(f("shares") * N)),
                          2).tolist()),
        ("SERIESM_RESERVE",
         lambda: udfs.SERIESM_RESERVE(c["common"], c["shares"], N),
         lambda: np.maximum(0, f("shares") * N - f("common")).tolist()),
        ("SERIESM_REORGVALUE",
         lambda: udfs.SERIESM_REORGVALUE(c["shares"], 0.3, c["numbers"]),
         lambda: (snapped(f("shares") * f("numbers")) * 0.3).tolist()),
        ("SERIESM_REDEEMABLE",
         lambda: udfs.SERIESM_REDEEMABLE(c["money"], 1025.0, c["shares"]),
         lambda: np.minimum(np.floor(f("money") / 1025.0), np.floor(f("shares"))).tolist()),
        ("SERIESM_LIQVALUE",
         lambda: udfs.SERIESM_LIQVALUE(c["shares"], CLOSING, AS_OF),
         lambda: np.round(f("shares") * (1000 + 50 * 890 / 360), 2).tolist()),
        ("SERIESM_SPLIT",
         lambda: udfs.SERIESM_SPLIT(c["numbers"], 3, 2),
         lambda: (f("numbers") * 1.5).tolist()),
        ("SERIESM_PAROK",
         lambda: udfs.SERIESM_PAROK(c["numbers"]),
         lambda: (1000 / f("numbers") >= 0.05).tolist()),
        ("SERIESM_CLASSVOTE",
         lambda: udfs.SERIESM_CLASSVOTE(c["shares"], 9100),
         lambda: (f("shares") * 2 > 9100).tolist()),
        ("SERIESM_APPRAISER",
         lambda: udfs.SERIESM_APPRAISER(c["shares"], 9100),
         lambda: (f("shares") * 2 >= 9100).tolist()),
        ("SERIESM_OTHERDIVOK",
         lambda: udfs.SERIESM_OTHERDIVOK(c["money"], c["money"]),
         lambda: (f("money") >= f("money")).tolist()),
        ("SERIESM_REDEEMDATE",
         lambda: udfs.SERIESM_REDEEMDATE(c["dates"]),
         lambda: (d("dates") + 15).tolist()),
        ("SERIESM_ELECTBY",
         lambda: udfs.SERIESM_ELECTBY(c["dates"]),
         lambda: (d("dates") - 3).tolist()),
        ("SERIESM_LIQNOTICEBY",
         lambda: udfs.SERIESM_LIQNOTICEBY(c["dates"], c["dates"]),
         lambda: (np.minimum(d("dates"), d("dates")) - 20).tolist()),
        ("SERIESM_CONVERTFROM",
         lambda: udfs.SERIESM_CONVERTFROM(c["dates"]),
         lambda: (d("dates").astype("datetime64[M]") + 12).tolist()),
        ("SERIESM_CONVERTBY",
         lambda: udfs.SERIESM_CONVERTBY(CLOSING, c["dates"]),
         lambda: (d("dates") + 10).tolist()),
        ("SERIESM_ISBUSDAY",
         lambda: udfs.SERIESM_ISBUSDAY(c["dates"]),
         lambda: np.is_busday(d("dates"), holidays=holidays).tolist()),
        ("SERIESM_WORKDAY",
         lambda: udfs.SERIESM_WORKDAY(c["dates"], c["days"]),
         lambda: np.busday_offset(d("dates"), f("days").astype(int), roll="forward",
                                  holidays=holidays).tolist()),
        ("SERIESM_DEADLINE",
         lambda: udfs.SERIESM_DEADLINE(c["dates"]),
         lambda: np.busday_offset(d("dates"), 10, roll="forward",
                                  holidays=holidays).tolist()),
        ("SERIESM_CONVDATE",
         lambda: udfs.SERIESM_CONVDATE(c["dates"]),
         lambda: np.busday_offset(d("dates"), 0, roll="forward", holidays=holidays).tolist()),
        ("SERIESM_CANREVOKE",
         lambda: udfs.SERIESM_CANREVOKE(c["dates"], c["dates"]),
         lambda: (np.busday_offset(d("dates"), 10, roll="forward", holidays=holidays)
                  < d("dates")).tolist()),
        ("SERIESM_RECORDNOTICEBY",
         lambda: udfs.SERIESM_RECORDNOTICEBY(c["dates"]),
         lambda: np.busday_offset(d("dates"), -10, roll="backward",
                                  holidays=holidays).tolist()),
    ]


def columns() -> list[Result]:
    """Every array function over a 100,000-row column in one call, beside numpy floats."""
    np = _numpy()
    if np is None:
        return [Result("array functions, 100,000 rows", math.nan, None,
                       failure="numpy (the float floor) is not installed")]
    c = _columns(ROWS)
    results = []
    for name, call, floor in _cases(c, np):
        answer = call()
        assert isinstance(answer, list)
        assert len(answer) == ROWS
        bad = [row[0] for row in answer if isinstance(row[0], str)]
        assert not bad, f"{name}: {bad[:1]}"
        run, base, ratio = interleaved(call, floor)
        results.append(Result(f"{name}, 100,000 rows", run.median, 5 * base, base,
                              "numpy floats", f"budget 5× numpy; round by round "
                              f"{ratio:.2f}×; median of 5", low=run.low, high=run.high))
    return results


def interleaved(call: Callable[[], object], floor: Callable[[], object], rounds: int = 5,
                ) -> tuple[Timing, float, float]:
    """The call and its floor timed in alternation (on a shared machine the load moves
    between rounds): the call's timing, the floor's median and the median ratio of the
    rounds."""
    call()
    floor()
    mine, theirs = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        floor()
        theirs.append(time.perf_counter() - start)
    ratio = statistics.median(m / t for m, t in zip(mine, theirs, strict=True))
    return (Timing(statistics.median(mine), min(mine), max(mine)), statistics.median(theirs),
            ratio)


def _ledger(rows: int) -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
    """A §5(e) ledger of ``rows`` issuances, about 60% of them below $0.25."""
    rng = random.Random(5)
    outstanding, new, paid = [], [], []
    a = 100_000_000
    for _ in range(rows):
        b = rng.randint(1000, 2_000_000)
        outstanding.append([float(a)])
        new.append([float(b)])
        paid.append([round(b * rng.uniform(0.05, 0.4), 2)])
        a += b
    return outstanding, new, paid


def dilute() -> list[Result]:
    """SERIESM_DILUTE down 10,000 and 100,000 issuances (budget 10× numpy; linear)."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    np = _numpy()
    results = []
    medians = {}
    for rows in (10_000, 100_000):
        a, b, k = _ledger(rows)

        def call(a: Any = a, b: Any = b, k: Any = k) -> object:
            return udfs.SERIESM_DILUTE(4000, a, b, k)

        run = timing(call, 3)
        medians[rows] = run.median
        base = None
        if np is not None:
            def floor(a: Any = a, b: Any = b, k: Any = k) -> object:
                a_, b_, k_ = (np.asarray(x, dtype=np.float64)[:, 0] for x in (a, b, k))
                factor = np.where(k_ < 0.25 * b_, (a_ + b_) / (a_ + 4 * k_), 1.0)
                return (4000 * np.cumprod(factor))[:, None].tolist()

            base = median_of(floor, 3)
        results.append(Result(f"SERIESM_DILUTE, {rows:,} issuances", run.median,
                              10 * base if base and rows == 10_000 else None, base,
                              "numpy cumprod", "budget 10× numpy; median of 3",
                              low=run.low, high=run.high))
    exponent = math.log(medians[100_000] / medians[10_000]) / math.log(10)
    results.append(Result("SERIESM_DILUTE, growth 10,000 to 100,000 issuances",
                          medians[100_000], medians[10_000] * 10**1.15,
                          note=f"n^{exponent:.2f} (budget n^1.15: linear with noise)"))
    return results


def refused() -> list[Result]:
    """20,000 refused rows in one call (issue 21: budget 1 s each)."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    closings = [[datetime(2005, 1, 1) + timedelta(days=i % 400)] for i in range(20_000)]
    late = datetime(9999, 12, 31)
    negative = [[-float(i + 1)] for i in range(20_000)]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("SERIESM_LIQVALUE, 20,000 rows refused: as-of 9999-12-31, 400 closing dates",
         lambda: udfs.SERIESM_LIQVALUE([[100.0]] * 20_000, closings, late)),
        ("SERIESM_ACCRUED, 20,000 rows refused: 20,000 distinct negative share counts",
         lambda: udfs.SERIESM_ACCRUED(negative, CLOSING, AS_OF)),
        ("SERIESM_VOTES, 20,000 rows refused: record date before the closing dates",
         lambda: udfs.SERIESM_VOTES([[100.0]] * 20_000, closings, datetime(2004, 1, 1))),
    ]
    results = []
    for name, call in cases:
        answer = call()
        assert isinstance(answer, list)
        assert all(isinstance(row[0], str) for row in answer), name
        run = timing(call, 3)
        results.append(Result(name, run.median, 1.0, note="median of 3", low=run.low,
                              high=run.high))
    return results


def payouts_sheet() -> list[Result]:
    """LibreOffice's own recalculation (``soffice --convert-to``, cold) of the built-ins
    template at 10,000 holders beside the add-in book of the same size (budget 3×), and its
    growth from 10,000 to 50,000 holders (budget n^1.1)."""
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from xl_seriesm import libreoffice  # noqa: PLC0415
    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.cli.template import make  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import synthetic  # noqa: PLC0415
    from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

    figures: dict[tuple[int, Flavor], Timing] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for holders, flavors in ((10_000, list(Flavor)), (50_000, [Flavor.NATIVE])):
            cap = synthetic(holders, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                            SAMPLE.settings)
            make(cap, folder / str(holders), flavors, force=False)
            for flavor in flavors:
                book = folder / str(holders) / flavor.filename
                out = folder / f"out-{holders}-{flavor.value}"

                def job(book: Path = book, out: Path = out) -> None:
                    shutil.rmtree(out, ignore_errors=True)
                    libreoffice.recalculate([book], out, timeout=3600)

                figures[holders, flavor] = timing(job, 3 if holders == 10_000 else 1,
                                                  warm_up=holders == 10_000)
    native, add_in = figures[10_000, Flavor.NATIVE], figures[10_000, Flavor.UDF]
    large = figures[50_000, Flavor.NATIVE]
    exponent = math.log(large.median / native.median) / math.log(5)
    return [
        Result("LibreOffice recalculating the 10,000-holder built-ins template", native.median,
               3 * add_in.median, add_in.median, "the add-in book, same size",
               "soffice --convert-to, cold; budget 3×; median of 3", low=native.low,
               high=native.high),
        Result("the same at 50,000 holders (growth from 10,000)", large.median,
               native.median * 5**1.1, note=f"n^{exponent:.2f} (budget n^1.1); one run"),
    ]
