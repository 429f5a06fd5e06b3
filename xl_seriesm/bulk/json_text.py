"""JSON text of many rows, the same text as ``json.dumps(data, indent=2)`` written faster: the
cap table's ``--json`` and the OCF package's files."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache


def json_text(data: object, indent: int = 2, ensure_ascii: bool = True) -> str:
    """``json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)``, the same text, written
    faster: the standard library encodes with indentation in Python, without it in C. A list
    or dict of plain values (a holder's row) is encoded in C with the line break and
    indentation as its item separator; only the levels above are written here."""
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
        if all(type(v) is dict and v and all(type(k) is str for k in v)
               and all(isinstance(x, _PLAIN) for x in v.values()) for v in value):
            # Rows of plain values (a cap table's holders, its issuances): all in one call,
            # every separator at the rows' depth; then the rows' own breaks put back. A
            # line break is never inside an encoded string, only between items.
            rows = inner + " " * indent
            text = _encoder(rows, ascii_)(value)
            return ("[" + inner + "{" + rows
                    + text[2:-2].replace("}," + rows + "{", inner + "}," + inner + "{" + rows)
                    + inner + "}" + newline + "]")
        return "[" + inner + ("," + inner).join(
            _indented(v, indent, inner, ascii_) for v in value) + newline + "]"
    if isinstance(value, _PLAIN):
        return json.dumps(value, ensure_ascii=ascii_)
    raise _Unusual
