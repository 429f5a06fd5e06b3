"""The ledger CSV's events for the other classes (``class``, ``shares``, ``strike``) and
``seriesm captable LEDGER --stack stack.csv --exit AMOUNT`` over them, worked by hand.

The ledger: the Series M of tests/captable/test_exit.py (A 5,000 and B 4,100 from a
2005-01-10 closing; 100,000,000 common, A holding 1,000,000); Series L 1,000,000 issued to
L Fund, which transfers 250,000 to L2; 6,000,000 + 4,000,000 options at $0.10 granted to E1
and E2; 500,000 at $0.50 granted to E3 and forfeited; E1 exercises 1,000,000 on 2006-06-01.
The stack table gives the terms (Series L $1.00 non-participating 1:1, Pool options).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from xl_seriesm.captable.events import read_events, read_ledger
from xl_seriesm.cli import main
from xl_seriesm.workbook.inputs import InputError

HEADER = "date,event,class,holder,to_holder,series_m_shares,common_shares,amount,shares,strike"
LEDGER = f"""{HEADER}
2005-01-10,issue,,A,,5000,,,,
2005-01-10,issue,,B,,4100,,,,
2005-01-10,outstanding,,,,,100000000,,,
2005-01-10,holding,,A,,,1000000,,,
2005-02-01,issue,Series L,L Fund,,,,,1000000,
2005-03-01,grant,Pool,E1,,,,,6000000,0.10
2005-03-01,grant,Pool,E2,,,,,4000000,0.10
2005-06-01,grant,pool,E3,,,,,500000,$0.50
2005-07-01,forfeiture,Pool,E3,,,,,500000,0.50
2005-08-01,transfer,Series L,L Fund,L2,,,,250000,
2006-06-01,exercise,Pool,E1,,,,,1000000,0.10
"""
STACK = "class,kind,shares,preference,strike\nSeries L,preferred,1000000,1,\n" \
        "Pool,option,10000000,,0.10\nWarrants,warrant,1000000,,0.10\n"


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], ledger: str, *extra: str,
         as_of: str = "2006-01-10") -> tuple[int, str, str]:
    (tmp_path / "ledger.csv").write_text(ledger, encoding="utf-8")
    (tmp_path / "stack.csv").write_text(STACK, encoding="utf-8")
    code = main(["captable", str(tmp_path / "ledger.csv"), "--as-of", as_of, "--stack",
                 str(tmp_path / "stack.csv"), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_issue_stack_from_the_ledger_by_class_and_holder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(tmp_path, capsys, LEDGER, "--exit", "20000000", "--json")
    data = json.loads(out)
    assert code == 0
    exit_ = data["exit"]
    # At 2006-01-10 the ledger's stack is the issue's: Series L 1,000,000 (L Fund 750,000
    # after its transfer, L2 250,000), the Pool 10,000,000 at $0.10 (E3's lot forfeited);
    # the Warrants have no event and keep the stack table's 1,000,000 at $0.10. The Series M
    # 9,100 × $1,000 + four quarters of 5% = 9,555,000 (§2, §3(a)) first, then Series L's
    # $1,000,000; 9,445,000 is left for 100,000,000 common: $0.09445 a share, under the
    # $0.10 strike, so neither the options nor the warrants are exercised.
    assert [(c["class"], c["total"]) for c in exit_["classes"]] == [
        ("Series M", 9_555_000), ("Series L", 1_000_000), ("Pool", 0), ("Warrants", 0),
        ("Common", 9_445_000)]
    # Series L pro rata within the class: 750,000/1,000,000 and 250,000/1,000,000 of it.
    assert [(h["holder"], h["class"], h["shares"], h["payout"])
            for h in exit_["class_holders"]] == [
        ("L Fund", "Series L", 750_000, 750_000), ("L2", "Series L", 250_000, 250_000),
        ("E1", "Pool", 6_000_000, 0), ("E2", "Pool", 4_000_000, 0)]
    # Every holder, the classes' holders added: A 5,250,000 of Series M and 1,000,000 ×
    # 0.09445 = 94,450 of common; B 4,305,000; everyone else 99,000,000 × 0.09445.
    assert [(h["holder"], h["series_m"], h["common"], h["other_classes"], h["total"])
            for h in exit_["holders"]] == [
        ("A", 5_250_000, 94_450, 0, 5_344_450), ("B", 4_305_000, 0, 0, 4_305_000),
        ("Everyone else (not listed)", 0, 9_350_550, 0, 9_350_550),
        ("L Fund", 0, 0, 750_000, 750_000), ("L2", 0, 0, 250_000, 250_000),
        ("E1", 0, 0, 0, 0), ("E2", 0, 0, 0, 0)]
    assert sum(h["total"] for h in exit_["holders"]) == 20_000_000
    # The stack table says 10,000,000 Pool and the ledger agrees; Series L too.
    assert data["stack_differences"] == []
    assert data["stack"][:2] == [
        {"class": "Series L", "kind": "preferred", "shares": 1_000_000, "strike": None,
         "counted_by": "ledger", "holders": [{"holder": "L Fund", "shares": 750_000},
                                             {"holder": "L2", "shares": 250_000}]},
        {"class": "Pool", "kind": "option", "shares": 10_000_000, "strike": 0.1,
         "counted_by": "ledger", "holders": [{"holder": "E1", "shares": 6_000_000},
                                             {"holder": "E2", "shares": 4_000_000}]}]
    assert data["stack"][2]["counted_by"] == "stack table"
    assert [(p["event"], p["class"], p["holder"]) for p in data["class_pending"]] == [
        ("exercise", "Pool", "E1")]


def test_after_the_exercise(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(tmp_path, capsys, LEDGER, "--exit", "20000000", "--json",
                        as_of="2006-07-10")
    data = json.loads(out)
    assert code == 0
    # The exercise issued E1 1,000,000 common for 1,000,000 × $0.10: exempt (options under an
    # employee plan, §5(e)(i)), so the conversion number stays 4,000; 101,000,000 common.
    assert (data["common_outstanding"], data["conversion_number"]) == (101_000_000, 4000)
    assert data["issuances"][0]["exempt"] is True
    # 18 months of 5% on 9,100 × $1,000 (30/360): 682,500; L = 9,782,500. After Series L's
    # 1,000,000, 9,217,500 is left: were the 9,000,000 options at $0.10 exercised, p would be
    # (9,217,500 + 900,000) / 110,000,000 = 0.09198 < 0.10, so they are not, and the common
    # takes 9,217,500 / 101,000,000 a share. E1's 1,000,000 common: 91,262.38 (to the cent).
    exit_ = data["exit"]
    assert [(c["class"], c["total"]) for c in exit_["classes"]] == [
        ("Series M", 9_782_500), ("Series L", 1_000_000), ("Pool", 0), ("Warrants", 0),
        ("Common", 9_217_500)]
    e1 = next(h for h in exit_["holders"] if h["holder"] == "E1")
    assert (e1["common"], e1["other_classes"]) == (91_262.38, 0)
    pool = [h["shares"] for h in exit_["class_holders"] if h["class"] == "Pool"]
    assert pool == [5_000_000, 4_000_000]
    # The stack table's 10,000,000 against the ledger's 9,000,000: reported, the ledger's used.
    assert data["stack_differences"] == [
        {"class": "Pool", "stack_table": 10_000_000, "ledger": 9_000_000}]
    code, out, _ = _run(tmp_path, capsys, LEDGER, as_of="2006-07-10")
    assert ("Pool: the stack table states 10,000,000 shares, the ledger 9,000,000 at "
            "2006-07-10; the ledger's count is used") in " ".join(out.split())
    assert re.search(r"│ Pool +│ option +│ +9,000,000 │ +\$0\.10 │ ledger +│ +2 │", out), out


def test_a_warrant_exercise_below_the_threshold_dilutes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = LEDGER + ("2006-02-01,grant,Warrants,W,,,,,1000000,0.10\n"
                       "2006-03-01,exercise,Warrants,W,,,,,1000000,0.10\n")
    code, out, _ = _run(tmp_path, capsys, ledger, "--json", as_of="2006-03-01")
    data = json.loads(out)
    assert code == 0
    # §5(e)(i): 1,000,000 common for $100,000, which buys 400,000 at $0.25; A = 100,000,000:
    # 4,000 × (100,000,000 + 1,000,000) / (100,000,000 + 400,000) = 1,010,000/251.
    assert data["conversion_number_exact"] == "1010000/251"
    assert data["issuances"][0]["exempt"] is False
    ledger = "".join(line + "," + ("exempt" if line == HEADER else "TRUE"
                                   if "exercise,W" in line else "") + "\n"
                     for line in ledger.splitlines())
    code, out, _ = _run(tmp_path, capsys, ledger, "--json", as_of="2006-03-01")
    assert json.loads(out)["conversion_number"] == 4000  # outstanding in December 2004


@pytest.mark.parametrize(("row", "message"), [
    ("2005-04-01,issue,,A,,100,,,,0.10",
     "line 13, column strike: '0.10' on a row with no class (the Series M's or the "
     "common's issue): strike is for the events of another class"),
    ("2005-04-01,grant,,E1,,,,,100,0.10", "line 13, column class: empty; a grant is of "
     "another class's shares, options or warrants"),
    ("2005-04-01,grant,Pool,E1,,,,,-100,0.10",
     "line 13, column shares: '-100' is not a number of shares above 0"),
    ("2005-04-01,grant,Pool,E1,,,,,,0.10", "line 13, column shares: empty; a grant of Pool "
     "needs the number"),
    ("2005-04-01,grant,Pool,E1,,,5,,100,0.10", "line 13, column common_shares: '5' does not "
     "apply to an event of another class"),
    ("2005-04-01,convert,Pool,E1,,,,,100,0.10", "line 13, column event: 'convert' is not an "
     "event of another class ('Pool'); use issue, transfer, grant, exercise or cancel"),
    ("2005-04-01,grant,Pool,E1,,,,,100,", "line 13, column strike: empty; the grant of Pool "
     "of 2005-04-01 by E1 needs the strike (dollars per common share) of the options"),
    ("2005-04-01,exercise,Pool,E2,,,,,4000001,0.10", "line 13, column shares: E2 holds "
     "4000000 Pool at $0.10 on 2005-04-01, fewer than the 4000001 of this exercise"),
    ("2005-04-01,cancel,Pool,E2,,,,,1,0.20", "line 13, column shares: E2 holds 0 Pool at "
     "$0.20"),
    ("2005-04-01,issue,Series K,E1,,,,,100,", 'line 13, column class: "Series K" is not a '
     "class of the stack table: the stack table defines Series L, Pool, Warrants"),
    ("2005-04-01,issue,Series L,E1,,,,,100,1", 'line 13, column strike: 1 for Series L, a '
     "preferred class"),
])
def test_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str,
                  message: str) -> None:
    code, _, err = _run(tmp_path, capsys, LEDGER + row + "\n")
    assert code == 2
    assert message in err, err
    assert "Traceback" not in err
    assert err.endswith("nothing was written\n")


def test_without_a_stack_table_and_in_the_series_m_reader(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    assert main(["captable", str(ledger), "--as-of", "2006-01-10"]) == 2
    assert ("line 6, column class: \"Series L\" is not a class of the stack table: no stack "
            "table was given; give the class's terms with --stack") in capsys.readouterr().err
    # The Series M's reader (templates, reports) refuses them: an exercise issues common
    # that only the stack table can say is exempt.
    with pytest.raises(InputError, match=r"line 6, column class: 'Series L': an event of "
                                         r"another class; `seriesm captable --stack`"):
        read_events(ledger)
    entries = read_ledger(ledger)
    assert len(entries) == 11


def test_an_existing_ledger_reads_as_before(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    series_m_only = "\n".join(line for line in LEDGER.splitlines()
                              if line == HEADER or line.split(",")[2] == "")
    code, out, _ = _run(tmp_path, capsys, series_m_only + "\n", "--exit", "20000000",
                        "--json")
    # No event of another class: the stack table's rows as given (its 10,000,000 Pool).
    data = json.loads(out)
    assert code == 0
    assert "stack_differences" not in data
    assert [c["class"] for c in data["exit"]["classes"]] == [
        "Series M", "Series L", "Pool", "Warrants", "Common"]
    assert "class_holders" not in data["exit"]


def test_to_ocf_and_back_from_the_command_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(tmp_path, capsys, LEDGER, "--exit", "20000000", "--json", "--to-ocf",
                        str(tmp_path / "package.zip"), "--formation-date", "1996-04-01",
                        as_of="2006-07-10")
    assert code == 0
    written = json.loads(out)["exit"]
    assert main(["captable", "--ocf", str(tmp_path / "package.zip"), "--as-of", "2006-07-10",
                 "--exit", "20000000", "--json"]) == 0
    read = json.loads(capsys.readouterr().out)["exit"]
    # The same classes and totals from the package (its stack at the date, counted from the
    # transactions written by holder): Series M 9,782,500, Series L 1,000,000, the Pool's
    # 9,000,000 options nothing, the Warrants (no event: the stack table's) nothing.
    assert sorted((c["class"], c["total"]) for c in read["classes"]) == sorted(
        (c["class"], c["total"]) for c in written["classes"])
    assert read["common_per_share"] == written["common_per_share"]
    # And each holder of them, from the package's transactions by holder.
    assert read["class_holders"] == written["class_holders"]
    assert read["holders"] == written["holders"]
