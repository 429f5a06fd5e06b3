"""Rendering the template model as .xlsx with openpyxl, in either flavor.

Both flavors come from the same model, so they have the same sheets, cells, formats,
validations and defined names; only the formulas differ. Files are written atomically (a
failure leaves no half-written workbook) and reproducibly: the same inputs give the same
bytes, so a committed workbook can be checked against what the code would write now.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xl_seriesm.workbook import layout, model
from xl_seriesm.workbook.base import Kind, Role
from xl_seriesm.workbook.placed import placed
from xl_seriesm.workbook.sheet_cells import SheetCells
from xl_seriesm.xlsx import cellrefs, sheetxml
from xl_seriesm.xlsx.cache import sheet_parts, with_cached_values


class Flavor(Enum):
    UDF = "udf"
    NATIVE = "native"

    @property
    def filename(self) -> str:
        return "seriesm-captable.xlsx" if self is Flavor.UDF else "seriesm-captable-native.xlsx"


_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_INPUT_FONT = Font(name=layout.FONT_NAME, size=layout.FONT_SIZE, color="0000FF")
_BOLD = Font(name=layout.FONT_NAME, size=layout.FONT_SIZE, bold=True)
_TITLE = Font(name=layout.FONT_NAME, size=layout.TITLE_SIZE, bold=True)
_UNLOCKED = Protection(locked=False)
_TOP = Alignment(vertical="top")  # a wrapped neighbour must not push a cell's text down
_UNDERLINE = Border(bottom=Side(style="thin"))


def _style(target: Any, cell: model.Cell, number_format: str) -> None:
    target.alignment = _TOP
    if cell.kind is not Kind.TEXT:
        target.number_format = number_format
    if cell.role is Role.INPUT:
        target.fill, target.font, target.protection = _INPUT_FILL, _INPUT_FONT, _UNLOCKED
    elif cell.role is Role.HEADER:
        target.font, target.fill, target.border = _BOLD, _HEADER_FILL, _UNDERLINE
    elif cell.role is Role.TITLE:
        target.font = _TITLE
    elif cell.role is Role.LABEL:
        target.font = _BOLD


#: Values openpyxl types without side effects (a date adds a number format to the workbook).
_PLAIN = frozenset((type(None), float, int, bool, str, ArrayFormula))


def _write_sheet(ws: sheetxml.DeferredSheet, sheet: model.Sheet, flavor: Flavor,
                 as_of: Any, cache: bool) -> None:
    """Give ``ws`` the cells of ``sheet`` in ``flavor`` (with the core's figures as cached
    values when ``cache``), its validations, chart and layout."""
    where = placed(sheet)
    cells = SheetCells(ws, sheet, where, flavor is Flavor.UDF, cache)
    # The first cell of each look is styled through openpyxl, which adds its font, fill and
    # format to the workbook's lists in the order they come; every other cell of that look
    # shares its style. The cells themselves are read from the model as they are written.
    styles: list[Any] = [None] * len(where.look_keys)
    rows, columns, looks, formats = where.rows, where.columns, where.looks, where.number_formats
    udf = flavor is Flavor.UDF
    for index, cell in enumerate(sheet.cells):
        look = looks[index]
        if styles[look] is None:
            value, as_text = cells.value(cell, rows[index], columns[index])
            target = ws.stand_in(value, as_text)
            _style(target, cell, formats[index])
            styles[look] = target._style
        elif (type(cell.value) not in _PLAIN and not (cell.udf if udf else cell.native)
              and type(value := cells.value(cell, rows[index], columns[index])[0])
              not in _PLAIN):
            ws.typed(value)  # in the order openpyxl would meet it (see _PLAIN)
    if not all(any(style) for style in styles):
        raise AssertionError(f"{sheet.name}: a look without a style")  # see Source
    cells.styles = styles
    ws.source = cells
    ws.freeze_panes = sheet.freeze
    for rule in sheet.validations:
        validation = DataValidation(type=rule.kind, formula1=rule.formula, allow_blank=False,
                                    showErrorMessage=True, promptTitle="Input",
                                    prompt=rule.prompt or None, showInputMessage=bool(rule.prompt))
        if rule.kind in ("decimal", "date", "whole"):
            validation.operator = "between"
            validation.formula1 = _bound(rule.minimum)
            validation.formula2 = _bound(rule.maximum)
            if rule.maximum is None:
                validation.operator, validation.formula2 = "greaterThanOrEqual", None
        validation.add(rule.ranges)
        ws.add_data_validation(validation)
    if sheet.chart:
        ws.add_chart(_chart(ws, sheet.chart), sheet.chart.anchor)
    # Computed cells are locked (the layout protects the sheet); widths, print setup, colours.
    layout.apply(ws, sheet, where, flavor is Flavor.UDF, as_of)


def _bound(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "toordinal"):
        return f"DATE({value.year},{value.month},{value.day})"  # type: ignore[attr-defined]
    return str(value)


def _chart(ws: Worksheet, spec: model.Chart) -> ScatterChart:
    chart = ScatterChart()
    chart.title = "Payout against exit value (§3)"
    chart.height, chart.width = 10, 16
    chart.x_axis.title = "Exit value ($)"
    chart.y_axis.title = "Payout ($)"
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False  # LibreOffice and some Excels hide the axes otherwise
        axis.number_format = '#,##0,,"M"'
        axis.scaling.min = 0
    chart.x_axis.scaling.max = spec.x_max
    chart.legend.position = "b"
    first, last = spec.x_rows
    x_values = Reference(ws, min_col=1, min_row=first, max_row=last)
    lines: list[tuple[Reference, Reference, str, str, str | None]] = [
        (Reference(ws, min_col=cellrefs.split(f"{column}1")[0], min_row=first,
                   max_row=last), x_values, title, colour, None)
        for (column, title), colour in zip(spec.series, _COLOURS, strict=False)]
    low, high = spec.marker_rows
    x_column, y_column = (cellrefs.split(f"{c}1")[0] for c in spec.marker_columns)
    lines.append((Reference(ws, min_col=y_column, min_row=low, max_row=high),
                  Reference(ws, min_col=x_column, min_row=low, max_row=high), "Breakpoint",
                  "7F7F7F", "dash"))
    for values, xs, title, colour, dash in lines:
        series = Series(values, xs, title=title)
        series.marker.symbol = "none"
        series.smooth = False
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575  # 2.25 pt
        if dash:
            series.graphicalProperties.line.dashStyle = dash
        chart.series.append(series)
    return chart


#: The chart's lines: the Series M and the common first (the template without a stack), then
#: one colour per class of the stack.
_COLOURS = ("1F4E79", "C55A11", "548235", "BF8F00", "7030A0", "00B050", "C00000", "00B0F0",
            "FF66CC", "375623", "833C0B", "404040") * 4


def render(workbook: model.Workbook, flavor: Flavor, cache: bool = False) -> OpenpyxlWorkbook:
    """The openpyxl workbook of one flavor; its formula cells carry the core's figures as
    their cached values when ``cache`` (:func:`workbook_bytes`)."""
    wb = OpenpyxlWorkbook()
    wb.remove(wb.active)
    for sheet in workbook.sheets:
        ws = sheetxml.DeferredSheet(wb, sheet.name)
        wb._add_sheet(ws)
        _write_sheet(ws, sheet, flavor, workbook.as_of, cache)
        if sheet.hidden:
            ws.sheet_state = "hidden"
    for name, target in workbook.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    # The native flavor recomputes on opening; the add-in flavor opens with the core's
    # figures cached (workbook_bytes) and keeps them until it recalculates with the add-in.
    wb.calculation.fullCalcOnLoad = flavor is Flavor.NATIVE
    if flavor is Flavor.UDF:
        # Excel recalculates on opening a file last calculated by an older Excel (openpyxl
        # says 2007's 124519); this says Excel 365's engine, so the cached figures stay.
        wb.calculation.calcId = 191029
    return wb


def with_values(data: bytes, values: dict[tuple[str, str], object]) -> bytes:
    """``data`` (a workbook) with ``values`` stored as the cached values of those cells."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        path.write_bytes(data)
        return with_cached_values(path, values)


