"""The template, cell by cell, in both flavors, with the figure the core computes for each.

One model describes the workbook: every cell's place, role, number format, its formula in
the add-in flavor (calling ``SERIESM_*``, as one array formula over a column where that cuts
the number of calls) and in the built-ins flavor (only functions LibreOffice 7.4 computes
too), and the value the core computes for it from the cap table, independently of either
formula. The writer renders the model; the tests recalculate the rendered workbooks with a
real spreadsheet engine and compare with those figures.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, NamedTuple, TypeVar

from xl_seriesm import cellrefs
from xl_seriesm.core import terms
from xl_seriesm.core.conversion import (
    Issuance,
    cash_in_lieu,
    common_on_conversion,
    conversion_opens,
    dilution_ledger,
    votes,
)
from xl_seriesm.core.dividends import (
    ScheduleRow,
    accrual_years,
    accrued_dividends,
    dividend_schedule,
    period_boundary,
    period_days,
    periods_done,
)
from xl_seriesm.core.governance import par_value_headroom
from xl_seriesm.core.ledger import EVERYONE_ELSE, EventKind
from xl_seriesm.core.liquidation import Capital, liquidation_value, waterfall
from xl_seriesm.core.numbers import exact
from xl_seriesm.core.stack import to_exit
from xl_seriesm.core.valuation import (
    BREAKPOINT_HEADER,
    Market,
    opm_value,
    series_m_tranches,
    value_tranches,
)
from xl_seriesm.workbook.inputs import CapTable, Holder

_T = TypeVar("_T")

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
    Kind.WHOLE: "#,##0_);(#,##0)", Kind.NUMBER: "#,##0.000000", Kind.PRICE: "$#,##0.00##",
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
    marker_rows: tuple[int, int]  # rows of the breakpoint marker (x in H, y in I)
    x_max: float  # the last exit value


@dataclass
class Sheet:
    name: str
    cells: list[Cell] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    validations: list[Validation] = field(default_factory=list)
    freeze: str | None = None
    chart: Chart | None = None
    #: Columns that only feed something else (the chart's marker): not printed.
    helper_columns: str = ""

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


def _abs(sheet: str, ref: str) -> str:
    column = ref.rstrip("0123456789")
    return f"{sheet}!${column}${ref[len(column):]}"


def _excel(value: object) -> object:
    """A core figure as a cell shows it."""
    if isinstance(value, (Fraction, Decimal)):
        return float(value)
    return value


def _nice_step(top: float, steps: int) -> float:
    """A round step (1, 2, 2.5 or 5 × a power of ten) so that ``steps`` of it pass ``top``."""
    raw = top / steps
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


EXIT_ROWS = 41


@dataclass(frozen=True)
class Figures:
    """The core's figures for a cap table, computed from the cap table alone."""

    cap: CapTable
    opens: date
    convertible: bool
    conversion_day: date
    ledger: list[Fraction]
    number: Fraction
    accrued: list[Decimal]
    liquidation: list[Decimal]
    converted: list[Fraction]
    votes: list[int]
    cash: list[Decimal]
    diluted: list[Fraction]
    total_paid: Fraction
    total_accrued: Decimal
    total_diluted: Fraction
    capital: Capital
    breakpoint: Fraction
    schedule: list[ScheduleRow]
    #: Common outstanding at the Closing Date, and at the as-of date per the §5(e) ledger
    #: plus the conversions on the Events sheet.
    opening_common: Fraction
    ledger_common: Fraction
    #: Each §5(e) row's common outstanding before it, per the row above (A + B) plus the
    #: conversions in between.
    outstanding_per_ledger: list[Fraction]
    #: The Checks sheet's results, in its order: "OK" or the difference found.
    checks: list[object]


def _converted(cap: CapTable, after: date, through: date, from_closing: bool = False,
               ) -> Fraction:
    """Common issued on conversion (Events sheet) after ``after`` up to ``through``."""
    return sum((e.common_issued for e in cap.events if e.event.kind is EventKind.CONVERT
                and (after <= e.event.date if from_closing else after < e.event.date)
                and e.event.date <= through), Fraction(0))


def with_everyone_else(cap: CapTable) -> tuple[CapTable, Fraction, Fraction]:
    """The cap table with the row for everyone the holders do not name (its common: the
    ledger's common outstanding at the as-of date less the holders', never below 0; a
    shortfall is then a failing Check), the opening and the ledger's common outstanding."""
    applied = [r for r in cap.issuances if r.date <= cap.as_of_date]
    named = [h for h in cap.holders if h.name != EVERYONE_ELSE]
    named_common = sum((h.common_shares for h in named), Fraction(0))
    if cap.opening_common is not None:
        opening = cap.opening_common
    elif cap.issuances:
        first = cap.issuances[0]
        opening = first.common_outstanding - _converted(cap, cap.closing_date, first.date, True)
    else:
        opening = cap.common_total - _converted(cap, cap.closing_date, cap.as_of_date, True)
    if applied:
        last = applied[-1]
        ledger_common = (last.common_outstanding + last.new_shares
                         + _converted(cap, last.date, cap.as_of_date))
    else:
        ledger_common = opening + _converted(cap, cap.closing_date, cap.as_of_date, True)
    if len(named) == len(cap.holders):
        rest = max(ledger_common - named_common, Fraction(0))
        cap = replace(cap, holders=(*cap.holders, Holder(EVERYONE_ELSE, Fraction(0), rest,
                                                         Fraction(0))))
    return cap, opening, ledger_common


def figures(cap: CapTable) -> Figures:
    cap, opening, ledger_common = with_everyone_else(cap)
    settings = cap.settings
    opens = conversion_opens(cap.closing_date, settings.leap_anniversary)
    conversion_day = max(cap.as_of_date, opens)
    # An issuance after the as-of date is listed but not counted: it has not happened yet.
    ledger = dilution_ledger(terms.CONVERSION_NUMBER, [
        Issuance(r.common_outstanding, r.new_shares, r.consideration,
                 r.exempt or r.date > cap.as_of_date)
        for r in cap.issuances], settings.threshold_price)
    number = ledger[-1] if ledger else terms.CONVERSION_NUMBER
    per_ledger = []
    for index, row in enumerate(cap.issuances):
        if index == 0:
            per_ledger.append(opening + _converted(cap, cap.closing_date, row.date, True))
        else:
            above = cap.issuances[index - 1]
            per_ledger.append(above.common_outstanding + above.new_shares
                              + _converted(cap, above.date, row.date))
    holders = cap.holders
    # Holders with the same shares (all those with common only, say) have the same figures:
    # each is worked out once per distinct input.
    accrued = _each(holders, lambda h: (h.series_m_shares, h.dividends_paid),
                    lambda shares, paid: accrued_dividends(
                        shares, cap.closing_date, cap.as_of_date, paid, settings.basis,
                        settings.accrual, settings.schedule))
    converted = _each(holders, lambda h: (h.series_m_shares,),
                      lambda shares: common_on_conversion(
                          shares, cap.closing_date, conversion_day, number, shares,
                          settings.leap_anniversary))
    diluted = [h.common_shares + c for h, c in zip(holders, converted, strict=True)]
    total_paid = sum((h.dividends_paid for h in holders), Fraction(0))
    total_accrued = sum(accrued, Decimal(0))
    capital = Capital(cap.series_m_total, cap.common_total, Fraction(total_accrued), number,
                      settings.dividends_on_conversion)
    checks = _check_results(cap, ledger_common, per_ledger)
    return Figures(
        cap=cap, opens=opens, convertible=cap.as_of_date >= opens,
        conversion_day=conversion_day, ledger=ledger, number=number, accrued=accrued,
        liquidation=_each(holders, lambda h: (h.series_m_shares, h.dividends_paid),
                          lambda shares, paid: liquidation_value(
                              shares, cap.closing_date, cap.as_of_date, paid, settings.basis,
                              settings.accrual, settings.schedule)),
        converted=converted,
        votes=_each(holders, lambda h: (h.series_m_shares,),
                    lambda shares: votes(shares, cap.closing_date, cap.as_of_date, number,
                                         settings.votes_before_anniversary,
                                         settings.leap_anniversary)),
        cash=_each(holders, lambda h: (h.series_m_shares,),
                   lambda shares: cash_in_lieu(shares, number, settings.market_price)),
        diluted=diluted, total_paid=total_paid, total_accrued=total_accrued,
        total_diluted=sum(diluted, Fraction(0)), capital=capital,
        breakpoint=capital.breakpoint(),
        schedule=dividend_schedule(cap.series_m_total, cap.closing_date, cap.as_of_date,
                                   total_paid, settings.basis, settings.schedule,
                                   settings.accrual),
        opening_common=opening, ledger_common=ledger_common,
        outstanding_per_ledger=per_ledger, checks=checks)


