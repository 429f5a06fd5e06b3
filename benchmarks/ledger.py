"""The ledger at dataframe speed: ``seriesm captable --json`` on 100,000 events and 1,000
holders, beside pandas reading and grouping the same file (budget: 3× that floor).

Both are timed as a user runs them, a fresh interpreter each (start-up and imports counted
on both sides): ``seriesm captable LEDGER --as-of ... --json`` against
``python -c "import pandas; read_csv(LEDGER).groupby('holder').sum()"``.
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure import Result, command_seconds

CLOSING = date(2005, 1, 10)
AS_OF = date(2014, 12, 31)
COLUMNS = ("date", "event", "holder", "to_holder", "series_m_shares", "common_shares",
           "amount", "exempt", "market_price", "ratio", "note")


def write_ledger(path: Path, events: int = 100_000, holders: int = 1_000,
                 seed: int = 2005) -> None:
    """A valid ledger of ``events`` rows over ``holders`` holders, ten years from a 2005
    closing: the Series M issued at the closing (9,100 in tenths of a share), the common
    stated, then Series M and common transfers, dividends to a holder, quarterly dividends to
    the class, §5(e) issuances (a few below $0.25) and whole-holding conversions on business
    days after the anniversary."""
    from xl_seriesm.core.calendar import BankCalendar  # noqa: PLC0415

    rng = random.Random(seed)
    calendar = BankCalendar()
    names = [f"Holder {i:04d}" for i in range(holders)]
    tenths = dict(zip(names, _spread(91_000, holders), strict=True))
    common = dict.fromkeys(names, 10_000)
    rows: list[tuple[object, ...]] = []
    for name in names:
        rows.append((CLOSING, "issue", name, "", _shares(tenths[name]), "", "", "", "", "",
                     ""))
    rows.append((CLOSING, "outstanding", "", "", "", 100_000_000, "", "", "", "", ""))
    for name in names:
        rows.append((CLOSING, "holding", name, "", "", common[name], "", "", "", "", ""))
    span = (AS_OF - CLOSING).days
    left = events - len(rows)
    days = sorted(CLOSING + timedelta(days=1 + rng.randrange(span - 1)) for _ in range(left))
    quarter = 0
    below = 0
    for day in days:
        due = _add_months(CLOSING, 3 * (quarter + 1))
        if day >= due:
            quarter += 1
            rows.append((due, "dividend", "", "", "", "", 1000, "", "", "", "class"))
            continue
        roll = rng.random()
        a, b = rng.sample(names, 2)
        if roll < 0.40 and tenths[a] >= 1:
            tenths[a] -= 1
            tenths[b] += 1
            rows.append((day, "transfer", a, b, "0.1", "", "", "", "", "", ""))
        elif roll < 0.65 and common[a] >= 100:
            common[a] -= 100
            common[b] += 100
            rows.append((day, "transfer", a, b, "", 100, "", "", "", "", ""))
        elif roll < 0.93 and tenths[a] >= 10 and day > CLOSING + timedelta(days=200):
            rows.append((day, "dividend", a, "", "", "", "0.50", "", "", "", ""))
        elif roll < 0.99:
            price_cents = 30 if below >= 20 or rng.random() < 0.9 else 20
            below += price_cents < 25
            rows.append((day, "common", a, "", "", 1000, 1000 * price_cents // 100,
                         "FALSE", "", "", ""))
            common[a] += 1000
        elif (tenths[a] and day >= _add_months(CLOSING, 12)
              and calendar.is_business_day(day)):
            rows.append((day, "convert", a, "", _shares(tenths[a]), "", "", "", "0.20", "",
                         ""))
            tenths[a] = 0
        else:
            rows.append((day, "transfer", a, b, "", 1, "", "", "", "", ""))
            common[a] -= 1
            common[b] += 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        out.writerows(rows[:events])


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


def _shares(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


def _add_months(day: date, months: int) -> date:
    from xl_seriesm.core.dates import add_months  # noqa: PLC0415

    return add_months(day, months)


def captable() -> list[Result]:
    """``seriesm captable --json``, 100,000 events, 1,000 holders (budget 3× pandas)."""
    with tempfile.TemporaryDirectory() as folder:
        ledger = Path(folder) / "ledger.csv"
        write_ledger(ledger)
        seriesm = [str(Path(sys.executable).parent / "seriesm"), "captable", str(ledger),
                   "--as-of", AS_OF.isoformat()]
        floor = [sys.executable, "-c",
                 "import sys, pandas as pd; d = pd.read_csv(sys.argv[1]); "
                 "print(d.groupby('holder')[['series_m_shares', 'common_shares', "
                 "'amount']].sum().to_json())", str(ledger)]
        rounds = 3
        ours, theirs, table = [], [], []
        for _ in range(rounds):  # interleaved, so both see the same load
            ours += command_seconds([*seriesm, "--json"], 1)
            theirs += command_seconds(floor, 1)
            table += command_seconds(seriesm, 1)
    floor_median = statistics.median(theirs)
    return [
        Result("seriesm captable --json, 100,000 events, 1,000 holders",
               statistics.median(ours), 3 * floor_median, floor_median,
               "pandas read_csv + groupby, same file", f"median of {rounds}; budget 3× floor",
               min(ours), max(ours)),
        Result("seriesm captable (the table), same ledger", statistics.median(table), None,
               floor_median, "pandas read_csv + groupby, same file", f"median of {rounds}",
               min(table), max(table)),
    ]
