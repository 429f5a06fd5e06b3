"""The spec of the capital stack: the ``stack`` and ``dividends_to_exit`` arguments and what
they add to the pages of SERIESM_WATERFALL, SERIESM_BREAKPOINTS, SERIESM_OPM,
SERIESM_OPM_BACKSOLVE and SERIESM_PAYOUTS. :func:`extend` applies them to those functions'
specs, so every generated file (decorators, Lite, the extension, the reference) has them.
"""

from __future__ import annotations

from xl_seriesm.core.stack_table import COLUMNS
from xl_seriesm.excel.spec.base import Arg, Example, Function, Kind

STACK = Arg("stack", "The other classes of the capital stack: a range with its header row "
            "(class, kind, shares, preference, seniority, participation, cap, "
            "conversion_ratio, strike); omitted, the Series M and the common alone.",
            Kind.TABLE, default=None)
DIVIDENDS_TO_EXIT = Arg("dividends_to_exit", "TRUE (default): the Series M's dividends keep "
                        "accruing 5% a year on the Stated Value for term_years, to the exit "
                        "(§2); FALSE: frozen at accrued_dividends.", Kind.BOOLEAN,
                        default=True)

#: The issue's stack as a range: Series L 1,000,000 shares at $1.00 (non-participating, 1:1)
#: and 10,000,000 options at $0.10.
EXAMPLE_STACK = [["class", "kind", "shares", "preference", "strike"],
                 ["Series L", "preferred", 1_000_000, 1, None],
                 ["Options", "option", 10_000_000, None, 0.1]]
_STACK_RANGE = "A1:E3"
_STACK_WORDS = ("In the example `stack` (" + _STACK_RANGE + "): Series L, 1,000,000 shares at "
                "$1.00, non-participating, 1:1; 10,000,000 options at $0.10; with 9,100 "
                "Series M, $455,000 accrued (one year, §2: L = 9,555,000) and 100,000,000 "
                "common.")

_STACK_READING = (
    " With `stack` (a range with its header row: " + ", ".join(f"`{c}`" for c in COLUMNS)
    + "; empty cells take the defaults: seniority 1, participation none, conversion_ratio "
    "1): the Series M is paid first, before any other class (§3(a)), a shortfall shared "
    "among the Series M only (§3(b)), and a converting Series M's accrued dividends in cash "
    "before any junior class (§2); then the preferred classes by seniority (1 first; equal "
    "numbers pari passu, a shortfall pro rata to their preferences, shares × preference); "
    "options and warrants are exercised when the common's value per share exceeds the "
    "strike, and the strikes join the proceeds (an option's payout is net of its strike); a "
    "`full` class takes its preference and shares as converted, a `capped` one until its "
    "total per share reaches cap × its preference. Each class converts when that pays it "
    "strictly more given the others' choices: the one value per common share p at which "
    "the classes' best payouts add up to the exit value (a fixed point, found exactly; ties "
    "do not convert). The junior classes' terms are the user's, not the certificate's.")
_STACK_ERRORS = ("#VALUE! or #NUM! a cell of `stack` not allowed: the message names its "
                 "row (1 is the header), its column and what is allowed",)
_STACK_SETTING = ("stack: the other classes of the capital stack (omitted: the Series M and "
                  "the common alone)",)
_OPM_DIVIDENDS = (
    " The Series M's preference at the exit (`dividends_to_exit`, default TRUE) adds 5% a "
    "year on the Stated Value for `term_years` to `accrued_dividends`, simple interest "
    "(cumulative dividends earn none, §2); FALSE keeps today's figure. The §6(a) call (the "
    "Company may redeem at the Stated Value plus accrued dividends) is not modelled. "
    "`risk_free_rate` is continuously compounded: from a bond-equivalent yield y, r = "
    "2·ln(1 + y/2).")


