"""The capital stack's budgets (issue 20, item 7) and SERIESM_PAYOUTS' (issue 22, item 4),
each figure beside a float baseline measured in the same run."""

from __future__ import annotations

import bisect
import math
import random
from typing import Any

from benchmarks.measure import Result, median_of, timing

#: Issue 20's stack: 20 preferred classes (participation none, full or capped, seniority 1
#: to 5) and 50 option strikes; 9,100 Series M with $455,000 accrued; 100,000,000 common.
CLASSES, STRIKES = 20, 50
SERIES_M = (9100.0, 100_000_000.0, 455_000.0)


def stack_table() -> list[list[object]]:
    """The stack as a range, header first."""
    rng = random.Random(20)
    rows: list[list[object]] = [["class", "kind", "shares", "preference", "seniority",
                                 "participation", "cap", "strike"]]
    for i in range(CLASSES):
        participation = ("none", "full", "capped")[i % 3]
        rows.append([f"Series {i + 1}", "preferred", rng.randint(1, 5) * 1_000_000,
                     rng.randint(50, 300) / 100, rng.randint(1, 5), participation,
                     3 if participation == "capped" else None, None])
    for j in range(STRIKES):
        rows.append([f"Grant {j + 1}", "option", rng.randint(1, 10) * 100_000, None, None,
                     None, None, (j + 1) / 20])
    return rows


def _float_kinks(rows: list[list[object]]) -> tuple[float, list[tuple[float, float]]]:
    """The preferences and the (price, change in shares) kinks in floats: the baseline's
    model of the same stack."""
    pref, common, accrued = SERIES_M
    preferences = pref * 1000 + accrued
    kinks = [(0.0, common), (pref * 1000 / (pref * 4000), pref * 4000)]
    for row in rows[1:]:
        _, kind, shares, preference, _, participation, cap, strike = row
        n = float(shares)  # type: ignore[arg-type]
        if kind == "option":
            kinks.append((float(strike), n))  # type: ignore[arg-type]
            continue
        total = n * float(preference)  # type: ignore[arg-type]
        preferences += total
        if participation == "none":
            kinks.append((total / n, n))
        elif participation == "full":
            kinks.append((0.0, n))
        else:
            multiple = float(cap)  # type: ignore[arg-type]
            kinks += [(0.0, n), ((multiple - 1) * total / n, -n), (multiple * total / n, n)]
    return preferences, kinks


def _float_breakpoints(rows: list[list[object]]) -> list[float]:
    preferences, kinks = _float_kinks(rows)
    kinks.sort()
    values, slope, last, value = [], 0.0, 0.0, preferences
    for price, change in kinks:
        value += slope * (price - last)
        slope += change
        last = price
        values.append(value)
    return values


