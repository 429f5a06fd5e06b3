"""§3 liquidation: the preference, the conversion choice, and deemed liquidations.

The Series M is paid first: its Liquidation Value, shares × Stated Value plus accrued or
declared but unpaid dividends (§3(a)); if the proceeds fall short they are shared pro rata
to the holders' full preferential amounts (§3(b)). It does not participate beyond that: to
share as common a holder must convert (§5), and a converting holder's accrued dividends fall
due in cash on conversion (§2), so by default it receives them first and then its
as-converted share of what is left (the setting ``dividends_on_conversion`` forfeits them).
With one series every holder decides alike, and converting is chosen only when it pays
strictly more.

Rounding: the Series M total is rounded to the cent once, half up, but never past the
proceeds rounded down to the cent (so a shortfall never hands out more than there is); the
common receives the rest of the proceeds exactly, so every row hands out exactly its exit
value and the common's part is never negative. Per-share
figures divide those totals and are not rounded (they are ratios, not payments). The
breakpoint is a threshold, exact and unrounded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import Accrual, PaymentSchedule, check_paid, gross_accrual
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.numbers import floor_cents, round_cents, snap_shares


def liquidation_value(shares: Fraction, closing_date: date, as_of_date: date,
                      dividends_paid: Fraction = Fraction(0),
                      basis: Basis = Basis.US_30_360,
                      accrual: Accrual = Accrual.PER_PERIOD,
                      schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING) -> Decimal:
    """§3(a) Series M Liquidation Value: shares × $1,000 + accrued unpaid dividends.

    Rounded once: round(shares × 1,000 + accrual − paid, 2), the accrual as in
    :func:`~xl_seriesm.core.dividends.accrued_dividends`.

    >>> liquidation_value(Fraction(100), date(2005, 1, 10), date(2006, 1, 10), Fraction(2500))
    Decimal('102500.00')
    """
    gross = gross_accrual(shares, closing_date, as_of_date, basis, accrual, schedule)
    paid = note("less dividends paid", check_paid(dividends_paid, gross), "§2")
    stated = note("Stated Value: shares × $1,000", shares * terms.STATED_VALUE, "§1, §3(a)")
    return note("Liquidation Value: Stated Value + accrued − paid, rounded to the cent",
                round_cents(stated + gross - paid), "§3(a)")


class Capital:
    """The class totals a waterfall needs (all exact), checked once."""

    __slots__ = ("accrued_dividends", "common_shares", "conversion_number",
                 "dividends_on_conversion", "pref_shares")

    def __init__(self, pref_shares: Fraction, common_shares: Fraction,
                 accrued_dividends: Fraction,
                 conversion_number: Fraction = terms.CONVERSION_NUMBER,
                 dividends_on_conversion: bool = True) -> None:
        checks.series_m_shares(pref_shares, "pref_shares")
        self.pref_shares = checks.positive(pref_shares, "pref_shares")
        self.common_shares = checks.positive(common_shares, "common_shares")
        self.accrued_dividends = checks.non_negative(accrued_dividends, "accrued_dividends")
        self.conversion_number = checks.positive(conversion_number, "conversion_number")
        self.dividends_on_conversion = dividends_on_conversion

    def __repr__(self) -> str:
        return (f"Capital(pref_shares={self.pref_shares!r}, common_shares="
                f"{self.common_shares!r}, accrued_dividends={self.accrued_dividends!r}, "
                f"conversion_number={self.conversion_number!r}, "
                f"dividends_on_conversion={self.dividends_on_conversion!r})")

    @property
    def preference(self) -> Fraction:
        """The class's full Liquidation Value: shares × $1,000 + accrued dividends."""
        return self.pref_shares * terms.STATED_VALUE + self.accrued_dividends

    @property
    def as_converted(self) -> Fraction:
        """Common the whole class would hold after converting."""
        return self.pref_shares * self.conversion_number

    @property
    def converted_fraction(self) -> Fraction:
        """The converted class's share of all common."""
        return self.as_converted / (self.as_converted + self.common_shares)

    def breakpoint(self) -> Fraction:
        """The exit value above which converting pays the Series M more than its preference.

        With dividends paid on conversion, converting pays D + (P − D) × f against the
        preference L = S × 1,000 + D (f = the converted class's share of all common); the
        two are equal at P = D + S × 1,000 ÷ f. With dividends forfeited: P = L ÷ f.
        Below the preference converting never pays more, since f ≤ 1.
        """
        f = self.converted_fraction
        if active():
            self.explain_terms()
        if self.dividends_on_conversion:
            return note("conversion breakpoint: accrued dividends + shares × $1,000 ÷ f",
                        self.accrued_dividends + self.pref_shares * terms.STATED_VALUE / f,
                        "§3, §5, §2")
        return note("conversion breakpoint: Liquidation Value ÷ f (dividends forfeited)",
                    self.preference / f, "§3, §5")

    def explain_terms(self) -> None:
        """Note the class totals the waterfall works from."""
        note("Liquidation Value: shares × $1,000 + accrued dividends", self.preference, "§3(a)")
        note("common on conversion: shares × conversion number", self.as_converted, "§5(b)")
        note("f: the converted class's share of all common", self.converted_fraction, "§3, §5")

    def on_conversion(self, proceeds: Fraction) -> Fraction:
        """What the Series M class receives from ``proceeds`` if it converts."""
        f = self.converted_fraction
        if self.dividends_on_conversion:
            dividends = min(proceeds, self.accrued_dividends)
            return dividends + (proceeds - dividends) * f
        return proceeds * f


