"""What a template is built from: a cap table (holders, the §5(e) ledger, the dates) and
the settings the certificate leaves open. Read from CSV files with errors that name the
file, the line and the column, or made up for a given number of holders.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from xl_seriesm.core import terms
from xl_seriesm.core.conversion import LeapAnniversary, VotesBeforeAnniversary
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import Accrual, PaymentSchedule, gross_accrual
from xl_seriesm.core.errors import echo
from xl_seriesm.core.ledger import DividendAllocation, Effect, ThresholdAfterSplit
from xl_seriesm.core.ledger_classes import ClassEvent
from xl_seriesm.core.numbers import round_cents
from xl_seriesm.core.stack import Stack
from xl_seriesm.workbook.csvnumbers import (
    NUMBER_EXAMPLES,
    InputError,
    NumberFormat,
    _number,
    _numbers,
    add_number_format_argument,
    detect_number_format,
    number_format,
    read_as,
)


class Holder(NamedTuple):
    name: str
    series_m_shares: Fraction
    common_shares: Fraction
    #: Cash dividends paid on the shares held (to the holder, or before a transfer to the
    #: seller): never the accrual the shares missed before their issue.
    dividends_paid: Fraction
    #: The day its Series M began accruing (§2), when after the Closing Date (its issue).
    accrues_from: date | None = None


class IssuanceRow(NamedTuple):
    date: date
    common_outstanding: Fraction
    new_shares: Fraction
    consideration: Fraction
    exempt: bool


@dataclass(frozen=True)
class Settings:
    """The open readings of DOMAIN.md a template exposes as inputs, with their defaults."""

    basis: Basis = Basis.US_30_360
    dividends_on_conversion: bool = True
    schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING
    votes_before_anniversary: VotesBeforeAnniversary = VotesBeforeAnniversary.AS_CONVERTED
    threshold_price: Fraction = terms.DILUTION_PRICE
    #: Market price of one common share, for §5(h) cash in lieu of fractions.
    market_price: Fraction = Fraction(1, 4)
    #: §2: a full dividend period pays a quarter of the 5% (default), or YEARFRAC from closing.
    accrual: Accrual = Accrual.PER_PERIOD
    #: §5(a): the anniversary of a 29 February Closing Date.
    leap_anniversary: LeapAnniversary = LeapAnniversary.FEB_28
    #: The exit value the Payouts sheet starts with (None: 1.5 × the breakpoint, in the stack).
    exit_value: Fraction | None = None
    #: A ledger's readings (``seriesm template --events``): §5(e)'s $0.25 after a split, and
    #: how a dividend paid to the class is shared (§2).
    threshold_after_split: ThresholdAfterSplit = ThresholdAfterSplit.LITERAL
    dividend_allocation: DividendAllocation = DividendAllocation.PRO_RATA


@dataclass(frozen=True)
class CapTable:
    closing_date: date
    as_of_date: date
    holders: tuple[Holder, ...]
    issuances: tuple[IssuanceRow, ...]
    settings: Settings = field(default_factory=Settings)
    #: From a ledger of events: every event (after the as-of date too) as the ledger applied
    #: it, for the Events sheet and the conversions between §5(e) rows.
    events: tuple[Effect, ...] = ()
    #: Common outstanding at the Closing Date (before any §5(e) row), when known; otherwise
    #: the first §5(e) row's common outstanding, or the holders' total.
    opening_common: Fraction | None = None
    #: The other classes of the capital stack (``--stack``): a Capital stack sheet when any.
    stack: Stack = ()
    #: Where the stack's counts come from, when a ledger gives them: a line on the sheet.
    stack_note: str = ""
    class_events: tuple[ClassEvent, ...] = ()  # the ledger's, of the stack's classes

    @cached_property  # the holders never change: summed once (a table has thousands)
    def series_m_total(self) -> Fraction:
        return sum((h.series_m_shares for h in self.holders), Fraction(0))

    @cached_property
    def common_total(self) -> Fraction:
        return sum((h.common_shares for h in self.holders), Fraction(0))

    def with_dates(self, closing_date: date | None, as_of_date: date | None) -> CapTable:
        return replace(self, closing_date=closing_date or self.closing_date,
                       as_of_date=as_of_date or self.as_of_date)


__all__ = ["NUMBER_EXAMPLES", "InputError", "NumberFormat", "add_number_format_argument",
           "detect_number_format", "number_format", "read_as"]

#: Characters an .xlsx cell cannot hold, and the longest text it can.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_NAME = 32_767

HOLDER_COLUMNS = ("holder", "series_m_shares", "common_shares", "dividends_paid")
ISSUANCE_COLUMNS = ("date", "common_outstanding", "new_shares", "consideration", "exempt")
_T = TypeVar("_T")


#: The delimiters a CSV export uses, by the name an error gives them.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode(path: Path, raw: bytes) -> str:
    """The text of a CSV export: UTF-8 with or without a byte-order mark, or UTF-16 with one
    (Excel's "Unicode text"). UTF-16 without a mark cannot be told apart reliably from other
    encodings, so it is refused with its own message instead of a misleading later one."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: starts with a {encoding.upper()} byte-order mark but "
                                 f"byte {error.start} is not {encoding.upper()}; save the file "
                                 "as UTF-8 CSV") from None
    sample = raw[:4096]
    if sample and sample.count(b"\x00") * 4 >= len(sample):
        raise InputError(f"{path}: looks like UTF-16 text without a byte-order mark (every "
                         "other byte is 0); save it as UTF-8 CSV, or as UTF-16 with a "
                         "byte-order mark")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise InputError(f"{path} line {line}: not UTF-8 text (byte {raw[error.start]:#04x}); "
                         "save the file as UTF-8 CSV (UTF-8 with or without a byte-order mark, "
                         "or UTF-16 with one)") from None