def _each(holders: tuple[Holder, ...], inputs: Callable[[Holder], tuple[Any, ...]],
          figure: Callable[..., _T]) -> list[_T]:
    """``figure`` of each holder's ``inputs``, computed once for each distinct inputs (the
    core's functions are pure, so equal inputs give the equal figure)."""
    known: dict[tuple[Any, ...], _T] = {}
    out = []
    for holder in holders:
        key = inputs(holder)
        if key not in known:
            known[key] = figure(*key)
        out.append(known[key])
    return out


def _check_results(cap: CapTable, ledger_common: Fraction, per_ledger: list[Fraction],
                   ) -> list[object]:
    """What each Check shows for this cap table: the eight that hold by construction, then
    the reconciliations of the common, which hold only when the inputs agree."""
    results: list[object] = ["OK"] * BY_CONSTRUCTION
    results.append(_whole_off_by(cap.common_total - ledger_common))
    gap = sum((abs(row.common_outstanding - before) for row, before
               in zip(cap.issuances, per_ledger, strict=True) if row.date <= cap.as_of_date),
              Fraction(0))
    results.append(_whole_off_by(gap))
    stated = sum((abs(e.event.common_shares - e.common_outstanding_after) for e in cap.events
                  if e.event.kind is EventKind.OUTSTANDING and e.event.date <= cap.as_of_date),
                 Fraction(0))
    results.append(_whole_off_by(stated))
    # The Valuation sheet's checks compare the add-in's figure with the sheet's own
    # built-in formulas: they hold by construction.
    results += ["OK"] * len(_valuation_checks())
    return results


@dataclass(frozen=True)
class Rows:
    """Where the tables sit, which formulas on other sheets refer to."""

    first: int  # first holder row
    last: int
    total_row: int
    ledger_first: int
    ledger_last: int
    top: int  # the Dividends header row
    bottom: int
    exit_first: int
    exit_last: int
    events_first: int
    events_last: int  # the first row when there are no events (it holds a note)

    @classmethod
    def of(cls, f: Figures) -> Rows:
        n = len(f.cap.holders)
        return cls(first=4, last=3 + n, total_row=5 + n, ledger_first=4,
                   ledger_last=3 + len(f.cap.issuances), top=4, bottom=4 + len(f.schedule),
                   exit_first=5, exit_last=4 + EXIT_ROWS, events_first=4,
                   events_last=3 + max(len(f.cap.events), 1))

    def converted(self, after: str, through: str) -> str:
        """Formula: the common issued on conversion (Events sheet) with a date ``after``
        (a criterion such as '">"&A4') up to ``through``."""
        span = f"{self.events_first}:${{c}}${self.events_last}"
        col = {c: f"{EVENTS}!${c}${span.format(c=c)}" for c in "ABK"}
        return (f'SUMIFS({col["K"]},{col["B"]},"convert",{col["A"]},{after},'
                f'{col["A"]},"<="&{through})')


def build(cap: CapTable) -> Workbook:
    """The whole template for ``cap``: both flavors and the core's figure for every cell."""
    from xl_seriesm.workbook import payouts_sheet  # noqa: PLC0415 - it builds on this module

    f = figures(cap)
    rows = Rows.of(f)
    names: dict[str, str] = {}
    sheets = [_about(), _terms(f, rows, names), _holders(f, rows, names),
              _issuances(f, rows, names), _events(f, rows), _dividends(f, rows),
              _waterfall(f, rows), _valuation(f, names), _checks(f, rows, names),
              payouts_sheet.sheet(f, rows.first, rows.last, names)]
    _status(sheets, cap.as_of_date, overall_status(f.checks))
    return Workbook(sheets, names, cap.as_of_date)


