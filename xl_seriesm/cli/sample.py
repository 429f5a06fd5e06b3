"""The embedded sample cap table that ``seriesm demo`` and the templates use by default.

Illustrative figures, not nStor's actual holders: 9,100 Series M shares (all that §1
designates) held by five investors, the rest of the common in one public-float row, and a
§5(e) ledger with one dilutive sale, one exempt option exercise and one sale above $0.25.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from xl_seriesm.workbook.inputs import CapTable, Holder, IssuanceRow, Settings


def _f(value: int | str) -> Fraction:
    return Fraction(value)


SAMPLE = CapTable(
    closing_date=date(2005, 1, 10),
    as_of_date=date(2007, 6, 30),
    holders=(
        Holder("Palm Fund LP", _f(3500), _f(1_200_000), _f(175_000)),
        Holder("Forum Partners", _f(2500), _f(0), _f(125_000)),
        Holder("Lakeside Capital", _f(1850), _f(250_000), _f(0)),
        Holder("M. Rivera", _f(1000), _f(50_000), _f(25_000)),
        Holder("J. Chen", _f(250), _f(0), _f(0)),
        Holder("Public float", _f(0), _f(137_000_000), _f(0)),
    ),
    issuances=(
        IssuanceRow(date(2005, 6, 15), _f(120_000_000), _f(8_000_000), _f(1_600_000), False),
        IssuanceRow(date(2005, 11, 1), _f(128_000_000), _f(500_000), _f(50_000), True),
        IssuanceRow(date(2006, 3, 1), _f(128_500_000), _f(10_000_000), _f(3_000_000), False),
    ),
    settings=Settings(market_price=_f("0.18")),
)
