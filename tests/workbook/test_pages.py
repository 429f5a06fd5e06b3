"""Pages print the same on any machine (issue 23, item 4): no body text under 8 points on a
Letter page, the chart on a page of its own, an empty sheet not printed, and, printed with
the fallback LibreOffice takes where Carlito is missing, every cell's text read apart from
its neighbour's."""

from __future__ import annotations

import collections
import itertools
import os
import re
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest

from tests.conftest import require_libreoffice
from tests.pdftext import font_names, pages_text
from xl_seriesm import libreoffice
from xl_seriesm.captable.events import read_events
from xl_seriesm.cli import screenshots
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.core.stack import Kind, Participation, StackClass
from xl_seriesm.workbook import from_ledger, layout, model
from xl_seriesm.workbook.placed import placed
from xl_seriesm.workbook.writer import Flavor, workbook_bytes
from xl_seriesm.xlsx import cellrefs

pytestmark = pytest.mark.libreoffice
LEDGER = Path(__file__).resolve().parents[2] / "docs" / "example-ledger.csv"
#: fontconfig without Carlito: LibreOffice then shows Calibri in its fallback (DejaVu Sans).
NO_CARLITO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*arlito*</glob></rejectfont></selectfont>
</fontconfig>
"""


def _print(built: model.Workbook, folder: Path, flavor: Flavor = Flavor.NATIVE) -> Path:
    require_libreoffice()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / flavor.filename
    path.write_bytes(workbook_bytes(built, flavor))
    return libreoffice.to_pdf([path], folder / "pdf")[0]


def _body_points(pdf: Path) -> list[float]:
    """Each page's body text size: the size most of its letters and digits have."""
    sizes = []
    for page in pypdfium2.PdfDocument(pdf):
        text = page.get_textpage()
        count: collections.Counter[float] = collections.Counter()
        for index in range(text.count_chars()):
            if chr(pdfium_raw.FPDFText_GetUnicode(text, index)).isalnum():
                count[round(pdfium_raw.FPDFText_GetFontSize(text, index), 1)] += 1
        sizes.append(count.most_common(1)[0][0])
    return sizes


@pytest.mark.parametrize("flavor", list(Flavor))
def test_no_body_text_under_8_points_on_letter(tmp_path: Path, flavor: Flavor) -> None:
    pdf = _print(model.build(SAMPLE), tmp_path, flavor)
    sheets = screenshots.page_sheets(pdf)
    small = [(sheet, size) for sheet, size in zip(sheets, _body_points(pdf), strict=True)
             if size < 8]
    assert not small, small
    width, height = pypdfium2.PdfDocument(pdf)[0].get_size()
    assert {round(width), round(height)} == {612, 792}  # US Letter, in points


def test_the_chart_has_a_page_of_its_own_and_empty_events_do_not_print(tmp_path: Path) -> None:
    pdf = _print(model.build(SAMPLE), tmp_path)
    sheets = screenshots.page_sheets(pdf)
    assert model.EVENTS not in sheets  # the sample has no ledger of events
    document = pypdfium2.PdfDocument(pdf)
    pages = [" ".join(document[i].get_textpage().get_text_range().split())
             for i, sheet in enumerate(sheets) if sheet == model.WATERFALL]
    assert len(pages) == 2
    assert "100,000,000.00" in pages[0]  # the last exit value, with the table
    assert "Payout against exit value" in pages[1]
    assert "100,000,000.00" not in pages[1]
    with_events = from_ledger.cap_table(read_events(LEDGER), SAMPLE.as_of_date.replace(
        year=2006, month=6, day=30), None, SAMPLE.settings)
    assert model.EVENTS in screenshots.page_sheets(_print(model.build(with_events),
                                                          tmp_path / "events"))


def _neighbours(built: model.Workbook) -> dict[str, set[str]]:
    """Per sheet, the text of each cell run together with the next non-empty cell's on its
    row (its last word and the next one's first), as a misprint would read."""
    found: dict[str, set[str]] = {}
    for sheet in built.sheets:
        if sheet.hidden:
            continue
        formats = placed(sheet).number_formats
        rows: dict[int, dict[int, str]] = collections.defaultdict(dict)
        for cell, number_format in zip(sheet.cells, formats, strict=True):
            column, row = cellrefs.split(cell.ref)
            if row == 1 or cell.role is model.Role.TITLE or (row == 2 and column == 1):
                continue
            text = layout.shown(cell, number_format).strip()
            if text and "\n" not in text:
                rows[row][column] = text
        joined = set()
        for cells in rows.values():
            ordered = [cells[c] for c in sorted(cells)]
            for left, right in itertools.pairwise(ordered):
                pair = left.split()[-1] + right.split()[0]
                if len(pair) >= 6:
                    joined.add(pair)
        found[sheet.name] = joined
    return found


@pytest.mark.parametrize("ledger", [False, True])
def test_printed_with_the_fallback_font_every_text_reads_apart(tmp_path: Path,
                                                               ledger: bool) -> None:
    cap = (from_ledger.cap_table(read_events(LEDGER), SAMPLE.as_of_date.replace(
        year=2006, month=6, day=30), None, SAMPLE.settings) if ledger else SAMPLE)
    built = model.build(cap)
    config = tmp_path / "fonts.conf"
    config.write_text(NO_CARLITO, encoding="utf-8")
    saved = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(config)
    try:
        pdf = _print(built, tmp_path / "fallback")
    finally:
        if saved is None:
            os.environ.pop("FONTCONFIG_FILE")
        else:
            os.environ["FONTCONFIG_FILE"] = saved
    fonts = font_names(pdf)
    assert fonts
    assert not any("Carlito" in name for name in fonts), fonts  # the fallback printed it
    text = " ".join(pages_text(pdf))
    assert "###" not in text  # no figure too wide for its column
    squashed = " ".join(text.split())
    # A word of its own: not the tail of a longer figure (105,000,000 holds 05,000,000).
    merged = {sheet: sorted(p for p in pairs if re.search(
        rf"(?<![\w,.$]){re.escape(p)}(?![\w,.%])", squashed)) for sheet, pairs in
        _neighbours(built).items()}
    assert not any(merged.values()), merged