def workbook_bytes(built: model.Workbook, flavor: Flavor, cache: bool | None = None) -> bytes:
    """The file of one flavor. Both flavors' formula cells carry the core's figure as their
    cached value (unless ``cache`` is False): a reader without the add-in, pandas, or a
    viewer that does not calculate sees the figures instead of #NAME? or blanks, and
    ``seriesm regress`` of a freshly written book passes. The native flavor still computes
    itself on opening."""
    return to_bytes(render(built, flavor, cache is not False))


# Fixed timestamps inside the file make the output reproducible byte for byte.
_FIXED_ZIP_TIME = (2005, 1, 10, 0, 0, 0)
_FIXED_CORE_TIME = "2005-01-10T00:00:00Z"
_TIMESTAMP = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def to_bytes(wb: OpenpyxlWorkbook,
             cached: Mapping[str, Mapping[str, object]] | None = None) -> bytes:
    """The file of ``wb``, with ``cached`` (sheet -> ref -> value) stored as the cached
    values of those cells of its deferred sheets, as :func:`with_values` stores them."""
    per_sheet = cached or {}
    deferred = [ws for ws in wb.worksheets if isinstance(ws, sheetxml.DeferredSheet)]
    # In the order openpyxl writes the sheets, which numbers their styles.
    prepared = {ws.title: sheetxml.prepare(ws, per_sheet.get(ws.title)) for ws in deferred}
    raw = io.BytesIO()
    with sheetxml.emptied(deferred, {title: p.dimension for title, p in prepared.items()}):
        wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {part: prepared[title] for title, part in sheet_parts(source).items()
                 if title in prepared}
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _TIMESTAMP.sub(rf"\g<1>{_FIXED_CORE_TIME}\g<2>", data.decode()).encode()
            member = zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            if info.filename in parts:  # the rows written into the zip as they come
                with target.open(member, "w") as stream:
                    sheetxml.write(stream, data, parts[info.filename])
            else:
                target.writestr(member, data)
    return out.getvalue()
