"""The Valuation sheet within the capital stack (issue 20, item 5): every class valued by the
option pricing model over the stack's breakpoints, in both flavors, against the issue's stack
worked by hand, LibreOffice's recalculation of the built-ins book (and the book as LibreOffice
opens it with its default settings), the add-in flavor with the extension, and Checks that
fail when a figure is wrong."""

from __future__ import annotations

import math
import os
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import require_libreoffice
from tests.core.test_stack import capitals, stacks
from xl_seriesm import libreoffice
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.stack import Kind as StackKind
from xl_seriesm.core.stack import StackClass
from xl_seriesm.core.stack_opm import stack_opm, to_exit
from xl_seriesm.core.valuation import Market
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import model
from xl_seriesm.workbook.figures import figures
from xl_seriesm.workbook.inputs import CapTable, Holder, Settings
from xl_seriesm.workbook.sheets.valuation_stack import Working
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor, workbook_bytes
from xl_seriesm.xlsx import cellrefs

F = Fraction

# The issue's stack (issue 20, item 2) as a template: 9,100 Series M closing 10 January 2005,
# as of 10 January 2006, four full quarters accrued and none paid: 9,100 × $1,000 × 5% =
# $455,000 (§2), so the preference today is 9,100,000 + 455,000 = 9,555,000 (§3(a)); Series L
# 1,000,000 shares at $1.00, non-participating, 1:1; 10,000,000 options at $0.10; 100,000,000
# common. The issue's breakpoints today: 9,555,000, 10,555,000, 20,555,000, 37,055,000 and
# 146,855,000.
ISSUE_STACK = (StackClass("Series L", StackKind.PREFERRED, F(1_000_000), F(1)),
               StackClass("Options", StackKind.OPTION, F(10_000_000), strike=F(1, 10)))
ISSUE_BOOK = CapTable(
    date(2005, 1, 10), date(2006, 1, 10),
    (Holder("Fund", F(9100), F(0), F(0)), Holder("Common", F(0), F(100_000_000), F(0))), (),
    stack=ISSUE_STACK)

# The Valuation sheet's starting inputs: σ = 60%, T = 3 years, r = 4.27%. The Series M's
# dividends accrue to the exit (§2): 455,000 + 9,100 × 1,000 × 5% × 3 = 1,820,000, so its
# preference at the exit is 9,100,000 + 1,820,000 = 10,920,000, and it converts when the
# common passes (10,920,000 − 1,820,000 kept in cash) ÷ 36,400,000 = $0.25, as today. Every
# breakpoint above the Series M's preference moves up by the 1,365,000 more dividends:
#   0 to 10,920,000            the Series M alone (its preference, §3(a));
#   10,920,000 to 11,920,000   the Series L alone (its $1,000,000 preference);
#   11,920,000 to 21,920,000   the 100,000,000 common alone, p from $0 to $0.10;
#   21,920,000 to 38,420,000   the options join: 10 of every 110 shares, p to $0.25
#                              (21,920,000 + 110,000,000 × 0.15);
#   38,420,000 to 148,220,000  the Series M converts: 36.4 of 146.4 million, p to $1.00
#                              (38,420,000 + 146,400,000 × 0.75);
#   above 148,220,000          the Series L converts: 1 of 147.4 million.
# The equity value the sheet starts with: 3/4 of the Series M's breakpoint, 38,420,000, on a
# step of 5,000,000 (a tenth of it, rounded up to 1, 2, 2.5 or 5 × a power of ten): 25,000,000.
EQUITY, MARKET = 25_000_000.0, Market(0.6, 3.0, 0.0427)
BREAKPOINTS = (10_920_000, 11_920_000, 21_920_000, 38_420_000, 148_220_000)


