"""A worksheet's cells read and rewritten at the byte level, when the sheet's XML is in the
plain form spreadsheets write; ``None`` otherwise, and the caller parses it with lxml.

Why: a 10,000-holder book is 20 MB of sheet XML and 230,000 cells. Building and walking an
lxml element per cell took 6 s to read it and 8 s to store its values (the soffice that
computes it takes 2); one regular expression per cell takes a fraction of that.

When it is safe: XML text cannot hold a ``<`` (it must be ``&lt;``), and neither can an
attribute value, so every ``<c``, ``<f`` and ``<v`` in the bytes is a tag. The scan is
accepted only when every such tag was read as part of a cell, the sheet is UTF-8 in the
main SpreadsheetML namespace with no prefix, and there is no comment, CDATA section or
processing instruction (``<!`` or ``<?`` past the declaration) that an XML parser would read
differently. The preflight has already parsed the part whole with expat, so it is
well-formed and declares no entities.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple
from xml.sax.saxutils import escape

_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_ATTRS = rb'(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|\'[^\']*\'))*\s*'
_FORMULA = re.compile(rb"<f(" + _ATTRS + rb")(?:/>|>([^<]*)</f>)")
_VALUE = re.compile(rb"<v" + _ATTRS + rb"(?:/>|>([^<]*)</v>)")
_INLINE = re.compile(rb"<is" + _ATTRS + rb"(?:/>|>.*?</is>)", re.DOTALL)
_INLINE_TEXT = re.compile(rb"<t" + _ATTRS + rb"(?:/>|>([^<]*)</t>)")
_ATTR = re.compile(rb'([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_TAG_ENDS = (b" ", b"\t", b"\n", b"\r", b"/", b">")

_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:worksheet|sheetData|row|c|f|v|is)[\s/>]")
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_REFERENCE = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _tags(xml: bytes, name: bytes) -> int:
    """How many ``<name`` tags the bytes hold (the name followed by a space, / or >)."""
    return sum(xml.count(b"<" + name + end) for end in _TAG_ENDS)


class Cell(NamedTuple):
    ref: str
    kind: str | None            # the c element's t attribute
    formula: str | None         # the f element's text ("" when it has none)
    formula_attrs: dict[str, str]
    value: str | None           # the v element's text
    inline: str | None          # an inline string's text


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "\r" in text:  # XML reads a line end of CR LF or CR as LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REFERENCE.sub(_unescape, text) if "&" in text else text


def _unescape(match: re.Match[str]) -> str:
    if match[3]:
        return _NAMED[match[3]]
    return chr(int(match[1], 16)) if match[1] else chr(int(match[2]))


def _attrs(raw: bytes) -> dict[str, str]:
    return {m[1].decode(): _text(m[2] if m[2] is not None else m[3])
            for m in _ATTR.finditer(raw)}


def plain(xml: bytes) -> bool:
    """Whether the byte-level scan reads this sheet exactly as an XML parser would."""
    declaration = _DECLARATION.match(xml)
    if declaration:
        encoding = _ENCODING.search(declaration[0])
        if encoding and encoding[1].lower() not in (b"utf-8", b"utf8"):
            return False
    rest = xml[declaration.end():] if declaration else xml
    return (_MAIN in xml[:4096] and b"<!" not in rest and b"<?" not in rest
            and not rest.startswith((b"\xfe\xff", b"\xff\xfe"))
            and _PREFIXED.search(xml) is None)


# The shape nearly every cell has (openpyxl, Excel and LibreOffice write the attributes in
# this order), read by one match with no attribute parsing; any other cell by the general
# alternative. Groups: ref, t, "<f" if there is a formula, its attributes, its text, "<v>",
# its text, "<is>" if there is an inline string of one run, its text; then, for any other
# cell, "<c", its attributes, its body.
_COMMON_CELL = (rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="[0-9]+")?(?: t="([A-Za-z]+)")?'
                rb'(?: s="[0-9]+")?(?:/>|>(?:(<f)((?: [a-z]+="[^"<&]*")*)(?:/>|>([^<]*)</f>))?'
                rb'(?:(<v>)([^<]*)</v>)?(?:(<is>)<t(?: xml:space="preserve")?>([^<]*)</t></is>)?'
                rb'</c>)')
_ANY_CELL = re.compile(_COMMON_CELL + rb"|(<c)(" + _ATTRS + rb")(?:/>|>(.*?)</c>)", re.DOTALL)
_SIMPLE_ATTR = re.compile(rb' ([a-z]+)="([^"]*)"')


def scan(xml: bytes) -> list[Cell] | None:
    """Every cell of a sheet's XML, in document order; None when the sheet is not plain
    (see :func:`plain`) or a tag was left unread, and only a real parser may read it."""
    if not plain(xml):
        return None
    cells: list[Cell] = []
    append = cells.append
    formulas = values = inlines = 0
    for (ref, kind, has_f, f_attrs, f_text, has_v, v_text, has_is, is_text,
         other, other_attrs, other_body) in _ANY_CELL.findall(xml):
        if other:
            cell = _other_cell(other_attrs, other_body)
            if cell is None:
                return None
            append(cell)
            formulas += cell.formula is not None
            values += cell.value is not None
            inlines += cell.inline is not None
            continue
        formula = attrs = value = inline = None
        if has_f:
            formulas += 1
            formula = _text(f_text) if f_text else ""
            if f_attrs:
                attrs = {k.decode(): v.decode() for k, v in _SIMPLE_ATTR.findall(f_attrs)}
        if has_v:
            values += 1
            value = _text(v_text) if v_text else ""
        if has_is:
            inlines += 1
            inline = _text(is_text) if is_text else ""
        append(Cell(ref.decode(), kind.decode() if kind else None, formula, attrs or {},
                    value, inline))
    counts = {b"c": len(cells), b"f": formulas, b"v": values, b"is": inlines}
    if any(_tags(xml, name) != count for name, count in counts.items()):
        return None
    return cells


def _other_cell(raw_attrs: bytes, body: bytes) -> Cell | None:
    """A cell of any other shape, read element by element (None: one with no reference)."""
    attrs = _attrs(raw_attrs)
    ref = attrs.get("r")
    if ref is None:
        return None  # a cell placed by its position alone: left to the parser
    formula_text: str | None = None
    formula_attrs: dict[str, str] = {}
    value_text: str | None = None
    inline_text: str | None = None
    formula = _FORMULA.search(body)
    if formula:
        formula_attrs = _attrs(formula[1])
        formula_text = _text(formula[2]) if formula[2] else ""
    value = _VALUE.search(body)
    if value:
        value_text = _text(value[1]) if value[1] else ""
    inline = _INLINE.search(body)
    if inline:
        inline_text = "".join(_text(t[1] or b"") for t in _INLINE_TEXT.finditer(inline[0]))
    return Cell(ref, attrs.get("t"), formula_text, formula_attrs, value_text, inline_text)


_CR = {"\r": "&#13;"}  # kept as written: a literal CR would read back as LF
_T_ATTR = re.compile(rb"""\s+t\s*=\s*(?:"[^"]*"|'[^']*')""")
_OLD_VALUE = re.compile(rb"<v" + _ATTRS + rb"(?:/>|>[^<]*</v>)|<is" + _ATTRS +
                        rb"(?:/>|>.*?</is>)", re.DOTALL)


