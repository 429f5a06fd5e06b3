"""``seriesm template --events LEDGER --stack STACK`` with a ledger that holds events of the
other classes (README: "Events of the other classes"): the Capital stack sheet takes their
counts at the as-of date from the ledger and their terms from the stack table, as
``seriesm captable --stack`` does, and its payouts at an exit value are captable's."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm import libreoffice
from xl_seriesm.cli import main
from xl_seriesm.cli.main import build_parser
from xl_seriesm.cli.template import cap_table, make
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import model
from xl_seriesm.workbook.inputs import CapTable
from xl_seriesm.workbook.sheets.stack import HEADER_ROW, STACK_SHEET
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor

LEDGER = ROOT / "docs" / "example-classes-ledger.csv"
STACK = ROOT / "docs" / "example-stack.csv"
EXIT = Fraction(20_000_000)
# The classes' payouts at $20,000,000, worked by hand (the same as
# tests/captable/test_class_ledger.py works them for captable):
# - 2006-01-10: the Series M 9,100 × $1,000 + four quarters of 5% (§2) = 9,555,000 first
#   (§3(a)); Series L 1,000,000 × $1.00; 9,445,000 left for 100,000,000 common: $0.09445 a
#   share, under the Pool's $0.10 strike, so its 10,000,000 options are not exercised.
# - 2006-07-10: six quarters, 9,100,000 × 7.5% = 682,500, so 9,782,500; Series L 1,000,000;
#   the 2006-06-01 exercise issued E1 1,000,000 common (101,000,000 now) and left the Pool
#   9,000,000 options; exercised they would make p = (9,217,500 + 900,000) / 110,000,000 =
#   0.09198 < 0.10, so they are not; the common takes 9,217,500.
EXPECTED = {
    "2006-01-10": {"Series L": 1_000_000, "Pool": 0, "Series M": 9_555_000,
                   "Common": 9_445_000},
    "2006-07-10": {"Series L": 1_000_000, "Pool": 0, "Series M": 9_782_500,
                   "Common": 9_217_500},
}
# The common's price p on the sheet (StackPrice): 9,445,000 / 100,000,000, and after the
# exercise 9,217,500 / 101,000,000 (its common counted, the 9,000,000 options not).
PRICE = {"2006-01-10": 9_445_000 / 100_000_000, "2006-07-10": 9_217_500 / 101_000_000}


def _cap(as_of: str, ledger: Path = LEDGER, stack: Path = STACK) -> CapTable:
    args = build_parser().parse_args(
        ["template", "--events", str(ledger), "--stack", str(stack), "--as-of", as_of,
         "--market-price", "0.18"])
    cap = cap_table(args)
    return replace(cap, settings=replace(cap.settings, exit_value=EXIT))


def _payouts(built: model.Workbook, values: dict[tuple[str, str], object]) -> dict[str, object]:
    """Column K (Payout) as computed, by the class named in column A, below the header row,
    to the Total row (which must be the exit value: the classes add up to it)."""
    sheet = next(s for s in built.sheets if s.name == STACK_SHEET)
    names = {c.ref: c.value for c in sheet.cells if c.ref[0] == "A"}
    out = {}
    row = HEADER_ROW + 1
    while (name := names.get(f"A{row}")) not in (None, ""):
        out[str(name)] = values[(STACK_SHEET, f"K{row}")]
        row += 1
    assert out.pop("Total") == EXIT
    return out


def _named(built: model.Workbook, name: str) -> tuple[str, str]:
    sheet, ref = built.names[name].split("!")
    return sheet.strip("'"), ref.replace("$", "")


def _captable_classes(as_of: str, capsys: pytest.CaptureFixture[str]) -> dict[str, float]:
    assert main(["captable", str(LEDGER), "--stack", str(STACK), "--as-of", as_of,
                 "--exit", str(EXIT), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return {c["class"]: c["total"] for c in data["exit"]["classes"]}


def test_the_stack_from_the_ledger_at_the_as_of_date(capsys: pytest.CaptureFixture[str]) -> None:
    early = _cap("2006-01-10")
    assert [(c.name, c.shares, c.strike) for c in early.stack] == [
        ("Series L", 1_000_000, 0), ("Pool", 10_000_000, Fraction(1, 10))]
    # The stack table agrees with the ledger at 2006-01-10: nothing to say but the date.
    assert capsys.readouterr().err == ""
    assert early.stack_note.startswith("Counts of Pool, Series L from the ledger at "
                                       "2006-01-10")
    assert "1 later event of these classes not applied" in early.stack_note
    late = _cap("2006-07-10")
    assert [(c.name, c.shares) for c in late.stack] == [
        ("Series L", 1_000_000), ("Pool", 9_000_000)]
    # The stack table states 10,000,000 Pool; the ledger 9,000,000 after the exercise.
    said = ("Pool: the stack table states 10,000,000 shares, the ledger 9,000,000 at "
            "2006-07-10; the ledger's count is used")
    assert said in capsys.readouterr().err
    assert said in late.stack_note
    # The exercise's common is the Series M ledger's: 101,000,000 outstanding, exempt (an
    # option under an employee plan, §5(e)(i)), so the conversion number stays 4,000.
    f = model.figures(late)
    assert (f.ledger_common, f.number) == (101_000_000, 4000)
    sheet = next(s for s in model.build(late).sheets if s.name == STACK_SHEET)
    assert str(next(c.value for c in sheet.cells if c.ref == "A2")).endswith(
        f" {late.stack_note}")


def test_before_any_event_of_the_classes_the_stack_is_empty(
        capsys: pytest.CaptureFixture[str]) -> None:
    # At 2005-01-20 the ledger has issued no Series L (2005-02-01) and granted no options
    # (2005-03-01): nothing of theirs is outstanding, so the stack has no row, whatever the
    # stack table states (reported), and the template has no Capital stack sheet.
    cap = _cap("2005-01-20")
    assert cap.stack == ()
    assert STACK_SHEET not in [s.name for s in model.build(cap).sheets]
    err = capsys.readouterr().err
    assert ("Series L: the stack table states 1,000,000 shares, the ledger 0 at 2005-01-20; "
            "the ledger's count is used") in err
    assert "the stack table states 10,000,000 shares, the ledger 0" in err
    assert "7 later events of these classes not applied" in cap.stack_note


def test_a_non_exempt_exercise_moves_the_conversion_number(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    text = LEDGER.read_text(encoding="utf-8").splitlines()
    header = [*text[0].split(","), "exempt"]
    rows = [line.split(",") for line in text[1:]]
    rows[-1] = [*rows[-1][:-1], "", "FALSE"]  # the exercise, not exempt
    ledger.write_text("\n".join(",".join(r + [""] * (len(header) - len(r)))
                                for r in [header, *rows]) + "\n", encoding="utf-8")
    f = model.figures(_cap("2006-07-10", ledger))
    # §5(e)(i): 1,000,000 common for $100,000 ($0.10, under $0.25) on 100,000,000
    # outstanding: N' = 4,000 × (100,000,000 + 1,000,000) / (100,000,000 + 100,000 / 0.25)
    # = 4,000 × 101,000,000 / 100,400,000.
    assert f.number == Fraction(4000 * 101_000_000, 100_400_000)
    assert f.ledger_common == 101_000_000


def test_other_classes_need_the_stack_table(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--events", str(LEDGER), "--as-of", "2006-01-10",
                 "--market-price", "0.18", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert ('line 6, column class: "Series L" is not a class of the stack table: no stack '
            "table was given; give the class's terms with --stack") in err
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[model.Workbook, Path]]:
    folder = tmp_path_factory.mktemp("class-ledger")
    out = {}
    for as_of in EXPECTED:
        cap = _cap(as_of)
        make(cap, folder / as_of, list(Flavor), force=False)
        out[as_of] = (model.build(cap), folder / as_of)
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("as_of", list(EXPECTED))
def test_builtins_flavor_in_libreoffice_pays_what_captable_pays(
        written: dict[str, tuple[model.Workbook, Path]], tmp_path: Path, as_of: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    require_libreoffice()
    built, folder = written[as_of]
    path = libreoffice.recalculate([folder / Flavor.NATIVE.filename], tmp_path)[0]
    book = openpyxl.load_workbook(path, data_only=True)
    values = {(ws.title, c.coordinate): c.value
              for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert differences(built, values) == []
    assert _payouts(built, values) == EXPECTED[as_of]
    assert values[_named(built, "StackPrice")] == pytest.approx(PRICE[as_of], rel=1e-12)
    assert _payouts(built, values) == _captable_classes(as_of, capsys)


@pytest.mark.libreoffice
@pytest.mark.parametrize("as_of", list(EXPECTED))
def test_addin_flavor_pays_what_captable_pays(
        written: dict[str, tuple[model.Workbook, Path]], as_of: str) -> None:
    # The add-in flavor, recalculated by LibreOffice with the Series M extension.
    require_libreoffice()
    built, folder = written[as_of]
    values = recalc.calculate(folder / Flavor.UDF.filename)
    assert differences(built, values, built.native_only()) == []
    assert _payouts(built, values) == EXPECTED[as_of]
    assert values[_named(built, "StackPrice")] == pytest.approx(PRICE[as_of], rel=1e-12)
