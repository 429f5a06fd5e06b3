"""The Series M inside the whole capital stack: the stack table, the waterfall, the breakpoints
and the OPM over every class, against cases worked by hand, and the fixed point's promises
(every exit value paid exactly; no class better off with the other choice) as properties."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from tests import strategies
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.liquidation import Capital, waterfall
from xl_seriesm.core.stack import Holder, Kind, Participation, StackClass, Structure, structure
from xl_seriesm.core.stack_opm import opm_labels, stack_backsolve, stack_opm, to_exit
from xl_seriesm.core.stack_table import parse_stack
from xl_seriesm.core.stack_waterfall import (
    Waterfalls,
    stack_breakpoints,
    stack_waterfall,
    waterfall_labels,
)
from xl_seriesm.core.valuation import Market, backsolve, opm_value, series_m_tranches

F = Fraction

# The issue's stack (issue 20, item 2): 9,100 Series M, one year of dividends accrued,
# 9,100 × $1,000 × 5% = $455,000 (§2), so L = 9,100,000 + 455,000 = 9,555,000 (§3(a));
# conversion number 4,000 (§5(b)): 36,400,000 common on conversion. Series L: 1,000,000
# shares, $1.00, non-participating, 1:1. 10,000,000 options at $0.10. 100,000,000 common.
SERIES_L = StackClass("Series L", Kind.PREFERRED, F(1_000_000), F(1))
OPTIONS = StackClass("Options", Kind.OPTION, F(10_000_000), strike=F(1, 10))
ISSUE_STACK = (SERIES_L, OPTIONS)
ISSUE_CAPITAL = Capital(F(9100), F(100_000_000), F(455_000))


# --- the stack table -------------------------------------------------------------------------

def test_the_table_reads_every_column_with_defaults() -> None:
    rows = [["Class", "Kind", "Shares", "Preference", "Seniority", "Participation", "Cap",
             "Conversion Ratio", "strike"],
            ["Series L", "Preferred", 1_000_000, 1, None, "", None, None, None],
            ["Series K", "preferred", "2,000,000", "$1.50", 2, "capped", "3x", 2, ""],
            ["Pool", "options", 10_000_000.0, None, None, None, None, None, 0.1],
            ["Bank", "Warrant", 500, None, None, None, None, None, "0"]]
    found = parse_stack(rows)
    assert found[0] == StackClass("Series L", Kind.PREFERRED, F(1_000_000), F(1), 1,
                                  Participation.NONE, None, F(1))
    assert found[1] == StackClass("Series K", Kind.PREFERRED, F(2_000_000), F(3, 2), 2,
                                  Participation.CAPPED, F(3), F(2))
    assert found[2] == StackClass("Pool", Kind.OPTION, F(10_000_000), strike=F(1, 10))
    assert found[3].kind is Kind.WARRANT
    assert found[3].strike == 0


def test_empty_rows_and_an_empty_table_are_no_stack() -> None:
    assert parse_stack([]) == ()
    assert parse_stack([[None, None], ["", ""]]) == ()
    rows = [["class", "kind", "shares", "strike"], [None, None, None, None],
            ["Pool", "option", 5, 1]]
    assert [c.name for c in parse_stack(rows)] == ["Pool"]


@pytest.mark.parametrize(("row", "message"), [
    (["Series L", "preferred", -5, 1, None], "stack row 2, shares = -5: must be more than 0."),
    (["Series L", "stock", 5, 1, None],
     'stack row 2, kind = "stock": use preferred, option or warrant.'),
    (["Series L", "preferred", 5, None, None],
     "stack row 2, preference = (empty): required for a preferred class"),
    (["Series L", "preferred", "five", 1, None],
     'stack row 2, shares = "five": not a number; use digits, a point before the decimals '
     'and commas only between thousands (1,000,000.50).'),
    (["Pool", "option", 5, 1, 0.1],
     "stack row 2, preference = 1: does not apply to options and warrants"),
    (["Pool", "option", 5, None, None], "stack row 2, strike = (empty): required for options"),
    (["Series L", "preferred", 5, 1, 0.5],
     "stack row 2, strike = 0.5: does not apply to preferred classes; leave it empty."),
    (["Series M", "preferred", 5, 1, None],
     'stack row 2, class = "Series M": Series M and Common are always in the stack'),
    ([None, "preferred", 5, 1, None], "stack row 2, class = (empty): required"),
])
def test_a_bad_cell_is_named_by_row_and_column(row: list[object], message: str) -> None:
    with pytest.raises(SeriesMError) as caught:
        parse_stack([["class", "kind", "shares", "preference", "strike"], row])
    assert message in str(caught.value)


def test_bad_settings_say_what_is_allowed() -> None:
    header = ["class", "kind", "shares", "preference", "seniority", "participation", "cap"]
    cases = [
        (["A", "preferred", 1, 1, 0, None, None], "seniority = 0: must be a whole number, 1"),
        (["A", "preferred", 1, 1, 1.5, None, None], "seniority = 1.5: must be a whole number"),
        (["A", "preferred", 1, 1, 1, "some", None],
         'participation = "some": use none, full or capped.'),
        (["A", "preferred", 1, 1, 1, "capped", None], "cap = (empty): required for capped"),
        (["A", "preferred", 1, 1, 1, "capped", 0.5], "cap = 0.5: must be 1 or more"),
        (["A", "preferred", 1, 1, 1, "full", 2], "cap = 2: does not apply to a class that is "
                                                 "not capped"),
    ]
    for row, message in cases:
        with pytest.raises(SeriesMError) as caught:
            parse_stack([header, row], source="stack.csv", first_row=1, row_word="line")
        assert f"stack.csv line 2, {message}" in str(caught.value)


def test_bad_headers_and_repeated_classes() -> None:
    with pytest.raises(SeriesMError, match=r'stack row 1, column 3 = "sharez": not a column'):
        parse_stack([["class", "kind", "sharez"]])
    with pytest.raises(SeriesMError, match=r"no shares column"):
        parse_stack([["class", "kind"], ["A", "option"]])
    with pytest.raises(SeriesMError, match=r'column 3 = "Kind": a second kind column'):
        parse_stack([["class", "kind", "Kind"]])
    with pytest.raises(SeriesMError,
                       match=r'stack row 3, class = "series  l": also the class of row 2'):
        parse_stack([["class", "kind", "shares", "strike"], ["Series L", "warrant", 1, 1],
                      ["series  l", "warrant", 1, 1]])
    with pytest.raises(SeriesMError, match=r"stack row 2, a column with no header = 7"):
        parse_stack([["class", "kind", "shares", "strike"], ["W", "warrant", 1, 1, 7]])


# --- the issue's stack, worked by hand -------------------------------------------------------

def test_the_issue_stack_at_20_million() -> None:
    # $20,000,000: the Series M's L = $9,555,000 first (§3(a)); then the Series L's
    # 1,000,000 × $1.00 = $1,000,000; 20,000,000 − 10,555,000 = 9,445,000 is left for the
    # 100,000,000 common, $0.09445 a share. That is below the options' $0.10 strike (not
    # exercised), below the Series L's $1.00 and below the Series M's $1,000 ÷ 4,000 = $0.25
    # (converting pays the dividends in cash, §2, so only the Stated Value is at stake):
    # nobody converts.
    split = stack_waterfall(F(20_000_000), ISSUE_CAPITAL, ISSUE_STACK)
    assert split.totals == [9_555_000, 1_000_000, 0, 9_445_000]
    assert split.chooses == [False, False, False, False]
    assert split.price == F(9_445_000, 100_000_000)


def test_the_issue_stack_breakpoints() -> None:
    # Tranche by tranche, with p the common's value per share:
    # 0 to 9,555,000: the Series M's L (§3(a)). 9,555,000 to 10,555,000: the Series L's $1M.
    # Then the common alone until p = $0.10: 10,555,000 + 100,000,000 × 0.10 = 20,555,000.
    # Then the options join (110,000,000 shares) until p = $0.25, where the Series M
    # converts: 20,555,000 + 110,000,000 × 0.15 = 37,055,000. Then 146,400,000 shares until
    # p = $1.00, where the Series L converts: 37,055,000 + 146,400,000 × 0.75 = 146,855,000.
    rows = stack_breakpoints(ISSUE_CAPITAL, ISSUE_STACK)
    assert rows[0] == ["Tranche", "From", "To", "Series M", "Series L", "Options", "Common"]
    assert [row[1] for row in rows[1:]] == [0, 9_555_000, 10_555_000, 20_555_000, 37_055_000,
                                            146_855_000]
    assert rows[-1][2] == ""
    # Each dollar's split: 10/110 to the options from 20,555,000; from 37,055,000 the
    # Series M's 36,400,000 of 146,400,000 shares (91/366); last the Series L's
    # 1,000,000 of 147,400,000 (5/737).
    assert rows[4][3:] == [0, 0, F(1, 11), F(10, 11)]
    assert rows[5][3:] == [F(91, 366), 0, F(25, 366), F(125, 183)]
    assert rows[6][3:] == [F(364, 1474), F(10, 1474), F(100, 1474), F(1000, 1474)]


def test_the_issue_stack_above_every_breakpoint() -> None:
    # $200,000,000 is past 146,855,000: everyone converts or exercises. The Series M's
    # $455,000 dividends in cash first (§2); the strikes, 10,000,000 × 0.10 = 1,000,000, join
    # the rest: (200,000,000 − 455,000 + 1,000,000) ÷ 147,400,000 = 200,545,000 ÷ 147,400,000
    # = p. Series M: 455,000 + 36,400,000 p; Series L: 1,000,000 p; options 10,000,000 (p −
    # 0.10); common 100,000,000 p.
    p = F(200_545_000, 147_400_000)
    split = stack_waterfall(F(200_000_000), ISSUE_CAPITAL, ISSUE_STACK)
    assert split.price == p
    assert split.chooses == [True, True, True, False]
    assert split.exact == [455_000 + 36_400_000 * p, 1_000_000 * p,
                           10_000_000 * (p - F(1, 10)), 100_000_000 * p]
    # p = 1.36054952...: Series M 455,000 + 49,524,002.7137 = 49,979,002.7137, Series L
    # 1,360,549.5251, options 12,605,495.2510. Their sum 63,945,047.4898 rounds to
    # 63,945,047.49, one cent more than the cents of each (…02.71 + …49.52 + …95.25 =
    # 63,945,047.48): the cent goes to the largest remainder, the Series L's 0.51 of a cent.
    assert split.totals[:3] == [F("49979002.71"), F("1360549.53"), F("12605495.25")]
    assert sum(split.totals) == 200_000_000


def test_the_series_m_breakpoint_moves_with_the_stack() -> None:
    # Without the stack the Series M converts when 100,000,000 common are worth $0.25 each
    # past its L: 9,555,000 + 25,000,000 = 34,555,000 ... but with the options and the
    # Series L it is 37,055,000 (above).
    assert stack_waterfall(F(1), ISSUE_CAPITAL, ISSUE_STACK).conversion_breakpoint == 37_055_000
    assert stack_waterfall(F(1), ISSUE_CAPITAL, ()).conversion_breakpoint == 34_555_000


# --- participation, seniority and rounding, worked by hand -----------------------------------

# 9,100 Series M with nothing accrued: L = 9,100,000 and it converts above 9,100,000 ÷
# 36,400,000 = $0.25. Series A: 2,000,000 shares, $1.00, fully participating, seniority 1.
# Series B: 1,000,000 shares, $2.00, capped at 2× ($4.00 a share), seniority 2.
# 63,600,000 common. Preferences: 9,100,000 + 2,000,000 + 2,000,000 = 13,100,000 = T(0).
# From p = 0: 63,600,000 + 2,000,000 + 1,000,000 = 66,600,000 shares share each dollar.
# p = 0.25 (Series M converts): T = 13,100,000 + 66,600,000 × 0.25 = 29,750,000; 103,000,000.
# p = 2.00 (B at its cap: 2 + 2 = 4): T = 29,750,000 + 103,000,000 × 1.75 = 210,000,000;
#   B stops sharing: 102,000,000.
# p = 4.00 (B converts: 1,000,000 × 4 = its cap): T = 210,000,000 + 102,000,000 × 2 =
#   414,000,000; 103,000,000 again.
SERIES_A = StackClass("Series A", Kind.PREFERRED, F(2_000_000), F(1),
                      participation=Participation.FULL)
SERIES_B = StackClass("Series B", Kind.PREFERRED, F(1_000_000), F(2), seniority=2,
                      participation=Participation.CAPPED, cap=F(2))
PARTICIPATING = (SERIES_A, SERIES_B)
PLAIN_CAPITAL = Capital(F(9100), F(63_600_000), F(0))


def test_participating_and_capped_breakpoints() -> None:
    rows = stack_breakpoints(PLAIN_CAPITAL, PARTICIPATING)
    assert [row[1] for row in rows[1:]] == [0, 9_100_000, 11_100_000, 13_100_000, 29_750_000,
                                            210_000_000, 414_000_000]


@pytest.mark.parametrize(("proceeds", "expected", "chooses"), [
    # 12,100,000: short of B's preference: Series M 9,100,000, A 2,000,000, B the last
    # 1,000,000 of its 2,000,000.
    (12_100_000, [9_100_000, 2_000_000, 1_000_000, 0], [False, False, False, False]),
    # 107,000,000 = 29,750,000 + 103,000,000 × 0.75: p = $1.00. Series M converts:
    # 36,400,000; A: 2,000,000 + 2,000,000 × 1; B: 2,000,000 + 1,000,000 × 1 (under its
    # 4,000,000 cap); common 63,600,000. Sum 107,000,000.
    (107_000_000, [36_400_000, 4_000_000, 3_000_000, 63_600_000], [True, False, False, False]),
    # 312,000,000 = 210,000,000 + 102,000,000 × 1: p = $3. Series M 109,200,000; A 2,000,000
    # + 6,000,000; B at its cap 4,000,000 (converting: 3,000,000, less); common 190,800,000.
    (312_000_000, [109_200_000, 8_000_000, 4_000_000, 190_800_000],
     [True, False, False, False]),
    # 517,000,000 = 414,000,000 + 103,000,000 × 1: p = $5. B converts: 5,000,000 > 4,000,000.
    # Series M 182,000,000; A 2,000,000 + 10,000,000; common 318,000,000.
    (517_000_000, [182_000_000, 12_000_000, 5_000_000, 318_000_000],
     [True, False, True, False]),
])
def test_participating_and_capped_payouts(proceeds: int, expected: list[int],
                                          chooses: list[bool]) -> None:
    split = stack_waterfall(F(proceeds), PLAIN_CAPITAL, PARTICIPATING)
    assert split.totals == expected
    assert split.chooses == chooses


def test_pari_passu_classes_share_a_shortfall_pro_rata() -> None:
    # C ($3,000,000) and D ($1,000,000) both seniority 1; E ($500,000) seniority 2. At
    # 9,100,000 + 2,000,000 the Series M is paid (§3(a)), C and D share 2,000,000 in 3:1,
    # 1,500,000 and 500,000; E nothing.
    stack = (StackClass("C", Kind.PREFERRED, F(3_000_000), F(1)),
             StackClass("D", Kind.PREFERRED, F(1_000_000), F(1)),
             StackClass("E", Kind.PREFERRED, F(500_000), F(1), seniority=2))
    split = stack_waterfall(F(11_100_000), PLAIN_CAPITAL, stack)
    assert split.totals == [9_100_000, 1_500_000, 500_000, 0, 0]
    # And a Series M shortfall is the Series M's alone (§3(b)): 5,000,000 all to it.
    assert stack_waterfall(F(5_000_000), PLAIN_CAPITAL, stack).totals == [5_000_000, 0, 0, 0, 0]


def test_cents_add_up_to_the_exit_value() -> None:
    # Three juniors pari passu with $1.00 each; at 9,100,000.01 they share one cent, a third
    # each: the classes but the common are rounded together (one cent, to the earliest of
    # the equal remainders), and the common takes the rest (0).
    stack = tuple(StackClass(name, Kind.PREFERRED, F(1), F(1)) for name in "XYZ")
    split = stack_waterfall(F("9100000.01"), PLAIN_CAPITAL, stack)
    assert split.exact[1:4] == [F(1, 300)] * 3
    assert split.totals == [9_100_000, F(1, 100), 0, 0, 0]


def test_without_a_stack_it_is_todays_waterfall() -> None:
    # The README's class: 9,100 shares, 36,400,000 common, $100,000 accrued, breakpoint
    # 18,300,000 (SERIESM_BREAKPOINT's worked example).
    cap = Capital(F(9100), F(36_400_000), F(100_000))
    for proceeds in (F(0), F(5_000_000), F("9200000.005"), F(18_300_000), F(20_100_000)):
        old = waterfall(proceeds, cap)
        new = stack_waterfall(proceeds, cap, ())
        assert new.totals == [Fraction(old.series_m_total), old.common_total]
        assert new.chooses[0] == old.series_m_converts
        assert new.conversion_breakpoint == old.conversion_breakpoint
    assert structure(cap, ()).tranches() == series_m_tranches(cap)


# --- properties ------------------------------------------------------------------------------

def stack_classes(draw: st.DrawFn, index: int) -> StackClass:
    kind = draw(st.sampled_from(list(Kind)))
    shares = F(draw(st.integers(1, 50_000_000)))
    if kind is not Kind.PREFERRED:
        return StackClass(f"K{index}", kind, shares,
                          strike=F(draw(st.integers(0, 500)), 100))
    participation = draw(st.sampled_from(list(Participation)))
    return StackClass(f"K{index}", kind, shares, F(draw(st.integers(0, 500)), 100),
                      draw(st.integers(1, 3)), participation,
                      F(draw(st.integers(100, 500)), 100)
                      if participation is Participation.CAPPED else None,
                      F(draw(st.integers(1, 400)), 100))


@st.composite
def stacks(draw: st.DrawFn) -> tuple[StackClass, ...]:
    return tuple(stack_classes(draw, i) for i in range(draw(st.integers(0, 4))))


@st.composite
def capitals(draw: st.DrawFn) -> Capital:
    return Capital(draw(strategies.positive_shares), draw(strategies.common_shares),
                   draw(strategies.cents.filter(lambda c: c < 10**8)),
                   draw(strategies.conversion_numbers), draw(st.booleans()))


exits = st.integers(0, 10**11).map(lambda n: F(n, 100))


@settings(max_examples=300, deadline=None)
@given(capitals(), stacks(), exits, st.booleans())
def test_every_exit_is_paid_exactly_and_no_class_does_better(
        capital: Capital, stack: tuple[StackClass, ...], proceeds: Fraction,
        convertible: bool) -> None:
    built = structure(capital, stack, convertible)
    split = stack_waterfall(proceeds, capital, stack, convertible)
    assert sum(split.exact) == proceeds
    assert sum(split.totals) == proceeds
    assert all(total >= 0 for total in split.totals)
    for total, owed in zip(split.totals[:-1], split.exact[:-1], strict=True):
        assert (total * 100).denominator == 1
        assert abs(total - owed) < F(1, 100)
    result = built.pay(proceeds)
    # The fixed point is what the waterfall pays with those choices ...
    assert built.settle(proceeds, result.chooses) == result.exact
    # ... and no class would be better off with the other choice (ties do not convert).
    for part in range(built.count - 1):
        if built.kind(part) == 0 and not convertible:
            continue
        flipped = list(result.chooses)
        flipped[part] = not flipped[part]
        assert built.settle(proceeds, flipped)[part] <= result.exact[part]


@settings(max_examples=100, deadline=None)
@given(capitals(), stacks())
def test_tranches_join_up_and_share_every_dollar(capital: Capital,
                                                 stack: tuple[StackClass, ...]) -> None:
    found = structure(capital, stack).tranches()
    assert found[0].lower == 0
    assert found[-1].upper is None
    for before, after in itertools.pairwise(found):
        assert before.upper == after.lower
        assert before.lower < after.lower
    for t in found:
        assert sum(t.allocation) == 1
        assert all(share >= 0 for share in t.allocation)
    # The waterfall's marginal split matches each tranche's: one dollar past its start.
    built = structure(capital, stack)
    for t in found:
        if t.upper is not None and t.upper - t.lower < 1:
            continue
        here, there = built.pay(t.lower).exact, built.pay(t.lower + 1).exact
        by_class = [F(0)] * len(t.allocation)
        for part, (a, b) in enumerate(zip(here, there, strict=True)):
            by_class[built.class_of(part)] += b - a
        assert by_class == list(t.allocation)


# --- holders within the stack ----------------------------------------------------------------

def test_holders_decide_apart_within_the_stack() -> None:
    # Two Series M holders of 100 shares, arrears $0 and $10,000, dividends forfeited on
    # conversion (kept 0), 400,000 common each on conversion (4,000 a share); thresholds
    # 100,000 ÷ 400,000 = $0.25 and 110,000 ÷ 400,000 = $0.275. A junior Series J of 100,000
    # shares at $1.00. 600,000 common. At $470,000: preferences 210,000 + 100,000 = 310,000;
    # with the first converting, (470,000 − 110,000 − 100,000) ÷ 1,000,000 = $0.26 a share,
    # above its 0.25 and below the second's 0.275, and below the Series J's $1.00.
    holders = [Holder(F(100_000), F(0), F(400_000)), Holder(F(110_000), F(0), F(400_000))]
    built = Structure(holders, (StackClass("Series J", Kind.PREFERRED, F(100_000), F(1)),),
                      F(600_000))
    result = built.pay(F(470_000))
    assert result.price == F(26, 100)
    assert result.chooses == [True, False, False, False]
    assert result.exact == [104_000, 110_000, 100_000, 156_000]


# --- the OPM over the stack ------------------------------------------------------------------

def test_dividends_to_the_exit_reproduce_the_issue_figure() -> None:
    # The README's example: 9,100 shares, 36,400,000 common, $100,000 accrued, S = 15,000,000,
    # σ = 60%, T = 3, r = 4.27%. To the exit: 100,000 + 9,100 × 1,000 × 5% × 3 = 1,465,000
    # accrued (§2), L = 10,565,000; the Series M converts when the common passes
    # $1,000 ÷ 4,000 = $0.25, at 1,465,000 + 9,100,000 × 2 = 19,665,000 (f = 1/2).
    # σ√T = 1.03923. K = 10,565,000: d1 = (ln(15/10.565) + 0.2227 × 3) ÷ 1.03923 = 0.98015,
    # d2 = −0.05908, C = 8,118,995.12. K = 19,665,000: d1 = 0.38231, d2 = −0.65692,
    # C = 5,310,957.08. Series M = (S − C(L)) + ½ C(B) = 6,881,004.88 + 2,655,478.54
    # = 9,536,483.42 (9,093,378.57 with the accrual frozen today).
    cap = Capital(F(9100), F(36_400_000), F(100_000))
    market = Market(0.6, 3.0, 0.0427)

    def call(strike: float) -> float:
        sd = 0.6 * math.sqrt(3)
        d1 = (math.log(15e6 / strike) + (0.0427 + 0.18) * 3) / sd
        return float(15e6 * norm.cdf(d1) - strike * math.exp(-0.0427 * 3) * norm.cdf(d1 - sd))

    assert round(15e6 - call(10_565_000) + call(19_665_000) / 2, 2) == 9_536_483.42
    assert opm_value(F(15_000_000), to_exit(cap, F(3)), market).series_m_total == Decimal(
        "9536483.42")
    assert opm_value(F(15_000_000), cap, market).series_m_total == Decimal("9093378.57")
    values = stack_opm(F(15_000_000), to_exit(cap, F(3)), (), market)
    assert values[0] == Decimal("9536483.42")
    assert values[2] == F("5463516.58")
    # The common per share falls (5,906,621.43 − 5,463,516.58) ÷ 5,906,621.43 = 7.5%.
    assert round((F("5906621.43") - values[2]) / F("5906621.43"), 3) == F(75, 1000)


def test_opm_over_the_issue_stack_adds_up_and_backsolves() -> None:
    market = Market(0.5, 2.0, 0.04)
    values = stack_opm(F(60_000_000), ISSUE_CAPITAL, ISSUE_STACK, market)
    totals = values[0::2]
    assert sum(F(v) for v in totals) == 60_000_000
    assert all(F(v) > 0 for v in totals)
    # The common's own sum over the tranches agrees with the rest to within float noise.
    found = structure(ISSUE_CAPITAL, ISSUE_STACK).tranches()
    calls = [call_value(60e6, float(t.lower), market) for t in found]
    common = sum(float(t.allocation[3]) * (c - (calls[i + 1] if i + 1 < len(calls) else 0))
                 for i, (t, c) in enumerate(zip(found, calls, strict=True)))
    assert common == pytest.approx(float(totals[3]), abs=0.02)
    # The backsolve from the common's price finds the equity value back; from the Series
    # L's, an equity value at which the Series L is worth that price to the cent.
    equity = stack_backsolve(F(values[7]), ISSUE_CAPITAL, ISSUE_STACK, market, "Common")
    assert abs(equity - Decimal(60_000_000)) < 1
    equity = stack_backsolve(F(values[3]), ISSUE_CAPITAL, ISSUE_STACK, market,
                             "series l per share")
    again = stack_opm(F(equity), ISSUE_CAPITAL, ISSUE_STACK, market)
    assert abs(F(again[2]) - F(values[2])) <= F(1, 100)
    # And without a stack it is today's backsolve.
    cap = Capital(F(9100), F(36_400_000), F(100_000))
    assert stack_backsolve(F(1200), cap, (), Market(0.6, 3.0, 0.0427)) == backsolve(
        F(1200), cap, Market(0.6, 3.0, 0.0427))
    with pytest.raises(SeriesMError, match='target = "Series Q": no such row'):
        stack_backsolve(F(1), ISSUE_CAPITAL, ISSUE_STACK, market, "Series Q")


def call_value(spot: float, strike: float, market: Market) -> float:
    if strike == 0:
        return spot
    sd = market.volatility * math.sqrt(market.term_years)
    d1 = (math.log(spot / strike) + (market.risk_free_rate + market.volatility ** 2 / 2)
          * market.term_years) / sd
    return float(spot * norm.cdf(d1) - strike * math.exp(-market.risk_free_rate
                                                          * market.term_years)
                 * norm.cdf(d1 - sd))


def test_no_stack_opm_is_todays() -> None:
    cap = Capital(F(9100), F(36_400_000), F(100_000))
    market = Market(0.6, 3.0, 0.0427)
    old = opm_value(F(15_000_000), cap, market)
    assert stack_opm(F(15_000_000), cap, (), market) == list(old.values())


def test_labels() -> None:
    assert waterfall_labels(ISSUE_STACK) == [
        "Series M total", "Series M per share", "Series L total", "Series L per share",
        "Options total", "Options per share", "Common total", "Common per share",
        "Series L converts", "Options exercised", "Series M converts", "Conversion breakpoint"]
    assert opm_labels(()) == ["Series M total", "Series M per share", "Common total",
                                  "Common per share"]


@settings(max_examples=150, deadline=None)
@given(capitals(), stacks(), st.lists(exits, max_size=5), st.booleans())
def test_many_exits_at_once_are_the_waterfall_of_each(capital: Capital,
                                                      stack: tuple[StackClass, ...],
                                                      more: list[Fraction],
                                                      convertible: bool) -> None:
    built = structure(capital, stack, convertible)
    many = Waterfalls(built)
    # Every breakpoint itself (where a tie does not convert), a cent either side, and more.
    points = [t.lower for t in built.tranches()]
    for proceeds in [*points, *(p + F(1, 100) for p in points),
                     *(p - F(1, 100) for p in points if p > 0), *more]:
        cents, common, chooses = many.row(proceeds)
        split = stack_waterfall(proceeds, capital, stack, convertible, built=built)
        assert [F(c, 100) for c in cents] + [common] == split.totals
        assert chooses == split.chooses
    # The integer path over a column of cents: the same, row by row.
    column = [p for p in more if (p * 100).denominator == 1]
    for proceeds, (cents, total, chooses) in zip(
            column, many.rows([int(p * 100) for p in column], 2), strict=True):
        assert (cents, proceeds - F(total, 100), chooses) == many.row(proceeds)


def test_a_spreadsheet_range_reads_zeros_as_empty_where_nothing_valid_is_zero() -> None:
    # xlwings Lite on the desktop hands empty cells over as 0.
    rows = [["class", "kind", "shares", "preference", "seniority", "participation", "cap",
             "conversion_ratio", "strike", 0],
            ["Series L", "preferred", 1_000_000, 1, 0, 0, 0, 0, 0, 0],
            ["Pool", "option", 10, 0, 0, 0, 0, 0, 0.1, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
    assert parse_stack(rows, zero_is_empty=True) == (
        SERIES_L, StackClass("Pool", Kind.OPTION, F(10), strike=F(1, 10)))
    # From a file a 0 is a 0: seniority 0 is refused.
    with pytest.raises(SeriesMError, match="seniority = 0: must be a whole number"):
        parse_stack([row[:9] for row in rows[:2]])


holder_rows = st.lists(st.tuples(st.integers(1, 3000).map(F),
                                 st.integers(0, 10**7).map(lambda c: F(c, 100))),
                       min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(holder_rows, stacks(), strategies.common_shares, exits, st.booleans(),
       strategies.conversion_numbers)
def test_holders_in_a_stack_pay_out_exactly_and_none_does_better(
        rows: list[tuple[Fraction, Fraction]], stack: tuple[StackClass, ...], common: Fraction,
        proceeds: Fraction, paid: bool, number: Fraction) -> None:
    # Each Series M holder is a part of the fixed point: flipping any one part's choice
    # (a holder's or a class's) never pays that part more, and the exit is paid exactly.
    holders = [Holder(s * 1000 + a, a if paid else F(0), s * number) for s, a in rows]
    built = Structure(holders, stack, common)
    result = built.pay(proceeds)
    assert sum(result.exact) == proceeds
    assert built.settle(proceeds, result.chooses) == result.exact
    for part in range(built.count - 1):
        flipped = list(result.chooses)
        flipped[part] = not flipped[part]
        assert built.settle(proceeds, flipped)[part] <= result.exact[part]


@settings(max_examples=40, deadline=None)
@given(capitals(), stacks(), st.integers(1, 10**9).map(F),
       st.sampled_from([Market(0.3, 1.0, 0.02), Market(0.8, 5.0, 0.05)]))
def test_the_opm_over_any_stack_adds_up_to_the_equity_value(
        capital: Capital, stack: tuple[StackClass, ...], equity: Fraction,
        market: Market) -> None:
    values = stack_opm(equity, capital, stack, market)
    totals = [F(v) for v in values[0::2]]
    assert sum(totals) == equity
    # Every class but the common is a rounded sum of non-negative tranche shares; the
    # common takes the rest, which float noise may leave a few cents off its own sum.
    assert all(total >= 0 for total in totals[:-1])
    assert totals[-1] >= -F(1, 100)


@given(stacks())
def test_the_stack_table_as_a_range_reads_back(stack: tuple[StackClass, ...]) -> None:
    # table_rows writes the stack as a spreadsheet range holds it (the memo passes it to the
    # functions' stack argument); the functions' reading of that range is the stack again.
    from xl_seriesm.core.stack_table import table_rows  # noqa: PLC0415

    assert parse_stack(table_rows(stack), zero_is_empty=True) == stack
