"""No false column: a holder whose Series M was issued after the Closing Date accrues from
its issue ("Accrues from"), and "Dividends paid" holds only cash paid, in the ledger, in
``seriesm captable`` and in both template flavors after LibreOffice recalculates them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import require_libreoffice
from xl_seriesm import libreoffice
from xl_seriesm.captable.events import read_events
from xl_seriesm.cli.main import main
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import from_ledger, model
from xl_seriesm.workbook.inputs import InputError
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor

# The issue's ledger: A 100 Series M from the Closing Date 2005-01-10, B 100 issued on
# 2005-07-10, A transfers 50 to C on 2005-10-10; no dividend is ever paid. (The template
# also needs the common outstanding: 1,000,000, all held by others.)
LEDGER = ("date,event,holder,to_holder,series_m_shares,common_shares\n"
          "2005-01-10,issue,A,,100,\n2005-01-10,outstanding,,,,1000000\n"
          "2005-07-10,issue,B,,100,\n2005-10-10,transfer,A,C,50,\n")
AS_OF = date(2006, 6, 30)
# B at 2006-06-30 (30/360): 2005-07-10 to 2006-06-30 is 11 × 30 + 20 = 350 days;
# 100 × $1,000 × 5% × 350/360 = $4,861.11, nothing paid. Per period the same: three full
# quarters at $1,250 and 80 days of the fourth, $5,000 × 80/360 = $1,111.11.
# A and C: 50 shares each from the Closing Date, 530 days: $2,500 × 530/360 = $3,680.56.
EXPECTED = {"A": (0, 3680.56), "B": (0, 4861.11), "C": (0, 3680.56)}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accrues-from") / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_captable_says_b_was_paid_nothing(ledger: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["captable", str(ledger), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    holders = json.loads(capsys.readouterr().out)["holders"][:-1]  # everyone else last
    assert {h["holder"]: (h["dividends_paid"], h["accrued_dividends"]) for h in holders} == (
        EXPECTED)
    assert [h["accrues_from"] for h in holders] == ["2005-01-10", "2005-07-10", "2005-01-10"]


def test_the_template_inputs_hold_no_payment_that_never_happened(ledger: Path) -> None:
    cap = from_ledger.cap_table(read_events(ledger), AS_OF, None, SAMPLE.settings)
    rows = {h.name: h for h in cap.holders}
    assert [rows[n].dividends_paid for n in "ABC"] == [0, 0, 0]
    assert [rows[n].accrues_from for n in "ABC"] == [None, date(2005, 7, 10), None]
    f = model.figures(cap)
    # What B's 100 shares would have accrued from the Closing Date to 2005-07-10 (two full
    # quarters, $2,500) is not owed: it is not a payment.
    assert f.not_accrued[list(rows).index("B")] == 2500
    assert [float(f.accrued[list(rows).index(n)]) for n in "ABC"] == [3680.56, 4861.11,
                                                                       3680.56]


def test_a_holder_of_two_issues_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(LEDGER + "2005-11-01,transfer,A,B,10,\n", encoding="utf-8")
    with pytest.raises(InputError, match="B: its Series M began accruing on different days"):
        from_ledger.cap_table(read_events(path), AS_OF, None, SAMPLE.settings)


@pytest.fixture(scope="module")
def books(ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[model.Workbook, Path]:
    cap = from_ledger.cap_table(read_events(ledger), AS_OF, None, SAMPLE.settings)
    folder = tmp_path_factory.mktemp("accrues-from-books")
    make(cap, folder, list(Flavor), force=False)
    return model.build(cap), folder


def _holder_rows(built: model.Workbook,
                 values: dict[tuple[str, str], object]) -> dict[str, tuple[object, object]]:
    """Each named holder's dividends paid (an input, as written) and accrued dividends (as
    recalculated)."""
    inputs = {c.ref: c.value for s in built.sheets if s.name == model.HOLDERS for c in s.cells
              if c.role is model.Role.INPUT}
    return {inputs[f"A{row}"]: (inputs[f"D{row}"], values[(model.HOLDERS, f"E{row}")])
            for row in range(4, 8) if inputs.get(f"A{row}") in EXPECTED}


@pytest.mark.libreoffice
def test_both_flavors_after_recalculation(books: tuple[model.Workbook, Path],
                                          tmp_path: Path) -> None:
    require_libreoffice()
    built, folder = books
    native = libreoffice.recalculate([folder / Flavor.NATIVE.filename], tmp_path)[0]
    book = openpyxl.load_workbook(native, data_only=True)
    values = {(ws.title, c.coordinate): c.value for ws in book.worksheets
              for row in ws.iter_rows() for c in row}
    assert differences(built, values) == []
    assert _holder_rows(built, values) == EXPECTED
    udf = recalc.calculate(folder / Flavor.UDF.filename)
    assert differences(built, udf, built.native_only()) == []
    assert _holder_rows(built, udf) == EXPECTED


def test_the_ledger_readings_reach_the_template_and_its_terms_sheet(tmp_path: Path) -> None:
    # A from 2005-01-10, B from 2005-04-10, $1,250 paid to the class on 2005-07-10, oldest
    # period first: the first quarter, owed only to A, takes it all (A $1,250, B $0).
    path = tmp_path / "class.csv"
    path.write_text("date,event,holder,series_m_shares,common_shares,amount\n"
                    "2005-01-10,issue,A,100,,\n2005-01-10,outstanding,,,1000000,\n"
                    "2005-04-10,issue,B,100,,\n2005-07-10,dividend,,,,1250\n", encoding="utf-8")
    out = tmp_path / "books"
    assert main(["template", "--events", str(path), "--as-of", "2005-07-10",
                 "--market-price", "0.2", "--dividend-allocation", "oldest period first",
                 "--out", str(out), "--flavor", "native"]) == 0
    book = openpyxl.load_workbook(out / Flavor.NATIVE.filename)
    holders = book[model.HOLDERS]
    assert [(holders[f"A{r}"].value, holders[f"D{r}"].value) for r in (4, 5)] == [
        ("A", 1250), ("B", 0)]
    terms = [[c.value for c in row] for row in book[model.TERMS].iter_rows()]
    assert ["Class dividends on the ledger (§2)", "oldest period first"] in [
        row[:2] for row in terms]