def breakpoint(pref_shares: Fraction, common_shares: Fraction, accrued_dividends: Fraction,
               conversion_number: Fraction = terms.CONVERSION_NUMBER,
               dividends_on_conversion: bool = True) -> Fraction:
    """§3 with §5: the exit value from which converting pays the Series M more than its
    preference (exact, unrounded).

    9,100 shares, 36,400,000 common, $100,000 accrued, 4,000 per share: the class would
    hold 36,400,000 of 72,800,000 common (f = 1/2), so P = 100,000 + 9,100,000 × 2:

    >>> breakpoint(Fraction(9100), Fraction(36_400_000), Fraction(100_000))
    Fraction(18300000, 1)
    """
    return Capital(pref_shares, common_shares, accrued_dividends, conversion_number,
                   dividends_on_conversion).breakpoint()


#: The rows of SERIESM_WATERFALL, in order (their labels are part of the Excel interface).
WATERFALL_LABELS = (
    "Series M total",
    "Series M per share",
    "Common total",
    "Common per share",
    "Series M converts",
    "Conversion breakpoint",
)


class Split(NamedTuple):
    """One exit value's split between the Series M and the common."""

    proceeds: Fraction
    series_m_total: Decimal
    series_m_per_share: Fraction
    common_total: Fraction
    common_per_share: Fraction
    series_m_converts: bool
    conversion_breakpoint: Fraction

    def values(self) -> tuple[Decimal | Fraction | bool, ...]:
        """The values in the order of :data:`WATERFALL_LABELS`."""
        return (self.series_m_total, self.series_m_per_share, self.common_total,
                self.common_per_share, self.series_m_converts, self.conversion_breakpoint)


