"""The Payouts sheet within the capital stack (issue 20, item 5): each Series M holder's payout
at the exit value within the stack, in both flavors, to the cent the core's
``payouts(..., stack=...)``; a hand-worked case, LibreOffice's figures, Checks that fail, and
the sheet's search and price mirrored in exact arithmetic against the core."""

from __future__ import annotations

import bisect
import os
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import strategies
from tests.conftest import require_libreoffice
from tests.core.test_stack import stacks
from tests.workbook.test_templates import STACK
from xl_seriesm import libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.payouts import payouts
from xl_seriesm.core.stack import Holder as Part
from xl_seriesm.core.stack import Kind as StackKind
from xl_seriesm.core.stack import StackClass, Structure
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import model
from xl_seriesm.workbook.figures import figures
from xl_seriesm.workbook.inputs import CapTable, Holder, Settings, synthetic
from xl_seriesm.workbook.sheets.payouts import STEPS
from xl_seriesm.workbook.sheets.stack import kink_prices
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor, workbook_bytes

F = Fraction

# The issue's stack (item 2): Series L, 1,000,000 shares at $1.00, non-participating, 1:1;
# 10,000,000 options at $0.10; 100,000,000 common. Three Series M holders of 100 shares each,
# eight full quarters from 10 January 2005 to 10 January 2007 ($12.50 a share a quarter, §2:
# $10,000 each), holder A paid all of it, holder C half, holder B none: arrears $0, $5,000 and
# $10,000. Dividends forfeited on conversion (the §2 reading's setting), so a converting holder
# gives up its whole Liquidation Value L = 100 × $1,000 + arrears (§3(a)) for 100 × 4,000 =
# 400,000 common (§5(a)): thresholds L ÷ 400,000 = $0.25 (A), $0.2625 (C), $0.275 (B).
#
# The others alone pay out T₀(p) = $1,000,000 (the Series L) + 100,000,000·p + 10,000,000·
# (p − 0.10) = 110,000,000·p for a common price p between the strike and the Series L's
# $1.00. With A and C converting and B keeping its $110,000:
#   T(p) = 110,000,000·p + 800,000·p + $110,000 = 110,800,000·p + $110,000,
# so at an exit value of $30,026,000, p = 29,916,000 ÷ 110,800,000 = $0.27: above A's $0.25
# and C's $0.2625 (each converts, 400,000 × 0.27 = $108,000 > its $100,000 and $105,000),
# below B's $0.275 (it keeps $110,000: converting too would make p = 30,026,000 ÷
# 111,200,000 = $0.270018 and give it $108,007.19). The options are exercised (0.27 > 0.10):
# 10,000,000 × 0.17 = $1,700,000; the Series L keeps $1,000,000 (0.27 < 1.00); the common
# 100,000,000 × 0.27 = $27,000,000. 108,000 + 110,000 + 108,000 + 1,000,000 + 1,700,000 +
# 27,000,000 = $30,026,000, and the Series M class total is $326,000.00.
ISSUE_STACK = (
    StackClass("Series L", StackKind.PREFERRED, F(1_000_000), F(1)),
    StackClass("Options", StackKind.OPTION, F(10_000_000), strike=F(1, 10)),
)
FORFEITED = CapTable(
    date(2005, 1, 10), date(2007, 1, 10),
    (Holder("A", F(100), F(0), F(10_000)),
     Holder("B", F(100), F(0), F(0)),
     Holder("C", F(100), F(0), F(5_000)),
     Holder("Common", F(0), F(100_000_000), F(0))), (),
    Settings(dividends_on_conversion=False, exit_value=F(30_026_000)), stack=ISSUE_STACK)
HAND = {"A": 108_000.0, "B": 110_000.0, "C": 108_000.0}
# Short of the preferences ($315,000 Series M + $1,000,000 Series L): at $210,000 the Series M,
# paid first (§3(a)), is short itself, shared pro rata to the full preferential amounts
# (§3(b)), and the Series L takes nothing: A
# 210,000 × 100,000 ÷ 315,000 = $66,666.67, B × 110,000 ÷ 315,000 = $73,333.33, C × 105,000 ÷
# 315,000 = $70,000.00.
SHORT = replace(FORFEITED, settings=replace(FORFEITED.settings, exit_value=F(210_000)))
# Before the first anniversary nobody may convert (§5(a)): at $150,000,000 the holders keep
# their preferences while the options are exercised and the Series L converts.
NOT_YET = replace(FORFEITED, as_of_date=date(2005, 12, 30),
                  holders=(Holder("A", F(100), F(0), F(0)), Holder("B", F(300), F(0), F(0)),
                           Holder("Common", F(0), F(100_000_000), F(0))),
                  settings=replace(FORFEITED.settings, exit_value=F(150_000_000)))