def rewrite(xml: bytes, values: Mapping[str, tuple[str | None, str]]) -> bytes | None:
    """The sheet's XML with ``values`` (ref -> (cell type, ``<v>`` text)) as the cached
    values of those cells, every other byte kept; None when the sheet is not plain or a
    cell of ``values`` is not in it (the caller adds cells with a parser)."""
    if not plain(xml):
        return None
    seen = found = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal seen, found
        seen += 1
        whole = match[0]
        if match[10]:  # any other shape: its attributes parsed, its children found
            attrs, body = match[11], match[12] or b""
            new = values.get(_attrs(attrs).get("r", ""))
            if new is None:
                return whole
            body = _OLD_VALUE.sub(b"", body)
            formula = _FORMULA.search(body)
            kept = body[:formula.end()] if formula else b""
            rest = body[formula.end():] if formula else body
        else:  # the common shape: <c r s t>, then <f>, <v>, <is> in that order
            new = values.get(match[1].decode())
            if new is None:
                return whole
            opening = whole.index(b">") + 1
            closed = whole[opening - 2:opening] == b"/>"
            attrs = whole[2:opening - (2 if closed else 1)]
            body = b"" if closed else whole[opening:-4]
            if match[3]:
                end = (body.find(b"<v>") if match[6] else body.find(b"<is>") if match[8]
                       else len(body))
                kept = body[:end]
            else:
                kept = b""
            rest = b""
        found += 1
        kind, text = new
        if match[2] or match[10]:
            attrs = _T_ATTR.sub(b"", attrs)
        attrs = attrs.rstrip()
        if kind is not None:
            attrs += b' t="' + kind.encode() + b'"'
        return (b"<c" + attrs + b">" + kept + b"<v>" + escape(text, _CR).encode("utf-8") + b"</v>"
                + rest + b"</c>")

    written = _ANY_CELL.sub(replace, xml)
    if found != len(values) or seen != _tags(xml, b"c"):
        return None
    return written
