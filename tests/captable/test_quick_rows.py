"""The ledger reader reads the usual row by the columns' positions (its quick path) and
anything else by name (the thorough path, whose errors name line and column): both give the
same event for every row either can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.ledger import write_ledger
from xl_seriesm.captable import events as reader
from xl_seriesm.workbook.csvnumbers import NumberFormat
from xl_seriesm.workbook.inputs import DateFormat, _rows

EVERY_KIND = """\
Date,Event,Holder,To Holder,Series M Shares,Common Shares,Amount,Exempt,Market Price,Ratio,\
Note,Effective Date
2005-01-10,issue,A,,"1,000",,,,,,first,
1/10/2005,Issue, B ,,250.5,,,,,,,
2005-01-10,outstanding,,,,"100,000,000",,,,,,
2005-01-10,holding,A,,,0,,,,,,
2005-02-01,transfer,A,B,10,5,,,,,,
2005-02-01,TRANSFER,B,A,,5,,,,,,
2005-03-01,common,,,,1000,0,TRUE,,,,
2005-03-02,common,A,,,1000,250.00,false,,,,
2005-04-10,dividend,,,,,"12,500.00",,,,class,
2005-04-11,dividend,A,,,,0.50,,,,,
2005-05-01,conversion_number,,,,,4000,,,,,
2005-06-01,split,,,,,,,,3:2,,
2005-07-01,redemption_notice,A,,100,,,,,,,
2005-07-20,redeem,A,,100,,,,,,,
2006-01-10,election,B,,10,,,,,,,2006-03-01
2006-01-11,convert,B,,100,,,,0.20,,,
2006-02-01,revoke,B,,,,,,,,,
"""


def _thorough(path: Path, numbers: NumberFormat) -> list[object]:
    return [reader._event(path, line, row, numbers, DateFormat.US)
            for line, row in _rows(path, reader.REQUIRED, reader.OPTIONAL)]


@pytest.mark.parametrize("numbers", [None, NumberFormat.US])
def test_every_kind_and_field(tmp_path: Path, numbers: NumberFormat | None) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(EVERY_KIND, encoding="utf-8")
    quick = reader.read_events(path, numbers)
    assert list(quick) == _thorough(path, numbers or NumberFormat.US)
    # The defaults are the dataclass's own objects (a replay knows the 1:1 ratio by them).
    assert quick[0].ratio is reader.Event.__dataclass_fields__["ratio"].default
    assert quick[11].ratio == (3, 2)
    assert [e.exempt for e in quick[6:8]] == [True, False]
    assert (quick[1].holder, quick[1].series_m_shares) == ("B", 250.5)


def test_a_generated_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    write_ledger(path, events=4_000, holders=50)
    assert list(reader.read_events(path)) == _thorough(path, NumberFormat.US)


def test_the_quick_path_reads_each_of_those_rows_itself(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(EVERY_KIND, encoding="utf-8")
    header, lines = reader._table(path, reader.REQUIRED, reader.OPTIONAL)
    quick = reader._quick_reader(path, header, NumberFormat.US, DateFormat.US)
    read = [quick(line, [*map(str.strip, values), ""]) for line, values in lines]
    assert read == _thorough(path, NumberFormat.US)


@pytest.mark.parametrize("row", [
    "2005-02-01,transfer,A,A,10,,,,,,,",  # to itself
    "2005-02-01,transfer,A,B,,,,,,,,",  # moves nothing
    "2005-02-01,dividend,A,,,,0.005,,,,,",  # not whole cents
    "2005-02-01,issue,A,,9101,,,,,,,",  # more than designated
    "2005-02-01,common,A,,,10,,,,,,",  # no consideration
    "2005-02-01,grant,A,,,,,,,,,",  # another class's word
    "2005-02-31,issue,A,,1,,,,,,,",  # no such day
])
def test_the_quick_path_leaves_a_row_to_refuse_to_the_thorough_one(tmp_path: Path,
                                                                   row: str) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(EVERY_KIND.splitlines()[0] + "\n" + row + "\n", encoding="utf-8")
    header, lines = reader._table(path, reader.REQUIRED, reader.OPTIONAL)
    quick = reader._quick_reader(path, header, NumberFormat.US, DateFormat.US)
    assert [quick(line, [*map(str.strip, values), ""]) for line, values in lines] == [None]
