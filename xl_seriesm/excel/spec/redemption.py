"""The spec of the functions of §6: optional redemption."""

from __future__ import annotations

from xl_seriesm.excel.spec.base import (
    ACCRUAL,
    ACCRUAL_READING,
    BASIS,
    CLOSING_DATE,
    DATE_RESULT,
    DATES_ERRORS,
    DIVIDENDS_PAID,
    LEAP_ANNIVERSARY,
    PER_PERIOD_FORMULA,
    SCHEDULE,
    SHARES,
    SHARES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_REDEEM = Function(
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
            "redemption_date, basis) − dividends_paid, 2) from closing" + PER_PERIOD_FORMULA,
    rounding="Rounded once, to the cent, half up, on the whole price.",
    reading=ACCRUAL_READING + " \"Accrued but unpaid dividends due thereon prior to the "
            "redemption date\": the accrual stops the day before, as in SERIESM_ACCRUED. "
            "\"At any time after the Closing Date, upon fifteen (15) days' notice\": a "
            "redemption date earlier than 15 days after the Closing Date is refused.",
    errors=(SHARES_ERRORS, DATES_ERRORS,
            "#NUM! `redemption_date` earlier than 15 days after `closing_date` (§6(a))",
            "#NUM! `dividends_paid` negative, not whole cents, or more than has accrued",
            "#NUM! `basis` not 0 to 4 or a known name"),
    examples=(
        Example((100, ymd("2005-01-10"), ymd("2005-07-10")), 102500.0,
                "100 × $1,000 plus 180/360 of the $5,000 yearly dividend: $102,500.00.",
                "=SERIESM_REDEEM(100, DATE(2005,1,10), DATE(2005,7,10))"),
        Example((9100, ymd("2005-01-10"), ymd("2007-06-30"), 500_000), 9724861.11,
                "10 Jan 2005 to 30 Jun 2007 is 890 days in 30/360: 9,100 × $50 × 890/360 = "
                "$1,124,861.11…; $9,100,000 + that − $500,000 paid = $9,724,861.11.",
                "=SERIESM_REDEEM(9100, DATE(2005,1,10), DATE(2007,6,30), 500000)"),
        Example((100, ymd("2005-01-10"), ymd("2005-01-24")),
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
)


SERIESM_REDEEMABLE = Function(
    name="SERIESM_REDEEMABLE",
    description="Greatest number of Series M shares the funds lawfully available can "
                "redeem (§6(b), DGCL §160): whole shares unless fractional, never more "
                "than called, nor than the 9,100 designated.",
    section="§6(b)",
    args=(
        Arg("available_funds", "Dollars the Company may lawfully use for the redemption "
            "without impairing capital (DGCL §160).", array=True),
        Arg("price_per_share", "Redemption price of one share, unrounded: $1,000 plus the "
            "dividends accrued on one share (SERIESM_REDEEM of 1 share is rounded); at least "
            "$1,000.",
            array=True),
        Arg("shares_called", "Shares named in the Notice of Optional Redemption (the most "
            "that can be redeemed; 0 redeems none).", default=None, array=True),
        Arg("fractional", "TRUE to count a fraction of a share; FALSE (default) for whole "
            "shares.", Kind.BOOLEAN, default=False),
    ),
    returns="A number of Series M shares.",
    formula="MIN(the greatest whole n with ROUND(n × price_per_share, 2) ≤ available_funds, "
            "shares_called, or 9,100 when no call is given); available_funds ÷ "
            "price_per_share when `fractional`",
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
            "#NUM! `price_per_share` below the $1,000 Stated Value",
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
        Example((20_000_000, 1000), 9100.0,
                "$20,000,000 would pay for 20,000 shares at $1,000, but only the 9,100 "
                "designated can exist (§1): 9,100."),
    ),
    array="`available_funds`, `price_per_share` and `shares_called` take ranges.",
    settings=("fractional: whole shares (default) or fractions",),
)


SERIESM_REDEEMDATE = Function(
    name="SERIESM_REDEEMDATE",
    description="Earliest redemption date after a Notice of Optional Redemption (§6(a)): "
                "fifteen days' notice, so the notice date plus 15 calendar days.",
    section="§6(a)",
    args=(Arg("notice_date", "The day the Notice of Optional Redemption is given.",
              Kind.DATE, array=True),),
    returns="A date.",
    formula="notice_date + 15",
    rounding=DATE_RESULT,
    reading="\"Upon fifteen (15) days' notice\": calendar days, counted from the notice; "
            "the text does not make them business days.",
    errors=(DATES_ERRORS,),
    examples=(Example((ymd("2007-03-01"),), ymd("2007-03-16"),
                      "1 March 2007 + 15 days = 16 March 2007 (§6(a)).",
                      "=SERIESM_REDEEMDATE(DATE(2007,3,1))"),),
    array="`notice_date` takes a range.",
)


SERIESM_CONVERTBY = Function(
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
    rounding=DATE_RESULT,
    reading="\"Within ten (10) days of receipt\": calendar days, the tenth day included. "
            "Conversion also needs the first anniversary (§5(a)): a window that closes "
            "before it leaves no conversion right at all (#N/A).",
    errors=(DATES_ERRORS, "#NUM! `notice_received` before `closing_date`",
            "#N/A the ten-day window closes before the first anniversary (no right to "
            "convert)"),
    examples=(
        Example((ymd("2005-01-10"), ymd("2007-03-01")), ymd("2007-03-11"),
                "1 March 2007 + 10 days = 11 March 2007 (§6(a)).",
                "=SERIESM_CONVERTBY(DATE(2005,1,10), DATE(2007,3,1))"),
        Example((ymd("2005-01-10"), ymd("2005-06-01")),
                "#N/A notice_received = 2005-06-01: before 2006-01-10, the 1-year "
                "anniversary when conversion opens (§5(a)); use that date or later.",
                "A first-year redemption: the window closes 11 June 2005, before the "
                "10 January 2006 anniversary, so there is no conversion option.",
                "=SERIESM_CONVERTBY(DATE(2005,1,10), DATE(2005,6,1))"),
    ),
    array="`closing_date` and `notice_received` take ranges.",
)
