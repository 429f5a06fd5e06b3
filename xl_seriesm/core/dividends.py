"""§2 dividends: 5% a year on the Stated Value, cumulative, payable quarterly in cash.

"Cumulative" means unpaid dividends carry forward and rank first; it does not make dividends
earn dividends, so accrual is simple interest (DOMAIN.md). Accrual runs from the Closing Date
(included) to the as-of date (excluded). Two readings (:class:`Accrual`):

* "per period" (the default): "the annual rate of five percent ... payable quarterly", so each
  full dividend period of the payment schedule accrues exactly a quarter of the annual
  dividend, Q = shares × $1,000 × 5% ÷ 4; a partial period (the one running at the date, or
  the short first period of the "quarter ends" schedule) accrues Q × dc(period start or
  Closing Date, date) ÷ dc(period start, period end), dc counting 30/360 days by YEARFRAC's
  own rules for bases 0 and 4 and actual days for bases 1 to 3;
* "from closing": one Excel YEARFRAC from the Closing Date to the date (what a spreadsheet
  user writes by hand; 358/360 of a year from a 28 February 2007 closing to 28 February 2008).

Rounding: the exact accrual less the dividends paid is rounded to the cent once, half up,
in :func:`accrued_dividends`; nothing before that point is rounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.dates import add_months, month_end, quarter_end_on_or_after
from xl_seriesm.core.daycount import Basis, day_count, yearfrac
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.numbers import cash, round_cents

#: Dollars of dividend per Series M share per year: 5% of the $1,000 Stated Value.
ANNUAL_DIVIDEND_PER_SHARE = terms.STATED_VALUE * terms.DIVIDEND_RATE




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


class Accrual(Enum):
    """How the 5% accrues over a year (§2: "the annual rate of five percent ... payable
    quarterly")."""

    #: Each full dividend period accrues exactly a quarter of the annual dividend (default).
    PER_PERIOD = "per period"
    #: One Excel YEARFRAC from the Closing Date to the date.
    FROM_CLOSING = "from closing"


_ACCRUAL_ALIASES = {
    "perperiod": Accrual.PER_PERIOD, "period": Accrual.PER_PERIOD,
    "quarterly": Accrual.PER_PERIOD, "perquarter": Accrual.PER_PERIOD,
    "0": Accrual.PER_PERIOD,
    "fromclosing": Accrual.FROM_CLOSING, "yearfrac": Accrual.FROM_CLOSING,
    "closing": Accrual.FROM_CLOSING, "1": Accrual.FROM_CLOSING,
}


def parse_accrual(value: object, arg: str = "accrual") -> Accrual:
    """An accrual reading from the words a user types.

    >>> parse_accrual("Per period"), parse_accrual("from closing")
    (<Accrual.PER_PERIOD: 'per period'>, <Accrual.FROM_CLOSING: 'from closing'>)
    """
    return checks.choice(value, Accrual, _ACCRUAL_ALIASES, arg)


def accrued_dividends(shares: Fraction, closing_date: date, as_of_date: date,
                      dividends_paid: Fraction = Fraction(0),
                      basis: Basis = Basis.US_30_360,
                      accrual: Accrual = Accrual.PER_PERIOD,
                      schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> Decimal:
    """Accrued and unpaid dividends in dollars (§2), rounded to the cent once, half up.

    Formula: round(shares × 1,000 × 5% × :func:`accrual_years` − dividends_paid, 2). Paying
    more than the accrual rounded to the cent is an error.

    9,100 shares for one quarter in 30/360 accrue 9,100 × 1,000 × 5% × 90/360 = $113,750:

    >>> accrued_dividends(Fraction(9100), date(2005, 1, 10), date(2005, 4, 10))
    Decimal('113750.00')
    >>> accrued_dividends(Fraction(9100), date(2005, 1, 10), date(2005, 4, 10), Fraction(113750))
    Decimal('0.00')
    """
    gross = gross_accrual(shares, closing_date, as_of_date, basis, accrual, schedule)
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


def period_boundary(closing_date: date, index: int,
                    schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> date:
    """The ``index``-th boundary of the dividend periods: boundary 0 is the start of the first
    period (the Closing Date, or for "quarter ends" the quarter end before the first payment
    date), boundary k ≥ 1 the k-th payment date.

    >>> period_boundary(date(2005, 1, 10), 0, PaymentSchedule.QUARTER_ENDS)
    datetime.date(2004, 12, 31)
    >>> period_boundary(date(2005, 1, 31), 2)
    datetime.date(2005, 7, 31)
    """
    if schedule is PaymentSchedule.FROM_CLOSING:
        return add_months(closing_date, 3 * index)
    first_end = quarter_end_on_or_after(closing_date)
    if first_end == closing_date:
        first_end = quarter_end_on_or_after(add_months(closing_date, 1))
    nominal_start = month_end(add_months(first_end, -3))
    return month_end(add_months(nominal_start, 3 * index))


def period_days(start: date, end: date, basis: Basis) -> Fraction:
    """dc(start, end): 30/360 days by YEARFRAC's rules for bases 0 and 4, else actual days."""
    if basis in (Basis.US_30_360, Basis.EUROPEAN_30_360):
        return yearfrac(start, end, basis) * 360
    return Fraction((end - start).days)


def periods_done(closing_date: date, as_of_date: date,
                 schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> int:
    """The dividend periods that have ended by ``as_of_date`` (payment dates on or before it).

    >>> periods_done(date(2005, 1, 10), date(2007, 6, 30))
    9
    """
    # Boundary k lies in the month of boundary 0 plus 3k, so all boundaries up to the estimate
    # (three months short of the as-of month) have passed: a step or two settles the count,
    # whatever the span (9999-12-31 costs what next year costs).
    start = period_boundary(closing_date, 0, schedule)
    months = (as_of_date.year - start.year) * 12 + as_of_date.month - start.month
    done = max(0, months // 3 - 1)
    while period_boundary(closing_date, done + 1, schedule) <= as_of_date:
        done += 1
    return done


def periods_accrued(closing_date: date, as_of_date: date, basis: Basis = Basis.US_30_360,
                    schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> Fraction:
    """Dividend periods accrued from the Closing Date to ``as_of_date`` under the "per period"
    reading, exactly: the full periods plus the fraction of the running one, Q × this being
    the accrual.

    A 28 February 2005 closing, as of 27 May 2005 (basis 0): the period runs to 28 May; 87 of
    its 88 days (YEARFRAC rules: 28 February counts as the 30th) have passed:

    >>> periods_accrued(date(2005, 2, 28), date(2005, 5, 27))
    Fraction(87, 88)
    >>> periods_accrued(date(2007, 2, 28), date(2008, 2, 28))  # four full quarters
    Fraction(4, 1)
    """
    checks.on_or_after(as_of_date, "as_of_date", closing_date, "closing_date")
    done = periods_done(closing_date, as_of_date, schedule)
    start = period_boundary(closing_date, done, schedule)
    end = period_boundary(closing_date, done + 1, schedule)
    first_start, first_end = period_boundary(closing_date, 0, schedule), period_boundary(
        closing_date, 1, schedule)
    if done == 0:  # the first period, which may be short: from the Closing Date
        return period_days(closing_date, as_of_date, basis) / period_days(
            first_start, first_end, basis)
    first = period_days(closing_date, first_end, basis) / period_days(
        first_start, first_end, basis)
    return first + (done - 1) + period_days(start, as_of_date, basis) / period_days(
        start, end, basis)


def accrual_years(closing_date: date, as_of_date: date, basis: Basis = Basis.US_30_360,
                  accrual: Accrual = Accrual.PER_PERIOD,
                  schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> Fraction:
    """The years of dividend the period earns, exactly: YEARFRAC(closing, date, basis) "from
    closing", or the periods accrued ÷ 4 "per period".

    >>> accrual_years(date(2007, 2, 28), date(2008, 2, 28))
    Fraction(1, 1)
    >>> accrual_years(date(2007, 2, 28), date(2008, 2, 28), accrual=Accrual.FROM_CLOSING)
    Fraction(179, 180)
    """
    checks.on_or_after(as_of_date, "as_of_date", closing_date, "closing_date")
    try:
        years = _accrual_years(closing_date, as_of_date, basis, accrual, schedule)
    except OverflowError:  # the running period's end is past the last date a cell holds
        raise errors.out_of_range(
            "as_of_date", as_of_date,
            f"on or before {_last_accruing_day(closing_date, schedule).isoformat()}: the "
            "dividend period running on it ends after 9999-12-31, the last date a "
            "spreadsheet holds") from None
    if not active():
        return years
    if accrual is Accrual.FROM_CLOSING:
        note(f"from closing: from the Closing Date {closing_date.isoformat()} (included) "
             f"to {as_of_date.isoformat()} (excluded): days counted {basis.label}",
             day_count(closing_date, as_of_date, basis), "§2")
        return note(f"year fraction, Excel's YEARFRAC basis {int(basis)}", years, "§2")
    done = periods_done(closing_date, as_of_date, schedule)
    start = closing_date if done == 0 else period_boundary(closing_date, done, schedule)
    end = period_boundary(closing_date, done + 1, schedule)
    first_start = period_boundary(closing_date, 0, schedule)
    if done and first_start != closing_date:  # "quarter ends": a short first period
        first_end = period_boundary(closing_date, 1, schedule)
        note(f"first period {first_start.isoformat()} to {first_end.isoformat()}, accruing "
             f"from the Closing Date {closing_date.isoformat()}: days ({basis.label})",
             period_days(closing_date, first_end, basis), "§2")
        note("of the first period's days", period_days(first_start, first_end, basis), "§2")
        note("per period: full dividend periods after the first, each a quarter of the "
             "annual dividend", done - 1, "§2")
    else:
        note("per period: full dividend periods since the Closing Date, each a quarter of "
             "the annual dividend", done, "§2")
    note(f"running period {start.isoformat()} to {end.isoformat()}: days passed to "
         f"{as_of_date.isoformat()} ({basis.label})", period_days(start, as_of_date, basis),
         "§2")
    note("of the period's days", period_days(period_boundary(closing_date, done, schedule),
                                             end, basis), "§2")
    note("periods accrued, exactly", years * terms.DIVIDEND_PAYMENTS_PER_YEAR, "§2")
    return note("years of dividend: periods ÷ 4", years, "§2")


def _last_accruing_day(closing_date: date, schedule: PaymentSchedule) -> date:
    """The last day whose dividend period ends on or before 9999-12-31 (the day before
    the last period boundary a date can hold)."""
    index = periods_done(closing_date, date(9999, 9, 30), schedule)
    while True:
        try:
            period_boundary(closing_date, index + 1, schedule)
        except OverflowError:
            return period_boundary(closing_date, index, schedule) - timedelta(days=1)
        index += 1


@lru_cache(maxsize=1024)
def _accrual_years(closing_date: date, as_of_date: date, basis: Basis, accrual: Accrual,
                   schedule: PaymentSchedule) -> Fraction:
    """:func:`accrual_years` without the explanation, remembered: a cap table asks for it
    once per holder with the same dates (a pure function of immutable arguments, so the
    remembered figure is the figure)."""
    if accrual is Accrual.FROM_CLOSING:
        return yearfrac(closing_date, as_of_date, basis)
    return periods_accrued(closing_date, as_of_date, basis,
                           schedule) / terms.DIVIDEND_PAYMENTS_PER_YEAR


def gross_accrual(shares: Fraction, closing_date: date, as_of_date: date,
                  basis: Basis = Basis.US_30_360, accrual: Accrual = Accrual.PER_PERIOD,
                  schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> Fraction:
    """Exact dividends accrued on ``shares`` from the Closing Date to ``as_of_date``, before
    payments and before rounding: shares × $1,000 × 5% × :func:`accrual_years`.

    >>> gross_accrual(Fraction(1000), date(2005, 1, 10), date(2006, 1, 10))
    Fraction(50000, 1)
    """
    checks.series_m_shares(shares)
    annual = note("annual dividend: shares × $1,000 × 5%", shares * ANNUAL_DIVIDEND_PER_SHARE,
                  "§2")
    years = accrual_years(closing_date, as_of_date, basis, accrual, schedule)
    return note("accrued before payments: annual dividend × years", annual * years, "§2")


def accruals_per_share(closing_date: date, days: Iterable[date],
                       basis: Basis = Basis.US_30_360,
                       schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING,
                       ) -> dict[date, Fraction]:
    """``gross_accrual(1, closing_date, day, basis, PER_PERIOD, schedule)`` for each of
    ``days``, what a dividend period shares computed once for all its days: a ledger reads
    one share's accrual at thousands of days. A day in the period from payment date ``k``
    (boundary ``b_k``; ``b_0`` the Closing Date, or for "quarter ends" the quarter end
    before the first payment date) has accrued the first period's part, ``dc(closing,
    b_1) / dc(b_0, b_1)`` (all of it from the Closing Date), ``k − 1`` full periods, and
    ``dc(b_k, day) / dc(b_k, b_k+1)`` of the next (:func:`periods_accrued`), each period a
    quarter of the annual dividend.

    >>> accruals_per_share(date(2005, 1, 10), [date(2005, 4, 10), date(2005, 5, 10)])
    {datetime.date(2005, 4, 10): Fraction(25, 2), datetime.date(2005, 5, 10): Fraction(50, 3)}
    """
    quarter = ANNUAL_DIVIDEND_PER_SHARE / terms.DIVIDEND_PAYMENTS_PER_YEAR
    found: dict[date, Fraction] = {}
    first_start = period_boundary(closing_date, 0, schedule)
    first_end = period_boundary(closing_date, 1, schedule)
    first_days = period_days(first_start, first_end, basis)
    first = period_days(closing_date, first_end, basis) / first_days
    start, end = closing_date, first_end
    head, per_day = Fraction(0), quarter / first_days
    for day in sorted(set(days)):
        if day < closing_date:  # refused by the core, with its message
            found[day] = gross_accrual(Fraction(1), closing_date, day, basis)
            continue
        if day >= end:
            done = periods_done(closing_date, day, schedule)
            start, end = (period_boundary(closing_date, done, schedule),
                          period_boundary(closing_date, done + 1, schedule))
            head = quarter * (first + done - 1)
            per_day = quarter / period_days(start, end, basis)
        found[day] = head + per_day * period_days(start, day, basis)
    return found


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
                      accrual: Accrual = Accrual.PER_PERIOD) -> list[ScheduleRow]:
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
        accrued_to_date = round_cents(gross_accrual(shares, closing_date, due_date, basis,
                                                    accrual, schedule))
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