def waterfall(proceeds: Fraction, capital: Capital, convertible: bool = True) -> Split:
    """§3: how ``proceeds`` split between the Series M and the common.

    The Series M takes min(proceeds, Liquidation Value), unless ``convertible`` (the
    anniversary has come) and converting pays strictly more, which happens exactly when the
    proceeds pass the breakpoint. The common takes the rest.

    >>> cap = Capital(Fraction(9100), Fraction(36_400_000), Fraction(100_000))
    >>> s = waterfall(Fraction(5_000_000), cap)             # short of the $9,200,000 preference
    >>> s.series_m_total, s.common_total, s.series_m_converts
    (Decimal('5000000.00'), Fraction(0, 1), False)
    >>> s = waterfall(Fraction(20_100_000), cap)            # past the $18,300,000 breakpoint
    >>> s.series_m_total, s.common_total, s.series_m_converts
    (Decimal('10100000.00'), Fraction(10000000, 1), True)
    """
    checks.non_negative(proceeds, "proceeds")
    note("exit value: the proceeds", proceeds, "§3")
    point = capital.breakpoint()
    converts = convertible and proceeds > point
    if active():
        note("not converting: min(proceeds, Liquidation Value)", min(proceeds,
                                                                    capital.preference), "§3(a)")
        note("converting: accrued dividends + (proceeds − them) × f"
             if capital.dividends_on_conversion else "converting: proceeds × f",
             capital.on_conversion(proceeds), "§3, §5, §2")
        note("converting allowed (from the first anniversary)", convertible, "§5(a)")
    note("the Series M converts: allowed and proceeds past the breakpoint", converts, "§3, §5")
    exact = capital.on_conversion(proceeds) if converts else min(proceeds, capital.preference)
    # Never more than the proceeds: $1,000.005 all to the Series M is $1,000.00, not .01.
    series_m = min(round_cents(exact), floor_cents(proceeds))
    common = proceeds - Fraction(series_m)
    split = Split(proceeds, series_m, Fraction(series_m) / capital.pref_shares, common,
                  common / capital.common_shares, converts, point)
    if active():
        for label, value in zip(WATERFALL_LABELS, split.values(), strict=True):
            note(label, value, "§3" if label != "Conversion breakpoint" else "§3, §5")
    return split


# --- §3(c) deemed liquidation ----------------------------------------------------------------

class Transaction(Enum):
    """The two kinds of transaction §3(c) can treat as a liquidation."""

    #: (i) acquisition by merger, other corporate reorganisation or consolidation.
    MERGER = "merger"
    #: (ii) sale, transfer or lease of all or substantially all the assets.
    ASSET_SALE = "asset sale"


_TRANSACTION_ALIASES = {
    "merger": Transaction.MERGER, "reorganization": Transaction.MERGER,
    "reorganisation": Transaction.MERGER, "consolidation": Transaction.MERGER,
    "acquisition": Transaction.MERGER,
    "assetsale": Transaction.ASSET_SALE, "sale": Transaction.ASSET_SALE,
    "transfer": Transaction.ASSET_SALE, "lease": Transaction.ASSET_SALE,
    "assets": Transaction.ASSET_SALE,
}


def parse_transaction(value: object, arg: str = "transaction") -> Transaction:
    return checks.choice(value, Transaction, _TRANSACTION_ALIASES, arg)


class DeemedLiquidation(NamedTuple):
    """The §3(c) verdict and the reason for it, in words a reader can check."""

    treated_as_liquidation: bool
    reason: str


