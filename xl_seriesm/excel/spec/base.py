"""What the spec of every Excel function is made of: the kinds of argument, an argument, a
worked example, a function; and the arguments and texts several clause families share.

The functions themselves are in this package's clause-family modules, put in order by
:mod:`xl_seriesm.excel.spec`. Text shown in Excel's function wizard (``description`` of a
function and of each argument) is one plain sentence within Excel's 255-character limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import NamedTuple

from xl_seriesm.core.conversion import parse_leap_anniversary
from xl_seriesm.core.daycount import Basis, parse_basis
from xl_seriesm.core.dividends import parse_accrual, parse_schedule
from xl_seriesm.core.notices import parse_deadline_count

#: The category the function wizard files the functions under.
CATEGORY = "Series M"


class Kind(Enum):
    """What an argument holds, which decides how a cell's value is read."""

    NUMBER = "number"
    INTEGER = "whole number"
    DATE = "date"
    MOMENT = "date or date-time"
    BOOLEAN = "TRUE/FALSE"
    CHOICE = "text or code"
    DATES = "range of dates"
    LABEL = "text"
    #: A table: a range whose first row names its columns (the capital stack).
    TABLE = "range with a header row"
    #: Splits of the common, one a row: date, new shares, old shares (SERIESM_DILUTE).
    SPLITS = "range of splits (date, new shares, old shares)"
    #: Passed on as the cell holds it, for another function to read (SERIESM_EXPLAIN).
    ANY = "any value"


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of an argument that must be given.
REQUIRED = _Required()


class Arg(NamedTuple):
    """One argument of an Excel function."""

    name: str
    description: str
    kind: Kind = Kind.NUMBER
    #: The default in Excel's terms (what the Python signature carries), REQUIRED, or None for
    #: an optional argument without one.
    default: object = REQUIRED
    #: Accepts a range of values, one answer per cell (an array call).
    array: bool = False
    #: For CHOICE and LABEL: the words a Lite dropdown offers, and the parser of the value.
    choices: tuple[str, ...] = ()
    parse: Callable[[object, str], object] | None = None
    #: Optional arguments for which 0 means nothing (no holding, no delivery date, no label):
    #: a 0, how xlwings Lite on the desktop passes an empty cell, counts as not given. Never
    #: for TRUE/FALSE (0 is FALSE, as in Excel) nor where 0 is a meaningful count.
    zero_is_empty: bool = False
    #: A required place that may be left empty, =F(, x): an empty cell reads as None (the
    #: thing does not exist, such as a vote for a transaction approved by written consent).
    may_be_empty: bool = False

    @property
    def optional(self) -> bool:
        return self.default is not REQUIRED


class Example(NamedTuple):
    """A worked example: the call, its result, and how the result follows from the text."""

    args: tuple[object, ...]
    result: object
    derivation: str
    #: How the call reads in a cell, when the arguments need writing out (dates, ranges).
    formula: str = ""


class Function(NamedTuple):
    """One Excel function: its help, its arguments and what it promises."""

    name: str
    description: str
    section: str
    args: tuple[Arg, ...]
    returns: str
    formula: str
    rounding: str
    reading: str
    errors: tuple[str, ...]
    examples: tuple[Example, ...]
    array: str = ""
    settings: tuple[str, ...] = ()

    @property
    def arg_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.args)

    def arg(self, name: str) -> Arg:
        for a in self.args:
            if a.name == name:
                return a
        raise KeyError(name)

    def syntax(self) -> str:
        shown = [a.name if not a.optional else f"[{a.name}]" for a in self.args]
        return f"{self.name}({', '.join(shown)})"


# --- arguments shared by several functions -----------------------------------------------------

SHARES = Arg("shares", "Series M shares (up to the 9,100 designated; fractions allowed), "
             "or a range of holdings.", array=True)
CLOSING_DATE = Arg("closing_date", "Closing Date: the day the Series M was first issued.",
                   Kind.DATE, array=True)
DIVIDENDS_PAID = Arg("dividends_paid", "Dividends already paid in cash on these shares, in "
                     "dollars and whole cents (default 0).", default=0, array=True)
BASIS = Arg("basis", "Day count: 0 US 30/360 (default), 1 actual/actual, 2 actual/360, "
            "3 actual/365, 4 European 30/360, or its name.", Kind.CHOICE, default=0,
            choices=tuple(b.label for b in Basis), parse=parse_basis)
ACCRUAL = Arg("accrual", "\"per period\" (default: each full dividend period pays exactly a "
              "quarter of the 5%) or \"from closing\" (one YEARFRAC from the Closing Date).",
              Kind.CHOICE, default="per period", choices=("per period", "from closing"),
              parse=parse_accrual)
SCHEDULE = Arg("schedule", "\"from closing\" (default: every 3 months from the Closing "
               "Date) or \"quarter ends\" (31 Mar, 30 Jun, 30 Sep, 31 Dec).", Kind.CHOICE,
               default="from closing", choices=("from closing", "quarter ends"),
               parse=parse_schedule)
