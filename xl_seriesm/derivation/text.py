"""Derivations as text: values as a reader writes them, and the terminal table of
``seriesm explain``."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import errors
from xl_seriesm.excel.explain import Explanation

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def shown(value: object, exact: bool = True) -> str:
    """A step's value as a reader writes it: whole numbers with thousands separators, a
    fraction exactly and as a decimal, money in cents, dates in ISO form.

    >>> shown(Fraction(30000, 7)), shown(Decimal("113750.00")), shown(dt.date(2005, 1, 10))
    ('30000/7 = 4,285.714286', '113,750.00', '2005-01-10')
    >>> shown(Fraction(590662143, 100)), shown(Fraction(1, 4))
    ('5,906,621.43', '0.25')
    >>> shown(True), shown(0.9700302), shown(9093378.573777), shown(None)
    ('TRUE', '0.9700302', '9,093,378.574', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return f"{value.numerator:,}"
        places = _decimal_places(value.denominator)
        if places is not None and places <= 6:  # money in cents, a share in 1/10,000ths
            return f"{Decimal(value.numerator) / Decimal(value.denominator):,}"
        decimal = f"{float(value):,.10g}"
        if exact and len(str(value)) <= 15:
            return f"{value.numerator}/{value.denominator} = {decimal}"
        return decimal
    if isinstance(value, float):
        return _decimal(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v, exact) for v in value)
    return str(value)


def _decimal_places(denominator: int) -> int | None:
    """How many decimal places a fraction with this denominator has, if it has an end."""
    twos = fives = 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    return max(twos, fives) if denominator == 1 else None


def _decimal(value: float) -> str:
    if not math.isfinite(value):
        return errors.echo(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.10g}"


def call_text(explanation: Explanation) -> str:
    """The call as it reads in a cell: ``=SERIESM_WORKDAY("2021-12-23", 2)``."""
    args = ", ".join(_argument(a) for a in explanation.args)
    return f"={explanation.function.name}({args})"


def _argument(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "{" + ";".join(_argument(v[0] if isinstance(v, list) and len(v) == 1 else v)
                              for v in value) + "}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f'"{shown(value)}"'
    return shown(value).replace(",", "")


def table(explanation: Explanation) -> str:
    """The derivation as a plain-text table, result first."""
    rows = [(s.step, shown(s.value), s.section) for s in explanation.steps]
    if explanation.failed:
        rows.append(("error", str(explanation.result), explanation.function.section))
    width = max([len("Step"), *(len(r[0]) for r in rows)])
    value_width = max([len("Value"), *(len(r[1]) for r in rows)])
    result = explanation.result
    if isinstance(result, list):  # a table: shown under the derivation
        lines_after = ["", "Result:", *("  " + "  |  ".join(shown(c) for c in row)
                                        for row in result)]
        headline = f"a table of {len(result)} rows (below)"
    else:
        lines_after, headline = [], shown(result)
    lines = [f"{call_text(explanation)}  →  {headline}", "",
             f"{'Step':<{width}}  {'Value':>{value_width}}  Section",
             f"{'-' * width}  {'-' * value_width}  {'-' * 7}"]
    lines += [f"{step:<{width}}  {value:>{value_width}}  {section}"
              for step, value, section in rows]
    return "\n".join(lines + lines_after)


def parse_argument(text: str) -> object:
    """A command-line argument as a cell would hold it: empty, TRUE/FALSE, a number (60%
    is 0.6), a list of values separated by ``;`` (a column), or text (dates in ISO form).

    >>> parse_argument("9100"), parse_argument("60%"), parse_argument("true")
    (9100.0, 0.6, True)
    >>> parse_argument("1000000;1200000"), parse_argument("2005-01-10"), parse_argument("")
    ([[1000000.0], [1200000.0]], '2005-01-10', None)
    """
    text = text.strip()
    if ";" in text:
        return [[parse_argument(part)] for part in text.split(";")]
    if not text:
        return None
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if _NUMBER.match(text):
        if text.endswith("%"):
            return float(Decimal(text[:-1]) / 100)
        return float(text)
    return text
