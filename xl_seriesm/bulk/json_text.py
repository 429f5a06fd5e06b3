"""JSON text of many rows, the same text as ``json.dumps(data, indent=2)`` written faster: the
cap table's ``--json`` and the OCF package's files."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from itertools import chain


def json_text(data: object, indent: int = 2, ensure_ascii: bool = True) -> str:
    """``json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)``, the same text, written
    faster: the standard library encodes with indentation in Python, without it in C. A list
    or dict of plain values (a holder's row), and a list of rows with or without nested
    values (an OCF file's transactions), is encoded in C with the line break and indentation
    as its item separator; only the levels above, and the nested values, are written here."""
    try:
        return _indented(data, indent, "\n", ensure_ascii)
    except _Unusual:
        return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)


class _Unusual(Exception):  # noqa: N818 - a signal, not an error
    """A key or value the fast path leaves to :func:`json.dumps`."""


_PLAIN = (str, int, float, bool, type(None))


@lru_cache(maxsize=64)
def _encoder(separator: str, ensure_ascii: bool = True) -> Callable[[object], str]:
    """``json.dumps`` with ``,`` and ``separator`` between items, one encoder for each."""
    return json.JSONEncoder(separators=("," + separator, ": "), ensure_ascii=ensure_ascii).encode


#: A nested value's place in a row while the rows are encoded in one call: a lone NUL, which
#: the encoder always writes as below. A row whose own text is a lone NUL makes one place too
#: many, and the rows go the slow way (the places are counted).
_HOLE, _HOLE_TEXT = "\x00", '"\\u0000"'
_CONTAINERS = frozenset({list, tuple, dict})
_TEXT = frozenset({str})
_ROW_VALUES = frozenset({str, int, float, bool, type(None), *_CONTAINERS})


def _rows(value: list[object] | tuple[object, ...], indent: int, inner: str, newline: str,
          ascii_: bool) -> str | None:
    """Rows, dicts of text keys (a cap table's holders, an OCF file's transactions), encoded
    in one call of the C encoder with every separator at the rows' fields' depth; then each
    row's own line breaks put back (a line break is never inside an encoded string, only
    between items), and each nested value (a price, a list of ids), written on its own at
    its depth, put in its place. None when a row is not a dict of text keys."""
    fields = inner + " " * indent
    holes: list[str] = []
    flat: list[object] = []
    written: dict[tuple[type, tuple[object, ...]], str] = {}  # nested values of text alone
    for row in value:
        # Whole rows checked by their types in C: text keys; plain or container values
        # (a subclass, an IntEnum say, leaves the rows to the slow way, which writes it).
        if (type(row) is not dict or not row or not _TEXT.issuperset(map(type, row))
                or not _ROW_VALUES.issuperset(map(type, row.values()))):
            return None
        nested = [k for k, v in row.items() if v and type(v) in _CONTAINERS]
        if not nested:  # an empty list or dict the encoder writes as json.dumps does
            flat.append(row)
            continue
        copy = row.copy()
        for k in nested:
            v = row[k]
            copy[k] = _HOLE
            parts = v.values() if type(v) is dict else v
            if _TEXT.issuperset(map(type, parts)):  # a price, a list of ids: often repeated
                key = (type(v), tuple(v.items()) if type(v) is dict else tuple(v))
                text = written.get(key)
                if text is None:
                    text = written[key] = _indented(v, indent, fields, ascii_)
                holes.append(text)
            else:
                holes.append(_indented(v, indent, fields, ascii_))
        flat.append(copy)
    text = _encoder(fields, ascii_)(flat)[2:-2].replace(
        "}," + fields + "{", inner + "}," + inner + "{" + fields)
    if holes:
        pieces = text.split(_HOLE_TEXT)
        if len(pieces) != len(holes) + 1:
            return None
        text = "".join(chain.from_iterable(zip(pieces, holes, strict=False))) + pieces[-1]
    return "[" + inner + "{" + fields + text + inner + "}" + newline + "]"


def _indented(value: object, indent: int, newline: str, ascii_: bool) -> str:
    inner = newline + " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        # Runs of plain values (a holder's row; an OCF transaction's fields around its
        # price) in one call each, a nested value on its own.
        parts: list[str] = []
        run: dict[str, object] = {}
        for k, v in value.items():
            if type(k) is not str:
                raise _Unusual
            if isinstance(v, _PLAIN):
                run[k] = v
                continue
            if run:
                parts.append(_encoder(inner, ascii_)(run)[1:-1])
                run = {}
            parts.append(json.dumps(k, ensure_ascii=ascii_) + ": "
                         + _indented(v, indent, inner, ascii_))
        if run:
            parts.append(_encoder(inner, ascii_)(run)[1:-1])
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if all(isinstance(v, _PLAIN) for v in value):
            text = _encoder(inner, ascii_)(value)
            return "[" + inner + text[1:-1] + newline + "]"
        rows = _rows(value, indent, inner, newline, ascii_)
        if rows is not None:
            return rows
        return "[" + inner + ("," + inner).join(
            _indented(v, indent, inner, ascii_) for v in value) + newline + "]"
    if isinstance(value, _PLAIN):
        return json.dumps(value, ensure_ascii=ascii_)
    raise _Unusual