def _delimiter(text: str, columns: tuple[str, ...]) -> str:
    """The delimiter that splits the header line into the most expected columns (comma when
    none does, so the error names what was looked for)."""
    header = text.split("\n", 1)[0].lower()
    found = {d: sum(_header_key(c) in {_header_key(h) for h in header.split(d)}
                    for c in columns) for d in DELIMITERS}
    best = max(found, key=lambda d: (found[d], header.count(d)))
    return best if found[best] else ","


def _header_key(text: str) -> str:
    return re.sub(r"[\s_]+", "", text.strip().lower())


def _header(text: str, columns: tuple[str, ...]) -> str:
    """A header as the column it names, matched ignoring case, spaces and underscores
    (``Series M Shares`` is series_m_shares); otherwise as written, lower case."""
    key = _header_key(text)
    return next((c for c in columns if _header_key(c) == key), text.strip().lower())


def _rows(path: Path, columns: tuple[str, ...],
          known: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file with their line numbers, after checking the header: the
    required ``columns`` and the ``known`` optional ones are matched ignoring case, spaces and
    underscores."""
    header, lines = _table(path, columns, known)
    for line, values in lines:
        # The width is checked by _table: zip need not check it again.
        yield line, dict(zip(header, map(str.strip, values), strict=False))


def _table(path: Path, columns: tuple[str, ...], known: tuple[str, ...] = (),
           ) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header of a CSV file, checked as :func:`_rows` says, and its data rows as lists
    of cells as written (not stripped), each as wide as the header, with their line
    numbers; rows of blank cells are left out."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    text = _decode(path, raw)
    delimiter = _delimiter(text, columns)
    separated = f"{DELIMITERS[delimiter]}-separated"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_header(h, columns + known) for h in next(reader)]
    except StopIteration:
        raise InputError(f"{path}: empty; the first line must name the columns "
                         f"{','.join(columns)}") from None
    except csv.Error as error:
        raise InputError(f"{path} line 1: not a readable CSV file ({error})") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"{path} line 1: missing column(s) {', '.join(missing)} (read as "
                         f"{separated}; comma, semicolon and tab are recognised); the columns "
                         f"are {','.join(columns)}")
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise InputError(f"{path} line 1: column {twice[0]} appears twice; name each column "
                         "once")
    return header, _lines(path, reader, len(header), separated)


def _lines(path: Path, reader: Any, width: int,
           separated: str) -> Iterator[tuple[int, list[str]]]:
    try:
        for values in reader:  # skipping rows of blank cells (a non-blank first cell: not)
            if not (values and values[0].strip()) and not "".join(values).strip():
                continue
            if len(values) != width:
                raise InputError(f"{path} line {reader.line_num}: {len(values)} fields "
                                 f"where the header has {width} ({separated}; a value "
                                 "holding the delimiter must be in double quotes)")
            yield reader.line_num, values
    except csv.Error as error:
        raise InputError(f"{path} line {reader.line_num}: not readable CSV "
                         f"({error})") from None


def _field(path: Path, line: int, column: str, text: str, parse: Callable[[str], _T],
           allowed: str) -> _T:
    try:
        return parse(text)
    except (ValueError, ArithmeticError):
        raise InputError(f"{path} line {line}, column {column}: {text!r} is not "
                         f"{allowed}") from None


def parse_money(text: str, number_format: NumberFormat = NumberFormat.US) -> Fraction:
    """An amount as people write it: ``$5,000.00``, ``5000``, ``($12.50)`` (negative).

    >>> parse_money("$5,000.00"), parse_money("($12.50)")
    (Fraction(5000, 1), Fraction(-25, 2))
    """
    return _number(text, number_format)


def _non_negative(text: str, number_format: NumberFormat = NumberFormat.US) -> Fraction:
    value = _number(text, number_format)
    if value < 0:
        raise ValueError(text)
    return value


def _positive(text: str, number_format: NumberFormat = NumberFormat.US) -> Fraction:
    value = _number(text, number_format)
    if value <= 0:
        raise ValueError(text)
    return value


def _boolean(text: str) -> bool:
    key = text.strip().lower()
    if key in ("", "false", "no", "0", "n"):
        return False
    if key in ("true", "yes", "1", "y"):
        return True
    raise ValueError(text)


class DateFormat(Enum):
    """How a date written with slashes is read. ISO dates (2005-09-30) are always read as
    ISO; a slash date is month first (US, Excel's export on a US system) unless the user says
    day first. A slash date that cannot be read in the chosen order (30/9/2005 as US) is
    refused with a hint, never swapped silently."""

    US = "us"
    DAY_FIRST = "day-first"


_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str, date_format: DateFormat = DateFormat.US) -> date:
    """A date as exports write it.

    >>> parse_date("9/30/2005"), parse_date("2005-09-30"), parse_date("30/9/2005",
    ...                                                               DateFormat.DAY_FIRST)
    (datetime.date(2005, 9, 30), datetime.date(2005, 9, 30), datetime.date(2005, 9, 30))
    """
    slashed = _SLASHED.match(text.strip())
    if not slashed:
        return date.fromisoformat(text.strip())
    first, second, year = (int(g) for g in slashed.groups())
    month, day = (first, second) if date_format is DateFormat.US else (second, first)
    return date(year, month, day)


def _date_field(path: Path, line: int, column: str, text: str, date_format: DateFormat) -> date:
    try:
        return parse_date(text, date_format)
    except ValueError:
        other = DateFormat.DAY_FIRST if date_format is DateFormat.US else DateFormat.US
        hint = ""
        try:
            parse_date(text, other)
            hint = f" as {date_format.value} dates are read; use --date-format {other.value}"
        except ValueError:
            pass
        written = "M/D/YYYY" if date_format is DateFormat.US else "D/M/YYYY"
        raise InputError(f"{path} line {line}, column {column}: {text!r} is not a date"
                         f"{hint or ''}; write YYYY-MM-DD or {written} (--date-format "
                         f"{date_format.value})") from None


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def holder_name(text: str, where: str) -> str:
    """A holder's name as it is compared and kept: Unicode NFKC (a full-width "Ａ" is "A"),
    with control characters and invisible format characters (zero-width spaces and joiners,
    right-to-left marks and overrides: Unicode's Cf) refused, since two names differing only
    by them look the same and would be two holders."""
    name = unicodedata.normalize("NFKC", text)
    hidden = next((c for c in name if unicodedata.category(c) == "Cf"
                   or (unicodedata.category(c) == "Cc" and c not in "\t\n\r")), None)
    if hidden is not None:
        raise InputError(f"{where}: {text[:40]!r} has control characters or invisible "
                         f"ones (U+{ord(hidden):04X}, {unicodedata.name(hidden, 'a control')}): "
                         "names differing only by them look the same; write it without them")
    return name


def read_holders(path: Path, closing_date: date, as_of_date: date,
                 basis: Basis = Basis.US_30_360,
                 number_format: NumberFormat | None = None) -> tuple[Holder, ...]:
    """Holders from ``holder,series_m_shares,common_shares,dividends_paid``. The numbers are
    read one way for the whole file (``number_format``, or detected); an empty number cell
    is 0, as Excel reads it."""
    holders = []
    seen: dict[str, int] = {}
    rows = list(_rows(path, HOLDER_COLUMNS))
    numbers = _numbers(path, rows, HOLDER_COLUMNS[1:], number_format)

    def count(line: int, column: str, text: str, allowed: str) -> Fraction:
        return _field(path, line, column, text or "0",
                      lambda t: _non_negative(t, numbers), allowed + read_as(numbers, text))

    for line, row in rows:
        name = holder_name(row["holder"], f"{path} line {line}, column holder")
        if not name:
            raise InputError(f"{path} line {line}, column holder: empty; give the holder's name")
        if _name_key(name) in seen:
            raise InputError(f"{path} line {line}, column holder: {name[:40]!r} is also the "
                             f"holder on line {seen[_name_key(name)]}; give each holder one "
                             "row (add the shares together) or tell them apart by name")
        seen[_name_key(name)] = line
        if _CONTROL.search(name) or len(name) > MAX_NAME:
            raise InputError(f"{path} line {line}, column holder: {name[:40]!r} has control "
                             f"characters or more than {MAX_NAME:,} characters; a cell cannot "
                             "hold it")
        shares = count(line, "series_m_shares", row["series_m_shares"],
                       "a number of Series M shares (0 or more)")
        common = count(line, "common_shares", row["common_shares"],
                       "a number of common shares (0 or more)")
        paid = count(line, "dividends_paid", row["dividends_paid"],
                     "an amount of dollars (0 or more)")
        holder = Holder(name, shares, common, paid)
        check_holder(holder, closing_date, as_of_date, basis, f"{path} line {line}")
        holders.append(holder)
    check_holders(tuple(holders), str(path))
    return tuple(holders)


def check_holder(holder: Holder, closing_date: date, as_of_date: date, basis: Basis,
                 place: str) -> None:
    """One holder's figures against the certificate; ``place`` says where they came from."""
    if holder.series_m_shares > terms.SHARES_DESIGNATED:
        raise InputError(f"{place}, column series_m_shares: {echo(holder.series_m_shares)} "
                         f"is more than the {terms.SHARES_DESIGNATED:,} designated (§1)")
    accrued = round_cents(gross_accrual(holder.series_m_shares, closing_date, as_of_date, basis))
    if holder.dividends_paid > Fraction(accrued):
        raise InputError(f"{place}, column dividends_paid: {echo(holder.dividends_paid)} is "
                         f"more than the {accrued:,} accrued on "
                         f"{echo(holder.series_m_shares)} shares from {closing_date} to "
                         f"{as_of_date} (§2)")
    if (holder.dividends_paid * 100).denominator != 1:
        raise InputError(f"{place}, column dividends_paid: {echo(holder.dividends_paid)} is "
                         "not a whole number of cents; cash is paid in cents")


def check_holders(holders: tuple[Holder, ...], source: str) -> None:
    """What the whole table must satisfy."""
    if not holders:
        raise InputError(f"{source}: no holders; add one row per holder below the header")
    total = sum((h.series_m_shares for h in holders), Fraction(0))
    if total > terms.SHARES_DESIGNATED:
        raise InputError(f"{source}: the series_m_shares add up to {float(total):,g}, more "
                         f"than the {terms.SHARES_DESIGNATED:,} designated (§1)")
    if total == 0:
        raise InputError(f"{source}: no holder has Series M shares (series_m_shares all 0)")
    if sum((h.common_shares for h in holders), Fraction(0)) == 0:
        raise InputError(f"{source}: no common shares outstanding (common_shares all 0); the "
                         "waterfall needs the common")


#: Dates a template accepts: Excel shows serials from 1900-03-01; the Closing Date needs an
#: anniversary a year on.
FIRST_DATE, LAST_DATE = date(1900, 3, 1), date(9998, 12, 31)


def check_date(option: str, value: date) -> date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InputError(f"{option} {value}: give a date from {FIRST_DATE} to {LAST_DATE}")
    return value


def read_issuances(path: Path, closing_date: date,
                   date_format: DateFormat = DateFormat.US,
                   number_format: NumberFormat | None = None) -> tuple[IssuanceRow, ...]:
    """The §5(e) ledger from ``date,common_outstanding,new_shares,consideration,exempt``.
    The numbers are read one way for the whole file (``number_format``, or detected); an
    empty number cell is 0, as Excel reads it."""
    rows: list[IssuanceRow] = []
    lines = list(_rows(path, ISSUANCE_COLUMNS))
    numbers = _numbers(path, lines, ("common_outstanding", "new_shares", "consideration"),
                       number_format)
    def number(line: int, row: dict[str, str], column: str, how: Callable[..., Fraction],
               allowed: str) -> Fraction:
        return _field(path, line, column, row[column] or "0", lambda t: how(t, numbers),
                      allowed + read_as(numbers, row[column]))

    for line, row in lines:
        when = _date_field(path, line, "date", row["date"], date_format)
        if when > LAST_DATE:
            raise InputError(f"{path} line {line}, column date: {row['date']} is after "
                             f"{LAST_DATE}")
        if when < closing_date:
            raise InputError(f"{path} line {line}, column date: {row['date']} is before the "
                             f"Closing Date {closing_date}")
        if rows and when < rows[-1].date:
            raise InputError(f"{path} line {line}, column date: {row['date']} is before the row "
                             f"above ({rows[-1].date}); list issuances in date order")
        rows.append(IssuanceRow(
            when,
            number(line, row, "common_outstanding", _non_negative,
                   "a number of shares (0 or more)"),
            number(line, row, "new_shares", _positive, "a number of shares (more than 0)"),
            number(line, row, "consideration", _non_negative, "an amount of dollars (0 or more)"),
            _field(path, line, "exempt", row["exempt"], _boolean, "TRUE or FALSE"),
        ))
        if rows[-1].common_outstanding == 0 and rows[-1].consideration == 0:
            raise InputError(f"{path} line {line}: common_outstanding and consideration are both"
                             " 0, which leaves the §5(e)(i) fraction without a denominator")
    return tuple(rows)


def synthetic(count: int, closing_date: date, as_of_date: date,
              issuances: tuple[IssuanceRow, ...], settings: Settings,
              seed: int = 2005) -> CapTable:
    """A made-up cap table of ``count`` holders, the same for the same arguments: the 9,100
    Series M shares spread over up to the first 500 holders (fractions to a ten-thousandth,
    §1), common for every holder, and up to half the accrued dividends paid."""
    if count < 1:
        raise InputError(f"--holders {count}: give at least 1 holder")
    rng = random.Random(seed)
    with_series_m = min(count, 500)
    weights = [rng.randint(1, 1000) for _ in range(with_series_m)]
    units = terms.SHARES_DESIGNATED * 10_000
    tenths = [units * w // sum(weights) for w in weights]
    tenths[0] += units - sum(tenths)
    # The named holders together hold at most half the common the §5(e) ledger has out at
    # the as-of date, so the template's "everyone else" row takes the rest and reconciles.
    counted = [r for r in issuances if r.date <= as_of_date]
    most = (int(counted[-1].common_outstanding + counted[-1].new_shares) // (2 * count)
            if counted else 2_000_000)
    holders = []
    for index in range(count):
        shares = Fraction(tenths[index], 10_000) if index < with_series_m else Fraction(0)
        accrued = round_cents(gross_accrual(shares, closing_date, as_of_date, settings.basis,
                                            settings.accrual, settings.schedule))
        paid = Fraction(accrued) * Fraction(rng.choice((0, 0, 1, 2)), 4)
        paid = Fraction(round_cents(paid))
        common = Fraction(rng.randint(0, most))
        holders.append(Holder(f"Holder {index + 1:05d}", shares, common, paid))
    if not counted:
        holders[-1] = holders[-1]._replace(common_shares=holders[-1].common_shares + 100_000_000)
    return CapTable(closing_date, as_of_date, tuple(holders), issuances, settings)
