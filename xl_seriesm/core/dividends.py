"""§2 dividends: 5% a year on the Stated Value, cumulative, payable quarterly in cash.

"Cumulative" means unpaid dividends carry forward and rank first; it does not make dividends
earn dividends, so accrual is simple interest (DOMAIN.md). Accrual runs from the Closing Date
(included) to the as-of date (excluded), over the year fraction of Excel's YEARFRAC for the
chosen basis (default 0, US 30/360).

Rounding: the exact accrual less the dividends paid is rounded to the cent once, half up,
in :func:`accrued_dividends`; nothing before that point is rounded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.dates import add_months, quarter_end_on_or_after
from xl_seriesm.core.daycount import Basis, day_count, yearfrac
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.numbers import cash, round_cents

#: Dollars of dividend per Series M share per year: 5% of the $1,000 Stated Value.
ANNUAL_DIVIDEND_PER_SHARE = terms.STATED_VALUE * terms.DIVIDEND_RATE


def gross_accrual(shares: Fraction, closing_date: date, as_of_date: date,
                  basis: Basis = Basis.US_30_360) -> Fraction:
    """Exact dividends accrued on ``shares`` from the Closing Date to ``as_of_date``, before
    payments and before rounding: shares × $1,000 × 5% × YEARFRAC(closing, as of, basis).

    >>> gross_accrual(Fraction(1000), date(2005, 1, 10), date(2006, 1, 10))
    Fraction(50000, 1)
    """
    checks.series_m_shares(shares)
    checks.on_or_after(as_of_date, "as_of_date", closing_date, "closing_date")
    annual = note("annual dividend: shares × $1,000 × 5%", shares * ANNUAL_DIVIDEND_PER_SHARE,
                  "§2")
    years = yearfrac(closing_date, as_of_date, basis)
    if active():
        note(f"from the Closing Date {closing_date.isoformat()} (included) to "
             f"{as_of_date.isoformat()} (excluded): days counted {basis.label}",
             day_count(closing_date, as_of_date, basis), "§2")
        note(f"year fraction, Excel's YEARFRAC basis {int(basis)}", years, "§2")
    return note("accrued before payments: annual dividend × year fraction", annual * years,
                "§2")


def accrued_dividends(shares: Fraction, closing_date: date, as_of_date: date,
                      dividends_paid: Fraction = Fraction(0),
                      basis: Basis = Basis.US_30_360) -> Decimal:
    """Accrued and unpaid dividends in dollars (§2), rounded to the cent once, half up.

    Formula: round(shares × 1,000 × 5% × YEARFRAC(closing_date, as_of_date, basis)
    − dividends_paid, 2). Paying more than the accrual rounded to the cent is an error.

    9,100 shares for one quarter in 30/360 accrue 9,100 × 1,000 × 5% × 90/360 = $113,750:

    >>> accrued_dividends(Fraction(9100), date(2005, 1, 10), date(2005, 4, 10))
    Decimal('113750.00')
    >>> accrued_dividends(Fraction(9100), date(2005, 1, 10), date(2005, 4, 10), Fraction(113750))
    Decimal('0.00')
    """
    gross = gross_accrual(shares, closing_date, as_of_date, basis)
    paid = note("less dividends paid", check_paid(dividends_paid, gross), "§2")
    return note("accrued and unpaid, rounded to the cent", round_cents(gross - paid), "§2")


def check_paid(dividends_paid: Fraction, gross: Fraction) -> Fraction:
    """§2 payments, as cash: whole cents, not negative, not beyond the accrual rounded to
    the cent. Returns the payment in cents (float noise taken off)."""
    paid = cash(checks.non_negative(dividends_paid, "dividends_paid"), "dividends_paid")
    most = round_cents(gross)
    if paid > Fraction(most):
        raise errors.overpaid("dividends_paid", dividends_paid, most)
    return paid


class PaymentSchedule(Enum):
    """When the quarterly dividends (§2) fall due; the certificate names no dates."""

    #: Every three months from the Closing Date, by EDATE rules (the default).
    FROM_CLOSING = "from closing"
    #: Calendar quarter ends: 31 March, 30 June, 30 September, 31 December.
    QUARTER_ENDS = "quarter ends"


_SCHEDULE_ALIASES = {
    "fromclosing": PaymentSchedule.FROM_CLOSING, "closing": PaymentSchedule.FROM_CLOSING,
    "3months": PaymentSchedule.FROM_CLOSING, "0": PaymentSchedule.FROM_CLOSING,
    "quarterends": PaymentSchedule.QUARTER_ENDS, "calendar": PaymentSchedule.QUARTER_ENDS,
    "calendarquarters": PaymentSchedule.QUARTER_ENDS, "1": PaymentSchedule.QUARTER_ENDS,
}


def parse_schedule(value: object, arg: str = "schedule") -> PaymentSchedule:
    """A payment schedule from the words a user types.

    >>> parse_schedule("Quarter ends"), parse_schedule("from closing")
    (<PaymentSchedule.QUARTER_ENDS: 'quarter ends'>, <PaymentSchedule.FROM_CLOSING: 'from closing'>)
    """
    return checks.choice(value, PaymentSchedule, _SCHEDULE_ALIASES, arg)


def payment_dates(closing_date: date, through_date: date,
                  schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> list[date]:
    """Dividend payment dates after the Closing Date, up to and including ``through_date``.

    >>> payment_dates(date(2005, 1, 31), date(2005, 8, 1))
    [datetime.date(2005, 4, 30), datetime.date(2005, 7, 31)]
    >>> payment_dates(date(2005, 1, 10), date(2005, 9, 30), PaymentSchedule.QUARTER_ENDS)
    [datetime.date(2005, 3, 31), datetime.date(2005, 6, 30), datetime.date(2005, 9, 30)]
    """
    checks.on_or_after(through_date, "through_date", closing_date, "closing_date")
    dates: list[date] = []
    if schedule is PaymentSchedule.FROM_CLOSING:
        # Each date from the Closing Date itself (EDATE(closing, 3k)), so a 31 January
        # closing pays on 30 April and then 31 July, not 30 July.
        k = 1
        while (due := add_months(closing_date, 3 * k)) <= through_date:
            dates.append(due)
            k += 1
        return dates
    due = quarter_end_on_or_after(closing_date)
    if due == closing_date:
        due = quarter_end_on_or_after(add_months(closing_date, 1))
    while due <= through_date:
        dates.append(due)
        due = quarter_end_on_or_after(add_months(due, 1))
    return dates


class ScheduleRow(NamedTuple):
    payment_date: date
    #: Dividend falling due on this date: accrued to it less accrued to the previous date,
    #: each rounded to the cent, so the column adds up to the accrual at every date.
    due: Decimal
    #: Part of ``dividends_paid`` applied to this date, oldest dues first (§2: a deficiency
    #: is paid first).
    paid: Decimal
    #: Unpaid dividends owed after this date's payment.
    arrears: Decimal


def dividend_schedule(shares: Fraction, closing_date: date, through_date: date,
                      dividends_paid: Fraction = Fraction(0), basis: Basis = Basis.US_30_360,
                      schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING,
                      ) -> list[ScheduleRow]:
    """The quarterly dividend table to ``through_date``: due, paid, and arrears.

    ``dividends_paid`` is the total paid so far; it settles the oldest dues first. Paying
    more than falls due by ``through_date`` is an error.

    >>> rows = dividend_schedule(Fraction(100), date(2005, 1, 10), date(2005, 7, 10),
    ...                          Fraction(1500))
    >>> [(str(r.payment_date), str(r.due), str(r.paid), str(r.arrears)) for r in rows]
    [('2005-04-10', '1250.00', '1250.00', '0.00'), ('2005-07-10', '1250.00', '250.00', '1000.00')]
    """
    checks.series_m_shares(shares)
    unapplied = cash(checks.non_negative(dividends_paid, "dividends_paid"), "dividends_paid")
    dates = payment_dates(closing_date, through_date, schedule)
    accrued_before = Decimal("0.00")
    arrears = Decimal("0.00")
    rows = []
    for due_date in dates:
        accrued_to_date = round_cents(gross_accrual(shares, closing_date, due_date, basis))
        due = accrued_to_date - accrued_before
        accrued_before = accrued_to_date
        owed = arrears + due
        paid = min(Fraction(owed), unapplied)  # whole cents: both are
        unapplied -= paid
        paid_cents = round_cents(paid)
        arrears = owed - paid_cents
        if active():
            note("payment date", due_date, "§2")
            note(f"due on {due_date.isoformat()}: accrued to it, rounded, less accrued to the "
                 "date before", due, "§2")
            note("paid, oldest dues first", paid_cents, "§2")
            note("arrears after this payment date", arrears, "§2")
        rows.append(ScheduleRow(due_date, due, paid_cents, arrears))
    if unapplied > 0:
        raise errors.overpaid("dividends_paid", dividends_paid, accrued_before)
    return rows
