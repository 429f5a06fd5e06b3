"""Templates from a ledger, as of a date, and Checks that fail: proven by LibreOffice (native
flavor) and, with the Series M extension, the add-in flavor."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm import libreoffice
from xl_seriesm.captable.events import read_events
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import from_ledger, model
from xl_seriesm.workbook.inputs import CapTable, Holder, InputError
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor

LEDGER = from_ledger.cap_table(read_events(ROOT / "docs" / "example-ledger.csv"),
                               date(2006, 6, 30), None, SAMPLE.settings)
# The third §5(e) row states 128,400,000 outstanding before it where the row above gives
# 128,000,000 + 500,000 = 128,500,000; and the holders hold 1,200,000 + 250,000 + 50,000 +
# 137,001,000 = 138,501,000 common, more than the ledger's 128,400,000 + 10,000,000 =
# 138,400,000 after its last row: no room for everyone else, 101,000 too many.
UNRECONCILED = replace(
    SAMPLE,
    holders=(*SAMPLE.holders[:-1],
             SAMPLE.holders[-1]._replace(common_shares=Fraction(137_001_000))),
    issuances=(*SAMPLE.issuances[:2],
               SAMPLE.issuances[2]._replace(common_outstanding=Fraction(128_400_000))))


def _values(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, cell.coordinate): cell.value
            for ws in book.worksheets for row in ws.iter_rows() for cell in row}


def _cell(built: model.Workbook, name: str) -> tuple[str, str]:
    sheet, ref = built.names[name].split("!")
    return sheet, ref.replace("$", "")


def test_ledger_template_content() -> None:
    built = model.build(LEDGER)
    cells = {(s.name, c.ref): c for s in built.sheets for c in s.cells}
    # 4,000 × 105/103 at 2006-06-30 (tests/core/test_ledger.py).
    assert cells[_cell(built, "ConversionNumber")].expected == pytest.approx(420_000 / 103)
    events = next(s for s in built.sheets if s.name == model.EVENTS)
    marks = [c.expected for c in events.cells if c.ref.startswith("M") and c.computed]
    assert marks.count("after: not applied") == 2
    holders = next(s for s in built.sheets if s.name == model.HOLDERS)
    names = [c.value for c in holders.cells if c.ref[0] == "A" and c.role is model.Role.INPUT]
    assert names[-1] == "Everyone else (not listed)"
    assert all(r == "OK" for r in model.figures(LEDGER).checks)


def test_unreconciled_figures() -> None:
    f = model.figures(UNRECONCILED)
    # Check 9: 138,501,000 − 138,400,000. Check 10: |128,400,000 − 128,500,000|. Each shows
    # the amount it is off by; the first eight hold by construction.
    # Then the Dividends sheet's tie to the Holders sheet, which holds (the same holders);
    # the last two, the Valuation sheet's, compare its built-ins with the add-in: they hold.
    assert f.checks == ["OK"] * 8 + ["FAILS: off by 101,000", "FAILS: off by 100,000", "OK",
                                     "OK", "OK", "OK"]
    assert model.overall_status(f.checks) == "2 of 14 checks FAIL"
    assert f.cap.holders[-1] == Holder("Everyone else (not listed)", Fraction(0), Fraction(0),
                                       Fraction(0))


def test_splits_are_refused_by_the_template(tmp_path: Path) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text("date,event,holder,series_m_shares,ratio\n2005-01-10,issue,A,100,\n"
                      "2005-02-01,split,,,3:2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3, column event: .*split"):
        from_ledger.cap_table(read_events(ledger), date(2005, 3, 1), None, SAMPLE.settings)


@pytest.fixture(scope="module")
def natives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ledger-templates")
    out = {}
    for name, cap in {"ledger": LEDGER, "unreconciled": UNRECONCILED}.items():
        make(cap, folder / name, list(Flavor), force=False)
        out[name] = folder / name
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", ["ledger", "unreconciled"])
def test_udf_flavor_equals_the_core(natives: dict[str, Path], case: str) -> None:
    # The add-in flavor, recalculated by LibreOffice with the Series M extension.
    require_libreoffice()
    cap = LEDGER if case == "ledger" else UNRECONCILED
    built = model.build(cap)
    values = recalc.calculate(natives[case] / Flavor.UDF.filename)
    # The Payouts sheet's helper columns are the built-ins flavor's only.
    assert differences(built, values, built.native_only()) == []


@pytest.mark.libreoffice
def test_failing_checks_in_libreoffice(natives: dict[str, Path], tmp_path: Path) -> None:
    require_libreoffice()
    built = model.build(UNRECONCILED)
    path = libreoffice.recalculate([natives["unreconciled"] / Flavor.NATIVE.filename],
                                   tmp_path)[0]
    values = _values(path)
    assert differences(built, values) == []
    assert values[(model.CHECKS, "B13")] == "FAILS: off by 101,000"
    assert values[(model.CHECKS, "B14")] == "FAILS: off by 100,000"
    assert values[_cell(built, "OverallStatus")] == "2 of 15 checks FAIL"
    shown = {sheet.name: (sheet.name, cell.ref) for sheet in built.sheets for cell in sheet.cells
             if cell.native == "=OverallStatus"}
    assert set(shown) == {sheet.name for sheet in built.sheets}  # every sheet's first row
    for sheet, where in shown.items():
        assert values[where] == "2 of 15 checks FAIL", sheet


@pytest.mark.libreoffice
def test_ledger_template_in_libreoffice_and_the_as_of_cell(natives: dict[str, Path],
                                                           tmp_path: Path) -> None:
    require_libreoffice()
    built = model.build(LEDGER)
    source = natives["ledger"] / Flavor.NATIVE.filename
    assert differences(built, _values(libreoffice.recalculate([source], tmp_path / "a")[0])) == []
    # Change only the as-of cell, as a user would, and let LibreOffice recalculate.
    number_at = {}
    for as_of in (date(2005, 6, 30), date(2006, 6, 30), date(2006, 8, 15)):
        book = openpyxl.load_workbook(source)
        sheet, ref = _cell(built, "AsOfDate")
        book[sheet][ref].value = as_of
        edited = tmp_path / f"{as_of}.xlsx"
        book.save(edited)
        values = _values(libreoffice.recalculate([edited], tmp_path / str(as_of))[0])
        number_at[as_of] = values[_cell(built, "ConversionNumber")]
    # Before the 2005-09-30 sale: 4,000. After it: 4,000 × 105/103. After the 2006-08-01 sale
    # of 5,000,000 for $500,000 ($0.10): A = 110,077,669 (106,000,000 + Rivera's 4,077,669),
    # C = 2,000,000: × 115,077,669 / 112,077,669.
    assert number_at[date(2005, 6, 30)] == 4000
    assert number_at[date(2006, 6, 30)] == pytest.approx(4000 * 105 / 103, rel=1e-12)
    assert number_at[date(2006, 8, 15)] == pytest.approx(
        4000 * 105 / 103 * 115_077_669 / 112_077_669, rel=1e-12)


def test_cli_template_events(tmp_path: Path) -> None:
    from xl_seriesm.cli import main  # noqa: PLC0415

    assert main(["template", "--events", str(ROOT / "docs" / "example-ledger.csv"),
                 "--as-of", "2006-06-30", "--market-price", "0.18",
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / Flavor.NATIVE.filename).exists()
    assert main(["template", "--events", str(ROOT / "docs" / "example-ledger.csv"),
                 "--market-price", "0.18", "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()


def test_issuance_after_the_as_of_date_does_not_count() -> None:
    # The sample at 2005-10-01: only the 2005-06-15 row has happened: 8,000,000 for
    # $1,600,000 ($0.20): A = 120,000,000, C = 6,400,000:
    # 4,000 × 128,000,000 / 126,400,000 = 4,000 × 400/395.
    early: CapTable = replace(SAMPLE, as_of_date=date(2005, 10, 1),
                              holders=tuple(h._replace(dividends_paid=Fraction(0))
                                            for h in SAMPLE.holders))
    assert model.figures(early).number == Fraction(4000 * 400, 395)


def test_the_issue_example_through_the_old_csv_inputs(tmp_path: Path) -> None:
    """Five holders with 1,825,000 common, the §5(e) ledger 2005-09-30, 2006-02-15 (exempt),
    2006-08-01, as of 2006-06-30: 4,000 × 105/103, and everyone else holds the rest."""
    import argparse  # noqa: PLC0415

    from xl_seriesm.cli.template import cap_table  # noqa: PLC0415

    holders = tmp_path / "holders.csv"
    holders.write_text("holder,series_m_shares,common_shares,dividends_paid\n"
                       "Palm Fund LP,3500,1200000,0\nForum Partners,2500,0,0\n"
                       "Lakeside Capital,1850,500000,0\nM. Rivera,1000,125000,0\n"
                       "J. Chen,250,0,0\n", encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("date,common_outstanding,new_shares,consideration,exempt\n"
                      "2005-09-30,100000000,5000000,750000,FALSE\n"
                      "2006-02-15,105000000,1000000,50000,TRUE\n"
                      "2006-08-01,106000000,5000000,500000,FALSE\n", encoding="utf-8")
    args = argparse.Namespace(holders_csv=str(holders), issuances_csv=str(ledger),
                              closing_date="2005-01-10", as_of="2006-06-30", holders=None,
                              events=None, market_price="0.18", date_format=None)
    f = model.figures(cap_table(args))
    assert f.number == Fraction(4000 * 105, 103)
    # The ledger's common at 2006-06-30: the last row counted, 105,000,000 + 1,000,000;
    # the five hold 1,825,000, so everyone else 104,175,000, and the Checks hold.
    assert f.ledger_common == 106_000_000
    assert f.cap.holders[-1].common_shares == 104_175_000
    assert all(r == "OK" for r in f.checks)


def test_cli_template_says_when_checks_fail(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from xl_seriesm.cli import main  # noqa: PLC0415

    holders = tmp_path / "holders.csv"
    # 2,000,000 common against a ledger of 1,000,000 + 100,000 after its one row.
    holders.write_text("holder,series_m_shares,common_shares,dividends_paid\nA,100,2000000,0\n",
                       encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("date,common_outstanding,new_shares,consideration,exempt\n"
                      "2005-06-01,1000000,100000,50000,FALSE\n", encoding="utf-8")
    assert main(["template", "--holders-csv", str(holders), "--issuances-csv", str(ledger),
                 "--closing-date", "2005-01-10", "--as-of", "2005-12-31",
                 "--market-price", "0.18", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    # The workbook's own words: its overall status, then the check, by how much, where to look.
    assert "seriesm template: 1 of 15 checks FAIL\n" in err
    assert ("seriesm template: Holders' common (with everyone else) is the ledger's common "
            "outstanding: FAILS: off by 900,000 (look at Holders column C") in err
    assert (tmp_path / "out" / Flavor.NATIVE.filename).exists()
