"""The spec of the functions of §1 to §10: explaining how another function reaches its result."""

from __future__ import annotations

from xl_seriesm.excel.spec.base import Arg, Example, Function, Kind, ymd

SERIESM_EXPLAIN = Function(
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
        Example(("WORKDAY", ymd("2021-12-23"), 2),
                [["Step", "Value", "Section"],
                 ["start: Thursday 23 Dec 2021 (not counted); 2 business days after",
                  ymd("2021-12-23"), "§5(f)"],
                 ["Friday 24 Dec 2021: open, business day 1 of 2", ymd("2021-12-24"),
                  "§5(f)"],
                 ["Saturday 25 Dec 2021: closed (Saturday; Christmas Day, which the "
                  "Federal Reserve does not move)", ymd("2021-12-25"), "§5(f)"],
                 ["Sunday 26 Dec 2021: closed (Sunday)", ymd("2021-12-26"), "§5(f)"],
                 ["Monday 27 Dec 2021: open, business day 2 of 2", ymd("2021-12-27"),
                  "§5(f)"]],
                "Christmas 2021 fell on a Saturday, which the Federal Reserve does not "
                "move, so Friday 24 December is open (1); then the weekend; Monday 27th "
                "is business day 2, SERIESM_WORKDAY's result.",
                '=SERIESM_EXPLAIN("WORKDAY", DATE(2021,12,23), 2)'),
    ),
    array="Returns a table that spills (Excel 365) or fills a selected range of three "
          "columns. Ranges are passed on to the explained function as they are.",
)
