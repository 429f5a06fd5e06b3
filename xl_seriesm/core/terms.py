"""The terms the certificate fixes, each defined once with its section.

Source: Certificate of Designation of Series M Convertible Preferred Stock of nStor
Technologies, Inc., signed 10 January 2005 (``shared/series-m-certificate.txt``).
Nothing else in the package writes these numbers down; templates show them from here.
"""

from __future__ import annotations

from datetime import time
from fractions import Fraction
from typing import NamedTuple

#: §1: shares constituting the Series M; more than this cannot exist.
SHARES_DESIGNATED = 9_100
#: §1: stated value of each whole Series M share, in dollars.
STATED_VALUE = Fraction(1_000)
#: §1: par value of the Series M, in dollars.
PREFERRED_PAR_VALUE = Fraction(1, 100)
#: §2: annual dividend rate, on the Stated Value (see DOMAIN.md, "base of the 5%").
DIVIDEND_RATE = Fraction(5, 100)
#: §2: "payable quarterly".
DIVIDEND_PAYMENTS_PER_YEAR = 4
#: §2: par value of the Common Stock, in dollars.
COMMON_PAR_VALUE = Fraction(5, 100)
#: §5(a), §5(b): years after the Closing Date before conversion opens.
CONVERSION_WAIT_YEARS = 1
#: §5(a): conversions go in multiples of this many Series M shares.
CONVERSION_LOT = 100
#: §5(b): common shares per Series M share before any adjustment.
CONVERSION_NUMBER = Fraction(4_000)
#: §5(e)(i): issuing common below this price per share triggers the adjustment.
DILUTION_PRICE = Fraction(1, 4)
#: §5(f): business days the Company has to deliver the common.
DELIVERY_BUSINESS_DAYS = 10
#: §5(f): a "business day" is the hours 9:00 a.m. to 5:00 p.m.
BUSINESS_HOURS_OPEN = time(9, 0)
BUSINESS_HOURS_CLOSE = time(17, 0)
#: §6(a): days of notice before an optional redemption.
REDEMPTION_NOTICE_DAYS = 15
#: §6(a): days after receiving a redemption notice within which a holder may still convert.
CONVERT_AFTER_REDEMPTION_NOTICE_DAYS = 10
#: §3(c)(i): a merger is a deemed liquidation when the Company's shareholders keep this
#: fraction of the surviving entity's voting power or less.
DEEMED_LIQUIDATION_MAX_VOTING_POWER = Fraction(1, 2)
#: §3(c): holders of at least this fraction of the Series M must elect.
DEEMED_LIQUIDATION_ELECTION_FRACTION = Fraction(1, 2)
#: §3(c): the holders' election is due at least this many days before the effective date.
DEEMED_LIQUIDATION_ELECTION_DAYS = 3
#: §3(c): the Company's notice of a deemed liquidation, days before the earlier of the vote
#: and the closing.
DEEMED_LIQUIDATION_NOTICE_DAYS = 20
#: §10: notices of record dates and reorganisations, business days before the action.
RECORD_DATE_NOTICE_BUSINESS_DAYS = 10


class Term(NamedTuple):
    """One fixed term as shown on a template's Terms sheet."""

    name: str
    value: Fraction | int | str
    unit: str
    section: str
    note: str


#: The terms, in the certificate's order, for display (templates, docs, the demo).
TERMS: tuple[Term, ...] = (
    Term("Shares designated", SHARES_DESIGNATED, "shares", "§1",
         "Series M shares that may exist; fractional shares may be issued"),
    Term("Stated Value", STATED_VALUE, "$ per share", "§1",
         "subject to equitable adjustment on splits and similar events (§3(a))"),
    Term("Series M par value", PREFERRED_PAR_VALUE, "$ per share", "§1", ""),
    Term("Dividend rate", DIVIDEND_RATE, "per year", "§2",
         "cumulative, payable quarterly in cash, on the Stated Value"),
    Term("Dividend payments per year", DIVIDEND_PAYMENTS_PER_YEAR, "payments", "§2", ""),
    Term("Common par value", COMMON_PAR_VALUE, "$ per share", "§2, §9(a)",
         "par may not exceed what is paid per common share on conversion"),
    Term("Conversion opens", CONVERSION_WAIT_YEARS, "year after Closing", "§5(a)",
         "the anniversary itself included"),
    Term("Conversion lot", CONVERSION_LOT, "Series M shares", "§5(a)",
         "or the whole holding"),
    Term("Conversion number", CONVERSION_NUMBER, "common per Series M share", "§5(b)",
         "before §5(c)-(e) adjustments; implied price $0.25"),
    Term("Dilution price", DILUTION_PRICE, "$ per common share", "§5(e)(i)",
         "issuances below it raise the conversion number"),
    Term("Delivery period", DELIVERY_BUSINESS_DAYS, "business days", "§5(f)",
         "from receipt of the original certificate; late delivery lets the holder revoke"),
    Term("Business hours", "9:00-17:00", "Palm Beach County banks", "§5(f)", ""),
    Term("Redemption notice", REDEMPTION_NOTICE_DAYS, "days", "§6(a)", ""),
    Term("Conversion after redemption notice", CONVERT_AFTER_REDEMPTION_NOTICE_DAYS, "days",
         "§6(a)", "from receipt of the notice"),
    Term("Deemed liquidation voting power", DEEMED_LIQUIDATION_MAX_VOTING_POWER,
         "or less kept by shareholders", "§3(c)(i)", ""),
    Term("Deemed liquidation election", DEEMED_LIQUIDATION_ELECTION_FRACTION,
         "of Series M, at least", "§3(c)", ""),
    Term("Election notice", DEEMED_LIQUIDATION_ELECTION_DAYS, "days before effective date",
         "§3(c)", ""),
    Term("Company notice of deemed liquidation", DEEMED_LIQUIDATION_NOTICE_DAYS,
         "days before vote or closing", "§3(c)", ""),
    Term("Record-date notice", RECORD_DATE_NOTICE_BUSINESS_DAYS, "business days", "§10", ""),
)
