"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import strategies as st

from xl_seriesm.core import terms

#: Days the Federal Reserve calendar covers, and a little Series M history around them.
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))

#: Days of the month that no 30/360 end-of-month rule touches (28 February is a month end).
plain_dates = st.builds(date, st.integers(2000, 2060), st.integers(1, 12), st.integers(1, 27))

#: Series M share counts: whole, or with up to four decimals (fractional shares, §1).
series_m_shares = st.one_of(
    st.integers(0, terms.SHARES_DESIGNATED).map(Fraction),
    st.integers(0, terms.SHARES_DESIGNATED * 10_000).map(lambda n: Fraction(n, 10_000)),
)

positive_shares = series_m_shares.filter(lambda s: s > 0)

#: Dollar amounts to the cent.
cents = st.integers(0, 10**12).map(lambda n: Fraction(n, 100))

#: Common share counts (positive).
common_shares = st.integers(1, 10**10).map(Fraction)

#: Conversion numbers: 4,000 or adjusted ones (rationals near it, and far from it).
conversion_numbers = st.one_of(
    st.just(Fraction(4000)),
    st.fractions(min_value=1, max_value=40_000, max_denominator=10_000),
)
