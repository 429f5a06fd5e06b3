"""CSV files as people export them (Excel on a US or European system, Google Sheets, Numbers):
US and ISO dates, dollar amounts with thousands separators, comma, semicolon or tab, UTF-8
with or without a byte-order mark and UTF-16 with one; and what is still refused, said with
file, line, column, value and what is allowed."""

from __future__ import annotations

import argparse
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from xl_seriesm.cli import template
from xl_seriesm.workbook.inputs import (
    DateFormat,
    InputError,
    NumberFormat,
    parse_date,
    read_holders,
    read_issuances,
)

CLOSING, AS_OF = date(2005, 1, 10), date(2007, 6, 30)
HOLDERS = "holder,series_m_shares,common_shares,dividends_paid\n"
LEDGER = "date,common_outstanding,new_shares,consideration,exempt\n"


def _file(tmp_path: Path, data: bytes, name: str = "holders.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_us_and_iso_dates_in_one_ledger(tmp_path: Path) -> None:
    path = _file(tmp_path, (LEDGER + "6/15/2005,120000000,8000000,1600000,FALSE\n"
                            "2005-11-01,128000000,500000,50000,TRUE\n"
                            "9/30/2006,128500000,100,30,no\n").encode(), "ledger.csv")
    rows = read_issuances(path, CLOSING)
    assert [r.date for r in rows] == [date(2005, 6, 15), date(2005, 11, 1), date(2006, 9, 30)]


def test_the_rule_for_an_ambiguous_slash_date() -> None:
    # 3/4/2005 is 4 March in the US reading (the default) and 3 April day first: the user's
    # --date-format decides, nothing is guessed per row.
    assert parse_date("3/4/2005") == date(2005, 3, 4)
    assert parse_date("3/4/2005", DateFormat.DAY_FIRST) == date(2005, 4, 3)
    assert parse_date("2005-03-04", DateFormat.DAY_FIRST) == date(2005, 3, 4)  # ISO is ISO


def test_a_day_first_date_read_as_us_says_which_option_reads_it(tmp_path: Path) -> None:
    path = _file(tmp_path, (LEDGER + "30/9/2005,1,1,1,no\n").encode(), "ledger.csv")
    with pytest.raises(InputError) as caught:
        read_issuances(path, CLOSING)
    assert ("ledger.csv line 2, column date: '30/9/2005' is not a date as us dates are read; "
            "use --date-format day-first") in str(caught.value)
    assert read_issuances(path, CLOSING, DateFormat.DAY_FIRST)[0].date == date(2005, 9, 30)


def test_dollar_amounts_with_thousands_separators(tmp_path: Path) -> None:
    path = _file(tmp_path, (HOLDERS + 'Palm Fund LP,"3,500","1,200,000","$175,000.00"\n'
                            "Public,0,137000000,$0\n").encode())
    holders = read_holders(path, CLOSING, AS_OF)
    assert holders[0].series_m_shares == 3500
    assert holders[0].common_shares == 1_200_000
    assert holders[0].dividends_paid == 175_000


@pytest.mark.parametrize(("value", "message"), [
    ('"($5.00)"', "'($5.00)' is not an amount of dollars (0 or more)"),
    ("-$5", "'-$5' is not an amount of dollars (0 or more)"),
    ("$5$", "'$5$' is not an amount of dollars"),
    ('"$5,00"', "'$5,00' is not an amount of dollars"),
])
def test_negative_or_malformed_amounts_are_refused(tmp_path: Path, value: str,
                                                   message: str) -> None:
    path = _file(tmp_path, (HOLDERS + f"A,100,1,{value}\n").encode())
    with pytest.raises(InputError) as caught:  # US numbers: "$5,00" has a comma misplaced
        read_holders(path, CLOSING, AS_OF, number_format=NumberFormat.US)
    assert f"holders.csv line 2, column dividends_paid: {message}" in str(caught.value)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_are_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [["holder", "series_m_shares", "common_shares", "dividends_paid"],
            ["Palm Fund LP", "3500", "1200000", "$175000.00"], ["Public", "0", "5000", "0"]]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    holders = read_holders(_file(tmp_path, text.encode()), CLOSING, AS_OF)
    assert [h.name for h in holders] == ["Palm Fund LP", "Public"]


def test_the_delimiter_is_named_in_errors(tmp_path: Path) -> None:
    path = _file(tmp_path, b"holder;series_m_shares;common_shares;dividends_paid\nA;1;1\n")
    with pytest.raises(InputError) as caught:
        read_holders(path, CLOSING, AS_OF)
    assert "holders.csv line 2: 3 fields where the header has 4 (semicolon-separated" in str(
        caught.value)
    unknown = _file(tmp_path, b"holder|series_m_shares|common_shares|dividends_paid\n")
    with pytest.raises(InputError) as caught:
        read_holders(unknown, CLOSING, AS_OF)
    assert ("missing column(s) holder, series_m_shares, common_shares, dividends_paid (read as "
            "comma-separated; comma, semicolon and tab are recognised)") in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])  # utf-16 writes a BOM
