"""The spec of the functions of §4, §8, §9: votes, class consent and par value."""

from __future__ import annotations

from xl_seriesm.core.conversion import parse_votes_reading
from xl_seriesm.excel.spec.base import (
    BOOL_RESULT,
    CLOSING_DATE,
    CONVERSION_NUMBER,
    DATES_ERRORS,
    LEAP_ANNIVERSARY,
    SHARES,
    SHARES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_VOTES = Function(
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
    errors=(SHARES_ERRORS, DATES_ERRORS, "#NUM! `record_date` before `closing_date`",
            "#NUM! `conversion_number` 0 or negative",
            "#NUM! `before_anniversary` not \"as-converted\" or \"none\""),
    examples=(
        Example((250, ymd("2005-01-10"), ymd("2005-06-01")), 1_000_000,
                "250 × 4,000 = 1,000,000 votes, as converted (default reading).",
                "=SERIESM_VOTES(250, DATE(2005,1,10), DATE(2005,6,1))"),
        Example((250, ymd("2005-01-10"), ymd("2005-06-01"), 4000, "none"), 0,
                "The literal reading: before 10 January 2006 nothing could be converted.",
                '=SERIESM_VOTES(250, DATE(2005,1,10), DATE(2005,6,1), 4000, "none")'),
    ),
    array="`shares`, `closing_date`, `record_date` and `conversion_number` take ranges.",
    settings=("before_anniversary: \"as-converted\" (default) or \"none\"",),
)


SERIESM_CLASSVOTE = Function(
    name="SERIESM_CLASSVOTE",
    description="Whether Series M holders approve as a class (§4, §8): holders of a "
                "majority of the outstanding Series M, more than half, consent.",
    section="§4, §8",
    args=(Arg("shares_for", "Series M shares voting for, or consenting in writing.",
              array=True),
          Arg("outstanding_shares", "Series M shares outstanding.", array=True)),
    returns="TRUE when approved.",
    formula="shares_for > outstanding_shares ÷ 2",
    rounding=BOOL_RESULT,
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
)


SERIESM_PAROK = Function(
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
    rounding=BOOL_RESULT,
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
)
