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

import html
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
#: Excel writes a newer function as _xlfn.NAME (and a worksheet function as _xlws.NAME).
_PREFIX = r"(?<![A-Za-z0-9_.])(?:_xlfn\.|_xlws\.)?"
_FETCHING = re.compile(_PREFIX + r"(WEBSERVICE|RTD|DDE|CALL|REGISTER|REGISTER\.ID|"
                       r"SQL\.REQUEST|FILTERXML|IMAGE)\s*\(", re.IGNORECASE)
_INDIRECT = re.compile(_PREFIX + r"INDIRECT\s*\(\s*", re.IGNORECASE)
#: What INDIRECT may be given: a literal reference inside the workbook ("B3", "Sheet2!A1:B9",
#: "'My Sheet'!$A$1", "A:A", "3:3", "R2C3"), nothing computed, no other file.
_COLUMN_ROW = r"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}|\$?[A-Za-z]{1,3}|\$?[0-9]{1,7}"
_LITERAL_REFERENCE = re.compile(
    r"(?:(?:'(?:[^'\[\]/\\:?*]|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?"
    rf"(?:(?:{_COLUMN_ROW})(?::(?:{_COLUMN_ROW}))?|R[0-9]{{1,7}}C[0-9]{{1,5}})")
_MARKS = ("|", "'", "[", "WEBSERVICE", "RTD", "DDE", "CALL", "REGISTER", "SQL.REQUEST",
          "INDIRECT", "FILTERXML", "IMAGE")
#: Parts that link a book to data outside it.
_LINKED_PARTS = (("xl/connections.xml", "a data connection"),
                 ("xl/queryTables/", "a web or database query"))
#: Formulas of conditional formats and data validations (after the cells, in extLst too).
_RULE_FORMULA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?(?:formula|formula1|formula2|f))"
                           rb"(?:\s[^>]*)?>([^<]*)</\1>")


class BookError(ValueError):
    """The workbook cannot be read as an .xlsx, or is past a documented limit."""


_ADDIN_CALL = re.compile(r"(?<![A-Za-z0-9_.])(?:_xludf\.)?(SERIESM_[A-Z0-9_]+)\s*\(",
                         re.IGNORECASE)
_WHOLE = re.compile(r"(?<![A-Za-z0-9_.$:])\$?(?:[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|[0-9]{1,7}:\$?"
                    r"[0-9]{1,7})(?![A-Za-z0-9_.(:])")


def whole_range_in_addin_call(formula: str, whole_names: dict[str, str] | None = None
                              ) -> tuple[str, str] | None:
    """(function, range) when a SERIESM_ function is given a whole column or row (A:A,
    3:3), directly or through a defined name that stands for one (``whole_names``: name →
    the range it covers): LibreOffice would hand the add-in all 1,048,576 cells of it
    (1.2 GB for one book in the audit), not the used area."""
    if "SERIESM_" not in formula.upper() or (":" not in formula and not whole_names):
        return None
    text = _STRINGS.sub(lambda m: '"' + " " * (len(m[0]) - 2) + '"', formula)
    for call in _ADDIN_CALL.finditer(text):
        depth, end = 1, call.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        whole = _WHOLE.search(text, call.end(), end)
        if whole:
            return call[1].upper(), whole[0]
        for name, covered in (whole_names or {}).items():
            if _name_used(name, text[call.end():end]):
                return call[1].upper(), f"{covered} (the name {name})"
    return None


def _name_used(name: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_.]){re.escape(name)}(?![A-Za-z0-9_.(])", text,
                     re.IGNORECASE) is not None


def whole_range_names(texts: dict[str, str]) -> dict[str, str]:
    """The defined names (name → text) that stand for a whole column or row, directly or
    through another such name (followed until nothing changes), with the range each covers."""
    names: dict[str, str] = {}
    while True:
        found = {}
        for name, text in texts.items():
            if not name or name in names:
                continue
            whole = _WHOLE.search(_STRINGS.sub('""', text))
            if whole:
                found[name] = whole[0]
            else:
                used = next((n for n in names if _name_used(n, text)), None)
                if used is not None:
                    found[name] = names[used]
        if not found:
            return names
        names.update(found)


