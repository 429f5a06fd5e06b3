"""Consents and covenants that reduce to a number: §4/§8 class votes, §5(j) reserve,
§9(a) par value."""

from __future__ import annotations

from fractions import Fraction

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.explain import note
from xl_seriesm.core.numbers import snap_shares


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
    shares_for, outstanding_shares = snap_shares(shares_for), snap_shares(outstanding_shares)
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
    # Snapped as SERIESM_CONVERT snaps: 9,100 × 30,000/7 read back from a cell is
    # 38,999,999.99999999, which is 39,000,000 shares.
    needed = note("common issuable on all outstanding Series M: shares × conversion number",
                  snap_shares(series_m_outstanding * conversion_number), "§5(j)")
    unissued = note("authorised but unissued common", snap_shares(authorized_unissued), "§5(j)")
    return note("shortfall: issuable − unissued, or 0", max(Fraction(0), needed - unissued),
                "§5(j)")


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


def appraiser_may_be_required(requesting_shares: Fraction, outstanding_shares: Fraction) -> bool:
    """§3(d): whether the holders of ``requesting_shares`` may require that an independent
    appraiser, instead of the Board, value a distribution in property: "the holders of fifty
    percent (50%) or more of the then outstanding shares" request it in writing. Exactly half
    is enough (unlike a §8 majority).

    >>> appraiser_may_be_required(Fraction(4550), Fraction(9100))
    True
    >>> appraiser_may_be_required(Fraction(4549), Fraction(9100))
    False
    """
    checks.series_m_shares(outstanding_shares, "outstanding_shares")
    checks.positive(outstanding_shares, "outstanding_shares")
    checks.non_negative(requesting_shares, "requesting_shares")
    requesting, outstanding = snap_shares(requesting_shares), snap_shares(outstanding_shares)
    if requesting > outstanding:
        raise errors.more_than("requesting_shares", requesting_shares, "outstanding_shares",
                               outstanding_shares)
    note("half of the outstanding Series M", outstanding / 2, "§3(d)")
    note("shares requesting", requesting, "§3(d)")
    return note("may require an appraiser: 50% or more", requesting * 2 >= outstanding, "§3(d)")


def other_dividend_allowed(series_m_arrears: Fraction, set_apart: Fraction = Fraction(0)) -> bool:
    """§2: whether a dividend or other distribution may be paid or declared on any other
    class of stock: only when the Series M dividends in arrears are paid, or a sum
    sufficient for them has been set apart ("the deficiency shall first be paid before any
    dividend ... with respect to any other class").

    >>> other_dividend_allowed(Fraction(0)), other_dividend_allowed(Fraction(2875))
    (True, False)
    >>> other_dividend_allowed(Fraction(2875), Fraction(2875))
    True
    """
    checks.non_negative(series_m_arrears, "series_m_arrears")
    checks.non_negative(set_apart, "set_apart")
    note("Series M dividends in arrears", series_m_arrears, "§2")
    note("set apart for them", set_apart, "§2")
    return note("allowed: the arrears paid or set apart", set_apart >= series_m_arrears, "§2")
