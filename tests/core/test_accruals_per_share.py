"""One share's accrual at many days at once (the ledger's replay reads it at every date of
its events) is the core's accrual at each day, whatever the closing, the days and the
basis."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import accruals_per_share, gross_accrual
from xl_seriesm.core.errors import SeriesMError


@given(strategies.dates, st.lists(st.integers(0, 4000), max_size=40),
       st.sampled_from(list(Basis)))
def test_the_core_accrual_at_each_day(closing: date, offsets: list[int], basis: Basis) -> None:
    days = [closing + timedelta(days=n) for n in offsets]
    found = accruals_per_share(closing, days, basis)
    assert found == {d: gross_accrual(Fraction(1), closing, d, basis) for d in days}


def test_by_hand() -> None:
    # §2: 5% a year on the $1,000 Stated Value, $12.50 a quarter on one share. Closing
    # 10 January 2005, 30/360: on 10 April 2005 one full period, $12.50; on 10 May 2005 one
    # period and 30 of the next 90 days, 12.50 + 12.50 × 30/90 = $16.666...; on 10 January
    # 2006 four periods, $50; on the Closing Date nothing.
    found = accruals_per_share(date(2005, 1, 10), [date(2006, 1, 10), date(2005, 5, 10),
                                                   date(2005, 4, 10), date(2005, 1, 10)])
    assert found == {date(2005, 1, 10): 0, date(2005, 4, 10): Fraction(25, 2),
                     date(2005, 5, 10): Fraction(50, 3), date(2006, 1, 10): 50}


def test_a_day_before_the_closing_is_refused_as_the_core_refuses_it() -> None:
    with pytest.raises(SeriesMError, match="as_of_date"):
        accruals_per_share(date(2005, 1, 10), [date(2005, 1, 9)])
