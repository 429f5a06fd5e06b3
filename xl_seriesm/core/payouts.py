"""The §3 waterfall by holder: what each Series M holder receives at one exit value.

Each holder chooses for itself whether to convert (§5), given what the others do. A holder
that keeps its shares takes its Liquidation Value L = shares × $1,000 + accrued dividends
(§3(a)), paid first; a converting holder's accrued dividends fall due in cash on conversion
(§2, unless ``dividends_on_conversion`` forfeits them) and rank with the preferences; what
is left is shared by the common and the converted shares, p a common share. Converting pays
a holder more exactly when p exceeds its threshold t = (L − dividends it keeps) ÷ (shares ×
conversion number). Holders with different arrears per share have different thresholds when
dividends are forfeited, and then decide differently.

The holders that convert are found in order of their thresholds: a holder converts while its
threshold is below the price p of the holders already converting. Adding a holder with
threshold t moves p to a weighted average of p and t, so a holder that gains by converting
still gains once it has, and one that does not gain does not gain afterwards either: the
result is a set in which no holder would change its choice. If the proceeds fall short of
the preferences, nobody converts and the proceeds are shared pro rata to the holders' full
preferential amounts (§3(b)).

Rounding: the class total is rounded once, to the cent, half up, never past the proceeds
rounded down to the cent; the cents are then apportioned to the holders by their exact
payouts (whole cents, largest remainders, the earlier row on a tie), so that the holders add
up exactly to the class total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.allocation import apportion
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.numbers import floor_cents, round_cents


class Payouts(NamedTuple):
    """One exit value's payouts by holder."""

    #: Dollars to each holder, in whole cents, in the holders' order.
    amounts: list[Decimal]
    #: Whether each holder converts.
    converts: list[bool]
    #: The exact payouts before the cents are apportioned.
    exact: list[Fraction]
    #: The Series M class total (the sum of ``amounts``).
    class_total: Decimal


def payouts(proceeds: Fraction, holder_shares: Sequence[Fraction],
            holder_accrued: Sequence[Fraction], common_shares: Fraction,
            conversion_number: Fraction = terms.CONVERSION_NUMBER, convertible: bool = True,
            dividends_on_conversion: bool = True) -> Payouts:
    """§3 by holder: each Series M holder's payout from ``proceeds``.

    Two holders of 100 shares with arrears of $0 and $10,000, 600,000 common, $370,000, with
    dividends forfeited on conversion: the first converts (4/10 of the $260,000 left after
    the second's $110,000 is $104,000, more than its $100,000), the second keeps its $110,000
    (converting too would give it 4/14 of $370,000, $105,714.29):

    >>> result = payouts(Fraction(370_000), [Fraction(100)] * 2, [Fraction(0), Fraction(10_000)],
    ...                  Fraction(600_000), dividends_on_conversion=False)
    >>> [str(a) for a in result.amounts], result.converts
    (['104000.00', '110000.00'], [True, False])
    """
    checks.non_negative(proceeds, "proceeds")
    checks.positive(common_shares, "common_shares")
    checks.positive(conversion_number, "conversion_number")
    if len(holder_shares) != len(holder_accrued):
        raise errors.unequal_lengths({"holder_shares": len(holder_shares),
                                      "holder_accrued": len(holder_accrued)})
    for shares in holder_shares:
        checks.series_m_shares(shares, "holder_shares")
    for accrued in holder_accrued:
        checks.non_negative(accrued, "holder_accrued")
    total_shares = sum(holder_shares, Fraction(0))
    if total_shares > terms.SHARES_DESIGNATED:
        raise errors.over_designated("holder_shares", total_shares)
    preference = [s * terms.STATED_VALUE + a
                  for s, a in zip(holder_shares, holder_accrued, strict=True)]
    kept = [a if dividends_on_conversion else Fraction(0) for a in holder_accrued]
    claims = sum(preference, Fraction(0))
    converts = [False] * len(holder_shares)
    # The price of a common share while the holders in ``converts`` convert: what is left
    # after the preferences and the converters' dividends, over the common and their shares.
    left, common = proceeds - claims, common_shares
    if convertible and left > 0:
        threshold = {i: (preference[i] - kept[i]) / (s * conversion_number)
                     for i, s in enumerate(holder_shares) if s > 0}
        for i in sorted(threshold, key=threshold.__getitem__):
            if not threshold[i] < left / common:
                break
            converts[i] = True
            left += preference[i] - kept[i]
            common += holder_shares[i] * conversion_number
    if proceeds < claims:  # §3(b): short of the preferences, shared pro rata to them
        exact = [proceeds * p / claims for p in preference]
    else:
        price = left / common
        exact = [kept[i] + holder_shares[i] * conversion_number * price if converts[i]
                 else preference[i] for i in range(len(preference))]
    if active():
        note("exit value: the proceeds", proceeds, "§3")
        note("full preferential amounts: shares × $1,000 + accrued, all holders", claims,
             "§3(a)")
        if proceeds < claims:
            note("short of the preferences: shared pro rata to them", True, "§3(b)")
        for number, (converting, owed) in enumerate(zip(converts, exact, strict=True),
                                                    start=1):
            note(f"holder {number}: " + ("converts (pays it more)" if converting
                                         else "keeps its preference"), owed, "§3, §5")
    class_total = note("Series M class total, rounded to the cent, never past the proceeds",
                       min(round_cents(sum(exact, Fraction(0))), floor_cents(proceeds)), "§3")
    cents = apportion(int(class_total * 100), [x * 100 for x in exact])
    amounts = [Decimal(c).scaleb(-2) for c in cents]
    if active():
        for number, amount in enumerate(amounts, start=1):
            note(f"holder {number}: payout in cents adding up to the class total", amount,
                 "§3")
    return Payouts(amounts, converts, exact, class_total)
