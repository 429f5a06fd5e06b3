"""The capital stack through the Excel functions: the stack range read with its errors, the
column paths against the one-cell paths, and EXPLAIN's steps for every tranche and choice."""

from __future__ import annotations

import random

from xl_seriesm.udfs import (
    SERIESM_BREAKPOINTS,
    SERIESM_EXPLAIN,
    SERIESM_OPM,
    SERIESM_OPM_BACKSOLVE,
    SERIESM_PAYOUTS,
    SERIESM_WATERFALL,
)

STACK = [["Class", "Kind", "Shares", "Preference", "Strike"],
         ["Series L", "preferred", 1_000_000, 1, None],
         ["Options", "option", 10_000_000, None, 0.1]]
CLASS = (9100, 100_000_000, 455_000)


def test_a_bad_stack_cell_names_row_and_column() -> None:
    bad = [row[:] for row in STACK]
    bad[2][1] = "stock"
    result = SERIESM_WATERFALL(1_000_000, *CLASS, 4000, True, True, None, bad)
    assert result == ('#VALUE! stack row 3, kind = "stock": use preferred, option or '
                      "warrant.")
    assert SERIESM_BREAKPOINTS(*CLASS, 4000, True, "Series L") == (
        '#VALUE! stack = "Series L": must be a range with its header row, the columns '
        "class, kind, shares, preference, seniority, participation, cap, conversion_ratio, "
        "strike.")
    # An unknown output with a stack lists the stack's labels.
    text = SERIESM_WATERFALL(1, *CLASS, 4000, True, True, "Series Q total", STACK)
    assert isinstance(text, str)
    assert text.startswith('#N/A output = "Series Q total": no such row; use one of '
                           "Series M total, Series M per share, Series L total")


def test_an_empty_stack_is_todays_function() -> None:
    empty = [[None] * 5, [None] * 5]
    assert SERIESM_WATERFALL(20_100_000, 9100, 36_400_000, 100_000, 4000, True, True, None,
                             empty) == SERIESM_WATERFALL(20_100_000, 9100, 36_400_000, 100_000)
    assert SERIESM_BREAKPOINTS(*CLASS, 4000, True, [["class", "kind", "shares"]]) == (
        SERIESM_BREAKPOINTS(*CLASS))


def test_the_column_of_exit_values_is_each_exit_value() -> None:
    # The integer path over many exit values against the one-exit table, row by row, at the
    # breakpoints themselves and between them.
    rng = random.Random(20)
    exits = [0.0, 9_555_000.0, 10_555_000.0, 20_555_000.0, 37_055_000.0, 146_855_000.0,
             *(round(rng.uniform(0, 3e8), 2) for _ in range(60))]
    table = SERIESM_WATERFALL([[x] for x in exits], *CLASS, 4000, True, True, None, STACK)
    assert isinstance(table, list)
    header = table[0]
    for x, row in zip(exits, table[1:], strict=True):
        one = SERIESM_WATERFALL(x, *CLASS, 4000, True, True, None, STACK)
        assert isinstance(one, list)
        assert row == [x, *(value for _, value in one)]
        assert header[1:] == [label for label, _ in one]
    # A bad cell is its row's error.
    bad = SERIESM_WATERFALL([[1.0], [-5.0], ["x"]], *CLASS, 4000, True, True, "Common total",
                            STACK)
    assert bad[1] == ["#NUM! proceeds row 2 = -5: must be 0 or more."]
    assert bad[2] == ['#VALUE! proceeds row 3 = "x": not a number; use a number.']


def test_payouts_columns_read_as_integers_equal_the_cell_by_cell_path() -> None:
    rng = random.Random(22)
    shares = [[rng.randint(1, 90) / 10] for _ in range(400)]
    accrued = [[round(s[0] * rng.uniform(0, 300), 2)] for s in shares]
    for paid in (True, False):
        fast = SERIESM_PAYOUTS(3_000_000, shares, accrued, 2_000_000, 4000, True, paid)
        # The stack path (an empty table takes no stack but the cell-by-cell reading: a
        # one-row range holding just the header) gives the same cents.
        slow = SERIESM_PAYOUTS(3_000_000, shares, accrued, 2_000_000, 4000, True, paid,
                               [["class", "kind", "shares"]])
        assert fast == slow
    assert SERIESM_PAYOUTS(1, [[1], [-2]], [[0], [0]], 10) == (
        "#NUM! holder_shares row 2 = -2: must be 0 or more.")


def test_opm_with_a_stack_adds_up_and_backsolves() -> None:
    table = SERIESM_OPM(60_000_000, 0.5, 2, 0.04, *CLASS, 4000, True, None, True, STACK)
    assert isinstance(table, list)
    totals = [value for label, value in table if label.endswith("total")]
    assert round(sum(totals), 2) == 60_000_000
    common = dict(table)["Common per share"]
    found = SERIESM_OPM_BACKSOLVE(common, 0.5, 2, 0.04, *CLASS, 4000, True, "Common per share",
                                  True, STACK)
    assert abs(found - 60_000_000) < 1


def test_explain_shows_every_tranche_and_choice() -> None:
    steps = SERIESM_EXPLAIN("WATERFALL", 200_000_000, *CLASS, 4000, True, True,
                            "Options total", STACK)
    assert isinstance(steps, list)
    shown = [row[0] for row in steps]
    for number in range(1, 7):
        assert f"tranche {number} from" in shown
    assert "Series L converts (p above that)" in shown
    assert "Options exercised (p above the strike)" in shown
    assert "Series M converts (p above that)" in shown
    assert steps[-1][1] == 12_605_495.25
    # PAYOUTS: each holder's threshold and the price that decided (issue 24, item 9).
    steps = SERIESM_EXPLAIN("PAYOUTS", 370_000, [[100], [100]], [[0], [10_000]], 600_000,
                            4000, True, False)
    rows = {row[0]: row[1] for row in steps}
    assert rows["holder 1: p above its threshold"] == 0.26
    assert rows["holder 2: p not above its threshold"] == 0.26


def test_explain_payouts_within_a_stack_shows_the_classes_and_each_holder() -> None:
    junior = [["class", "kind", "shares", "preference"], ["Series J", "preferred", 100_000, 1]]
    steps = SERIESM_EXPLAIN("PAYOUTS", 470_000, [[100], [100]], [[0], [10_000]], 600_000,
                            4000, True, False, junior)
    rows = {row[0]: row[1] for row in steps}
    # p = (470,000 − 110,000 − 100,000) ÷ 1,000,000 = $0.26 (SERIESM_PAYOUTS' example).
    assert rows["holder 1: p above its threshold"] == 0.26
    assert rows["holder 2: p not above its threshold"] == 0.26
    assert rows["Series J converts (p above that)"] is False
    assert rows["tranche 1 from"] == 0
    assert steps[-1][1] == 110_000