def test_the_capital_stack_sheet_prints_at_8_points_or_more(tmp_path: Path) -> None:
    from tests.workbook.test_templates import WITH_STACK  # noqa: PLC0415

    pdf = _print(model.build(WITH_STACK), tmp_path)
    sizes = dict(zip(screenshots.page_sheets(pdf), _body_points(pdf), strict=True))
    assert sizes["stack"] >= 8  # the sheet "Capital stack", named by its last word
    assert sizes[model.VALUATION] >= 8  # every class valued: the stack's Valuation sheet


def _wide_stack() -> tuple[StackClass, ...]:
    """Twenty classes: preferred (some capped), warrants and option pools."""
    from fractions import Fraction as F  # noqa: PLC0415, N817

    classes = []
    for i in range(20):
        if i % 4 == 3:
            classes.append(StackClass(f"Pool {i}", Kind.OPTION, F(1_000_000),
                                      strike=F(10 + i, 100)))
        elif i % 4 == 2:
            classes.append(StackClass(f"Warrant {i}", Kind.WARRANT, F(500_000),
                                      strike=F(30 + i, 100)))
        else:
            capped = i % 5 == 0
            classes.append(StackClass(f"Series {chr(65 + i)}", Kind.PREFERRED, F(1_000_000),
                                      F(1 + i, 2), 1 + i % 3,
                                      Participation.CAPPED if capped else Participation.NONE,
                                      F(3) if capped else None, F(1)))
    return tuple(classes)


def test_a_stack_of_twenty_classes_prints_at_8_points_across_pages(tmp_path: Path) -> None:
    # The Waterfall and Valuation sheets grow a column or two a class: fitted to one page
    # wide they printed at 4.2 and 4.5 points. Wider than a landscape page at 8.4 points,
    # a sheet prints across pages, its first column (the exit value, the labels) on each.
    from dataclasses import replace  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415

    built = model.build(replace(SAMPLE, stack=_wide_stack()))
    pdf = _print(built, tmp_path)
    sheets = screenshots.page_sheets(pdf)
    sizes = list(zip(sheets, _body_points(pdf), strict=True))
    # The chart's own page excepted: its legend and axes are the chart's, not the table's.
    document = pypdfium2.PdfDocument(pdf)
    small = [(sheet, size) for index, (sheet, size) in enumerate(sizes) if size < 8
             and "Payout against exit value" not in document[index].get_textpage()
             .get_text_range()]
    assert not small, sizes
    assert sheets.count(model.WATERFALL) > 2
    assert sheets.count(model.VALUATION) > 1
    book = openpyxl.load_workbook(tmp_path / Flavor.NATIVE.filename)
    for name in (model.WATERFALL, model.VALUATION):
        assert book[name].page_setup.fitToWidth > 1
        assert book[name].print_title_cols == "$A:$A"
    assert book[model.HOLDERS].page_setup.fitToWidth == 1


def _exit_rows(page: str) -> int:
    """Rows of the Waterfall's table on a printed page: lines that start with an exit value
    in dollars and cents (0.00, 10,000,000.00, ...)."""
    return sum(1 for line in page.splitlines() if re.match(r"\s*\d[\d,]*\.\d\d\b", line))


@pytest.mark.parametrize("case", ["sample stack", "ledger", "twenty classes"])
def test_the_waterfall_table_prints_on_whole_pages(tmp_path: Path, case: str) -> None:
    # With a stack the Waterfall's 41 exit rows and its "Off by a cent" line printed one row
    # and that line alone on a page (the sample stack's table ran 5% past a portrait page):
    # the table is now broken evenly, so each of its pages holds a share of the rows and
    # "Off by a cent" sits under the last of them, never alone.
    from dataclasses import replace  # noqa: PLC0415

    from tests.workbook.test_template_exit import STACK  # noqa: PLC0415
    from xl_seriesm.cli import main  # noqa: PLC0415

    if case == "twenty classes":
        built = model.build(replace(SAMPLE, stack=_wide_stack()))
        pdf = _print(built, tmp_path)
    else:
        require_libreoffice()
        more = (["--events", str(LEDGER.parent / "example-classes-ledger.csv"), "--as-of",
                 "2006-06-30", "--market-price", "0.18"] if case == "ledger" else [])
        assert main(["template", "--out", str(tmp_path), "--stack", str(STACK), "--flavor",
                     "native", *more]) == 0
        pdf = libreoffice.to_pdf([tmp_path / Flavor.NATIVE.filename], tmp_path / "pdf")[0]
    sheets, texts = screenshots.page_sheets(pdf), pages_text(pdf)
    pages = [(_exit_rows(text), "Off by a cent" in text)
             for sheet, text in zip(sheets, texts, strict=True) if sheet == model.WATERFALL]
    table = [page for page in pages if page[0]]  # the chart's page has none
    # Across several pages wide each page repeats the exit values: every page has rows,
    # and the page with "Off by a cent" has a share of them.
    assert table, pages
    assert min(rows for rows, _ in table) >= 10, pages
    with_off = [rows for rows, off in table if off]
    assert with_off, pages
    assert min(with_off) >= 10, pages
