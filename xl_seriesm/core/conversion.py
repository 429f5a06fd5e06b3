"""§5 conversion, §4 votes and the adjustments of the conversion number.

The conversion number is the count of common shares one Series M share converts into: 4,000
at issue (§5(b)), changed by splits and combinations (§5(c)) and by issuances of common below
$0.25 (§5(e)). It is an exact ``Fraction`` throughout: 4,000 × 120/112 is 30,000/7, and any
rounding there would turn a whole number of issuable shares into a hair less, which floors to
one share fewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.dates import anniversary
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.numbers import round_cents, snap_shares, split_whole


class LeapAnniversary(Enum):
    """The anniversary of a 29 February Closing Date in a year without one; the text is
    silent."""

    #: Default: 28 February, Excel's EDATE (the anniversary stays in February).
    FEB_28 = "28 February"
    #: 1 March: a full year must have passed (the day after 28 February).
    MAR_1 = "1 March"


_LEAP_ALIASES = {
    "28february": LeapAnniversary.FEB_28, "feb28": LeapAnniversary.FEB_28,
    "28feb": LeapAnniversary.FEB_28, "february28": LeapAnniversary.FEB_28,
    "edate": LeapAnniversary.FEB_28, "0": LeapAnniversary.FEB_28,
    "1march": LeapAnniversary.MAR_1, "mar1": LeapAnniversary.MAR_1,
    "1mar": LeapAnniversary.MAR_1, "march1": LeapAnniversary.MAR_1,
    "1": LeapAnniversary.MAR_1,
}


def parse_leap_anniversary(value: object, arg: str = "leap_anniversary") -> LeapAnniversary:
    """A 29 February reading from the words a user types.

    >>> parse_leap_anniversary("1 March"), parse_leap_anniversary("28 Feb")
    (<LeapAnniversary.MAR_1: '1 March'>, <LeapAnniversary.FEB_28: '28 February'>)
    """
    return checks.choice(value, LeapAnniversary, _LEAP_ALIASES, arg)


def conversion_opens(closing_date: date,
                     leap_anniversary: LeapAnniversary = LeapAnniversary.FEB_28) -> date:
    """§5(a): the first day a holder may convert, the Closing Date's first anniversary; for a
    29 February Closing Date, 28 February (default, EDATE) or 1 March.

    >>> conversion_opens(date(2005, 1, 10))
    datetime.date(2006, 1, 10)
    >>> conversion_opens(date(2008, 2, 29)), conversion_opens(date(2008, 2, 29),
    ...                                                       LeapAnniversary.MAR_1)
    (datetime.date(2009, 2, 28), datetime.date(2009, 3, 1))
    """
    note("Closing Date: the Series M first issued", closing_date, "§1")
    opens = anniversary(closing_date, terms.CONVERSION_WAIT_YEARS)
    if (leap_anniversary is LeapAnniversary.MAR_1 and closing_date.month == 2
            and closing_date.day == 29 and opens.day == 28):
        opens += timedelta(days=1)
    return note("conversion opens: the Closing Date's first anniversary", opens, "§5(a)")


def _conversion_number(value: Fraction, arg: str = "conversion_number") -> Fraction:
    return checks.positive(value, arg)


def common_on_conversion(shares: Fraction, closing_date: date, conversion_date: date,
                         conversion_number: Fraction = terms.CONVERSION_NUMBER,
                         holding: Fraction | None = None,
                         leap_anniversary: LeapAnniversary = LeapAnniversary.FEB_28,
                         ) -> Fraction:
    """§5(a), (b): common shares issuable when ``shares`` of Series M are converted.

    Formula: shares × conversion_number, exact (it may carry a fraction, §5(h)), a result
    within a millionth of a whole share snapped to it.

    Conversion opens on the Closing Date's first anniversary (that day included) and goes in
    multiples of 100 Series M shares; a holder converting its whole holding (``holding``)
    may convert a number that is not a multiple of 100 ("in whole or in part").

    >>> common_on_conversion(Fraction(500), date(2005, 1, 10), date(2006, 1, 10))
    Fraction(2000000, 1)
    >>> common_on_conversion(Fraction(150), date(2005, 1, 10), date(2006, 1, 10),
    ...                      holding=Fraction(150))
    Fraction(600000, 1)
    """
    checks.series_m_shares(shares)  # 0 converts into 0 (a holder of common only, in a range)
    _conversion_number(conversion_number)
    opens = conversion_opens(closing_date, leap_anniversary)
    if conversion_date < opens:
        raise errors.no_conversion_right("conversion_date", conversion_date, opens)
    # Counts compared as whole shares when within a millionth of one (read back from cells).
    shares = snap_shares(shares)
    note("conversion date, on or after it", conversion_date, "§5(a)")
    if holding is not None:
        checks.series_m_shares(holding, "holding")
        holding = snap_shares(holding)
        if shares > holding:
            raise errors.more_than("shares", shares, "holding", holding)
    whole_holding = holding is not None and shares == holding
    if shares % terms.CONVERSION_LOT != 0 and not whole_holding:
        raise errors.not_a_lot("shares", shares, "holding")
    if active():
        note("Series M shares converted: a multiple of 100" if shares % terms.CONVERSION_LOT == 0
             else "Series M shares converted: the whole holding (\"in whole\")", shares, "§5(a)")
        note("conversion number", conversion_number, "§5(b), §5(e)")
    return note("common issuable: shares × conversion number", snap_shares(
        shares * conversion_number), "§5(b), §5(h)")


def cash_in_lieu(shares: Fraction, conversion_number: Fraction, market_price: Fraction) -> Decimal:
    """§5(h): cash paid instead of the fraction of a common share, rounded to the cent.

    The fraction is counted once on everything converted at one time (``shares`` is the whole
    batch), never share by share: cash = (shares × conversion_number − whole shares) ×
    market_price, rounded half up to the cent.

    7 Series M shares at 30,000/7 convert into exactly 30,000 common: no fraction, no cash.
    1 share converts into 4,285 5/7 common; at $0.14 a share the cash is 5/7 × 0.14 = $0.10:

    >>> cash_in_lieu(Fraction(7), Fraction(30000, 7), Fraction(14, 100))
    Decimal('0.00')
    >>> cash_in_lieu(Fraction(1), Fraction(30000, 7), Fraction(14, 100))
    Decimal('0.10')
    """
    checks.series_m_shares(shares)
    _conversion_number(conversion_number)
    checks.non_negative(market_price, "market_price")
    whole, fraction = split_whole(note("common on conversion: shares × conversion number",
                                       shares * conversion_number, "§5(b)"))
    if active():
        note("whole common shares issued", whole, "§5(h)")
        note("fraction of a share, counted once on the batch", fraction, "§5(h)")
        note("market price of the common", market_price, "§5(h)")
    return note("cash in lieu: fraction × market price, rounded to the cent",
                round_cents(fraction * market_price), "§5(h)")


class VotesBeforeAnniversary(Enum):
    """§4 gives votes "equal to the largest number of shares of Common Stock into which
    such holder's shares ... could be converted ... at the record date". Before the first
    anniversary no share can be converted (§5(a)), so the text allows two readings."""

    #: Default. Votes as converted at the conversion number whatever the date: §4 first
    #: entitles every holder "to vote on all matters", which a count of zero would empty,
    #: and the vote-counting words are the usual as-converted formula.
    AS_CONVERTED = "as-converted"
    #: The literal reading: nothing could be converted at the record date, so no votes.
    NONE = "none"


_VOTES_ALIASES = {
    "asconverted": VotesBeforeAnniversary.AS_CONVERTED,
    "converted": VotesBeforeAnniversary.AS_CONVERTED,
    "none": VotesBeforeAnniversary.NONE, "zero": VotesBeforeAnniversary.NONE,
    "literal": VotesBeforeAnniversary.NONE,
}


def parse_votes_reading(value: object, arg: str = "before_anniversary") -> VotesBeforeAnniversary:
    return checks.choice(value, VotesBeforeAnniversary, _VOTES_ALIASES, arg)


def votes(shares: Fraction, closing_date: date, record_date: date,
          conversion_number: Fraction = terms.CONVERSION_NUMBER,
          before_anniversary: VotesBeforeAnniversary = VotesBeforeAnniversary.AS_CONVERTED,
          leap_anniversary: LeapAnniversary = LeapAnniversary.FEB_28) -> int:
    """§4: votes of a holder of ``shares`` at ``record_date``: the whole number of common
    shares its Series M could convert into (a fraction of a share carries no vote).

    Before the first anniversary: ``before_anniversary`` picks the reading (see
    :class:`VotesBeforeAnniversary`).

    >>> votes(Fraction(250), date(2005, 1, 10), date(2005, 6, 1))
    1000000
    >>> votes(Fraction(250), date(2005, 1, 10), date(2005, 6, 1),
    ...       before_anniversary=VotesBeforeAnniversary.NONE)
    0
    >>> votes(Fraction(1), date(2005, 1, 10), date(2006, 6, 1), Fraction(30000, 7))
    4285
    """
    checks.series_m_shares(shares)
    _conversion_number(conversion_number)
    checks.on_or_after(record_date, "record_date", closing_date, "closing_date")
    if (before_anniversary is VotesBeforeAnniversary.NONE
            and record_date < conversion_opens(closing_date, leap_anniversary)):
        return note("votes: none before the anniversary (the \"none\" reading)", 0, "§4, §5(a)")
    whole, _ = split_whole(note("common the shares could convert into: shares × conversion "
                                "number", shares * conversion_number, "§4, §5(b)"))
    return note("votes: the whole number of those common shares", whole, "§4")


#: The conversion number is exact while its denominator, in lowest terms, is at most 10^100;
#: past that it is carried rounded half up to 100 decimal places (see :func:`carried`).
CONVERSION_DECIMALS = 100
#: The setting's range: at 1,000 decimals the number's digits stay far inside what Python
#: prints (4,300 digits), whatever the history.
MAX_CONVERSION_DECIMALS = 1000


def carried(number: Fraction, decimals: int = CONVERSION_DECIMALS) -> Fraction:
    """The conversion number as the ledger carries it after an adjustment: exact while its
    denominator in lowest terms is at most 10^``decimals``, else rounded half up to
    ``decimals`` decimal places.

    Every §5(e) adjustment multiplies the number by (A + B) / (A + C), whose denominator is
    about as long as the common outstanding: exactly, after a few hundred issuances below
    $0.25 the fraction has thousands of digits, each adjustment costs more than the last
    and the figure can no longer be printed. The text says nothing of rounding the number;
    at 100 places the error is below 10^-100 per adjustment, 10^-92 of a common share per
    Series M share after a hundred million of them, far below the millionth of a share at
    which share counts snap. Ordinary ledgers (about ten such issuances or fewer) stay exact.

    >>> carried(Fraction(120000, 29))
    Fraction(120000, 29)
    >>> carried(Fraction(120000, 29), decimals=1)  # 4137.931...: 29 is more than 10^1
    Fraction(41379, 10)
    """
    if not 1 <= decimals <= MAX_CONVERSION_DECIMALS:
        raise errors.out_of_range("decimals", decimals,
                                  f"a whole number from 1 to {MAX_CONVERSION_DECIMALS:,}")
    scale = 10**decimals
    if number.denominator <= scale:
        return number
    top, bottom = number.numerator, number.denominator
    return Fraction((2 * top * scale + bottom) // (2 * bottom), scale)


def dilute(conversion_number: Fraction, common_outstanding: Fraction, new_shares: Fraction,
           consideration: Fraction, exempt: bool = False,
           threshold_price: Fraction = terms.DILUTION_PRICE,
           decimals: int = CONVERSION_DECIMALS) -> Fraction:
    """§5(e)(i): the conversion number after the Company issues or sells common.

    When the price per share (consideration ÷ new shares) is below ``threshold_price``
    ($0.25 in the text) and the issuance is not exempt (employee plan options; conversions of
    securities outstanding in December 2004), the number is multiplied by

        (A + B) / (A + C),   A = common outstanding just before, B = new shares,
                             C = consideration ÷ threshold_price,

    the same factor for every Series M share (§5(e)(iii)). Otherwise it is unchanged.

    1,000,000 common outstanding, 200,000 new shares sold for $40,000 ($0.20 each):
    C = 160,000 and 4,000 × 1,200,000 / 1,160,000 = 4,000 × 30/29:

    >>> dilute(Fraction(4000), Fraction(1_000_000), Fraction(200_000), Fraction(40_000))
    Fraction(120000, 29)
    """
    _conversion_number(conversion_number)
    checks.non_negative(common_outstanding, "common_outstanding")
    checks.positive(new_shares, "new_shares")
    checks.non_negative(consideration, "consideration")
    checks.positive(threshold_price, "threshold_price")
    if active():
        note("A: common outstanding just before", common_outstanding, "§5(e)(i)")
        note("B: additional shares issued or sold", new_shares, "§5(e)(i)")
        note("price per share: consideration ÷ B", consideration / new_shares, "§5(e)(i)")
    if exempt:
        return note("exempt issuance (employee plan, or securities outstanding in December "
                    "2004): conversion number unchanged", conversion_number, "§5(e)(i)")
    if consideration / new_shares >= threshold_price:
        return note(f"price not below ${float(threshold_price):g}: conversion number "
                    "unchanged", conversion_number, "§5(e)(i)")
    purchasable = note(f"C: consideration ÷ ${float(threshold_price):g}",
                       consideration / threshold_price, "§5(e)(i)")
    denominator = common_outstanding + purchasable
    if denominator == 0:
        raise errors.zero_denominator(
            "common_outstanding = 0 and consideration = 0: the §5(e)(i) fraction has no "
            "denominator; give the common outstanding before the issuance.")
    factor = note("factor (A + B) ÷ (A + C)", (common_outstanding + new_shares) / denominator,
                  "§5(e)(i)")
    note("conversion number before", conversion_number, "§5(e)(i)")
    return note("conversion number after: before × factor", carried(
        conversion_number * factor, decimals), "§5(e)(i), §5(e)(iii)")


class Issuance(NamedTuple):
    """One issuance or sale of common, a row of the §5(e) ledger."""

    common_outstanding: Fraction
    new_shares: Fraction
    consideration: Fraction
    exempt: bool = False


def dilution_ledger(conversion_number: Fraction, issuances: Iterable[Issuance],
                    threshold_price: Fraction = terms.DILUTION_PRICE,
                    decimals: int = CONVERSION_DECIMALS) -> list[Fraction]:
    """The running conversion number after each issuance, in date order (events compound).

    >>> dilution_ledger(Fraction(4000), [
    ...     Issuance(Fraction(1_000_000), Fraction(200_000), Fraction(40_000)),
    ...     Issuance(Fraction(1_200_000), Fraction(100_000), Fraction(50_000)),
    ... ])
    [Fraction(120000, 29), Fraction(120000, 29)]
    """
    running = conversion_number
    out = []
    for issuance in issuances:
        running = dilute(running, issuance.common_outstanding, issuance.new_shares,
                         issuance.consideration, issuance.exempt, threshold_price, decimals)
        out.append(running)
    return out


def split_adjust(conversion_number: Fraction, new_shares: Fraction, old_shares: Fraction,
                 decimals: int = CONVERSION_DECIMALS) -> Fraction:
    """§5(c): the conversion number after a split or combination of the common in which
    ``old_shares`` become ``new_shares`` (a 3-for-2 split is 3, 2; a 1-for-10 reverse split
    is 1, 10). The holder then converts into what it would have held had it converted
    just before the event.

    >>> split_adjust(Fraction(4000), Fraction(3), Fraction(2)), split_adjust(Fraction(4000), 1, 10)
    (Fraction(6000, 1), Fraction(400, 1))
    """
    _conversion_number(conversion_number)
    checks.positive(Fraction(new_shares), "new_shares")
    checks.positive(Fraction(old_shares), "old_shares")
    ratio = note("split ratio: new shares ÷ old shares", Fraction(new_shares) / Fraction(
        old_shares), "§5(c)")
    note("conversion number before", conversion_number, "§5(c)")
    return note("conversion number after: before × ratio",
                carried(conversion_number * ratio, decimals), "§5(c)")


class ThresholdAfterSplit(Enum):
    """The $0.25 of §5(e)(i) after a split or combination of the common (§5(c)); the text is
    silent."""

    #: Default: the figure stays what it is (the text's $0.25, or ``threshold_price``)
    #: whatever the splits.
    LITERAL = "literal"
    #: The figure is multiplied by old/new at each split, from the split's date on, both as
    #: the trigger and in C's divisor: $0.25 becomes $0.125 after a 2-for-1 split.
    SCALED = "scaled"


_THRESHOLD_ALIASES = {
    "literal": ThresholdAfterSplit.LITERAL, "fixed": ThresholdAfterSplit.LITERAL,
    "0": ThresholdAfterSplit.LITERAL,
    "scaled": ThresholdAfterSplit.SCALED, "splitadjusted": ThresholdAfterSplit.SCALED,
    "adjusted": ThresholdAfterSplit.SCALED, "1": ThresholdAfterSplit.SCALED,
}


def parse_threshold_after_split(value: object,
                                arg: str = "threshold_after_split") -> ThresholdAfterSplit:
    """The §5(e) threshold reading from the words a user types.

    >>> parse_threshold_after_split("Scaled"), parse_threshold_after_split(0)
    (<ThresholdAfterSplit.SCALED: 'scaled'>, <ThresholdAfterSplit.LITERAL: 'literal'>)
    """
    return checks.choice(value, ThresholdAfterSplit, _THRESHOLD_ALIASES, arg)