CASES = {"forfeited": FORFEITED, "short": SHORT,
         "paid": replace(FORFEITED, settings=replace(FORFEITED.settings,
                                                     dividends_on_conversion=True,
                                                     exit_value=F("30026000.07"))),
         "not-yet-convertible": NOT_YET}


def _payouts_sheet(built: model.Workbook) -> model.Sheet:
    return next(s for s in built.sheets if s.name == "Payouts")


def _holder_rows(sheet: model.Sheet) -> dict[str, int]:
    """The Payouts sheet's row of each Series M holder (by name)."""
    return {str(c.expected): int(c.ref[1:]) for c in sheet.cells
            if c.ref.startswith("A") and c.ref[1:].isdigit() and int(c.ref[1:]) >= 11
            and c.computed and c.expected in ("A", "B", "C")}


def test_the_hand_worked_case_is_the_cores() -> None:
    result = payouts(F(30_026_000), [F(100)] * 3, [F(0), F(10_000), F(5_000)],
                     F(100_000_000), dividends_on_conversion=False, stack=ISSUE_STACK)
    assert result.converts == [True, False, True]
    assert result.amounts == [Decimal("108000.00"), Decimal("110000.00"), Decimal("108000.00")]
    assert result.class_total == Decimal("326000.00")
    sheet = _payouts_sheet(model.build(FORFEITED))
    cells = {c.ref: c for c in sheet.cells}
    for name, row in _holder_rows(sheet).items():
        assert cells[f"D{row}"].expected == HAND[name]
    assert cells["B6"].expected == 0.27  # the common's price p
    assert cells["B7"].expected == 326_000.0
    # T₀ on the Capital stack sheet (column S) at its kink prices 0 (three times: each class's
    # and the Series M's "none"), $0.10, the Series M's $0.2625 (315,000 ÷ 1,200,000, the
    # class as one holder) and $1.00, and past the last at $2.00: $1,000,000 at 0;
    # 1,000,000 + 100,000,000 × 0.10 = $11,000,000; 110,000,000 × 0.2625 = $28,875,000;
    # $110,000,000; above $1.00 the Series L converts: 111,000,000 × 2 − 1,000,000 =
    # $221,000,000.
    stack = next(s for s in model.build(FORFEITED).sheets if s.name == "Capital stack")
    column = [c.expected for c in sorted((c for c in stack.cells if c.ref.startswith("S")
                                          and c.computed), key=lambda c: int(c.ref[1:]))]
    assert column == [1e6] * 3 + [11e6, 28.875e6, 110e6, 221e6]
    short = _payouts_sheet(model.build(SHORT))
    cells = {c.ref: c for c in short.cells}
    assert {name: cells[f"D{row}"].expected for name, row in _holder_rows(short).items()} == {
        "A": 66_666.67, "B": 73_333.33, "C": 70_000.0}


def _values(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, cell.coordinate): cell.value
            for ws in book.worksheets for row in ws.iter_rows() for cell in row}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("payouts-stack")
    for name, cap in CASES.items():
        make(cap, root / name, list(Flavor), force=False)
    return {name: root / name for name in CASES}


def _opened_as_installed(book: Path, out: Path) -> Path:
    """The book converted by LibreOffice with a fresh profile, as installed: .xlsx files are
    not recalculated on opening, so it shows the figures the file carries."""
    profile = out / "profile"
    subprocess.run([str(libreoffice.find()), "--headless", "--norestore",
                    f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "xlsx",
                    "--outdir", str(out / "converted"), str(book)],
                   capture_output=True, check=True, timeout=300,
                   env={**os.environ, "HOME": str(out)})
    return out / "converted" / book.name


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", list(CASES))
def test_every_holders_payout_in_libreoffice_is_the_cores(folders: dict[str, Path], case: str,
                                                          tmp_path: Path) -> None:
    # The built-ins book recalculated on opening (LibreOffice's first pass, which computed a
    # formula group wrongly once), recalculated in full by the engine, and as LibreOffice
    # opens it with its default settings: every holder's payout is the core's, to the cent.
    require_libreoffice()
    cap = CASES[case]
    built = model.build(cap)
    sheet = _payouts_sheet(built)
    rows = _holder_rows(sheet)
    every = figures(cap)
    f = [h for h in cap.holders if h.name in rows]
    accrued = [F(a) for h, a in zip(cap.holders, every.accrued, strict=False) if h.name in rows]
    core = payouts(cap.settings.exit_value or F(0), [h.series_m_shares for h in f], accrued,
                   F(100_000_000), convertible=every.convertible,
                   dividends_on_conversion=cap.settings.dividends_on_conversion,
                   stack=ISSUE_STACK)
    assert case != "not-yet-convertible" or (not every.convertible and not any(core.converts))
    native = folders[case] / Flavor.NATIVE.filename
    books = {"recalculated on opening": _values(libreoffice.recalculate(
                 [native], tmp_path / "lo")[0]),
             "recalculated by the engine": recalc.calculate(native),
             "opened as installed": _values(_opened_as_installed(native, tmp_path))}
    for how, values in books.items():
        for holder, amount in zip(f, core.amounts, strict=True):
            assert values[("Payouts", f"D{rows[holder.name]}")] == pytest.approx(
                float(amount), abs=0.001), (how, holder.name)
        assert differences(built, values) == [], how
    if case == "forfeited":
        values = books["recalculated on opening"]
        assert {name: values[("Payouts", f"D{row}")] for name, row in rows.items()} == HAND


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", list(CASES))
def test_the_add_in_flavor_is_the_cores_and_agrees_with_the_built_ins(
        folders: dict[str, Path], case: str) -> None:
    # SERIESM_PAYOUTS with the Capital stack sheet's table, beside the built-ins' exact
    # payouts (both flavors show them): every Check holds, every figure is the core's.
    require_libreoffice()
    built = model.build(CASES[case])
    values = recalc.calculate(folders[case] / Flavor.UDF.filename)
    assert differences(built, values, built.native_only()) == []
    if case == "forfeited":
        rows = _holder_rows(_payouts_sheet(built))
        assert {name: values[("Payouts", f"D{row}")] for name, row in rows.items()} == HAND


