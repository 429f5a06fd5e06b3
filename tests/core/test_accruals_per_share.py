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
from xl_seriesm.core.dividends import PaymentSchedule, accruals_per_share, gross_accrual
from xl_seriesm.core.errors import SeriesMError


@given(strategies.dates, st.lists(st.integers(0, 4000), max_size=40),
       st.sampled_from(list(Basis)), st.sampled_from(list(PaymentSchedule)))
def test_the_core_accrual_at_each_day(closing: date, offsets: list[int], basis: Basis,
                                      schedule: PaymentSchedule) -> None:
    days = [closing + timedelta(days=n) for n in offsets]
    found = accruals_per_share(closing, days, basis, schedule)
    assert found == {d: gross_accrual(Fraction(1), closing, d, basis, schedule=schedule)
                     for d in days}


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


def test_by_hand_at_quarter_ends_in_actual_days() -> None:
    # Closing 10 January 2005, payments at calendar quarter ends, actual days (basis 1). The
    # first period runs from 31 December 2004 to 31 March 2005, 90 days, of which the 80
    # from the Closing Date accrue: 80/90. The next runs to 30 June, 91 days; on 15 May 45
    # of them have passed: 8/9 + 45/91 = 1133/819 periods, × $12.50 = $17.2924… a share.
    # From the Closing Date instead: 10 April (90 days, one period), then 35 of the 91 days
    # to 10 July: 1 + 35/91 = 1134/819. The schedule moves the accrual by a day in 819.
    found = accruals_per_share(date(2005, 1, 10), [date(2005, 5, 15), date(2005, 3, 31)],
                               Basis.ACTUAL_ACTUAL, PaymentSchedule.QUARTER_ENDS)
    assert found == {date(2005, 3, 31): Fraction(25, 2) * Fraction(8, 9),
                     date(2005, 5, 15): Fraction(25, 2) * Fraction(1133, 819)}
    assert accruals_per_share(date(2005, 1, 10), [date(2005, 5, 15)], Basis.ACTUAL_ACTUAL
                              )[date(2005, 5, 15)] == Fraction(25, 2) * Fraction(1134, 819)
