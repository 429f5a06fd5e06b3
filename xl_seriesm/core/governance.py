"""Consents and covenants that reduce to a number: §4/§8 class votes, §5(j) reserve,
§9(a) par value."""

from __future__ import annotations

from fractions import Fraction

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.explain import note


def class_vote_passes(shares_for: Fraction, outstanding_shares: Fraction) -> bool:
    """§4, §8: whether the holders of ``shares_for`` Series M are "a majority of the then
    outstanding shares", voting as a separate class: strictly more than half of the
    outstanding shares (not of the votes cast).

    >>> class_vote_passes(Fraction(4551), Fraction(9100)), class_vote_passes(Fraction(4550), 9100)
    (True, False)
    """
    checks.series_m_shares(outstanding_shares, "outstanding_shares")
    checks.positive(Fraction(outstanding_shares), "outstanding_shares")
    checks.non_negative(shares_for, "shares_for")
    if shares_for > outstanding_shares:
        raise errors.more_than("shares_for", shares_for, "outstanding_shares", outstanding_shares)
    note("half of the outstanding Series M", Fraction(outstanding_shares) / 2, "§8")
    note("shares for", shares_for, "§8")
    return note("approved: more than half", shares_for * 2 > outstanding_shares, "§4, §8")


def reserve_shortfall(authorized_unissued: Fraction, series_m_outstanding: Fraction,
                      conversion_number: Fraction = terms.CONVERSION_NUMBER) -> Fraction:
    """§5(j): how many more authorised but unissued common shares the Company must find to
    cover the conversion of all outstanding Series M (0 when the reserve suffices).

    >>> reserve_shortfall(Fraction(30_000_000), Fraction(9100))
    Fraction(6400000, 1)
    """
    checks.non_negative(authorized_unissued, "authorized_unissued")
    checks.series_m_shares(series_m_outstanding, "series_m_outstanding")
    checks.positive(conversion_number, "conversion_number")
    needed = note("common issuable on all outstanding Series M: shares × conversion number",
                  series_m_outstanding * conversion_number, "§5(j)")
    note("authorised but unissued common", authorized_unissued, "§5(j)")
    return note("shortfall: issuable − unissued, or 0", max(Fraction(0), needed
                                                             - authorized_unissued), "§5(j)")


def par_value_headroom(conversion_number: Fraction,
                       par_value: Fraction = terms.COMMON_PAR_VALUE) -> Fraction:
    """§9(a): what a holder pays per common share on conversion ($1,000 Stated Value ÷ the
    conversion number) less the common's par value. Negative means the par value exceeds it,
    which §9(a) forbids; that happens above 20,000 common per Series M share at $0.05 par.

    >>> par_value_headroom(Fraction(4000)), par_value_headroom(Fraction(25000))
    (Fraction(1, 5), Fraction(-1, 100))
    """
    checks.positive(conversion_number, "conversion_number")
    checks.positive(par_value, "par_value")
    paid = note("paid per common share on conversion: $1,000 ÷ conversion number",
                terms.STATED_VALUE / conversion_number, "§9(a), §2")
    note("par value of the common", par_value, "§9(a)")
    return note("headroom: paid − par", paid - par_value, "§9(a)")
