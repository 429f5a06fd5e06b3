"""``seriesm captable --stack stack.csv --exit AMOUNT``: every class's and holder's payout at
an exit value, worked by hand, and the stack CSV's refusals."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from xl_seriesm.captable.stack_file import read_stack_csv
from xl_seriesm.cli import main
from xl_seriesm.core.stack import Kind, StackClass
from xl_seriesm.workbook.inputs import InputError

LEDGER = """date,event,holder,to_holder,series_m_shares,common_shares,amount
2005-01-10,issue,A,,5000,,
2005-01-10,issue,B,,4100,,
2005-01-10,outstanding,,,,100000000,
2005-01-10,holding,A,,,1000000,
"""
STACK = "class;kind;shares;preference;strike\nSeries L;preferred;1,000,000;$1.00;\n" \
        "Pool;option;10000000;;0.10\n"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    ledger, stack = tmp_path / "ledger.csv", tmp_path / "stack.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    stack.write_text(STACK, encoding="utf-8-sig")
    return ledger, stack


def test_the_issue_stack_by_class_and_by_holder(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    ledger, stack = _files(tmp_path)
    code = main(["captable", str(ledger), "--as-of", "2006-01-10", "--stack", str(stack),
                 "--exit", "$20,000,000", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    # At 2006-01-10, four full quarters: A 5,000 × 1,000 × 5% = 250,000 accrued, B 205,000
    # (§2); the class 9,100,000 + 455,000 = 9,555,000 (§3(a)), convertible (the first
    # anniversary, §5(a)). The issue's case: Series M 9,555,000, Series L 1,000,000, the
    # options nothing, the common the 9,445,000 left, $0.09445 a share.
    exit_ = out["exit"]
    assert exit_["common_per_share"] == pytest.approx(0.09445, rel=1e-15)
    assert [(c["class"], c["total"], c["converts"]) for c in exit_["classes"]] == [
        ("Series M", 9_555_000, False), ("Series L", 1_000_000, False), ("Pool", 0, False),
        ("Common", 9_445_000, False)]
    # By holder: A 5,250,000 of Series M and 1,000,000 × 0.09445 = 94,450 of common;
    # B 4,305,000; everyone else 99,000,000 × 0.09445 = 9,350,550.
    assert [(h["holder"], h["series_m"], h["common"], h["total"]) for h in exit_["holders"]] == [
        ("A", 5_250_000, 94_450, 5_344_450), ("B", 4_305_000, 0, 4_305_000),
        ("Everyone else (not listed)", 0, 9_350_550, 9_350_550)]


def test_the_table_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger, stack = _files(tmp_path)
    assert main(["captable", str(ledger), "--as-of", "2006-01-10", "--stack", str(stack),
                 "--exit", "20000000"]) == 0
    out = capsys.readouterr().out
    assert "At an exit of $20,000,000.00: by class (§3)" in out
    assert "9,555,000.00" in out
    assert main(["captable", str(ledger), "--as-of", "2006-01-10", "--exit", "lots"]) == 2
    assert "--exit 'lots': not an amount" in capsys.readouterr().err
    stack.write_text("class,kind,shares\nSeries L,preferred,-1\n", encoding="utf-8")
    assert main(["captable", str(ledger), "--stack", str(stack), "--exit", "1"]) == 2
    assert (f"{stack} line 2, shares = -1: must be more than 0; nothing was written"
            in capsys.readouterr().err)


def test_the_stack_csv(tmp_path: Path) -> None:
    _, stack = _files(tmp_path)
    assert read_stack_csv(stack) == (
        StackClass("Series L", Kind.PREFERRED, Fraction(1_000_000), Fraction(1)),
        StackClass("Pool", Kind.OPTION, Fraction(10_000_000), strike=Fraction(1, 10)))
    stack.write_text("class,kind,shares,preference\nSeries L,preferred,10,1\n,,,\n"
                     "Series K,preferred,10,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"stack.csv line 4, preference = \(empty\): required"):
        read_stack_csv(stack)
    with pytest.raises(InputError, match="cannot be read"):
        read_stack_csv(tmp_path / "none.csv")


def test_template_with_a_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl  # noqa: PLC0415

    _, stack = _files(tmp_path)
    assert main(["template", "--stack", str(stack), "--flavor", "native", "--out",
                 str(tmp_path / "out")]) == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "seriesm-captable-native.xlsx")
    assert "Capital stack" in book.sheetnames
    sheet = book["Capital stack"]
    assert [sheet["A10"].value, sheet["A11"].value, sheet["A12"].value] == [
        "Series L", "Pool", "Series M"]
    stack.write_text("class,kind,shares\nSeries L,stock,1\n", encoding="utf-8")
    assert main(["template", "--stack", str(stack), "--out", str(tmp_path / "again")]) == 2
    assert 'line 2, kind = "stock": use preferred, option or warrant; nothing was written' in (
        capsys.readouterr().err)


def test_the_stack_csv_reads_its_numbers_one_way(tmp_path: Path) -> None:
    # A European file: 1.000.000 shares and a $1,50 preference (one dollar fifty), the
    # whole file read the European way; before, "1,50" was read as 150 without a word.
    from xl_seriesm.workbook.csvnumbers import NumberFormat  # noqa: PLC0415

    stack = tmp_path / "stack.csv"
    stack.write_text("class;kind;shares;preference\nSeries L;preferred;1.000.000;1,50\n",
                     encoding="utf-8")
    (found,) = read_stack_csv(stack)
    assert (found.shares, found.preference) == (1_000_000, Fraction(3, 2))
    # The same with only the preference to tell: 1,50 is no US number (its comma does not
    # stand between thousands), so the file is European.
    stack.write_text('class,kind,shares,preference\nSeries L,preferred,1000000,"1,50"\n',
                     encoding="utf-8")
    assert read_stack_csv(stack)[0].preference == Fraction(3, 2)
    # Told the file is US, "1,50" is refused by line and column, never read as 150.
    with pytest.raises(InputError, match=r'stack.csv line 2, preference = "1,50": not a '
                                         r"number; use digits, a point"):
        read_stack_csv(stack, NumberFormat.US)


@pytest.mark.parametrize("shares", ["1e999999999", "1" * 5000, "10000000000000000"])
def test_an_enormous_number_is_refused_at_once(tmp_path: Path, shares: str) -> None:
    # 10^999999999 as an exact fraction would take minutes and gigabytes; more than 15
    # digits before the point is past what a spreadsheet keeps: refused, naming the cell.
    stack = tmp_path / "stack.csv"
    stack.write_text(f"class,kind,shares,preference\nL,preferred,{shares},1\n",
                     encoding="utf-8")
    with pytest.raises(InputError, match=r"stack.csv line 2, shares = .*not a number"):
        read_stack_csv(stack)
