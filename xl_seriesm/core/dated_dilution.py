"""§5(c) splits and §5(e)(i) issuances on one dated history: the step a split makes to the
conversion number and to §5(e)'s threshold under the ``threshold_after_split`` reading, and
the running conversion number after each dated issuance.

The ledger (:mod:`xl_seriesm.core.ledger_apply`) and SERIESM_DILUTE with ``dates`` and
``splits`` both take a split through :func:`after_split`, so the two say the same.

Pure: no openpyxl, pandas or xlwings here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.conversion import (
    CONVERSION_DECIMALS,
    ThresholdAfterSplit,
    dilute,
    split_adjust,
)
from xl_seriesm.core.explain import active, note


class Split(NamedTuple):
    """A split or combination of the common (§5(c)): ``old_shares`` become ``new_shares``
    on ``date``."""

    date: date
    new_shares: Fraction
    old_shares: Fraction = Fraction(1)


def after_split(number: Fraction, threshold: Fraction, new_shares: Fraction,
                old_shares: Fraction, reading: ThresholdAfterSplit,
                decimals: int = CONVERSION_DECIMALS) -> tuple[Fraction, Fraction]:
    """The conversion number (§5(c): × new/old) and §5(e)'s threshold after a split: the
    threshold stays under "literal", and is × old/new under "scaled".

    >>> after_split(Fraction(4000), Fraction(1, 4), Fraction(2), Fraction(1),
    ...             ThresholdAfterSplit.SCALED)
    (Fraction(8000, 1), Fraction(1, 8))
    """
    number = split_adjust(number, new_shares, old_shares, decimals)
    if reading is ThresholdAfterSplit.SCALED:
        threshold = threshold * Fraction(old_shares) / Fraction(new_shares)
        if active():
            note("threshold after the split (scaled): × old ÷ new", threshold, "§5(c), §5(e)")
    return number, threshold


def check_splits(splits: Sequence[Split], arg: str = "splits") -> tuple[Split, ...]:
    """The splits in date order, each share count more than 0; refused otherwise, naming
    the row."""
    for index, split in enumerate(splits):
        where = f"{arg} row {index + 1}"
        if split.new_shares <= 0:
            raise errors.table_cell(where, "new shares", split.new_shares, "must be more than 0")
        if split.old_shares <= 0:
            raise errors.table_cell(where, "old shares", split.old_shares, "must be more than 0")
        if index and split.date < splits[index - 1].date:
            raise errors.dates_out_of_order(f"{where}, date", split.date,
                                            f"{arg} row {index}, date", splits[index - 1].date)
    return tuple(splits)


class DatedRun:
    """The running conversion number down a ledger of dated issuances in date order, the
    splits dated on or before each issuance applied first (a split on an issuance's date
    comes before it: the threshold is scaled "from the split's date on")."""

    def __init__(self, number: Fraction, splits: Sequence[Split],
                 threshold: Fraction = terms.DILUTION_PRICE,
                 reading: ThresholdAfterSplit = ThresholdAfterSplit.LITERAL,
                 decimals: int = CONVERSION_DECIMALS, dates_arg: str = "dates") -> None:
        checks.positive(threshold, "threshold_price")
        self.number, self.threshold = number, threshold
        self.splits = check_splits(splits)
        self.reading, self.decimals, self.dates_arg = reading, decimals, dates_arg
        self._next = 0
        self._last: tuple[int, date] | None = None

    def to(self, day: date, row: int) -> Fraction:
        """Applies the splits dated on or before ``day`` (row ``row``, from 1); dates must
        not go back."""
        if self._last is not None and day < self._last[1]:
            raise errors.dates_out_of_order(self.dates_arg, day,
                                            f"{self.dates_arg} row {self._last[0]}",
                                            self._last[1])
        self._last = (row, day)
        while self._next < len(self.splits) and self.splits[self._next].date <= day:
            split = self.splits[self._next]
            if active():
                note(f"split of {split.date} applied before the issuance of {day}",
                     Fraction(split.new_shares, split.old_shares), "§5(c)")
            self.number, self.threshold = after_split(
                self.number, self.threshold, split.new_shares, split.old_shares, self.reading,
                self.decimals)
            self._next += 1
        return self.number

    def issue(self, day: date | None, row: int, common_outstanding: Fraction,
              new_shares: Fraction, consideration: Fraction, exempt: bool = False) -> Fraction:
        """The number after the issuance of row ``row`` on ``day`` (§5(e)(i)), at the
        threshold in force that day (an undated issuance only where there are no splits)."""
        if day is not None:
            self.to(day, row)
        elif self.splits:
            raise errors.required(self.dates_arg)
        self.number = dilute(self.number, common_outstanding, new_shares, consideration,
                             exempt, self.threshold, self.decimals)
        return self.number
