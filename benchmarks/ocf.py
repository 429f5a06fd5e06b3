"""OCF import and export of a 10,000-event package (issue 21 item 4: validation of 10,000
transactions within 5 s; issue 22 item 6: import and export each within 5× of
``captable --json`` on the same ledger, validated against the schemas all the same)."""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure import Result, timing

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


def ocf() -> list[Result]:
    """``--to-ocf`` and ``--ocf`` of a 10,000-event ledger against ``captable --json`` of the
    same ledger (read, replayed, JSON written), and the validation of its 10,000
    transactions against the OCF schemas alone (budget 5 s)."""
    from xl_seriesm.captable.events import read_events  # noqa: PLC0415
    from xl_seriesm.captable.report import to_json  # noqa: PLC0415
    from xl_seriesm.core.ledger import Terms, state_at  # noqa: PLC0415
    from xl_seriesm.ocf.issuer import Issuer  # noqa: PLC0415
    from xl_seriesm.ocf.reader import read_package  # noqa: PLC0415
    from xl_seriesm.ocf.schema_check import validate  # noqa: PLC0415
    from xl_seriesm.ocf.writer import FILES, write_package  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        source = ledger(Path(folder) / "ledger.csv")
        issuer = Issuer(formation_date=date(1996, 4, 1))

        def as_json() -> str:
            state = state_at(read_events(source), AS_OF, None, Terms())
            return json.dumps(to_json(state), indent=2)

        def export() -> Path:
            state = state_at(read_events(source), AS_OF, None, Terms())
            return write_package(state, issuer, Path(folder) / "out.zip", force=True)

        package = export()

        def import_() -> str:
            events = read_package(package).events
            return json.dumps(to_json(state_at(events, AS_OF, None, Terms())), indent=2)

        import zipfile  # noqa: PLC0415

        with zipfile.ZipFile(package) as archive:
            transactions = json.loads(archive.read(FILES["transactions"]))
        count = len(transactions["items"])

        floor = timing(as_json, repeat=3)
        out = timing(export, repeat=3)
        back = timing(import_, repeat=3)
        check = timing(lambda: validate(transactions, "transactions"), repeat=3)
    name = f"captable --json, {EVENTS:,} events"
    return [
        Result(f"--to-ocf, {EVENTS:,} events", out.median, 5 * floor.median, floor.median,
               name, f"{out}; budget 5× the baseline", out.low, out.high),
        Result(f"--ocf import, {EVENTS:,} events", back.median, 5 * floor.median,
               floor.median, name, f"{back}; budget 5× the baseline", back.low, back.high),
        Result(f"schema validation of {count:,} transactions", check.median, 5.0, None, "",
               str(check), check.low, check.high),
    ]
