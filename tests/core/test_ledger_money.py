"""The ledger's dividends in whole units (xl_seriesm.core.ledger_money): the reading that
carries the unpaid dividends moving with transferred shares to ``arrears_decimals`` places,
worked by hand, and the fast replay against a straightforward exact one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.strategies import dividend_ledgers
from xl_seriesm.cli.main import main
from xl_seriesm.core.allocation import allocate
from xl_seriesm.core.dividends import gross_accrual
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.ledger import Event, EventKind, Terms, state_at
from xl_seriesm.core.ledger_money import (
    ARREARS_DECIMALS,
    Scale,
    allocate_cents,
    check_decimals,
)
from xl_seriesm.core.numbers import round_cents

CLOSING = date(2005, 1, 10)


def _two_holders(day: date, shares: Fraction = Fraction(2),
                 moved: Fraction = Fraction(1)) -> list[Event]:
    """A is issued ``shares`` Series M at the closing and transfers ``moved`` to B on
    ``day``."""
    return [Event(CLOSING, EventKind.ISSUE, "A", series_m_shares=shares),
            Event(day, EventKind.TRANSFER, "A", "B", series_m_shares=moved)]


def test_moving_part_and_half_cents_by_hand() -> None:
    # §2, US 30/360: one share accrues $1,000 × 5% / 360 = $5/36 a day. A holds 1 share
    # for 2 days ($5/18 = 0.2777...) and transfers 0.1 of it to B (§3(a): a tenth of its
    # unpaid dividends, $1/36 = 0.02777..., goes along; carried to 20 places, half up:
    # 0.02777777777777777778). A keeps $1/4 less 2 × 10^-21, and accrues 0.9 × 5/36 = $1/8
    # on 13 Jan: exactly $0.375, carried $0.37499999999999999999(8). Half a cent, within
    # 10^-14 of it: taken as on it, so $0.38 half up, as exactly. B: $1/36 + 0.1 × 5/36 =
    # $1/24 = $0.041666..., $0.04.
    events = _two_holders(date(2005, 1, 12), Fraction(1), Fraction(1, 10))
    state = state_at(events, date(2005, 1, 13))
    assert [(h.holder, h.accrued_dividends) for h in state.holders] == [
        ("A", Decimal("0.38")), ("B", Decimal("0.04"))]


def test_moving_part_exact_when_it_has_no_more_decimals() -> None:
    # 10 Jan to 10 Jul 2005 is 180 days: one share accrues $1,000 × 5% × 180/360 = $25
    # exactly, so the share moving to B takes $25.00 at any setting.
    day = date(2005, 7, 10)
    for decimals in (12, ARREARS_DECIMALS):
        state = state_at(_two_holders(day), day, ledger_terms=Terms(arrears_decimals=decimals))
        assert [h.accrued_dividends for h in state.holders] == [Decimal("25.00")] * 2


def test_scale_moved_rounds_half_up_by_hand() -> None:
    # One share unit per share, U = $5/12 (US 30/360, 3 days) at one date, so Q = 12; at
    # 12 places a unit is $1/(12 × 10^12) and 10^-12 of a dollar is 12 units. Unpaid $5/6
    # = 10^13 units; moving 1 of 2 shares is exactly $5/12 = 416,666,666,666.67 × 10^-12,
    # carried half up to $0.416666666667 = 416,666,666,667 × 12 units.
    scale = Scale(1, {CLOSING: Fraction(0), date(2005, 1, 13): Fraction(5, 12)}, 12)
    assert scale.den == 12 * 10**12
    assert scale.moved(10**13, 1, 2) == 416_666_666_667 * 12
    # A part with no more than 12 places moves exactly: $0.50 of $1.00 = 6 × 10^12 units.
    assert scale.moved(12 * 10**12, 1, 2) == 6 * 10**12


def test_scale_cents_takes_a_hair_off_half_a_cent_as_on_it() -> None:
    # 12 places, Q = 12: half a cent is 6 × 10^10 units; 10^(6-12) of a dollar is 12 × 10^6.
    scale = Scale(1, {CLOSING: Fraction(0), date(2005, 1, 13): Fraction(5, 12)}, 12)
    half = 6 * 10**10
    assert scale.cents(half) == 1  # $0.005 half up
    assert scale.cents(half - 1) == 1  # a unit below: taken as the half cent
    assert scale.cents(half - 12 * 10**6) == 1  # 10^-6 below: still
    assert scale.cents(half - 12 * 10**6 - 1) == 0  # further: it is below half a cent
    assert scale.cents(2 * half + 1) == 1  # a hair above a whole cent: that cent


@pytest.mark.parametrize("bad", [11, 1001, 12.5, True, "20"])
def test_arrears_decimals_out_of_range(bad: object) -> None:
    with pytest.raises(SeriesMError, match="arrears_decimals"):
        check_decimals(bad)


def test_captable_option_refuses_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["captable", "docs/example-ledger.csv", "--arrears-decimals", "11"])
    assert "--arrears-decimals: '11': a whole number from 12 to 1,000" in (
        capsys.readouterr().err)


@given(st.integers(0, 10**6), st.lists(st.integers(0, 10**6), min_size=1, max_size=12))
def test_allocate_cents_is_allocate(amount: int, weights: list[int]) -> None:
    assume(sum(weights) > 0)
    assert [Fraction(c, 100) for c in allocate_cents(amount, weights)] == allocate(
        Fraction(amount, 100), [Fraction(w, 100) for w in weights])


# The fast replay against a straightforward exact one ----------------------------------
def _near_half_cent(value: Fraction) -> bool:
    """Within 10^-13 of a half cent but not on it (where a carried figure within 10^-14 of
    a half cent is taken as on it)."""
    off = (value * 100 - Fraction(1, 2)) % 1
    return 0 < off < Fraction(1, 10**13) or 0 < 1 - off < Fraction(1, 10**13)


def _exact_replay(steps: list[tuple[str, object]]) -> tuple[list[Event], dict[str, Fraction],
                                                            dict[str, Fraction], date]:
    """Every holder accrued at every event (no settling on change), exact fractions; the
    events it replayed (amounts cut to what is owed), and unpaid and paid by holder."""
    shares: dict[str, Fraction] = {}
    unpaid: dict[str, Fraction] = {}
    paid: dict[str, Fraction] = {}
    events: list[Event] = []
    last = CLOSING

    def accrue(day: date) -> None:
        nonlocal last
        for h in shares:
            unpaid[h] += shares[h] * (gross_accrual(Fraction(1), CLOSING, day)
                                      - gross_accrual(Fraction(1), CLOSING, last))
        last = day

    for kind, data in steps:
        if kind == "issue":
            day, holder, count = data  # type: ignore[misc]
            accrue(day)
            shares[holder] = shares.get(holder, Fraction(0)) + count
            unpaid.setdefault(holder, Fraction(0))
            paid.setdefault(holder, Fraction(0))
            events.append(Event(day, EventKind.ISSUE, holder, series_m_shares=count))
        elif kind == "transfer":
            day, giver, taker, count = data  # type: ignore[misc]
            accrue(day)
            moved = unpaid[giver] * count / shares[giver]  # §3(a): pro rata, exactly
            unpaid[giver] -= moved
            shares[giver] -= count
            unpaid[taker] = unpaid.get(taker, Fraction(0)) + moved
            paid.setdefault(taker, Fraction(0))
            shares[taker] = shares.get(taker, Fraction(0)) + count
            events.append(Event(day, EventKind.TRANSFER, giver, taker, series_m_shares=count))
        elif kind == "pay":
            day, holder, cents = data  # type: ignore[misc]
            accrue(day)
            assume(not _near_half_cent(unpaid[holder]))
            amount = min(Fraction(cents, 100), Fraction(round_cents(unpaid[holder])))
            if amount <= 0:
                continue
            unpaid[holder] -= amount
            paid[holder] += amount
            events.append(Event(day, EventKind.DIVIDEND, holder, amount=amount))
        else:
            day, cents = data  # type: ignore[misc]
            accrue(day)
            owing = [h for h in unpaid if unpaid[h] > 0]
            assume(not any(_near_half_cent(unpaid[h]) for h in owing))
            weights = [Fraction(round_cents(unpaid[h])) for h in owing]
            amount = min(Fraction(cents, 100), sum(weights, Fraction(0)))
            if amount <= 0:
                continue
            for h, share in zip(owing, allocate(amount, weights), strict=True):
                unpaid[h] -= share
                paid[h] += share
            events.append(Event(day, EventKind.DIVIDEND, amount=amount))
    as_of = last + timedelta(days=1)
    accrue(as_of)
    return events, unpaid, paid, as_of


@given(dividend_ledgers())
def test_fast_replay_is_the_exact_replay(steps: list[tuple[str, object]]) -> None:
    events, unpaid, paid, as_of = _exact_replay(steps)
    assume(not any(_near_half_cent(u) for u in unpaid.values()))
    state = state_at(events, as_of)
    got = {h.holder: (h.accrued_dividends, h.dividends_paid) for h in state.holders}
    assert got == {h: (round_cents(unpaid[h]), round_cents(paid[h])) for h in unpaid}
