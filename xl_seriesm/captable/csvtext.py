"""Text fields of the CSV files the product writes, safe to open in a spreadsheet.

Excel (and LibreOffice, and Google Sheets) read a CSV field that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula, quoted or not: a holder named
``=cmd|' /C calc'!A0`` would run a program when the file is opened. As OWASP's
CSV-injection guidance recommends, such a field is written with a leading apostrophe
(``'=cmd|...``), which a spreadsheet shows as text and does not evaluate; a number (``-5``,
``+1.5``) is left alone. The readers of those files take the apostrophe off again, so a
name survives the round trip exactly (a name that itself starts with an apostrophe before
such a character gets a second one).
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_mark(text: str) -> bool:
    if text.startswith(_FORMULA_START):
        return _NUMBER.fullmatch(text) is None
    return text.startswith("'") and _needs_mark(text[1:])


def for_spreadsheet(text: str) -> str:
    """``text`` as a CSV field no spreadsheet evaluates."""
    return "'" + text if _needs_mark(text) else text


def from_spreadsheet(text: str) -> str:
    """The text :func:`for_spreadsheet` was given."""
    return text[1:] if text.startswith("'") and _needs_mark(text[1:]) else text
