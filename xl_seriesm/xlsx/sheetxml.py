"""A template sheet's cells written as sheet XML directly, byte for byte as openpyxl would.

A cap table of 10,000 holders has about 270,000 cells over both flavors. An openpyxl
``Cell`` per cell, written through openpyxl's incremental XML writer and then read again to
store the cached values, took most of the time ``seriesm template`` needs. Here a sheet
keeps no object per cell: its cells are plain (data type, value, style) entries, or come
from a :class:`Source` that reads them from the template model as they are written (the
template's way: no per-cell memory at all); the few cells the layout touches become real
openpyxl cells when it asks for them. :func:`prepare` numbers the styles as openpyxl would;
:func:`write` streams the ``<sheetData>`` element, with the cached values already in it,
into the zip member between the rest of the sheet's XML as openpyxl wrote it, a batch of
rows at a time. The bytes are those openpyxl wrote and, for a sheet with cached values,
those :mod:`xl_seriesm.xlsx.cache` makes of them (in place, or through lxml when a cell must
be added): tests/workbook/test_sheetxml.py compares them, and the drift tests compare the
committed workbooks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Iterator, Mapping
from contextlib import contextmanager
from copy import copy
from typing import IO, Any, NamedTuple, Protocol

from lxml import etree
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xl_seriesm.xlsx import cellrefs
from xl_seriesm.xlsx.cache import cached_text

#: One cell: openpyxl's data type ("n", "s", "f", "b", "d", "e"), its value, its style.
Entry = tuple[str, Any, StyleArray]
#: One cell as the sheet's XML has it: row, column, data type, value, style, whether it has
#: a cached value, and that value.
Written = tuple[int, int, str, Any, StyleArray, bool, object]
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_LONGEST_TEXT = 32767  # openpyxl cuts a longer string here
_NO_ROW = 1 << 31  # after every row


class Source(Protocol):
    """The cells of a sheet, held elsewhere and typed as openpyxl types them only when they
    are written: a sheet of 300,000 cells then never holds an entry per cell. Every style is
    a non-empty one (a style attribute), shared by the cells of one look. A value openpyxl
    types with a side effect (a date adds a number format to the workbook) must have been
    typed once (:meth:`DeferredSheet.typed`), in its order, before the book is saved."""

    def bounds(self) -> list[tuple[int, int]]:
        """The first row and column and the last row and column of the cells (none when
        there are no cells)."""

    def first_places(self, held: Container[tuple[int, int]],
                     ) -> Iterator[tuple[int, int, StyleArray]]:
        """Row, column and style of the first cell (by row, then column) of each style,
        leaving out the cells in ``held`` (which openpyxl holds instead)."""

    def cells(self) -> Iterator[Written]:
        """Each cell, by row, then column."""

    def at(self, row: int, column: int) -> Written | None:
        """The cell at ``row``, ``column``, if there is one."""


class DeferredSheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose cells stay plain entries (or in a :class:`Source`) until something
    asks for one."""

    def __init__(self, parent: Any, title: str) -> None:
        super().__init__(parent, title)
        self.entries: dict[tuple[int, int], Entry] = {}
        self.source: Source | None = None
        self.dimension: str | None = None

    def put(self, row: int, column: int, value: object, style: StyleArray,
            as_text: bool = False) -> None:
        """Keep a cell holding ``value`` (a string as text, never a formula, with
        ``as_text``) in ``style``, typed as openpyxl types it."""
        data_type, typed = self.typed(value, as_text)
        self.entries[(row, column)] = (data_type, typed, style)

    def typed(self, value: object, as_text: bool = False) -> tuple[str, Any]:
        """openpyxl's data type for ``value`` and the value it stores."""
        kind = type(value)
        if value is None or kind is float or kind is int:
            return "n", value
        if kind is bool:
            return "b", value
        if kind is str and _storable(value):  # type: ignore[arg-type]
            return _string_type(value, as_text), value  # type: ignore[arg-type]
        if kind is ArrayFormula:
            return "f", value
        # dates and the rest: openpyxl decides (a date adds its number format)
        cell = self.stand_in(value, as_text)
        return cell.data_type, cell._value

    def stand_in(self, value: object, as_text: bool = False) -> Cell:
        """A cell outside the sheet holding ``value``, typed and styled by openpyxl."""
        cell = Cell(self)
        cell.value = value
        if as_text:
            cell.data_type = "s"
        return cell

    def keep(self, row: int, column: int, cell: Cell) -> None:
        """Keep ``cell`` (a :meth:`stand_in`) at ``row``, ``column``."""
        self.entries[(row, column)] = (cell.data_type, cell._value, cell._style)

    def _get_cell(self, row: int, column: int) -> Cell:
        entry = self.entries.pop((row, column), None)
        if entry is None and self.source is not None:
            held = self.source.at(row, column)
            entry = None if held is None else held[2:5]
        if entry is not None and (row, column) not in self._cells:
            data_type, value, style = entry
            cell = Cell(self, row=row, column=column)
            cell._value, cell.data_type, cell._style = value, data_type, copy(style)
            self._add_cell(cell)
        found: Cell = super()._get_cell(row, column)
        return found

    def calculate_dimension(self) -> str:
        return self.dimension or str(super().calculate_dimension())

    def all_entries(self) -> dict[tuple[int, int], Entry]:
        """Every cell, the plain ones and those openpyxl holds (its cells win, as a merged
        range replaces the cells it covers)."""
        found = dict(self.entries)
        for key, cell in self._cells.items():
            found[key] = (cell.data_type, cell._value, cell._style)
        return found