LEAP_ANNIVERSARY = Arg("leap_anniversary", "Anniversary of a 29 February Closing Date: "
                       "\"28 February\" (default, Excel's EDATE) or \"1 March\".",
                       Kind.CHOICE, default="28 February", choices=("28 February", "1 March"),
                       parse=parse_leap_anniversary)
COUNT_FROM = Arg("count_from", "\"receipt day\" (default: the business days after the day of "
                 "receipt) or \"next business day\" (after the business day it counts on).",
                 Kind.CHOICE, default="receipt day",
                 choices=("receipt day", "next business day"), parse=parse_deadline_count)
CONVERSION_NUMBER = Arg("conversion_number", "Common shares per Series M share after "
                        "adjustments (default 4,000, §5(b)).", default=4000, array=True)
PREF_SHARES = Arg("pref_shares", "Series M shares outstanding (the whole class).")
COMMON_SHARES = Arg("common_shares", "Common shares outstanding, not counting any conversion "
                    "of the Series M.")
ACCRUED_DIVIDENDS = Arg("accrued_dividends", "Accrued and unpaid dividends on the whole "
                        "class, in dollars.")
DIVIDENDS_ON_CONVERSION = Arg("dividends_on_conversion", "TRUE (default): converting holders "
                              "are paid their accrued dividends in cash first (§2); FALSE: "
                              "they forfeit them.", Kind.BOOLEAN, default=True)
CLOSURES = Arg("closures", "Extra days banks were closed (a hurricane, a day of mourning): a "
               "range of dates, empty cells ignored.", Kind.DATES, default=None)
OPENINGS = Arg("openings", "Extra days banks were open against the Federal Reserve schedule: "
               "a range of dates, empty cells ignored.", Kind.DATES, default=None)
CALENDAR_ARGS = (CLOSURES, OPENINGS)
VOLATILITY = Arg("volatility", "Volatility of the equity value a year (0.6 or 60%).")
TERM_YEARS = Arg("term_years", "Years to the expected exit or liquidity event.")
RISK_FREE_RATE = Arg("risk_free_rate", "Risk-free rate a year for that term, continuously "
                     "compounded (0.0427 or 4.27%).")

ROUNDED_ONCE = ("Rounded once, to the cent, half up, after subtracting `dividends_paid` "
                 "(cash already paid, so whole cents); nothing before that point is rounded.")
NOT_ROUNDED_SHARES = ("Not rounded: the exact share count, except that a count within a "
                       "millionth of a whole share is snapped to it (a conversion number that "
                       "passed through a cell is no longer exact).")
EXACT = "Not rounded: exact arithmetic, shown as the nearest double."
DATE_RESULT = "A date (no rounding)."
BOOL_RESULT = "TRUE or FALSE (no rounding)."
BANK_READING = ("Banks in Palm Beach County keep the Federal Reserve holiday schedule "
                 "(`holidays` package, `XFED`, 1999 to 2100): a holiday on a Sunday closes the "
                 "Monday after; one on a Saturday does not move, so the Friday before is open. "
                 "This differs from the US federal calendar (closed that Friday) and from "
                 "Florida's state holidays (the Friday after Thanksgiving). `closures` and "
                 "`openings` adjust it.")
ACCRUAL_READING = ("Simple accrual (cumulative does not mean compounding) on the Stated Value, "
                    "from the Closing Date (included) to the as-of date (excluded). Default "
                    "`accrual` \"per period\": \"the annual rate of five percent ... payable "
                    "quarterly\" (§2), so each full dividend period of `schedule` accrues "
                    "exactly Q = shares × $1,000 × 5% ÷ 4, and a partial period (the one "
                    "running at the date, or the short first period of \"quarter ends\") "
                    "accrues Q × dc(period start or Closing Date, date) ÷ dc(period start, "
                    "period end), dc counting 30/360 days by YEARFRAC's rules for bases 0 and 4 "
                    "and actual days for bases 1 to 3: under \"per period\" the basis matters "
                    "only inside a period. \"from closing\": one Excel YEARFRAC from the "
                    "Closing Date to the date for the chosen basis (Excel's rules for "
                    "February's end included), which from a 28 February 2007 closing pays "
                    "358/360 of a year to 28 February 2008 in basis 0.")
PER_PERIOD_FORMULA = ("; per period, YEARFRAC is replaced by (full periods + the running "
                       "period's dc fraction) ÷ 4")
DATES_ERRORS = ("#VALUE! a date that is not a date, an Excel serial or ISO text "
                 "(YYYY-MM-DD); #NUM! serial 60 (Excel's phantom 1900-02-29)")
SHARES_ERRORS = ("#VALUE! `shares` is text or TRUE/FALSE; #NUM! `shares` negative, not "
                  "finite, or more than the 9,100 designated (§1)")
CAL_ERRORS = ("#NUM! a date outside 1999 to 2100, the years the Federal Reserve calendar "
               "covers; #VALUE! a day listed in both `closures` and `openings`")


def ymd(text: str) -> date:
    return date.fromisoformat(text)