def _terms(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap, settings = f.cap, f.cap.settings
    opens, convertible, conversion_day, number = f.opens, f.convertible, f.conversion_day, f.number
    capital, point, ledger_last = f.capital, f.breakpoint, rows.ledger_last
    t = Sheet(TERMS, widths={"A": 56, "B": 18, "C": 22, "D": 12, "E": 70}, freeze="A4")
    t.text("A1", "Series M Convertible Preferred Stock: terms and inputs", Role.TITLE)
    t.text("A2", "Yellow cells with blue figures are inputs; everything else is computed. "
                 "Sections cite the Certificate of Designation signed 10 January 2005.")
    t.text("A4", "Input", Role.HEADER)
    t.text("B4", "Value", Role.HEADER)
    t.text("C4", "What it means", Role.HEADER)
    inputs = [
        ("ClosingDate", "Closing Date (§1)", Kind.DATE, cap.closing_date,
         "the day the Series M was first issued"),
        ("AsOfDate", "As-of date", Kind.DATE, cap.as_of_date,
         "every figure is computed at this date (accrual up to it, votes and liquidation on it)"),
        ("Basis", "Day-count basis (§2)", Kind.WHOLE, int(settings.basis),
         "0 US 30/360 (default), 1 actual/actual, 2 actual/360, 3 actual/365, 4 European 30/360"),
        ("DividendsOnConversion", "Accrued dividends paid on conversion (§2)", Kind.BOOL,
         settings.dividends_on_conversion,
         "TRUE (default): a converting holder is paid its accrued dividends in cash first"),
        ("PaymentSchedule", "Dividend payment dates (§2)", Kind.TEXT, settings.schedule.value,
         '"from closing" (every 3 months from the Closing Date) or "quarter ends"'),
        ("VotesReading", "Votes before the first anniversary (§4)", Kind.TEXT,
         settings.votes_before_anniversary.value,
         '"as-converted" (default) or "none" (no votes until conversion opens)'),
        ("ThresholdPrice", "Dilution price (§5(e)(i))", Kind.PRICE,
         float(settings.threshold_price), "issuances of common below it raise the conversion "
         "number; $0.25 in the text (replace it after a split if the parties meant to)"),
        ("MarketPrice", "Market price of the common (§5(h))", Kind.PRICE,
         float(settings.market_price), "for the cash paid instead of a fraction of a share"),
    ]
    for row, (name, label, kind, value, meaning) in enumerate(inputs, start=5):
        t.text(f"A{row}", label, Role.LABEL)
        t.add(f"B{row}", Role.INPUT, kind, value)
        t.text(f"C{row}", meaning)
        names[name] = _abs(TERMS, f"B{row}")
    t.validations += [
        Validation("B5:B6", "date", minimum=date(1999, 1, 1), maximum=date(2100, 12, 31),
                   prompt="A date from 1999 to 2100 (the bank calendar's years)."),
        Validation("B7", "list", '"0,1,2,3,4"', prompt="0 to 4, Excel's YEARFRAC basis."),
        Validation("B8", "list", '"TRUE,FALSE"'),
        Validation("B9", "list", '"from closing,quarter ends"'),
        Validation("B10", "list", '"as-converted,none"'),
        Validation("B11:B12", "decimal", minimum=0, prompt="A price per common share."),
    ]
    # Key results.
    last_of_ledger = (f"={ISSUANCES}!H{ledger_last}" if cap.issuances
                      else "=InitialConversionNumber")
    results_top = 5 + len(inputs) + 2  # one blank row and the header below the inputs
    for column, heading in zip("ABC", ("Computed", "Value", "How"), strict=True):
        t.text(f"{column}{results_top - 1}", heading, Role.HEADER)
    results: list[tuple[str, str, Kind, str, str, object, str]] = [
        ("ConversionOpens", "Conversion opens (§5(a))", Kind.DATE,
         "=SERIESM_CONVERTFROM(ClosingDate,LeapAnniversary)",
         '=EDATE(ClosingDate,12)+IF(AND(LeapAnniversary="1 March",MONTH(ClosingDate)=2,'
         "DAY(ClosingDate)=29),1,0)", opens,
         "first anniversary of the Closing Date (29 February: LeapAnniversary)"),
        ("Convertible", "Convertible at the as-of date", Kind.BOOL, "=AsOfDate>=ConversionOpens",
         "=AsOfDate>=ConversionOpens", convertible, "the as-of date is on or after it"),
        ("ConversionDateUsed", "Conversion date for the Holders sheet", Kind.DATE,
         "=MAX(AsOfDate,ConversionOpens)", "=MAX(AsOfDate,ConversionOpens)", conversion_day,
         "the as-of date, or the anniversary if that is later"),
        ("ConversionNumber", "Conversion number after the §5(e) ledger", Kind.NUMBER,
         last_of_ledger, last_of_ledger, number, "the last row of Issuances"),
        ("Preference", "Series M preference (§3(a))", Kind.MONEY,
         "=TotalSeriesM*StatedValue+TotalAccrued", "=TotalSeriesM*StatedValue+TotalAccrued",
         capital.preference, "shares × Stated Value + accrued dividends"),
        ("ConvertedFraction", "Series M share of the common as converted", Kind.PERCENT,
         "=TotalSeriesM*ConversionNumber/(TotalSeriesM*ConversionNumber+TotalCommon)",
         "=TotalSeriesM*ConversionNumber/(TotalSeriesM*ConversionNumber+TotalCommon)",
         capital.converted_fraction, "as-converted common over all common"),
        ("Breakpoint", "Conversion breakpoint (§3, §5)", Kind.MONEY,
         "=SERIESM_BREAKPOINT(TotalSeriesM,TotalCommon,TotalAccrued,ConversionNumber,"
         "DividendsOnConversion)",
         "=IF(DividendsOnConversion,TotalAccrued+TotalSeriesM*StatedValue/ConvertedFraction,"
         "Preference/ConvertedFraction)", point,
         "exit value above which converting pays the Series M more"),
        ("ParValueOK", "Par value within the price paid per common share (§9(a))", Kind.BOOL,
         "=SERIESM_PAROK(ConversionNumber,CommonParValue)",
         "=StatedValue/ConversionNumber>=CommonParValue",
         par_value_headroom(number) >= 0, "$1,000 ÷ conversion number ≥ par"),
    ]
    for row, (name, label, kind, udf, native, expected, how) in enumerate(results,
                                                                           start=results_top):
        t.text(f"A{row}", label, Role.LABEL)
        t.add(f"B{row}", Role.COMPUTED, kind, udf=udf, native=native, expected=_excel(expected))
        t.text(f"C{row}", how)
        names[name] = _abs(TERMS, f"B{row}")
    # Fixed terms (shown, not edited), with the names formulas use.
    fixed_names = {"Stated Value": "StatedValue", "Dividend rate": "DividendRate",
                   "Conversion number": "InitialConversionNumber",
                   "Shares designated": "SharesDesignated", "Common par value": "CommonParValue"}
    periods_end = _dividend_periods(f, t, names, results_top + len(results))
    fixed_top = periods_end + 3  # one blank row, then the header
    t.text(f"A{fixed_top - 1}", "Fixed by the certificate", Role.HEADER)
    for column, heading in zip("BCDE", ("Value", "Unit", "Section", "Note"), strict=True):
        t.text(f"{column}{fixed_top - 1}", heading, Role.HEADER)
    for row, term in enumerate(terms.TERMS, start=fixed_top):
        t.text(f"A{row}", term.name, Role.LABEL)
        value = float(term.value) if isinstance(term.value, Fraction) else term.value
        kind = (Kind.TEXT if isinstance(value, str) else Kind.WHOLE
                if not isinstance(value, float) or value.is_integer()
                else Kind.PRICE if term.unit.startswith("$") else Kind.PERCENT)
        t.add(f"B{row}", Role.TEXT, kind, value)
        t.text(f"C{row}", term.unit)
        t.text(f"D{row}", term.section)
        t.text(f"E{row}", term.note)
        if term.name in fixed_names:
            names[fixed_names[term.name]] = _abs(TERMS, f"B{row}")

    return t


def _dividend_periods(f: Figures, t: Sheet, names: dict[str, str], top: int) -> int:
    """More settings (§2 accrual, §5(a) 29 February) and the dividend periods at the as-of
    date, which the built-ins formulas of the "per period" accrual read, from row ``top``
    (a blank row) on; returns the last row used."""
    cap, settings = f.cap, f.cap.settings
    closing, as_of, basis, schedule = (cap.closing_date, cap.as_of_date, settings.basis,
                                       settings.schedule)
    head = top + 1
    t.text(f"A{head}", "More inputs", Role.HEADER)
    t.text(f"B{head}", "Value", Role.HEADER)
    t.text(f"C{head}", "What it means", Role.HEADER)
    more = [("Accrual", "Dividend accrual (§2)", settings.accrual.value,
             '"per period" (default): each full period pays exactly a quarter of the 5%; '
             '"from closing": one YEARFRAC from the Closing Date'),
            ("LeapAnniversary", "Anniversary of a 29 February Closing Date (§5(a))",
             settings.leap_anniversary.value, '"28 February" (default, EDATE) or "1 March"')]
    for row, (name, label, value, meaning) in enumerate(more, start=head + 1):
        t.text(f"A{row}", label, Role.LABEL)
        t.add(f"B{row}", Role.INPUT, Kind.TEXT, value)
        t.text(f"C{row}", meaning)
        names[name] = _abs(TERMS, f"B{row}")
    t.validations += [Validation(f"B{head + 1}", "list", '"per period,from closing"'),
                      Validation(f"B{head + 2}", "list", '"28 February,1 March"')]
    periods = head + 4
    quarter_ends = 'PaymentSchedule="quarter ends"'
    first_quarter_end = ("IF(EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),3))=ClosingDate,"
                         "EOMONTH(ClosingDate,3),EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),3)))")

    def boundary(index: str) -> str:
        return (f"IF({quarter_ends},EOMONTH(FirstPeriodStart,3*{index}),"
                f"EDATE(ClosingDate,3*{index}))")

    def dc(start: str, end: str) -> str:  # 30/360 by YEARFRAC for bases 0 and 4, else actual
        return f"IF(MOD(Basis,4)=0,YEARFRAC({start},{end},Basis)*360,{end}-{start})"

    done = periods_done(closing, as_of, schedule)
    first_start, first_end = (period_boundary(closing, 0, schedule),
                              period_boundary(closing, 1, schedule))
    months = (as_of.year - first_start.year) * 12 + as_of.month - first_start.month
    t.text(f"A{periods}", "Dividend periods at the as-of date (§2)", Role.HEADER)
    t.text(f"B{periods}", "Value", Role.HEADER)
    t.text(f"C{periods}", "How", Role.HEADER)
    helpers: list[tuple[str, str, Kind, str, object, str]] = [
        ("FirstPaymentDate", "First dividend payment date", Kind.DATE,
         f"=IF({quarter_ends},{first_quarter_end},EDATE(ClosingDate,3))", first_end,
         "the first date of the payment schedule"),
        ("FirstPeriodStart", "Start of the first dividend period", Kind.DATE,
         f"=IF({quarter_ends},EOMONTH(FirstPaymentDate,-3),ClosingDate)", first_start,
         "the Closing Date, or the quarter end before the first payment date"),
        ("PeriodGuess", "Quarters of months since that start", Kind.WHOLE,
         "=INT(((YEAR(AsOfDate)-YEAR(FirstPeriodStart))*12+MONTH(AsOfDate)"
         "-MONTH(FirstPeriodStart))/3)", months // 3,
         "the periods done, or one more when the as-of date is before that month's date"),
        ("PeriodsDone", "Dividend periods ended by the as-of date", Kind.WHOLE,
         f"=PeriodGuess-IF({boundary('PeriodGuess')}>AsOfDate,1,0)", done,
         "payment dates on or before the as-of date"),
        ("PeriodStart", "Start of the running period", Kind.DATE,
         f"={boundary('PeriodsDone')}", period_boundary(closing, done, schedule), ""),
        ("PeriodEnd", "End of the running period", Kind.DATE,
         f"={boundary('(PeriodsDone+1)')}", period_boundary(closing, done + 1, schedule), ""),
        ("FirstPeriodFraction", "Part of the first period from the Closing Date", Kind.NUMBER,
         f"={dc('ClosingDate', 'FirstPaymentDate')}/{dc('FirstPeriodStart', 'FirstPaymentDate')}",
         period_days(closing, first_end, basis) / period_days(first_start, first_end, basis),
         "1 unless the quarter-end schedule makes the first period short"),
        ("AccrualYears", "Years of dividend accrued to the as-of date", Kind.NUMBER,
         '=IF(Accrual="from closing",YEARFRAC(ClosingDate,AsOfDate,Basis),IF(PeriodsDone=0,'
         f"{dc('ClosingDate', 'AsOfDate')}/{dc('FirstPeriodStart', 'FirstPaymentDate')},"
         f"FirstPeriodFraction+PeriodsDone-1+{dc('PeriodStart', 'AsOfDate')}/"
         f"{dc('PeriodStart', 'PeriodEnd')})/4)",
         accrual_years(closing, as_of, basis, settings.accrual, schedule),
         "per period: (full periods + dc fraction of the running one) ÷ 4; dc is 30/360 days "
         "for bases 0 and 4, actual days otherwise"),
    ]
    for row, (name, label, kind, formula, expected, how) in enumerate(helpers,
                                                                         start=periods + 1):
        t.text(f"A{row}", label, Role.LABEL)
        t.same(f"B{row}", kind, formula, _excel(expected))
        t.text(f"C{row}", how)
        names[name] = _abs(TERMS, f"B{row}")
    return periods + len(helpers)


def _holders(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap = f.cap
    first, last, total_row = rows.first, rows.last, rows.total_row
    total_diluted = f.total_diluted
    h = Sheet(HOLDERS, freeze="B4", widths={"A": 26, "B": 16, "C": 18, "D": 16, "E": 17,
                                               "F": 19, "G": 20, "H": 16, "I": 14, "J": 20,
                                               "K": 14})
    h.text("A1", "Holders at the as-of date", Role.TITLE)
    h.text("A2", "One row per holder (inputs in columns A to D); each computed column is one "
                 "formula over the holders. Totals below.")
    headers = ("Holder", "Series M shares", "Common shares", "Dividends paid",
               "Accrued dividends (§2)", "Liquidation value (§3(a))", "Common on conversion (§5)",
               "Votes (§4)", "Cash in lieu (§5(h))", "Fully diluted common",
               "Fully diluted ownership")
    for column, heading in zip("ABCDEFGHIJK", headers, strict=True):
        h.text(f"{column}3", heading, Role.HEADER)
    span = {c: f"{c}{first}:{c}{last}" for c in "ABCDEFGHIJK"}
    udf_columns = {
        "E": f"=SERIESM_ACCRUED({span['B']},ClosingDate,AsOfDate,{span['D']},Basis,Accrual,"
             "PaymentSchedule)",
        "F": f"=SERIESM_LIQVALUE({span['B']},ClosingDate,AsOfDate,{span['D']},Basis,Accrual,"
             "PaymentSchedule)",
        "G": f"=SERIESM_CONVERT({span['B']},ClosingDate,ConversionDateUsed,ConversionNumber,"
             f"{span['B']},LeapAnniversary)",
        "H": f"=SERIESM_VOTES({span['B']},ClosingDate,AsOfDate,ConversionNumber,VotesReading,"
             "LeapAnniversary)",
        "I": f"=SERIESM_CASHINLIEU({span['B']},ConversionNumber,MarketPrice)",
        "J": f"={span['C']}+{span['G']}",
        "K": f"={span['J']}/TotalFullyDiluted",
    }
    for index, holder in enumerate(cap.holders):
        r = first + index
        h.add(f"A{r}", Role.INPUT, Kind.TEXT, holder.name)
        h.add(f"B{r}", Role.INPUT, Kind.SHARES, float(holder.series_m_shares))
        h.add(f"C{r}", Role.INPUT, Kind.WHOLE, float(holder.common_shares))
        h.add(f"D{r}", Role.INPUT, Kind.MONEY, float(holder.dividends_paid))
        yearfrac = "AccrualYears"
        product = f"B{r}*ConversionNumber"
        formulas = {
            "E": f"=ROUND(B{r}*StatedValue*DividendRate*{yearfrac}-D{r},2)",
            "F": f"=ROUND(B{r}*StatedValue+B{r}*StatedValue*DividendRate*{yearfrac}-D{r},2)",
            "G": f"={product}",
            "H": f'=IF(AND(VotesReading="none",AsOfDate<ConversionOpens),0,'
                 f"INT(ROUND({product},6)))",
            "I": f"=ROUND(({product}-INT(ROUND({product},6)))*MarketPrice,2)",
            "J": f"=C{r}+G{r}",
            "K": f"=J{r}/TotalFullyDiluted",
        }
        figures = {"E": f.accrued[index], "F": f.liquidation[index], "G": f.converted[index],
                   "H": f.votes[index], "I": f.cash[index], "J": f.diluted[index],
                   "K": f.diluted[index] / total_diluted}
        kinds = {"E": Kind.MONEY, "F": Kind.MONEY, "G": Kind.COMMON, "H": Kind.WHOLE,
                 "I": Kind.MONEY, "J": Kind.COMMON, "K": Kind.PERCENT}
        for column in "EFGHIJK":
            anchor = index == 0
            h.add(f"{column}{r}", Role.COMPUTED, kinds[column],
                  udf=udf_columns[column] if anchor else None,
                  array=span[column] if anchor else None,
                  native=formulas[column], expected=_excel(figures[column]))
    h.text(f"A{total_row}", "Total", Role.HEADER)
    totals = {"B": (cap.series_m_total, Kind.SHARES, "TotalSeriesM"),
              "C": (cap.common_total, Kind.WHOLE, "TotalCommon"),
              "D": (f.total_paid, Kind.MONEY, "TotalPaid"),
              "E": (f.total_accrued, Kind.MONEY, "TotalAccrued"),
              "F": (sum(f.liquidation, Decimal(0)), Kind.MONEY, "TotalLiquidationValue"),
              "G": (sum(f.converted, Fraction(0)), Kind.COMMON, None),
              "H": (sum(f.votes), Kind.WHOLE, None),
              "I": (sum(f.cash, Decimal(0)), Kind.MONEY, None),
              "J": (total_diluted, Kind.COMMON, "TotalFullyDiluted"),
              "K": (Fraction(1), Kind.PERCENT, None)}
    for column, (figure, kind, name) in totals.items():
        # The sums run to the blank row under the holders, so a row inserted above it (a new
        # holder) is inside them, and in the Checks' ranges too.
        h.same(f"{column}{total_row}", kind, f"=SUM({column}{first}:{column}{total_row - 1})",
               _excel(figure))
        if name:
            names[name] = _abs(HOLDERS, f"{column}{total_row}")
    h.validations.append(Validation(f"B{first}:B{last}", "decimal", minimum=0,
                                    maximum=terms.SHARES_DESIGNATED,
                                    prompt="Series M shares: 0 to 9,100 (§1)."))
    h.validations.append(Validation(f"C{first}:D{last}", "decimal", minimum=0))
    return h


def _issuances(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    cap, settings, ledger = f.cap, f.cap.settings, f.ledger
    ledger_first, ledger_last = rows.ledger_first, rows.ledger_last
    s = Sheet(ISSUANCES, freeze="A4", widths={"A": 13, "B": 24, "C": 16, "D": 18, "E": 10,
                                                "F": 16, "G": 18, "H": 26, "I": 22, "J": 26,
                                                "K": 30})
    s.text("A1", "Issuances of common since the designation (§5(e))", Role.TITLE)
    s.text("A2", "In date order. Exempt: options under an employee plan, or conversions of "
                 "securities outstanding in December 2004 (the exact date is blank in the filing)."
                 " A row dated after the as-of date is listed but not counted.")
    for column, heading in zip("ABCDEFGHIJ", (
            "Date", "Common outstanding before", "New shares", "Consideration", "Exempt",
            "Price per share", "Below the threshold", "Conversion number after",
            "Not counted at the as-of date", "Outstanding before, per the ledger"), strict=True):
        s.text(f"{column}3", heading, Role.HEADER)
    if not cap.issuances:
        s.text("A4", "No issuances: the conversion number is the certificate's 4,000 (§5(b)).")
    for index, (issue, running) in enumerate(zip(cap.issuances, ledger, strict=True)):
        r = ledger_first + index
        s.add(f"A{r}", Role.INPUT, Kind.DATE, issue.date)
        s.add(f"B{r}", Role.INPUT, Kind.WHOLE, float(issue.common_outstanding))
        s.add(f"C{r}", Role.INPUT, Kind.WHOLE, float(issue.new_shares))
        s.add(f"D{r}", Role.INPUT, Kind.MONEY, float(issue.consideration))
        s.add(f"E{r}", Role.INPUT, Kind.BOOL, issue.exempt)
        price = issue.consideration / issue.new_shares
        not_counted = issue.exempt or issue.date > cap.as_of_date
        s.same(f"F{r}", Kind.PRICE, f"=D{r}/C{r}", _excel(price))
        s.same(f"I{r}", Kind.BOOL, f"=OR(E{r},A{r}>AsOfDate)", not_counted)
        s.same(f"G{r}", Kind.BOOL, f"=AND(NOT(I{r}),F{r}<ThresholdPrice)",
               (not not_counted) and price < settings.threshold_price)
        before = "InitialConversionNumber" if index == 0 else f"H{r - 1}"
        anchor = index == 0
        cells = f"{ledger_first}:{{c}}{ledger_last}"
        ranges = {c: f"{c}{cells.format(c=c)}" for c in "BCDI"}
        s.add(f"H{r}", Role.COMPUTED, Kind.NUMBER,
              udf=(f"=SERIESM_DILUTE(InitialConversionNumber,{ranges['B']},{ranges['C']},"
                   f"{ranges['D']},{ranges['I']},ThresholdPrice)") if anchor else None,
              array=f"H{ledger_first}:H{ledger_last}" if anchor else None,
              native=f"=IF(G{r},{before}*(B{r}+C{r})/(B{r}+D{r}/ThresholdPrice),{before})",
              expected=_excel(running))
        if index == 0:
            per_ledger = "=OpeningCommon+" + rows.converted(SINCE_CLOSING, f"A{r}")
        else:
            since_above = rows.converted(f'">"&A{r - 1}', f"A{r}")
            per_ledger = f"=B{r - 1}+C{r - 1}+{since_above}"
        s.same(f"J{r}", Kind.WHOLE, per_ledger, _excel(f.outstanding_per_ledger[index]))
    if cap.issuances:
        s.validations.append(Validation(f"E{ledger_first}:E{ledger_last}", "list",
                                        '"TRUE,FALSE"'))
    # The common outstanding the ledger gives, for the Checks: at the Closing Date (an input)
    # and at the as-of date (the last row counted, plus the conversions since).
    opening_row, ledger_row = int(OPENING_COMMON_CELL[1:]), int(LEDGER_COMMON_CELL[1:])
    s.text(f"K{opening_row - 1}", "Common outstanding at the Closing Date", Role.HEADER)
    s.add(OPENING_COMMON_CELL, Role.INPUT, Kind.WHOLE, float(f.opening_common))
    names["OpeningCommon"] = _abs(ISSUANCES, OPENING_COMMON_CELL)
    s.text(f"K{ledger_row - 1}", "Common outstanding at the as-of date", Role.HEADER)
    span = {c: f"${c}${ledger_first}:${c}${max(ledger_last, ledger_first)}" for c in "ABC"}
    last = f"MATCH(AsOfDate,{span['A']},1)"
    since_last = rows.converted(f'">"&INDEX({span["A"]},{last})', "AsOfDate")
    since_closing = rows.converted(SINCE_CLOSING, "AsOfDate")
    s.same(LEDGER_COMMON_CELL, Kind.WHOLE,
           f"=IFERROR(INDEX({span['B']},{last})+INDEX({span['C']},{last})+{since_last},"
           f"OpeningCommon+{since_closing})", _excel(f.ledger_common))
    names["LedgerCommonOutstanding"] = _abs(ISSUANCES, LEDGER_COMMON_CELL)
    s.text(f"K{ledger_row + 1}", "the last row counted (B + C), plus the common issued on "
           "conversion since (Events sheet)")
    return s


def _events(f: Figures, rows: Rows) -> Sheet:
    cap = f.cap
    e = Sheet(EVENTS, freeze="A4", widths={"A": 12, "B": 12, "C": 24, "D": 20, "E": 14,
                                             "F": 16, "G": 14, "H": 8, "I": 30, "J": 30,
                                             "K": 18, "L": 18})
    e.text("A1", "The ledger of events", Role.TITLE)
    e.text("A2", "Every event of the ledger, in date order; those after the as-of date are "
                 "listed but not applied. Common issued and outstanding are the ledger's.")
    for column, heading in zip("ABCDEFGHIJKL", (
            "Date", "Event", "Holder", "To holder", "Series M shares", "Common shares",
            "Amount", "Exempt", "Note", "At the as-of date", "Common issued",
            "Common outstanding after"), strict=True):
        e.text(f"{column}3", heading, Role.HEADER)
    if not cap.events:
        e.text("A4", "No events: this workbook was made from a holders table, not a ledger "
                     "(seriesm template --events LEDGER).")
    for index, effect in enumerate(cap.events):
        r = rows.events_first + index
        event = effect.event
        e.add(f"A{r}", Role.TEXT, Kind.DATE, event.date)
        e.text(f"B{r}", event.kind.value)
        e.text(f"C{r}", event.holder)
        e.text(f"D{r}", event.to_holder)
        e.add(f"E{r}", Role.TEXT, Kind.SHARES, float(event.series_m_shares))
        e.add(f"F{r}", Role.TEXT, Kind.WHOLE, float(event.common_shares))
        e.add(f"G{r}", Role.TEXT, Kind.MONEY, float(event.amount))
        e.add(f"H{r}", Role.TEXT, Kind.BOOL, event.exempt)
        e.text(f"I{r}", event.note)
        e.same(f"J{r}", Kind.TEXT, f'=IF(A{r}<=AsOfDate,"applied","after: not applied")',
               "applied" if event.date <= cap.as_of_date else "after: not applied")
        e.add(f"K{r}", Role.TEXT, Kind.COMMON, float(effect.common_issued))
        e.add(f"L{r}", Role.TEXT, Kind.COMMON, float(effect.common_outstanding_after))
    return e


def _dividends(f: Figures, rows: Rows) -> Sheet:
    schedule = f.schedule
    d = Sheet(DIVIDENDS, freeze="A5", widths={"A": 14, "B": 16, "C": 16, "D": 16})
    d.text("A1", "Quarterly dividends of the Series M class (§2)", Role.TITLE)
    d.text("A2", "All the Series M (TotalSeriesM shares) and all dividends paid (TotalPaid), "
                 "payments applied to the oldest dues first. One row per payment date up to the "
                 "as-of date of this workbook.")
    header = ("Payment date", "Dividend due", "Paid", "Arrears")
    top, bottom = rows.top, rows.bottom
    block = f"A{top}:D{bottom}"
    for column, heading in zip("ABCD", header, strict=True):
        ref = f"{column}{top}"
        if column == "A":  # the array formula's anchor carries the header too
            d.add(ref, Role.HEADER, Kind.TEXT, heading, array=block, udf=(
                "=SERIESM_SCHEDULE(TotalSeriesM,ClosingDate,AsOfDate,TotalPaid,Basis,"
                "PaymentSchedule,Accrual)"))
        else:
            d.text(ref, heading, Role.HEADER)
    for k, payment in enumerate(schedule, start=1):
        r = top + k
        first_quarter_end = ("IF(EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),3))=ClosingDate,"
                             "EOMONTH(ClosingDate,3),EOMONTH(ClosingDate,MOD(-MONTH(ClosingDate),"
                             "3)))")
        when = (f'=IF(PaymentSchedule="quarter ends",EOMONTH({first_quarter_end},{3 * (k - 1)}),'
                f"EDATE(ClosingDate,{3 * k}))")
        # At its k-th payment date the class has accrued k − 1 full periods and the first one
        # (short under "quarter ends") per period, or one YEARFRAC from closing (§2).
        accrued_to = ('ROUND(TotalSeriesM*StatedValue*DividendRate*IF(Accrual="from closing",'
                      "YEARFRAC(ClosingDate,{date},Basis),(FirstPeriodFraction+{k}-1)/4),2)")
        due = (f"={accrued_to.format(date=f'A{r}', k=k)}" if k == 1 else
               f"={accrued_to.format(date=f'A{r}', k=k)}"
               f"-{accrued_to.format(date=f'A{r - 1}', k=k - 1)}")
        owed = f"B{r}" if k == 1 else f"D{r - 1}+B{r}"
        applied = "0" if k == 1 else f"SUM(C{top + 1}:C{r - 1})"
        d.add(f"A{r}", Role.COMPUTED, Kind.DATE, native=when, expected=payment.payment_date)
        d.add(f"B{r}", Role.COMPUTED, Kind.MONEY, native=due, expected=_excel(payment.due))
        d.add(f"C{r}", Role.COMPUTED, Kind.MONEY, native=f"=MIN({owed},TotalPaid-{applied})",
              expected=_excel(payment.paid))
        d.add(f"D{r}", Role.COMPUTED, Kind.MONEY, native=f"={owed}-C{r}",
              expected=_excel(payment.arrears))
    return d


def _waterfall(f: Figures, rows: Rows) -> Sheet:
    capital, point, convertible = f.capital, f.breakpoint, f.convertible
    w = Sheet(WATERFALL, freeze="A5", widths={"A": 18, "B": 18, "C": 18, "D": 18, "E": 16,
                                                "F": 17, "H": 18, "I": 18}, helper_columns="HI")
    w.text("A1", "Liquidation waterfall (§3)", Role.TITLE)
    w.text("A2", "Exit values (column A, editable) against what the Series M and the common "
                 "receive; the Series M converts when that pays it more (from the first "
                 "anniversary). The chart marks the breakpoint.")
    for column, heading in zip("ABCDEF", ("Exit value", "Series M total", "Series M per share",
                                           "Common total", "Common per share",
                                           "Series M converts"), strict=True):
        w.text(f"{column}4", heading, Role.HEADER)
    exit_first, exit_last = rows.exit_first, rows.exit_last
    step = _nice_step(float(point) * 2, EXIT_ROWS - 1)
    exits = [Fraction(step) * k for k in range(EXIT_ROWS)]
    # A grid point on the breakpoint itself would compare a rounded double with the exact
    # figure; nudge it by one step fraction so both engines agree on which side it is.
    exits = [e + Fraction(step) / 10 if abs(e - point) < Fraction(step) / 1000 else e
             for e in exits]
    labels = {"B": "Series M total", "C": "Series M per share", "D": "Common total",
              "E": "Common per share", "F": "Series M converts"}
    exit_span = f"A{exit_first}:A{exit_last}"
    splits = [waterfall(exact(float(e)), capital, convertible) for e in exits]
    for index, (exit_value, split) in enumerate(zip(exits, splits, strict=True)):
        r = exit_first + index
        w.add(f"A{r}", Role.INPUT, Kind.MONEY, float(exit_value))
        conversion_pays = (f"IF(DividendsOnConversion,MIN(A{r},TotalAccrued)+MAX(A{r}-TotalAccrued,"
                           f"0)*ConvertedFraction,A{r}*ConvertedFraction)")
        formulas = {
            "F": f"=AND(Convertible,A{r}>Breakpoint)",
            "B": f"=ROUND(IF(F{r},{conversion_pays},MIN(A{r},Preference)),2)",
            "C": f"=B{r}/TotalSeriesM",
            "D": f"=A{r}-B{r}",
            "E": f"=D{r}/TotalCommon",
        }
        figures = {"B": split.series_m_total, "C": split.series_m_per_share,
                   "D": split.common_total, "E": split.common_per_share,
                   "F": split.series_m_converts}
        kinds = {"B": Kind.MONEY, "C": Kind.MONEY, "D": Kind.MONEY, "E": Kind.PRICE,
                 "F": Kind.BOOL}
        for column in "BCDEF":
            anchor = index == 0
            w.add(f"{column}{r}", Role.COMPUTED, kinds[column],
                  udf=(f"=SERIESM_WATERFALL({exit_span},TotalSeriesM,TotalCommon,TotalAccrued,"
                       f'ConversionNumber,Convertible,DividendsOnConversion,"{labels[column]}")')
                  if anchor else None,
                  array=f"{column}{exit_first}:{column}{exit_last}" if anchor else None,
                  native=formulas[column], expected=_excel(figures[column]))
    top_payout = max(max(float(x.series_m_total), float(x.common_total)) for x in splits)
    w.text("H4", "Breakpoint marker", Role.HEADER)
    w.text("I4", "Payout", Role.HEADER)
    for r, height, formula in ((5, 0.0, "=0"),
                               (6, top_payout, f"=MAX(B{exit_first}:B{exit_last},"
                                                f"D{exit_first}:D{exit_last})")):
        w.same(f"H{r}", Kind.MONEY, "=Breakpoint", _excel(point))
        w.same(f"I{r}", Kind.MONEY, formula, height)
    w.chart = Chart("H9", (exit_first, exit_last),
                    (("B", "Series M total"), ("D", "Common total")), (5, 6), float(exits[-1]))
    return w


class Check(NamedTuple):
    """One reconciliation of the Checks sheet: the condition that must hold, the amount it is
    off by when it does not (shown with a format), where to look, and its source."""

    label: str
    holds: str
    off_by: str
    look_at: str
    why: str
    off_by_format: str = "#,##0.00"


#: The text of the overall status when every check holds.
ALL_OK = "All checks OK"
FIRST_CHECK_ROW = 5
#: The Checks that hold by construction (the figures are computed from one cap table) come
#: first; the reconciliations of the common after them can fail on the inputs alone.
BY_CONSTRUCTION = 8
FAILS = "FAILS: off by "


def check_formula(check: Check) -> str:
    """OK, or by how much the check fails (what to look at is in the column beside it)."""
    return (f'=IF({check.holds},"OK","{FAILS}"&TEXT({check.off_by},'
            f'"{check.off_by_format}"))')


def overall_status(results: list[object]) -> str:
    """The overall status the Checks sheet computes from its results."""
    failing = sum(1 for r in results if r != "OK")
    return ALL_OK if not failing else f"{failing} of {len(results)} checks FAIL"


def _whole_off_by(value: Fraction) -> object:
    """A reconciliation of share counts: OK within half a share, else what the cell shows,
    TEXT(value, "#,##0"), which rounds half away from zero."""
    if abs(value) < Fraction(1, 2):
        return "OK"
    rounded = math.floor(abs(value) + Fraction(1, 2))
    return f"{FAILS}{'-' if value < 0 else ''}{rounded:,}"


def _checks(f: Figures, rows: Rows, names: dict[str, str]) -> Sheet:
    first, top, bottom = rows.first, rows.top, rows.bottom
    exit_first, exit_last = rows.exit_first, rows.exit_last
    c = Sheet(CHECKS)
    c.text("A1", "Reconciliations that must hold", Role.TITLE)
    c.text("A2", "Each shows OK, or FAILS with the amount it is off by; the column beside it "
                 "says where to look.")
    for column, heading in zip("ABCD", ("Check", "Result", "If it fails, look at", "Source"),
                               strict=True):
        c.text(f"{column}4", heading, Role.HEADER)
    holder_range = f"{HOLDERS}!{{c}}{first}:{{c}}{rows.total_row - 1}"  # see _holders
    exits_a = f"{WATERFALL}!A{exit_first}:A{exit_last}"
    exits_b = f"{WATERFALL}!B{exit_first}:B{exit_last}"
    exits_d = f"{WATERFALL}!D{exit_first}:D{exit_last}"
    due_range = f"{DIVIDENDS}!B{top + 1}:B{bottom}" if f.schedule else None
    rows_off = ("ABS(SUM({b})-TotalSeriesM)+ABS(SUM({e})-TotalAccrued)+ABS(SUM({f})"
                "-TotalLiquidationValue)").format(b=holder_range.format(c="B"),
                                                  e=holder_range.format(c="E"),
                                                  f=holder_range.format(c="F"))
    liquidation_off = "TotalLiquidationValue-TotalSeriesM*StatedValue-TotalAccrued"
    waterfall_off = f"SUMPRODUCT(ABS({exits_a}-{exits_b}-{exits_d}))"
    paid_over = f"TotalPaid-SUM({due_range})" if due_range else "TotalPaid"
    common_off = "TotalCommon-LedgerCommonOutstanding"
    checks = [
        Check("Series M outstanding within the 9,100 shares designated",
              "TotalSeriesM<=SharesDesignated", "TotalSeriesM-SharesDesignated",
              "Holders column B (Series M shares): more shares than §1 designates",
              "§1", "#,##0.####"),
        Check("Holder rows add up to the totals", f"{rows_off}<0.005", rows_off,
              "Holders total row: a total that no longer sums all holder rows",
              "totals are the sums of the rows"),
        Check("Liquidation values are shares × $1,000 plus accrued dividends",
              f"ABS({liquidation_off})<0.005", liquidation_off,
              "Holders columns E and F (accrued dividends, liquidation value)", "§3(a)"),
        Check("No holder has been paid more dividends than accrued",
              f'MIN({holder_range.format(c="E")})>=0', f'MIN({holder_range.format(c="E")})',
              "Holders column D (dividends paid) against column E", "§2"),
        Check("Fully diluted ownership adds up to 100%",
              f'ABS(SUM({holder_range.format(c="K")})-1)<0.000000001',
              f'SUM({holder_range.format(c="K")})-1', "Holders columns J and K",
              "as-converted common over all common", "0.0000%"),
        Check("Every waterfall row hands out exactly its exit value",
              f"{waterfall_off}<0.005", waterfall_off,
              "Waterfall columns B and D against the exit value in column A",
              "§3: Series M + common = exit"),
        Check("Dividends paid do not exceed the dividends fallen due",
              f"{paid_over}<=0", paid_over,
              "Holders column D (dividends paid) against the Dividends sheet",
              "§2, payment dates on the Dividends sheet"),
        Check("Par value within the price paid per common share", "ParValueOK",
              "CommonParValue-StatedValue/ConversionNumber",
              "Terms: Common par value against $1,000 ÷ the conversion number", "§9(a)",
              "$0.0000"),
        Check("Holders' common (with everyone else) is the ledger's common outstanding",
              f"ABS({common_off})<0.5", common_off,
              "Holders column C, the Everyone else row too, against Issuances K7: the last "
              "§5(e) row counted plus the common issued on conversion since",
              "§5(e)(i): A, the common outstanding", "#,##0"),
        _rows_check(rows),
        _stated_check(rows),
    ]
    checks += _valuation_checks()
    for row, (check, result) in enumerate(zip(checks, f.checks, strict=True),
                                          start=FIRST_CHECK_ROW):
        c.text(f"A{row}", check.label, Role.LABEL)
        c.same(f"B{row}", Kind.TEXT, check_formula(check), result)
        c.text(f"C{row}", check.look_at)
        c.text(f"D{row}", check.why)
    results = f"B{FIRST_CHECK_ROW}:B{FIRST_CHECK_ROW + len(checks) - 1}"
    c.text("A3", "Overall", Role.LABEL)
    c.same("B3", Kind.TEXT, f'=IF(COUNTIF({results},"OK")=ROWS({results}),"{ALL_OK}",'
                            f'ROWS({results})-COUNTIF({results},"OK")&" of "&ROWS({results})'
                            f'&" checks FAIL")', overall_status(f.checks))
    names["OverallStatus"] = _abs(CHECKS, "B3")
    return c


def _rows_check(rows: Rows) -> Check:
    label = "Each §5(e) row's outstanding before follows from the row above"
    why = "§5(e)(i): A, the common outstanding before each issuance"
    if rows.ledger_last < rows.ledger_first:
        first = f"{ISSUANCES}!B{rows.ledger_first}"
        return Check(label, f"COUNT({first})=0", f"SUM({first})",
                     f"Issuances row {rows.ledger_first}: a figure typed where the ledger has "
                     "no rows (regenerate with --issuances-csv)", why, "#,##0")
    span = {c: f"{ISSUANCES}!{c}{rows.ledger_first}:{c}{rows.ledger_last}" for c in "ABJ"}
    gap = f"SUMPRODUCT(({span['A']}<=AsOfDate)*ABS({span['B']}-{span['J']}))"
    return Check(label, f"{gap}<0.5", gap,
                 "Issuances column B against column J: the row above's B + C plus the common "
                 "issued on conversion in between (Events sheet)", why, "#,##0")


def _stated_check(rows: Rows) -> Check:
    span = {c: f"{EVENTS}!{c}{rows.events_first}:{c}{rows.events_last}" for c in "ABFL"}
    gap = (f'SUMPRODUCT(({span["B"]}="outstanding")*({span["A"]}<=AsOfDate)*'
           f'ABS({span["F"]}-{span["L"]}))')
    return Check("Each common outstanding stated on the Events sheet agrees with the ledger",
                 f"{gap}<0.5", gap,
                 "Events, the outstanding rows up to the as-of date: column F (stated) "
                 "against column L (the ledger's)", "the ledger's checkpoints", "#,##0")


def _status(sheets: list[Sheet], as_of: date, status: str) -> None:
    """Every sheet's header shows the as-of date and the overall status of the Checks, at
    the right end of its first row (the title's row)."""
    for sheet in sheets:
        letters = {c.ref.rstrip("0123456789") for c in sheet.cells}
        right = max(max(cellrefs.split(f"{c}1")[0] for c in letters
                        if c not in sheet.helper_columns), 3)
        sheet.same(f"{cellrefs.letters(right - 1)}1", Kind.DATE, "=AsOfDate", as_of)
        sheet.same(f"{cellrefs.letters(right)}1", Kind.TEXT, "=OverallStatus", status)


def _about() -> Sheet:
    a = Sheet(ABOUT, widths={"A": 110})
    about = [
        ("nStor Technologies, Inc.: Series M Convertible Preferred Stock cap table", Role.TITLE),
        ("Generated by xl-seriesm from the Certificate of Designation signed 10 January 2005. "
         "Every computed figure cites its section.", Role.TEXT),
        ("", Role.TEXT),
        ("How to use it", Role.HEADER),
        ("1. Terms: set the Closing Date, the as-of date and the settings the certificate "
         "leaves open (yellow cells).", Role.TEXT),
        ("2. Holders: one row per holder: Series M shares, common shares, dividends paid. To "
         "add or remove holders, regenerate: seriesm template --holders-csv FILE.", Role.TEXT),
        ("   Or, in seriesm-captable-native.xlsx: Review > Unprotect Sheet (there is no "
         "password), insert a row above the blank row under the holders, and copy the row "
         "above into it; the totals, the Checks and the waterfall include it. Common the new "
         "holder holds comes out of the Everyone else row (lower it by as much), or the "
         "reconciliation with the ledger fails. The add-in "
         "flavor computes each column with one array formula, which a row cannot be inserted "
         "into and an Excel Table cannot hold: regenerate it. Sorting and filtering are "
         "allowed on the protected sheets, but Excel sorts only unprotected rows, so sort "
         "holders after unprotecting too.", Role.TEXT),
        ("3. Issuances: every issue or sale of common since the designation, in date order "
         "(§5(e)); the last row gives the conversion number.", Role.TEXT),
        ("4. Events: the ledger of dated events the workbook was made from (seriesm template "
         "--events LEDGER --as-of DATE); those after the as-of date are marked not applied.",
         Role.TEXT),
        ("5. Dividends, Waterfall and Checks update from those inputs. Checks must all say OK; "
         "the status in the first row of every sheet says how many FAIL when one does not.",
         Role.TEXT),
        ("", Role.TEXT),
        ("Two flavors, the same cells", Role.HEADER),
        ("seriesm-captable.xlsx calls the SERIESM_* functions of the xl-seriesm add-in (exact "
         "arithmetic, one array formula per column). seriesm-captable-native.xlsx gives the "
         "same figures with Excel's own functions only, for anyone without the add-in (Excel, "
         "LibreOffice, Google Sheets).", Role.TEXT),
        ("Money is rounded to the cent at one point per figure (half up); share counts are "
         "exact in the add-in flavor and double precision in the native one.", Role.TEXT),
    ]
    for row, (text, role) in enumerate(about, start=1):
        a.text(f"A{row}", text, role)

    return a


# --- Valuation: the option pricing model over the waterfall ----------------------------------

#: The valuer's inputs the template starts with (typical of a venture-backed company).
VALUATION_VOLATILITY = Fraction(60, 100)
VALUATION_TERM_YEARS = Fraction(3)
VALUATION_RISK_FREE_RATE = Fraction(427, 10_000)
VALUATION_TOP, VALUATION_TRANCHES = 16, 3  # the table's header row; the Series M has three


def starting_equity_value(point: Fraction) -> Fraction:
    """An equity value between the preference and the breakpoint, on a round figure."""
    step = Fraction(_nice_step(float(point), 10))
    return max(step, (point * 3 / 4 // step) * step)


def _valuation(f: Figures, names: dict[str, str]) -> Sheet:
    capital = f.capital
    v = Sheet(VALUATION, freeze="A4", widths={"A": 34, "B": 18, "C": 18, "D": 16, "E": 16,
                                               "F": 12, "G": 12, "H": 18, "I": 18, "J": 18,
                                               "K": 18})
    v.text("A1", "Value of the Series M and the common (option pricing model)", Role.TITLE)
    v.text("A2", "Beyond the certificate's arithmetic: each tranche between two breakpoints of "
                 "the §3 waterfall at the exit is worth C(from) − C(to), Black-Scholes calls on "
                 "the whole equity, shared by the tranche's marginal percentages (AICPA guide, "
                 "ASC 820).")
    v.text("A4", "Input", Role.HEADER)
    v.text("B4", "Value", Role.HEADER)
    v.text("C4", "What it means", Role.HEADER)
    equity = starting_equity_value(f.breakpoint)
    market = Market(float(VALUATION_VOLATILITY), float(VALUATION_TERM_YEARS),
                    float(VALUATION_RISK_FREE_RATE))
    inputs = [("EquityValue", "Equity value (S)", Kind.MONEY, equity,
               "value of all the equity today, the options' underlying"),
              ("Volatility", "Volatility (σ)", Kind.PERCENT, VALUATION_VOLATILITY,
               "a year, of the equity value"),
              ("TermYears", "Term in years (T)", Kind.NUMBER, VALUATION_TERM_YEARS,
               "to the expected exit or liquidity event"),
              ("RiskFreeRate", "Risk-free rate (r)", Kind.PERCENT, VALUATION_RISK_FREE_RATE,
               "a year, continuously compounded, for that term")]
    for row, (name, label, kind, value, meaning) in enumerate(inputs, start=5):
        v.text(f"A{row}", label, Role.LABEL)
        v.add(f"B{row}", Role.INPUT, kind, float(value))
        v.text(f"C{row}", meaning)
        names[name] = _abs(VALUATION, f"B{row}")
    v.validations += [
        Validation("B5", "decimal", minimum=0.01, prompt="Dollars, above 0."),
        Validation("B6", "decimal", minimum=0.0001, maximum=10, prompt="Above 0%, e.g. 60%."),
        Validation("B7", "decimal", minimum=0.01, maximum=100, prompt="Years, above 0."),
        Validation("B8", "decimal", minimum=-0.99, maximum=0.99, prompt="e.g. 4.27%."),
    ]
    v.text("A10", "σ√T", Role.LABEL)
    v.same("B10", Kind.NUMBER, "=Volatility*SQRT(TermYears)",
           float(VALUATION_VOLATILITY) * math.sqrt(float(VALUATION_TERM_YEARS)))
    names["SigmaRootT"] = _abs(VALUATION, "B10")
    v.text("A11", "Discount factor e^(−rT)", Role.LABEL)
    v.same("B11", Kind.NUMBER, "=EXP(-RiskFreeRate*TermYears)",
           math.exp(-market.risk_free_rate * market.term_years))
    names["DiscountFactor"] = _abs(VALUATION, "B11")
    # The preference at the exit: the dividends keep accruing for the term (§2), simple.
    at_exit = to_exit(capital, VALUATION_TERM_YEARS)
    v.text("A12", "Accrued dividends at the exit", Role.LABEL)
    v.same("B12", Kind.MONEY, "=TotalAccrued+TotalSeriesM*StatedValue*DividendRate*TermYears",
           _excel(at_exit.accrued_dividends))
    v.text("C12", "5% a year on the Stated Value for the term, on top of today's (§2); the "
                  "§6(a) call is not modelled")
    names["AccruedAtExit"] = _abs(VALUATION, "B12")
    v.text("A13", "Series M preference at the exit", Role.LABEL)
    v.same("B13", Kind.MONEY, "=TotalSeriesM*StatedValue+AccruedAtExit",
           _excel(at_exit.preference))
    v.text("C13", "shares × $1,000 + the dividends at the exit (§3(a))")
    names["PreferenceAtExit"] = _abs(VALUATION, "B13")
    v.text("A14", "Conversion breakpoint at the exit", Role.LABEL)
    v.same("B14", Kind.MONEY, "=IF(DividendsOnConversion,AccruedAtExit+TotalSeriesM*StatedValue"
                              "/ConvertedFraction,PreferenceAtExit/ConvertedFraction)",
           _excel(at_exit.breakpoint()))
    v.text("C14", "where converting pays the Series M more (§3, §5)")
    names["BreakpointAtExit"] = _abs(VALUATION, "B14")

    top = VALUATION_TOP
    first, last = top + 1, top + VALUATION_TRANCHES
    found = value_tranches(float(equity), series_m_tranches(at_exit), market)
    assert len(found) == VALUATION_TRANCHES
    headers = (*BREAKPOINT_HEADER, "d1", "d2", "Call C(K) at From", "Tranche value",
               "Series M value", "Common value")  # A:E are SERIESM_BREAKPOINTS' own
    for column, heading in zip("ABCDEFGHIJK", headers, strict=True):
        ref = f"{column}{top}"
        if column == "A":  # SERIESM_BREAKPOINTS fills A:E, header row included
            v.add(ref, Role.HEADER, Kind.TEXT, heading, array=f"A{top}:E{last}",
                  udf="=SERIESM_BREAKPOINTS(TotalSeriesM,TotalCommon,AccruedAtExit,"
                      "ConversionNumber,DividendsOnConversion)")
        else:
            v.text(ref, heading, Role.HEADER)
    # The three tranches of §3: the preference, the common alone, both as converted.
    bounds = [("=0", "=PreferenceAtExit", "=1", "=0"),
              ("=PreferenceAtExit", "=BreakpointAtExit", "=0", "=1"),
              ("=BreakpointAtExit", None, "=ConvertedFraction", "=1-ConvertedFraction")]
    for index, (valued, (lower, upper, series_m, common)) in enumerate(
            zip(found, bounds, strict=True)):
        r = first + index
        t, call = valued.tranche, valued.call_at_lower
        v.add(f"A{r}", Role.COMPUTED, Kind.WHOLE, native=f"={index + 1}", expected=index + 1)
        v.add(f"B{r}", Role.COMPUTED, Kind.MONEY, native=lower, expected=_excel(t.lower))
        # The last tranche has no end: an empty cell (SERIESM_BREAKPOINTS leaves it empty).
        v.add(f"C{r}", Role.COMPUTED, Kind.MONEY, native=upper or '=""',
              expected="" if t.upper is None else _excel(t.upper))
        v.add(f"D{r}", Role.COMPUTED, Kind.PERCENT, native=series_m,
              expected=_excel(t.allocation[0]))
        v.add(f"E{r}", Role.COMPUTED, Kind.PERCENT, native=common,
              expected=_excel(t.allocation[1]))
        if t.lower == 0:
            v.text(f"F{r}", "(K = 0)")
            v.text(f"G{r}", "C(0) = S")
            v.same(f"H{r}", Kind.MONEY, "=EquityValue", call.value)
        else:
            v.same(f"F{r}", Kind.NUMBER, f"=(LN(EquityValue/B{r})+(RiskFreeRate+Volatility^2/2)"
                                         f"*TermYears)/SigmaRootT", call.d1)
            v.same(f"G{r}", Kind.NUMBER, f"=F{r}-SigmaRootT", call.d2)
            v.same(f"H{r}", Kind.MONEY, f"=EquityValue*NORMSDIST(F{r})-B{r}*DiscountFactor*"
                                        f"NORMSDIST(G{r})", call.value)
        above = f"-H{r + 1}" if r < last else ""
        v.same(f"I{r}", Kind.MONEY, f"=H{r}{above}", valued.value)
        v.same(f"J{r}", Kind.MONEY, f"=D{r}*I{r}", float(t.allocation[0]) * valued.value)
        v.same(f"K{r}", Kind.MONEY, f"=E{r}*I{r}", float(t.allocation[1]) * valued.value)
    total = last + 1
    v.text(f"A{total}", "Total", Role.HEADER)
    for column in "IJK":
        v.same(f"{column}{total}", Kind.MONEY, f"=SUM({column}{first}:{column}{last})",
               math.fsum(float(x.tranche.allocation[0 if column == "J" else 1]) * x.value
                         if column != "I" else x.value for x in found))
    names["OpmTranches"] = f"{VALUATION}!$J${first}:$K${last}"
    names["OpmSeriesMSum"] = _abs(VALUATION, f"J{total}")

    opm_figures = opm_value(equity, at_exit, market)
    results_top = total + 2
    v.text(f"A{results_top}", "Value", Role.HEADER)
    v.text(f"B{results_top}", "Dollars", Role.HEADER)
    v.text(f"C{results_top}", "How", Role.HEADER)
    opm = ("=SERIESM_OPM(EquityValue,Volatility,TermYears,RiskFreeRate,TotalSeriesM,"
           'TotalCommon,TotalAccrued,ConversionNumber,DividendsOnConversion,"{}")')
    results = [("OpmSeriesM", "Series M total", Kind.MONEY, f"=ROUND(J{total},2)",
                opm_figures.series_m_total, "its share of each tranche, rounded to the cent"),
               ("OpmSeriesMPerShare", "Series M per share", Kind.MONEY,
                f"=B{results_top + 1}/TotalSeriesM", opm_figures.series_m_per_share,
                "over the Series M shares"),
               ("OpmCommon", "Common total", Kind.MONEY, f"=EquityValue-B{results_top + 1}",
                opm_figures.common_total, "the rest of the equity value"),
               ("OpmCommonPerShare", "Common per share", Kind.PRICE,
                f"=B{results_top + 3}/TotalCommon", opm_figures.common_per_share,
                "over the common shares outstanding")]
    for row, (name, label, kind, native, figure, how) in enumerate(results,
                                                                     start=results_top + 1):
        v.text(f"A{row}", label, Role.LABEL)
        v.add(f"B{row}", Role.COMPUTED, kind, udf=opm.format(label), native=native,
              expected=_excel(figure))
        v.text(f"C{row}", how)
        names[name] = _abs(VALUATION, f"B{row}")
    return v


def _valuation_checks() -> list[Check]:
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
