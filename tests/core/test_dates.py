"""Excel's 1900 date system and EDATE."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.core.dates import add_months, anniversary, from_serial, to_serial


@pytest.mark.parametrize(("serial", "day"), [
    (1, date(1900, 1, 1)),
    (59, date(1900, 2, 28)),
    (61, date(1900, 3, 1)),        # serial 60 is Excel's phantom 29 February 1900
    (36526, date(2000, 1, 1)),
    (38362, date(2005, 1, 10)),    # the day the certificate was signed
    (2958465, date(9999, 12, 31)),
])
def test_serials(serial: int, day: date) -> None:
    assert from_serial(serial) == day
    assert to_serial(day) == serial


def test_phantom_serial_is_refused() -> None:
    with pytest.raises(ValueError, match="phantom"):
        from_serial(60)


@given(st.integers(1, 2958465).filter(lambda s: s != 60))
def test_serial_round_trip(serial: int) -> None:
    assert to_serial(from_serial(serial)) == serial


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2005, 1, 31), 1, date(2005, 2, 28)),
    (date(2004, 1, 31), 1, date(2004, 2, 29)),
    (date(2005, 1, 31), 3, date(2005, 4, 30)),
    (date(2005, 1, 31), 6, date(2005, 7, 31)),   # from the start, not chained month to month
    (date(2005, 3, 15), -3, date(2004, 12, 15)),
])
def test_add_months_is_edate(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_anniversary_of_29_february_is_28_february() -> None:
    # DOMAIN.md default: Excel's EDATE(2008-02-29, 12) is 2009-02-28.
    assert anniversary(date(2008, 2, 29)) == date(2009, 2, 28)
    assert anniversary(date(2008, 2, 29), 4) == date(2012, 2, 29)
