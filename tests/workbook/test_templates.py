"""The templates proven by spreadsheet engines: LibreOffice recalculates the Excel-only
flavor, the formula engine (with the package's own functions) the add-in flavor, and every
computed cell must be the core's figure for it."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm import libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.core.conversion import LeapAnniversary
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import Accrual
from xl_seriesm.core.stack import Kind as StackKind
from xl_seriesm.core.stack import Participation, StackClass, structure
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import model
from xl_seriesm.workbook.figures import figures
from xl_seriesm.workbook.inputs import CapTable, Holder, Settings, synthetic
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor, workbook_bytes

THOUSAND = synthetic(1000, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                     SAMPLE.settings)
# The worked example as a cap table (§3 by holder): two holders of 100 shares, eight
# full quarters to 10 January 2007 (100 × $12.50 × 8 = $10,000 accrued each), the first
# paid, the second not; 600,000 other common; exit $370,000, dividends forfeited on
# conversion. The first converts ($104,000), the second keeps its
# $110,000 (tests/core/test_payouts.py works it out).
TWO_HOLDERS = CapTable(
    date(2005, 1, 10), date(2007, 1, 10),
    (Holder("A", Fraction(100), Fraction(0), Fraction(10_000)),
     Holder("B", Fraction(100), Fraction(0), Fraction(0)),
     Holder("Common", Fraction(0), Fraction(600_000), Fraction(0))), (),
    Settings(dividends_on_conversion=False, exit_value=Fraction(370_000)))
# A 29 February Closing Date read as 1 March (so on 28 February 2009 nothing converts and the
# holder takes its $100,000 + $5,000 preference), accrual from closing, actual/365: 365 of 365
# days, $5,000.
LEAP = CapTable(
    date(2008, 2, 29), date(2009, 2, 28),
    (Holder("A", Fraction(100), Fraction(0), Fraction(0)),
     Holder("Common", Fraction(0), Fraction(600_000), Fraction(0))), (),
    Settings(basis=Basis.ACTUAL_365, accrual=Accrual.FROM_CLOSING,
             leap_anniversary=LeapAnniversary.MAR_1))
# Thirty equal holders of 300 Series M (issue 22): every threshold and every remainder of a
# cent tie, so the search for the last converting holder meets a run of equal thresholds and
# the leftover cents go to the earliest rows (the core's apportionment, the earlier row on a
# tie); an exit value with odd cents leaves cents to hand out.
TIES = CapTable(
    date(2005, 1, 10), date(2007, 6, 30),
    (*(Holder(f"Holder {n:02d}", Fraction(300), Fraction(0), Fraction(0)) for n in range(30)),
     Holder("Common", Fraction(0), Fraction(100_000_000), Fraction(0))), (),
    Settings(exit_value=Fraction("123456789.01")))
# The capital stack (README, "The capital stack"): a Series L (non-participating), a capped
# Series K (3× its $2.00, 2 common a share, seniority 2), a fully participating Series J, an
# option pool and a warrant, on the sample; the exit value between the kinks (the template's
# own: 1.5 × the Series M's breakpoint in the stack), short of the junior preferences, and
# past every kink.
STACK = (
    StackClass("Series L", StackKind.PREFERRED, Fraction(1_000_000), Fraction(1)),
    StackClass("Series K", StackKind.PREFERRED, Fraction(500_000), Fraction(2), 2,
               Participation.CAPPED, Fraction(3), Fraction(2)),
    StackClass("Series J", StackKind.PREFERRED, Fraction(100_000), Fraction(3, 2), 2,
               Participation.FULL),
    StackClass("Pool", StackKind.OPTION, Fraction(10_000_000), strike=Fraction(1, 10)),
    StackClass("Bank", StackKind.WARRANT, Fraction(2_000_000), strike=Fraction(35, 100)),
)
WITH_STACK = replace(SAMPLE, stack=STACK)
CASES = {"sample": SAMPLE, "1000-holders": THOUSAND, "two-holders": TWO_HOLDERS,
         "leap": LEAP, "ties": TIES, "stack": WITH_STACK,
         "stack-short": replace(WITH_STACK, settings=replace(
             SAMPLE.settings, exit_value=Fraction(10_500_000))),
         "stack-far": replace(WITH_STACK, settings=replace(
             SAMPLE.settings, exit_value=Fraction("987654321.09")))}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[model.Workbook, Path]]:
    folder = tmp_path_factory.mktemp("templates")
    out = {}
    for name, cap in CASES.items():
        make(cap, folder / name, list(Flavor), force=False)
        out[name] = (model.build(cap), folder / name)
    return out


@pytest.fixture(scope="module")
def recalculated(written: dict[str, tuple[model.Workbook, Path]],
                 tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_libreoffice()
    out = tmp_path_factory.mktemp("libreoffice")
    natives = {name: folder / Flavor.NATIVE.filename for name, (_, folder) in written.items()}
    result = {}
    for name, path in natives.items():  # same file names: one folder per case
        result[name] = libreoffice.recalculate([path], out / name)[0]
    return result


def _values(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, cell.coordinate): cell.value
            for ws in book.worksheets for row in ws.iter_rows() for cell in row}


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", list(CASES))
def test_native_flavor_in_libreoffice_equals_the_core(written: dict[str, tuple[model.Workbook,
                                                                               Path]],
                                                      recalculated: dict[str, Path],
                                                      case: str) -> None:
    built, _ = written[case]
    values = _values(recalculated[case])
    assert differences(built, values) == []
    errors = {ref: v for ref, v in values.items()
              if isinstance(v, str) and v.startswith("#") and v[1:2].isupper()}
    assert errors == {}


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", list(CASES))
def test_udf_flavor_in_libreoffice_with_the_extension_equals_the_core(
        written: dict[str, tuple[model.Workbook, Path]], case: str) -> None:
    # The add-in flavor, recalculated by LibreOffice with the Series M extension installed
    # in its profile: every computed cell is the core's figure.
    require_libreoffice()
    built, folder = written[case]
    values = recalc.calculate(folder / Flavor.UDF.filename)
    assert differences(built, values, built.native_only()) == []
    # The add-in flavor leaves the built-ins helper columns empty (one SERIESM_PAYOUTS call).
    assert all(values.get(ref) in (None, "") for ref in built.native_only())


def test_committed_workbooks_are_what_the_code_writes_now() -> None:
    # `seriesm demo` (or `seriesm template --force`) regenerates them.
    built = model.build(SAMPLE)
    for flavor in Flavor:
        committed = (ROOT / "workbooks" / flavor.filename).read_bytes()
        assert committed == workbook_bytes(built, flavor), (
            f"workbooks/{flavor.filename} is stale: run `seriesm demo`")


def _seriesm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300, check=False)


def test_template_command_never_replaces_without_force(tmp_path: Path) -> None:
    assert _seriesm("template", "--out", "out", cwd=tmp_path).returncode == 0
    before = (tmp_path / "out" / Flavor.UDF.filename).stat().st_mtime_ns
    again = _seriesm("template", "--out", "out", "--holders", "20", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists; use --force" in again.stderr
    assert (tmp_path / "out" / Flavor.UDF.filename).stat().st_mtime_ns == before
    assert _seriesm("template", "--out", "out", "--holders", "20", "--force",
                    cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "out" / Flavor.NATIVE.filename)
    assert book["Holders"]["A23"].value == "Holder 00020"  # 20 rows from row 4


def test_template_command_from_csv_and_one_flavor(tmp_path: Path) -> None:
    (tmp_path / "holders.csv").write_text(
        "holder,series_m_shares,common_shares,dividends_paid\nFund,9100,1000000,0\n"
        "Public,0,50000000,0\n")
    (tmp_path / "ledger.csv").write_text(
        "date,common_outstanding,new_shares,consideration,exempt\n"
        "2005-06-15,51000000,1000000,100000,FALSE\n")
    done = _seriesm("template", "--holders-csv", "holders.csv",
                    "--market-price", "0.18", "--issuances-csv",
                    "ledger.csv", "--flavor", "native", "--closing-date", "2005-01-10",
                    "--as-of", "2006-12-31", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == [Flavor.NATIVE.filename]


def test_bad_csv_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "holders.csv").write_text(
        "holder,series_m_shares,common_shares,dividends_paid\nFund,9100,1000000,0\n"
        "Public,zero,50000000,0\n")
    done = _seriesm("template", "--holders-csv", "holders.csv",
                    "--market-price", "0.18", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert ("holders.csv line 3, column series_m_shares: 'zero' is not a number of Series M "
            "shares (0 or more); nothing was written") in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_failed_write_leaves_the_old_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             ) -> None:
    make(SAMPLE, tmp_path, list(Flavor), force=False)
    old = {f: (tmp_path / f.filename).read_bytes() for f in Flavor}
    replaced: list[str] = []
    real_replace = os.replace

    def failing_replace(source: object, target: object) -> None:
        # Let the backups happen, then fail on the second new file.
        if str(target).endswith(".xlsx"):
            replaced.append(str(target))
            if len(replaced) == 2:
                raise OSError("disk full")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_replace)
    other = CapTable(SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.holders[:3] +
                     SAMPLE.holders[5:], (), SAMPLE.settings)
    with pytest.raises(OSError, match="disk full"):
        make(other, tmp_path, list(Flavor), force=True)
    monkeypatch.undo()
    assert {f: (tmp_path / f.filename).read_bytes() for f in Flavor} == old
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.filename for f in Flavor)


@pytest.mark.libreoffice
def test_the_stack_checks_can_fail(tmp_path: Path) -> None:
    # A wrong exact payout (the Series L's, one dollar too many) breaks both Capital stack
    # Checks in the built-ins flavor: the exact payouts no longer add up to the exit value,
    # and the Series L's payout is no longer its exact payout to the cent.
    require_libreoffice()
    built = model.build(WITH_STACK)
    sheet = next(s for s in built.sheets if s.name == "Capital stack")
    row = next(c for c in sheet.cells if c.value == "Series L").ref[1:]
    sheet.cells = [c._replace(native=f"={c.native[1:]}+1") if c.ref == f"J{row}" else c
                   for c in sheet.cells]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(built, Flavor.NATIVE))
    values = _values(libreoffice.recalculate([path], tmp_path / "out")[0])
    checks = {values[("Checks", f"A{r}")]: values[("Checks", f"B{r}")] for r in range(5, 40)
              if values.get(("Checks", f"A{r}"))}
    assert str(checks["Capital stack: the classes' exact payouts add up to the exit value"]
               ).startswith("FAILS: off by 1")
    assert checks["Capital stack: each class's payout is its exact payout to the cent"] == (
        "FAILS: off by 1")
    assert values[("Checks", "B3")] == "2 of 22 checks FAIL"


@pytest.mark.libreoffice
def test_the_stacked_waterfall_checks_can_fail(tmp_path: Path) -> None:
    # One dollar too many in the Series L's exact payout on the Waterfall's first row that
    # pays it (built-ins flavor): the row's exact payouts no longer add up to its exit value
    # (off by $1.00), and the common, which takes what the other totals leave, is a dollar
    # short of its exact payout (one cell off by a cent or more).
    require_libreoffice()
    built = model.build(WITH_STACK)
    sheet = next(s for s in built.sheets if s.name == "Waterfall")
    header = {c.value: c.ref[:-1] for c in sheet.cells if c.ref[1:] == "4" or
              c.ref[2:] == "4"}
    column = header["Series L exact"]
    assert header["Series L total"] == "C"  # the Series M first, then the table's order
    row = next(int(c.ref[len(column):]) for c in sheet.cells
               if c.ref.startswith(column) and c.ref[len(column):].isdigit()
               and int(c.ref[len(column):]) > 4 and c.expected)
    sheet.cells = [c._replace(native=f"={c.native[1:]}+1") if c.ref == f"{column}{row}" else c
                   for c in sheet.cells]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(built, Flavor.NATIVE))
    values = _values(libreoffice.recalculate([path], tmp_path / "out")[0])
    checks = {values[("Checks", f"A{r}")]: values[("Checks", f"B{r}")] for r in range(5, 40)
              if values.get(("Checks", f"A{r}"))}
    assert checks["Waterfall: the classes' exact payouts add up to each exit value"] == (
        "FAILS: off by 1.00")
    assert checks["Waterfall: each class's total is its exact payout to the cent"] == (
        "FAILS: off by 1")
    assert values[("Checks", "B3")] == "2 of 22 checks FAIL"


def test_the_stacked_waterfall_spans_every_breakpoint() -> None:
    # The exit values run from 0 past the last breakpoint of the stack (T at its highest
    # kink price), so the table shows every class converting or exercised.
    built = model.build(WITH_STACK)
    sheet = next(s for s in built.sheets if s.name == "Waterfall")
    exits = [c.value for c in sheet.cells
             if c.ref.startswith("A") and c.role is model.Role.INPUT]
    assert exits[0] == 0
    assert exits[-1] > max(_stack_breakpoints())
    assert all(b > a for a, b in itertools.pairwise(exits))


def _stack_breakpoints() -> list[float]:
    f = figures(WITH_STACK)
    built = structure(f.capital, STACK, f.convertible)
    return [float(built.total_at(p)) for p in built.prices]
