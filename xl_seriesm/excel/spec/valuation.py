"""The spec of the functions of §3, §5: the option pricing model over the waterfall."""

from __future__ import annotations

from xl_seriesm.core.valuation import BACKSOLVE_TARGETS, OPM_LABELS
from xl_seriesm.excel.spec import stack
from xl_seriesm.excel.spec.base import (
    ACCRUED_DIVIDENDS,
    COMMON_SHARES,
    CONVERSION_NUMBER,
    DIVIDENDS_ON_CONVERSION,
    PREF_SHARES,
    RISK_FREE_RATE,
    TERM_YEARS,
    VOLATILITY,
    Arg,
    Example,
    Function,
    Kind,
)

SERIESM_OPM = Function(
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
)


SERIESM_OPM_BACKSOLVE = Function(
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
)


# The dividends to the exit and the capital stack (xl_seriesm.core.stack).
SERIESM_OPM = stack.extend(SERIESM_OPM)
SERIESM_OPM_BACKSOLVE = stack.extend(SERIESM_OPM_BACKSOLVE)