@pytest.mark.libreoffice
def test_a_thousand_holders_deciding_apart(tmp_path: Path) -> None:
    # 1,000 synthetic holders of different arrears a share (dividends forfeited), within the
    # five-class stack of the template tests: about half convert. Recalculated by LibreOffice,
    # every holder's payout, exact payout and choice, and every search cell, is the core's.
    require_libreoffice()
    cap = replace(synthetic(1000, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                            replace(SAMPLE.settings, dividends_on_conversion=False)),
                  stack=STACK)
    make(cap, tmp_path, [Flavor.NATIVE], force=False)
    built = model.build(cap)
    converts = [c.expected for c in _payouts_sheet(built).cells
                if c.ref.startswith("E") and c.ref[1:].isdigit() and int(c.ref[1:]) >= 11]
    assert 100 < converts.count(True) < 900
    values = _values(libreoffice.recalculate([tmp_path / Flavor.NATIVE.filename],
                                             tmp_path / "out")[0])
    assert differences(built, values) == []


@pytest.mark.libreoffice
def test_the_payouts_checks_can_fail(tmp_path: Path) -> None:
    # Holder A's exact payout a dollar too many: the exact payouts no longer add up to the
    # exit value (off by $1.00). Holder B's payout a dollar too many: the payouts no longer
    # add up to the Series M's total (off by $1.00), and one holder is off its exact payout
    # by a cent or more.
    require_libreoffice()
    built = model.build(FORFEITED)
    sheet = _payouts_sheet(built)
    rows = _holder_rows(sheet)
    broken = {f"J{rows['A']}", f"D{rows['B']}"}
    sheet.cells = [c._replace(native=f"={c.native[1:]}+1") if c.ref in broken else c
                   for c in sheet.cells]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(built, Flavor.NATIVE))
    values = _values(libreoffice.recalculate([path], tmp_path / "out")[0])
    checks = {values[("Checks", f"A{r}")]: values[("Checks", f"B{r}")] for r in range(5, 40)
              if values.get(("Checks", f"A{r}"))}
    assert checks["Payouts: the holders' and the other classes' exact payouts add up to the "
                  "exit value"] == "FAILS: off by 1.00"
    assert checks["Payouts: the holders' payouts add up to the Series M's total within the "
                  "stack"] == "FAILS: off by 1.00"
    assert checks["Payouts: each holder's payout is its exact payout to the cent"] == (
        "FAILS: off by 1")
    assert values[("Checks", "B3")] == "3 of 22 checks FAIL"


def test_an_error_cell_on_the_payouts_sheet_is_counted() -> None:
    # The Checks sheet's error count covers the Payouts sheet's helper columns too (the
    # search and the classes at p, right of the holders), so no OK shows beside an error.
    built = model.build(FORFEITED)
    checks = next(s for s in built.sheets if s.name == "Checks")
    count = next(c.native for c in checks.cells
                 if c.native and "ISERROR" in c.native)
    assert "Payouts!A2:U" in count


# --- the sheet's search and price, in exact arithmetic, against the core --------------------

