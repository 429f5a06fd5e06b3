"""The spec of the functions of §5(f), §10: conversion notices and the notice of a record date."""

from __future__ import annotations

from xl_seriesm.excel.spec.base import (
    BANK_READING,
    BOOL_RESULT,
    CAL_ERRORS,
    CALENDAR_ARGS,
    COUNT_FROM,
    DATE_RESULT,
    DATES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_DEADLINE = Function(
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
    rounding=DATE_RESULT,
    reading=BANK_READING + " \"Ten (10) business days after the receipt\": by default "
            "the business days that follow the day of receipt, whatever the hour and "
            "whether banks were open that day (the text ties the Conversion Date, not this "
            "receipt, to business hours; SERIESM_CONVDATE keeps the 17:00 rule). Setting "
            "`count_from` \"next business day\": a receipt after 17:00 or on a closed day "
            "first moves to the next business day.",
    errors=(DATES_ERRORS, CAL_ERRORS, "#NUM! `business_days` negative or not whole"),
    examples=(
        Example((ymd("2021-12-20"),), ymd("2022-01-03"),
                "From Monday 20 December 2021: 21, 22, 23, 24 (open: Christmas fell on a "
                "Saturday), 27, 28, 29, 30, 31 (open), 3 January. The federal calendar would "
                "say 5 January.", "=SERIESM_DEADLINE(DATE(2021,12,20))"),
        Example((ymd("2022-06-18"),), ymd("2022-07-05"),
                "Received Saturday 18 June 2022: the business days after it are 21 (Monday "
                "20th closed, Juneteenth observed), 22, 23, 24, 27, 28, 29, 30 June, 1 July "
                "and, 4 July closed, 5 July.", "=SERIESM_DEADLINE(DATE(2022,6,18))"),
        Example(("2021-12-20 17:30", 10, None, None, "next business day"), ymd("2022-01-04"),
                "Received after 17:00, counted from the next business day: from Tuesday "
                "21st, one day later than the default.",
                '=SERIESM_DEADLINE("2021-12-20 17:30", 10, , , "next business day")'),
    ),
    array="`received` takes a range.",
    settings=("business_days: the delivery period", "closures, openings",
              "count_from: \"receipt day\" (default) or \"next business day\""),
)


SERIESM_CONVDATE = Function(
    name="SERIESM_CONVDATE",
    description="The Conversion Date of a Notice of Conversion (§5(f)): the business day "
                "it is received, or the next one if it arrives after 17:00 or on a closed "
                "day.",
    section="§5(f), §2",
    args=(Arg("notice_received", "When the telecopied notice was received: a date, or a "
              "date and time.", Kind.MOMENT, array=True), *CALENDAR_ARGS),
    returns="A date: the Conversion Date, when accrued dividends fall due (§2).",
    formula="the receipt's day if a business day and by 17:00, else the next business day",
    rounding=DATE_RESULT,
    reading=BANK_READING + " \"Each business day on which a Notice of Conversion is "
            "telecopied to and received\" is a Conversion Date, the business day being the "
            "hours 9:00 to 17:00; a bare date counts as within hours.",
    errors=(DATES_ERRORS, CAL_ERRORS),
    examples=(Example(("2022-11-23 17:30",), ymd("2022-11-25"),
                      "Wednesday after 17:00: Thanksgiving (24th) is closed, so Friday 25th.",
                      '=SERIESM_CONVDATE("2022-11-23 17:30")'),),
    array="`notice_received` takes a range.",
)


SERIESM_CANREVOKE = Function(
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
    rounding=BOOL_RESULT,
    reading="The right arises when the Company \"fails to deliver ... within such ten (10) "
            "business day period\"; a delivery on the deadline is on time. Once the common "
            "is delivered, even late, this reading takes the notice as no longer revocable "
            "(the holder keeps its other remedies). The deadline is SERIESM_DEADLINE's, "
            "with the same `count_from`.",
    errors=(DATES_ERRORS, CAL_ERRORS, "#NUM! `as_of_date` or `delivered` before "
            "`received`"),
    examples=(
        Example((ymd("2021-12-20"), ymd("2022-01-04")), True,
                "The deadline was 3 January 2022; nothing delivered by the 4th.",
                "=SERIESM_CANREVOKE(DATE(2021,12,20), DATE(2022,1,4))"),
        Example((ymd("2021-12-20"), ymd("2022-01-04"), ymd("2022-01-03")), False,
                "Delivered on the deadline: on time.",
                "=SERIESM_CANREVOKE(DATE(2021,12,20), DATE(2022,1,4), DATE(2022,1,3))"),
    ),
    array="`received`, `as_of_date` and `delivered` take ranges.",
)


SERIESM_RECORDNOTICEBY = Function(
    name="SERIESM_RECORDNOTICEBY",
    description="Last day to mail notice of a record date, reorganisation or liquidation "
                "(§10): ten business days before the date of the action.",
    section="§10",
    args=(Arg("action_date", "The date in the notice on which the action is to be taken.",
              Kind.DATE, array=True), *CALENDAR_ARGS),
    returns="A date: the notice must be mailed on or before it.",
    formula="WORKDAY(action_date, −10) on the bank calendar",
    rounding=DATE_RESULT,
    reading=BANK_READING + " \"At least ten (10) business days prior to the date "
            "specified\": counted back over business days, the action date not counted.",
    errors=(DATES_ERRORS, CAL_ERRORS),
    examples=(Example((ymd("2022-01-07"),), ymd("2021-12-24"),
                      "Back from Friday 7 January 2022: 6, 5, 4, 3 January, 31 (open), 30, "
                      "29, 28, 27, 24 (open) December.",
                      "=SERIESM_RECORDNOTICEBY(DATE(2022,1,7))"),),
    array="`action_date` takes a range.",
)