def normal(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def call(strike: float) -> float:
    """Black-Scholes: d1 = (ln(S/K) + (r + σ²/2)T) ÷ σ√T, d2 = d1 − σ√T,
    C = S·N(d1) − K·e^(−rT)·N(d2)."""
    spread = 0.6 * math.sqrt(3)
    d1 = (math.log(EQUITY / strike) + (0.0427 + 0.18) * 3) / spread
    return EQUITY * normal(d1) - strike * math.exp(-0.0427 * 3) * normal(d1 - spread)


# σ√T = 1.039230, e^(−rT) = 0.879765. The calls at the breakpoints:
#   K = 10,920,000:  d1 = 1.439892, d2 = 0.400662, C = 16,827,273.74
#   K = 11,920,000:  d1 = 1.355578, d2 = 0.316348, C = 16,264,446.30
#   K = 21,920,000:  d1 = 0.769393, d2 = −0.269838, C = 11,888,064.66
#   K = 38,420,000:  d1 = 0.229398, d2 = −0.809832, C = 7,703,066.34
#   K = 148,220,000: d1 = −1.069755, d2 = −2.108985, C = 1,280,672.11
# Each class is worth its share of each tranche, C(from) − C(to):
#   Series M = (S − C1) + 36.4/146.4 (C4 − C5) + 36.4/147.4 C5 = 10,085,809.29
#   Series L = (C1 − C2) + 1/147.4 C5                           =    571,515.86
#   Options  = 10/110 (C3 − C4) + 10/146.4 (C4 − C5) + 10/147.4 C5 = 906,026.66
#   Common   = (C2 − C3) + 100/110 (C3 − C4) + 100/146.4 (C4 − C5) + 100/147.4 C5, or the rest
#              of the equity value: 25,000,000 − the three above      = 13,436,648.19
BY_HAND = {"Series M": Decimal("10085809.29"), "Series L": Decimal("571515.86"),
           "Options": Decimal("906026.66"), "Common": Decimal("13436648.19")}


def by_hand() -> dict[str, float]:
    c1, c2, c3, c4, c5 = (call(b) for b in BREAKPOINTS)
    return {"Series M": EQUITY - c1 + 36.4 / 146.4 * (c4 - c5) + 36.4 / 147.4 * c5,
            "Series L": c1 - c2 + c5 / 147.4,
            "Options": 10 / 110 * (c3 - c4) + 10 / 146.4 * (c4 - c5) + 10 / 147.4 * c5,
            "Common": (c2 - c3) + 100 / 110 * (c3 - c4) + 100 / 146.4 * (c4 - c5)
            + 100 / 147.4 * c5}


def _sheet(built: model.Workbook) -> model.Sheet:
    return next(s for s in built.sheets if s.name == model.VALUATION)


def _class_rows(sheet: model.Sheet) -> dict[str, int]:
    """The class table's rows by class name (column A, from the header "Class")."""
    cells = {c.ref: c for c in sheet.cells}
    top = next(int(c.ref[1:]) for c in sheet.cells if c.value == "Class")
    rows = {}
    for r in range(top + 1, top + 50):
        name = cells.get(f"A{r}")
        if name is None or name.value == "Total":
            break
        rows[str(name.value)] = r
    return rows


def test_the_hand_worked_stack_is_what_the_core_and_the_sheet_give() -> None:
    f = figures(ISSUE_BOOK)
    assert f.capital.accrued_dividends == 455_000
    hand = by_hand()
    assert math.fsum(hand.values()) == pytest.approx(EQUITY, abs=1e-6)
    for name in ("Series M", "Series L", "Options"):
        assert round(hand[name], 2) == float(BY_HAND[name])
    core = stack_opm(F(EQUITY), to_exit(f.capital, F(3)), ISSUE_STACK, MARKET)
    assert core[0::2] == [BY_HAND["Series M"], BY_HAND["Series L"], BY_HAND["Options"],
                          F(BY_HAND["Common"])]
    # The sheet: its starting inputs, the preference tranches, the kink exit values T(p), and
    # every class's exact value and total.
    sheet = _sheet(model.build(ISSUE_BOOK))
    cells = {c.ref: c for c in sheet.cells}
    assert [cells[f"B{r}"].value for r in range(5, 9)] == [EQUITY, 0.6, 3.0, 0.0427]
    assert cells["B13"].expected == 10_920_000
    assert cells["B14"].expected == 0.25
    rows = _class_rows(sheet)
    assert list(rows) == ["Series M", "Series L", "Options", "Common"]
    assert (cells[f"C{rows['Series M']}"].expected, cells[f"D{rows['Series M']}"].expected) == (
        0, 10_920_000)
    assert (cells[f"C{rows['Series L']}"].expected, cells[f"D{rows['Series L']}"].expected) == (
        10_920_000, 11_920_000)
    top = next(int(c.ref[1:]) for c in sheet.cells if c.value == "From T(p)")
    kinks = sorted({cells[f"C{r}"].expected for r in range(top + 1, top + 7)})
    assert kinks == list(BREAKPOINTS[1:])  # T(0), T(0.10), T(0.25), T(1.00)
    for name, r in rows.items():
        assert cells[f"G{r}"].expected == pytest.approx(hand[name], abs=1e-6)
        assert cells[f"H{r}"].expected == float(BY_HAND[name])


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[model.Workbook, Path]:
    folder = tmp_path_factory.mktemp("valuation-stack")
    built = model.build(ISSUE_BOOK)
    for flavor in Flavor:
        (folder / flavor.filename).write_bytes(workbook_bytes(built, flavor))
    return built, folder


def _values(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, cell.coordinate): cell.value
            for ws in book.worksheets for row in ws.iter_rows() for cell in row}


