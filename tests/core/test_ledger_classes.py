"""The ledger's events for the other classes (core/ledger_classes.py): counts by holder,
class and strike at a date, the stack they make, each refusal, and a property against the
sum of the events.

The stack table gives the terms: Series L preferred (1,000,000 shares stated, $1.00, 1:1),
Pool options (10,000,000 stated, $0.10), Warrants (500,000 stated, $0.30).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_seriesm.core.ledger import EventKind, LedgerError, Place
from xl_seriesm.core.ledger_classes import (
    ClassEvent,
    ClassEventKind,
    ClassHolding,
    exercise_common,
    replay,
    series_m_events,
    stack_at,
    stack_rows,
    strike_name,
)
from xl_seriesm.core.stack import Kind, StackClass

F = Fraction
K = ClassEventKind
L = StackClass("Series L", Kind.PREFERRED, F(1_000_000), F(1))
POOL = StackClass("Pool", Kind.OPTION, F(10_000_000), strike=F(1, 10))
WARRANTS = StackClass("Warrants", Kind.WARRANT, F(500_000), strike=F(3, 10))
STACK = (L, POOL, WARRANTS)
D = date


def ev(day: date, kind: ClassEventKind, cls: str, holder: str, shares: int | Fraction,
       strike: Fraction | None = None, to: str = "", line: int = 0,
       exempt: bool | None = None) -> ClassEvent:
    return ClassEvent(day, kind, cls, holder, F(shares), strike, to, exempt,
                      place=Place("ledger.csv", line))


LEDGER = [
    ev(D(2005, 2, 1), K.ISSUE, "Series L", "L Fund", 1_000_000, line=2),
    ev(D(2005, 3, 1), K.GRANT, "pool", "E1", 6_000_000, F(1, 10), line=3),  # case ignored
    ev(D(2005, 3, 1), K.GRANT, "Pool", "E2", 4_000_000, F(1, 10), line=4),
    ev(D(2005, 6, 1), K.GRANT, "Pool", "E3", 500_000, F(1, 2), line=5),
    ev(D(2005, 8, 1), K.TRANSFER, "Series L", "L Fund", 250_000, to="L2", line=6),
    ev(D(2005, 9, 1), K.CANCEL, "Pool", "E3", 200_000, F(1, 2), line=7),
    ev(D(2006, 6, 1), K.EXERCISE, "Pool", "E1", 1_000_000, F(1, 10), line=8),
]


def test_the_issue_stack_from_ledger_events() -> None:
    # At 2006-01-10: Series L 1,000,000 issued, 250,000 of it transferred (L Fund 750,000,
    # L2 250,000); the Pool 6,000,000 + 4,000,000 at $0.10 and 500,000 − 200,000 = 300,000
    # at $0.50; the exercise of 2006-06-01 not yet.
    state = replay(LEDGER, STACK, D(2006, 1, 10))
    assert state.holdings == (
        ClassHolding("Series L", None, "L Fund", F(750_000)),
        ClassHolding("Pool", F(1, 10), "E1", F(6_000_000)),
        ClassHolding("Pool", F(1, 10), "E2", F(4_000_000)),
        ClassHolding("Pool", F(1, 2), "E3", F(300_000)),
        ClassHolding("Series L", None, "L2", F(250_000)))
    assert [e.place.line for e in state.pending] == [8]
    rows, differences = stack_rows(STACK, state)
    # Two strikes of the Pool: a row each, named by strike; the Warrants have no event and
    # keep the stack table's row. The Pool's stated 10,000,000 against the ledger's 10,300,000.
    assert [r.row for r in rows] == [
        L, StackClass("Pool at $0.10", Kind.OPTION, F(10_000_000), strike=F(1, 10)),
        StackClass("Pool at $0.50", Kind.OPTION, F(300_000), strike=F(1, 2)), WARRANTS]
    assert [(d.stock_class, d.stated, d.ledger) for d in differences] == [
        ("Pool", F(10_000_000), F(10_300_000))]


def test_nothing_after_the_as_of_date_changes_a_figure() -> None:
    # Before the first event of a class it has no row (the ledger carries it: its stated
    # count is not used); after the exercise E1 holds 6,000,000 − 1,000,000 = 5,000,000.
    early = stack_at(STACK, replay(LEDGER, STACK, D(2005, 2, 15)))
    assert early == (L, WARRANTS)
    late = replay(LEDGER, STACK, D(2006, 6, 1))
    assert late.count("Pool", F(1, 10)) == F(9_000_000)
    assert late.pending == ()
    # The same state from the events on or before the date alone.
    for day in (D(2005, 3, 1), D(2005, 8, 31), D(2006, 5, 31)):
        cut = [e for e in LEDGER if e.date <= day]
        assert replay(LEDGER, STACK, day).holdings == replay(cut, STACK, day).holdings


def test_an_exercise_issues_common_to_the_series_m_ledger() -> None:
    # One common share per option, for the strike: 1,000,000 × $0.10 = $100,000 (§5(e)(i)).
    # Options are exempt (employee plans, §5(e)(i)); warrants are not unless the row says so.
    option = exercise_common(LEDGER[-1], Kind.OPTION)
    assert (option.kind, option.holder, option.common_shares, option.amount, option.exempt,
            option.date, option.place) == (EventKind.COMMON, "E1", F(1_000_000), F(100_000),
                                           True, D(2006, 6, 1), Place("ledger.csv", 8))
    warrant = ev(D(2006, 6, 1), K.EXERCISE, "Warrants", "W", 100, F(3, 10))
    assert exercise_common(warrant, Kind.WARRANT).exempt is False
    assert exercise_common(ev(D(2006, 6, 1), K.EXERCISE, "Pool", "E1", 1, F(1, 10),
                              exempt=False), Kind.OPTION).exempt is False
    # Among the Series M's events, in the ledger's order; other events left out.
    assert series_m_events(LEDGER, STACK) == (option,)


@pytest.mark.parametrize(("event", "column", "words"), [
    (ev(D(2005, 4, 1), K.GRANT, "Pool", "E1", 10), "strike", "empty; the grant of Pool"),
    (ev(D(2005, 4, 1), K.EXERCISE, "Pool", "E1", 6_000_001, F(1, 10)), "shares",
     "E1 holds 6000000 Pool at $0.10 on 2005-04-01, fewer than the 6000001 of this exercise"),
    (ev(D(2005, 4, 1), K.EXERCISE, "Pool", "E1", 1, F(1, 5)), "shares",
     "E1 holds 0 Pool at $0.20"),
    (ev(D(2005, 4, 1), K.CANCEL, "Pool", "E9", 1, F(1, 10)), "shares", "E9 holds 0 Pool"),
    (ev(D(2005, 4, 1), K.TRANSFER, "Series L", "L2", 1, to="L3"), "shares",
     "L2 holds 0 Series L"),
    (ev(D(2005, 4, 1), K.GRANT, "Series K", "E1", 10, F(1)), "class",
     '"Series K" is not a class of the stack table: the stack table defines Series L, Pool, '
     "Warrants"),
    (ev(D(2005, 4, 1), K.ISSUE, "Series M", "A", 10), "class", "leave class empty"),
    (ev(D(2005, 4, 1), K.ISSUE, "common", "A", 10), "class", "the common is the ledger's own"),
    (ev(D(2005, 4, 1), K.ISSUE, "Series L", "A", 10, F(1)), "strike",
     "a strike is for options and warrants"),
    (ev(D(2005, 4, 1), K.GRANT, "Series L", "A", 10), "event", "use issue, transfer or cancel"),
    (ev(D(2005, 4, 1), K.EXERCISE, "Series L", "A", 10), "event", "preferred class"),
    (ev(D(2005, 4, 1), K.GRANT, "Pool", "E1", -5, F(1, 10)), "shares",
     "-5 for the grant of Pool at $0.10 of 2005-04-01 by E1: give a number of shares above 0"),
    (ev(D(2005, 4, 1), K.GRANT, "Pool", "E1", 5, F(-1, 10)), "strike", "0 or more"),
    (ev(D(2005, 4, 1), K.GRANT, "Pool", "", 5, F(1, 10)), "holder", "needs the holder"),
    (ev(D(2005, 4, 1), K.TRANSFER, "Pool", "E1", 5, F(1, 10), to="E1"), "to_holder",
     "other than the holder"),
    (ev(D(2005, 4, 1), K.GRANT, "Pool", "E1", 5, F(1, 10), exempt=True), "exempt",
     "exempt is for an exercise's common"),
])
def test_refusals_name_the_line_column_and_value(event: ClassEvent, column: str,
                                                 words: str) -> None:
    placed = ClassEvent(event.date, event.kind, event.stock_class, event.holder, event.shares,
                        event.strike, event.to_holder, event.exempt, place=Place("l.csv", 9))
    with pytest.raises(LedgerError) as caught:
        replay([*LEDGER[:4], placed], STACK, D(2006, 1, 10))
    assert caught.value.column == column
    assert str(caught.value).startswith(f"l.csv line 9, column {column}: ")
    assert words in str(caught.value)


def test_an_event_after_the_as_of_date_is_checked_too() -> None:
    late = ev(D(2007, 1, 1), K.EXERCISE, "Pool", "E2", 4_000_001, F(1, 10), line=12)
    with pytest.raises(LedgerError, match=r"ledger\.csv line 12, column shares: E2 holds"):
        replay([*LEDGER, late], STACK, D(2005, 12, 31))


def test_no_stack_table() -> None:
    with pytest.raises(LedgerError, match="no stack table was given; give the class's terms "
                                          "with --stack"):
        replay(LEDGER, (), D(2006, 1, 10))


def test_strike_names_and_clashes() -> None:
    assert strike_name("Pool", F(1, 10)) == "Pool at $0.10"
    assert strike_name("Pool", F(1234, 1000)) == "Pool at $1.234"
    assert strike_name("Pool", F(5)) == "Pool at $5.00"
    # A row named as another class of the stack would be is refused.
    clash = (POOL, StackClass("Pool at $0.50", Kind.WARRANT, F(1), strike=F(1)))
    events = [ev(D(2005, 3, 1), K.GRANT, "Pool", "E1", 1, F(1, 10)),
              ev(D(2005, 3, 1), K.GRANT, "Pool", "E1", 1, F(1, 2))]
    with pytest.raises(LedgerError, match=r'would be named "Pool at \$0\.50"'):
        stack_rows(clash, replay(events, clash, D(2006, 1, 1)))


# --- a property: replaying in date order is the sum of the events ----------------------------
_SIGN = {K.ISSUE: 1, K.GRANT: 1, K.EXERCISE: -1, K.CANCEL: -1, K.TRANSFER: 0}


def _event() -> st.SearchStrategy[ClassEvent]:
    def build(day: int, kind: ClassEventKind, cls: StackClass, holder: str, to: str,
              shares: int, strike: Fraction) -> ClassEvent:
        if cls.is_preferred:
            kind = {K.GRANT: K.ISSUE, K.EXERCISE: K.CANCEL}.get(kind, kind)
        return ev(D(2005, 1, 1 + day), kind, cls.name, holder, shares,
                  None if cls.is_preferred else strike, to if to != holder else to + "'")

    return st.builds(build, st.integers(0, 30), st.sampled_from(list(K)),
                     st.sampled_from(STACK), st.sampled_from(["A", "B", "C"]),
                     st.sampled_from(["A", "B", "C"]), st.integers(1, 50),
                     st.sampled_from([F(1, 10), F(1, 2)]))


@st.composite
def _ledgers(draw: st.DrawFn) -> list[ClassEvent]:
    """Ledgers of other classes, mostly valid: a decrement (transfer, exercise, cancel) takes
    at most what its lot holds, and only from a lot held, but one time in ten not."""
    raw = sorted(draw(st.lists(_event(), max_size=25)), key=lambda e: e.date)
    held: dict[tuple[str, Fraction | None, str], Fraction] = {}
    out = []
    for e in raw:
        lot = (e.stock_class, e.strike, e.holder)
        if e.kind in (K.ISSUE, K.GRANT):
            held[lot] = held.get(lot, F(0)) + e.shares
        else:
            have = held.get(lot, F(0))
            sound = draw(st.integers(0, 9)) > 0
            if not have and sound:
                continue
            if sound:
                shares = min(e.shares, have)
                e = ClassEvent(e.date, e.kind, e.stock_class, e.holder, shares, e.strike,
                               e.to_holder, place=e.place)
            held[lot] = have - e.shares
            if e.kind is K.TRANSFER:
                to = (e.stock_class, e.strike, e.to_holder)
                held[to] = held.get(to, F(0)) + e.shares
        out.append(e)
    return out


@settings(max_examples=300, deadline=None)
@given(_ledgers(), st.integers(0, 30))
def test_replay_in_date_order_is_the_sum_of_the_events(events: list[ClassEvent],
                                                       cut: int) -> None:
    as_of = D(2005, 1, 1 + cut)
    ordered = sorted(events, key=lambda e: e.date)  # stable: same-day in ledger order
    # Each holder's lot after each event, by plain sums; negative at some point: refused.
    running: dict[tuple[str, Fraction | None, str], Fraction] = {}
    goes_negative = False
    for e in ordered:
        lot = (e.stock_class, e.strike, e.holder)
        change = e.shares if _SIGN[e.kind] >= 0 and e.kind is not K.TRANSFER else -e.shares
        running[lot] = running.get(lot, F(0)) + change
        if e.kind is K.TRANSFER:
            to = (e.stock_class, e.strike, e.to_holder)
            running[to] = running.get(to, F(0)) + e.shares
        goes_negative |= running[lot] < 0
    if goes_negative:
        with pytest.raises(LedgerError, match="a holding cannot go negative"):
            replay(events, STACK, as_of)
        return
    state = replay(events, STACK, as_of)
    totals: dict[tuple[str, Fraction | None], Fraction] = {}
    for e in events:
        if e.date <= as_of:
            key = (e.stock_class, e.strike)
            totals[key] = totals.get(key, F(0)) + _SIGN[e.kind] * e.shares
    for (cls, strike), total in totals.items():
        assert state.count(cls, strike) == total
    stack = stack_at(STACK, state)
    by_row = {(c.name, c.strike if c.kind is not Kind.PREFERRED else None): c.shares
              for c in stack}
    named = {c.name for c in STACK if any(e.stock_class == c.name for e in events)}
    for c in STACK:
        if c.name not in named:
            assert by_row[(c.name, None if c.is_preferred else c.strike)] == c.shares
            continue
        strikes = sorted({s for (n, s), t in totals.items() if n == c.name and t > 0},
                         key=lambda s: s or 0)
        for strike in strikes:
            name = (c.name if len(strikes) == 1 or strike is None
                    else strike_name(c.name, strike))
            assert by_row[(name, strike)] == totals[(c.name, strike)]
    assert sum(by_row.values()) == sum(
        (t for (n, _), t in totals.items() if n in named), F(0)) + sum(
        (c.shares for c in STACK if c.name not in named), F(0))
