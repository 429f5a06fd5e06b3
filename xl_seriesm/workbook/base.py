"""The building blocks of the template model: the sheet names, what a cell is (its place,
role, number format, a formula per flavor and the core's figure), a sheet, a workbook, a
validation, a chart; and a Check, the texts its result takes and the Valuation and Capital
stack sheets' Checks, which the core's figures (:mod:`xl_seriesm.workbook.figures`) count as
well.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.xlsx import cellrefs

# Sheet names, in order.
ABOUT, TERMS, HOLDERS, ISSUANCES, EVENTS, DIVIDENDS, WATERFALL, VALUATION, CHECKS = (
    "About", "Terms", "Holders", "Issuances", "Events", "Dividends", "Waterfall", "Valuation",
    "Checks")
#: The Issuances sheet's side cells: common outstanding at the Closing Date (input) and at
#: the as-of date per the ledger (computed).
OPENING_COMMON_CELL, LEDGER_COMMON_CELL = "K4", "K7"
SINCE_CLOSING = '">="&ClosingDate'


class Role(Enum):
    TITLE = "title"
    TEXT = "text"
    HEADER = "header"
    LABEL = "label"
    INPUT = "input"
    COMPUTED = "computed"


class Kind(Enum):
    """What a value is, which decides its number format and how it is compared: money to
    half a cent, other numbers to a relative 1e-9, the rest exactly."""

    MONEY = "money"
    SHARES = "Series M shares"
    COMMON = "common shares"
    WHOLE = "whole number"
    NUMBER = "number"
    PRICE = "price"
    PERCENT = "percent"
    DATE = "date"
    BOOL = "boolean"
    TEXT = "text"

    @property
    def number_format(self) -> str:
        return _FORMATS[self]

    def format_for(self, value: object) -> str:
        """The number format of a cell of this kind holding ``value``: share counts without
        decimals unless they have some, and then the decimals they have (up to four)."""
        if self in (Kind.SHARES, Kind.COMMON) and isinstance(value, (int, float, Fraction)):
            places = _decimals(value, 4)
            return "#,##0" if places == 0 else "#,##0." + "0" * places
        return _FORMATS[self]


def _decimals(value: object, most: int) -> int:
    """How many decimals ``value`` has, at most ``most`` (its shortest decimal form)."""
    if isinstance(value, Fraction):
        for places in range(most + 1):
            if (value * 10**places).denominator == 1:
                return places
        return most
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer():
        return 0
    text = repr(number)
    if "e" in text:
        return most
    return min(len(text.split(".")[1]), most)


# What a finance reader expects: money with thousands separators and negatives in
# parentheses (the space after a positive keeps the digits aligned with a negative's
# bracket), rates as percentages, dates as dates, TRUE/FALSE whether a flavor's engine returns
# a boolean or 1/0.
_MONEY = "#,##0.00_);(#,##0.00)"
_FORMATS = {
    Kind.MONEY: _MONEY, Kind.SHARES: "#,##0.0000", Kind.COMMON: "#,##0.0000",
    Kind.WHOLE: "#,##0_);(#,##0)", Kind.NUMBER: "#,##0.000000", Kind.PRICE: "$#,##0.0000",
    Kind.PERCENT: "0.00##%", Kind.DATE: "d mmm yyyy", Kind.BOOL: '"TRUE";"TRUE";"FALSE"',
    Kind.TEXT: "General",
}


class Cell(NamedTuple):
    """One cell of the template."""

    ref: str
    role: Role
    kind: Kind = Kind.TEXT
    #: A constant (labels, inputs).
    value: object = None
    #: The formula in the add-in flavor; with ``array``, a legacy array formula over that range.
    udf: str | None = None
    array: str | None = None
    #: The formula in the built-ins flavor.
    native: str | None = None
    #: The core's figure, for computed cells.
    expected: object = None

    @property
    def computed(self) -> bool:
        return self.role is Role.COMPUTED


class Validation(NamedTuple):
    """A data-validation rule on input cells."""

    ranges: str
    kind: str  # "list", "decimal", "date", "whole"
    formula: str | None = None
    minimum: object = None
    maximum: object = None
    prompt: str = ""


class Chart(NamedTuple):
    """The payout-versus-exit chart of the Waterfall sheet (scatter, straight lines)."""

    anchor: str
    x_rows: tuple[int, int]
    series: tuple[tuple[str, str], ...]  # (column of y values, title)
    marker_rows: tuple[int, int]  # rows of the breakpoint marker (x and y: marker_columns)
    x_max: float  # the last exit value
    marker_columns: tuple[str, str] = ("H", "I")  # the marker's x and y


@dataclass
class Sheet:
    name: str
    cells: list[Cell] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    validations: list[Validation] = field(default_factory=list)
    freeze: str | None = None
    chart: Chart | None = None
    #: Columns that only feed something else (the chart's marker): not printed.
    helper_columns: str | tuple[str, ...] = ""
    #: An empty sheet (Events without a ledger of events): its tab hidden, so it does not
    #: print; its cells stay, for the formulas that read them.
    hidden: bool = False

    def add(self, ref: str, role: Role, kind: Kind = Kind.TEXT, value: object = None, *,
            udf: str | None = None, array: str | None = None, native: str | None = None,
            expected: object = None) -> None:
        self.cells.append(Cell(ref, role, kind, value, udf, array, native, expected))

    def text(self, ref: str, value: str, role: Role = Role.TEXT) -> None:
        self.add(ref, role, Kind.TEXT, value)

    def same(self, ref: str, kind: Kind, formula: str, expected: object) -> None:
        """A computed cell whose formula is the same in both flavors (built-ins only)."""
        self.add(ref, Role.COMPUTED, kind, udf=formula, native=formula, expected=expected)


@dataclass
class Workbook:
    sheets: list[Sheet]
    #: Workbook-level defined names: name -> "Sheet!$A$1".
    names: dict[str, str]
    #: The as-of date the figures were computed at (printed in the footer).
    as_of: date

    def computed(self) -> Iterator[tuple[str, Cell]]:
        for sheet in self.sheets:
            for cell in sheet.cells:
                if cell.computed:
                    yield sheet.name, cell

    def native_only(self) -> set[tuple[str, str]]:
        """Computed cells only the built-ins flavor has: helper columns of a rule the add-in
        computes in one call (the Payouts sheet), neither given an add-in formula nor covered
        by an array formula. The add-in flavor leaves them empty."""
        found = set()
        for sheet in self.sheets:
            covered = {ref for cell in sheet.cells if cell.array for ref in cellrefs.cells(
                cell.array)}
            found |= {(sheet.name, cell.ref) for cell in sheet.cells
                      if cell.computed and not cell.udf and cell.ref not in covered}
        return found


def absolute_ref(sheet: str, ref: str) -> str:
    """``Sheet!$A$1``; a sheet name with a space in single quotes (``'Capital stack'!$B$4``)."""
    column = ref.rstrip("0123456789")
    shown = f"'{sheet}'" if " " in sheet else sheet
    return f"{shown}!${column}${ref[len(column):]}"


def excel_value(value: object) -> object:
    """A core figure as a cell shows it."""
    if isinstance(value, (Fraction, Decimal)):
        return float(value)
    return value


def nice_step(top: float, steps: int) -> float:
    """A round step (1, 2, 2.5 or 5 × a power of ten) so that ``steps`` of it pass ``top``."""
    raw = top / steps
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


class Check(NamedTuple):
    """One reconciliation of the Checks sheet: the condition that must hold, the amount it is
    off by when it does not (shown with a format), where to look, and its source."""

    label: str
    holds: str
    off_by: str
    look_at: str
    why: str
    off_by_format: str = "#,##0.00"
#: The Checks that hold by construction (the figures are computed from one cap table) come
#: first; the reconciliations of the common after them can fail on the inputs alone.
BY_CONSTRUCTION = 8
FAILS = "FAILS: off by "


def whole_off_by(value: Fraction) -> object:
    """A reconciliation of share counts: OK within half a share, else what the cell shows,
    TEXT(value, "#,##0"), which rounds half away from zero."""
    if abs(value) < Fraction(1, 2):
        return "OK"
    rounded = math.floor(abs(value) + Fraction(1, 2))
    return f"{FAILS}{'-' if value < 0 else ''}{rounded:,}"


def valuation_checks(stack: object = ()) -> list[Check]:
    """The Valuation sheet's Checks (here, as the core's figures count them too); with a
    capital stack, those of every class."""
    if stack:
        exact_off = "OpmExactSum-EquityValue"
        return [
            Check("Option pricing: every class's exact value adds up to the equity value",
                  f"ABS({exact_off})<0.005", exact_off,
                  "Valuation: the exact values (column G) against the equity value; each "
                  "tranche's shares (a class's share of a dollar) should add up to 100%",
                  "C(0) = S: the tranches share out the whole equity"),
            Check("Option pricing: each class's total value is its exact value to the cent",
                  "OpmCentsOff=0", "OpmCentsOff",
                  "Valuation: the totals (column H) against the exact values (column G); the "
                  "count under the table",
                  "the add-in's SERIESM_OPM against the built-ins (the common takes the rest)",
                  "0"),
        ]
    tranches_off = "SUM(OpmTranches)-EquityValue"
    series_m_off = "OpmSeriesM-OpmSeriesMSum"
    return [
        Check("Option pricing: the tranche values of both classes add up to the equity value",
              f"ABS({tranches_off})<0.005", tranches_off,
              "Valuation columns J and K (class values) against the equity value",
              "C(0) = S: the tranches share out the whole equity"),
        Check("Option pricing: the Series M value is the sum of its tranche values",
              f"ABS({series_m_off})<0.005", series_m_off,
              "Valuation: Series M total against the sum of column J",
              "the add-in's SERIESM_OPM against the table's own built-ins"),
    ]


def stack_checks(stack: object) -> list[Check]:
    """The Capital stack sheet's Checks, when the template has a stack (here, as the core's
    figures count them too)."""
    if not stack:
        return []
    exact_off = "StackExactSum-StackExit"
    return [
        Check("Capital stack: the classes' exact payouts add up to the exit value",
              f"ABS({exact_off})<0.005", exact_off,
              "Capital stack: column J (exact payouts) against the exit value",
              "the built-ins' fixed point: every class's best payout at the price p"),
        Check("Capital stack: each class's payout is its exact payout to the cent",
              "StackCentsOff=0", "StackCentsOff",
              "Capital stack: columns K (payouts) and J (exact payouts), the last row",
              "the add-in's SERIESM_WATERFALL against the built-ins (rounded together)",
              "0"),
        Check("Waterfall: the classes' exact payouts add up to each exit value",
              "SUMPRODUCT(--(ABS(WaterfallExactOff)>=0.005))=0",
              "SUMPRODUCT(ABS(WaterfallExactOff))",
              "Waterfall: the exact payouts (helper columns) against column A, row by row",
              "the built-ins' fixed point on each exit row"),
        Check("Waterfall: each class's total is its exact payout to the cent",
              "WaterfallCentsOff=0", "WaterfallCentsOff",
              "Waterfall: the class totals against the exact payouts (helper columns); the "
              "count under the table",
              "the add-in's SERIESM_WATERFALL against the built-ins (rounded together)",
              "0"),
        Check("Payouts: the holders' and the other classes' exact payouts add up to the "
              "exit value", "ABS(PayoutExactOff)<0.005", "PayoutExactOff",
              "Payouts: column J (exact payouts) and the classes at p (helper columns N and "
              "O) against the exit value",
              "the built-ins' fixed point, each holder one part of it: §3, §5"),
        Check("Payouts: the holders' payouts add up to the Series M's total within the stack",
              "ABS(PayoutSumOff)<0.005", "PayoutSumOff",
              "Payouts: column D (payouts) against the Series M class total",
              "the stack's rounding of the Series M's cents, apportioned to the holders"),
        Check("Payouts: each holder's payout is its exact payout to the cent",
              "PayoutCentsOff=0", "PayoutCentsOff",
              "Payouts: columns D (payouts) and J (exact payouts); the count in the helper "
              "columns", "the add-in's SERIESM_PAYOUTS against the built-ins", "0"),
    ]
