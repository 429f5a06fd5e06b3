"""What a workbook holds, read from its XML without computing anything: the formula cells,
their cached values, and every cell whose formula would read outside the file.

Read by a byte-level scan of each sheet (:mod:`xl_seriesm.xlsx.cells`) when its XML is in
the plain form spreadsheets write, else by one streaming lxml pass (``iterparse``, entities
never resolved, no network); either way a sheet costs memory in proportion to its cells, and
whole-column references are never expanded here (LibreOffice computes them over the used
area).

Reading outside the file means: an external reference (``[1]Sheet1!A1``, a path such as
``'/dir/[book.xlsx]Sheet1'!A1`` or ``'../x.xlsx'#$Sheet1.A1``), a defined name that is one,
a DDE link (``app|topic!item``), or a function that fetches (WEBSERVICE, RTD, DDE, CALL,
REGISTER, REGISTER.ID, SQL.REQUEST). A data connection or a web query part makes the whole
book read outside it. None of these is ever followed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from xl_seriesm.engine import CellError, CellRef, Value
from xl_seriesm.xlsx import cellrefs, cells

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

#: Excel's own limit on a formula's length (characters); a longer one is refused unread.
MAX_FORMULA_CHARS = 8192

_STRINGS = re.compile(r'"(?:[^"]|"")*"')
_QUOTED_BOOK = re.compile(r"'((?:[^']|'')*)'!")
_BRACKET_BOOK = re.compile(r"(?<![A-Za-z0-9_.\]\[])\[[^\]\[]+\][A-Za-z0-9_.]*!")
_FETCHING = re.compile(r"(?<![A-Za-z0-9_.])(WEBSERVICE|RTD|DDE|CALL|REGISTER|REGISTER\.ID|"
                       r"SQL\.REQUEST)\s*\(", re.IGNORECASE)
_MARKS = ("|", "'", "[", "WEBSERVICE", "RTD", "DDE", "CALL", "REGISTER", "SQL.REQUEST")
#: Parts that link a book to data outside it.
_LINKED_PARTS = (("xl/connections.xml", "a data connection"),
                 ("xl/queryTables/", "a web or database query"))


class BookError(ValueError):
    """The workbook cannot be read as an .xlsx, or is past a documented limit."""


def outside_reason(formula: str, external_names: frozenset[str] = frozenset()) -> str | None:
    """Why a formula would read outside its file, or None when it does not."""
    if not external_names:  # the marks every test below needs; most formulas have none
        upper = formula.upper()
        if not any(mark in upper for mark in _MARKS):
            return None
    text = _STRINGS.sub('""', formula)
    if "|" in text:
        return "a DDE link"
    for match in _QUOTED_BOOK.finditer(text):
        if any(mark in match[1] for mark in "[]/\\:"):
            return f"an external reference ({match[0]})"
    bracket = _BRACKET_BOOK.search(_QUOTED_BOOK.sub("'x'!", text))
    if bracket:
        return f"an external reference ({bracket[0]})"
    fetching = _FETCHING.search(text)
    if fetching:
        return f"{fetching[1].upper()}, which fetches data from outside the file"
    for name in external_names:
        if re.search(rf"(?<![A-Za-z0-9_.]){re.escape(name)}(?![A-Za-z0-9_.(])", text,
                     re.IGNORECASE):
            return f"the name {name}, an external reference"
    return None


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class Sheet:
    title: str
    part: str
    #: Every cell a formula computes, with that formula ("=..."; "{=...}" for an array
    #: formula's cells; a shared formula's master text for the cells that share it).
    formulas: dict[str, str] = field(default_factory=dict)
    cached: dict[str, Value] = field(default_factory=dict)


@dataclass
class Book:
    path: Path
    sheets: list[Sheet]
    #: (sheet, cell) -> why its formula reads outside the file.
    outside: dict[CellRef, str]
    #: Why the whole book reads outside it (a data connection, a query), if it does.
    linked: list[str]

    def formula_cells(self) -> Iterator[tuple[CellRef, str]]:
        for sheet in self.sheets:
            for ref, formula in sheet.formulas.items():
                yield (sheet.title, ref), formula

    @property
    def formula_count(self) -> int:
        return sum(len(s.formulas) for s in self.sheets)


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, zip member) of every worksheet, in the workbook's order."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), _parser())
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), _parser())
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PACKAGE_RELS}}}Relationship")}
    found = []
    for sheet in workbook.iter(_q("sheet")):
        target = targets.get(sheet.get(f"{{{RELS}}}id"))
        if target is None:
            continue
        part = (target.lstrip("/") if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target)))
        if part in archive.NameToInfo:
            found.append((sheet.get("name"), part))
    return found


def _external_names(archive: zipfile.ZipFile) -> frozenset[str]:
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), _parser())
    names = set()
    for defined in workbook.iter(_q("definedName")):
        if defined.text and outside_reason(defined.text) is not None:
            names.add(defined.get("name", ""))
    return frozenset(n for n in names if n)


def _cached(kind: str | None, text: str | None, inline: str | None) -> Value:
    if kind == "inlineStr":
        return inline or ""
    if not text:  # no <v>, or an empty one (an XML parser reads both as no text)
        return None
    if kind == "b":
        return text.strip() == "1"
    if kind == "e":
        return CellError(text.strip())
    if kind in ("str", "s"):  # a formula's text result ("s" would index shared strings)
        return text
    try:
        return float(text)
    except ValueError:
        return text


def _parsed_cells(xml: bytes) -> Iterator[cells.Cell]:
    """The cells of a sheet an XML parser reads (for sheets the byte scan leaves to it)."""
    for _, cell in etree.iterparse(io.BytesIO(xml), events=("end",), tag=_q("c"),
                                   resolve_entities=False, no_network=True, load_dtd=False,
                                   huge_tree=True):
        ref = cell.get("r")
        formula = cell.find(_q("f"))
        value = cell.find(_q("v"))
        inline = cell.find(_q("is"))
        if ref is not None:
            yield cells.Cell(ref, cell.get("t"),
                             None if formula is None else formula.text or "",
                             {} if formula is None else dict(formula.attrib),
                             None if value is None else value.text or "",
                             None if inline is None else "".join(inline.itertext()))
        cell.clear()
        while cell.getprevious() is not None:
            del cell.getparent()[0]


def _read_sheet(archive: zipfile.ZipFile, title: str, part: str, names: frozenset[str],
                outside: dict[CellRef, str], path: Path) -> Sheet:
    sheet = Sheet(title, part)
    masters: dict[str, str] = {}
    arrays: list[tuple[str, str]] = []
    xml = archive.read(part)
    scanned = cells.scan(xml)
    for cell in _parsed_cells(xml) if scanned is None else scanned:
        ref = cell.ref
        if cell.formula is not None or cell.value is not None or cell.inline is not None:
            sheet.cached[ref] = _cached(cell.kind, cell.value, cell.inline)
        if cell.formula is None:
            continue
        text = cell.formula
        if len(text) > MAX_FORMULA_CHARS:
            raise BookError(f"{path}: {title}!{ref} has a formula of {len(text):,} "
                            f"characters, more than Excel's limit of "
                            f"{MAX_FORMULA_CHARS:,}; refused unread")
        kind = cell.formula_attrs.get("t")
        if kind == "shared":
            index = cell.formula_attrs.get("si", "")
            if text:
                masters[index] = text
            text = masters.get(index, text)
        shown = f"={text}"
        if kind == "array":
            shown = f"{{={text}}}"
            arrays.append((cell.formula_attrs.get("ref") or ref, shown))
        sheet.formulas[ref] = shown
        reason = outside_reason(text, names)
        if reason:
            outside[(title, ref)] = reason
    for area, shown in arrays:
        anchor = area.split(":")[0]
        for ref in cellrefs.cells(area):
            sheet.formulas.setdefault(ref, shown)
            sheet.cached.setdefault(ref, None)
            if (title, anchor) in outside:
                outside.setdefault((title, ref), outside[(title, anchor)])
    return sheet


def read(path: Path) -> Book:
    """The formula cells, cached values and outside reads of an .xlsx (preflighted first)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = _external_names(archive)
            outside: dict[CellRef, str] = {}
            sheets = [_read_sheet(archive, title, part, names, outside, path)
                      for title, part in sheet_parts(archive)]
            linked = sorted({what for name in archive.namelist()
                             for prefix, what in _LINKED_PARTS if name.startswith(prefix)})
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as error:
        raise BookError(f"{path}: not a readable workbook ({type(error).__name__}: {error})"
                        ) from None
    return Book(path, sheets, outside, linked)