def deemed_liquidation(transaction: Transaction, electing_shares: Fraction,
                       outstanding_shares: Fraction,
                       voting_power_kept: Fraction | None = None,
                       shares_exchanged: bool = True,
                       substantially_all: bool = True,
                       lender_pledge: bool = False,
                       affiliate_transfer: bool = False) -> DeemedLiquidation:
    """§3(c): whether a transaction is treated as a liquidation, so that the Series M takes
    its §3(a) Liquidation Value.

    (i) A merger, reorganisation or consolidation qualifies when the Company's shares (the
    Series M included) are exchanged for the other corporation's securities or other
    consideration and the Company's shareholders (all of them) end with 50% or less of the
    surviving entity's voting power (``voting_power_kept``, a fraction).
    (ii) A sale, transfer or lease qualifies when it is of all or substantially all the
    assets, unless it is a pledge or security interest for a bona fide lender, or a transfer
    to or by a wholly-owned subsidiary or parent.
    Either way it is a liquidation only if holders of at least 50% of the outstanding Series M
    elect it; otherwise the holders keep their conversion right into the deal (§5(d)).

    >>> deemed_liquidation(Transaction.MERGER, Fraction(5000), Fraction(9100),
    ...                    voting_power_kept=Fraction(40, 100)).treated_as_liquidation
    True
    >>> deemed_liquidation(Transaction.MERGER, Fraction(5000), Fraction(9100),
    ...                    voting_power_kept=Fraction(51, 100)).reason
    'no: shareholders keep 51% of the voting power, more than 50% (§3(c)(i))'
    """
    checks.series_m_shares(outstanding_shares, "outstanding_shares")
    checks.positive(outstanding_shares, "outstanding_shares")
    checks.non_negative(electing_shares, "electing_shares")
    electing_shares, outstanding_shares = snap_shares(electing_shares), snap_shares(
        outstanding_shares)
    if electing_shares > outstanding_shares:
        raise errors.more_than("electing_shares", electing_shares,
                               "outstanding_shares", outstanding_shares)
    if transaction is Transaction.MERGER:
        if voting_power_kept is None:
            raise errors.required("voting_power_kept")
        if not 0 <= voting_power_kept <= 1:
            raise errors.out_of_range("voting_power_kept", voting_power_kept,
                                      "a fraction from 0 to 1 (e.g. 0.4 or 40%)")
        note("voting power the Company's shareholders keep", voting_power_kept, "§3(c)(i)")
        if not shares_exchanged:
            return _verdict(False, "no: the Company's shares are not exchanged for "
                                     "the other corporation's securities or consideration "
                                     "(§3(c)(i))")
        if voting_power_kept > terms.DEEMED_LIQUIDATION_MAX_VOTING_POWER:
            return _verdict(False, f"no: shareholders keep {percent(voting_power_kept)}"
                                     " of the voting power, more than 50% (§3(c)(i))")
        limb = (f"a merger leaving shareholders {percent(voting_power_kept)} of the voting "
                "power (§3(c)(i))")
    else:
        if not substantially_all:
            return _verdict(False, "no: not all or substantially all of the assets "
                                     "(§3(c)(ii))")
        if lender_pledge:
            return _verdict(False, "no: a pledge or security interest to a bona fide "
                                     "lender is excluded (§3(c)(ii))")
        if affiliate_transfer:
            return _verdict(False, "no: a transfer to or by a wholly-owned subsidiary "
                                     "or parent is excluded (§3(c)(ii))")
        limb = "a sale, transfer or lease of substantially all the assets (§3(c)(ii))"
    note(f"the transaction qualifies: {limb}", True, "§3(c)")
    share = note("share of the Series M electing", electing_shares / outstanding_shares,
                 "§3(c)")
    if share < terms.DEEMED_LIQUIDATION_ELECTION_FRACTION:
        return _verdict(False, f"no: {limb} qualifies, but holders of only "
                               f"{percent(share)} of the Series M elect; 50% is needed (§3(c))")
    return _verdict(True, f"yes: {limb}, elected by holders of {percent(share)} "
                          "of the Series M (§3(c))")


def _verdict(treated: bool, reason: str) -> DeemedLiquidation:
    note("reason", reason, "§3(c)")
    return DeemedLiquidation(note("treated as a liquidation", treated, "§3(c)"), reason)


def percent(value: Fraction) -> str:
    """A share as a percentage, with digits enough to show which side of 50% it falls."""
    shown = value * 100
    if shown.denominator == 1:
        return f"{shown.numerator}%"
    text = f"{float(shown):.2f}"
    digits = 2
    while text.rstrip("0").rstrip(".") in ("50", "") and digits < 12:
        digits += 2
        text = f"{float(shown):.{digits}f}"
    return f"{text}%"
