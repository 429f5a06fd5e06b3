"""The spec of the functions of §2: dividends."""

from __future__ import annotations

from xl_seriesm.excel.spec.base import (
    ACCRUAL,
    ACCRUAL_READING,
    BASIS,
    BOOL_RESULT,
    CLOSING_DATE,
    DATES_ERRORS,
    DIVIDENDS_PAID,
    PER_PERIOD_FORMULA,
    ROUNDED_ONCE,
    SCHEDULE,
    SHARES,
    SHARES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_ACCRUED = Function(
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
            "dividends_paid, 2) from closing" + PER_PERIOD_FORMULA,
    rounding=ROUNDED_ONCE,
    reading=ACCRUAL_READING,
    errors=(SHARES_ERRORS, DATES_ERRORS,
            "#NUM! `as_of_date` before `closing_date`",
            "#NUM! `dividends_paid` negative, not whole cents, or more than has accrued "
            "(rounded to the cent)",
            "#NUM! `basis` not 0 to 4 or a known name",
            "#VALUE! ranges of unequal length"),
    examples=(
        Example((9100, ymd("2005-01-10"), ymd("2005-04-10")), 113750.0,
                "10 January to 10 April is 90 days in 30/360, a quarter of a year; "
                "9,100 × $1,000 × 5% × 90/360 = $113,750.00 (§2).",
                '=SERIESM_ACCRUED(9100, DATE(2005,1,10), DATE(2005,4,10))'),
        Example((250, ymd("2005-01-10"), ymd("2005-03-01"), 0, 3), 1736.11,
                "Per period, actual days inside the period: 10 January to 10 April is 90 "
                "days, 50 of them passed; Q = 250 × $12.50 = $3,125 × 50/90 = $1,736.111…, "
                "rounded to $1,736.11.",
                '=SERIESM_ACCRUED(250, DATE(2005,1,10), DATE(2005,3,1), 0, 3)'),
        Example((250, ymd("2005-01-10"), ymd("2005-03-01"), 0, 3, "from closing"),
                1712.33,
                "From closing, actual/365: 21 days left in January, 28 in February, 1 in "
                "March = 50 days; 250 × $1,000 × 5% = $12,500 a year × 50/365 = "
                "$1,712.3287…, rounded to $1,712.33.",
                '=SERIESM_ACCRUED(250, DATE(2005,1,10), DATE(2005,3,1), 0, 3, '
                '"from closing")'),
        Example((100, ymd("2007-02-28"), ymd("2008-02-28")), 5000.0,
                "Four full quarters (28 May, 28 August, 28 November 2007, 28 February "
                "2008), each exactly 100 × $1,000 × 5% ÷ 4 = $1,250 (§2): $5,000.00. From "
                "closing YEARFRAC counts 358/360 of a year: $4,972.22.",
                '=SERIESM_ACCRUED(100, DATE(2007,2,28), DATE(2008,2,28))'),
        Example((100, ymd("2005-02-28"), ymd("2005-05-27")), 1235.8,
                "The first period runs 28 February to 28 May 2005: 88 days by YEARFRAC's "
                "basis-0 rules (28 February counts as the 30th), 87 of them passed: "
                "$1,250 × 87/88 = $1,235.795…, rounded to $1,235.80.",
                '=SERIESM_ACCRUED(100, DATE(2005,2,28), DATE(2005,5,27))'),
        Example((100, ymd("2005-01-10"), ymd("2006-01-10"), 1250), 3750.0,
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
)


SERIESM_SCHEDULE = Function(
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
            "payments settle the oldest first (§2). " + ACCRUAL_READING,
    errors=(SHARES_ERRORS, DATES_ERRORS, "#NUM! `through_date` before `closing_date`",
            "#NUM! `dividends_paid` more than falls due by `through_date`",
            "#NUM! `schedule` not \"from closing\" or \"quarter ends\""),
    examples=(Example((100, ymd("2005-01-10"), ymd("2005-12-31"), 2000, 0, "quarter ends"),
                      [["Payment date", "Dividend due", "Paid", "Arrears"],
                       [ymd("2005-03-31"), 1125.0, 1125.0, 0.0],
                       [ymd("2005-06-30"), 1250.0, 875.0, 375.0],
                       [ymd("2005-09-30"), 1250.0, 0.0, 1625.0],
                       [ymd("2005-12-31"), 1250.0, 0.0, 2875.0]],
                      "Per period: the short first period, 31 December to 31 March, has 90 "
                      "days in 30/360, of which 81 from the Closing Date: $1,250 × 81/90 = "
                      "$1,125.00; each later quarter exactly $1,250.00. The $2,000 paid "
                      "settles March and $875.00 of June.",
                      '=SERIESM_SCHEDULE(100, DATE(2005,1,10), DATE(2005,12,31), 2000, 0, '
                      '"quarter ends")'),
              Example((100, ymd("2005-01-10"), ymd("2005-12-31"), 2000, 0, "quarter ends",
                       "from closing"),
                      [["Payment date", "Dividend due", "Paid", "Arrears"],
                       [ymd("2005-03-31"), 1125.0, 1125.0, 0.0],
                       [ymd("2005-06-30"), 1236.11, 875.0, 361.11],
                       [ymd("2005-09-30"), 1250.0, 0.0, 1611.11],
                       [ymd("2005-12-31"), 1263.89, 0.0, 2875.0]],
                      "From closing, accrued in 30/360 to 31 Mar: 81 days, $1,125.00; to 30 "
                      "Jun: 170 days, $2,361.11; to 30 Sep: 260 days, $3,611.11; to 31 Dec: "
                      "351 days, $4,875.00.",
                      '=SERIESM_SCHEDULE(100, DATE(2005,1,10), DATE(2005,12,31), 2000, 0, '
                      '"quarter ends", "from closing")'),),
    array="Returns a table that spills (Excel 365) or fills a selected range.",
    settings=("schedule: payment dates", "basis: day count",
              "accrual: \"per period\" (default) or \"from closing\""),
)


SERIESM_OTHERDIVOK = Function(
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
    rounding=BOOL_RESULT,
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
)
