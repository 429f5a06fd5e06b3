"""Reading cap tables from CSV: every bad row named by file, line and column."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.workbook.inputs import InputError, read_holders, read_issuances, synthetic

CLOSING, AS_OF = date(2005, 1, 10), date(2007, 6, 30)


def _csv(tmp_path: Path, text: str, name: str = "holders.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_holders(tmp_path: Path) -> None:
    path = _csv(tmp_path, "holder,series_m_shares,common_shares,dividends_paid\n"
                          "Fund A,3500,1200000,175000\n\nFund B,100.5,0,\nPublic,0,137000000,0\n")
    holders = read_holders(path, CLOSING, AS_OF)
    assert [h.name for h in holders] == ["Fund A", "Fund B", "Public"]
    assert holders[1].series_m_shares == Fraction("100.5")
    assert holders[1].dividends_paid == 0  # an empty cell is nothing paid


@pytest.mark.parametrize(("text", "message"), [
    ("holder,series_m_shares,common_shares\nA,1,1\n",
     "holders.csv line 1: missing column(s) dividends_paid"),
    ("holder,series_m_shares,common_shares,dividends_paid\nA,ten,1,0\n",
     "holders.csv line 2, column series_m_shares: 'ten' is not a number of Series M shares"),
    ("holder,series_m_shares,common_shares,dividends_paid\nA,1,1,0\nB,-3,1,0\n",
     "holders.csv line 3, column series_m_shares: '-3' is not a number of Series M shares"),
    ("holder,series_m_shares,common_shares,dividends_paid\nA,9200,1,0\n",
     "holders.csv line 2, column series_m_shares: 9200 is more than the 9,100 designated (§1)"),
    ("holder,series_m_shares,common_shares,dividends_paid\nA,5000,1,0\nB,5000,1,0\n",
     "holders.csv: the series_m_shares add up to 10,000, more than the 9,100 designated (§1)"),
    # 100 shares from 2005-01-10 to 2007-06-30 accrue 100 × 50 × 890/360 = 12,361.11.
    ("holder,series_m_shares,common_shares,dividends_paid\nA,100,1,12361.12\n",
     "holders.csv line 2, column dividends_paid: 12361.12 is more than the 12,361.11 accrued"),
    ("holder,series_m_shares,common_shares,dividends_paid\n,100,1,0\n",
     "holders.csv line 2, column holder: empty; give the holder's name"),
    ("holder,series_m_shares,common_shares,dividends_paid\nA,100,1\n",
     "holders.csv line 2: 3 fields where the header has 4"),
    ("", "holders.csv: empty; the first line must name the columns"),
    ("holder,series_m_shares,common_shares,dividends_paid\n",
     "holders.csv: no holders; add one row per holder below the header"),
])
def test_bad_holders(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_holders(_csv(tmp_path, text), CLOSING, AS_OF)
    assert message in str(caught.value)


@pytest.mark.parametrize(("text", "message"), [
    ("date,common_outstanding,new_shares,consideration,exempt\n2005-13-01,1,1,1,no\n",
     "issuances.csv line 2, column date: '2005-13-01' is not a date; write YYYY-MM-DD or "
     "M/D/YYYY (--date-format us)"),
    ("date,common_outstanding,new_shares,consideration,exempt\n2006-01-01,1,1,1,no\n"
     "2005-06-01,1,1,1,no\n",
     "issuances.csv line 3, column date: 2005-06-01 is before the row above (2006-01-01)"),
    ("date,common_outstanding,new_shares,consideration,exempt\n2006-01-01,1,0,1,no\n",
     "issuances.csv line 2, column new_shares: '0' is not a number of shares (more than 0)"),
    ("date,common_outstanding,new_shares,consideration,exempt\n2006-01-01,1,1,1,maybe\n",
     "issuances.csv line 2, column exempt: 'maybe' is not TRUE or FALSE"),
    ("date,common_outstanding,new_shares,consideration,exempt\n2004-12-31,1,1,1,no\n",
     "issuances.csv line 2, column date: 2004-12-31 is before the Closing Date 2005-01-10"),
])
def test_bad_issuances(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_issuances(_csv(tmp_path, text, "issuances.csv"), CLOSING)
    assert message in str(caught.value)


def test_synthetic_is_reproducible_and_within_the_designation() -> None:
    first = synthetic(1000, CLOSING, AS_OF, SAMPLE.issuances, SAMPLE.settings)
    again = synthetic(1000, CLOSING, AS_OF, SAMPLE.issuances, SAMPLE.settings)
    assert first == again
    assert first.series_m_total == 9100  # every share of §1, in ten-thousandths
    assert len(first.holders) == 1000
