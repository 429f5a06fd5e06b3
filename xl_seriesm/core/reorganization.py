"""§5(d) Reorganizations: which transactions are one, and what a Series M share receives.

§5(d) names four kinds of "Reorganization": a capital reorganization of the Common Stock
(other than a subdivision, combination, reclassification or exchange of shares, which §5(c)
covers), a merger or consolidation of the Company with or into another corporation, the sale
of all or substantially all of its properties and assets, and any transaction or series of
related transactions in which more than 50% of the outstanding voting securities (on an as
converted basis) is sold or assigned. Provision must then be made so that a Series M share
converts into what the common it would have converted into immediately before receives:
its conversion number × the consideration per common share.

Rounding: none. The consideration may be stock, securities or property, so it is given per
common share in whatever unit the deal uses and the result is exact.
"""

from __future__ import annotations

from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.explain import note
from xl_seriesm.core.liquidation import percent
from xl_seriesm.core.numbers import snap_shares


class Event(Enum):
    """The kinds of transaction §5(d) (and §5(c), which it excludes) speaks of."""

    CAPITAL_REORGANIZATION = "capital reorganization"
    MERGER = "merger"
    CONSOLIDATION = "consolidation"
    ASSET_SALE = "asset sale"
    SHARE_SALE = "share sale"
    #: §5(c) events: a subdivision (split), combination, reclassification or exchange.
    RECLASSIFICATION = "reclassification"


_EVENT_ALIASES = {
    "capitalreorganization": Event.CAPITAL_REORGANIZATION,
    "capitalreorganisation": Event.CAPITAL_REORGANIZATION,
    "reorganization": Event.CAPITAL_REORGANIZATION, "reorganisation": Event.CAPITAL_REORGANIZATION,
    "recapitalization": Event.CAPITAL_REORGANIZATION,
    "merger": Event.MERGER, "consolidation": Event.CONSOLIDATION,
    "assetsale": Event.ASSET_SALE, "saleofassets": Event.ASSET_SALE, "assets": Event.ASSET_SALE,
    "sharesale": Event.SHARE_SALE, "saleofshares": Event.SHARE_SALE,
    "stocksale": Event.SHARE_SALE, "changeofcontrol": Event.SHARE_SALE,
    "reclassification": Event.RECLASSIFICATION, "split": Event.RECLASSIFICATION,
    "stocksplit": Event.RECLASSIFICATION, "combination": Event.RECLASSIFICATION,
    "subdivision": Event.RECLASSIFICATION, "exchange": Event.RECLASSIFICATION,
    "stockdividend": Event.RECLASSIFICATION,
}


def parse_event(value: object, arg: str = "event") -> Event:
    """A §5(c)/(d) event from the words a user types.

    >>> parse_event("Merger"), parse_event("share sale"), parse_event("split")
    (<Event.MERGER: 'merger'>, <Event.SHARE_SALE: 'share sale'>, \
<Event.RECLASSIFICATION: 'reclassification'>)
    """
    return checks.choice(value, Event, _EVENT_ALIASES, arg)


#: §5(d): more than this fraction of the voting securities (as converted) sold or assigned.
VOTING_SECURITIES_SOLD = Fraction(1, 2)


class Verdict(NamedTuple):
    """Whether a transaction is a §5(d) Reorganization, and why, in words a reader checks."""

    is_reorganization: bool
    reason: str


def reorganization(event: Event, voting_securities_sold: Fraction | None = None,
                   substantially_all: bool = True) -> Verdict:
    """§5(d): whether ``event`` is a Reorganization.

    A capital reorganization, a merger or a consolidation always is; a sale of assets when
    it is of all or substantially all of them (``substantially_all``); a sale or assignment
    of voting securities when more than 50% of them, counted as converted
    (``voting_securities_sold``, a fraction), is sold. A split, combination,
    reclassification or exchange of shares is not: §5(c) adjusts the conversion number
    instead (SERIESM_SPLIT).

    >>> reorganization(Event.SHARE_SALE, Fraction(1, 2)).is_reorganization
    False
    >>> reorganization(Event.SHARE_SALE, Fraction(51, 100)).reason
    'yes: 51% of the voting securities (as converted) sold or assigned, more than 50% (§5(d))'
    """
    note("the transaction", event.value, "§5(d)")
    if event is Event.RECLASSIFICATION:
        return _verdict(False, "no: a subdivision, combination, reclassification or exchange of "
                       "shares is covered by §5(c), not §5(d); see SERIESM_SPLIT")
    if event is Event.SHARE_SALE:
        if voting_securities_sold is None:
            raise errors.required("voting_securities_sold")
        if not 0 <= voting_securities_sold <= 1:
            raise errors.out_of_range("voting_securities_sold", voting_securities_sold,
                                      "a fraction from 0 to 1 (e.g. 0.51 or 51%)")
        shown = percent(voting_securities_sold)
        if voting_securities_sold > VOTING_SECURITIES_SOLD:
            return _verdict(True, f"yes: {shown} of the voting securities (as converted) sold "
                           "or assigned, more than 50% (§5(d))")
        return _verdict(False, f"no: {shown} of the voting securities (as converted) sold or "
                       "assigned; more than 50% is needed (§5(d))")
    if event is Event.ASSET_SALE:
        if not substantially_all:
            return _verdict(False, "no: not all or substantially all of the properties and "
                           "assets (§5(d))")
        return _verdict(True, "yes: a sale of all or substantially all of the properties and "
                       "assets (§5(d))")
    return _verdict(True, f"yes: a {event.value} is a Reorganization (§5(d))")


def _verdict(is_reorganization: bool, reason: str) -> Verdict:
    note("reason", reason, "§5(d)")
    return Verdict(note("a Reorganization", is_reorganization, "§5(d)"), reason)


def consideration_on_conversion(shares: Fraction, consideration_per_common: Fraction,
                                conversion_number: Fraction = terms.CONVERSION_NUMBER,
                                ) -> Fraction:
    """§5(d): what ``shares`` of Series M receive on conversion after a Reorganization: what
    the common they would have converted into immediately before receives, shares ×
    conversion number × the consideration per common share (exact; a share count within a
    millionth of a whole share snapped to it).

    100 Series M shares at 4,000, in a merger paying $0.30 a common share: 400,000 × 0.30:

    >>> consideration_on_conversion(Fraction(100), Fraction(3, 10))
    Fraction(120000, 1)
    """
    checks.series_m_shares(shares)
    checks.positive(conversion_number, "conversion_number")
    checks.non_negative(consideration_per_common, "consideration_per_common")
    common = note("common the shares would have converted into: shares × conversion number",
                  snap_shares(shares * conversion_number), "§5(d), §5(b)")
    note("consideration per common share", consideration_per_common, "§5(d)")
    return note("received: that common × the consideration per share",
                common * consideration_per_common, "§5(d)")