def test_utf8_with_or_without_bom_and_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    text = HOLDERS + "Société Générale,9100,1000,0\nPublic,0,5000,0\n"
    holders = read_holders(_file(tmp_path, text.encode(encoding)), CLOSING, AS_OF)
    assert holders[0].name == "Société Générale"
    assert holders[0].series_m_shares == Fraction(9100)


def test_utf16_without_bom_gets_its_own_message(tmp_path: Path) -> None:
    data = (HOLDERS + "A,1,1,0\n").encode("utf-16-le")  # no byte-order mark
    with pytest.raises(InputError) as caught:
        read_holders(_file(tmp_path, data), CLOSING, AS_OF)
    message = str(caught.value)
    assert "looks like UTF-16 text without a byte-order mark" in message
    assert "missing column" not in message


def test_other_encodings_are_refused_with_the_line(tmp_path: Path) -> None:
    data = (HOLDERS + "Soci\xe9t\xe9,1,1,0\n").encode("latin-1")
    with pytest.raises(InputError) as caught:
        read_holders(_file(tmp_path, data), CLOSING, AS_OF)
    assert "holders.csv line 2: not UTF-8 text (byte 0xe9)" in str(caught.value)


def test_a_holder_listed_twice_names_both_lines(tmp_path: Path) -> None:
    path = _file(tmp_path, (HOLDERS + "Palm Fund LP,100,1,0\nPublic,0,5000,0\n"
                            "palm fund  LP,200,1,0\n").encode())
    with pytest.raises(InputError) as caught:
        read_holders(path, CLOSING, AS_OF)
    assert ("holders.csv line 4, column holder: 'palm fund  LP' is also the holder on line 2"
            in str(caught.value))


def _args(**given: object) -> argparse.Namespace:
    values: dict[str, object] = {"closing_date": None, "as_of": None, "holders_csv": None,
                                 "issuances_csv": None, "holders": None, "market_price": None,
                                 "date_format": "us"}
    values.update(given)
    return argparse.Namespace(**values)


def test_a_cap_table_of_your_own_needs_an_explicit_market_price(tmp_path: Path) -> None:
    path = _file(tmp_path, (HOLDERS + "A,9100,1000,0\n").encode())
    with pytest.raises(InputError, match="--market-price: required with --holders-csv"):
        template.cap_table(_args(holders_csv=str(path)))
    cap = template.cap_table(_args(holders_csv=str(path), market_price="$0.31"))
    assert cap.settings.market_price == Fraction(31, 100)
    with pytest.raises(InputError, match=r"--market-price '-1': give a price in dollars above 0"):
        template.cap_table(_args(holders_csv=str(path), market_price="-1"))
    # The sample keeps its own stated price ($0.18, xl_seriesm/cli/sample.py).
    assert template.cap_table(_args()).settings.market_price == Fraction(18, 100)
