"""The template's model and the two rendered flavors: same cells, allowed functions, and the
sample's key figures worked by hand."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import FORMULAE
from openpyxl.worksheet.formula import ArrayFormula

from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.core.dividends import PaymentSchedule
from xl_seriesm.excel.spec import BY_NAME
from xl_seriesm.workbook import model
from xl_seriesm.workbook.writer import Flavor, render, to_bytes
from xl_seriesm.xlsx import cellrefs

BUILT = model.build(SAMPLE)
# Built-ins the native flavor may use: all compute in Excel and in LibreOffice 7.4, and need
# no _xlfn. prefix (ENGINES.md).
NATIVE_FUNCTIONS = {"IFERROR", "SUMIFS", "COUNTIF", "INDEX", "MATCH", "OR",  # Excel 2007
                    "ROUND", "YEARFRAC", "IF", "AND", "NOT", "INT", "MIN", "MAX", "SUM",
                    "EDATE", "EOMONTH", "MOD", "MONTH", "ABS", "SUMPRODUCT", "TEXT", "ROWS",
                    "YEAR", "DAY", "ROUNDDOWN", "ISERROR",
                    "LN", "EXP", "SQRT", "NORMSDIST",  # the Valuation sheet's Black-Scholes
                    "SMALL", "LARGE", "COUNT"}  # the Payouts sheet's searches (issue 22)
NEWER_FUNCTIONS = {"LET", "LAMBDA", "XLOOKUP", "FILTER", "SEQUENCE", "UNIQUE", "SORT", "IFS",
                   "XMATCH", "TEXTJOIN", "CONCAT", "SWITCH"}
_CALL = re.compile(r"([A-Z][A-Z0-9._]*)\(")


def _functions(formula: str) -> set[str]:
    return set(_CALL.findall(re.sub(r'"[^"]*"', '""', formula)))


def test_native_formulas_use_only_portable_built_ins() -> None:
    used = set()
    for sheet in BUILT.sheets:
        for cell in sheet.cells:
            if cell.native:
                used |= _functions(cell.native)
    assert used <= NATIVE_FUNCTIONS
    assert not used & NEWER_FUNCTIONS
    assert used <= FORMULAE  # no prefix needed


def test_udf_formulas_call_only_spec_functions_and_built_ins() -> None:
    used = set()
    for sheet in BUILT.sheets:
        for cell in sheet.cells:
            if cell.udf:
                used |= _functions(cell.udf)
    calls = {name for name in used if name.startswith("SERIESM_")}
    assert calls <= set(BY_NAME)
    assert {"SERIESM_ACCRUED", "SERIESM_LIQVALUE", "SERIESM_CONVERT", "SERIESM_VOTES",
            "SERIESM_CASHINLIEU", "SERIESM_DILUTE", "SERIESM_SCHEDULE", "SERIESM_WATERFALL",
            "SERIESM_BREAKPOINT", "SERIESM_PAROK"} <= calls
    # The first anniversary is EDATE(ClosingDate,12) in both flavors: a cell Excel computes
    # itself needs no add-in.
    assert used - calls <= NATIVE_FUNCTIONS


def test_required_defined_names() -> None:
    assert {"ClosingDate", "AsOfDate", "ConversionNumber", "TotalSeriesM", "TotalAccrued",
            "TotalLiquidationValue", "Breakpoint"} <= set(BUILT.names)


def _expected(sheet: str, ref: str) -> object:
    for name, cell in BUILT.computed():
        if (name, cell.ref) == (sheet, ref):
            return cell.expected
    raise KeyError(ref)


@pytest.mark.parametrize(("sheet", "ref", "value", "working"), [
    ("Issuances", "H4", 320000 / 79,
     "8,000,000 sold for $1,600,000 ($0.20) with 120,000,000 out: C = 6,400,000; "
     "4,000 × 128,000,000/126,400,000 = 4,000 × 80/79 (§5(e)(i))"),
    ("Issuances", "H6", 320000 / 79, "row 2 exempt, row 3 at $0.30: unchanged"),
    ("Terms", "B18", 320000 / 79, "ConversionNumber: the ledger's last row"),
    ("Terms", "B15", date(2006, 1, 10), "ConversionOpens: first anniversary (§5(a))"),
    ("Holders", "E4", 257638.89,
     "Palm Fund: 3,500 × $50 × 890/360 (10 Jan 2005 to 30 Jun 2007 in 30/360) = 432,638.89 "
     "less 175,000 paid (§2)"),
    ("Holders", "G4", 1_120_000_000 / 79, "3,500 × 320,000/79 common (§5(b))"),
    ("Holders", "H4", 14_177_215, "votes: the whole part of 14,177,215 15/79 (§4)"),
    ("Holders", "I4", 0.03, "cash for 15/79 of a share at $0.18 = $0.034 (§5(h))"),
    ("Holders", "E12", 799861.12,
     "total accrued: 257,638.89 + 184,027.78 + 228,680.56 + 98,611.11 + 30,902.78"),
    ("Terms", "B21", 44092048.62,
     "breakpoint: 799,861.12 + 9,100,000 × (1 + 138,500,000 × 79/2,912,000,000) "
     "= 799,861.12 + 43,292,187.50 (§3, §5)"),
    ("Dividends", "B5", 113750.0, "first quarter: 9,100 × $50 × 90/360"),
    ("Dividends", "C7", 97500.0, "$325,000 paid settles two quarters and $97,500 of the third"),
    ("Dividends", "D13", 698750.0, "nine quarters due (1,023,750) less 325,000 paid"),
])
def test_sample_figures_by_hand(sheet: str, ref: str, value: object, working: str) -> None:
    assert _expected(sheet, ref) == value, working


def test_every_check_expects_ok() -> None:
    checks = [cell for name, cell in BUILT.computed() if name == model.CHECKS
              and cellrefs.split(cell.ref)[1] >= model.FIRST_CHECK_ROW]
    # eight that hold by construction, three reconciliations, two of the Valuation sheet,
    # the Dividends sheet's tie to the Holders sheet, and that no cell shows an error (issue 23)
    assert len(checks) == 15
    assert all(cell.expected == "OK" for cell in checks)
    overall = {c.ref: c.expected for name, c in BUILT.computed() if name == model.CHECKS}
    assert overall["B3"] == model.ALL_OK


def test_waterfall_exits_run_well_past_the_breakpoint() -> None:
    waterfall = next(s for s in BUILT.sheets if s.name == model.WATERFALL)
    exits = [c.value for c in waterfall.cells if c.ref.startswith("A") and
             c.role is model.Role.INPUT]
    assert exits[0] == 0
    assert exits[-1] > 2 * 44092048.62
    assert len(exits) == model.EXIT_ROWS


def _load(flavor: Flavor) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_bytes(render(BUILT, flavor))))


def test_both_flavors_have_the_same_cells_formats_and_names() -> None:
    udf, native = _load(Flavor.UDF), _load(Flavor.NATIVE)
    assert udf.sheetnames == native.sheetnames == [s.name for s in BUILT.sheets]
    assert dict(udf.defined_names.items()).keys() == dict(native.defined_names.items()).keys()
    for ws_udf, ws_native in zip(udf.worksheets, native.worksheets, strict=True):
        covered: set[str] = set()
        for row in ws_udf.iter_rows():
            for cell in row:
                if isinstance(cell.value, ArrayFormula):
                    covered |= set(cellrefs.cells(cell.value.ref))
        filled_udf = {c.coordinate for r in ws_udf.iter_rows() for c in r if c.value is not None}
        filled_native = {c.coordinate for r in ws_native.iter_rows() for c in r
                         if c.value is not None}
        helpers = {ref for sheet, ref in BUILT.native_only() if sheet == ws_udf.title}
        assert filled_native == filled_udf | covered | helpers, ws_udf.title
        assert not filled_udf & helpers
        for row in ws_native.iter_rows():
            for cell in row:
                twin = ws_udf[cell.coordinate]
                if cell.coordinate == "A2":  # the add-in flavor's banner is coloured
                    continue
                assert (twin.number_format, twin.protection.locked, twin.fill.fgColor.rgb) == (
                    cell.number_format, cell.protection.locked, cell.fill.fgColor.rgb)
        assert ws_udf.protection.sheet
        assert ws_native.protection.sheet
        assert len(ws_udf.data_validations.dataValidation) == len(
            ws_native.data_validations.dataValidation)


def test_inputs_unlocked_computed_locked() -> None:
    wb = _load(Flavor.NATIVE)
    assert wb["Terms"]["B5"].protection.locked is False  # ClosingDate, an input
    assert wb["Holders"]["E4"].protection.locked is True  # computed
    assert wb["Holders"]["E4"].number_format == "#,##0.00_);(#,##0.00)"
    assert wb["Terms"]["B5"].number_format == "d mmm yyyy"


def test_the_waterfall_has_a_chart_with_the_breakpoint() -> None:
    wb = _load(Flavor.UDF)
    charts = wb["Waterfall"]._charts
    assert len(charts) == 1
    titles = [s.tx.strRef.f if s.tx.strRef else s.tx.v for s in charts[0].series]
    assert "Breakpoint" in titles


def test_rendering_is_reproducible() -> None:
    assert to_bytes(render(model.build(SAMPLE), Flavor.NATIVE)) == to_bytes(
        render(model.build(SAMPLE), Flavor.NATIVE))


def test_a_closing_on_a_quarter_end_pays_at_quarter_ends() -> None:
    settings = replace(SAMPLE.settings, schedule=PaymentSchedule.QUARTER_ENDS)
    holders = tuple(h._replace(dividends_paid=0) for h in SAMPLE.holders)
    cap = replace(SAMPLE, closing_date=date(2005, 3, 31), as_of_date=date(2006, 1, 15),
                  holders=holders, issuances=(), settings=settings)
    built = model.build(cap)
    dates = [c.expected for name, c in built.computed() if name == model.DIVIDENDS
             and c.ref.startswith("A")]
    # Three quarter ends, then the running period's row, to the as-of date.
    assert dates == [date(2005, 6, 30), date(2005, 9, 30), date(2005, 12, 31),
                     date(2006, 1, 15)]
