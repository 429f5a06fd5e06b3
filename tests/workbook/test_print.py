"""What a controller sees and prints: the sample printed by LibreOffice in a handful of pages,
none holding a stray column; finance formats; text that shows whole; checks in green or red
with an overall status on every sheet; a failing check that says by how much and where to
look; the add-in flavor's banner and cached figures; protection that leaves the layout free.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pypdfium2
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm import libreoffice
from xl_seriesm.cli import screenshots
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.workbook import layout, model, textwidth
from xl_seriesm.workbook.textwidth import px_for_width, row_points, text_px, wrap
from xl_seriesm.workbook.writer import Flavor, workbook_bytes
from xl_seriesm.xlsx import cellrefs

BUILT = model.build(SAMPLE)
#: Pages per sheet of the printed sample: Terms (44 rows, its text wrapped to keep 8 points)
#: takes three, Waterfall two (41 exit values, then the chart on a page of its own), every
#: other sheet one; Events none (the sample has no ledger of events: the empty sheet is
#: hidden and does not print).
PAGES = {"About": 1, "Terms": 3, "Holders": 1, "Issuances": 1, "Dividends": 1,
         "Waterfall": 2, "Valuation": 1, "Checks": 1, "Payouts": 1}


@pytest.fixture(scope="module")
def books() -> dict[Flavor, openpyxl.Workbook]:
    return {flavor: openpyxl.load_workbook(io.BytesIO(workbook_bytes(BUILT, flavor)),
                                           rich_text=True) for flavor in Flavor}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_libreoffice()
    folder = tmp_path_factory.mktemp("print")
    path = folder / Flavor.NATIVE.filename
    path.write_bytes(workbook_bytes(BUILT, Flavor.NATIVE))
    return libreoffice.to_pdf([path], folder / "pdf")[0]


@pytest.mark.libreoffice
def test_the_sample_prints_in_a_handful_of_pages(printed: Path) -> None:
    sheets = screenshots.page_sheets(printed)
    assert {name: sheets.count(name) for name in PAGES} == PAGES
    assert sheets == [name for name in PAGES for _ in range(PAGES[name])]  # in sheet order


@pytest.mark.libreoffice
def test_no_page_holds_only_a_stray_column(printed: Path) -> None:
    # Fit to one page wide and print titles: every page starts with its sheet's title (in
    # column A), and says which page of how many it is.
    titles = {s.name: next(c.value for c in s.cells if c.role is model.Role.TITLE)
              for s in BUILT.sheets}
    document = pypdfium2.PdfDocument(printed)
    sheets = screenshots.page_sheets(printed)
    for number, (page, sheet) in enumerate(zip(document, sheets, strict=True), start=1):
        text = " ".join(page.get_textpage().get_text_range().split())
        assert " ".join(str(titles[sheet]).split()) in text, f"page {number} ({sheet})"
        assert f"Page {number} of {len(sheets)}" in text


def test_print_setup_of_every_sheet(books: dict[Flavor, openpyxl.Workbook]) -> None:
    for flavor, book in books.items():
        for ws in book.worksheets:
            setup = ws.page_setup
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
            assert str(ws.print_title_rows).startswith("$1:"), ws.title
            assert ws.oddFooter.left.text == "&A"
            assert ws.oddFooter.right.text == "Page &P of &N"
            assert "as of 30 June 2007" in ws.oddFooter.center.text
            assert ws.print_area, (flavor, ws.title)
    waterfall = books[Flavor.NATIVE]["Waterfall"]
    area = str(waterfall.print_area).split("!")[-1].replace("$", "")
    assert area.split(":")[1].startswith("F")  # the chart's helper columns H:I stay off paper
    assert books[Flavor.NATIVE]["Holders"].page_setup.orientation == "landscape"
    assert books[Flavor.NATIVE]["Dividends"].page_setup.orientation == "portrait"


def test_formats_a_finance_reader_expects(books: dict[Flavor, openpyxl.Workbook]) -> None:
    for book in books.values():
        terms, holders = book["Terms"], book["Holders"]
        rate = next(r for r in range(1, 60) if terms[f"A{r}"].value == "Dividend rate")
        par = next(r for r in range(1, 60) if terms[f"A{r}"].value == "Common par value")
        assert terms[f"B{rate}"].number_format == "0.00##%"  # 5.00%
        assert terms[f"B{par}"].number_format == "$#,##0.0000"  # $0.0500
        assert holders["B4"].number_format == "#,##0"  # 3,500 Series M shares, not 3,500.00
        assert holders["E4"].number_format == "#,##0.00_);(#,##0.00)"  # (1,234.50) if negative
        assert terms["B5"].number_format == "d mmm yyyy"  # a date, 10 Jan 2005
        converts = book["Waterfall"]["F5"]  # a boolean reads TRUE/FALSE, even as 1/0
        assert converts.number_format == '"TRUE";"TRUE";"FALSE"'


def test_a_fractional_share_count_shows_its_decimals() -> None:
    assert model.Kind.SHARES.format_for(100.5) == "#,##0.0"
    assert model.Kind.SHARES.format_for(0.1234) == "#,##0.0000"
    assert model.Kind.COMMON.format_for(4285.714285714285) == "#,##0.0000"
    assert model.Kind.SHARES.format_for(3500.0) == "#,##0"


def test_every_header_and_wrapped_line_shows_whole(books: dict[Flavor,
                                                               openpyxl.Workbook]) -> None:
    book = books[Flavor.NATIVE]
    for sheet in BUILT.sheets:
        ws = book[sheet.name]
        merged = {str(r).split(":")[0] for r in ws.merged_cells.ranges}
        for cell in sheet.cells:
            if cell.role not in (model.Role.HEADER, model.Role.LABEL, model.Role.TEXT) or (
                    cell.ref in merged or cell.ref == "A1" or not cell.value):
                continue
            column, row = cellrefs.split(cell.ref)
            width = px_for_width(ws.column_dimensions[cellrefs.letters(column)].width)
            bold = cell.role is not model.Role.TEXT
            target = ws[cell.ref]
            if target.alignment.wrap_text:
                lines = len(wrap(str(cell.value), width, 11, bold))
                height = ws.row_dimensions[row].height or row_points(1)
                assert height >= row_points(lines), f"{sheet.name}!{cell.ref}"
            else:
                assert text_px(str(cell.value), 11, bold) <= width, f"{sheet.name}!{cell.ref}"


def test_no_gap_of_empty_rows_inside_a_sheet() -> None:
    for sheet in BUILT.sheets:
        rows = sorted({cellrefs.split(c.ref)[1] for c in sheet.cells})
        gaps = [b - a - 1 for a, b in itertools.pairwise(rows)]
        assert max(gaps, default=0) <= 1, sheet.name  # one blank row between blocks at most


def test_checks_are_green_or_red_in_both_flavors(books: dict[Flavor,
                                                              openpyxl.Workbook]) -> None:
    for book in books.values():
        checks = book["Checks"]
        ruled = {str(r.sqref) for r in checks.conditional_formatting}
        results = [f"B{r}" for r in range(model.FIRST_CHECK_ROW, checks.max_row + 1)
                   if checks[f"B{r}"].value]
        assert len(results) >= 8
        assert set(results) | {"B3"} <= ruled
        for ws in book.worksheets:  # the overall status, in the header of every sheet
            # (in the add-in flavor an array formula that also asks whether the functions run)
            status = [c for row in ws.iter_rows(max_row=1) for c in row
                      if "OverallStatus" in str(getattr(c.value, "text", c.value))]
            assert len(status) == 1, ws.title
            assert status[0].coordinate in {str(r.sqref) for r in ws.conditional_formatting}
        fills = {rule.dxf.fill.fgColor.rgb for r in checks.conditional_formatting
                 for rule in r.rules}
        assert {"00C6EFCE", "00FFC7CE"} <= fills  # green and red


@pytest.mark.libreoffice
def test_a_failing_check_says_by_how_much_and_where_to_look(tmp_path: Path) -> None:
    require_libreoffice()
    path = tmp_path / Flavor.NATIVE.filename
    path.write_bytes(workbook_bytes(BUILT, Flavor.NATIVE))
    book = openpyxl.load_workbook(path)
    book["Holders"]["B4"] = 11_100  # 3,500 → 11,100: 7,600 more than the 9,100 of §1
    book.save(path)
    values = openpyxl.load_workbook(libreoffice.recalculate([path], tmp_path / "lo")[0],
                                    data_only=True)
    checks = values["Checks"]
    assert checks["B5"].value == "FAILS: off by 7,600"  # 16,700 outstanding − 9,100 (§1)
    assert "Holders column B" in checks["C5"].value
    assert checks["B3"].value.endswith("checks FAIL")
    header = [c.value for c in values["Holders"][1] if c.value]
    assert checks["B3"].value in header  # every sheet's header shows it


def test_the_addin_flavor_has_a_banner_and_cached_figures() -> None:
    data = workbook_bytes(BUILT, Flavor.UDF)
    book = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)
    for ws in book.worksheets:
        assert str(ws["A2"].value).startswith(layout.BANNER), ws.title
    native = openpyxl.load_workbook(io.BytesIO(workbook_bytes(BUILT, Flavor.NATIVE)))
    assert not any(layout.BANNER in str(ws["A2"].value) for ws in native.worksheets)
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    # Palm Fund LP's accrued dividends, SERIESM_ACCRUED in the file: 3,500 × 50 × 890/360 =
    # 432,638.89 less 175,000 paid = 257,638.89 (§2), cached for a reader without the add-in.
    assert cached["Holders"]["E4"].value == pytest.approx(257_638.89)
    assert cached["Checks"]["B3"].value == model.ALL_OK
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
    assert 'fullCalcOnLoad="1"' not in workbook_xml


def test_cells_that_need_no_function_use_excels_own_in_both_flavors() -> None:
    for _, cell in BUILT.computed():
        # (the status also says whether the functions are loaded, in the add-in flavor)
        if cell.udf and "SERIESM_" not in cell.udf and not cell.array and (
                "not loaded" not in cell.udf):
            assert cell.udf == cell.native, cell.ref


def test_protection_leaves_formatting_sorting_and_filtering_free(
        books: dict[Flavor, openpyxl.Workbook]) -> None:
    for book in books.values():
        for ws in book.worksheets:
            p = ws.protection
            assert p.sheet, ws.title
            locked = [name for name in ("formatColumns", "formatRows", "formatCells", "sort",
                                        "autoFilter", "insertRows") if getattr(p, name)]
            assert locked == [], ws.title


def test_readme_screenshots_are_of_the_current_workbooks() -> None:
    # The pictures are made from the sample workbooks; their hash is recorded beside them,
    # so a change to the templates (not a different renderer) asks for new pictures.
    folder = ROOT / screenshots.FOLDER
    recorded = (folder / screenshots.SOURCE_FILE).read_text()
    assert recorded == screenshots.source_digest(screenshots.sample_books()), (
        "the templates changed: run `seriesm screenshots`")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for picture in sorted(folder.glob("*.png")):
        assert f"{screenshots.FOLDER}/{picture.name}" in readme, picture.name
    # every printed sheet (an empty one, hidden, does not print)
    assert len(list(folder.glob("native-*.png"))) == len([s for s in BUILT.sheets
                                                         if not s.hidden])


def test_the_stored_font_metrics_are_carlitos() -> None:
    # xl_seriesm/data/carlito.json is measured from the font files with fontTools
    # (`python -m xl_seriesm.workbook.textwidth`); CI installs the font (.ci/run).
    folder = textwidth.installed_font_folder()
    if folder is None:
        pytest.skip("Carlito is not installed (apt-get install fonts-crosextra-carlito)")
    stored = (ROOT / "xl_seriesm" / "data" / "carlito.json").read_text(encoding="utf-8")
    assert stored == textwidth.serialised(textwidth.measure_font(folder))
    # Calibri's digits are 1,038 units of 2,048 wide: 7.43 px at 11 pt and 96 dpi.
    assert textwidth.text_px("0") == pytest.approx(1038 / 2048 * 11 * 96 / 72)


def _system_python_with_uno() -> str | None:
    python = shutil.which("python3", path="/usr/bin")
    if python is None:
        return None
    found = subprocess.run([python, "-c", "import uno"], capture_output=True, check=False)
    return python if found.returncode == 0 else None


@pytest.mark.libreoffice
@pytest.mark.parametrize("shares", [0, 100])
def test_a_holder_added_by_inserting_a_row_is_in_the_totals_and_checks(
        tmp_path: Path, shares: int) -> None:
    require_libreoffice()
    python = _system_python_with_uno()
    if python is None:
        if os.environ.get("SERIESM_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice's Python bridge is missing: apt-get install python3-uno")
        pytest.skip("LibreOffice's Python bridge (python3-uno) is not installed")
    path = tmp_path / Flavor.NATIVE.filename
    path.write_bytes(workbook_bytes(BUILT, Flavor.NATIVE))
    # The sample's six holders and the template's Everyone else row: rows 4 to 10.
    last = 3 + len(SAMPLE.holders) + 1
    done = subprocess.run([python, str(ROOT / "tests" / "runtimes" / "lo_insert_holder.py"),
                           str(path), str(last), str(tmp_path / "profile"), str(shares)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["total_formula"] == "=SUM(B4:B12)"  # the inserted row 11 is inside it
    assert found["total_common"] == 138_500_000 + 5_000
    assert found["total_series_m"] == 9_100 + shares
    # The new holder's copied formulas: 100 shares from 10 Jan 2005 to 30 Jun 2007 accrue
    # 100 × $1,000 × 5% × 890/360 = 12,361.11 (§2, 30/360).
    assert found["new_accrued"] == pytest.approx(12_361.11 if shares else 0)
    overall, results = found["checks"][0], found["checks"][2:15]
    # The new holder's 5,000 common were not taken out of the Everyone else row, so the
    # holders now hold 5,000 more than the ledger's 138,500,000 outstanding: that Check counts
    # the inserted row too and says so.
    assert results[8] == "FAILS: off by 5,000"
    assert results[9:] == ["OK"] * 4
    if shares:  # 9,200 outstanding: 100 more than §1 designates, and the Checks say so
        assert overall == "2 of 15 checks FAIL"
        assert results[0] == "FAILS: off by 100"
        assert results[1:8] == ["OK"] * 7
    else:
        assert overall == "1 of 15 checks FAIL"
        assert results[:8] == ["OK"] * 8
