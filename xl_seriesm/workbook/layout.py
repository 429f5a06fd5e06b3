"""How a template sheet looks and prints: measured column widths and row heights, wrapped
text, print setup, the green/red of the Checks, the add-in banner, protection.

The model says what each cell holds; this module decides only how it is shown, from the
text itself: every width and height is measured with the font's metrics
(:mod:`xl_seriesm.workbook.textwidth`) from the text a cell shows, never guessed.

Print: US Letter, landscape when the printed columns are wider than a portrait page, fit to
one page wide, the title and header rows repeated on every page, a footer with the sheet
name, the as-of date and "page x of y", and a print area without helper columns.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from xl_seriesm.workbook import model
from xl_seriesm.workbook.base import Kind, Role
from xl_seriesm.workbook.placed import Placed
from xl_seriesm.workbook.textwidth import (
    px_for_width,
    row_points,
    text_px,
    widest_px,
    width_for_px,
    wrap,
)
from xl_seriesm.xlsx import cellrefs

#: The font of every cell (Excel's default; LibreOffice shows it as metric-equal Carlito).
FONT_NAME, FONT_SIZE, TITLE_SIZE = "Calibri", 11, 14
#: Longest a column of text grows before its cells wrap, in Excel characters; a sheet that is
#: one column of prose (About) may be wider. 34 keeps every sheet of the sample within a
#: Letter page's width at 8 points or more (fit to one page wide scales the 11-point text).
TEXT_COLUMN_MAX, PROSE_COLUMN_MAX = 34, 100
#: Printable width of a US Letter page in portrait, and in landscape, at 0.3-inch margins,
#: in pixels.
PORTRAIT_PX, LANDSCAPE_PX = (8.5 - 2 * 0.3) * 96, (11 - 2 * 0.3) * 96
#: The smallest the 11-point text may print, as the columns' widths estimate it (LibreOffice
#: prints a few tenths of a point smaller): a sheet wider than a landscape page at this size
#: prints on several pages across, its first column (the rows' labels) on each, each page
#: filled to :data:`PAGE_ACROSS_POINTS`.
SMALLEST_PRINT_POINTS, PAGE_ACROSS_POINTS = 8.4, 8.6
#: How much of a page's estimated height a chart's table may fill before it is broken over
#: several pages: LibreOffice prints a few tenths of a point smaller than the estimate (the
#: sample's Waterfall, 0.05% over it, fits one page; a stack's, 5% over, spilt its last row
#: and "Off by a cent" onto a page of their own), so a table 1% over still fits.
TABLE_PAGE_SHARE = 1.01
#: The status cells' texts, the longest of which each must show whole.
STATUS_TEXTS = (model.ALL_OK, "88 of 88 checks FAIL", "Functions not loaded")
#: Space between a right-aligned figure and the text of the next column.
GUTTER_PX = 8
FAILING_TEXT = "FAILS: off by (99,999,999.99)"
AS_OF_FORMAT = '"As of "d mmm yyyy'

BANNER = ("This workbook needs the xl-seriesm functions (SERIESM_*), its calls spelled for "
          "one runtime: the classic xlwings add-in, xlwings Lite or LibreOffice with the "
          "extension (\"seriesm relink BOOK --to classic|lite|calc\" writes a copy for "
          "another). Without them its cells show #NAME? and every status says the functions "
          "are not loaded: open seriesm-captable-native.xlsx beside it instead, which "
          "computes the same figures with Excel's own functions.")

_GREEN_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
_RED_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
_GREEN_FONT = Font(color="006100", bold=True)
_RED_FONT = Font(color="9C0006", bold=True)
_BANNER_FILL = PatternFill("solid", fgColor="FCE4D6")
_BOOL_FORMAT = Kind.BOOL.number_format


@dataclass
class Measured:
    """What the measurement decided for one sheet."""

    widths: dict[int, float] = field(default_factory=dict)  # column -> Excel width
    heights: dict[int, float] = field(default_factory=dict)  # row -> points
    wrapped: set[str] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)
    right: int = 1  # last printed column
    bottom: int = 1  # last printed row
    description_px: float = 0  # width of the merged description row, and its lines
    description_lines: int = 1
    status: list[model.Cell] = field(default_factory=list)  # the as-of date and the status


def shown(cell: model.Cell, number_format: str) -> str:
    """The text a cell shows (its figure through its number format), to measure it."""
    value = cell.expected if cell.computed else cell.value
    if value is None:
        return ""
    kind = type(value)
    if (kind is float or kind is str) and number_format != _BOOL_FORMAT:  # most cells
        return value if kind is str else _figure(value, number_format)  # type: ignore[return-value,arg-type]
    if number_format == AS_OF_FORMAT and isinstance(value, dt.date):
        return f"As of {value.day} {value:%b} {value.year}"
    if isinstance(value, bool) or number_format == _BOOL_FORMAT:
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b} {value.year}"
    if isinstance(value, str):
        return value
    return _figure(float(value), number_format)  # type: ignore[arg-type]


def _figure(number: float, number_format: str) -> str:
    decimals, percent, dollar, brackets, padded = _number_format(number_format)
    if percent:
        return f"{number * 100:,.{decimals}f}%"
    text = f"{abs(number):,.{decimals}f}"
    if dollar:
        text = "$" + text
    return f"({text})" if number < 0 and brackets else (
        f"-{text}" if number < 0 else text + (" " if padded else ""))


@lru_cache(maxsize=256)
def _number_format(number_format: str) -> tuple[int, bool, bool, bool, bool]:
    """What a number format shows of a figure: decimals, as a percentage, with a dollar
    sign, negatives in brackets, a space after positives (to align with the brackets)."""
    section = number_format.split(";")[0]
    decimals = len(section.split(".")[1].rstrip("%_)").replace("#", "0")) if "." in section else 0
    return decimals, "%" in section, "$" in section, "(" in number_format, "_)" in section


def _two_lines(text: str, bold: bool) -> float:
    """Narrowest width (px) that shows ``text`` in at most two lines broken at a space."""
    words = text.split(" ")
    best = text_px(text, FONT_SIZE, bold)
    for cut in range(1, len(words)):
        best = min(best, max(text_px(" ".join(words[:cut]), FONT_SIZE, bold),
                             text_px(" ".join(words[cut:]), FONT_SIZE, bold)))
    return best


def measure(sheet: model.Sheet, where: Placed, banner: bool) -> Measured:
    """Column widths, row heights and wrapping for ``sheet`` from the text of its cells
    (``where``: their places and number formats)."""
    out = Measured()
    helpers = {cellrefs.split(f"{c}1")[0] for c in sheet.helper_columns}
    rows, columns, formats = where.rows, where.columns, where.number_formats
    out.right = max(c for c in set(columns) if c not in helpers)
    out.bottom = max(rows)
    text_columns = {column for cell, column, row in zip(sheet.cells, columns, rows, strict=True)
                    if cell.role in (Role.TEXT, Role.LABEL) and row > 2}
    prose = len(text_columns) == 1 and out.right <= 3
    most = px_for_width(PROSE_COLUMN_MAX if prose else TEXT_COLUMN_MAX)
    need: dict[int, float] = defaultdict(lambda: px_for_width(8))
    lines: dict[int, int] = defaultdict(lambda: 1)
    long_text: list[int] = []
    longest: dict[int, int] = defaultdict(int)
    status_at: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(sheet.cells):
        column, row = columns[index], rows[index]
        role = cell.role
        bold = role is Role.HEADER or role is Role.LABEL
        if role is Role.TITLE or (row == 2 and column == 1):
            if role is Role.TITLE and row == 1 and column == 1:
                status_at[cell.ref] = (column, row)
            continue  # the title overflows along row 1; the description is merged over row 2
        if row == 1 and role is Role.COMPUTED:  # the as-of date and status, right of the title
            out.status.append(cell)
            status_at[cell.ref] = (column, row)
            texts = STATUS_TEXTS if cell.native == "=OverallStatus" else (
                shown(cell, AS_OF_FORMAT),)
            need[column] = max(need[column], *(text_px(t, FONT_SIZE, True) for t in texts))
            continue
        value = cell.expected if role is Role.COMPUTED else cell.value
        number_format = formats[index]
        if type(value) is float and number_format != _BOOL_FORMAT:  # most cells (see shown)
            text = _figure(value, number_format)
        else:
            text = shown(cell, number_format)
        native = cell.native
        if native and role is Role.COMPUTED:
            if '"FAILS' in native:
                text = FAILING_TEXT  # a failing check must show its amount whole too
            elif "checks FAIL" in native:
                text = STATUS_TEXTS[1]
        if role is Role.HEADER:
            need[column] = max(need[column], _two_lines(text, bold))
            continue
        if cell.kind is not Kind.TEXT:
            if len(text) < longest[column]:
                continue  # a figure shorter than one measured already is narrower (tabular
                # digits)
            longest[column] = len(text) - 1  # a comma or point less can still be wider
        # No character is wider than the widest: a text that cannot be wider than what
        # the column needs already changes nothing.
        bound = len(text) * widest_px(FONT_SIZE, bold) * (1 + 1e-9)  # rounding aside
        if bound <= need[column] and (role is not Role.TEXT or bound <= most):
            continue
        width = text_px(text, FONT_SIZE, bold)
        if role is Role.TEXT and width > most:  # prose wraps; a label shows whole
            long_text.append(index)
            width = most
        if width > need[column]:
            need[column] = width
    _fit_title(sheet, need, status_at, out.status)
    for column in [*range(1, out.right + 1), *helpers]:
        out.widths[column] = width_for_px(need[column] + GUTTER_PX)
    wrapping = set(long_text)
    for index, cell in enumerate(sheet.cells):  # now that widths are known: how many lines
        if cell.role is Role.HEADER or index in wrapping:  # each wrapped cell has
            column, row = columns[index], rows[index]
            bold = cell.role in (Role.HEADER, Role.LABEL)
            text = shown(cell, formats[index])
            count = len(wrap(text, px_for_width(out.widths[column]), FONT_SIZE, bold))
            lines[row] = max(lines[row], count)
            if count > 1 or cell.role is Role.HEADER:
                out.wrapped.add(cell.ref)
    description = next((c for c in sheet.cells if c.ref == "A2"), None)
    if description is not None:
        merged_px = sum(px_for_width(out.widths[c]) + 5 for c in range(1, out.right + 1)) - 5
        lines[2] = len(wrap(shown(description, "General"), merged_px, FONT_SIZE)) + (
            len(wrap(BANNER, merged_px, FONT_SIZE, bold=True)) if banner else 0)
        out.description_px, out.description_lines = merged_px, lines[2]
        if out.right > 1:
            out.merged.append(f"A2:{cellrefs.letters(out.right)}2")
        out.wrapped.add("A2")
    for row, count in lines.items():
        if count > 1:
            out.heights[row] = row_points(count, FONT_SIZE)
    out.heights[1] = row_points(1, TITLE_SIZE)
    return out


#: Sheets measured lately: both flavors of a sheet show the same text, so the second flavor
#: reuses the measurement (only the banner's lines differ). Keyed by identity, kept small.
_MEASURED: dict[tuple[int, bool], tuple[model.Sheet, Measured]] = {}


def _measured(sheet: model.Sheet, where: Placed, banner: bool) -> Measured:
    other = _MEASURED.get((id(sheet), not banner))
    if other is not None and other[0] is sheet:
        found = copy.deepcopy(other[1])
        extra = len(wrap(BANNER, found.description_px, FONT_SIZE, bold=True))
        found.description_lines += extra if banner else -extra
        found.heights.pop(2, None)
        if found.description_lines > 1:
            found.heights[2] = row_points(found.description_lines, FONT_SIZE)
    else:
        found = measure(sheet, where, banner)
    if len(_MEASURED) > 32:
        _MEASURED.clear()
    _MEASURED[(id(sheet), banner)] = (sheet, found)
    return found


def _fit_title(sheet: model.Sheet, need: dict[int, float], at: dict[str, tuple[int, int]],
               status_cells: list[model.Cell]) -> None:
    """Widen the columns left of the status cells until the title, which overflows along
    row 1 into them, shows whole."""
    title = next((c for c in sheet.cells if c.role is Role.TITLE and at.get(c.ref) == (1, 1)),
                 None)
    status = [at[c.ref][0] for c in status_cells]
    if title is None or not status:
        return
    before = range(1, min(status))
    room = sum(need[c] + 5 for c in before)
    short = text_px(str(title.value), TITLE_SIZE, bold=True) + 10 - room
    for column in before if short > 0 else ():
        need[column] += short / len(before)


def _numeric_columns(sheet: model.Sheet, where: Placed) -> set[str]:
    """The header cells whose column below holds figures, not text."""
    found = set()
    for index, header in enumerate(sheet.cells):
        if header.role is not Role.HEADER:
            continue
        below = where.index(where.rows[index] + 1, where.columns[index])
        under = None if below is None else sheet.cells[below]
        if under is not None and under.role is not Role.HEADER and under.kind is not Kind.TEXT:
            found.add(header.ref)
    return found


def _pages_across(widths: dict[int, float], right: int) -> int:
    """Pages a sheet prints across: one while its columns fit a landscape page with the text
    at :data:`SMALLEST_PRINT_POINTS` or more; else as many as :data:`PAGE_ACROSS_POINTS`
    takes, the first column repeated on each (a stack of twenty classes: a column or two
    for each)."""
    px = [px_for_width(w) + 5 for c, w in sorted(widths.items()) if c <= right]
    if sum(px) <= LANDSCAPE_PX * FONT_SIZE / SMALLEST_PRINT_POINTS:
        return 1
    page = LANDSCAPE_PX * FONT_SIZE / PAGE_ACROSS_POINTS
    first = px[0] if px else 0
    pages, used = 1, first
    for width in px[1:]:
        if used + width > page:
            pages, used = pages + 1, first
        used += width
    return pages


def _table_breaks(found: Measured, header: int) -> list[int]:
    """Rows to break a chart's table after, so that it prints on whole pages: none when it
    fits one page (as its heights and the fit to one page wide estimate it, with room to
    spare for LibreOffice's slightly smaller print), else as many pages as it takes with the
    rows shared evenly (never a last row or two alone on a page of their own)."""
    printed_px = sum(px_for_width(w) + 5 for c, w in found.widths.items() if c <= found.right)
    landscape = printed_px > PORTRAIT_PX
    width_px, height_pt = (LANDSCAPE_PX, (8.5 - 1.1) * 72) if landscape else (
        PORTRAIT_PX, (11 - 1.1) * 72)
    across = _pages_across(found.widths, found.right)  # fitted to that many pages wide
    scale = min(1.0, across * width_px / printed_px) if printed_px else 1.0

    def points(row: int) -> float:
        return found.heights.get(row, row_points(1, FONT_SIZE))

    titles = sum(points(r) for r in range(1, header + 1))
    page = (height_pt / scale - titles) * TABLE_PAGE_SHARE
    rows = list(range(header + 1, found.bottom + 1))
    table = sum(points(r) for r in rows)
    if table <= page:
        return []
    pages = math.ceil(table / page)
    each = math.ceil(len(rows) / pages)
    return [rows[each * k - 1] for k in range(1, pages)]


def _header_row(sheet: model.Sheet) -> int:
    """The row to repeat on printed pages: the one header row of a table, or the title rows
    when the sheet has several blocks (Terms)."""
    rows = {cellrefs.split(c.ref)[1] for c in sheet.cells if c.role is Role.HEADER}
    return rows.pop() if len(rows) == 1 else 2


def apply(ws: Worksheet, sheet: model.Sheet, where: Placed, flavor_udf: bool,
          as_of: dt.date) -> None:
    """Lay out ``ws`` (already holding ``sheet``'s cells, placed as ``where`` says) for the
    screen and the printer."""
    found = _measured(sheet, where, banner=flavor_udf)
    for column, width in found.widths.items():
        ws.column_dimensions[cellrefs.letters(column)].width = width
    for row, height in found.heights.items():
        ws.row_dimensions[row].height = height
    numeric = _numeric_columns(sheet, where)
    for ref in found.wrapped:
        right_aligned = ref in numeric  # a header over figures sits over their right edge
        ws[ref].alignment = Alignment(wrap_text=True, vertical="top",
                                      horizontal="right" if right_aligned else None)
    for area in found.merged:
        ws.merge_cells(area)
    if flavor_udf:
        _banner(ws)
    for cell in found.status:
        target = ws[cell.ref]
        target.alignment = Alignment(horizontal="right", vertical="top")
        target.font = Font(name=FONT_NAME, bold=True)
        if cell.native == "=AsOfDate":
            target.number_format = AS_OF_FORMAT
        else:
            _green_or_red(ws, cell.ref)
    if sheet.name == model.CHECKS:
        results = [c.ref for c in sheet.cells if c.computed and c.ref.startswith("B")]
        for ref in results:
            _green_or_red(ws, ref)
    right = cellrefs.letters(found.right)
    bottom = found.bottom
    if sheet.chart:  # below the table, inside the printed columns
        for row in _table_breaks(found, _header_row(sheet)):
            ws.row_breaks.append(Break(id=row))
        bottom += 2
        sheet_chart = ws._charts[-1] if ws._charts else None
        if sheet_chart is not None:
            sheet_chart.anchor = f"A{bottom}"
            # The chart starts a page of its own, under the repeated title rows, so it is
            # never cut across two pages whatever the table above it takes.
            ws.row_breaks.append(Break(id=bottom - 1))
            bottom += int(sheet_chart.height / 0.53) + 1  # cm to 15-point rows
    ws.print_area = f"A1:{right}{bottom}"
    if sheet.hidden:  # Excel prints no hidden sheet; LibreOffice skips an empty print area
        ws.print_area = f"A{bottom + 2}"
    ws.print_title_rows = f"1:{_header_row(sheet)}"
    printed_px = sum(px_for_width(w) + 5 for c, w in found.widths.items() if c <= found.right)
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_LETTER
    setup.orientation = "landscape" if printed_px > PORTRAIT_PX else "portrait"
    setup.fitToWidth, setup.fitToHeight = _pages_across(found.widths, found.right), 0
    if setup.fitToWidth > 1:
        ws.print_title_cols = "A:A"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.5, bottom=0.6, header=0.3,
                                  footer=0.3)
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    footer.left.text, footer.left.size = "&A", 9
    footer.center.text = f"Series M cap table as of {as_of.day} {as_of:%B} {as_of.year}"
    footer.center.size = 9
    footer.right.text, footer.right.size = "Page &P of &N", 9
    # Protection stops an accidental overwrite of a formula, not a reader's own layout:
    # widening columns, formatting, sorting and filtering stay allowed. No password.
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False,
                                    formatRows=False, insertRows=False, sort=False,
                                    autoFilter=False)


def _green_or_red(ws: Worksheet, ref: str) -> None:
    """Green when a check (or all of them) holds, red for anything else it shows."""
    holds = f'OR({ref}="OK",{ref}="{model.ALL_OK}")'
    ws.conditional_formatting.add(ref, FormulaRule(formula=[holds], fill=_GREEN_FILL,
                                                   font=_GREEN_FONT, stopIfTrue=True))
    ws.conditional_formatting.add(ref, CellIsRule(operator="notEqual", formula=['""'],
                                                  fill=_RED_FILL, font=_RED_FONT))


def _banner(ws: Worksheet) -> None:
    """The add-in flavor's notice, first in the description row of every sheet."""
    target = ws["A2"]
    description: Any = target.value or ""
    target.value = CellRichText(
        TextBlock(InlineFont(rFont=FONT_NAME, b=True, color="9C0006", sz=FONT_SIZE),
                  BANNER + "\n"),
        TextBlock(InlineFont(rFont=FONT_NAME, sz=FONT_SIZE), str(description)))
    target.fill = _BANNER_FILL
