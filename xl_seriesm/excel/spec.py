"""The one description of every Excel function.

From this spec the xlwings decorators are applied (:mod:`xl_seriesm.udfs`), the function
reference in ``udf_docs/`` is generated (:mod:`xl_seriesm.docs`), the xlwings Lite module is
written (:mod:`xl_seriesm.lite`), and the worked examples are run as tests. Text shown in
Excel's function wizard (``description`` of a function and of each argument) is one plain
sentence within Excel's 255-character limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import NamedTuple

from xl_seriesm.core.conversion import parse_leap_anniversary, parse_votes_reading
from xl_seriesm.core.daycount import Basis, parse_basis
from xl_seriesm.core.dividends import parse_accrual, parse_schedule
from xl_seriesm.core.liquidation import WATERFALL_LABELS, parse_transaction
from xl_seriesm.core.notices import parse_deadline_count
from xl_seriesm.core.reorganization import parse_event
from xl_seriesm.core.valuation import BACKSOLVE_TARGETS, BREAKPOINT_HEADER, OPM_LABELS

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

_ROUNDED_ONCE = ("Rounded once, to the cent, half up, after subtracting `dividends_paid` "
                 "(cash already paid, so whole cents); nothing before that point is rounded.")
_NOT_ROUNDED_SHARES = ("Not rounded: the exact share count, except that a count within a "
                       "millionth of a whole share is snapped to it (a conversion number that "
                       "passed through a cell is no longer exact).")
_EXACT = "Not rounded: exact arithmetic, shown as the nearest double."
_DATE_RESULT = "A date (no rounding)."
_BOOL_RESULT = "TRUE or FALSE (no rounding)."
_BANK_READING = ("Banks in Palm Beach County keep the Federal Reserve holiday schedule "
                 "(`holidays` package, `XFED`, 1999 to 2100): a holiday on a Sunday closes the "
                 "Monday after; one on a Saturday does not move, so the Friday before is open. "
                 "This differs from the US federal calendar (closed that Friday) and from "
                 "Florida's state holidays (the Friday after Thanksgiving). `closures` and "
                 "`openings` adjust it.")
_ACCRUAL_READING = ("Simple accrual (cumulative does not mean compounding) on the Stated Value, "
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
_PER_PERIOD_FORMULA = ("; per period, YEARFRAC is replaced by (full periods + the running "
                       "period's dc fraction) ÷ 4")
_DATES_ERRORS = ("#VALUE! a date that is not a date, an Excel serial or ISO text "
                 "(YYYY-MM-DD); #NUM! serial 60 (Excel's phantom 1900-02-29)")
_SHARES_ERRORS = ("#VALUE! `shares` is text or TRUE/FALSE; #NUM! `shares` negative, not "
                  "finite, or more than the 9,100 designated (§1)")
_CAL_ERRORS = ("#NUM! a date outside 1999 to 2100, the years the Federal Reserve calendar "
               "covers; #VALUE! a day listed in both `closures` and `openings`")


def _ymd(text: str) -> date:
    return date.fromisoformat(text)


FUNCTIONS: tuple[Function, ...] = (
    Function(
        name="SERIESM_ACCRUED",
        description="Accrued and unpaid Series M dividends in dollars (§2): 5% a year on the "
                    "$1,000 Stated Value from the Closing Date to the as-of date, less "
                    "dividends paid.",
        section="§2",
        args=(
            SHARES,
            CLOSING_DATE,
            Arg("as_of_date", "The day to accrue to (excluded): a valuation, conversion or "
                "redemption date.", Kind.DATE, array=True),
            DIVIDENDS_PAID,
            BASIS,
            ACCRUAL,
            SCHEDULE,
        ),
        returns="Dollars of dividends accrued and not yet paid.",
        formula="ROUND(shares × 1,000 × 5% × YEARFRAC(closing_date, as_of_date, basis) − "
                "dividends_paid, 2) from closing" + _PER_PERIOD_FORMULA,
        rounding=_ROUNDED_ONCE,
        reading=_ACCRUAL_READING,
        errors=(_SHARES_ERRORS, _DATES_ERRORS,
                "#NUM! `as_of_date` before `closing_date`",
                "#NUM! `dividends_paid` negative, not whole cents, or more than has accrued "
                "(rounded to the cent)",
                "#NUM! `basis` not 0 to 4 or a known name",
                "#VALUE! ranges of unequal length"),
        examples=(
            Example((9100, _ymd("2005-01-10"), _ymd("2005-04-10")), 113750.0,
                    "10 January to 10 April is 90 days in 30/360, a quarter of a year; "
                    "9,100 × $1,000 × 5% × 90/360 = $113,750.00 (§2).",
                    '=SERIESM_ACCRUED(9100, DATE(2005,1,10), DATE(2005,4,10))'),
            Example((250, _ymd("2005-01-10"), _ymd("2005-03-01"), 0, 3), 1736.11,
                    "Per period, actual days inside the period: 10 January to 10 April is 90 "
                    "days, 50 of them passed; Q = 250 × $12.50 = $3,125 × 50/90 = $1,736.111…, "
                    "rounded to $1,736.11.",
                    '=SERIESM_ACCRUED(250, DATE(2005,1,10), DATE(2005,3,1), 0, 3)'),
            Example((250, _ymd("2005-01-10"), _ymd("2005-03-01"), 0, 3, "from closing"),
                    1712.33,
                    "From closing, actual/365: 21 days left in January, 28 in February, 1 in "
                    "March = 50 days; 250 × $1,000 × 5% = $12,500 a year × 50/365 = "
                    "$1,712.3287…, rounded to $1,712.33.",
                    '=SERIESM_ACCRUED(250, DATE(2005,1,10), DATE(2005,3,1), 0, 3, '
                    '"from closing")'),
            Example((100, _ymd("2007-02-28"), _ymd("2008-02-28")), 5000.0,
                    "Four full quarters (28 May, 28 August, 28 November 2007, 28 February "
                    "2008), each exactly 100 × $1,000 × 5% ÷ 4 = $1,250 (§2): $5,000.00. From "
                    "closing YEARFRAC counts 358/360 of a year: $4,972.22.",
                    '=SERIESM_ACCRUED(100, DATE(2007,2,28), DATE(2008,2,28))'),
            Example((100, _ymd("2005-02-28"), _ymd("2005-05-27")), 1235.8,
                    "The first period runs 28 February to 28 May 2005: 88 days by YEARFRAC's "
                    "basis-0 rules (28 February counts as the 30th), 87 of them passed: "
                    "$1,250 × 87/88 = $1,235.795…, rounded to $1,235.80.",
                    '=SERIESM_ACCRUED(100, DATE(2005,2,28), DATE(2005,5,27))'),
            Example((100, _ymd("2005-01-10"), _ymd("2006-01-10"), 1250), 3750.0,
                    "One year in 30/360: 100 × $1,000 × 5% = $5,000, less the $1,250 paid "
                    "= $3,750.00.",
                    '=SERIESM_ACCRUED(100, DATE(2005,1,10), DATE(2006,1,10), 1250)'),
        ),
        array="`shares`, `closing_date`, `as_of_date` and `dividends_paid` each take a range "
              "(one holder per row); the result has the range's shape. One call over a "
              "column of holders is much faster than one call per holder.",
        settings=("basis: day count (default 0, US 30/360)",
                  "accrual: \"per period\" (default) or \"from closing\"",
                  "schedule: the dividend periods \"per period\" counts"),
    ),
    Function(
        name="SERIESM_CONVERT",
        description="Common shares issuable when Series M shares are converted (§5), exact: "
                    "shares × conversion number, from the Closing Date's first anniversary, "
                    "in lots of 100 or the whole holding.",
        section="§5(a), §5(b), §5(h)",
        args=(
            Arg("shares", "Series M shares being converted: a multiple of 100, or the whole "
                "holding.", array=True),
            CLOSING_DATE,
            Arg("conversion_date", "Conversion Date: the business day the Notice of Conversion "
                "is received (§5(f)).", Kind.DATE, array=True),
            CONVERSION_NUMBER,
            Arg("holding", "The holder's whole holding, when converting all of it (allows a "
                "number that is not a multiple of 100).", default=None, array=True,
                zero_is_empty=True),
            LEAP_ANNIVERSARY,
        ),
        returns="Common shares issuable, possibly with a fraction (§5(h) lets the Company "
                "issue it or pay cash: see SERIESM_CASHINLIEU).",
        formula="shares × conversion_number",
        rounding=_NOT_ROUNDED_SHARES,
        reading="Conversion opens on the first anniversary of the Closing Date, that day "
                "included; a 29 February Closing Date has its anniversary on 28 February "
                "(Excel's EDATE) by default, or 1 March (`leap_anniversary`). Share counts "
                "within a millionth of a whole share are snapped before the lot test. \"In "
                "whole or in part, in multiples of one hundred\": a "
                "holding that is not a multiple of 100 may be converted only entire (give it "
                "as `holding`).",
        errors=(_SHARES_ERRORS, _DATES_ERRORS,
                "#N/A `conversion_date` before the first anniversary of `closing_date` (§5(a))",
                "#NUM! `shares` not a multiple of 100 and not equal to `holding`",
                "#NUM! `shares` more than `holding`",
                "#NUM! `conversion_number` 0 or negative (an empty cell in xlwings Lite is 0)"),
        examples=(
            Example((500, _ymd("2005-01-10"), _ymd("2006-01-10")), 2000000.0,
                    "The anniversary itself is allowed (§5(a)); 500 × 4,000 = 2,000,000 "
                    "common (§5(b)).",
                    '=SERIESM_CONVERT(500, DATE(2005,1,10), DATE(2006,1,10))'),
            Example((150, _ymd("2005-01-10"), _ymd("2006-06-30"), 4000, 150), 600000.0,
                    "150 is not a multiple of 100 but is the whole holding (\"in whole\", "
                    "§5(a)); 150 × 4,000 = 600,000.",
                    '=SERIESM_CONVERT(150, DATE(2005,1,10), DATE(2006,6,30), 4000, 150)'),
            Example((100, _ymd("2005-01-10"), _ymd("2006-01-09")),
                    "#N/A conversion_date = 2006-01-09: before 2006-01-10, the 1-year anniversary "
                    "when conversion opens (§5(a)); use that date or later.",
                    "One day before the anniversary there is no right to convert (§5(a)).",
                    '=SERIESM_CONVERT(100, DATE(2005,1,10), DATE(2006,1,9))'),
        ),
        array="`shares`, `closing_date`, `conversion_date`, `conversion_number` and `holding` "
              "each take a range; the result has the range's shape.",
        settings=("holding: enables the whole-holding reading of \"in whole\"",
                  "leap_anniversary: 28 February (default) or 1 March for a 29 February "
                  "Closing Date"),
    ),
    Function(
        name="SERIESM_DILUTE",
        description="Conversion number after an issuance of common below $0.25 a share "
                    "(§5(e)(i)); with ranges, the running number after each issuance of a "
                    "ledger in date order.",
        section="§5(e)",
        args=(
            Arg("conversion_number", "Conversion number before the issuance (or before the "
                "first row of the ledger)."),
            Arg("common_outstanding", "Common outstanding just before the issuance (A), or a "
                "column, one issuance per row.", array=True),
            Arg("new_shares", "Common shares issued or sold (B), or a column.", array=True),
            Arg("consideration", "Aggregate consideration received, in dollars (board's fair "
                "value for property, §5(e)(ii)), or a column.", array=True),
            Arg("exempt", "TRUE for employee-plan options or conversions of securities "
                "outstanding in December 2004 (not counted), or a column.", Kind.BOOLEAN,
                default=False, array=True),
            Arg("threshold_price", "Price that triggers the adjustment, used also as the "
                "divisor in C (default $0.25).", default=0.25),
        ),
        returns="The conversion number after the issuance; with ranges, a column of running "
                "conversion numbers, each row applied to the result of the row before.",
        formula="conversion_number × (A + B) / (A + C) with C = consideration ÷ "
                "threshold_price, when consideration ÷ B < threshold_price and not exempt; "
                "otherwise unchanged",
        rounding=_EXACT + " The running number is carried exactly from row to row, never "
                 "through a rounded cell.",
        reading="The $0.25 stays fixed by the text, both as the trigger and in C, even after "
                "an earlier adjustment lowered the effective price; after a split the literal "
                "figure may no longer be what the parties meant, so `threshold_price` replaces "
                "it in both places. The exemption date is blank in the filing (\"December __, "
                "2004\"), so the user flags exempt issuances. The increase is spread pro rata "
                "over the Series M (§5(e)(iii)), so each share's conversion number takes the "
                "same factor. A stock dividend or split of the common is not an issuance for "
                "this ledger: it goes through SERIESM_SPLIT (§5(c)); entered here too, the same "
                "factor would count twice. A conversion of the Series M itself issues common "
                "at $1,000 ÷ conversion number a share, to the letter below $0.25 once the "
                "number exceeds 4,000: flag it exempt (`exempt` TRUE).",
        errors=("#VALUE! a number given as text", "#NUM! `new_shares` 0 or negative",
                "#NUM! `common_outstanding` or `consideration` negative",
                "#NUM! A + C = 0 (no denominator)",
                "#VALUE! ledger columns of unequal length; an error in one row repeats in "
                "every later row, since each depends on the one before"),
        examples=(
            Example((4000, 1_000_000, 200_000, 30_000), 30000 / 7,
                    "Price $30,000 ÷ 200,000 = $0.15 < $0.25. C = 30,000 ÷ 0.25 = 120,000. "
                    "4,000 × (1,000,000 + 200,000) / (1,000,000 + 120,000) = 4,000 × 15/14 "
                    "= 30,000/7 = 4,285.714285714… (§5(e)(i))."),
            Example((4000, 1_000_000, 200_000, 60_000), 4000.0,
                    "Price $60,000 ÷ 200,000 = $0.30, not below $0.25: unchanged."),
            Example((4000, [[1_000_000], [1_200_000]], [[200_000], [100_000]],
                     [[30_000], [10_000]]), [[30000 / 7], [975000 / 217]],
                    "Row 1 as above: 30,000/7. Row 2: price $0.10; C = 40,000; "
                    "30,000/7 × 1,300,000 / 1,240,000 = 30,000/7 × 65/62 = 975,000/217 "
                    "= 4,493.087557…; each row applies to the result of the row before.",
                    "=SERIESM_DILUTE(4000, B2:B3, C2:C3, D2:D3)"),
        ),
        array="With columns, one issuance per row in date order; the result is the column "
              "of running conversion numbers. Rows left wholly empty carry the number forward.",
        settings=("threshold_price: the $0.25 of §5(e)(i), in both places",
                  "exempt: the user's flag for the blank December 2004 exemption"),
    ),
    Function(
        name="SERIESM_WATERFALL",
        description="The §3 liquidation split of an exit value between the Series M and the "
                    "common, as a table of label and value rows; one row per exit value when "
                    "given a column.",
        section="§3, §2, §5",
        args=(
            Arg("proceeds", "Exit value: assets available to all stockholders, in dollars, or "
                "a column of exit values.", array=True),
            PREF_SHARES,
            COMMON_SHARES,
            ACCRUED_DIVIDENDS,
            CONVERSION_NUMBER._replace(array=False),
            Arg("convertible", "TRUE (default) when the Series M may convert (from the first "
                "anniversary); FALSE holds it to its preference.", Kind.BOOLEAN, default=True),
            DIVIDENDS_ON_CONVERSION,
            Arg("output", "One of the row labels to return just that value (e.g. \"Common "
                "total\"); omitted, the whole table.", Kind.LABEL, default=None,
                choices=WATERFALL_LABELS, zero_is_empty=True),
        ),
        returns="A 6 × 2 table of (label, value) rows: " + ", ".join(
            f"`{label}`" for label in WATERFALL_LABELS) + "; or the single value named by "
            "`output`; or, for a column of exit values, a header row and one row per exit "
            "value with the columns `Exit value` and the six labels.",
        formula="Liquidation Value L = pref_shares × 1,000 + accrued_dividends; f = S×N/(S×N "
                "+ common_shares) with N the conversion number. Not converting: Series M = "
                "min(proceeds, L). Converting: accrued_dividends + (proceeds − "
                "accrued_dividends) × f (or proceeds × f when dividends are forfeited). The "
                "Series M converts when `convertible` and proceeds > breakpoint = "
                "accrued_dividends + pref_shares × 1,000 ÷ f (or L ÷ f). Common = proceeds − "
                "Series M.",
        rounding="The Series M total is rounded once, to the cent, half up, but never past the "
                 "proceeds rounded down to the cent; the common takes the exact rest, so each "
                 "row hands out exactly its proceeds and the common is never negative. "
                 "Per-share values divide those totals and are not rounded; the breakpoint is "
                 "exact.",
        reading="Non-participating: the Series M takes its preference (§3(a)), shared pro "
                "rata when short (§3(b)), unless converting pays strictly more; every holder "
                "of the one series decides alike. A converting holder's accrued dividends fall "
                "due in cash on conversion (§2), so by default it receives them first. The "
                "breakpoint row is shown even when `convertible` is FALSE. TRUE/FALSE "
                "arguments read 0 as FALSE, as Excel does. Holders that decide differently "
                "(dividends forfeited, different arrears): SERIESM_PAYOUTS.",
        errors=("#VALUE! a number given as text", "#NUM! `proceeds` negative",
                "#NUM! `pref_shares` 0, negative or more than 9,100",
                "#NUM! `common_shares` 0 or negative",
                "#N/A `output` is not one of the six labels"),
        examples=(
            Example((20_100_000, 9100, 36_400_000, 100_000, 4000, True, True, "Series M total"),
                    10_100_000.0,
                    "L = 9,100 × 1,000 + 100,000 = 9,200,000. As converted the class holds "
                    "36,400,000 of 72,800,000 common, f = 1/2; breakpoint = 100,000 + "
                    "9,100,000 × 2 = 18,300,000. 20,100,000 is past it, so the class converts "
                    "and takes 100,000 + 20,000,000 × 1/2 = 10,100,000 (§3, §2)."),
            Example((5_000_000, 9100, 36_400_000, 100_000, 4000, True, True, "Common total"), 0.0,
                    "5,000,000 is short of the 9,200,000 preference: the Series M takes it "
                    "all and the common nothing (§3(a), (b))."),
            Example((30_000_000, 9100, 36_400_000, 100_000, 4000, 0, True, "Series M total"),
                    9_200_000.0,
                    "0 is FALSE: not yet convertible, so past the 18,300,000 breakpoint the "
                    "Series M still takes only its 9,200,000 preference (§5(a), §3(a))."),
            Example((1000.005, 9100, 36_400_000, 100_000, 4000, True, True, "Common total"),
                    0.005,
                    "All of $1,000.005 is the Series M's, but only $1,000.00 can be paid in "
                    "cents without handing out more than there is; the common keeps the exact "
                    "$0.005, never a negative amount (§3(b))."),
            Example((5_000_000, 9100, 36_400_000, 100_000),
                    [["Series M total", 5_000_000.0], ["Series M per share", 5_000_000 / 9100],
                     ["Common total", 0.0], ["Common per share", 0.0],
                     ["Series M converts", False], ["Conversion breakpoint", 18_300_000.0]],
                    "The whole table for the same case: per share 5,000,000 ÷ 9,100 = "
                    "549.45…; breakpoint as above."),
        ),
        array="`proceeds` takes a column of exit values and returns a header row and one row "
              "per exit value (seven columns), ready for a payout-versus-exit chart.",
        settings=("convertible: whether the conversion right exists yet",
                  "dividends_on_conversion: accrued dividends paid (default) or forfeited "
                  "on conversion"),
    ),
    Function(
        name="SERIESM_LIQVALUE",
        description="Series M Liquidation Value in dollars (§3(a)): shares × the $1,000 Stated "
                    "Value plus accrued and unpaid dividends to the as-of date.",
        section="§3(a)",
        args=(SHARES, CLOSING_DATE,
              Arg("as_of_date", "The day of the liquidation (dividends accrue up to it, "
                  "excluded).", Kind.DATE, array=True),
              DIVIDENDS_PAID, BASIS, ACCRUAL, SCHEDULE),
        returns="Dollars due to those shares before anything is paid on other stock.",
        formula="ROUND(shares × 1,000 + shares × 1,000 × 5% × YEARFRAC(closing_date, "
                "as_of_date, basis) − dividends_paid, 2) from closing" + _PER_PERIOD_FORMULA,
        rounding="Rounded once, to the cent, half up, on the whole sum; nothing before "
                 "that point is rounded.",
        reading=_ACCRUAL_READING + " The Stated Value is the $1,000 of §1; its \"equitable "
                "adjustment\" after a split (§3(a)) is not computed: give adjusted share "
                "counts.",
        errors=(_SHARES_ERRORS, _DATES_ERRORS, "#NUM! `as_of_date` before `closing_date`",
                "#NUM! `dividends_paid` negative, not whole cents, or more than has accrued",
                "#NUM! `basis` not 0 to 4 or a known name", "#VALUE! ranges of unequal length"),
        examples=(
            Example((100, _ymd("2005-01-10"), _ymd("2006-01-10"), 2500), 102500.0,
                    "100 × $1,000 = $100,000, plus one year at 5% ($5,000) less $2,500 paid: "
                    "$102,500.00 (§3(a), §2).",
                    "=SERIESM_LIQVALUE(100, DATE(2005,1,10), DATE(2006,1,10), 2500)"),
            Example((9100, _ymd("2005-01-10"), _ymd("2005-04-10")), 9213750.0,
                    "$9,100,000 plus a quarter's $113,750: $9,213,750.00.",
                    "=SERIESM_LIQVALUE(9100, DATE(2005,1,10), DATE(2005,4,10))"),
        ),
        array="`shares`, `closing_date`, `as_of_date` and `dividends_paid` take ranges; one "
              "call over a column of holders is much faster than one per holder.",
        settings=("basis: day count (default 0, US 30/360)",
                  "accrual: \"per period\" (default) or \"from closing\"",
                  "schedule: the dividend periods \"per period\" counts"),
    ),
    Function(
        name="SERIESM_REDEEM",
        description="Optional redemption price in dollars (§6(a)): the Stated Value of the "
                    "shares plus dividends accrued but unpaid before the redemption date.",
        section="§6(a)",
        args=(SHARES, CLOSING_DATE,
              Arg("redemption_date", "The redemption date (at least 15 days after the notice; "
                  "see SERIESM_REDEEMDATE).", Kind.DATE, array=True),
              DIVIDENDS_PAID, BASIS, ACCRUAL, SCHEDULE),
        returns="Dollars the Company pays to redeem those shares.",
        formula="ROUND(shares × 1,000 + shares × 1,000 × 5% × YEARFRAC(closing_date, "
                "redemption_date, basis) − dividends_paid, 2) from closing" + _PER_PERIOD_FORMULA,
        rounding="Rounded once, to the cent, half up, on the whole price.",
        reading=_ACCRUAL_READING + " \"Accrued but unpaid dividends due thereon prior to the "
                "redemption date\": the accrual stops the day before, as in SERIESM_ACCRUED. "
                "\"At any time after the Closing Date, upon fifteen (15) days' notice\": a "
                "redemption date earlier than 15 days after the Closing Date is refused.",
        errors=(_SHARES_ERRORS, _DATES_ERRORS,
                "#NUM! `redemption_date` earlier than 15 days after `closing_date` (§6(a))",
                "#NUM! `dividends_paid` negative, not whole cents, or more than has accrued",
                "#NUM! `basis` not 0 to 4 or a known name"),
        examples=(
            Example((100, _ymd("2005-01-10"), _ymd("2005-07-10")), 102500.0,
                    "100 × $1,000 plus 180/360 of the $5,000 yearly dividend: $102,500.00.",
                    "=SERIESM_REDEEM(100, DATE(2005,1,10), DATE(2005,7,10))"),
            Example((9100, _ymd("2005-01-10"), _ymd("2007-06-30"), 500_000), 9724861.11,
                    "10 Jan 2005 to 30 Jun 2007 is 890 days in 30/360: 9,100 × $50 × 890/360 = "
                    "$1,124,861.11…; $9,100,000 + that − $500,000 paid = $9,724,861.11.",
                    "=SERIESM_REDEEM(9100, DATE(2005,1,10), DATE(2007,6,30), 500000)"),
            Example((100, _ymd("2005-01-10"), _ymd("2005-01-24")),
                    "#NUM! redemption_date = 2005-01-24: earlier than 2005-01-25, 15 days after "
                    "the Closing Date (§6(a): after the Closing Date, upon fifteen days' "
                    "notice); use that date or later.",
                    "Notice cannot be given before the Closing Date, and needs 15 days: 10 + 15 "
                    "= 25 January 2005 at the earliest.",
                    "=SERIESM_REDEEM(100, DATE(2005,1,10), DATE(2005,1,24))"),
        ),
        array="`shares`, `closing_date`, `redemption_date` and `dividends_paid` take ranges.",
        settings=("basis: day count (default 0, US 30/360)",
                  "accrual: \"per period\" (default) or \"from closing\"",
                  "schedule: the dividend periods \"per period\" counts"),
    ),
    Function(
        name="SERIESM_REDEEMABLE",
        description="Greatest number of Series M shares the funds lawfully available can "
                    "redeem (§6(b), DGCL §160): whole shares unless fractional, never more "
                    "than called.",
        section="§6(b)",
        args=(
            Arg("available_funds", "Dollars the Company may lawfully use for the redemption "
                "without impairing capital (DGCL §160).", array=True),
            Arg("price_per_share", "Redemption price of one share, unrounded: $1,000 plus the "
                "dividends accrued on one share (SERIESM_REDEEM of 1 share is rounded).",
                array=True),
            Arg("shares_called", "Shares named in the Notice of Optional Redemption (the most "
                "that can be redeemed; 0 redeems none).", default=None, array=True),
            Arg("fractional", "TRUE to count a fraction of a share; FALSE (default) for whole "
                "shares.", Kind.BOOLEAN, default=False),
        ),
        returns="A number of Series M shares.",
        formula="MIN(the greatest whole n with ROUND(n × price_per_share, 2) ≤ available_funds, "
                "shares_called); available_funds ÷ price_per_share when `fractional`",
        rounding="Whole shares by default, counted in cents: the price of n shares is rounded "
                 "to the cent, half up, as SERIESM_REDEEM rounds it, and must fit the funds; "
                 "with `fractional`, exact.",
        reading="§6(b)(i): the Company \"will redeem the greatest number of shares ... possible "
                "without violation\" of DGCL §160. Whole shares by default (the Company may "
                "issue fractional shares, §1, so `fractional` is offered). How they are split "
                "among holders is not said; SERIESM_ALLOCATE splits them pro rata. Give the "
                "exact price of one share (a price rounded to the cent can miscount by a "
                "share). Funds within a millionth of a dollar of a cent are that cent (a sum "
                "of prices carries float noise). `shares_called` 0 means none called: 0.",
        errors=("#VALUE! a number given as text", "#NUM! `available_funds` negative",
                "#NUM! `price_per_share` 0 or negative",
                "#NUM! `shares_called` negative or more than 9,100"),
        examples=(
            Example((1_000_000, 1025), 975.0,
                    "$1,000,000 ÷ $1,025 = 975.6…: 975 whole shares (§6(b))."),
            Example((1_000_000, 1025, 500), 500.0, "Never more than the 500 called."),
            Example((1_000_000, 1025, None, True), 40000 / 41,
                    "Fractional: exactly 1,000,000/1,025 = 40,000/41 = 975.6097…"),
            Example((5000.69, 1000.13889), 5.0,
                    "5 shares cost 5 × $1,000.13889 = $5,000.69445, paid as $5,000.69: they fit "
                    "the funds, although 5,000.69 ÷ 1,000.13889 = 4.99999… (§6(b))."),
            Example((1_000_000, 1025, 0), 0.0, "0 shares called: none redeemed."),
        ),
        array="`available_funds`, `price_per_share` and `shares_called` take ranges.",
        settings=("fractional: whole shares (default) or fractions",),
    ),
    Function(
        name="SERIESM_REDEEMDATE",
        description="Earliest redemption date after a Notice of Optional Redemption (§6(a)): "
                    "fifteen days' notice, so the notice date plus 15 calendar days.",
        section="§6(a)",
        args=(Arg("notice_date", "The day the Notice of Optional Redemption is given.",
                  Kind.DATE, array=True),),
        returns="A date.",
        formula="notice_date + 15",
        rounding=_DATE_RESULT,
        reading="\"Upon fifteen (15) days' notice\": calendar days, counted from the notice; "
                "the text does not make them business days.",
        errors=(_DATES_ERRORS,),
        examples=(Example((_ymd("2007-03-01"),), _ymd("2007-03-16"),
                          "1 March 2007 + 15 days = 16 March 2007 (§6(a)).",
                          "=SERIESM_REDEEMDATE(DATE(2007,3,1))"),),
        array="`notice_date` takes a range.",
    ),
    Function(
        name="SERIESM_CONVERTBY",
        description="Last day a holder may still convert shares called for redemption (§6(a)): "
                    "ten days after receiving the notice, if the conversion right has begun.",
        section="§6(a), §5(a)",
        args=(CLOSING_DATE,
              Arg("notice_received", "The day the holder received the Notice of Optional "
                  "Redemption.", Kind.DATE, array=True),
              LEAP_ANNIVERSARY),
        returns="A date; after it the right to convert the called shares ends.",
        formula="notice_received + 10, provided that is on or after the first anniversary of "
                "closing_date",
        rounding=_DATE_RESULT,
        reading="\"Within ten (10) days of receipt\": calendar days, the tenth day included. "
                "Conversion also needs the first anniversary (§5(a)): a window that closes "
                "before it leaves no conversion right at all (#N/A).",
        errors=(_DATES_ERRORS, "#NUM! `notice_received` before `closing_date`",
                "#N/A the ten-day window closes before the first anniversary (no right to "
                "convert)"),
        examples=(
            Example((_ymd("2005-01-10"), _ymd("2007-03-01")), _ymd("2007-03-11"),
                    "1 March 2007 + 10 days = 11 March 2007 (§6(a)).",
                    "=SERIESM_CONVERTBY(DATE(2005,1,10), DATE(2007,3,1))"),
            Example((_ymd("2005-01-10"), _ymd("2005-06-01")),
                    "#N/A notice_received = 2005-06-01: before 2006-01-10, the 1-year "
                    "anniversary when conversion opens (§5(a)); use that date or later.",
                    "A first-year redemption: the window closes 11 June 2005, before the "
                    "10 January 2006 anniversary, so there is no conversion option.",
                    "=SERIESM_CONVERTBY(DATE(2005,1,10), DATE(2005,6,1))"),
        ),
        array="`closing_date` and `notice_received` take ranges.",
    ),
    Function(
        name="SERIESM_BREAKPOINT",
        description="Exit value above which converting pays the Series M more than its "
                    "liquidation preference (§3, §5): the waterfall's Conversion breakpoint.",
        section="§3, §5, §2",
        args=(PREF_SHARES, COMMON_SHARES, ACCRUED_DIVIDENDS,
              CONVERSION_NUMBER._replace(array=False), DIVIDENDS_ON_CONVERSION),
        returns="Dollars of exit value; at exactly this value both choices pay the same and "
                "the Series M does not convert.",
        formula="f = pref_shares × N / (pref_shares × N + common_shares); breakpoint = "
                "accrued_dividends + pref_shares × 1,000 ÷ f (dividends paid on conversion), "
                "or (pref_shares × 1,000 + accrued_dividends) ÷ f (forfeited)",
        rounding="Not rounded: a threshold, not a payment (exact, shown as the nearest double).",
        reading="As SERIESM_WATERFALL: the preference is the §3(a) Liquidation Value; "
                "converting pays the accrued dividends in cash first (§2) unless "
                "`dividends_on_conversion` is FALSE.",
        errors=("#VALUE! a number given as text", "#NUM! `pref_shares` 0, negative or more "
                "than 9,100", "#NUM! `common_shares` 0 or negative",
                "#NUM! `accrued_dividends` negative", "#NUM! `conversion_number` 0 or negative"),
        examples=(
            Example((9100, 36_400_000, 100_000), 18_300_000.0,
                    "As converted the class would hold 36,400,000 of 72,800,000 common (f = 1/2); "
                    "100,000 + 9,100,000 ÷ 1/2 = 18,300,000."),
            Example((9100, 36_400_000, 100_000, 4000, False), 18_400_000.0,
                    "Dividends forfeited: (9,100,000 + 100,000) ÷ 1/2 = 18,400,000."),
        ),
        settings=("dividends_on_conversion: paid (default) or forfeited",),
    ),
    Function(
        name="SERIESM_ALLOCATE",
        description="Splits an amount pro rata over a range of weights in whole units that add "
                    "up exactly (§3(b) shortfalls in cents, §6(b) redemptions in whole shares).",
        section="§3(b), §6(b)",
        args=(
            Arg("amount", "The amount to split: dollars available to the Series M, or shares "
                "to redeem."),
            Arg("weights", "One weight per holder: full preferential amounts (§3(b)) or "
                "holdings (§6(b)).", Kind.NUMBER, array=True),
            Arg("unit", "The unit handed out: 0.01 (default) for cents, 1 for whole shares.",
                default=0.01),
        ),
        returns="A range shaped like `weights`: each holder's part, in multiples of `unit`, "
                "adding up exactly to `amount`.",
        formula="quota = amount × weight ÷ SUM(weights); each holder gets the whole units of "
                "its quota, and the units left over go one each to the largest remainders "
                "(the earlier row first on a tie)",
        rounding="In whole units of `unit`, by largest remainder (Hamilton's method), so the "
                 "parts add up exactly to the amount; no other rounding.",
        reading="§3(b) shares a shortfall \"pro rata, in proportion to the full preferential "
                "amounts\"; §6(b) names no rule for splitting a partial redemption, and the "
                "default reading is pro rata to holdings, in whole shares.",
        errors=("#NUM! `amount` negative or not a whole number of units",
                "#NUM! a weight negative, or all weights 0 with an amount to split",
                "#NUM! `unit` 0 or negative", "#VALUE! a weight given as text"),
        examples=(
            Example((100, [[1], [1], [1]]), [[33.34], [33.33], [33.33]],
                    "$100 over three equal claims: 33.33 each and one cent left, which goes to "
                    "the first row on the tie.", "=SERIESM_ALLOCATE(100, A2:A4)"),
            Example((975, [[3500], [2500], [1850], [1000], [250]], 1),
                    [[375.0], [268.0], [198.0], [107.0], [27.0]],
                    "975 shares over holdings of 9,100: quotas 375, 267.857, 198.214, 107.143, "
                    "26.786; whole parts add to 973; the 2 left go to the largest remainders, "
                    ".857 and .786.", "=SERIESM_ALLOCATE(975, B2:B6, 1)"),
        ),
        array="`weights` is a range; the result has its shape.",
    ),
    Function(
        name="SERIESM_DEEMEDLIQ",
        description="Whether a merger or asset sale is treated as a liquidation under §3(c), "
                    "testing every limb of the clause; with explain, the reason in words.",
        section="§3(c)",
        args=(
            Arg("transaction", "\"merger\" (merger, reorganization, consolidation) or \"asset "
                "sale\" (sale, transfer or lease of assets).", Kind.CHOICE,
                choices=("merger", "asset sale"), parse=parse_transaction),
            Arg("electing_shares", "Series M shares whose holders elect, by written notice, to "
                "treat it as a liquidation."),
            Arg("outstanding_shares", "Series M shares outstanding."),
            Arg("voting_power_kept", "For a merger: fraction of the surviving entity's voting "
                "power the Company's shareholders own after it (e.g. 0.4).", default=None),
            Arg("shares_exchanged", "For a merger: TRUE (default) if the Company's shares are "
                "exchanged for the other corporation's securities or consideration.",
                Kind.BOOLEAN, default=True),
            Arg("substantially_all", "For an asset sale: TRUE (default) if all or "
                "substantially all the assets.", Kind.BOOLEAN, default=True),
            Arg("lender_pledge", "For an asset sale: TRUE if it is a pledge or security "
                "interest to a bona fide lender (excluded).", Kind.BOOLEAN, default=False),
            Arg("affiliate_transfer", "For an asset sale: TRUE if to or by a wholly-owned "
                "subsidiary or parent (excluded).", Kind.BOOLEAN, default=False),
            Arg("explain", "TRUE to return the reason in words instead of TRUE/FALSE.",
                Kind.BOOLEAN, default=False),
        ),
        returns="TRUE when the holders may take their §3(a) Liquidation Value; or the reason, "
                "starting \"yes:\" or \"no:\", with the limb and section.",
        formula="merger: shares_exchanged AND voting_power_kept ≤ 50%; asset sale: "
                "substantially_all AND NOT lender_pledge AND NOT affiliate_transfer; either way "
                "AND electing_shares ≥ 50% of outstanding_shares",
        rounding=_BOOL_RESULT,
        reading="§3(c)(i): the Company's shareholders, all of them and not only the Series M, "
                "own 50% or less of the surviving entity's voting power. §3(c)(ii): a sale, "
                "transfer or lease of all or substantially all assets, except to a bona fide "
                "lender as a pledge or security interest and transfers to or by a wholly-owned "
                "subsidiary or parent. Either counts only if holders of at least 50% of the "
                "Series M elect it by written notice at least three days before the effective "
                "date (SERIESM_ELECTBY); otherwise the holders keep their conversion right "
                "into the deal (§5(d)).",
        errors=("#NUM! `transaction` not \"merger\" or \"asset sale\"",
                "#VALUE! `voting_power_kept` missing for a merger",
                "#NUM! `voting_power_kept` outside 0 to 1",
                "#NUM! `electing_shares` more than `outstanding_shares`"),
        examples=(
            Example(("merger", 5460, 9100, 0.4), True,
                    "Shareholders keep 40% (50% or less) and holders of 5,460/9,100 = 60% elect "
                    "(at least 50%): a deemed liquidation (§3(c)(i))."),
            Example(("merger", 5460, 9100, 0.6, True, True, False, False, True),
                    "no: shareholders keep 60% of the voting power, more than 50% (§3(c)(i))",
                    "The shareholders keep control: not a liquidation; the Series M converts "
                    "into the deal instead (§5(d))."),
            Example(("asset sale", 9100, 9100, None, True, True, True), False,
                    "A pledge to a bona fide lender is excluded by §3(c)(ii)."),
        ),
    ),
    Function(
        name="SERIESM_LIQNOTICEBY",
        description="Last day for the Company's notice of a transaction treated as a "
                    "liquidation (§3(c)): 20 days before the earlier of the vote and the "
                    "closing.",
        section="§3(c)",
        args=(Arg("vote_date", "The day of the vote on the transaction; leave it empty when "
                  "there is no vote (written consent).", Kind.DATE, array=True,
                  zero_is_empty=True, may_be_empty=True),
              Arg("transaction_closing", "The day the transaction closes.", Kind.DATE,
                  array=True)),
        returns="A date: the notice must go out on or before it.",
        formula="MIN(vote_date, transaction_closing) − 20; transaction_closing − 20 with no "
                "vote",
        rounding=_DATE_RESULT,
        reading="\"At least twenty (20) days prior to the earlier of the vote ... or the "
                "closing\": calendar days. With no vote (the transaction approved by written "
                "consent) the closing alone counts.",
        errors=(_DATES_ERRORS,),
        examples=(Example((_ymd("2007-06-30"), _ymd("2007-07-15")), _ymd("2007-06-10"),
                          "The vote (30 June) comes first: 30 June − 20 days = 10 June 2007.",
                          "=SERIESM_LIQNOTICEBY(DATE(2007,6,30), DATE(2007,7,15))"),
                  Example((None, _ymd("2007-07-15")), _ymd("2007-06-25"),
                          "No vote: 15 July − 20 days = 25 June 2007.",
                          "=SERIESM_LIQNOTICEBY(, DATE(2007,7,15))")),
        array="Both dates take ranges.",
    ),
    Function(
        name="SERIESM_ELECTBY",
        description="Last day for the Series M holders' written election to treat a "
                    "transaction as a liquidation (§3(c)): three days before its effective "
                    "date.",
        section="§3(c)",
        args=(Arg("effective_date", "The effective date of the merger or asset sale.",
                  Kind.DATE, array=True),),
        returns="A date: the election must be given on or before it.",
        formula="effective_date − 3",
        rounding=_DATE_RESULT,
        reading="\"At least three days before the effective date\": calendar days.",
        errors=(_DATES_ERRORS,),
        examples=(Example((_ymd("2007-07-15"),), _ymd("2007-07-12"),
                          "15 July − 3 days = 12 July 2007 (§3(c)).",
                          "=SERIESM_ELECTBY(DATE(2007,7,15))"),),
        array="`effective_date` takes a range.",
    ),
    Function(
        name="SERIESM_CONVERTFROM",
        description="First day the Series M may be converted (§5(a)): the first anniversary "
                    "of the Closing Date.",
        section="§5(a), §5(b)",
        args=(CLOSING_DATE, LEAP_ANNIVERSARY),
        returns="A date.",
        formula="EDATE(closing_date, 12); the day after for a 29 February Closing Date under "
                "\"1 March\"",
        rounding=_DATE_RESULT,
        reading="\"Beginning on the one (1) year anniversary of the Closing Date\": that day "
                "included; a 29 February Closing Date has its anniversary on 28 February "
                "(Excel's EDATE) by default, or on 1 March when a full year must have passed "
                "(`leap_anniversary`).",
        errors=(_DATES_ERRORS,
                "#NUM! `leap_anniversary` not \"28 February\" or \"1 March\""),
        examples=(
            Example((_ymd("2005-01-10"),), _ymd("2006-01-10"), "One year after the Closing "
                    "Date.", "=SERIESM_CONVERTFROM(DATE(2005,1,10))"),
            Example((_ymd("2008-02-29"),), _ymd("2009-02-28"), "29 February: EDATE gives "
                    "28 February.", "=SERIESM_CONVERTFROM(DATE(2008,2,29))"),
            Example((_ymd("2008-02-29"), "1 March"), _ymd("2009-03-01"), "29 February, a "
                    "full year: 1 March 2009.",
                    '=SERIESM_CONVERTFROM(DATE(2008,2,29), "1 March")'),
        ),
        array="`closing_date` takes a range.",
    ),
    Function(
        name="SERIESM_CASHINLIEU",
        description="Cash paid instead of a fractional common share on conversion (§5(h)): "
                    "the fraction, counted once on the whole batch, times the market price.",
        section="§5(h)",
        args=(Arg("shares", "Series M shares converted by one holder at one time (the whole "
                  "batch).", array=True),
              Arg("conversion_number", "Common shares per Series M share (4,000 before "
                  "adjustments).", array=True),
              Arg("market_price", "Market price of one common share at the close of business "
                  "on the Conversion Date, as the board prescribes.", array=True)),
        returns="Dollars for the fraction of a common share the Company does not issue.",
        formula="ROUND((shares × conversion_number − INT(shares × conversion_number)) × "
                "market_price, 2)",
        rounding="Rounded once, to the cent, half up. The share count is snapped to a whole "
                 "share when within a millionth of one (a conversion number read from a cell "
                 "is no longer exact), so a round trip never pays for a phantom fraction.",
        reading="The fraction is determined \"upon the total number of shares ... being "
                "converted at any one time by any holder ..., not upon each share\" (§5(h)). "
                "The Company may instead issue the fraction; this is the cash if it does not.",
        errors=("#VALUE! a number given as text", "#NUM! `shares` negative or more than 9,100",
                "#NUM! `conversion_number` 0 or negative", "#NUM! `market_price` negative"),
        examples=(
            Example((100, 30000 / 7, 0.14), 0.06,
                    "100 × 30,000/7 = 428,571 3/7 common; 3/7 × $0.14 = $0.06 (one fraction for "
                    "the batch, not 100 of them)."),
            Example((7, 30000 / 7, 0.14), 0.0,
                    "7 × 30,000/7 = 30,000 exactly: no fraction, though the number was read from "
                    "a cell as 4285.714285714285."),
        ),
        array="`shares`, `conversion_number` and `market_price` take ranges (one batch per "
              "row).",
    ),
    Function(
        name="SERIESM_VOTES",
        description="Votes of a Series M holder at a record date (§4): the whole number of "
                    "common shares its shares could be converted into.",
        section="§4, §5",
        args=(SHARES, CLOSING_DATE,
              Arg("record_date", "The record date of the vote (or the date of the vote or "
                  "consent).", Kind.DATE, array=True),
              CONVERSION_NUMBER,
              Arg("before_anniversary", "Reading before the first anniversary: "
                  "\"as-converted\" (default) or \"none\" (no votes until conversion opens).",
                  Kind.CHOICE, default="as-converted", choices=("as-converted", "none"),
                  parse=parse_votes_reading, zero_is_empty=True),
              LEAP_ANNIVERSARY),
        returns="A whole number of votes.",
        formula="INT(shares × conversion_number); 0 before the first anniversary when "
                "`before_anniversary` is \"none\"",
        rounding="Rounded down to a whole vote (a fraction of a common share carries no vote), "
                 "after snapping a count within a millionth of a whole share.",
        reading="§4 counts \"the largest number of shares of Common Stock into which such "
                "holder's shares ... could be converted ... at the record date\". Before the "
                "anniversary nothing could be converted (§5(a)). Default \"as-converted\": the "
                "holder votes as converted at any time, since §4 first gives it the right \"to "
                "vote on all matters\", which a count of zero would empty. The literal reading, "
                "\"none\", gives no votes until conversion opens.",
        errors=(_SHARES_ERRORS, _DATES_ERRORS, "#NUM! `record_date` before `closing_date`",
                "#NUM! `conversion_number` 0 or negative",
                "#NUM! `before_anniversary` not \"as-converted\" or \"none\""),
        examples=(
            Example((250, _ymd("2005-01-10"), _ymd("2005-06-01")), 1_000_000,
                    "250 × 4,000 = 1,000,000 votes, as converted (default reading).",
                    "=SERIESM_VOTES(250, DATE(2005,1,10), DATE(2005,6,1))"),
            Example((250, _ymd("2005-01-10"), _ymd("2005-06-01"), 4000, "none"), 0,
                    "The literal reading: before 10 January 2006 nothing could be converted.",
                    '=SERIESM_VOTES(250, DATE(2005,1,10), DATE(2005,6,1), 4000, "none")'),
        ),
        array="`shares`, `closing_date`, `record_date` and `conversion_number` take ranges.",
        settings=("before_anniversary: \"as-converted\" (default) or \"none\"",),
    ),
    Function(
        name="SERIESM_SPLIT",
        description="Conversion number after a split or combination of the common (§5(c)): "
                    "old_shares of common become new_shares.",
        section="§5(c)",
        args=(Arg("conversion_number", "Conversion number before the split.", array=True),
              Arg("new_shares", "Common shares after the event for each old_shares (3 in a "
                  "3-for-2 split; 1 in a 1-for-10 combination)."),
              Arg("old_shares", "Common shares before the event (2 in a 3-for-2 split; 10 in a "
                  "1-for-10 combination).")),
        returns="The adjusted conversion number.",
        formula="conversion_number × new_shares ÷ old_shares",
        rounding=_EXACT,
        reading="The holder may convert into what it \"would have received had its shares ... "
                "been converted immediately prior\" to the event (§5(c)). A stock dividend or "
                "split goes through this function only, never the §5(e) ledger of "
                "SERIESM_DILUTE as well: the same factor would count twice. The $0.25 of "
                "§5(e) is not adjusted by the text; SERIESM_DILUTE's `threshold_price` can be.",
        errors=("#VALUE! a number given as text", "#NUM! any argument 0 or negative"),
        examples=(
            Example((4000, 3, 2), 6000.0, "3-for-2: 4,000 × 3/2 = 6,000."),
            Example((4000, 1, 10), 400.0, "1-for-10 reverse split: 4,000 × 1/10 = 400."),
        ),
        array="`conversion_number` takes a range.",
    ),
    Function(
        name="SERIESM_RESERVE",
        description="Shortfall in the common reserved for conversion (§5(j)): common issuable "
                    "on all outstanding Series M less authorised but unissued common, or 0.",
        section="§5(j)",
        args=(Arg("authorized_unissued", "Authorised but unissued common shares.", array=True),
              Arg("series_m_outstanding", "Series M shares outstanding.", array=True),
              CONVERSION_NUMBER),
        returns="Common shares the Company must find (0 when the reserve suffices).",
        formula="MAX(0, series_m_outstanding × conversion_number − authorized_unissued)",
        rounding="Not rounded: exact share counts, a count within a millionth of a whole share "
                 "snapped to it (as SERIESM_CONVERT), so a conversion number read back from a "
                 "cell never makes a phantom shortfall.",
        reading="§5(j): the Company must keep enough authorised but unissued common to convert "
                "all outstanding Series M, and use its best efforts to increase it when short.",
        errors=("#VALUE! a number given as text", "#NUM! `authorized_unissued` negative",
                "#NUM! `series_m_outstanding` negative or more than 9,100",
                "#NUM! `conversion_number` 0 or negative"),
        examples=(
            Example((30_000_000, 9100), 6_400_000.0,
                    "9,100 × 4,000 = 36,400,000 needed; 36,400,000 − 30,000,000 = 6,400,000 "
                    "short."),
            Example((40_000_000, 9100), 0.0, "40,000,000 unissued covers 36,400,000."),
            Example((38_999_999, 9100, 4285.714285714285), 1.0,
                    "9,100 × 30,000/7 = 39,000,000 exactly; read back from a cell the number "
                    "gives 38,999,999.99999999, snapped to 39,000,000: 1 short."),
        ),
        array="All three take ranges.",
    ),
    Function(
        name="SERIESM_PAROK",
        description="Whether a conversion number keeps the common's par value within what is "
                    "paid per common share on conversion (§9(a)): $1,000 ÷ conversion number ≥ "
                    "par.",
        section="§9(a), §2",
        args=(Arg("conversion_number", "The conversion number to check.", array=True),
              Arg("par_value", "Par value of one common share (default $0.05, §2).",
                  default=0.05)),
        returns="TRUE when allowed; FALSE when the par value would exceed the amount paid "
                "(above 20,000 common per Series M share at $0.05 par).",
        formula="1,000 ÷ conversion_number ≥ par_value",
        rounding=_BOOL_RESULT,
        reading="§9(a): the Company shall not increase the par value of the stock receivable on "
                "conversion \"above the amount payable therefor on such conversion\"; the amount "
                "paid per common share is the $1,000 Stated Value over the conversion number.",
        errors=("#VALUE! a number given as text", "#NUM! `conversion_number` or `par_value` 0 "
                "or negative"),
        examples=(
            Example((4000,), True, "$1,000 ÷ 4,000 = $0.25 ≥ $0.05."),
            Example((20_000,), True, "$1,000 ÷ 20,000 = $0.05: exactly par, allowed."),
            Example((25_000,), False, "$1,000 ÷ 25,000 = $0.04 < $0.05."),
        ),
        array="`conversion_number` takes a range.",
    ),
    Function(
        name="SERIESM_CLASSVOTE",
        description="Whether Series M holders approve as a class (§4, §8): holders of a "
                    "majority of the outstanding Series M, more than half, consent.",
        section="§4, §8",
        args=(Arg("shares_for", "Series M shares voting for, or consenting in writing.",
                  array=True),
              Arg("outstanding_shares", "Series M shares outstanding.", array=True)),
        returns="TRUE when approved.",
        formula="shares_for > outstanding_shares ÷ 2",
        rounding=_BOOL_RESULT,
        reading="\"A majority of the then outstanding shares of Series M\" (§8) and \"a majority "
                "of the Series M\" (§4): strictly more than half of the shares outstanding, not "
                "of the votes cast, counted in Series M shares (voting as a separate class).",
        errors=("#VALUE! a number given as text", "#NUM! `shares_for` negative or more than "
                "`outstanding_shares`", "#NUM! `outstanding_shares` 0, negative or more than "
                "9,100"),
        examples=(
            Example((4551, 9100), True, "4,551 of 9,100 is more than half."),
            Example((4550, 9100), False, "4,550 is exactly half: not a majority."),
        ),
        array="Both take ranges.",
    ),
    Function(
        name="SERIESM_ISBUSDAY",
        description="Whether banks in Palm Beach County, Florida are open on a date, the "
                    "certificate's business day (§5(f)), on the Federal Reserve holiday "
                    "schedule.",
        section="§5(f), §10",
        args=(Arg("test_date", "The date to test, or a range of dates.", Kind.DATE, array=True),
              *CALENDAR_ARGS),
        returns="TRUE on a business day.",
        formula="Monday to Friday, not a Federal Reserve holiday, not in `closures`; or in "
                "`openings`",
        rounding=_BOOL_RESULT,
        reading=_BANK_READING,
        errors=(_DATES_ERRORS, _CAL_ERRORS),
        examples=(
            Example((_ymd("2021-12-24"),), True,
                    "Christmas 2021 fell on a Saturday: the Federal Reserve does not move it, so "
                    "banks open on Friday 24 December (the federal calendar closes that day).",
                    "=SERIESM_ISBUSDAY(DATE(2021,12,24))"),
            Example((_ymd("2022-12-26"),), False,
                    "Christmas 2022 fell on a Sunday: closed Monday 26 December.",
                    "=SERIESM_ISBUSDAY(DATE(2022,12,26))"),
            Example((_ymd("2022-11-25"),), True,
                    "The Friday after Thanksgiving is a Florida state holiday, but banks open.",
                    "=SERIESM_ISBUSDAY(DATE(2022,11,25))"),
        ),
        array="`test_date` takes a range; `closures` and `openings` are ranges of dates.",
        settings=("closures, openings: days the schedule gets wrong",),
    ),
    Function(
        name="SERIESM_WORKDAY",
        description="The date a number of business days before or after a start date, like "
                    "Excel's WORKDAY on the calendar of banks in Palm Beach County (§5(f)).",
        section="§5(f), §10",
        args=(Arg("start_date", "The day to count from (not counted).", Kind.DATE, array=True),
              Arg("days", "Business days to move: positive forward, negative back (a fraction "
                  "is dropped, as in Excel).", array=True),
              *CALENDAR_ARGS),
        returns="A date.",
        formula="WORKDAY(start_date, days, holidays) with this calendar's holidays",
        rounding=_DATE_RESULT,
        reading=_BANK_READING + " As Excel's WORKDAY, 0 days returns the start date itself, "
                "even on a day banks are closed.",
        errors=(_DATES_ERRORS, _CAL_ERRORS, "#VALUE! `days` given as text"),
        examples=(Example((_ymd("2021-12-23"), 2), _ymd("2021-12-27"),
                          "Friday 24 December 2021 is open (1), then the weekend: Monday 27th "
                          "(2).", "=SERIESM_WORKDAY(DATE(2021,12,23), 2)"),),
        array="`start_date` and `days` take ranges.",
        settings=("closures, openings: days the schedule gets wrong",),
    ),
    Function(
        name="SERIESM_DEADLINE",
        description="Last day for delivering the common after a conversion (§5(f)): ten "
                    "business days after the Company receives the original certificate.",
        section="§5(f)",
        args=(Arg("received", "When the Company received the original certificate: a date, "
                  "or a date and time.", Kind.MOMENT, array=True),
              Arg("business_days", "Business days allowed (default 10, §5(f)).", Kind.INTEGER,
                  default=10),
              *CALENDAR_ARGS, COUNT_FROM),
        returns="A date: delivery on it is on time; after it the holder may revoke "
                "(SERIESM_CANREVOKE).",
        formula="WORKDAY(the day of `received`, business_days) on the bank calendar; with "
                "\"next business day\", WORKDAY(receipt business day, business_days), the "
                "receipt business day being `received`'s day if banks are open and it came by "
                "17:00, else the next business day",
        rounding=_DATE_RESULT,
        reading=_BANK_READING + " \"Ten (10) business days after the receipt\": by default "
                "the business days that follow the day of receipt, whatever the hour and "
                "whether banks were open that day (the text ties the Conversion Date, not this "
                "receipt, to business hours; SERIESM_CONVDATE keeps the 17:00 rule). Setting "
                "`count_from` \"next business day\": a receipt after 17:00 or on a closed day "
                "first moves to the next business day.",
        errors=(_DATES_ERRORS, _CAL_ERRORS, "#NUM! `business_days` negative or not whole"),
        examples=(
            Example((_ymd("2021-12-20"),), _ymd("2022-01-03"),
                    "From Monday 20 December 2021: 21, 22, 23, 24 (open: Christmas fell on a "
                    "Saturday), 27, 28, 29, 30, 31 (open), 3 January. The federal calendar would "
                    "say 5 January.", "=SERIESM_DEADLINE(DATE(2021,12,20))"),
            Example((_ymd("2022-06-18"),), _ymd("2022-07-05"),
                    "Received Saturday 18 June 2022: the business days after it are 21 (Monday "
                    "20th closed, Juneteenth observed), 22, 23, 24, 27, 28, 29, 30 June, 1 July "
                    "and, 4 July closed, 5 July.", "=SERIESM_DEADLINE(DATE(2022,6,18))"),
            Example(("2021-12-20 17:30", 10, None, None, "next business day"), _ymd("2022-01-04"),
                    "Received after 17:00, counted from the next business day: from Tuesday "
                    "21st, one day later than the default.",
                    '=SERIESM_DEADLINE("2021-12-20 17:30", 10, , , "next business day")'),
        ),
        array="`received` takes a range.",
        settings=("business_days: the delivery period", "closures, openings",
                  "count_from: \"receipt day\" (default) or \"next business day\""),
    ),
    Function(
        name="SERIESM_CONVDATE",
        description="The Conversion Date of a Notice of Conversion (§5(f)): the business day "
                    "it is received, or the next one if it arrives after 17:00 or on a closed "
                    "day.",
        section="§5(f), §2",
        args=(Arg("notice_received", "When the telecopied notice was received: a date, or a "
                  "date and time.", Kind.MOMENT, array=True), *CALENDAR_ARGS),
        returns="A date: the Conversion Date, when accrued dividends fall due (§2).",
        formula="the receipt's day if a business day and by 17:00, else the next business day",
        rounding=_DATE_RESULT,
        reading=_BANK_READING + " \"Each business day on which a Notice of Conversion is "
                "telecopied to and received\" is a Conversion Date, the business day being the "
                "hours 9:00 to 17:00; a bare date counts as within hours.",
        errors=(_DATES_ERRORS, _CAL_ERRORS),
        examples=(Example(("2022-11-23 17:30",), _ymd("2022-11-25"),
                          "Wednesday after 17:00: Thanksgiving (24th) is closed, so Friday 25th.",
                          '=SERIESM_CONVDATE("2022-11-23 17:30")'),),
        array="`notice_received` takes a range.",
    ),
    Function(
        name="SERIESM_CANREVOKE",
        description="Whether a holder may revoke its Notice of Conversion on a date (§5(f)): "
                    "the delivery deadline has passed and the common has not been delivered.",
        section="§5(f)",
        args=(Arg("received", "When the Company received the original certificate.",
                  Kind.MOMENT, array=True),
              Arg("as_of_date", "The day the holder would revoke.", Kind.DATE, array=True),
              Arg("delivered", "The day the common was delivered, if it was.", Kind.DATE,
                  default=None, array=True, zero_is_empty=True),
              Arg("business_days", "Business days allowed (default 10).", Kind.INTEGER,
                  default=10),
              *CALENDAR_ARGS, COUNT_FROM),
        returns="TRUE when the holder may revoke and be restored to its position.",
        formula="as_of_date > SERIESM_DEADLINE(received) AND (delivered is empty OR delivered "
                "> as_of_date)",
        rounding=_BOOL_RESULT,
        reading="The right arises when the Company \"fails to deliver ... within such ten (10) "
                "business day period\"; a delivery on the deadline is on time. Once the common "
                "is delivered, even late, this reading takes the notice as no longer revocable "
                "(the holder keeps its other remedies). The deadline is SERIESM_DEADLINE's, "
                "with the same `count_from`.",
        errors=(_DATES_ERRORS, _CAL_ERRORS, "#NUM! `as_of_date` or `delivered` before "
                "`received`"),
        examples=(
            Example((_ymd("2021-12-20"), _ymd("2022-01-04")), True,
                    "The deadline was 3 January 2022; nothing delivered by the 4th.",
                    "=SERIESM_CANREVOKE(DATE(2021,12,20), DATE(2022,1,4))"),
            Example((_ymd("2021-12-20"), _ymd("2022-01-04"), _ymd("2022-01-03")), False,
                    "Delivered on the deadline: on time.",
                    "=SERIESM_CANREVOKE(DATE(2021,12,20), DATE(2022,1,4), DATE(2022,1,3))"),
        ),
        array="`received`, `as_of_date` and `delivered` take ranges.",
    ),
    Function(
        name="SERIESM_RECORDNOTICEBY",
        description="Last day to mail notice of a record date, reorganisation or liquidation "
                    "(§10): ten business days before the date of the action.",
        section="§10",
        args=(Arg("action_date", "The date in the notice on which the action is to be taken.",
                  Kind.DATE, array=True), *CALENDAR_ARGS),
        returns="A date: the notice must be mailed on or before it.",
        formula="WORKDAY(action_date, −10) on the bank calendar",
        rounding=_DATE_RESULT,
        reading=_BANK_READING + " \"At least ten (10) business days prior to the date "
                "specified\": counted back over business days, the action date not counted.",
        errors=(_DATES_ERRORS, _CAL_ERRORS),
        examples=(Example((_ymd("2022-01-07"),), _ymd("2021-12-24"),
                          "Back from Friday 7 January 2022: 6, 5, 4, 3 January, 31 (open), 30, "
                          "29, 28, 27, 24 (open) December.",
                          "=SERIESM_RECORDNOTICEBY(DATE(2022,1,7))"),),
        array="`action_date` takes a range.",
    ),
    Function(
        name="SERIESM_SCHEDULE",
        description="The quarterly dividend table (§2) to a date: payment date, dividend due, "
                    "paid and arrears, one row per payment date, with a header row.",
        section="§2",
        args=(SHARES._replace(array=False), CLOSING_DATE._replace(array=False),
              Arg("through_date", "Last payment date to include.", Kind.DATE),
              Arg("dividends_paid", "Total dividends paid so far, in dollars (default 0); "
                  "applied to the oldest dues first.", default=0),
              BASIS, SCHEDULE, ACCRUAL),
        returns="A range with the header `Payment date`, `Dividend due`, `Paid`, `Arrears` and "
                "one row per payment date up to and including `through_date` (dates as dates).",
        formula="due = ROUND(accrual to this date, 2) − ROUND(accrual to the previous date, 2); "
                "paid = the part of dividends_paid left after older dues; arrears = total due − "
                "total paid",
        rounding="Each date's accrual is rounded to the cent once, and a row's due is the "
                 "difference, so the dues add up exactly to SERIESM_ACCRUED at every payment "
                 "date.",
        reading="\"Payable quarterly\" with no dates named: every three months from the "
                "Closing Date by EDATE rules (31 January pays 30 April, then 31 July), or "
                "calendar quarter ends. Cumulative: unpaid dues carry forward as arrears and "
                "payments settle the oldest first (§2). " + _ACCRUAL_READING,
        errors=(_SHARES_ERRORS, _DATES_ERRORS, "#NUM! `through_date` before `closing_date`",
                "#NUM! `dividends_paid` more than falls due by `through_date`",
                "#NUM! `schedule` not \"from closing\" or \"quarter ends\""),
        examples=(Example((100, _ymd("2005-01-10"), _ymd("2005-12-31"), 2000, 0, "quarter ends"),
                          [["Payment date", "Dividend due", "Paid", "Arrears"],
                           [_ymd("2005-03-31"), 1125.0, 1125.0, 0.0],
                           [_ymd("2005-06-30"), 1250.0, 875.0, 375.0],
                           [_ymd("2005-09-30"), 1250.0, 0.0, 1625.0],
                           [_ymd("2005-12-31"), 1250.0, 0.0, 2875.0]],
                          "Per period: the short first period, 31 December to 31 March, has 90 "
                          "days in 30/360, of which 81 from the Closing Date: $1,250 × 81/90 = "
                          "$1,125.00; each later quarter exactly $1,250.00. The $2,000 paid "
                          "settles March and $875.00 of June.",
                          '=SERIESM_SCHEDULE(100, DATE(2005,1,10), DATE(2005,12,31), 2000, 0, '
                          '"quarter ends")'),
                  Example((100, _ymd("2005-01-10"), _ymd("2005-12-31"), 2000, 0, "quarter ends",
                           "from closing"),
                          [["Payment date", "Dividend due", "Paid", "Arrears"],
                           [_ymd("2005-03-31"), 1125.0, 1125.0, 0.0],
                           [_ymd("2005-06-30"), 1236.11, 875.0, 361.11],
                           [_ymd("2005-09-30"), 1250.0, 0.0, 1611.11],
                           [_ymd("2005-12-31"), 1263.89, 0.0, 2875.0]],
                          "From closing, accrued in 30/360 to 31 Mar: 81 days, $1,125.00; to 30 "
                          "Jun: 170 days, $2,361.11; to 30 Sep: 260 days, $3,611.11; to 31 Dec: "
                          "351 days, $4,875.00.",
                          '=SERIESM_SCHEDULE(100, DATE(2005,1,10), DATE(2005,12,31), 2000, 0, '
                          '"quarter ends", "from closing")'),),
        array="Returns a table that spills (Excel 365) or fills a selected range.",
        settings=("schedule: payment dates", "basis: day count",
                  "accrual: \"per period\" (default) or \"from closing\""),
    ),
    Function(
        name="SERIESM_PAYOUTS",
        description="The §3 waterfall by holder: what each Series M holder receives at one exit "
                    "value, each converting only when that pays it more given what the others "
                    "do.",
        section="§3, §2, §5",
        args=(
            Arg("proceeds", "Exit value: assets available to all stockholders, in dollars."),
            Arg("holder_shares", "Series M shares of each holder: a column (or row), one "
                "holder per cell.", array=True),
            Arg("holder_accrued", "Accrued and unpaid dividends of each holder, in dollars, "
                "the same shape as holder_shares.", array=True),
            Arg("common_shares", "Common shares outstanding apart from the Series M (not "
                "counting any conversion)."),
            CONVERSION_NUMBER._replace(array=False),
            Arg("convertible", "TRUE (default) when the Series M may convert (from the first "
                "anniversary); FALSE holds every holder to its preference.", Kind.BOOLEAN,
                default=True),
            DIVIDENDS_ON_CONVERSION,
        ),
        returns="A range shaped like `holder_shares`: each holder's payout in dollars and "
                "cents, adding up exactly to the Series M class total.",
        formula="A holder that keeps its shares takes L = shares × 1,000 + accrued (§3(a)); "
                "converting holders take their accrued dividends first (unless forfeited) and "
                "share what is left with the common at p per common share. Holders convert in "
                "order of their threshold t = (L − dividends kept) ÷ (shares × conversion "
                "number) while t < p. Short of the preferences: proceeds × L ÷ ΣL (§3(b)).",
        rounding="The class total is rounded once, to the cent, half up, never past the "
                 "proceeds rounded down to the cent; its cents go to the holders by their "
                 "exact payouts (whole cents, largest remainders, the earlier row on a tie), so "
                 "the holders add up exactly to it.",
        reading="Each holder chooses for itself (§5(a): \"at the option of the holder\"): it "
                "converts only when that pays it strictly more given what the others do, and "
                "no holder would change its choice afterwards. With dividends paid on "
                "conversion (§2, default) every holder has the same threshold and all decide "
                "alike, as in SERIESM_WATERFALL; with dividends forfeited, holders with more "
                "arrears per share keep their preference longer. A shortfall is shared pro "
                "rata to each holder's full preferential amount (§3(b)).",
        errors=("#VALUE! a number given as text; `holder_shares` and `holder_accrued` of "
                "different sizes", "#NUM! `proceeds` or an accrued amount negative",
                "#NUM! a holding negative, or the holdings more than the 9,100 designated",
                "#NUM! `common_shares` or `conversion_number` 0 or negative"),
        examples=(
            Example((370_000, [[100], [100]], [[0], [10_000]], 600_000, 4000, True, False),
                    [[104_000.0], [110_000.0]],
                    "Dividends forfeited. Holder 2 keeps its $110,000 preference; holder 1 "
                    "converting shares the $260,000 left with the 600,000 common: 400,000 / "
                    "1,000,000 × 260,000 = $104,000, more than its $100,000. Holder 2 "
                    "converting too would get 400,000 / 1,400,000 × 370,000 = $105,714.29, "
                    "less than $110,000.",
                    "=SERIESM_PAYOUTS(370000, B2:B3, C2:C3, 600000, 4000, TRUE, FALSE)"),
            Example((370_000, [[100], [100]], [[0], [10_000]], 600_000),
                    [[102_857.15], [112_857.14]],
                    "Dividends paid on conversion: holder 2's $10,000 first, then $360,000 "
                    "over 1,400,000 common: $102,857.142857… each (holder 2: $112,857.142857…, "
                    "more than $110,000), so both convert. Class total $215,714.29; the cent "
                    "left after 102,857.14 + 112,857.14 goes to the earlier row on the tie.",
                    "=SERIESM_PAYOUTS(370000, B2:B3, C2:C3, 600000)"),
            Example((105_000, [[100], [100]], [[0], [10_000]], 600_000),
                    [[50_000.0], [55_000.0]],
                    "Short of the $210,000 preferences: shared pro rata to them, 100/210 and "
                    "110/210 of $105,000 (§3(b)).",
                    "=SERIESM_PAYOUTS(105000, B2:B3, C2:C3, 600000)"),
        ),
        array="`holder_shares` and `holder_accrued` are ranges of the same shape (one holder a "
              "cell); the result has their shape.",
        settings=("convertible: whether the conversion right exists yet",
                  "dividends_on_conversion: accrued dividends paid (default) or forfeited on "
                  "conversion"),
    ),
    Function(
        name="SERIESM_REORG",
        description="Whether a transaction is a Reorganization under §5(d), after which the "
                    "Series M converts into what its common would have received; with explain, "
                    "the reason in words.",
        section="§5(d), §5(c)",
        args=(
            Arg("transaction", "\"capital reorganization\", \"merger\", \"consolidation\", "
                "\"asset sale\", \"share sale\" or \"reclassification\" (a split: §5(c)).",
                Kind.CHOICE, choices=("capital reorganization", "merger", "consolidation",
                                      "asset sale", "share sale", "reclassification"),
                parse=parse_event),
            Arg("voting_securities_sold", "For a share sale: fraction of the outstanding "
                "voting securities, as converted, sold or assigned (e.g. 0.51).", default=None),
            Arg("substantially_all", "For an asset sale: TRUE (default) if all or "
                "substantially all the properties and assets.", Kind.BOOLEAN, default=True),
            Arg("explain", "TRUE to return the reason in words instead of TRUE/FALSE.",
                Kind.BOOLEAN, default=False),
        ),
        returns="TRUE for a Reorganization; or the reason, starting \"yes:\" or \"no:\".",
        formula="capital reorganization, merger, consolidation: TRUE; asset sale: "
                "substantially_all; share sale: voting_securities_sold > 50%; "
                "reclassification: FALSE",
        rounding=_BOOL_RESULT,
        reading="§5(d) lists a capital reorganization of the common (other than the "
                "subdivisions, combinations, reclassifications and exchanges of §5(c)), a "
                "merger or consolidation with or into another corporation (whatever the voting "
                "power kept: unlike §3(c)(i)), a sale of all or substantially all the "
                "properties and assets, and a sale or assignment of more than 50% of the "
                "outstanding voting securities on an as converted basis. A merger that is also "
                "a §3(c) deemed liquidation is one only if the holders elect it "
                "(SERIESM_DEEMEDLIQ); otherwise §5(d) applies.",
        errors=("#NUM! `transaction` not one of the six words",
                "#VALUE! `voting_securities_sold` missing for a share sale",
                "#NUM! `voting_securities_sold` outside 0 to 1"),
        examples=(
            Example(("merger",), True, "A merger of the Company is a Reorganization (§5(d))."),
            Example(("share sale", 0.5), False, "Exactly 50% sold: not more than 50%."),
            Example(("share sale", 0.51, True, True),
                    "yes: 51% of the voting securities (as converted) sold or assigned, more "
                    "than 50% (§5(d))", "51% is more than half."),
            Example(("reclassification", None, True, True),
                    "no: a subdivision, combination, reclassification or exchange of shares is "
                    "covered by §5(c), not §5(d); see SERIESM_SPLIT",
                    "§5(d) excludes the events of §5(c)."),
        ),
    ),
    Function(
        name="SERIESM_REORGVALUE",
        description="What Series M shares receive on conversion after a §5(d) Reorganization: "
                    "shares × conversion number × the consideration per common share.",
        section="§5(d)",
        args=(SHARES,
              Arg("consideration_per_common", "What one common share receives in the "
                  "Reorganization (dollars, or units of the successor's stock).", array=True),
              CONVERSION_NUMBER),
        returns="The consideration, in the unit of `consideration_per_common`.",
        formula="shares × conversion_number × consideration_per_common",
        rounding=_EXACT + " The common count is snapped to a whole share when within a "
                 "millionth of one.",
        reading="§5(d): the holders receive \"the number of shares of stock or other "
                "securities or property ... to which such holder would have been entitled if "
                "such holder had converted its shares ... immediately prior to such "
                "Reorganization\". Accrued dividends are not included (they fall due on "
                "conversion, §2: SERIESM_ACCRUED).",
        errors=(_SHARES_ERRORS, "#NUM! `consideration_per_common` negative",
                "#NUM! `conversion_number` 0 or negative"),
        examples=(
            Example((250, 0.3), 300_000.0, "250 × 4,000 = 1,000,000 common × $0.30 = "
                    "$300,000."),
            Example((7, 0.35, 30000 / 7), 10500.0, "7 × 30,000/7 = 30,000 common (the number "
                    "read from a cell gives 29,999.99999999…, snapped) × $0.35 = $10,500."),
        ),
        array="`shares`, `consideration_per_common` and `conversion_number` take ranges.",
    ),
    Function(
        name="SERIESM_OTHERDIVOK",
        description="Whether a dividend may be paid or declared on any other stock (§2): only "
                    "when the Series M dividends in arrears are paid or a sufficient sum is set "
                    "apart.",
        section="§2",
        args=(Arg("series_m_arrears", "Series M dividends accrued and unpaid, in dollars "
                  "(SERIESM_ACCRUED, or the Arrears of SERIESM_SCHEDULE).", array=True),
              Arg("set_apart", "Sum set apart for their payment, in dollars (default 0).",
                  default=0, array=True)),
        returns="TRUE when a dividend or other distribution on another class may be paid or "
                "declared.",
        formula="set_apart ≥ series_m_arrears",
        rounding=_BOOL_RESULT,
        reading="§2: \"If there shall not have been a sum sufficient for the payment therefor "
                "set apart, the deficiency shall first be paid before any dividend or other "
                "distribution shall be paid or declared and set apart with respect to any other "
                "class\" of stock.",
        errors=("#VALUE! a number given as text", "#NUM! an amount negative"),
        examples=(
            Example((2875,), False, "$2,875 in arrears and nothing set apart."),
            Example((2875, 2875), True, "The arrears set apart in full."),
            Example((0,), True, "Nothing in arrears."),
        ),
        array="Both take ranges.",
    ),
    Function(
        name="SERIESM_APPRAISER",
        description="Whether Series M holders may require an independent appraiser to value a "
                    "distribution in property (§3(d)): holders of 50% or more of the outstanding "
                    "Series M request it.",
        section="§3(d)",
        args=(Arg("requesting_shares", "Series M shares whose holders request the appraiser "
                  "in writing.", array=True),
              Arg("outstanding_shares", "Series M shares outstanding.", array=True)),
        returns="TRUE when the appraiser must be used instead of the Board's valuation.",
        formula="requesting_shares ≥ outstanding_shares ÷ 2",
        rounding=_BOOL_RESULT,
        reading="§3(d): property is valued by the Board in good faith \"unless the holders of "
                "fifty percent (50%) or more of the then outstanding shares\" request an "
                "independent appraiser (selected by the Board, reasonably acceptable to 50% or "
                "more of the holders). Exactly half suffices, unlike a §8 majority.",
        errors=("#VALUE! a number given as text", "#NUM! `requesting_shares` negative or more "
                "than `outstanding_shares`", "#NUM! `outstanding_shares` 0, negative or more "
                "than 9,100"),
        examples=(
            Example((4550, 9100), True, "4,550 of 9,100 is exactly 50%: enough."),
            Example((4549, 9100), False, "Less than half."),
        ),
        array="Both take ranges.",
    ),
    Function(
        name="SERIESM_BREAKPOINTS",
        description="The breakpoints of the §3 waterfall as a table: each equity value at "
                    "which the split of the next dollar changes, with the Series M's and the "
                    "common's share of every dollar in each tranche.",
        section="§3, §5, §2",
        args=(PREF_SHARES, COMMON_SHARES, ACCRUED_DIVIDENDS, CONVERSION_NUMBER._replace(
            array=False), DIVIDENDS_ON_CONVERSION),
        returns="A table with the header `" + "`, `".join(BREAKPOINT_HEADER) + "` and one row "
                "per tranche: its number, the equity values it runs from and to (`To` empty "
                "on the last, which has no end) and the marginal shares of each dollar in it "
                "(fractions: 1 is 100%).",
        formula="Tranche 1: 0 to L = pref_shares × 1,000 + accrued_dividends, all to the "
                "Series M (§3(a)). Tranche 2: L to the conversion breakpoint B = L + "
                "common_shares × 1,000 ÷ N (dividends paid on conversion) or L ÷ f "
                "(forfeited), all to the common. Tranche 3: from B, f = S×N ÷ (S×N + "
                "common_shares) to the Series M and 1 − f to the common.",
        rounding=_EXACT + " The breakpoints are thresholds, not payments.",
        reading="The generic tranche model of the option pricing method (AICPA guide to "
                "valuing privately held equity): preferences first, then the common until "
                "its value per share reaches the price at which a class converts, which then "
                "joins. The Series M converts at $1,000 ÷ conversion number a common share "
                "(the accrued dividends it keeps are paid in cash on conversion, §2), which "
                "gives exactly SERIESM_BREAKPOINT's conversion breakpoint.",
        errors=("#VALUE! a number given as text",
                "#NUM! `pref_shares` 0, negative or more than 9,100",
                "#NUM! `common_shares` 0 or negative", "#NUM! `accrued_dividends` negative"),
        examples=(
            Example((9100, 36_400_000, 100_000),
                    [list(BREAKPOINT_HEADER), [1, 0.0, 9_200_000.0, 1.0, 0.0],
                     [2, 9_200_000.0, 18_300_000.0, 0.0, 1.0],
                     [3, 18_300_000.0, "", 0.5, 0.5]],
                    "L = 9,100 × 1,000 + 100,000 = 9,200,000, all to the Series M (§3(a)). "
                    "The common alone then takes each dollar until it is worth $1,000 ÷ "
                    "4,000 = $0.25 a share: 9,200,000 + 36,400,000 × 0.25 = 18,300,000, the "
                    "conversion breakpoint. Above it the converted class holds 36,400,000 of "
                    "72,800,000 common: half of each dollar.",
                    "=SERIESM_BREAKPOINTS(9100, 36400000, 100000)"),
        ),
        array="Returns a table that spills (Excel 365) or fills a selected range of 4 rows "
              "and 5 columns.",
        settings=("dividends_on_conversion: accrued dividends paid (default) or forfeited on "
                  "conversion",),
    ),
    Function(
        name="SERIESM_OPM",
        description="What the Series M and the common are worth by the option pricing model: "
                    "Black-Scholes calls at the waterfall's breakpoints, each tranche shared by "
                    "its marginal percentages.",
        section="§3, §5, §2",
        args=(
            Arg("equity_value", "Value of the whole equity today, in dollars (the underlying "
                "of the options)."),
            VOLATILITY, TERM_YEARS, RISK_FREE_RATE,
            PREF_SHARES, COMMON_SHARES, ACCRUED_DIVIDENDS,
            CONVERSION_NUMBER._replace(array=False), DIVIDENDS_ON_CONVERSION,
            Arg("output", "One of the row labels to return just that value (e.g. \"Series M "
                "per share\"); omitted, the whole table.", Kind.LABEL, default=None,
                choices=OPM_LABELS, zero_is_empty=True),
        ),
        returns="A 4 × 2 table of (label, value) rows: " + ", ".join(
            f"`{label}`" for label in OPM_LABELS) + "; or the single value named by `output`.",
        formula="C(K) = S·Φ(d1) − K·e^(−rT)·Φ(d2), d1 = (ln(S/K) + (r + σ²/2)T) ÷ σ√T, d2 = "
                "d1 − σ√T, C(0) = S; tranche i (SERIESM_BREAKPOINTS) is worth C(Kᵢ) − "
                "C(Kᵢ₊₁), the last C(Kₙ); Series M = Σ its share × tranche value; Common = "
                "equity_value − Series M. Φ(x) = ½(1 + erf(x/√2)), Python's math.erfc.",
        rounding="The Series M total is rounded once, to the cent, half up; the common takes "
                 "the rest of the equity value, so the two add up to it exactly. Per-share "
                 "values divide those totals and are not rounded.",
        reading="Beyond the certificate: the option pricing model of the AICPA guide to "
                "valuing privately held equity (ASC 820, 409A), over this certificate's own "
                "waterfall: the Series M takes its Liquidation Value, then converts above the "
                "breakpoint (§3, §5), keeping its accrued dividends (§2). Volatility, term "
                "and rate are the valuer's inputs; the model assumes the conversion right "
                "exists at the exit (the first anniversary has passed by then).",
        errors=("#VALUE! a number given as text", "#NUM! `equity_value` 0 or negative",
                "#NUM! `volatility` not above 0 and at most 10; `term_years` not above 0 and "
                "at most 100; `risk_free_rate` not between -1 and 1",
                "#NUM! `pref_shares` 0, negative or more than 9,100; `common_shares` 0 or "
                "negative", "#N/A `output` is not one of the four labels"),
        examples=(
            Example((15_000_000, 0.6, 3, 0.0427, 9100, 36_400_000, 100_000, 4000, True,
                     "Series M total"), 9_093_378.57,
                    "Breakpoints 9,200,000 (L) and 18,300,000 (B), f = 1/2 (see "
                    "SERIESM_BREAKPOINTS). S = 15,000,000, σ√T = 0.6 × √3 = 1.03923. At K = "
                    "9,200,000: d1 = (ln(15/9.2) + (0.0427 + 0.18) × 3) ÷ 1.03923 = 1.11327, "
                    "d2 = 0.07404, C = 8,722,281.97. At K = 18,300,000: d1 = 0.45154, d2 = "
                    "−0.58770, C = 5,631,321.09. Series M = (S − C(L)) + ½ C(B) = "
                    "6,277,718.03 + 2,815,660.54 = 9,093,378.57.",
                    '=SERIESM_OPM(15000000, 60%, 3, 4.27%, 9100, 36400000, 100000, 4000, '
                    'TRUE, "Series M total")'),
            Example((15_000_000, 0.6, 3, 0.0427, 9100, 36_400_000, 100_000, 4000, True,
                     "Common total"), 5_906_621.43,
                    "The rest: 15,000,000 − 9,093,378.57 = 5,906,621.43 (the common's own "
                    "sum, C(L) − ½ C(B), is the same to the cent).",
                    '=SERIESM_OPM(15000000, 60%, 3, 4.27%, 9100, 36400000, 100000, 4000, '
                    'TRUE, "Common total")'),
        ),
        settings=("dividends_on_conversion: accrued dividends paid (default) or forfeited on "
                  "conversion",),
    ),
    Function(
        name="SERIESM_OPM_BACKSOLVE",
        description="The equity value at which the option pricing model values a Series M "
                    "share (or a common share) at a given price: the backsolve of a recent "
                    "round's price.",
        section="§3, §5, §2",
        args=(
            Arg("price_per_share", "The price a share must be worth, in dollars (e.g. the "
                "price of the latest Series M sale)."),
            VOLATILITY, TERM_YEARS, RISK_FREE_RATE,
            PREF_SHARES, COMMON_SHARES, ACCRUED_DIVIDENDS,
            CONVERSION_NUMBER._replace(array=False), DIVIDENDS_ON_CONVERSION,
            Arg("target", "\"Series M per share\" (default) or \"Common per share\": whose "
                "price `price_per_share` is.", Kind.LABEL, default="Series M per share",
                choices=BACKSOLVE_TARGETS, zero_is_empty=True),
        ),
        returns="Dollars of equity value.",
        formula="The root E of SERIESM_OPM(E, ..., target) = price_per_share, bracketed "
                "between 0 and an upper end doubled until the value passes the price, found "
                "by Brent's method to within $0.001.",
        rounding="The root is found to within $0.001 and rounded once, to the cent, half up.",
        reading="Each class's OPM value rises with the equity value (every tranche's does), "
                "so there is one root and a bracket holds it.",
        errors=("#VALUE! a number given as text", "#NUM! `price_per_share` 0 or negative",
                "#NUM! `volatility`, `term_years` or `risk_free_rate` out of range (see "
                "SERIESM_OPM)", "#N/A `target` not one of the two labels"),
        examples=(
            Example((1000, 0.6, 3, 0.0427, 9100, 36_400_000, 100_000), 15_014_091.76,
                    "At 15,000,000 a Series M share is worth 999.27 (SERIESM_OPM); the "
                    "value S − C(9,200,000) + ½ C(18,300,000) reaches 9,100 × $1,000 at "
                    "S = 15,014,091.76 (checked with scipy's brentq in the tests).",
                    "=SERIESM_OPM_BACKSOLVE(1000, 60%, 3, 4.27%, 9100, 36400000, 100000)"),
        ),
        settings=("target: solve for the Series M's price (default) or the common's",),
    ),
    Function(
        name="SERIESM_EXPLAIN",
        description="How another SERIESM function reaches its result, step by step: rows of "
                    "step, value and section, recorded while that function computes it.",
        section="§1 to §10",
        args=(
            Arg("function_name", "The function to explain, with or without SERIESM_ (e.g. "
                "\"ACCRUED\").", Kind.LABEL),
            *(Arg(f"arg{n}", f"Argument {n} of that function, as in its own formula.",
                  Kind.ANY, default=None, array=True) for n in range(1, 13)),
        ),
        returns="A table with the header `Step`, `Value`, `Section` and one row per step of "
                "the computation, in order; the last step's value is the function's result. A "
                "call that fails ends with a row `error` holding its error text.",
        formula="The explained function runs exactly as in its own cell; each core step it "
                "takes (a period and its day count, a lot check, a factor, a business day "
                "counted or skipped) is recorded as it is computed.",
        rounding="Each value is shown as the step computed it (exact numbers as doubles); the "
                 "rounding the explained function documents appears as its own step.",
        reading="One function rather than an `explain` output on every function: a "
                "derivation is a table of many rows, while a figure's own cell holds one "
                "value; the other functions' arguments, help and results stay as they are; "
                "and any formula is explained by moving its name inside: "
                "=SERIESM_ACCRUED(B4, C1, C2) becomes =SERIESM_EXPLAIN(\"ACCRUED\", B4, C1, "
                "C2). Over ranges, each cell's steps follow one another.",
        errors=("#NAME? `function_name` is not a SERIESM function (SERIESM_EXPLAIN itself "
                "included)", "#NUM! more arguments than the function takes",
                "the explained function's own errors end the table, as its last row"),
        examples=(
            Example(("WORKDAY", _ymd("2021-12-23"), 2),
                    [["Step", "Value", "Section"],
                     ["start: Thursday 23 Dec 2021 (not counted); 2 business days after",
                      _ymd("2021-12-23"), "§5(f)"],
                     ["Friday 24 Dec 2021: open, business day 1 of 2", _ymd("2021-12-24"),
                      "§5(f)"],
                     ["Saturday 25 Dec 2021: closed (Saturday; Christmas Day, which the "
                      "Federal Reserve does not move)", _ymd("2021-12-25"), "§5(f)"],
                     ["Sunday 26 Dec 2021: closed (Sunday)", _ymd("2021-12-26"), "§5(f)"],
                     ["Monday 27 Dec 2021: open, business day 2 of 2", _ymd("2021-12-27"),
                      "§5(f)"]],
                    "Christmas 2021 fell on a Saturday, which the Federal Reserve does not "
                    "move, so Friday 24 December is open (1); then the weekend; Monday 27th "
                    "is business day 2, SERIESM_WORKDAY's result.",
                    '=SERIESM_EXPLAIN("WORKDAY", DATE(2021,12,23), 2)'),
        ),
        array="Returns a table that spills (Excel 365) or fills a selected range of three "
              "columns. Ranges are passed on to the explained function as they are.",
    ),
)

#: Functions by Excel name.
# The capital stack (and the OPM's dividends to the exit) on the functions that take them.
from xl_seriesm.excel import stack_spec  # noqa: E402 - it builds on the classes above

FUNCTIONS = tuple(stack_spec.extend(f) for f in FUNCTIONS)

BY_NAME: dict[str, Function] = {f.name: f for f in FUNCTIONS}

#: Excel's limits on what the function wizard shows.
EXCEL_TEXT_LIMIT = 255
WIZARD_ARGUMENT_LIMIT = 254
