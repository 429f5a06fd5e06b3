"""The byte-level sheet reader and writer agree with an XML parser, or step aside."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from xl_seriesm.engine import book
from xl_seriesm.xlsx import cells

HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b"<sheetData>")
TAIL = b"</sheetData></worksheet>"


def sheet(*rows: bytes) -> bytes:
    return HEAD + b"".join(rows) + TAIL


def parsed(xml: bytes) -> list[cells.Cell]:
    return list(book._parsed_cells(xml))


def test_the_common_shapes_read_as_a_parser_reads_them() -> None:
    xml = sheet(
        b'<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>Holder &amp; Co &lt;1&gt;</t></is></c>'
        b'<c r="B1" s="2"><f>ROUND(A2*2,2)</f><v>4.5</v></c>'
        b'<c r="C1" t="str"><f>IF(A2&gt;1,"a&amp;b","")</f><v>a&amp;b</v></c>'
        b'<c r="D1" t="b"><f>TRUE()</f><v>1</v></c>'
        b'<c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        b'<c r="F1" s="3"/><c r="G1"><f t="shared" ref="G1:G3" si="0">A1+1</f><v>2</v></c>'
        b'<c r="H1"><f t="array" ref="H1:H2">A1:A2*2</f><v>2</v></c><c r="I1"><v></v></c>'
        b'<c r="J1"><f/></c></row>'
        b'<row r="2"><c r="G2"><f t="shared" si="0"/><v>3</v></c>'
        b'<c r="A2" s="1" t="inlineStr"><is><r><rPr><b val="1"/></rPr><t xml:space="preserve">'
        b'rich </t></r><r><t>text</t></r></is></c>'
        b'<c s="4" r="K2" t="n"><f>1+&#49;</f><v>2</v></c></row>')
    scanned = cells.scan(xml)
    assert scanned == parsed(xml)
    assert scanned is not None
    assert len(scanned) == 13
    by_ref = {c.ref: c for c in scanned}
    assert by_ref["C1"].formula == 'IF(A2>1,"a&b","")'
    assert by_ref["C1"].value == "a&b"
    assert by_ref["A2"].inline == "rich text"
    assert by_ref["K2"].formula == "1+1"  # a character reference, in the other-order cell
    assert by_ref["G2"].formula_attrs == {"t": "shared", "si": "0"}


def test_what_the_scan_cannot_vouch_for_goes_to_the_parser() -> None:
    cell = b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'
    assert cells.scan(sheet(cell)) is not None
    refused = {
        "a comment": sheet(b"<!-- <c r='Z9'><f>[1]S!A1</f></c> -->", cell),
        "CDATA": sheet(b'<row r="1"><c r="A1"><f><![CDATA[[1]S!A1]]></f></c></row>'),
        "a processing instruction": sheet(b"<?pi <c r='A1'/> ?>", cell),
        "a prefixed namespace": (
            b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<x:sheetData><x:row r="1"><x:c r="A1"><x:f>[1]S!A1</x:f></x:c></x:row>'
            b"</x:sheetData></x:worksheet>"),
        "another namespace": b'<worksheet xmlns="urn:other"><sheetData>' + cell + TAIL,
        "UTF-16": (b'<?xml version="1.0" encoding="UTF-16"?>' +
                   sheet(cell).split(b"?>", 1)[1]),
        "a cell without a reference": sheet(b'<row r="1"><c><f>[1]S!A1</f></c></row>'),
        "a cell inside a cell": sheet(b'<row r="1"><c r="A1"><c r="B1"><f>[1]S!A1</f></c>'
                                      b"</c></row>"),
        "a formula outside a cell": sheet(b'<row r="1"><f>[1]S!A1</f></row>', cell),
    }
    for why, xml in refused.items():
        assert cells.scan(xml) is None, why
        if why != "a formula outside a cell":  # harmless to a writer of cells' values
            assert cells.rewrite(xml, {"A1": (None, "3")}) is None, why


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
                max_size=12)


@st.composite
def _cell(draw: st.DrawFn, row: int, column: int) -> bytes:
    ref = f"{'ABCDEFGH'[column]}{row}"
    attrs = [f'r="{ref}"']
    if draw(st.booleans()):
        attrs.append(f's="{draw(st.integers(0, 40))}"')
    kind = draw(st.sampled_from([None, "str", "b", "e", "n", "inlineStr"]))
    if kind:
        attrs.append(f't="{kind}"')
    if draw(st.booleans()):
        attrs.reverse()  # not the common order: read by the general alternative
    body = ""
    if kind != "inlineStr" and draw(st.booleans()):
        formula_attrs = draw(st.sampled_from(["", ' t="shared" si="0"', ' t="array" ref="A1"',
                                              " aca='1'"]))
        text = draw(_TEXT)
        body += f"<f{formula_attrs}>{escape(text)}</f>" if text else f"<f{formula_attrs}/>"
    if kind == "inlineStr":
        runs = draw(st.lists(_TEXT, min_size=1, max_size=3))
        if len(runs) == 1:
            body += f"<is><t>{escape(runs[0])}</t></is>"
        else:
            body += "<is>" + "".join(f"<r><t xml:space={quoteattr('preserve')}>{escape(r)}</t></r>"
                                     for r in runs) + "</is>"
    elif draw(st.booleans()):
        body += f"<v>{escape(draw(_TEXT))}</v>"
    opening = "<c " + " ".join(attrs)
    return (opening + ("/>" if not body else f">{body}</c>")).encode()


@st.composite
def _sheet(draw: st.DrawFn) -> bytes:
    rows = []
    for row in range(1, draw(st.integers(1, 4)) + 1):
        count = draw(st.integers(0, 5))
        rows.append(f'<row r="{row}">'.encode() + b"".join(
            draw(_cell(row, column)) for column in range(count)) + b"</row>")
    return sheet(*rows)


@given(_sheet())
@settings(max_examples=300, deadline=None)
def test_any_plain_sheet_reads_as_the_parser_reads_it(xml: bytes) -> None:
    etree.fromstring(xml)  # well-formed, as the preflight requires
    assert cells.scan(xml) == parsed(xml)


@given(_sheet(), st.data())
@settings(max_examples=200, deadline=None)
def test_rewriting_changes_only_the_cached_values_of_those_cells(xml: bytes,
                                                                 data: st.DataObject) -> None:
    before = {c.ref: c for c in parsed(xml)}
    chosen = data.draw(st.lists(st.sampled_from(sorted(before)), unique=True)
                       if before else st.just([]))
    values = {ref: (data.draw(st.sampled_from([None, "str", "e", "b"])), data.draw(_TEXT))
              for ref in chosen}
    written = cells.rewrite(xml, values)
    assert written is not None
    after = {c.ref: c for c in parsed(written)}
    assert after.keys() == before.keys()
    for ref, old in before.items():
        if ref in values:
            kind, text = values[ref]
            assert after[ref] == old._replace(kind=kind, value=text, inline=None)
        else:
            assert after[ref] == old


def test_a_cell_missing_from_the_sheet_is_left_to_the_parser() -> None:
    xml = sheet(b'<row r="1"><c r="A1"><f>1+1</f></c></row>')
    assert cells.rewrite(xml, {"A1": (None, "2"), "A2": (None, "4")}) is None
    assert cells.rewrite(xml, {"A1": (None, "2")}) == sheet(
        b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>')