def _assert_by_hand(built: model.Workbook, values: dict[tuple[str, str], object]) -> None:
    for name, r in _class_rows(_sheet(built)).items():
        assert values[(model.VALUATION, f"H{r}")] == pytest.approx(float(BY_HAND[name]),
                                                                   abs=0.005), name


@pytest.mark.libreoffice
def test_the_built_ins_book_recalculated_by_libreoffice_is_the_core(
        books: tuple[model.Workbook, Path], tmp_path: Path) -> None:
    require_libreoffice()
    built, folder = books
    values = _values(libreoffice.recalculate([folder / Flavor.NATIVE.filename], tmp_path)[0])
    assert differences(built, values) == []
    _assert_by_hand(built, values)
    assert values[(model.CHECKS, "B3")] == "All checks OK"


@pytest.mark.libreoffice
def test_forfeited_dividends_move_the_series_m_kink_in_both_flavors(tmp_path: Path) -> None:
    # Dividends forfeited on conversion: the Series M converts above its whole preference at
    # the exit over its common, 10,920,000 ÷ 36,400,000 = $0.30 a share, not $0.25; the
    # built-ins book recalculated and the add-in book with the extension are the core's.
    require_libreoffice()
    cap = replace(ISSUE_BOOK, settings=Settings(dividends_on_conversion=False))
    built = model.build(cap)
    cells = {c.ref: c for c in _sheet(built).cells}
    assert cells["B14"].expected == pytest.approx(0.3, rel=1e-12)
    for flavor in Flavor:
        (tmp_path / flavor.filename).write_bytes(workbook_bytes(built, flavor))
    values = _values(libreoffice.recalculate([tmp_path / Flavor.NATIVE.filename],
                                             tmp_path / "out")[0])
    assert differences(built, values) == []
    values = recalc.calculate(tmp_path / Flavor.UDF.filename)
    assert differences(built, values, built.native_only()) == []


@pytest.mark.libreoffice
def test_the_built_ins_book_as_libreoffice_opens_it_by_default_is_the_core(
        books: tuple[model.Workbook, Path], tmp_path: Path) -> None:
    # A fresh profile with LibreOffice's own settings (no "recalculate on load"): what a user
    # sees on opening the book.
    soffice = require_libreoffice()
    built, folder = books
    with tempfile.TemporaryDirectory(prefix="seriesm-lo-") as home:
        subprocess.run([soffice, "--headless", "--norestore", "--nologo",
                        f"-env:UserInstallation={(Path(home) / 'profile').as_uri()}",
                        "--convert-to", "xlsx", "--outdir", str(tmp_path),
                        str(folder / Flavor.NATIVE.filename)],
                       capture_output=True, timeout=300, check=True,
                       env={**os.environ, "HOME": home})
    values = _values(tmp_path / Flavor.NATIVE.filename)
    assert differences(built, values) == []
    _assert_by_hand(built, values)


@pytest.mark.libreoffice
def test_the_add_in_book_with_the_extension_is_the_core(
        books: tuple[model.Workbook, Path]) -> None:
    # SERIESM_OPM with the Capital stack sheet's table, in LibreOffice with the extension.
    require_libreoffice()
    built, folder = books
    values = recalc.calculate(folder / Flavor.UDF.filename)
    assert differences(built, values, built.native_only()) == []
    _assert_by_hand(built, values)


def _broken(built: model.Workbook, ref: str, tmp_path: Path) -> dict[str, object]:
    """The Checks of the built-ins book with one Valuation cell a dollar too high."""
    sheet = _sheet(built)
    assert any(c.ref == ref for c in sheet.cells)
    sheet.cells = [c._replace(native=f"={c.native[1:]}+1") if c.ref == ref and c.native
                   else c for c in sheet.cells]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(built, Flavor.NATIVE))
    values = _values(libreoffice.recalculate([path], tmp_path / "out")[0])
    checks = {values[(model.CHECKS, f"A{r}")]: values[(model.CHECKS, f"B{r}")]
              for r in range(5, 40) if values.get((model.CHECKS, f"A{r}"))}
    return {**checks, "overall": values[(model.CHECKS, "B3")]}


ADDS_UP = "Option pricing: every class's exact value adds up to the equity value"
TO_THE_CENT = "Option pricing: each class's total value is its exact value to the cent"


