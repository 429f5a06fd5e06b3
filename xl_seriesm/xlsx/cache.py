"""Storing computed values in a workbook as its cached values, the way Excel saves them.

openpyxl cannot write a cached value beside a formula, so this works on the file's XML:
each formula cell keeps its formula and gets a ``<v>`` holding the value (with the cell type
Excel uses: none for numbers, ``b`` for booleans, ``str`` for text, ``e`` for errors), and
the cells an array formula fills, which a file written by openpyxl does not contain, are
added. Every other part of the file is copied byte for byte; so is every other cell of a
sheet when its XML is plain and has all the cells (:func:`xl_seriesm.xlsx.cells.rewrite`),
else the sheet is rewritten through lxml.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from xl_seriesm.xlsx import cellrefs, cells
from xl_seriesm.xlsx.values import CellError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> the zip member holding its XML."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), _PARSER)
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), _PARSER)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PACKAGE_RELS}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(_q("sheet")):
        target = targets[sheet.get(f"{{{RELS}}}id")]
        parts[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                    else posixpath.normpath(posixpath.join("xl", target)))
    return parts


def cached_text(value: object) -> tuple[str | None, str]:
    """The cell type attribute and the ``<v>`` text of a value."""
    if isinstance(value, CellError):
        return "e", value.code
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, (int, float)):
        number = float(value)
        whole = number.is_integer() and abs(number) < 1e15
        return None, str(int(number)) if whole else repr(number)
    return "str", "" if value is None else str(value)


def _set(cell: etree._Element, value: object) -> None:
    kind, text = cached_text(value)
    for old in cell.findall(_q("v")) + cell.findall(_q("is")):
        cell.remove(old)
    if kind is None:
        cell.attrib.pop("t", None)
    else:
        cell.set("t", kind)
    v = etree.Element(_q("v"))
    v.text = text
    formula = cell.find(_q("f"))
    if formula is not None:
        formula.addnext(v)
    else:
        cell.insert(0, v)


def _rewrite(xml: bytes, values: Mapping[str, object]) -> bytes:
    fast = cells.rewrite(xml, {ref: cached_text(value) for ref, value in values.items()})
    if fast is not None:  # every cell was there, in plain XML: only those cells changed
        return fast
    root = etree.fromstring(xml, _PARSER)
    data = root.find(_q("sheetData"))
    rows = {int(r.get("r")): r for r in data.findall(_q("row"))}
    by_row: dict[int, dict[str, object]] = defaultdict(dict)
    for ref, value in values.items():
        by_row[cellrefs.split(ref)[1]][ref] = value
    for number, row_values in sorted(by_row.items()):
        row = rows.get(number)
        if row is None:
            row = etree.Element(_q("row"), r=str(number))
            later = [n for n in rows if n > number]
            if later:
                rows[min(later)].addprevious(row)
            else:
                data.append(row)
            rows[number] = row
        row.attrib.pop("spans", None)  # a hint only, and stale once cells are added
        existing = {c.get("r"): c for c in row.findall(_q("c"))}
        for ref, value in sorted(row_values.items(),
                                 key=lambda item: cellrefs.split(item[0])[0]):
            cell = existing.get(ref)
            if cell is None:
                cell = etree.Element(_q("c"), r=ref)
                column = cellrefs.split(ref)[0]
                after = [c for r, c in existing.items() if cellrefs.split(r)[0] > column]
                if after:
                    min(after, key=lambda c: cellrefs.split(c.get("r"))[0]).addprevious(cell)
                else:
                    row.append(cell)
                existing[ref] = cell
            _set(cell, value)
    _update_dimension(root, data)
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)
    return written


def _update_dimension(root: etree._Element, data: etree._Element) -> None:
    refs = [cellrefs.split(c.get("r")) for c in data.iter(_q("c")) if c.get("r")]
    dimension = root.find(_q("dimension"))
    if not refs or dimension is None:
        return
    low_col = min(c for c, _ in refs)
    high_col = max(c for c, _ in refs)
    low_row = min(r for _, r in refs)
    high_row = max(r for _, r in refs)
    dimension.set("ref", f"{cellrefs.letters(low_col)}{low_row}:"
                         f"{cellrefs.letters(high_col)}{high_row}")


def with_cached_values(source: Path, values: Mapping[tuple[str, str], object]) -> bytes:
    """The bytes of ``source`` with ``values`` stored as the cached values of those cells."""
    per_sheet: dict[str, dict[str, object]] = defaultdict(dict)
    for (sheet, ref), value in values.items():
        per_sheet[sheet][ref] = value
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w") as target:
        parts = {part: per_sheet[title] for title, part in sheet_parts(archive).items()
                 if title in per_sheet}
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename in parts:
                data = _rewrite(data, parts[info.filename])
            clone = zipfile.ZipInfo(info.filename, info.date_time)
            clone.compress_type = info.compress_type
            clone.external_attr = info.external_attr
            target.writestr(clone, data)
    return out.getvalue()
