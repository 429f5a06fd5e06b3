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

Within a stack of junior classes, options and warrants (``stack``, see
:mod:`xl_seriesm.core.stack`) each holder is one more part of the fixed point there: it
converts when the common's value per share p, found with every class's choice, exceeds its
threshold; the Series M class total is the stack's rounding of the Series M's cents, then
apportioned to the holders as below.

Speed: without a stack the decisions are made on integers (every share count and amount
over one common denominator, thresholds compared with p by cross-multiplication), after one
sort of the holders by a float key; the result is then checked exactly against every holder
(converting exactly when its threshold is below p), and only if a float key misordered two
nearly equal thresholds is the walk redone with exact keys. Cents are apportioned on the
same integers. n log n in all.

Rounding: the class total is rounded once, to the cent, half up, never past the proceeds
rounded down to the cent; the cents are then apportioned to the holders by their exact
payouts (whole cents, largest remainders, the earlier row on a tie), so that the holders add
up exactly to the class total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.allocation import apportion
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.stack import Holder, Stack, Structure, class_names
from xl_seriesm.core.stack_waterfall import explain_choices, explain_structure, rounded


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
            dividends_on_conversion: bool = True, stack: Stack = ()) -> Payouts:
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
    if stack:
        for shares in holder_shares:
            checks.series_m_shares(shares, "holder_shares")
        for accrued in holder_accrued:
            checks.non_negative(accrued, "holder_accrued")
        total_shares = sum(holder_shares, Fraction(0))
        if total_shares > terms.SHARES_DESIGNATED:
            raise errors.over_designated("holder_shares", total_shares)
        return _within_stack(proceeds, holder_shares, holder_accrued, common_shares,
                             conversion_number, convertible, dividends_on_conversion, stack)
    scale = math.lcm(*{x.denominator for x in (*holder_shares, *holder_accrued)})
    return payouts_scaled(proceeds, [x.numerator * (scale // x.denominator)
                                     for x in holder_shares],
                          [x.numerator * (scale // x.denominator) for x in holder_accrued],
                          scale, common_shares, conversion_number, convertible,
                          dividends_on_conversion)


def payouts_scaled(proceeds: Fraction, holder_shares: Sequence[int],
                   holder_accrued: Sequence[int], scale: int, common_shares: Fraction,
                   conversion_number: Fraction = terms.CONVERSION_NUMBER,
                   convertible: bool = True, dividends_on_conversion: bool = True,
                   keep_exact: bool = True) -> Payouts:
    """:func:`payouts` without a stack, on the holders' shares and accrued dividends given
    as integers over one denominator ``scale`` (a column read as decimals), checked here.
    ``keep_exact`` False leaves :attr:`Payouts.exact` empty (a column call shows only the
    cents, and a fraction per holder is most of the work)."""
    checks.non_negative(proceeds, "proceeds")
    checks.positive(common_shares, "common_shares")
    checks.positive(conversion_number, "conversion_number")
    if len(holder_shares) != len(holder_accrued):
        raise errors.unequal_lengths({"holder_shares": len(holder_shares),
                                      "holder_accrued": len(holder_accrued)})
    designated = terms.SHARES_DESIGNATED * scale
    for value in holder_shares:
        if not 0 <= value <= designated:
            checks.series_m_shares(Fraction(value, scale), "holder_shares")
    if min(holder_accrued, default=0) < 0:
        first = next(a for a in holder_accrued if a < 0)
        checks.non_negative(Fraction(first, scale), "holder_accrued")
    if sum(holder_shares) > designated:
        raise errors.over_designated("holder_shares", Fraction(sum(holder_shares), scale))
    return _series_m_only(proceeds, holder_shares, holder_accrued, scale, common_shares,
                          conversion_number, convertible, dividends_on_conversion, keep_exact)


def _series_m_only(proceeds: Fraction, holder_shares: Sequence[int],
                   holder_accrued: Sequence[int], scale: int, common_shares: Fraction,
                   conversion_number: Fraction, convertible: bool,
                   dividends_on_conversion: bool, keep_exact: bool = True) -> Payouts:
    """The Series M and the common alone, on integers over one denominator D."""
    count = len(holder_shares)
    more = math.lcm(scale, proceeds.denominator, common_shares.denominator) // scale
    scale *= more
    shares = [x * more for x in holder_shares] if more != 1 else list(holder_shares)
    accrued = [x * more for x in holder_accrued] if more != 1 else list(holder_accrued)
    stated = int(terms.STATED_VALUE)
    claim = [stated * s + a for s, a in zip(shares, accrued, strict=True)]
    kept = accrued if dividends_on_conversion else [0] * count
    # What converting gives up: the Stated Value (dividends kept) or the whole preference.
    freed = [stated * s for s in shares] if dividends_on_conversion else claim
    big_x = proceeds.numerator * (scale // proceeds.denominator)
    big_n = common_shares.numerator * (scale // common_shares.denominator)
    cn, cd = conversion_number.numerator, conversion_number.denominator
    claims = sum(claim)
    converts = [False] * count
    # p = cd·(X·D − claims + Σ freed) ÷ (cd·N·D + cn·Σ shares) over the converting holders;
    # holder i's threshold is freed·cd ÷ (shares·cn), below p when freed·cd·Pd < Pn·shares·cn.
    freed_sum = shares_sum = 0
    if convertible and big_x > claims:
        order = sorted((i for i in range(count) if shares[i] > 0),
                       key=lambda i: freed[i] / shares[i])
        freed_sum, shares_sum = _walk(order, freed, shares, big_x - claims, big_n, cn, cd,
                                      converts)
        if not _settled(converts, freed, shares, big_x - claims + freed_sum,
                        big_n, shares_sum, cn, cd):
            converts = [False] * count
            order.sort(key=lambda i: Fraction(freed[i], shares[i]))
            freed_sum, shares_sum = _walk(order, freed, shares, big_x - claims, big_n, cn, cd,
                                          converts)
    # Each exact payout × 100 as M ÷ Q, on one denominator Q.
    price_num = cd * (big_x - claims + freed_sum)
    price_den = cd * big_n + cn * shares_sum
    if big_x < claims:  # §3(b): short of the preferences, shared pro rata to them
        quota_den = scale * claims
        quotas = [100 * big_x * c for c in claim]
    else:
        quota_den = scale * cd * price_den
        quotas = [100 * ((kept[i] * cd * price_den + shares[i] * cn * price_num)
                         if converts[i] else claim[i] * cd * price_den) for i in range(count)]
    total = sum(quotas)
    class_cents = min((2 * total + quota_den) // (2 * quota_den),
                      (100 * big_x) // scale)  # half up, never past the proceeds
    cents = _apportion(class_cents, quotas, quota_den)
    exact = [Fraction(q, 100 * quota_den) for q in quotas] if keep_exact or active() else []
    if active():
        price = None if big_x <= claims or not convertible else Fraction(price_num, price_den)
        _explain(proceeds, Fraction(claims, scale), exact, converts, price,
                 [Fraction(f * cd, s * cn) if s > 0 else None
                  for f, s in zip(freed, shares, strict=True)])
    class_total = note("Series M class total, rounded to the cent, never past the proceeds",
                       Decimal(class_cents).scaleb(-2), "§3")
    amounts = [Decimal(c).scaleb(-2) for c in cents]
    _explain_amounts(amounts)
    return Payouts(amounts, converts, exact, class_total)


def _walk(order: Sequence[int], freed: Sequence[int], shares: Sequence[int], left: int,
          big_n: int, cn: int, cd: int, converts: list[bool]) -> tuple[int, int]:
    """Convert holders in ``order`` while each one's threshold is below the price of the
    holders already converting; the sums of what they give up and of their shares."""
    freed_sum = shares_sum = 0
    for i in order:
        price_num = cd * (left + freed_sum)
        price_den = cd * big_n + cn * shares_sum
        if not freed[i] * cd * price_den < price_num * shares[i] * cn:
            break
        converts[i] = True
        freed_sum += freed[i]
        shares_sum += shares[i]
    return freed_sum, shares_sum


def _settled(converts: Sequence[bool], freed: Sequence[int], shares: Sequence[int],
             left: int, big_n: int, shares_sum: int, cn: int, cd: int) -> bool:
    """Whether every holder converts exactly when its threshold is below the price: the
    check that makes a float-ordered walk's answer exact."""
    price_num, price_den = cd * left, cd * big_n + cn * shares_sum
    for i, converting in enumerate(converts):
        below = shares[i] > 0 and freed[i] * cd * price_den < price_num * shares[i] * cn
        if below != converting:
            return False
    return True


def _apportion(units: int, quotas: Sequence[int], denominator: int) -> list[int]:
    """:func:`~xl_seriesm.core.allocation.apportion` on integer quotas over one denominator:
    whole parts, then the units left one each to the largest remainders, earlier rows first."""
    whole = [q // denominator for q in quotas]
    left = units - sum(whole)
    if not 0 <= left <= len(quotas):
        raise ValueError(f"{units} units cannot be apportioned")
    note("units left after the whole parts, one each to the largest remainders", left,
         "§3(b), §6(b)")
    by_remainder = sorted(range(len(quotas)), key=lambda i: -(quotas[i] % denominator))
    for index in by_remainder[:left]:
        whole[index] += 1
    return whole


def _within_stack(proceeds: Fraction, holder_shares: Sequence[Fraction],
                  holder_accrued: Sequence[Fraction], common_shares: Fraction,
                  conversion_number: Fraction, convertible: bool,
                  dividends_on_conversion: bool, stack: Stack) -> Payouts:
    """Each holder one part of the stack's fixed point."""
    holders = [Holder(s * terms.STATED_VALUE + a, a if dividends_on_conversion else Fraction(0),
                      s * conversion_number)
               for s, a in zip(holder_shares, holder_accrued, strict=True)]
    built = Structure(holders, stack, common_shares, convertible)
    result = built.pay(proceeds)
    count = len(holders)
    exact = result.exact[:count]
    if active():
        names = class_names(stack)
        explain_structure(built, names)
        explain_choices(built, result, names, holders=False)
        _explain(proceeds, built.preferences, exact, result.chooses[:count], result.price,
                 [h.threshold for h in holders])
    classes = [sum(exact, Fraction(0)), *result.exact[count:]]
    class_total = note("Series M class total: the classes but the common rounded together "
                       "to the cent, never past the proceeds", rounded(proceeds, classes)[0],
                       "§3")
    cents = apportion(int(class_total * 100), [x * 100 for x in exact])
    amounts = [Decimal(c).scaleb(-2) for c in cents]
    _explain_amounts(amounts)
    return Payouts(amounts, result.chooses[:count], exact, Decimal(int(class_total * 100))
                   .scaleb(-2))


def _explain(proceeds: Fraction, claims: Fraction, exact: Sequence[Fraction],
             converts: Sequence[bool], price: Fraction | None,
             thresholds: Sequence[Fraction | None]) -> None:
    note("exit value: the proceeds", proceeds, "§3")
    note("full preferential amounts: shares × $1,000 + accrued, all holders (and any "
         "junior class)", claims, "§3(a)")
    if price is None:
        note("no conversion: short of the preferences (shared by rank, pro rata to them), "
             "or no conversion allowed", True, "§3(b), §5(a)")
    else:
        note("p: the common's value per share with the converting holders converted",
             price, "§3, §5")
    for number, (converting, owed, threshold) in enumerate(
            zip(converts, exact, thresholds, strict=True), start=1):
        note(f"holder {number}: threshold, the common's price above which converting "
             "pays it more: (preference − dividends kept) ÷ (shares × conversion number)",
             threshold, "§3, §5, §2")
        if price is not None and threshold is not None:
            note(f"holder {number}: p " + ("above" if converting else "not above")
                 + " its threshold", price, "§3, §5")
        note(f"holder {number}: " + ("converts (pays it more)" if converting
                                     else "keeps its preference"), owed, "§3, §5")


def _explain_amounts(amounts: Sequence[Decimal]) -> None:
    if active():
        for number, amount in enumerate(amounts, start=1):
            note(f"holder {number}: payout in cents adding up to the class total", amount,
                 "§3")
