"""Each fixed term agrees with the words of the certificate (its section cited)."""

from __future__ import annotations

import re
from datetime import time
from fractions import Fraction

import pytest

from tests.conftest import CERTIFICATE
from xl_seriesm.core import terms


@pytest.fixture(scope="module")
def text() -> str:
    # The filing wraps lines and pads with double spaces; compare on single spaces.
    return re.sub(r"\s+", " ", CERTIFICATE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("value", "expected", "phrase"), [
    # §1
    (terms.SHARES_DESIGNATED, 9_100, "nine thousand one hundred (9,100)"),
    (terms.STATED_VALUE, 1_000, "stated value of one thousand dollars ($1,000)"),
    (terms.PREFERRED_PAR_VALUE, Fraction(1, 100), "par value of $.01 per share"),
    # §2
    (terms.DIVIDEND_RATE, Fraction(5, 100), "annual rate of five percent (5%)"),
    (terms.DIVIDEND_PAYMENTS_PER_YEAR, 4, "Such dividends shall be payable quarterly"),
    (terms.COMMON_PAR_VALUE, Fraction(5, 100), "par value $.05 per share"),
    # §5(a), (b)
    (terms.CONVERSION_WAIT_YEARS, 1, "Beginning on the one (1) year anniversary"),
    (terms.CONVERSION_LOT, 100, "in multiples of one hundred (100) shares"),
    (terms.CONVERSION_NUMBER, 4_000, "converted into four thousand (4,000) shares"),
    # §5(e)(i)
    (terms.DILUTION_PRICE, Fraction(1, 4), "at a price of less than $0.25 per share"),
    # §5(f)
    (terms.DELIVERY_BUSINESS_DAYS, 10, "ten (10) business days after the receipt"),
    (terms.BUSINESS_HOURS_OPEN, time(9), "between 9:00 a.m. and 5:00 p.m."),
    (terms.BUSINESS_HOURS_CLOSE, time(17), "between 9:00 a.m. and 5:00 p.m."),
    # §6(a)
    (terms.REDEMPTION_NOTICE_DAYS, 15, "upon fifteen (15) days' notice"),
    (terms.CONVERT_AFTER_REDEMPTION_NOTICE_DAYS, 10,
     "within ten (10) days of receipt of the Notice of Optional Redemption"),
    # §3(c)
    (terms.DEEMED_LIQUIDATION_MAX_VOTING_POWER, Fraction(1, 2), "own fifty percent (50%) or less"),
    (terms.DEEMED_LIQUIDATION_ELECTION_FRACTION, Fraction(1, 2),
     "holders of at least fifty percent (50%) of the then outstanding"),
    (terms.DEEMED_LIQUIDATION_ELECTION_DAYS, 3, "at least three days before the effective date"),
    (terms.DEEMED_LIQUIDATION_NOTICE_DAYS, 20, "at least twenty (20) days prior to the earlier"),
    # §10
    (terms.RECORD_DATE_NOTICE_BUSINESS_DAYS, 10, "at least ten (10) business days prior"),
])
def test_term_matches_certificate(text: str, value: object, expected: object, phrase: str) -> None:
    assert value == expected
    assert phrase in text


def test_every_term_is_shown_with_a_section() -> None:
    assert all(t.section.startswith("§") for t in terms.TERMS)
    assert len({t.name for t in terms.TERMS}) == len(terms.TERMS)
