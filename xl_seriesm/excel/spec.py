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

from xl_seriesm.core import terms
from xl_seriesm.core.conversion import VOTES_CHOICES, parse_votes_reading
from xl_seriesm.core.daycount import Basis, parse_basis
from xl_seriesm.core.dividends import SCHEDULE_CHOICES, parse_schedule
from xl_seriesm.core.liquidation import TRANSACTION_CHOICES, WATERFALL_LABELS, parse_transaction

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
    #: Optional arguments without a default: a 0 (how xlwings Lite on the desktop passes an
    #: empty cell) counts as not given.
    zero_is_empty: bool = False

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
    result_kind: str = "number"
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
                     "dollars (default 0).", default=0, array=True)
BASIS = Arg("basis", "Day count: 0 US 30/360 (default), 1 actual/actual, 2 actual/360, "
            "3 actual/365, 4 European 30/360, or its name.", Kind.CHOICE, default=0,
            choices=tuple(b.label for b in Basis), parse=parse_basis)
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

_ROUNDED_ONCE = ("Rounded once, to the cent, half up, after subtracting `dividends_paid`; "
                 "nothing before that point is rounded.")
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
                    "from the Closing Date (included) to the as-of date (excluded), over "
                    "Excel's YEARFRAC for the chosen basis (default 0, US 30/360, Excel's rules "
                    "for February's end included).")
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
        ),
        returns="Dollars of dividends accrued and not yet paid.",
        formula="ROUND(shares × 1,000 × 5% × YEARFRAC(closing_date, as_of_date, basis) − "
                "dividends_paid, 2)",
        rounding=_ROUNDED_ONCE,
        reading=_ACCRUAL_READING,
        errors=(_SHARES_ERRORS, _DATES_ERRORS,
                "#NUM! `as_of_date` before `closing_date`",
                "#NUM! `dividends_paid` negative, or more than has accrued (rounded to the cent)",
                "#NUM! `basis` not 0 to 4 or a known name",
                "#VALUE! ranges of unequal length"),
        examples=(
            Example((9100, _ymd("2005-01-10"), _ymd("2005-04-10")), 113750.0,
                    "10 January to 10 April is 90 days in 30/360, a quarter of a year; "
                    "9,100 × $1,000 × 5% × 90/360 = $113,750.00 (§2).",
                    '=SERIESM_ACCRUED(9100, DATE(2005,1,10), DATE(2005,4,10))'),
            Example((250, _ymd("2005-01-10"), _ymd("2005-03-01"), 0, 3), 1712.33,
                    "Actual/365: 21 days left in January, 28 in February, 1 in March = 50 days; "
                    "250 × $1,000 × 5% = $12,500 a year × 50/365 = $1,712.3287…, "
                    "rounded to $1,712.33.",
                    '=SERIESM_ACCRUED(250, DATE(2005,1,10), DATE(2005,3,1), 0, 3)'),
            Example((100, _ymd("2005-01-10"), _ymd("2006-01-10"), 1250), 3750.0,
                    "One year in 30/360: 100 × $1,000 × 5% = $5,000, less the $1,250 paid "
                    "= $3,750.00.",
                    '=SERIESM_ACCRUED(100, DATE(2005,1,10), DATE(2006,1,10), 1250)'),
        ),
        array="`shares`, `closing_date`, `as_of_date` and `dividends_paid` each take a range "
              "(one holder per row); the result has the range's shape. One call over a "
              "column of holders is much faster than one call per holder.",
        settings=("basis: day count (default 0, US 30/360)",),
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
        ),
        returns="Common shares issuable, possibly with a fraction (§5(h) lets the Company "
                "issue it or pay cash: see SERIESM_CASHINLIEU).",
        formula="shares × conversion_number",
        rounding=_NOT_ROUNDED_SHARES,
        reading="Conversion opens on the first anniversary of the Closing Date, that day "
                "included; a 29 February Closing Date has its anniversary on 28 February "
                "(Excel's EDATE). \"In whole or in part, in multiples of one hundred\": a "
                "holding that is not a multiple of 100 may be converted only entire (give it "
                "as `holding`).",
        errors=(_SHARES_ERRORS + "; #NUM! `shares` is 0", _DATES_ERRORS,
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
        settings=("holding: enables the whole-holding reading of \"in whole\"",),
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
                "same factor.",
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
        rounding="The Series M total is rounded once, to the cent, half up; the common takes "
                 "the exact rest, so each row hands out exactly its proceeds. Per-share values "
                 "divide those totals and are not rounded; the breakpoint is exact.",
        reading="Non-participating: the Series M takes its preference (§3(a)), shared pro "
                "rata when short (§3(b)), unless converting pays strictly more; every holder "
                "of the one series decides alike. A converting holder's accrued dividends fall "
                "due in cash on conversion (§2), so by default it receives them first. The "
                "breakpoint row is shown even when `convertible` is FALSE.",
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
        result_kind="table",
    ),
)

#: Functions by Excel name.
BY_NAME: dict[str, Function] = {f.name: f for f in FUNCTIONS}

#: Excel's limits on what the function wizard shows.
EXCEL_TEXT_LIMIT = 255
WIZARD_ARGUMENT_LIMIT = 254

__all__ = ["BY_NAME", "CATEGORY", "FUNCTIONS", "REQUIRED", "Arg", "Example", "Function", "Kind",
           "terms"]
_UNUSED = (VOTES_CHOICES, parse_votes_reading, SCHEDULE_CHOICES, parse_schedule,
           TRANSACTION_CHOICES, parse_transaction)