@pytest.mark.libreoffice
def test_a_wrong_exact_value_fails_both_checks(tmp_path: Path) -> None:
    # The Series L's exact value a dollar too high: the exact values add up to a dollar more
    # than the equity value, and the common, which takes the rest of it, is a dollar short
    # of its own exact value.
    require_libreoffice()
    built = model.build(ISSUE_BOOK)
    row = _class_rows(_sheet(built))["Series L"]
    checks = _broken(built, f"G{row}", tmp_path)
    assert checks[ADDS_UP] == "FAILS: off by 1.00"
    assert checks[TO_THE_CENT] == "FAILS: off by 1"
    assert checks["overall"] == "2 of 22 checks FAIL"


@pytest.mark.libreoffice
def test_a_wrong_total_fails_the_cent_check(tmp_path: Path) -> None:
    # The options' total a dollar too high (what a wrong SERIESM_OPM would show): it is no
    # longer its exact value to the cent, and the common, taking the rest, is a dollar short.
    require_libreoffice()
    built = model.build(ISSUE_BOOK)
    row = _class_rows(_sheet(built))["Options"]
    checks = _broken(built, f"H{row}", tmp_path)
    assert checks[ADDS_UP] == "OK"
    assert checks[TO_THE_CENT] == "FAILS: off by 2"
    assert checks["overall"] == "1 of 22 checks FAIL"


def test_every_cell_of_the_sheet_is_counted_by_the_error_check() -> None:
    # The Check that no cell shows an error reads the Valuation sheet's whole block, its
    # helper columns too.
    built = model.build(ISSUE_BOOK)
    sheet = _sheet(built)
    checks = next(s for s in built.sheets if s.name == model.CHECKS)
    formula = next(c.native for c in checks.cells if c.native and "ISERROR(Valuation!" in
                   c.native)
    assert formula is not None
    right = max(cellrefs.split(c.ref)[0] for c in sheet.cells)
    assert cellrefs.letters(right) in sheet.helper_columns
    assert f"ISERROR(Valuation!A2:{cellrefs.letters(right)}" in formula


@settings(max_examples=60, deadline=None)
@given(capitals(), stacks(), st.integers(1, 10**9).map(F),
       st.sampled_from([Market(0.3, 1.0, 0.02), Market(0.6, 3.0, 0.0427),
                        Market(0.8, 5.0, 0.05)]))
def test_the_built_ins_working_is_the_cores_opm_over_any_stack(
        capital: Capital, stack: tuple[StackClass, ...], equity: Fraction,
        market: Market) -> None:
    # The sheet's own decomposition (each class's preference tranche by seniority, then the
    # slopes of its payout between the sorted kink prices) values every class as the core's
    # tranches do: the exact values add up to the equity value, and each class's total is
    # its exact value to the cent (the common, taking the rest, to half a cent a class).
    working = Working(float(equity), capital, stack, market)
    assert math.fsum(working.exact) == pytest.approx(float(equity), rel=1e-12, abs=1e-6)
    core = [float(v) for v in stack_opm(equity, capital, stack, market)[0::2]]
    for total, exact in zip(core[:-1], working.exact[:-1], strict=True):
        assert abs(total - exact) < 0.01
    assert abs(core[-1] - working.exact[-1]) < 0.005 * len(core)
    # Every tranche's shares add up to a whole dollar, or to nothing between equal prices.
    for shares, low, high in zip(working.shares, working.totals[:-1], working.totals[1:],
                                 strict=True):
        assert sum(shares) == (0 if low == high else 1)


@pytest.mark.libreoffice
def test_no_ok_beside_an_error_cell(tmp_path: Path) -> None:
    # An equity value of 0 (typed past the validation): ln(S/K) has no value, so the calls
    # show errors; the Check that no cell shows an error counts them, and no sheet says OK.
    require_libreoffice()
    built = model.build(ISSUE_BOOK)
    sheet = _sheet(built)
    sheet.cells = [c._replace(value=0.0) if c.ref == "B5" else c for c in sheet.cells]
    path = tmp_path / "zero.xlsx"
    path.write_bytes(workbook_bytes(built, Flavor.NATIVE))
    values = _values(libreoffice.recalculate([path], tmp_path / "out")[0])
    errors = [ref for (name, ref), v in values.items() if name == model.VALUATION
              and isinstance(v, str) and v.startswith("#")]
    assert errors
    row = next(r for r in range(5, 40)
               if values.get((model.CHECKS, f"A{r}")) == "No cell of the workbook shows an error")
    assert str(values[(model.CHECKS, f"B{row}")]).startswith("FAILS: ")
    status = [v for (name, ref), v in values.items() if name == model.VALUATION
              and ref.endswith("1") and ref[:-1].isalpha() and isinstance(v, str)
              and "check" in v]
    # The error Check and the two Valuation Checks, whose sums read the error cells.
    assert status == ["3 of 22 checks FAIL"]