def stack() -> list[Result]:
    """SERIESM_BREAKPOINTS (budget 50 ms), SERIESM_WATERFALL over 10,000 exit values (1 s)
    and SERIESM_PAYOUTS for 10,000 holders (2 s), all with the 20-class, 50-strike stack."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    rows = stack_table()
    table = udfs.SERIESM_BREAKPOINTS(*SERIES_M, 4000, True, rows)
    assert isinstance(table, list), table
    results = []
    run = timing(lambda: udfs.SERIESM_BREAKPOINTS(*SERIES_M, 4000, True, rows), 7)
    results.append(Result("SERIESM_BREAKPOINTS, 20 classes and 50 strikes", run.median, 0.050,
                          median_of(lambda: _float_breakpoints(rows), 7),
                          "the same breakpoints in Python floats", "median of 7",
                          low=run.low, high=run.high))

    exits = [[float(i * 50_000)] for i in range(10_000)]
    check = udfs.SERIESM_WATERFALL(exits[:3], *SERIES_M, 4000, True, True, None, rows)
    assert isinstance(check, list), check
    assert not isinstance(check[1][1], str), check
    _, kinks = _float_kinks(rows)
    kinks.sort()
    prices = [k for k, _ in kinks]
    starts = _float_breakpoints(rows)
    slopes = [sum(change for _, change in kinks[:i + 1]) for i in range(len(kinks))]
    shares = [float(row[2]) for row in rows[1:]]  # type: ignore[arg-type]

    def python_floats() -> object:
        # Per exit value: the segment, the common's price, and a total and a per-share
        # figure for every class (what the exact call returns), in floats.
        out = []
        for (x,) in exits:
            k = bisect.bisect_right(starts, x) - 1
            price = prices[k] + (x - starts[k]) / slopes[k] if k >= 0 else 0.0
            row = [x]
            for n in shares:
                total = round(n * price, 2)
                row += [total, total / n]
            out.append(row)
        return out

    run = timing(lambda: udfs.SERIESM_WATERFALL(exits, *SERIES_M, 4000, True, True, None,
                                                rows), 5)
    results.append(Result("SERIESM_WATERFALL with the stack, 10,000 exit values", run.median,
                          1.0, median_of(python_floats, 5),
                          "Python floats, a total and a per-share figure per class",
                          f"{len(check[0])} columns; median of 5", low=run.low,
                          high=run.high))

    holder_shares, holder_accrued = _holders(10_000)
    run = timing(lambda: udfs.SERIESM_PAYOUTS(60_000_000, holder_shares, holder_accrued,
                                              100_000_000, 4000, True, False, rows), 3)
    numpy = _numpy()
    floor = None if numpy is None else median_of(
        lambda: _numpy_floor(numpy, holder_shares, holder_accrued), 7)
    results.append(Result("SERIESM_PAYOUTS with the stack, 10,000 holders", run.median, 2.0,
                          floor, "numpy: argsort of the thresholds and cumulative sums",
                          "dividends forfeited (holders decide apart); median of 3",
                          low=run.low, high=run.high))
    return results


def _holders(count: int) -> tuple[list[list[float]], list[list[float]]]:
    """Holders of up to 9,100 shares in all (to a tenth up to 10,000 holders, a hundredth
    beyond), with arrears of $0 to $300 a share in cents: thresholds all different, so the
    order matters."""
    rng = random.Random(22)
    unit = 10 if count <= 10_000 else 100
    shares = [[rng.randint(1, 9) / unit] for _ in range(count)]
    accrued = [[round(s[0] * rng.uniform(0, 300), 2)] for s in shares]
    return shares, accrued


def _numpy() -> Any:
    try:
        import numpy  # noqa: PLC0415
    except ImportError:
        return None
    return numpy


def _numpy_floor(numpy: Any, shares: list[list[float]], accrued: list[list[float]]) -> object:
    """The float floor of PAYOUTS: lists in, the thresholds sorted, the running sums, the
    cut, the payouts, lists out."""
    s = numpy.array(shares, dtype=float).ravel()
    a = numpy.array(accrued, dtype=float).ravel()
    claim = s * 1000 + a
    order = numpy.argsort(claim / (s * 4000), kind="stable")
    left = 60_000_000 - claim.sum() + numpy.cumsum(claim[order])
    pool = 100_000_000 + numpy.cumsum(s[order] * 4000)
    price = left / pool
    cut = int(numpy.searchsorted(-(claim[order] / (s[order] * 4000) - price), 0))
    payout = claim.copy()
    converting = order[:cut]
    payout[converting] = s[converting] * 4000 * price[max(cut - 1, 0)]
    return numpy.round(payout, 2).reshape(-1, 1).tolist()


def payouts() -> list[Result]:
    """SERIESM_PAYOUTS without a stack, 10,000 and 100,000 holders: within 10× the numpy
    floor at 10,000 (issue 22, item 4), and the growth to 100,000 (n log n: n^1.1)."""
    from xl_seriesm.excel import udfs  # noqa: PLC0415

    numpy = _numpy()
    results = []
    figures = {}
    for count in (10_000, 100_000):
        shares, accrued = _holders(count)
        result = udfs.SERIESM_PAYOUTS(60_000_000, shares, accrued, 100_000_000, 4000, True,
                                      False)
        assert isinstance(result, list), result
        assert not isinstance(result[0][0], str), result
        run = timing(lambda s=shares, a=accrued: udfs.SERIESM_PAYOUTS(  # type: ignore[misc]
            60_000_000, s, a, 100_000_000, 4000, True, False), 7)
        figures[count] = run.median
        floor = None if numpy is None else median_of(
            lambda s=shares, a=accrued: _numpy_floor(numpy, s, a), 7)  # type: ignore[misc]
        note = "median of 7"
        if count == 100_000:
            growth = math.log(figures[100_000] / figures[10_000]) / math.log(10)
            note += f"; growth from 10,000 to 100,000 holders n^{growth:.2f}"
        budget = None if floor is None or count != 10_000 else 10 * floor
        results.append(Result(f"SERIESM_PAYOUTS, {count:,} holders (no stack)", run.median,
                              budget, floor,
                              "numpy floor (budget at 10,000: 10× it)", note, low=run.low,
                              high=run.high))
    return results


def payouts_sheet_stack() -> list[Result]:
    """LibreOffice's own recalculation (``soffice --convert-to``, cold) of the built-ins
    template with a capital stack (the issue's Series L and options, a capped Series K, a
    participating Series J and a warrant) at 10,000 holders, dividends forfeited on
    conversion so that the holders' thresholds differ, beside the add-in book of the same
    size (budget 3×; issue 20, item 5), and its growth to 50,000 holders (n^1.1, as without a
    stack: n log n). The add-in book with a stack shows the built-ins'
    exact payouts too (the Checks compare SERIESM_PAYOUTS with them), so the same run also
    times the add-in book without a stack, the floor of the no-stack budget."""
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    from dataclasses import replace  # noqa: PLC0415
    from fractions import Fraction  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from xl_seriesm import libreoffice  # noqa: PLC0415
    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.cli.template import make  # noqa: PLC0415
    from xl_seriesm.core.stack import Kind, Participation, StackClass  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import synthetic  # noqa: PLC0415
    from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

    f = Fraction
    stack = (StackClass("Series L", Kind.PREFERRED, f(1_000_000), f(1)),
             StackClass("Series K", Kind.PREFERRED, f(500_000), f(2), 2, Participation.CAPPED,
                        f(3), f(2)),
             StackClass("Series J", Kind.PREFERRED, f(100_000), f(3, 2), 2,
                        Participation.FULL),
             StackClass("Options", Kind.OPTION, f(10_000_000), strike=f(1, 10)),
             StackClass("Bank", Kind.WARRANT, f(2_000_000), strike=f(35, 100)))
    def holders(count: int) -> Any:
        return synthetic(count, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                         replace(SAMPLE.settings, dividends_on_conversion=False))

    plain = holders(10_000)
    books = {"stack": (replace(plain, stack=stack), list(Flavor)),
             "plain": (plain, [Flavor.UDF]),
             "large": (replace(holders(50_000), stack=stack), [Flavor.NATIVE])}
    figures = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for label, (cap, flavors) in books.items():
            make(cap, folder / label, flavors, force=False)
            for flavor in flavors:
                book = folder / label / flavor.filename
                out = folder / f"out-{label}-{flavor.value}"

                def job(book: Path = book, out: Path = out) -> None:
                    shutil.rmtree(out, ignore_errors=True)
                    libreoffice.recalculate([book], out, timeout=3600)

                figures[label, flavor] = timing(job, 1 if label == "large" else 3,
                                                warm_up=label != "large")
    native, add_in = figures["stack", Flavor.NATIVE], figures["stack", Flavor.UDF]
    plain_add_in = figures["plain", Flavor.UDF]
    large = figures["large", Flavor.NATIVE]
    exponent = math.log(large.median / native.median) / math.log(5)
    return [
        Result("LibreOffice recalculating the 10,000-holder built-ins template with a stack",
               native.median, 3 * add_in.median, add_in.median,
               "the add-in book with the stack, same size",
               "soffice --convert-to, cold; budget 3×; median of 3", low=native.low,
               high=native.high),
        Result("the same beside the add-in book without a stack", native.median,
               None, plain_add_in.median, "the add-in book, no stack, same holders",
               f"{native.median / plain_add_in.median:.2f}× it; median of 3"),
        Result("the same with a stack at 50,000 holders (growth from 10,000)", large.median,
               native.median * 5**1.1, note=f"n^{exponent:.2f} (budget n^1.1); one run"),
    ]