def _indirect_reason(formula: str) -> str | None:
    """Why an INDIRECT of the formula could read outside the file: its argument is not a
    literal reference inside the workbook (a path, a computed text, a cell's content)."""
    position = 0
    while True:
        # The next INDIRECT( that is not inside a string.
        match = None
        for found in _INDIRECT.finditer(formula, position):
            if formula.count('"', 0, found.start()) % 2 == 0:
                match = found
                break
        if match is None:
            return None
        literal = _STRINGS.match(formula, match.end())
        after = formula[literal.end():].lstrip()[:1] if literal else ""
        if literal is None or after not in (",", ")"):
            return ("INDIRECT of a computed reference, which could name another file; only "
                    'a literal reference inside the workbook, as INDIRECT("Sheet2!A1"), is '
                    "computed")
        target = literal[0][1:-1].replace('""', '"').strip()
        if not _LITERAL_REFERENCE.fullmatch(target):
            return (f'INDIRECT("{target[:60]}"), not a reference inside the workbook; only '
                    'a literal one, as INDIRECT("Sheet2!A1"), is computed')
        position = literal.end()


def outside_reason(formula: str, external_names: frozenset[str] | dict[str, str] = frozenset()
                   ) -> str | None:
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
        name = fetching[1].upper()
        if name == "FILTERXML":
            return "FILTERXML, whose XML can name files and addresses outside the file"
        return f"{name}, which fetches data from outside the file"
    if "INDIRECT" in text.upper():
        indirect = _indirect_reason(formula)
        if indirect:
            return indirect
    for name in external_names:
        if _name_used(name, text):
            why = external_names.get(name) if isinstance(external_names, dict) else None
            return f"the name {name}" + (f", which is {why}" if why else
                                         ", an external reference")
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


def _defined_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each defined name of the book with its text."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), _parser())
    return {d.get("name", ""): d.text or "" for d in workbook.iter(_q("definedName"))}


def _external_names(texts: dict[str, str]) -> dict[str, str]:
    """Every defined name that reads outside the file, with why. A name that uses such a
    name does too (followed until nothing changes)."""
    names: dict[str, str] = {}
    while True:
        found = {name: why for name, text in texts.items() if name and name not in names
                 and (why := outside_reason(text, names)) is not None}
        if not found:
            return names
        names.update(found)


def _rule_formulas(xml: bytes) -> Iterator[tuple[str, str]]:
    """(where, formula) of each conditional format and data validation of a sheet: they
    follow the cells (and sit in its extLst), so only the bytes after them are searched."""
    end = xml.rfind(b"sheetData>")
    tail = xml[end:] if end >= 0 else xml
    if b"formula" not in tail and b":f>" not in tail:
        return
    for match in _RULE_FORMULA.finditer(tail):
        before = tail[:match.start()]
        kind = ("data validation" if before.rfind(b"<dataValidation") >
                before.rfind(b"<cfRule") else "conditional format")
        yield kind, html.unescape(match[2].decode("utf-8", "replace"))


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


def _read_sheet(archive: zipfile.ZipFile, title: str, part: str, names: dict[str, str],
                whole_names: dict[str, str],
                outside: dict[CellRef, str], path: Path) -> Sheet:
    sheet = Sheet(title, part)
    masters: dict[str, str] = {}
    arrays: list[tuple[str, str]] = []
    xml = archive.read(part)
    for number, (rule, formula) in enumerate(_rule_formulas(xml), start=1):
        why = outside_reason(formula, names)
        if why:
            outside[(title, f"({rule} {number})")] = why
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
        whole = whole_range_in_addin_call(text, whole_names)
        if whole:
            raise BookError(f"{path}: {title}!{ref} gives {whole[0]} the whole "
                            f"{'row' if whole[1].lstrip('$')[0].isdigit() else 'column'} "
                            f"{whole[1]}, which would hand the add-in every one of its cells "
                            "(a million); give the rows in use, as A2:A500; refused")
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
            defined = _defined_names(archive)
            names = _external_names(defined)
            whole_names = whole_range_names(defined)
            outside: dict[CellRef, str] = {}
            sheets = [_read_sheet(archive, title, part, names, whole_names, outside, path)
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


def for_libreoffice(path: Path, sheet_members: list[str], names: dict[str, str],
                    compressed: bool = False) -> bytes:
    """The workbook's bytes with each add-in function called by the name LibreOffice knows
    it by (its .xlsx import does not map an add-in's Excel name: tested on 7.4, #NAME?).
    Only formula text changes, and only in memory; the file itself is never written.
    Stored uncompressed for the engine (read once, from memory), ``compressed`` for a copy
    written to disk."""
    if not names:
        return path.read_bytes()
    # Any runtime's spelling (xl_seriesm.excel.runtimes): the classic add-in's bare name,
    # Excel's _xludf. for a function it does not know, xlwings Lite's _xldudf_XLW_.
    pattern = re.compile(rb"(?<![A-Za-z0-9_.])(?:_xludf\.|_xldudf_XLW_)?(" +
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
                target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED if compressed
                                else zipfile.ZIP_STORED)
    return out.getvalue()