def _storable(text: str) -> bool:
    """Whether openpyxl stores ``text`` as it is (not cut short, no character it refuses)."""
    return len(text) <= _LONGEST_TEXT and ILLEGAL_CHARACTERS_RE.search(text) is None


plain_text = _storable


def _string_type(text: str, as_text: bool) -> str:
    """openpyxl's data type for a string: a formula, an error code or text."""
    if as_text:
        return "s"
    if len(text) > 1 and text.startswith("="):
        return "f"
    return "e" if text in ERROR_CODES else "s"


def _escape(text: str, ascii_only: bool) -> str:
    """Text as XML, the way lxml writes it (non-ASCII as character references when
    ``ascii_only``, as openpyxl's writer does)."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace("\r", "&#13;")
    if ascii_only and not text.isascii():
        return text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text


def _attribute(text: str) -> str:
    return _escape(text, True).replace('"', "&quot;").replace("\n", "&#10;").replace(
        "\t", "&#9;")


def _element(tag: str, text: str | None, reparsed: bool, attributes: str = "") -> str:
    """An element holding ``text``: openpyxl's writer never closes an empty element itself;
    lxml, writing a parsed file again, does."""
    if not text and reparsed:
        return f"<{tag}{attributes}/>"
    return f"<{tag}{attributes}>{_escape(text or '', not reparsed)}</{tag}>"


def _cell(ref: str, style: str, data_type: str, value: Any, reparsed: bool,
          cached: tuple[bool, object]) -> str:
    """One ``<c>``, as openpyxl writes it or (``reparsed``) as lxml writes it again; with
    ``cached`` (whether there is one, the value) as the cache pass leaves it: the formula
    as it was, the value in UTF-8."""
    head = f'<c r="{ref}"{style}'
    if data_type == "d":
        data_type, value = "n", to_excel(value)
    formula = ""
    if data_type == "f":
        if isinstance(value, ArrayFormula):
            attributes = "".join(f' {k}="{_attribute(v)}"' for k, v in dict(value).items())
            formula = _element("f", str(value.text)[1:], reparsed, attributes)
        else:
            formula = _element("f", str(value)[1:], reparsed)
    if cached[0]:
        kind, text = cached_text(cached[1])
        kind_attribute = "" if kind is None else f' t="{kind}"'
        return f"{head}{kind_attribute}>{formula}<v>{_escape(text, False)}</v></c>"
    kind_attribute = {"s": ' t="inlineStr"', "f": ""}.get(data_type, f' t="{data_type}"')
    if value is None or (isinstance(value, str) and value == ""):
        return f"{head}{kind_attribute}/>" if reparsed else f"{head}{kind_attribute}></c>"
    if data_type == "f":
        body = formula + _element("v", None, reparsed)
    elif data_type == "s" and isinstance(value, CellRichText):
        body = etree.tostring(value.to_tree(), encoding="unicode" if reparsed else "ascii")
        body = body if isinstance(body, str) else body.decode("ascii")
    elif data_type == "s":
        space = ' xml:space="preserve"' if value != value.strip() else ""
        body = f"<is>{_element('t', value, reparsed, space)}</is>"
    elif type(value) is float and math.isfinite(value):  # most cells: no escaping needed
        body = "<v>%.16g</v>" % value  # noqa: UP031 - openpyxl's own format
    else:
        body = _element("v", safe_string(value), reparsed)
    return f"{head}{kind_attribute}>{body}</c>"


class Prepared(NamedTuple):
    """A sheet's cells made ready to write: its dimension, whether lxml writes the sheet
    again (see :func:`splice`), and its rows as text, one string a row (:func:`texts`)."""

    ws: DeferredSheet
    cells: Callable[[], Iterator[Written]]
    style_ids: dict[int, str]
    dimension: str
    reparsed: bool
    empty: bool  # no rows at all

    def texts(self) -> Iterator[str]:
        """The ``<sheetData>`` element, a row at a time."""
        if self.empty and self.reparsed:
            yield "<sheetData/>"
            return
        yield "<sheetData>"
        yield from _rows(self)
        yield "</sheetData>"


def prepare(ws: DeferredSheet, cached: Mapping[str, object] | None) -> Prepared:
    """Number the styles of ``ws``'s cells (in the order openpyxl numbers them: row by row)
    and decide how its XML is written. ``cached``: the cached values to store (ref -> value);
    a sheet with a :class:`Source` takes its own."""
    values = cached or {}
    source = ws.source
    if source is not None and values:
        raise ValueError("a sheet with a source of cells takes its cached values from it")
    if source is not None and _source_reparsed(ws, source):
        values = _materialise(ws, source)
        source = None
    styles = ws.parent._cell_styles  # filled in the order openpyxl fills it: row by row
    style_ids: dict[int, str] = {}  # the cells of one look share one style object
    if source is not None:
        cells = _merged(ws, source)
        held = ws._cells
        # Each style the first time it comes, by row then column: the first cell of each
        # style of the source's, and every cell openpyxl holds.
        firsts = sorted([*source.first_places(held),
                         *((row, column, cell._style) for (row, column), cell in held.items())],
                        key=lambda place: place[:2])
        for _, _, style in firsts:
            if id(style) not in style_ids:
                style_ids[id(style)] = f' s="{styles.add(style)}"' if any(style) else ""
        dimension = _dimension([*source.bounds(), *held])
        return Prepared(ws, cells, style_ids, dimension, False, False)
    entries = ws.all_entries()
    # The cache pass stores values in place, byte for byte, when each of their cells is in
    # the sheet; otherwise it adds the missing ones through lxml, which writes the whole
    # sheet again in its own way.
    reparsed = False
    for ref in values:
        column, row = cellrefs.split(ref)
        entry = entries.get((row, column))
        if entry is None or (entry[1] is None and not any(entry[2])):
            reparsed = True
        if entry is None:
            entries[(row, column)] = ("n", None, StyleArray())
    written: list[tuple[int, int]] = []
    for row, column in sorted(entries):
        style = entries[(row, column)][2]
        attribute = style_ids.get(id(style))
        if attribute is None:
            attribute = style_ids[id(style)] = (f' s="{styles.add(style)}"' if any(style)
                                                else "")
        ref = cellrefs.letters(column) + str(row)
        if entries[(row, column)][1] is not None or attribute or ref in values:
            written.append((row, column))

    def listed() -> Iterator[Written]:
        for row, column in sorted(entries):
            data_type, value, style = entries[(row, column)]
            ref = cellrefs.letters(column) + str(row)
            yield row, column, data_type, value, style, ref in values, values.get(ref)

    dimension = _dimension(written if reparsed and written else list(entries))
    return Prepared(ws, listed, style_ids, dimension, reparsed,
                    not entries and not ws.row_dimensions)


def _source_reparsed(ws: DeferredSheet, source: Source) -> bool:
    """Whether a cell of ``source`` with a cached value was replaced by an empty openpyxl
    cell (a merge does that), so that the cache pass would add it through lxml."""
    for (row, column), cell in ws._cells.items():
        found = source.at(row, column)
        if found is not None and found[5] and cell._value is None and not any(cell._style):
            return True
    return False


def _materialise(ws: DeferredSheet, source: Source) -> dict[str, object]:
    """``source``'s cells as plain entries of ``ws`` (the general path), and their cached
    values."""
    values: dict[str, object] = {}
    for row, column, data_type, value, style, is_cached, cached in source.cells():
        if is_cached:
            values[cellrefs.letters(column) + str(row)] = cached
        if (row, column) not in ws._cells:
            ws.entries[(row, column)] = (data_type, value, style)
    ws.source = None
    return values


def _merged(ws: DeferredSheet, source: Source) -> Callable[[], Iterator[Written]]:
    """Every cell as :func:`_rows` writes it, by row then column: the source's, and the cells
    openpyxl holds (which replace the source's in their places)."""
    def cells() -> Iterator[Written]:
        held = ws._cells
        extra = sorted(held)
        at = 0

        def openpyxl_cell(key: tuple[int, int]) -> Written:
            cell = held[key]
            found = source.at(*key)
            is_cached, cached = (found[5], found[6]) if found is not None else (False, None)
            return key[0], key[1], cell.data_type, cell._value, cell._style, is_cached, cached

        next_row = extra[0][0] if extra else _NO_ROW
        for written in source.cells():
            if written[0] < next_row:  # nearly every cell: none of openpyxl's before it
                yield written
                continue
            key = (written[0], written[1])
            while at < len(extra) and extra[at] < key:
                yield openpyxl_cell(extra[at])
                at += 1
            if at < len(extra) and extra[at] == key:  # openpyxl's cell in its place
                yield openpyxl_cell(key)
                at += 1
            else:
                yield written
            next_row = extra[at][0] if at < len(extra) else _NO_ROW
        for key in extra[at:]:
            yield openpyxl_cell(key)
    return cells


def _rows(prepared: Prepared) -> Iterator[str]:
    """Each ``<row>`` of the sheet, in order: the rows of its cells and the rows given a
    height or other attributes without cells."""
    ws, style_ids, reparsed = prepared.ws, prepared.style_ids, prepared.reparsed
    dimensions = ws.row_dimensions
    bare = sorted(dimensions)  # rows with attributes, with or without cells
    next_bare = 0
    current = 0
    inside: list[str] = []
    row_text = ""
    letters = cellrefs.letters
    for row, column, data_type, value, style, is_cached, cached in prepared.cells():
        if row != current:
            if current:
                yield _row(dimensions, current, inside, reparsed)
            while next_bare < len(bare) and bare[next_bare] < row:
                yield _row(dimensions, bare[next_bare], [], reparsed)
                next_bare += 1
            if next_bare < len(bare) and bare[next_bare] == row:
                next_bare += 1
            current, inside, row_text = row, [], str(row)
        style_attribute = style_ids[id(style)]
        if value is None and not style_attribute and not is_cached:
            continue  # openpyxl leaves out an empty cell without a style
        ref = letters(column) + row_text
        # The two shapes most cells have, as _cell writes them, without its detours.
        if data_type == "f" and type(value) is str and not reparsed:
            formula = f"<f>{_escape(value[1:], True)}</f>"
            if is_cached and type(cached) is float:  # as cached_text writes a number
                text = (str(int(cached)) if cached.is_integer() and abs(cached) < 1e15
                        else repr(cached))
                inside.append(f'<c r="{ref}"{style_attribute}>{formula}<v>{text}</v></c>')
            elif is_cached:
                kind, text = cached_text(cached)
                kind_attribute = "" if kind is None else f' t="{kind}"'
                inside.append(f'<c r="{ref}"{style_attribute}{kind_attribute}>{formula}'
                              f"<v>{_escape(text, False)}</v></c>")
            else:
                inside.append(f'<c r="{ref}"{style_attribute}>{formula}<v></v></c>')
        elif (type(value) is float and data_type == "n" and not is_cached
              and math.isfinite(value)):
            inside.append(f'<c r="{ref}"{style_attribute} t="n"><v>{value:.16g}</v></c>')
        elif value is None and is_cached and type(cached) is float and data_type == "n":
            text = str(int(cached)) if cached.is_integer() and abs(cached) < 1e15 else repr(cached)
            inside.append(f'<c r="{ref}"{style_attribute}><v>{text}</v></c>')  # as _cell
        else:
            inside.append(_cell(ref, style_attribute, data_type, value, reparsed,
                                (is_cached, cached)))
    if current:
        yield _row(dimensions, current, inside, reparsed)
    for row in bare[next_bare:]:
        yield _row(dimensions, row, [], reparsed)


def _row(dimensions: Any, row: int, cells: list[str], reparsed: bool) -> str:
    attributes = {"r": str(row), **dict(dimensions.get(row, {}))}
    head = "<row" + "".join(f' {k}="{_attribute(v)}"' for k, v in attributes.items())
    inside = "".join(cells)
    return f"{head}>{inside}</row>" if inside or not reparsed else f"{head}/>"


def sheet_data(ws: DeferredSheet, cached: Mapping[str, object] | None,
               ) -> tuple[str, str, bool]:
    """The ``<sheetData>`` element of ``ws`` whole, the sheet's dimension, and whether the
    sheet is one lxml writes again (see :func:`prepare`)."""
    prepared = prepare(ws, cached)
    return "".join(prepared.texts()), prepared.dimension, prepared.reparsed


def _dimension(cells: list[tuple[int, int]]) -> str:
    if not cells:
        return "A1:A1"
    rows = [row for row, _ in cells]
    columns = [column for _, column in cells]
    return (f"{cellrefs.letters(min(columns))}{min(rows)}:"
            f"{cellrefs.letters(max(columns))}{max(rows)}")


@contextmanager
def emptied(sheets: list[DeferredSheet], dimensions: dict[str, str]) -> Iterator[None]:
    """While openpyxl writes the rest of each sheet: no cells or rows, the given dimension."""
    kept = [(ws, ws._cells, ws.row_dimensions, ws.entries, ws.source) for ws in sheets]
    try:
        for ws in sheets:
            ws._cells, ws.row_dimensions, ws.entries, ws.source = {}, {}, {}, None
            ws.dimension = dimensions[ws.title]
        yield
    finally:
        for ws, cells, row_dimensions, entries, source in kept:
            ws._cells, ws.row_dimensions, ws.entries = cells, row_dimensions, entries
            ws.source = source
            ws.dimension = None


def around(part: bytes, reparsed: bool) -> tuple[bytes, bytes]:
    """A sheet's XML as openpyxl wrote it without cells (as lxml writes it again when
    ``reparsed``): what comes before its empty sheetData and what comes after."""
    if reparsed:
        root = etree.fromstring(part, _PARSER)
        part = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        empty = b"<sheetData/>"
    else:
        empty = b"<sheetData></sheetData>"
    if part.count(empty) != 1:
        raise AssertionError(f"a sheet written by openpyxl has no empty {empty!r}")
    head, _, tail = part.partition(empty)
    return head, tail


def splice(part: bytes, data: str, reparsed: bool) -> bytes:
    """A sheet's XML as openpyxl wrote it without cells, with ``data`` as its sheetData; as
    lxml writes it again when ``reparsed``."""
    head, tail = around(part, reparsed)
    return head + data.encode("utf-8") + tail  # ASCII but for cached values


def write(stream: IO[bytes], part: bytes, prepared: Prepared, batch: int = 2000) -> None:
    """The sheet's XML into ``stream``: ``part`` as openpyxl wrote it without cells, with the
    rows of ``prepared`` as its sheetData, ``batch`` rows at a time (never the whole sheet's
    text at once)."""
    head, tail = around(part, prepared.reparsed)
    stream.write(head)
    rows: list[str] = []
    for text in prepared.texts():
        rows.append(text)
        if len(rows) >= batch:
            stream.write("".join(rows).encode("utf-8"))  # ASCII but for cached values
            rows.clear()
    stream.write("".join(rows).encode("utf-8"))
    stream.write(tail)
