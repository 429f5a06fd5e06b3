"""The spec of the functions of §5: conversion, its adjustments and reorganizations."""

from __future__ import annotations

from xl_seriesm.core.conversion import parse_threshold_after_split
from xl_seriesm.core.dates import to_serial
from xl_seriesm.core.reorganization import parse_event
from xl_seriesm.excel.spec.base import (
    BOOL_RESULT,
    CLOSING_DATE,
    CONVERSION_NUMBER,
    DATE_RESULT,
    DATES_ERRORS,
    EXACT,
    LEAP_ANNIVERSARY,
    NOT_ROUNDED_SHARES,
    SHARES,
    SHARES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_CONVERT = Function(
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
    rounding=NOT_ROUNDED_SHARES,
    reading="Conversion opens on the first anniversary of the Closing Date, that day "
            "included; a 29 February Closing Date has its anniversary on 28 February "
            "(Excel's EDATE) by default, or 1 March (`leap_anniversary`). Share counts "
            "within a millionth of a whole share are snapped before the lot test. \"In "
            "whole or in part, in multiples of one hundred\": a "
            "holding that is not a multiple of 100 may be converted only entire (give it "
            "as `holding`).",
    errors=(SHARES_ERRORS, DATES_ERRORS,
            "#N/A `conversion_date` before the first anniversary of `closing_date` (§5(a))",
            "#NUM! `shares` not a multiple of 100 and not equal to `holding`",
            "#NUM! `shares` more than `holding`",
            "#NUM! `conversion_number` 0 or negative (an empty cell in xlwings Lite is 0)"),
    examples=(
        Example((500, ymd("2005-01-10"), ymd("2006-01-10")), 2000000.0,
                "The anniversary itself is allowed (§5(a)); 500 × 4,000 = 2,000,000 "
                "common (§5(b)).",
                '=SERIESM_CONVERT(500, DATE(2005,1,10), DATE(2006,1,10))'),
        Example((150, ymd("2005-01-10"), ymd("2006-06-30"), 4000, 150), 600000.0,
                "150 is not a multiple of 100 but is the whole holding (\"in whole\", "
                "§5(a)); 150 × 4,000 = 600,000.",
                '=SERIESM_CONVERT(150, DATE(2005,1,10), DATE(2006,6,30), 4000, 150)'),
        Example((100, ymd("2005-01-10"), ymd("2006-01-09")),
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
)


_D1, _D2, _D3 = (float(to_serial(ymd(d))) for d in ("2005-03-01", "2005-06-01", "2005-06-15"))
_SPLIT = float(to_serial(ymd("2005-05-02")))

SERIESM_DILUTE = Function(
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
        Arg("dates", "Date of each issuance, a column beside the ledger in date order "
            "(needed with `splits`).", Kind.DATE, default=None, array=True,
            zero_is_empty=True),
        Arg("splits", "Splits and combinations of the common (§5(c)), one a row: date, new "
            "shares, old shares (2, 1 for a 2-for-1 split); with two columns, or old shares "
            "empty, new shares for one old share.", Kind.SPLITS, default=None),
        Arg("threshold_after_split", "\"literal\": $0.25 (or `threshold_price`) whatever the "
            "splits; \"scaled\": × old ÷ new at each split, from its date on, as trigger "
            "and in C.", Kind.CHOICE, default="literal", choices=("literal", "scaled"),
            parse=parse_threshold_after_split),
    ),
    returns="The conversion number after the issuance; with ranges, a column of running "
            "conversion numbers, each row applied to the result of the row before. With "
            "`splits`, each issuance's number also takes every split dated on or before "
            "its date (§5(c)); a split after the last issuance is not in the result.",
    formula="conversion_number × (A + B) / (A + C) with C = consideration ÷ "
            "threshold_price, when consideration ÷ B < threshold_price and not exempt; "
            "otherwise unchanged",
    rounding=EXACT + " The running number is carried exactly from row to row, never "
             "through a rounded cell.",
    reading="The $0.25 stays fixed by the text, both as the trigger and in C, even after an "
            "earlier adjustment lowered the effective price; after a split the literal figure "
            "may no longer be what the parties meant, so `threshold_price` replaces it in both "
            "places; or, with dated issuances and `splits`, `threshold_after_split` \"scaled\" "
            "multiplies it by old ÷ new at each split from the split's date on (the ledger's "
            "setting of the same name, same words). A split on an issuance's date comes before "
            "it. The exemption date is blank in the filing (\"December __, 2004\"), so the user "
            "flags exempt issuances. The increase is spread pro rata over the Series M "
            "(§5(e)(iii)), so each share's conversion number takes the same factor. A stock "
            "dividend or split of the common is not an issuance for this ledger: it goes "
            "through SERIESM_SPLIT (§5(c)); entered here too, the same factor would count "
            "twice. A conversion of the Series M itself issues common at $1,000 ÷ conversion "
            "number a share, to the letter below $0.25 once the number exceeds 4,000: flag it "
            "exempt (`exempt` TRUE).",
    errors=("#VALUE! a number given as text", "#NUM! `new_shares` 0 or negative",
            "#NUM! `common_outstanding` or `consideration` negative",
            "#NUM! A + C = 0 (no denominator)",
            "#VALUE! ledger columns of unequal length; an error in one row repeats in "
            "every later row, since each depends on the one before",
            "#NUM! `dates` or the dates of `splits` out of order; a split's new or old "
            "shares 0 or negative; `threshold_after_split` not \"literal\" or \"scaled\"",
            "#VALUE! `splits` without `dates`, or not 2 or 3 columns"),
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
        Example((4000, [[1_000_000], [2_200_000], [2_400_000]],
                 [[100_000], [200_000], [100_000]], [[20_000], [30_000], [10_000]], False,
                 0.25, [[_D1], [_D2], [_D3]], [[_SPLIT, 2, 1]], "scaled"),
                [[110000 / 27], [220000 / 27], [6875000 / 837]],
                "2005-03-01: $0.20 < $0.25; C = 20,000 ÷ 0.25 = 80,000; 4,000 × 1,100,000 "
                "/ 1,080,000 = 110,000/27. 2005-05-02 2-for-1 split (§5(c)): × 2 = "
                "220,000/27, threshold scaled to $0.125. 2005-06-01: $0.15, not below "
                "$0.125: unchanged. 2005-06-15: $0.10; C = 10,000 ÷ 0.125 = 80,000; × "
                "2,500,000 / 2,480,000 = 125/124: 6,875,000/837. (\"literal\": rows 2 "
                "and 3 are 220,000/27 × 30/29 and × 125/122.)",
                '=SERIESM_DILUTE(4000, B2:B4, C2:C4, D2:D4, FALSE, 0.25, A2:A4, F2:H2, '
                '"scaled")'),
    ),
    array="With columns, one issuance per row in date order; the result is the column "
          "of running conversion numbers. Rows left wholly empty carry the number forward.",
    settings=("threshold_price: the $0.25 of §5(e)(i), in both places",
              "threshold_after_split: \"literal\" (default) or \"scaled\" by each split",
              "exempt: the user's flag for the blank December 2004 exemption"),
)


SERIESM_CONVERTFROM = Function(
    name="SERIESM_CONVERTFROM",
    description="First day the Series M may be converted (§5(a)): the first anniversary "
                "of the Closing Date.",
    section="§5(a), §5(b)",
    args=(CLOSING_DATE, LEAP_ANNIVERSARY),
    returns="A date.",
    formula="EDATE(closing_date, 12); the day after for a 29 February Closing Date under "
            "\"1 March\"",
    rounding=DATE_RESULT,
    reading="\"Beginning on the one (1) year anniversary of the Closing Date\": that day "
            "included; a 29 February Closing Date has its anniversary on 28 February "
            "(Excel's EDATE) by default, or on 1 March when a full year must have passed "
            "(`leap_anniversary`).",
    errors=(DATES_ERRORS,
            "#NUM! `leap_anniversary` not \"28 February\" or \"1 March\""),
    examples=(
        Example((ymd("2005-01-10"),), ymd("2006-01-10"), "One year after the Closing "
                "Date.", "=SERIESM_CONVERTFROM(DATE(2005,1,10))"),
        Example((ymd("2008-02-29"),), ymd("2009-02-28"), "29 February: EDATE gives "
                "28 February.", "=SERIESM_CONVERTFROM(DATE(2008,2,29))"),
        Example((ymd("2008-02-29"), "1 March"), ymd("2009-03-01"), "29 February, a "
                "full year: 1 March 2009.",
                '=SERIESM_CONVERTFROM(DATE(2008,2,29), "1 March")'),
    ),
    array="`closing_date` takes a range.",
)


SERIESM_CASHINLIEU = Function(
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
)


SERIESM_SPLIT = Function(
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
    rounding=EXACT,
    reading="The holder may convert into what it \"would have received had its shares ... "
            "been converted immediately prior\" to the event (§5(c)). A stock dividend or "
            "split goes through this function only, never the §5(e) ledger of "
            "SERIESM_DILUTE as well: the same factor would count twice. The $0.25 of "
            "§5(e) is not adjusted by the text; SERIESM_DILUTE's `threshold_price` can be, "
            "or its `splits` with `threshold_after_split`.",
    errors=("#VALUE! a number given as text", "#NUM! any argument 0 or negative"),
    examples=(
        Example((4000, 3, 2), 6000.0, "3-for-2: 4,000 × 3/2 = 6,000."),
        Example((4000, 1, 10), 400.0, "1-for-10 reverse split: 4,000 × 1/10 = 400."),
    ),
    array="`conversion_number` takes a range.",
)


SERIESM_RESERVE = Function(
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
)


SERIESM_REORG = Function(
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
    rounding=BOOL_RESULT,
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
)


SERIESM_REORGVALUE = Function(
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
    rounding=EXACT + " The common count is snapped to a whole share when within a "
             "millionth of one.",
    reading="§5(d): the holders receive \"the number of shares of stock or other "
            "securities or property ... to which such holder would have been entitled if "
            "such holder had converted its shares ... immediately prior to such "
            "Reorganization\". Accrued dividends are not included (they fall due on "
            "conversion, §2: SERIESM_ACCRUED).",
    errors=(SHARES_ERRORS, "#NUM! `consideration_per_common` negative",
            "#NUM! `conversion_number` 0 or negative"),
    examples=(
        Example((250, 0.3), 300_000.0, "250 × 4,000 = 1,000,000 common × $0.30 = "
                "$300,000."),
        Example((7, 0.35, 30000 / 7), 10500.0, "7 × 30,000/7 = 30,000 common (the number "
                "read from a cell gives 29,999.99999999…, snapped) × $0.35 = $10,500."),
    ),
    array="`shares`, `consideration_per_common` and `conversion_number` take ranges.",
)
