"""Deadlines counted in bank business days or calendar days: §3(c), §5(f), §10.

"Days" in §3(c) and §6(a) are calendar days; "business days" in §5(f) and §10 are days banks
in Palm Beach County are open (:mod:`xl_seriesm.core.calendar`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.core.explain import note


def conversion_date(notice_received: date | datetime, calendar: BankCalendar) -> date:
    """§5(f): the Conversion Date of a Notice of Conversion telecopied at
    ``notice_received``: that day if banks are open and it arrived by 17:00, else the next
    business day.

    >>> conversion_date(datetime(2021, 12, 23, 17, 30), BankCalendar())  # Thu, after hours
    datetime.date(2021, 12, 24)
    """
    return calendar.receipt_day(notice_received, "notice_received")


class DeadlineCount(Enum):
    """Where §5(f)'s "ten (10) business days after the receipt" starts counting."""

    #: Default: the business days that follow the day of receipt, whatever the hour and
    #: whether banks were open that day ("after the receipt" ties nothing to business hours).
    RECEIPT_DAY = "receipt day"
    #: The receipt first moves to the business day it would count on (after 17:00 or on a
    #: closed day, the next one), and the ten business days follow that day.
    NEXT_BUSINESS_DAY = "next business day"


_COUNT_ALIASES = {
    "receiptday": DeadlineCount.RECEIPT_DAY, "receipt": DeadlineCount.RECEIPT_DAY,
    "afterreceipt": DeadlineCount.RECEIPT_DAY, "0": DeadlineCount.RECEIPT_DAY,
    "nextbusinessday": DeadlineCount.NEXT_BUSINESS_DAY,
    "businessday": DeadlineCount.NEXT_BUSINESS_DAY, "1": DeadlineCount.NEXT_BUSINESS_DAY,
}


def parse_deadline_count(value: object, arg: str = "count_from") -> DeadlineCount:
    """A §5(f) counting reading from the words a user types.

    >>> parse_deadline_count("Receipt day"), parse_deadline_count("next business day")
    (<DeadlineCount.RECEIPT_DAY: 'receipt day'>, <DeadlineCount.NEXT_BUSINESS_DAY: \
'next business day'>)
    """
    return checks.choice(value, DeadlineCount, _COUNT_ALIASES, arg)


def delivery_deadline(received: date | datetime, calendar: BankCalendar,
                      business_days: int = terms.DELIVERY_BUSINESS_DAYS,
                      count_from: DeadlineCount = DeadlineCount.RECEIPT_DAY) -> date:
    """§5(f): the last day for delivering the common: ten business days after the Company
    receives the original certificate. By default the business days that follow the day of
    receipt are counted, whatever the hour (``count_from`` = next business day: counted
    from the business day the receipt counts on).

    Received Saturday 18 June 2022: Monday 20th is closed (Juneteenth observed), then
    21, 22, 23, 24, 27, 28, 29, 30 June, 1 July, (4 July closed), 5 July:

    >>> delivery_deadline(date(2022, 6, 18), BankCalendar())
    datetime.date(2022, 7, 5)
    >>> delivery_deadline(date(2022, 6, 18), BankCalendar(),
    ...                   count_from=DeadlineCount.NEXT_BUSINESS_DAY)
    datetime.date(2022, 7, 6)
    """
    if business_days < 0:
        raise errors.negative("business_days", business_days)
    if count_from is DeadlineCount.RECEIPT_DAY:
        start = _day(received)
        calendar.check_year(start, "received")
    else:
        start = calendar.receipt_day(received)
    return calendar.workday(start, business_days, "business_days")


def may_revoke(received: date | datetime, as_of_date: date, calendar: BankCalendar,
               delivered: date | None = None,
               business_days: int = terms.DELIVERY_BUSINESS_DAYS,
               count_from: DeadlineCount = DeadlineCount.RECEIPT_DAY) -> bool:
    """§5(f): whether, on ``as_of_date``, the holder may revoke its Notice of Conversion
    because the common was not delivered within the delivery period.

    Reading: the right arises the day after the deadline passes without delivery and lasts
    until the common is delivered (``delivered`` on or before ``as_of_date``); a delivery on
    the deadline itself is on time.

    >>> may_revoke(date(2021, 12, 20), date(2022, 1, 4), BankCalendar())
    True
    >>> may_revoke(date(2021, 12, 20), date(2022, 1, 4), BankCalendar(), date(2022, 1, 3))
    False
    """
    deadline = delivery_deadline(received, calendar, business_days, count_from)
    checks.on_or_after(as_of_date, "as_of_date", _day(received), "received")
    note("the day the holder would revoke", as_of_date, "§5(f)")
    if delivered is not None:
        checks.on_or_after(delivered, "delivered", _day(received), "received")
        if delivered <= as_of_date:
            return note(f"common delivered on {delivered.isoformat()}, by then: no right to "
                        "revoke", False, "§5(f)")
    return note("may revoke: the deadline has passed and nothing is delivered",
                as_of_date > deadline, "§5(f)")


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def deemed_liquidation_notice_by(vote_date: date | None, transaction_closing: date) -> date:
    """§3(c): the last day for the Company's notice of a transaction treated as a
    liquidation: at least 20 days before the earlier of the vote and the closing. With no
    vote (``vote_date`` None: the transaction is approved by written consent), 20 days
    before the closing.

    >>> deemed_liquidation_notice_by(date(2007, 6, 30), date(2007, 7, 15))
    datetime.date(2007, 6, 10)
    >>> deemed_liquidation_notice_by(None, date(2007, 7, 15))
    datetime.date(2007, 6, 25)
    """
    earlier = note("the earlier of the vote and the closing (the closing alone when no vote)",
                   transaction_closing if vote_date is None
                   else min(vote_date, transaction_closing), "§3(c)")
    return note("less 20 days", earlier - timedelta(days=terms.DEEMED_LIQUIDATION_NOTICE_DAYS),
                "§3(c)")


def election_by(effective_date: date) -> date:
    """§3(c): the last day for the holders' written election to treat a transaction as a
    liquidation: at least three days before its effective date.

    >>> election_by(date(2007, 7, 15))
    datetime.date(2007, 7, 12)
    """
    note("effective date of the transaction", effective_date, "§3(c)")
    return note("less 3 days", effective_date - timedelta(
        days=terms.DEEMED_LIQUIDATION_ELECTION_DAYS), "§3(c)")


def record_notice_by(action_date: date, calendar: BankCalendar) -> date:
    """§10: the last day to mail notice of a record date, reorganisation or liquidation:
    at least ten business days before the date the action is to be taken.

    >>> record_notice_by(date(2022, 1, 7), BankCalendar())  # 31 and 24 Dec 2021 are open
    datetime.date(2021, 12, 24)
    """
    return calendar.workday(action_date, -terms.RECORD_DATE_NOTICE_BUSINESS_DAYS, "action_date",
                            action_date)
