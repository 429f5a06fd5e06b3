"""Numbers in a CSV file, read one way for the whole file (US ``1,234.56``, European
``1.234,56`` or plain ``1234.56``), the way given or detected, never guessed per cell; and
the error every reader of an input file raises."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from enum import Enum
from fractions import Fraction
from pathlib import Path

from xl_seriesm.core.numbers import exact


class InputError(ValueError):
    """A bad input file or option, said with the file, line and column where it applies."""


class NumberFormat(Enum):
    """How the numbers of a CSV file are written, one way for the whole file: ``us``
    (1,234.56: comma between thousands, point before decimals), ``eu`` (1.234,56: the
    reverse, as a spreadsheet set to most European languages exports) or ``plain`` (1234.56:
    no thousands separator). Without an option the reader detects it from the whole file
    (:func:`detect_number_format`) and refuses a file it cannot tell, never per cell."""

    US = "us"
    EU = "eu"
    PLAIN = "plain"


#: How each format writes 1234.5, for errors.
NUMBER_EXAMPLES = {NumberFormat.US: "1,234.5", NumberFormat.EU: "1.234,5",
                   NumberFormat.PLAIN: "1234.5"}
# A number as people write it in each format: 1234.5, or grouped by thousands (the first
# group never 0), with an optional exponent; with a leading $ (-$5, $-5) or in accounting
# parentheses for a negative: ($1,234.50).
_SHAPES = {
    NumberFormat.US: re.compile(
        r"^[+-]?([1-9]\d{0,2}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$|^[+-]?\.\d+$"),
    NumberFormat.EU: re.compile(
        r"^[+-]?([1-9]\d{0,2}(\.\d{3})+|\d+)(,\d+)?([eE][+-]?\d+)?$|^[+-]?,\d+$"),
    NumberFormat.PLAIN: re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$|^[+-]?\.\d+$"),
}
_DOLLARS = re.compile(r"^(?P<open>\()?\s*(?P<sign>[+-]?)\s*\$?\s*(?P<sign2>[+-]?)"
                      r"(?P<digits>[^()$\s][^()$]*?)\s*(?P<close>\))?$")
#: Larger figures lose cents in a spreadsheet's 15 significant digits.
LARGEST = Fraction(10**15)


def _number(text: str, number_format: NumberFormat = NumberFormat.US) -> Fraction:
    match = _DOLLARS.match(text.strip())
    if not match or bool(match["open"]) != bool(match["close"]) or (
            match["sign"] and match["sign2"]):
        raise ValueError(text)
    digits = match["digits"]
    if not _SHAPES[number_format].match(digits) or (
            match["open"] and (match["sign"] or match["sign2"] or digits[0] in "+-")):
        raise ValueError(text)
    if number_format is NumberFormat.EU:
        digits = digits.replace(".", "").replace(",", ".")
    value = exact(float(digits.replace(",", "")))
    if match["open"] or "-" in (match["sign"], match["sign2"]):
        value = -value
    if abs(value) >= LARGEST:
        raise ValueError(text)
    return value


def reading(text: str, number_format: NumberFormat) -> Fraction | None:
    """The number ``text`` writes in ``number_format``, or None when it writes none."""
    try:
        return _number(text, number_format)
    except (ValueError, ArithmeticError):
        return None


def detect_number_format(path: Path, cells: Iterable[tuple[int, str, str]],
                         given: NumberFormat | None) -> NumberFormat:
    """The one way the numbers of a file are written: ``given`` when the user said it,
    otherwise what the file's own numbers show. ``cells`` are (line, column, text) of the
    numeric fields. A number that reads the same both ways (``1000``, ``12.5``) shows
    nothing; ``1,234.56`` or ``0.5`` is US, ``1.234,56`` or ``0,5`` European; a file
    showing both is refused naming one of each, and a file whose numbers read differently
    the two ways with nothing to tell which (``3.500``: 3.5 or 3,500) is refused naming the
    line, the column and the option, never guessed."""
    if given is not None:
        return given
    shown: dict[NumberFormat, tuple[int, str, str]] = {}
    unsure: tuple[int, str, str, Fraction, Fraction] | None = None
    seen: set[str] = set()  # a text read once tells all it can: only its first place counts
    for line, column, text in cells:
        if not text or text in seen:
            continue
        seen.add(text)
        us, eu = reading(text, NumberFormat.US), reading(text, NumberFormat.EU)
        if us is not None and eu is not None:
            if us != eu and unsure is None:
                unsure = (line, column, text, us, eu)
        elif us is not None:
            shown.setdefault(NumberFormat.US, (line, column, text))
        elif eu is not None:
            shown.setdefault(NumberFormat.EU, (line, column, text))
    if len(shown) == 2:
        (l1, c1, t1), (l2, c2, t2) = shown[NumberFormat.US], shown[NumberFormat.EU]
        raise InputError(f"{path} line {l1}, column {c1}: {t1!r} is written the US way "
                         f"({NUMBER_EXAMPLES[NumberFormat.US]}) but line {l2}, column {c2}: "
                         f"{t2!r} the European way ({NUMBER_EXAMPLES[NumberFormat.EU]}); write "
                         "every number of a file one way, and say which with --number-format "
                         "us|eu|plain")
    if shown:
        return next(iter(shown))
    if unsure is not None:
        line, column, text, us, eu = unsure
        raise InputError(f"{path} line {line}, column {column}: {text!r} reads as "
                         f"{float(us):,g} the US way ({NUMBER_EXAMPLES[NumberFormat.US]}) and "
                         f"as {float(eu):,g} the European way "
                         f"({NUMBER_EXAMPLES[NumberFormat.EU]}), and no other number of the "
                         "file tells which; say it with --number-format us or --number-format "
                         "eu")
    return NumberFormat.PLAIN


def read_as(number_format: NumberFormat, text: str) -> str:
    """What an error about a number written with digits adds: how the file's numbers are
    being read (nothing for a word, which no format reads)."""
    if not any(ch.isdigit() for ch in text):
        return ""
    return (f"; the file's numbers are read as {number_format.value} "
            f"({NUMBER_EXAMPLES[number_format]}, --number-format)")


def add_number_format_argument(parser: argparse.ArgumentParser) -> None:
    """``--number-format``, on every command that reads a CSV."""
    parser.add_argument("--number-format", choices=[f.value for f in NumberFormat],
                        default=None,
                        help="how the CSV numbers are written: us 1,234.56, eu 1.234,56 or "
                        "plain 1234.56 (default: detected from the whole file; a file whose "
                        "numbers read differently the two ways, such as 3.500 alone, is "
                        "refused)")


def number_format(args: argparse.Namespace) -> NumberFormat | None:
    """The --number-format the user gave, or None: detected from each file."""
    given = getattr(args, "number_format", None)
    return NumberFormat(given) if given else None


def _numbers(path: Path, rows: list[tuple[int, dict[str, str]]], columns: tuple[str, ...],
             given: NumberFormat | None) -> NumberFormat:
    return detect_number_format(
        path, ((line, c, row.get(c, "")) for line, row in rows for c in columns), given)