def _sheet_mirror(proceeds: Fraction, rows: list[tuple[Fraction, Fraction]],
                  stack: tuple[StackClass, ...], common: Fraction, number: Fraction,
                  paid: bool, convertible: bool) -> tuple[list[bool], Fraction | None]:
    """What the built-ins sheet computes, step by step, without rounding: T₀ read off the
    Capital stack sheet's kink table (its kink prices, linear between them), the halving
    search on T(x) < exit value, then p solved in T₀'s kink segment."""
    shares = [s for s, _ in rows]
    preference = [s * 1000 + a for s, a in rows]
    freed = [s * 1000 if paid else pref for s, pref in zip(shares, preference, strict=True)]
    thresholds = [f / (s * number) for f, s in zip(freed, shares, strict=True)]
    capital = Capital(sum(shares, F(0)), common, sum((a for _, a in rows), F(0)), number, paid)
    prices = kink_prices(stack, capital)
    others = Structure([], stack, common, convertible)
    every = [*prices, prices[-1] + 1]
    table = [others.total_at(q) for q in every]

    def t0(x: Fraction) -> Fraction:
        j = bisect.bisect_right(prices, x)
        return table[j - 1] + (x - every[j - 1]) * (table[j] - table[j - 1]) / (
            every[j] - every[j - 1])

    series_m = sum(preference, F(0))
    ordered = sorted(thresholds)
    low, high = 0, len(rows) + 1
    for _ in range(STEPS):
        middle = (low + high) // 2
        x = ordered[middle - 1] if middle else F(0)
        chosen = [i for i, t in enumerate(thresholds) if t <= x]
        total = (t0(x) + series_m + x * number * sum((shares[i] for i in chosen), F(0))
                 - sum((freed[i] for i in chosen), F(0)))
        low, high = (middle, high) if middle == 0 or total < proceeds else (low, middle)
    cut = ordered[low - 1] if convertible and low > 0 else F(-1)
    converts = [t <= cut for t in thresholds]
    stack_preferences = sum((c.total_preference for c in stack), F(0))
    if proceeds < series_m + stack_preferences:
        return converts, None
    given = sum((f for f, c in zip(freed, converts, strict=True) if c), F(0))
    converted = number * sum((s for s, c in zip(shares, converts, strict=True) if c), F(0))
    target = proceeds - series_m + given
    k = max(1, sum(1 for q, t in zip(prices, table, strict=False) if t + converted * q <= target))
    slope = (table[k] - table[k - 1]) / (every[k] - every[k - 1])
    return converts, every[k - 1] + (target - table[k - 1] - converted * every[k - 1]) / (
        slope + converted)


# Up to four holders (9,100 shares at most, §1), each's arrears a whole number of cents.
holder_rows = st.lists(st.tuples(st.integers(1, 2275).map(F),
                                 st.integers(0, 10**7).map(lambda c: F(c, 100))),
                       min_size=1, max_size=4)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Fraction, list[tuple[Fraction, Fraction]],
                                    tuple[StackClass, ...], Fraction, Fraction, bool, bool]:
    """A stack, holders, and an exit value near where the common is worth a price drawn near
    a holder's threshold or anywhere up to $3, so that holders and classes decide apart; or
    short of the preferences."""
    rows, stack = draw(holder_rows), draw(stacks())
    common, number = draw(strategies.common_shares), draw(strategies.conversion_numbers)
    paid, convertible = draw(st.booleans()), draw(st.sampled_from([True, True, True, False]))
    holders = [Part(s * 1000 + a, a if paid else F(0), s * number) for s, a in rows]
    built = Structure(holders, stack, common, convertible)
    near = [h.threshold for h in holders if h.threshold is not None]
    price = draw(st.one_of(st.integers(0, 30_000).map(lambda n: F(n, 10_000)),
                           st.sampled_from(near).flatmap(lambda t: st.integers(-3, 3).map(
                               lambda d: max(F(0), t + F(d, 10**6))))))
    proceeds = draw(st.integers(-100, 100).map(lambda c: max(F(0), built.total_at(price)
                                                              + F(c, 100)))
                    if draw(st.integers(0, 9)) else  # one in ten short of the preferences
                    st.integers(0, 10**4).map(lambda c: built.preferences * F(c, 10**4)))
    return proceeds, rows, stack, common, number, paid, convertible


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_sheets_search_and_price_are_the_cores(
        case: tuple[Fraction, list[tuple[Fraction, Fraction]], tuple[StackClass, ...],
                    Fraction, Fraction, bool, bool]) -> None:
    proceeds, rows, stack, common, number, paid, convertible = case
    converts, price = _sheet_mirror(proceeds, rows, stack, common, number, paid, convertible)
    holders = [Part(s * 1000 + a, a if paid else F(0), s * number) for s, a in rows]
    result = Structure(holders, stack, common, convertible).pay(proceeds)
    assert converts == result.chooses[:len(rows)]
    assert price == result.price
