"""The ledger CSV reader checks each row with at least validate()'s checks, so a replay of
what it read (a CheckedEvents) does not check each event again."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.ledger import write_ledger
from xl_seriesm.captable.events import read_events
from xl_seriesm.core.ledger import CheckedEvents, LedgerError, state_at, validate
from xl_seriesm.workbook.inputs import InputError


@pytest.mark.parametrize("make", ["example", "generated"])
def test_every_event_read_passes_validate(make: str, tmp_path: Path) -> None:
    path = Path("docs/example-ledger.csv")
    if make == "generated":  # every kind the speed benchmark writes, 3,000 rows
        path = tmp_path / "ledger.csv"
        write_ledger(path, events=3_000, holders=40)
    events = read_events(path)
    assert type(events) is CheckedEvents
    for event in events:
        validate(event)


def test_refused_rows_are_refused_by_the_reader(tmp_path: Path) -> None:
    # What validate() would refuse never reaches a CheckedEvents: the reader refuses the row,
    # naming the file, line, column and value.
    path = tmp_path / "bad.csv"
    path.write_text("date,event,holder,to_holder,series_m_shares,amount\n"
                    "2005-01-10,issue,A,,10,\n"
                    "2005-02-10,transfer,A,A,1,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3, column to_holder: 'A' is the holder"):
        read_events(path)
    path.write_text("date,event,holder,to_holder,series_m_shares,amount\n"
                    "2005-01-10,issue,A,,10,\n"
                    "2005-02-10,dividend,A,,,0.005\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3, column amount: '0.005' is not dollars"):
        read_events(path)


def test_plain_sequences_are_still_validated() -> None:
    events = tuple(read_events(Path("docs/example-ledger.csv")))
    broken = (events[0].__class__(events[0].date, events[0].kind, ""), *events[1:])
    with pytest.raises(LedgerError, match="holder"):
        state_at(broken, events[-1].date)
