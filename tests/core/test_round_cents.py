"""Money is rounded to the cent at one point, half up: floor(amount × 100 + ½) ÷ 100,
computed in integers; the definition in Fractions agrees for every amount."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.core.numbers import round_cents


@given(st.fractions())
def test_the_definition(amount: Fraction) -> None:
    cents = math.floor(amount * 100 + Fraction(1, 2))
    assert round_cents(amount) == Decimal(cents) / 100


def test_by_hand() -> None:
    # Half a cent goes up (1.005 -> 1.01, -0.005 -> -0.00 then 0.00: floor(-0.5 + 0.5) = 0);
    # $83.333... -> $83.33; $0.125 accrued less $0.13 paid, -0.005 -> 0.00.
    assert round_cents(Fraction(1005, 1000)) == Decimal("1.01")
    assert round_cents(Fraction(-5, 1000)) == Decimal("0.00")
    assert round_cents(Fraction(250, 3)) == Decimal("83.33")
    assert round_cents(Fraction(-1006, 1000)) == Decimal("-1.01")
    assert round_cents(Fraction(7)) == Decimal("7.00")
