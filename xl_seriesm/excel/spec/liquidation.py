"""The spec of the functions of §3: liquidation, deemed liquidation and the waterfall."""

from __future__ import annotations

from xl_seriesm.core.liquidation import WATERFALL_LABELS, parse_transaction
from xl_seriesm.core.valuation import BREAKPOINT_HEADER
from xl_seriesm.excel.spec import stack
from xl_seriesm.excel.spec.base import (
    ACCRUAL,
    ACCRUAL_READING,
    ACCRUED_DIVIDENDS,
    BASIS,
    BOOL_RESULT,
    CLOSING_DATE,
    COMMON_SHARES,
    CONVERSION_NUMBER,
    DATE_RESULT,
    DATES_ERRORS,
    DIVIDENDS_ON_CONVERSION,
    DIVIDENDS_PAID,
    EXACT,
    PER_PERIOD_FORMULA,
    PREF_SHARES,
    SCHEDULE,
    SHARES,
    SHARES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_WATERFALL = Function(
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
)


SERIESM_LIQVALUE = Function(
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
            "as_of_date, basis) − dividends_paid, 2) from closing" + PER_PERIOD_FORMULA,
    rounding="Rounded once, to the cent, half up, on the whole sum; nothing before "
             "that point is rounded.",
    reading=ACCRUAL_READING + " The Stated Value is the $1,000 of §1; its \"equitable "
            "adjustment\" after a split (§3(a)) is not computed: give adjusted share "
            "counts.",
    errors=(SHARES_ERRORS, DATES_ERRORS, "#NUM! `as_of_date` before `closing_date`",
            "#NUM! `dividends_paid` negative, not whole cents, or more than has accrued",
            "#NUM! `basis` not 0 to 4 or a known name", "#VALUE! ranges of unequal length"),
    examples=(
        Example((100, ymd("2005-01-10"), ymd("2006-01-10"), 2500), 102500.0,
                "100 × $1,000 = $100,000, plus one year at 5% ($5,000) less $2,500 paid: "
                "$102,500.00 (§3(a), §2).",
                "=SERIESM_LIQVALUE(100, DATE(2005,1,10), DATE(2006,1,10), 2500)"),
        Example((9100, ymd("2005-01-10"), ymd("2005-04-10")), 9213750.0,
                "$9,100,000 plus a quarter's $113,750: $9,213,750.00.",
                "=SERIESM_LIQVALUE(9100, DATE(2005,1,10), DATE(2005,4,10))"),
    ),
    array="`shares`, `closing_date`, `as_of_date` and `dividends_paid` take ranges; one "
          "call over a column of holders is much faster than one per holder.",
    settings=("basis: day count (default 0, US 30/360)",
              "accrual: \"per period\" (default) or \"from closing\"",
              "schedule: the dividend periods \"per period\" counts"),
)


SERIESM_BREAKPOINT = Function(
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
)


SERIESM_ALLOCATE = Function(
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
)


SERIESM_DEEMEDLIQ = Function(
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
    rounding=BOOL_RESULT,
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
)


SERIESM_LIQNOTICEBY = Function(
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
    rounding=DATE_RESULT,
    reading="\"At least twenty (20) days prior to the earlier of the vote ... or the "
            "closing\": calendar days. With no vote (the transaction approved by written "
            "consent) the closing alone counts.",
    errors=(DATES_ERRORS,),
    examples=(Example((ymd("2007-06-30"), ymd("2007-07-15")), ymd("2007-06-10"),
                      "The vote (30 June) comes first: 30 June − 20 days = 10 June 2007.",
                      "=SERIESM_LIQNOTICEBY(DATE(2007,6,30), DATE(2007,7,15))"),
              Example((None, ymd("2007-07-15")), ymd("2007-06-25"),
                      "No vote: 15 July − 20 days = 25 June 2007.",
                      "=SERIESM_LIQNOTICEBY(, DATE(2007,7,15))")),
    array="Both dates take ranges.",
)


SERIESM_ELECTBY = Function(
    name="SERIESM_ELECTBY",
    description="Last day for the Series M holders' written election to treat a "
                "transaction as a liquidation (§3(c)): three days before its effective "
                "date.",
    section="§3(c)",
    args=(Arg("effective_date", "The effective date of the merger or asset sale.",
              Kind.DATE, array=True),),
    returns="A date: the election must be given on or before it.",
    formula="effective_date − 3",
    rounding=DATE_RESULT,
    reading="\"At least three days before the effective date\": calendar days.",
    errors=(DATES_ERRORS,),
    examples=(Example((ymd("2007-07-15"),), ymd("2007-07-12"),
                      "15 July − 3 days = 12 July 2007 (§3(c)).",
                      "=SERIESM_ELECTBY(DATE(2007,7,15))"),),
    array="`effective_date` takes a range.",
)


SERIESM_PAYOUTS = Function(
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
)


SERIESM_APPRAISER = Function(
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
    rounding=BOOL_RESULT,
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
)


SERIESM_BREAKPOINTS = Function(
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
    rounding=EXACT + " The breakpoints are thresholds, not payments.",
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
)


# The capital stack on the functions that take it (the `stack` argument, xl_seriesm.core.stack).
SERIESM_WATERFALL = stack.extend(SERIESM_WATERFALL)
SERIESM_PAYOUTS = stack.extend(SERIESM_PAYOUTS)
SERIESM_BREAKPOINTS = stack.extend(SERIESM_BREAKPOINTS)