def _waterfall(f: Function) -> Function:
    labels = ", ".join("`" + label + "`" for label in (
        "Series M total", "Series L total", "Options per share", "Series L converts",
        "Options exercised"))
    return f._replace(
        args=(*f.args, STACK),
        returns=f.returns + " With `stack`: rows `<class> total` and `<class> per share` for "
                "the Series M, each class of the stack in order and the Common; then `<class> "
                "converts` (preferred) or `<class> exercised` (options, warrants) for each "
                "class of the stack; then `Series M converts` and `Conversion breakpoint` "
                "(the exit value above which the Series M converts within the stack); e.g. "
                + labels + ".",
        formula=f.formula + " With `stack`: below the preferences they are paid by "
                "seniority; above them, p solves Σ best payouts(p) = proceeds, each class "
                "taking max(its preference, as converted × p) (non-participating), P + n·p "
                "(full), max(min(P + n·p, cap × P), n·p) (capped), max(0, n·(p − strike)) "
                "(options, warrants), the Series M max(L, dividends + shares × N × p); the "
                "common N·p.",
        rounding=f.rounding + " With `stack`: the classes other than the common are rounded "
                 "together, their total to the cent, half up, never past the proceeds rounded "
                 "down to the cent, the cents apportioned by largest remainders (the earlier "
                 "class on a tie); the common takes the exact rest.",
        reading=f.reading + _STACK_READING,
        errors=(*f.errors, *_STACK_ERRORS),
        examples=(*f.examples,
                  Example((20_000_000, 9100, 100_000_000, 455_000, 4000, True, True,
                           "Common total", EXAMPLE_STACK), 9_445_000.0,
                          _STACK_WORDS + " At $20,000,000 the Series M takes its 9,555,000 "
                          "(§3(a)), the Series L its 1,000,000; the 9,445,000 left is the "
                          "common's, $0.09445 a share: below the options' $0.10 strike, the "
                          "Series L's $1.00 and the Series M's $1,000 ÷ 4,000 = $0.25, so "
                          "nobody converts or exercises.",
                          '=SERIESM_WATERFALL(20000000, 9100, 100000000, 455000, 4000, TRUE, '
                          'TRUE, "Common total", ' + _STACK_RANGE + ")"),
                  Example((200_000_000, 9100, 100_000_000, 455_000, 4000, True, True,
                           "Options total", EXAMPLE_STACK), 12_605_495.25,
                          "The same stack at $200,000,000, past every breakpoint: all "
                          "convert or exercise. The Series M's $455,000 of dividends first "
                          "(§2); the strikes, $1,000,000, join the rest: p = (200,000,000 − "
                          "455,000 + 1,000,000) ÷ 147,400,000 = $1.3605495…; the options "
                          "take 10,000,000 × (p − 0.10) = 12,605,495.2510… (their cents: the "
                          "Series M's, Series L's and options' exact totals add up to "
                          "63,945,047.4898…, rounded to …47.49, and the extra cent goes to "
                          "the largest remainder, the Series L's).",
                          '=SERIESM_WATERFALL(200000000, 9100, 100000000, 455000, 4000, '
                          'TRUE, TRUE, "Options total", ' + _STACK_RANGE + ")")),
        settings=(*f.settings, *_STACK_SETTING),
    )


def _breakpoints(f: Function) -> Function:
    return f._replace(
        args=(*f.args, STACK),
        returns=f.returns + " With `stack`: a column per class, the Series M, the stack's "
                "classes in order and the Common.",
        formula=f.formula + " With `stack`: the preferences first, the Series M's then each "
                "seniority's; then, between two values of the common per share at which some "
                "class's share of a dollar changes (a strike, a conversion price, a cap), "
                "each class's share is its shares sharing that dollar over all of them; the "
                "equity value at a price p is the preferences plus Σ shares × the step in p.",
        reading=f.reading + _STACK_READING,
        errors=(*f.errors, *_STACK_ERRORS),
        examples=(*f.examples,
                  Example((9100, 100_000_000, 455_000, 4000, True, EXAMPLE_STACK),
                          [["Tranche", "From", "To", "Series M", "Series L", "Options",
                            "Common"],
                           [1, 0.0, 9_555_000.0, 1.0, 0.0, 0.0, 0.0],
                           [2, 9_555_000.0, 10_555_000.0, 0.0, 1.0, 0.0, 0.0],
                           [3, 10_555_000.0, 20_555_000.0, 0.0, 0.0, 0.0, 1.0],
                           [4, 20_555_000.0, 37_055_000.0, 0.0, 0.0, 1 / 11, 10 / 11],
                           [5, 37_055_000.0, 146_855_000.0, 91 / 366, 0.0, 25 / 366,
                            125 / 183],
                           [6, 146_855_000.0, "", 182 / 737, 5 / 737, 50 / 737, 500 / 737]],
                          _STACK_WORDS + " 0 to 9,555,000 the Series M (§3(a)); then the "
                          "Series L's 1,000,000; then the common alone until it is worth "
                          "$0.10: 10,555,000 + 100,000,000 × 0.10 = 20,555,000; the options "
                          "join (10 of 110 million shares) until $0.25, where the Series M "
                          "converts: 20,555,000 + 110,000,000 × 0.15 = 37,055,000; then "
                          "146,400,000 shares until $1.00, where the Series L converts: "
                          "37,055,000 + 146,400,000 × 0.75 = 146,855,000.",
                          "=SERIESM_BREAKPOINTS(9100, 100000000, 455000, 4000, TRUE, "
                          + _STACK_RANGE + ")"),),
        array=f.array + " With `stack`, 3 more columns per class of the stack, and a row "
              "per breakpoint.",
        settings=(*f.settings, *_STACK_SETTING),
    )


