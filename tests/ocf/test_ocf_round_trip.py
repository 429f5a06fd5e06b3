"""The ledger → OCF → ledger round trip of the events OCF has no transaction for
(checkpoints, §3(c) elections, §6(a) redemption notices), compared as ``captable --json``
prints them: the ledger's and the package's output at the same as-of date."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from xl_seriesm.captable.events import read_events
from xl_seriesm.cli import main
from xl_seriesm.core.ledger import Event, EventKind, LedgerError, state_at
from xl_seriesm.ocf import notes
from xl_seriesm.ocf.reader import read_package
from xl_seriesm.ocf.schema_check import OcfError

F = Fraction
HEADER = ("date,event,holder,to_holder,series_m_shares,common_shares,amount,exempt,"
          "market_price,ratio,effective_date,note\n")
START = ("2005-01-10,issue,A,,5000,,,,,,,\n2005-01-10,issue,B,,4100,,,,,,,\n"
         "2005-01-10,outstanding,,,,100000000,,,,,,\n")
#: §5(e)(i): 5,000,000 common at $0.15 (below $0.25): A = 100,000,000, B = 5,000,000,
#: C = 750,000 / 0.25 = 3,000,000; the number becomes 4,000 × (A + B) / (A + C) =
#: 4,000 × 105/103 = 420,000/103 = 4,077.6699…
SALE = "2005-09-30,common,,,,5000000,750000,FALSE,,,,\n"


def _strip(value: Any) -> Any:
    """The JSON without ``where`` (the ledger names its file and line, the package its
    items) and without what lies after the as-of date (the package holds the ledger up to
    it)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("where", "pending")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def round_trip(tmp_path: Path, ledger: str, as_of: str,
               capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], dict[str, Any],
                                                            int, int, Path]:
    """``captable --json`` of the ledger (writing the package) and of the package: both
    outputs and exit codes, and the package."""
    path = tmp_path / "ledger.csv"
    path.write_text(ledger, encoding="utf-8")
    out = tmp_path / f"p-{as_of}.zip"
    first = main(["captable", str(path), "--as-of", as_of, "--json", "--to-ocf", str(out),
                  "--formation-date", "1996-04-01", "--force"])
    a = json.loads(capsys.readouterr().out)
    second = main(["captable", "--ocf", str(out), "--as-of", as_of, "--json"])
    b = json.loads(capsys.readouterr().out)
    return a, b, first, second, out


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Equal but for the package's conversion-ratio adjustments, which it reads as checks
    of the number the writer computed (they reconcile: the number is the ledger's)."""
    a, b = _strip(a), _strip(b)
    written = [r for r in b.pop("reconciliations") if not (
        r["what"] == "conversion number" and r["ok"] and r not in a["reconciliations"])]
    assert written == a.pop("reconciliations")
    a.pop("checks")
    b.pop("checks")
    assert a == b


def test_a_failing_conversion_number_checkpoint_still_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = HEADER + START + SALE + "2006-01-17,conversion_number,,,,,4100,,,,,\n"
    a, b, first, second, _ = round_trip(tmp_path, ledger, "2006-02-01", capsys)
    # Stated 4,100 against 420,000/103 = 4,077.67 (§5(e)(i), above): FAIL, exit 1, both ways.
    assert (first, second) == (1, 1)
    failed = [r for r in b["reconciliations"] if not r["ok"]]
    assert [(r["date"], r["stated"], r["computed"]) for r in failed] == [
        ("2006-01-17", 4100, float(F(420_000, 103)))]
    _same(a, b)


def test_a_stated_number_comes_back_exactly(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # 4,077.66990291 is within a billionth of 420,000/103 (§5(b) as the ledger reconciles):
    # it passes, and the package states it to the last digit.
    ledger = HEADER + START + SALE + "2006-01-17,conversion_number,,,,,4077.66990291,,,,,\n"
    a, b, first, second, out = round_trip(tmp_path, ledger, "2006-02-01", capsys)
    assert (first, second) == (0, 0)
    _same(a, b)
    stated = [e.amount for e in read_package(out).events
              if e.kind is EventKind.CONVERSION_NUMBER and "comments" in e.place.source]
    assert stated == [F(407_766_990_291, 10**8)]


def test_a_same_day_checkpoint_keeps_its_place(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # The number stated as 4,000 before the day's sale at $0.15: still 4,000 then (it moves
    # to 420,000/103 with the sale, after it), so it passes; read after the sale it would
    # fail.
    ledger = (HEADER + START + "2005-09-30,conversion_number,,,,,4000,,,,,\n" + SALE)
    a, b, first, second, _ = round_trip(tmp_path, ledger, "2006-02-01", capsys)
    assert (first, second) == (0, 0)
    _same(a, b)


ELECTIONS = (HEADER + START + "2006-03-01,election,A,,,,,,,,2006-06-01,\n"
             "2006-03-02,election,B,,2000,,,,,,2006-06-01,\n"
             "2006-04-03,redemption_notice,B,,1000,,,,,,,\n"
             "2006-05-01,redeem,B,,1000,,,,,,,\n")


@pytest.mark.parametrize("as_of", ["2006-03-15", "2006-04-10", "2006-07-01"])
def test_elections_and_notices_make_the_round_trip(
        tmp_path: Path, as_of: str, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, first, second, _ = round_trip(tmp_path, ELECTIONS, as_of, capsys)
    assert (first, second) == (0, 0)
    # §3(c): A elects with its whole holding, 5,000, B with 2,000: 7,000 of the 9,100
    # outstanding at the elections, at least 50%: the transaction effective 2006-06-01 is
    # treated as a liquidation.
    assert b["elections"] == [{"effective_date": "2006-06-01", "electing_shares": 7000,
                               "outstanding_shares": 9100, "holders": ["A", "B"],
                               "treated_as_liquidation": True}]
    _same(a, b)


def test_a_notice_read_back_still_closes_conversion(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    *_, out = round_trip(tmp_path, ELECTIONS, "2006-04-10", capsys)
    # §6(a): B received the notice calling 1,000 shares on 2006-04-03; it may convert them
    # within ten days, to 2006-04-13. Converting all 4,100 on 2006-04-20 is refused, from
    # the package as from the ledger.
    convert = Event(date(2006, 4, 20), EventKind.CONVERT, "B", series_m_shares=F(4100))
    (tmp_path / "l.csv").write_text(ELECTIONS, encoding="utf-8")
    for events in (read_events(tmp_path / "l.csv"), read_package(out).events):
        with pytest.raises(LedgerError, match=r"§6\(a\)"):
            state_at((*events, convert), date(2006, 4, 30))


@pytest.mark.parametrize(("value", "text"), [
    (F(4100), "4100"), (F(407_766_990_291, 10**8), "4077.66990291"),
    (F(420_000, 103), "420000/103"), (F(1, 2**20), "0.00000095367431640625"),
    (F(1, 3 * 2**300), f"1/{3 * 2**300}")])
def test_exact_numbers(value: Fraction, text: str) -> None:
    assert notes.exact(value) == text
    assert Fraction(text) == value


@pytest.mark.parametrize(("comment", "message"), [
    ("seriesm checkpoint: conversion number 2006-01-17", "is not 'seriesm checkpoint: "
     "conversion number DATE NUMBER"),
    ("seriesm checkpoint: conversion number 2006-02-30 4100", "DATE '2006-02-30' is not a "
     "date"),
    ("seriesm checkpoint: conversion number 2006-01-17 1e999999", "'1e999999' is not a number"),
    ("seriesm election: 2006-03-01 holder-9 all 2006-06-01", "HOLDER 'holder-9' is not a "
     "holder"),
    ("seriesm redemption notice: 2006-04-03 holder-1 -5", "'-5' is not a number"),
])
def test_a_bad_comment_is_refused(comment: str, message: str) -> None:
    with pytest.raises(OcfError, match=f"Manifest.ocf.json comments\\[0\\]: .*{message}"):
        notes.read([comment], {"holder-1": "A"}, "Manifest.ocf.json")


#: A stack table that disagrees with the example's package: 400,000 Series L (the package
#: holds 1,000,000 at 2006-01-10), the same 10,000,000 options, and a Series Z it lacks.
OTHER_STACK = """class,kind,shares,preference,seniority,participation,cap,conversion_ratio,strike
Series L,preferred,400000,1.00,1,none,,1,
Pool,option,10000000,,,,,,0.10
Series Z,preferred,500,2.00,2,none,,1,
"""


def test_a_package_with_other_classes_keeps_its_counts_against_a_stack_table(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "classes.zip"
    assert main(["captable", str(ROOT / "docs" / "example-classes-ledger.csv"), "--stack",
                 str(ROOT / "docs" / "example-stack.csv"), "--as-of", "2006-01-10",
                 "--to-ocf", str(out), "--formation-date", "1996-04-01"]) == 0
    capsys.readouterr()
    (tmp_path / "stack.csv").write_text(OTHER_STACK, encoding="utf-8")
    assert main(["captable", "--ocf", str(out), "--as-of", "2006-01-10", "--exit",
                 "20000000", "--json", "--stack", str(tmp_path / "stack.csv")]) == 0
    shown = capsys.readouterr()
    data = json.loads(shown.out)
    # The package's counts at 2006-01-10: Series L 1,000,000 (L Fund 750,000, L2 250,000),
    # options 6,000,000 + 4,000,000 at $0.10; the stack table's that differ are reported.
    assert [(r["class"], r["shares"]) for r in data["stack"]] == [
        ("Series L", 1_000_000), ("Pool", 10_000_000)]
    assert data["stack_differences"] == [
        {"class": "Series L", "stack_table": 400_000, "package": 1_000_000},
        {"class": "Series Z", "stack_table": 500, "package": 0}]
    assert "Series L: the stack table states 400,000 shares, the package 1,000,000" in (
        shown.err)
    # At $20,000,000 (README): Series M 9,100 × ($1,000 + one year's 5%, $50) = $9,555,000
    # first (§3(a)); Series L 1,000,000 × $1.00; the options at $0.10 stay out of the money;
    # the common 20,000,000 − 9,555,000 − 1,000,000 = $9,445,000.
    assert [(c["class"], c["total"]) for c in data["exit"]["classes"]] == [
        ("Series M", 9_555_000), ("Series L", 1_000_000), ("Pool", 0), ("Common", 9_445_000)]


def test_a_package_without_other_classes_takes_the_stack_table(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plain.zip"
    assert main(["captable", str(ROOT / "docs" / "example-ledger.csv"), "--as-of",
                 "2006-01-10", "--to-ocf", str(out), "--formation-date", "1996-04-01"]) == 0
    capsys.readouterr()
    (tmp_path / "stack.csv").write_text(OTHER_STACK, encoding="utf-8")
    assert main(["captable", "--ocf", str(out), "--as-of", "2006-01-10", "--exit",
                 "20000000", "--json", "--stack", str(tmp_path / "stack.csv")]) == 0
    data = json.loads(capsys.readouterr().out)
    # The stack table's classes as it states them: Series L 400,000 × $1.00.
    assert ("Series L", 400_000) in [(c["class"], c["total"]) for c in data["exit"]["classes"]]


@pytest.mark.parametrize("as_of", ["2005-06-01", "2006-06-30", "2006-12-31"])
def test_the_holders_keep_the_ledgers_order(tmp_path: Path, as_of: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    ledger = (ROOT / "docs" / "example-ledger.csv").read_text(encoding="utf-8")
    a, b, first, second, _ = round_trip(tmp_path, ledger, as_of, capsys)
    assert (first, second) == (0, 0)
    # The order the example names them in: the five issues of 2005-01-10, then everyone
    # else; Palm, Lakeside and Rivera's common (stated after the issues) does not move them.
    assert [h["holder"] for h in b["holders"]] == [
        "Palm Fund LP", "Forum Partners", "Lakeside Capital", "M. Rivera", "J. Chen",
        "Everyone else (not listed)"]
    _same(a, b)


def test_holders_of_common_stated_before_and_after_the_outstanding_keep_their_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = ("date,event,holder,to_holder,series_m_shares,common_shares\n"
              "2005-01-10,issue,A,,5000,\n2005-01-10,holding,C,,,300\n"
              "2005-01-10,outstanding,,,,100000\n2005-01-10,issue,B,,100,\n"
              "2005-01-10,holding,D,,,200\n2005-02-01,transfer,D,E,,50\n")
    a, b, first, second, _ = round_trip(tmp_path, ledger, "2005-03-01", capsys)
    assert (first, second) == (0, 0)
    # In the ledger's order; C 300, D 200 − 50 = 150, E 50, everyone else 100,000 − 300 −
    # 200 = 99,500.
    assert [(h["holder"], h["common_shares"]) for h in b["holders"]] == [
        ("A", 0), ("C", 300), ("B", 0), ("D", 150), ("E", 50),
        ("Everyone else (not listed)", 99_500)]
    _same(a, b)


SPLIT = (HEADER + START.replace("2005-01-10,outstanding", "2005-01-10,holding,A,,,1000001,,,,,,"
                                "\n2005-01-10,outstanding")
         + SALE + "2006-04-03,convert,B,,300,,,,,,,no market price\n"
         "2006-04-04,split,,,,,,,,1:3,,\n2006-05-01,holding,B,,,500000,,,,,,\n"
         "2006-05-02,transfer,A,B,,1000,,,,,,\n")


def test_fractions_of_a_share_after_a_split_come_back_exactly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, first, second, out = round_trip(tmp_path, SPLIT, "2006-06-01", capsys)
    assert (first, second) == (0, 0)
    _same(a, b)
    state = state_at(read_package(out).events, date(2006, 6, 1))
    # §5(b) B converts 300 at 420,000/103 (§5(e)(i) above): 126,000,000/103 common, the
    # fraction issued (no market price, §5(h)). §5(c) 1:3: the number × 1/3 = 140,000/103;
    # B's common 42,000,000/103, stated 500,000, plus A's 1,000 = 501,000; A's 1,000,001/3
    # − 1,000 = 997,001/3; outstanding (105,000,000 + 126,000,000/103)/3 = 3,647,000,000/103.
    assert state.conversion_number == F(140_000, 103)
    assert state.holder("A").common_shares == F(997_001, 3)
    assert state.holder("B").common_shares == 501_000
    assert state.common_outstanding == F(3_647_000_000, 103)


def test_an_exact_quantity_must_agree_with_its_numeric() -> None:
    tx = {"quantity": "332333.6666666666", "comments": ["seriesm exact quantity: 997001/3"]}
    assert notes.read_quantity(tx, "quantity", "here") == F(997_001, 3)
    with pytest.raises(OcfError, match=r"here: quantity 332333.6666 and the exact quantity "
                       r"997001/3 do not agree to 10 decimals"):
        notes.read_quantity({**tx, "quantity": "332333.6666"}, "quantity", "here")
    with pytest.raises(OcfError, match=r"here: 'seriesm exact quantity: 1/0' is not one"):
        notes.read_quantity({**tx, "comments": ["seriesm exact quantity: 1/0"]}, "quantity",
                            "here")
