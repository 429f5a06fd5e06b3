"""The template's sheets read from the model as they are written (workbook/sheet_cells.py) give
the bytes of the general path, where every cell is a plain entry of the sheet and the cached
values a mapping (which tests/workbook/test_sheetxml.py holds to openpyxl's own bytes): in
both flavors, with and without cached values, with a stack, and when a merge replaces a
cell that has a cached value (the cache pass then writes the sheet again through lxml)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from tests.workbook.test_templates import WITH_STACK
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.workbook import model
from xl_seriesm.workbook.base import Kind, Role, Sheet, Workbook
from xl_seriesm.workbook.writer import Flavor, render, to_bytes
from xl_seriesm.xlsx import sheetxml


def _general_path(built: model.Workbook, flavor: Flavor, cache: bool) -> bytes:
    """The book written with each sheet's cells turned into plain entries first."""
    wb = render(built, flavor, cache)
    cached: dict[str, dict[str, object]] = {}
    for ws in wb.worksheets:
        assert isinstance(ws, sheetxml.DeferredSheet)
        assert ws.source is not None
        cached[ws.title] = sheetxml._materialise(ws, ws.source)
        assert ws.source is None
        assert ws.entries
    return to_bytes(wb, cached)


@pytest.mark.parametrize("flavor", list(Flavor))
@pytest.mark.parametrize("cache", [True, False], ids=["cached", "no cache"])
@pytest.mark.parametrize("cap", [SAMPLE, WITH_STACK], ids=["sample", "stack"])
def test_the_model_read_as_written_gives_the_general_paths_bytes(
        flavor: Flavor, cache: bool, cap: object) -> None:
    built = model.build(cap)  # type: ignore[arg-type]
    streamed = to_bytes(render(built, flavor, cache))
    assert streamed == _general_path(built, flavor, cache)


def _merged_over_a_figure() -> Workbook:
    """A sheet whose description row (merged across the printed columns) also holds a
    computed cell: the merge replaces it with an empty cell, but it has a cached value."""
    sheet = Sheet("Odd")
    sheet.add("A1", Role.TITLE, Kind.TEXT, "A title")
    sheet.text("A2", "A description, merged over the row")
    sheet.add("C2", Role.COMPUTED, Kind.MONEY, udf="=1+1", native="=1+1", expected=2.0)
    sheet.add("A4", Role.HEADER, Kind.TEXT, "Amount")
    sheet.add("A5", Role.INPUT, Kind.MONEY, 1250.5)
    sheet.add("B5", Role.INPUT, Kind.DATE, date(2005, 1, 10))
    sheet.add("C5", Role.COMPUTED, Kind.MONEY, udf="=A5*2", native="=A5*2", expected=2501.0)
    return Workbook([sheet], {}, date(2007, 6, 30))


@pytest.mark.parametrize("flavor", list(Flavor))
def test_a_cached_cell_under_a_merge_takes_the_general_path(flavor: Flavor) -> None:
    built = _merged_over_a_figure()
    wb = render(built, flavor, cache=True)
    ws = wb.worksheets[0]
    assert isinstance(ws, sheetxml.DeferredSheet)
    assert ws.source is not None
    assert sheetxml._source_reparsed(ws, ws.source)  # C2 is an empty merged cell now
    written = to_bytes(wb)
    assert written == _general_path(built, flavor, cache=True)
    sheet = zipfile.ZipFile(io.BytesIO(written)).read("xl/worksheets/sheet1.xml")
    assert sheet.startswith(b"<?xml version='1.0'")  # written again by lxml
    assert b'<c r="C2"><v>2</v></c>' in sheet  # the figure kept in the merged cell