_OPM_S = ("Breakpoints with the dividends to the exit: 100,000 + 9,100 × 1,000 × 5% × 3 = "
          "1,465,000 accrued (§2), L = 10,565,000, B = 1,465,000 + 9,100,000 × 2 = 19,665,000, "
          "f = 1/2. S = 15,000,000, σ√T = 0.6 × √3 = 1.03923. At K = 10,565,000: d1 = "
          "(ln(15/10.565) + (0.0427 + 0.18) × 3) ÷ 1.03923 = 0.98015, d2 = −0.05908, C = "
          "8,118,995.12. At K = 19,665,000: d1 = 0.38231, d2 = −0.65692, C = 5,310,957.08. "
          "Series M = (S − C(L)) + ½ C(B) = 6,881,004.88 + 2,655,478.54 = 9,536,483.42.")


def _opm(f: Function) -> Function:
    call = "=SERIESM_OPM(15000000, 60%, 3, 4.27%, 9100, 36400000, 100000, 4000, TRUE, "
    inputs = (15_000_000, 0.6, 3, 0.0427, 9100, 36_400_000, 100_000, 4000, True)
    return f._replace(
        args=(*f.args, DIVIDENDS_TO_EXIT, STACK),
        returns=f.returns + " With `stack`: `<class> total` and `<class> per share` for the "
                "Series M, each class of the stack in order and the Common (an option's "
                "value is net of its strike), adding up to `equity_value`.",
        formula=f.formula + " The tranches are SERIESM_BREAKPOINTS' with the dividends to "
                "the exit (accrued_dividends + pref_shares × 1,000 × 5% × term_years) unless "
                "`dividends_to_exit` is FALSE; with `stack`, the stack's tranches, each class "
                "taking its share of each.",
        rounding=f.rounding + " With `stack`: each class but the common rounded to the "
                 "cent, half up; the common takes the rest.",
        reading=f.reading + _OPM_DIVIDENDS + _STACK_READING,
        errors=(*f.errors, *_STACK_ERRORS),
        examples=(
            Example((*inputs, "Series M total"), 9_536_483.42, _OPM_S,
                    call + '"Series M total")'),
            Example((*inputs, "Common total"), 5_463_516.58,
                    "The rest: 15,000,000 − 9,536,483.42 = 5,463,516.58, $0.15010 a common "
                    "share (the common's own sum, C(L) − ½ C(B), is the same to the cent).",
                    call + '"Common total")'),
            Example((*inputs, "Series M total", False), 9_093_378.57,
                    "Dividends frozen at today's $100,000: L = 9,200,000, B = 18,300,000; "
                    "C(L) = 8,722,281.97 (d1 = 1.11327), C(B) = 5,631,321.09 (d1 = 0.45154); "
                    "(S − C(L)) + ½ C(B) = 6,277,718.03 + 2,815,660.54 = 9,093,378.57. "
                    "Accruing to the exit is worth 443,104.85 more to the Series M, and the "
                    "common per share 7.5% less.",
                    call + '"Series M total", FALSE)'),
        ),
        settings=(*f.settings, "dividends_to_exit: the preference accrued to the exit "
                  "(default) or frozen at today's", *_STACK_SETTING),
    )


