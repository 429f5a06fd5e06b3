"""OCF import and export of a 10,000-event package (issue 21 item 4: validation of 10,000
transactions within 5 s; issue 22 item 6: import and export each within 5× of
``seriesm captable --json`` on the same ledger, validated against the schemas all the
same)."""

from __future__ import annotations

import csv
import json
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure import Result, Timing, command_seconds, timing

EVENTS = 10_000
HOLDERS = 90


def ledger(path: Path, events: int = EVENTS) -> Path:
    """A valid ledger of ``events`` rows: 90 holders of 100 Series M each at the Closing Date
    and 100,000 common each, then common sold to them at $0.30 (not below $0.25, so no
    §5(e) adjustment) and common moved between them, a few rows a day through 2006."""
    rows: list[list[object]] = []
    closing = date(2005, 1, 10)
    for i in range(HOLDERS):
        rows.append([closing, "issue", f"Holder {i:03}", "", 100, "", "", "", "", "", ""])
    rows.append([closing, "outstanding", "", "", "", 100_000_000, "", "", "", "", ""])
    for i in range(HOLDERS):
        rows.append([closing, "holding", f"Holder {i:03}", "", "", 100_000, "", "", "", "", ""])
    n = 0
    while len(rows) < events:
        day = closing + timedelta(days=1 + n // 14)
        a, b = f"Holder {n % HOLDERS:03}", f"Holder {(n * 7 + 3) % HOLDERS:03}"
        if n % 2 == 0 or a == b:
            rows.append([day, "common", a, "", "", 1_000, 300, "FALSE", "", "", ""])
        else:
            rows.append([day, "transfer", a, b, "", 10, "", "", "", "", ""])
        n += 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "event", "holder", "to_holder", "series_m_shares",
                         "common_shares", "amount", "exempt", "market_price", "ratio", "note"])
        writer.writerows(rows)
    return path


AS_OF = date(2007, 6, 30)
ROUNDS = 5


def ocf() -> list[Result]:
    """``seriesm captable --json --to-ocf`` and ``seriesm captable --ocf --json`` of a
    10,000-event ledger against ``seriesm captable --json`` of the same ledger, each a
    command as a user runs it (a fresh interpreter: imports, the schemas' set-up, reading,
    replaying, writing), round by round so all three see the same load, as the ledger's
    benchmark measures item 5. The export command writes the JSON too, so what it adds to
    the baseline is the package alone. Then the same work in one process, after a warm-up,
    with the JSON written as the command writes it (no budget: the commands carry it), and
    the validation of the 10,000 transactions' items against the OCF schemas alone
    (budget 5 s)."""
    from xl_seriesm.bulk.cycles import without_cycle_collection  # noqa: PLC0415
    from xl_seriesm.bulk.json_text import json_text  # noqa: PLC0415
    from xl_seriesm.captable.events import read_events  # noqa: PLC0415
    from xl_seriesm.captable.report import to_json  # noqa: PLC0415
    from xl_seriesm.core.ledger import Terms, state_at  # noqa: PLC0415
    from xl_seriesm.ocf.issuer import Issuer  # noqa: PLC0415
    from xl_seriesm.ocf.reader import read_package  # noqa: PLC0415
    from xl_seriesm.ocf.schema_check import validate  # noqa: PLC0415
    from xl_seriesm.ocf.writer import FILES, write_package  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        source = ledger(Path(folder) / "ledger.csv")
        package = Path(folder) / "out.zip"
        formation = date(1996, 4, 1)
        seriesm = [str(Path(sys.executable).parent / "seriesm"), "captable", "--as-of",
                   AS_OF.isoformat(), "--json"]
        as_json = [*seriesm, str(source)]
        to_ocf = [*as_json, "--to-ocf", str(package), "--force",
                  "--formation-date", formation.isoformat()]
        from_ocf = [*seriesm, "--ocf", str(package)]
        command_seconds(to_ocf, 1)  # the package to read, and every command run once
        command_seconds(as_json, 1)
        command_seconds(from_ocf, 1)
        floor, out, back = [], [], []
        for _ in range(ROUNDS):
            floor += command_seconds(as_json, 1)
            out += command_seconds(to_ocf, 1)
            back += command_seconds(from_ocf, 1)

        issuer = Issuer(formation_date=formation)

        def json_work() -> str:
            with without_cycle_collection():
                state = state_at(read_events(source), AS_OF, None, Terms())
                return json_text(to_json(state))

        def export_work() -> Path:
            with without_cycle_collection():
                state = state_at(read_events(source), AS_OF, None, Terms())
                return write_package(state, issuer, Path(folder) / "work.zip", force=True)

        def import_work() -> str:
            with without_cycle_collection():
                events = read_package(package).events
                return json_text(to_json(state_at(events, AS_OF, None, Terms())))

        work_floor = timing(json_work, repeat=3)
        work_out = timing(export_work, repeat=3)
        work_back = timing(import_work, repeat=3)
        import zipfile  # noqa: PLC0415

        with zipfile.ZipFile(package) as archive:
            transactions = json.loads(archive.read(FILES["transactions"]))
        count = len(transactions["items"])
        check = timing(lambda: validate(transactions, "transactions"), repeat=3)
    name = f"seriesm captable --json, {EVENTS:,} events"
    floor_median = statistics.median(floor)
    work = f"captable --json's work, {EVENTS:,} events, one process"

    def command(label: str, times: list[float]) -> Result:
        return Result(label, statistics.median(times), 5 * floor_median, floor_median, name,
                      f"median of {ROUNDS} commands, round by round; budget 5× the baseline",
                      min(times), max(times))

    def in_process(label: str, measured: Timing) -> Result:
        return Result(label, measured.median, None, work_floor.median, work,
                      f"{measured}; the commands above carry the budget", measured.low,
                      measured.high)

    return [
        command(f"seriesm captable --json --to-ocf, {EVENTS:,} events", out),
        command(f"seriesm captable --ocf --json, {EVENTS:,} events", back),
        in_process(f"--to-ocf's work, {EVENTS:,} events, one process", work_out),
        in_process(f"--ocf's work, {EVENTS:,} events, one process", work_back),
        Result(f"schema validation of {count:,} transactions", check.median, 5.0, None, "",
               str(check), check.low, check.high),
    ]