def column_runs(refs: list[str]) -> list[str]:
    """The cells as few ranges as it takes: runs of consecutive rows in each column."""
    by_column: dict[int, list[int]] = {}
    for ref in refs:
        column, row = cellrefs.split(ref)
        by_column.setdefault(column, []).append(row)
    ranges = []
    for column, rows in sorted(by_column.items()):
        rows.sort()
        start = previous = rows[0]
        letters = cellrefs.letters(column)
        for row in [*rows[1:], -1]:  # -1 closes the last run
            if row == previous + 1:
                previous = row
                continue
            ranges.append(f"{letters}{start}" if start == previous
                          else f"{letters}{start}:{letters}{previous}")
            start = previous = row
    return ranges


_ADDIN_PREFIX = re.compile(rb"SERIESM_", re.IGNORECASE)
_F_ELEMENT = re.compile(rb"(<(?:[A-Za-z0-9_]+:)?f\b[^>]*>)(.*?)(</(?:[A-Za-z0-9_]+:)?f>)",
                        re.DOTALL)


def for_libreoffice(path: Path, sheet_members: list[str], names: dict[str, str]) -> bytes:
    """The workbook's bytes with each add-in function called by the name LibreOffice knows
    it by (its .xlsx import does not map an add-in's Excel name: tested on 7.4, #NAME?).
    Only formula text changes, and only in memory; the file itself is never written."""
    if not names:
        return path.read_bytes()
    pattern = re.compile(rb"(?<![A-Za-z0-9_.])(?:_xludf\.)?(" +
                         b"|".join(re.escape(n.encode()) for n in names) + rb")\s*\(",
                         re.IGNORECASE)
    wanted = {n.upper().encode(): v.encode() for n, v in names.items()}

    def rename(match: re.Match[bytes]) -> bytes:
        body = pattern.sub(lambda m: wanted[m[1].upper()] + b"(", match[2])
        return match[1] + body + match[3]

    with zipfile.ZipFile(path) as archive:
        calling = {}
        for member in sheet_members:
            data = archive.read(member)
            # Most sheets of most books call none; a literal finds that fast (every add-in
            # name starts with SERIESM_).
            if _ADDIN_PREFIX.search(data) and pattern.search(data):
                calling[member] = _F_ELEMENT.sub(rename, data)
        if not calling:
            return path.read_bytes()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in archive.infolist():
                data = calling.get(info.filename) or archive.read(info)
                target.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()