def _backsolve(f: Function) -> Function:
    return f._replace(
        args=(*f.args, DIVIDENDS_TO_EXIT, STACK),
        returns=f.returns,
        formula=f.formula + " With `stack`, `target` may name any class: \"<class> per "
                "share\" (an option or warrant: its value net of the strike).",
        reading=f.reading + _OPM_DIVIDENDS + _STACK_READING,
        errors=(*f.errors, *_STACK_ERRORS),
        examples=(
            Example((1000, 0.6, 3, 0.0427, 9100, 36_400_000, 100_000), 14_108_919.71,
                    "With the dividends to the exit (L = 10,565,000, B = 19,665,000, see "
                    "SERIESM_OPM), a Series M share is worth 1,047.97 at 15,000,000; the "
                    "value S − C(10,565,000) + ½ C(19,665,000) comes down to 9,100 × $1,000 "
                    "at S = 14,108,919.71 (checked with scipy's brentq in the tests).",
                    "=SERIESM_OPM_BACKSOLVE(1000, 60%, 3, 4.27%, 9100, 36400000, 100000)"),
            Example((1000, 0.6, 3, 0.0427, 9100, 36_400_000, 100_000, 4000, True,
                     "Series M per share", False), 15_014_091.76,
                    "Dividends frozen at today's: S − C(9,200,000) + ½ C(18,300,000) reaches "
                    "9,100 × $1,000 at S = 15,014,091.76 (at 15,000,000 a share is worth "
                    "999.27).",
                    "=SERIESM_OPM_BACKSOLVE(1000, 60%, 3, 4.27%, 9100, 36400000, 100000, "
                    '4000, TRUE, "Series M per share", FALSE)'),
        ),
        settings=(*f.settings, "dividends_to_exit: the preference accrued to the exit "
                  "(default) or frozen at today's", "target: with `stack`, any class",
                  *_STACK_SETTING),
    )


def _payouts(f: Function) -> Function:
    return f._replace(
        args=(*f.args, STACK),
        formula=f.formula + " With `stack`: each holder is one more class of the stack's "
                "fixed point (see SERIESM_WATERFALL): it converts when p exceeds its "
                "threshold.",
        rounding=f.rounding + " With `stack`, the class total is the stack's rounding of "
                 "the Series M (SERIESM_WATERFALL).",
        reading=f.reading + _STACK_READING + " SERIESM_EXPLAIN shows each holder's threshold "
                "and the price p that decided its choice.",
        errors=(*f.errors, *_STACK_ERRORS),
        examples=(*f.examples,
                  Example((470_000, [[100], [100]], [[0], [10_000]], 600_000, 4000, True,
                           False, [["class", "kind", "shares", "preference"],
                                   ["Series J", "preferred", 100_000, 1]]),
                          [[104_000.0], [110_000.0]],
                          "The first example with a junior Series J of 100,000 shares at "
                          "$1.00 (E1:H2) and $100,000 more: preferences 100,000 + 110,000 + "
                          "100,000; with holder 1 converting, (470,000 − 110,000 − 100,000) "
                          "÷ 1,000,000 = $0.26 a common share, above its threshold 100,000 ÷ "
                          "400,000 = $0.25, below holder 2's 110,000 ÷ 400,000 = $0.275 and "
                          "the Series J's $1.00: holder 1 converts, holder 2 and the Series J "
                          "keep their preferences.",
                          "=SERIESM_PAYOUTS(470000, B2:B3, C2:C3, 600000, 4000, TRUE, FALSE, "
                          "E1:H2)"),),
        settings=(*f.settings, *_STACK_SETTING),
    )


_EXTENSIONS = {"SERIESM_WATERFALL": _waterfall, "SERIESM_BREAKPOINTS": _breakpoints,
               "SERIESM_OPM": _opm, "SERIESM_OPM_BACKSOLVE": _backsolve,
               "SERIESM_PAYOUTS": _payouts}


def extend(function: Function) -> Function:
    """The function's spec with the capital stack (and, for the OPM, the dividends to the
    exit); other functions as they are."""
    change = _EXTENSIONS.get(function.name)
    return change(function) if change else function
