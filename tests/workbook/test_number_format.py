"""Numbers in a CSV are read one way per file, never guessed per cell (issue 23, item 1), and
what else a spreadsheet export may look like: human headers, empty number cells (item 7).

The expected figures are the file's own numbers read by hand in the stated convention:
``3.500`` in a European file is three thousand five hundred Series M shares, never 3.5."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT
from xl_seriesm.captable.events import read_events
from xl_seriesm.workbook.inputs import (
    InputError,
    NumberFormat,
    detect_number_format,
    read_holders,
    read_issuances,
)

CLOSING, AS_OF = date(2005, 1, 10), date(2007, 6, 30)
#: The issue's file, as Excel on a German or French system saves "CSV (semicolon)".
EUROPEAN = ("holder;series_m_shares;common_shares;dividends_paid\n"
            "Palm Fund LP;3.500;1000000;0\n"
            "Forum Partners;2.500;2.500;0\n")


def _file(tmp_path: Path, text: str, name: str = "holders.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issues_semicolon_file_is_refused_without_the_option(tmp_path: Path) -> None:
    # Every number of the file reads the same both ways (1000000, 0) or differently with
    # nothing to tell which (3.500: 3.5 US, 3,500 European): refused, naming where and how.
    path = _file(tmp_path, EUROPEAN)
    with pytest.raises(InputError) as caught:
        read_holders(path, CLOSING, AS_OF)
    message = str(caught.value)
    assert "holders.csv line 2, column series_m_shares: '3.500' reads as 3.5 the US way" in (
        message)
    assert "as 3,500 the European way" in message
    assert "--number-format us or --number-format eu" in message


def test_the_issues_file_with_eu_reads_3500_shares(tmp_path: Path) -> None:
    holders = read_holders(_file(tmp_path, EUROPEAN), CLOSING, AS_OF,
                           number_format=NumberFormat.EU)
    # 3.500 and 2.500 with a point between thousands: 3,500 and 2,500 Series M shares,
    # 6,000 in all (within the 9,100 designated, §1); Forum's 2.500 common is 2,500.
    assert [h.series_m_shares for h in holders] == [3500, 2500]
    assert holders[1].common_shares == 2500
    assert sum(h.series_m_shares for h in holders) == 6000


def test_other_evidence_in_the_file_decides(tmp_path: Path) -> None:
    # 1.750,00 paid can only be European (a comma after the point): the whole file is read
    # that way, so 3.500 is 3,500 shares and the payment is $1,750.00.
    path = _file(tmp_path, EUROPEAN.replace("1000000;0\n", '1000000;"1.750,00"\n'))
    holders = read_holders(path, CLOSING, AS_OF)
    assert holders[0].series_m_shares == 3500
    assert holders[0].dividends_paid == 1750
    # And 0.25 can only be US (a European 0.25 has a point not between thousands): 3.500 is
    # then 3.5 shares, as the US reads it, because the file says so.
    us = _file(tmp_path, "holder,series_m_shares,common_shares,dividends_paid\n"
               "A,3.500,1000,0.25\n", "us.csv")
    assert read_holders(us, CLOSING, AS_OF)[0].series_m_shares == Fraction(7, 2)


def test_a_file_written_both_ways_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, "holder;series_m_shares;common_shares;dividends_paid\n"
                 'A;"1,000.5";1000;0\nB;"2.000,5";1000;0\n')
    with pytest.raises(InputError) as caught:
        read_holders(path, CLOSING, AS_OF)
    assert ("line 2, column series_m_shares: '1,000.5' is written the US way (1,234.5) but "
            "line 3, column series_m_shares: '2.000,5' the European way") in str(caught.value)


def test_plain_refuses_a_thousands_separator(tmp_path: Path) -> None:
    path = _file(tmp_path, 'holder,series_m_shares,common_shares,dividends_paid\n'
                 'A,"3,500",1000,0\n')
    with pytest.raises(InputError) as caught:
        read_holders(path, CLOSING, AS_OF, number_format=NumberFormat.PLAIN)
    assert "line 2, column series_m_shares: '3,500' is not a number of Series M shares" in (
        str(caught.value))
    assert "read as plain (1234.5, --number-format)" in str(caught.value)


def test_issuances_and_ledgers_read_european_numbers(tmp_path: Path) -> None:
    ledger = _file(tmp_path, "date;common_outstanding;new_shares;consideration;exempt\n"
                   "2005-09-30;100.000.000;5.000.000;750.000,00;FALSE\n", "ledger.csv")
    row = read_issuances(ledger, CLOSING)[0]  # several points: only European
    assert (row.common_outstanding, row.new_shares, row.consideration) == (
        100_000_000, 5_000_000, 750_000)
    events = _file(tmp_path, "date;event;holder;series_m_shares;amount\n"
                   "2005-01-10;issue;Palm Fund LP;3.500;\n", "events.csv")
    with pytest.raises(InputError, match="--number-format us or --number-format eu"):
        read_events(events)
    assert read_events(events, NumberFormat.EU)[0].series_m_shares == 3500


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_a_number_written_either_way_reads_back(whole: int, cents: int) -> None:
    """An amount written the US way with its cents is read as itself, detected; written the
    European way, the same."""
    us = f"{whole:,}.{cents:02d}"
    eu = us.replace(",", " ").replace(".", ",").replace(" ", ".")
    value = Fraction(whole) + Fraction(cents, 100)
    for text, expected in ((us, NumberFormat.US), (eu, NumberFormat.EU)):
        found = detect_number_format(Path("x.csv"), [(2, "amount", text)], None)
        assert found is expected
        from xl_seriesm.workbook.inputs import parse_money  # noqa: PLC0415
        assert parse_money(text, found) == value


def test_human_headers_and_empty_numbers(tmp_path: Path) -> None:
    # Headers as a person types them; an empty number cell is 0 in every column, as Excel
    # reads an empty cell (common_shares was refused while dividends_paid read as 0).
    path = _file(tmp_path, "Holder,Series M Shares,Common shares,Dividends Paid\n"
                 "A,100,,\nB,50,1000,\n")
    holders = read_holders(path, CLOSING, AS_OF)
    assert [(h.series_m_shares, h.common_shares, h.dividends_paid) for h in holders] == [
        (100, 0, 0), (50, 1000, 0)]
    ledger = _file(tmp_path, "Date,Common Outstanding,new shares,CONSIDERATION,exempt\n"
                   "2005-09-30,,5000000,750000,FALSE\n", "ledger.csv")
    assert read_issuances(ledger, CLOSING)[0].common_outstanding == 0


def test_the_option_is_on_every_command_that_reads_a_csv(tmp_path: Path) -> None:
    path = _file(tmp_path, EUROPEAN)
    for command in (["template", "--out", str(tmp_path / "out"), "--flavor", "native"],
                    ["report", "--out", str(tmp_path / "memo.html")]):
        done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *command,
                               "--holders-csv", str(path), "--market-price", "0.18",
                               "--number-format", "eu"],
                              capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert done.returncode in (0, 1), done.stderr  # 1: a Check fails (no ledger given)
    ledger = _file(tmp_path, "date;event;holder;series_m_shares\n"
                   "2005-01-10;issue;Palm Fund LP;3.500\n", "events.csv")
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "captable", str(ledger),
                           "--as-of", "2006-06-30", "--json", "--number-format", "eu"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert '"series_m_outstanding": 3500' in done.stdout, done.stderr
