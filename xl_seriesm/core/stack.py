"""The Series M inside the whole capital stack: junior preferred classes, options, warrants.

The certificate fixes only the Series M's place in the stack. It is paid "first ... before any
distribution or payment is made to any holders of any shares of Common Stock or any other
class or series of capital stock" (§3(a)), so every other class is junior to it; a shortfall
is shared pro rata among the Series M only (§3(b)); a converting holder's accrued dividends
fall due in cash on conversion (§2), so they too come before any junior class. The junior
classes come from a stack table (:func:`parse_stack`), whose terms are the user's, not the
certificate's:

- **preferred** classes are paid their preference (shares × preference per share) by
  seniority, 1 first after the Series M; equal seniorities are pari passu and share a
  shortfall pro rata to their preferences. A class that does not participate (``none``) takes
  its preference or converts into shares × conversion ratio common; ``full`` takes its
  preference and then shares as converted; ``capped`` does too until its total per share
  reaches ``cap`` × the preference, and converts when converting pays more than the cap;
- **options** and **warrants** on common at a strike are exercised when the common's value per
  share exceeds the strike; the strikes join the proceeds, and a class's payout is net of them.

Everything left is the common's, with the converted and exercised classes. Each class (and, in
:func:`~xl_seriesm.core.payouts.payouts`, each Series M holder) converts or exercises when that
pays it more given what the others do: a fixed point, found exactly. Let p be the value of a
common share. Given p every class's best payout is a piecewise linear function of p (the Series
M holder max(L, kept + shares × conversion number × p), a non-participating class max(P, n·p),
an option max(0, n·(p − strike)), the common N·p, ...), and the sum of them all, T(p), is
continuous and strictly increasing (the common has shares). An exit value X at or above T(0),
every preference paid, has exactly one p with T(p) = X, and every class's choice at that p is
its best: no class is better off with the other choice (the tests check each one). Ties do not
convert. The equity values T(p) at the prices where some class's share of the next dollar
changes (a conversion price, a strike, a cap) are the breakpoints; below T(0) the preferences
are paid by seniority.

Numbers are exact (``Fraction``). Rounding, at one point: the classes other than the common
are rounded together, their total to the cent, half up, never past the exit value rounded down
to the cent, and those cents apportioned by largest remainders (the earlier class on a tie); the
common takes the rest exactly, so every exit value is paid out exactly.
"""

from __future__ import annotations

import bisect
import contextlib
import math
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, errors, terms
from xl_seriesm.core.allocation import apportion
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.numbers import exact, floor_cents, round_cents
from xl_seriesm.core.valuation import SECTION, Market, Tranche, brent, value_tranches

#: The name the Series M goes by in stack results, and the common's.
SERIES_M = "Series M"
COMMON = "Common"


class Kind(Enum):
    """What a row of the stack table is."""

    PREFERRED = "preferred"
    OPTION = "option"
    WARRANT = "warrant"


_KIND_ALIASES = {"preferred": Kind.PREFERRED, "preferredstock": Kind.PREFERRED,
                 "preference": Kind.PREFERRED, "option": Kind.OPTION, "options": Kind.OPTION,
                 "warrant": Kind.WARRANT, "warrants": Kind.WARRANT}


class Participation(Enum):
    """How a preferred class shares beyond its preference."""

    NONE = "none"
    FULL = "full"
    CAPPED = "capped"


_PARTICIPATION_ALIASES = {"none": Participation.NONE, "no": Participation.NONE,
                          "nonparticipating": Participation.NONE,
                          "full": Participation.FULL, "participating": Participation.FULL,
                          "fullyparticipating": Participation.FULL,
                          "capped": Participation.CAPPED}


class StackClass(NamedTuple):
    """One class of the stack besides the Series M and the common.

    ``preference`` is dollars per share (preferred only); ``cap`` the total per share a
    capped class may take, as a multiple of its preference; ``conversion_ratio`` common per
    share; ``strike`` dollars per common share (options and warrants, one common each).
    """

    name: str
    kind: Kind
    shares: Fraction
    preference: Fraction = Fraction(0)
    seniority: int = 1
    participation: Participation = Participation.NONE
    cap: Fraction | None = None
    conversion_ratio: Fraction = Fraction(1)
    strike: Fraction = Fraction(0)

    @property
    def is_preferred(self) -> bool:
        return self.kind is Kind.PREFERRED

    @property
    def total_preference(self) -> Fraction:
        return self.shares * self.preference if self.is_preferred else Fraction(0)

    @property
    def as_converted(self) -> Fraction:
        """Common the whole class holds once converted (or exercised)."""
        return self.shares * self.conversion_ratio if self.is_preferred else self.shares


Stack = tuple[StackClass, ...]

# --- the stack table -------------------------------------------------------------------------

#: The stack table's columns, in their usual order.
COLUMNS = ("class", "kind", "shares", "preference", "seniority", "participation", "cap",
           "conversion_ratio", "strike")
_REQUIRED = ("class", "kind", "shares")
_COLUMN_ALIASES = {"name": "class", "classname": "class", "ratio": "conversion_ratio",
                   "conversionratio": "conversion_ratio", "exerciseprice": "strike",
                   "strikeprice": "strike", "capmultiple": "cap", "type": "kind"}


def _column_key(text: str) -> str:
    key = "".join(text.strip().lower().replace("_", " ").split())
    for name in COLUMNS:
        if name.replace("_", "") == key:
            return name
    return _COLUMN_ALIASES.get(key, "")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _zero(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


#: Columns where no valid value is 0: read from a spreadsheet, a 0 there is an empty cell
#: (xlwings Lite on the desktop passes empty cells as 0).
_ZERO_IS_EMPTY = frozenset({"class", "kind", "seniority", "participation", "cap",
                            "conversion_ratio"})


class _Cell:
    """Reads one row's cells, each error naming where, the column and what is allowed."""

    def __init__(self, where: str, cells: dict[str, object], zero_is_empty: bool) -> None:
        self.where = where
        self.cells = cells
        self.zero_is_empty = zero_is_empty

    def fail(self, column: str, allowed: str,
             code: errors.ErrorCode = errors.ErrorCode.NUM) -> errors.SeriesMError:
        value = self.cells.get(column)
        if _blank(value):
            value = None  # an empty cell, however it came
        elif isinstance(value, str):
            with contextlib.suppress(ValueError, ZeroDivisionError):
                # a number in a text file, echoed as the number
                value = Fraction(value.strip().replace(",", "").replace("$", ""))
        return errors.table_cell(self.where, column, value, allowed, code)

    def given(self, column: str) -> bool:
        value = self.cells.get(column)
        if self.zero_is_empty and column in _ZERO_IS_EMPTY and _zero(value):
            return False
        return not _blank(value)

    def number(self, column: str) -> Fraction:
        value = self.cells.get(column)
        if isinstance(value, str):
            text = value.strip().replace(",", "").replace("$", "").replace(" ", "")
            if column == "cap" and text[-1:] in ("x", "X", "×"):
                text = text[:-1]
            try:
                return Fraction(text)
            except (ValueError, ZeroDivisionError):
                raise self.fail(column, "not a number; use a number",
                                errors.ErrorCode.VALUE) from None
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
            raise self.fail(column, "not a number; use a number", errors.ErrorCode.VALUE)
        try:
            return exact(value, column)
        except errors.SeriesMError:
            raise self.fail(column, "not a finite number; use a number",
                            errors.ErrorCode.VALUE) from None

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        return value.strip() if isinstance(value, str) else errors.echo(value)

    def not_for(self, column: str, kind: str) -> None:
        if self.given(column) and not _zero(self.cells.get(column)):
            raise self.fail(column, f"does not apply to {kind}; leave it empty",
                            errors.ErrorCode.VALUE)


def parse_stack(rows: Sequence[Sequence[object]], source: str = "stack",
                first_row: int = 1, row_word: str = "row",
                zero_is_empty: bool = False) -> Stack:
    """The stack table: a header row, then one row per class besides the Series M and the
    common. Columns (any order; case, spaces and underscores ignored): ``class``, ``kind``
    (preferred, option, warrant), ``shares``, ``preference`` (dollars per share, preferred),
    ``seniority`` (1 = first after the Series M; default 1), ``participation`` (none, full,
    capped; default none), ``cap`` (capped only: the total per share as a multiple of the
    preference, at least 1), ``conversion_ratio`` (common per share, default 1) and
    ``strike`` (options and warrants). Empty rows are skipped; an empty table is no stack.
    With ``zero_is_empty`` (a range from a spreadsheet) a 0 where no valid value is 0 is an
    empty cell; a 0 in a column that does not apply to the row's kind is always ignored.
    Errors name the ``source``, the row (``first_row`` is the header's number; ``row_word``
    "line" for a file), the column and what is allowed.

    >>> stack = parse_stack([["Class", "Kind", "Shares", "Preference", "Strike"],
    ...                      ["Series L", "preferred", 1_000_000, 1, None],
    ...                      ["Options", "option", "10,000,000", "", "$0.10"]])
    >>> [(c.name, c.kind.value, c.total_preference, c.strike) for c in stack]
    [('Series L', 'preferred', Fraction(1000000, 1), Fraction(0, 1)), \
('Options', 'option', Fraction(0, 1), Fraction(1, 10))]
    """
    table = [list(row) for row in rows]
    while table and all(_blank(cell) or (zero_is_empty and _zero(cell)) for cell in table[0]):
        table.pop(0)
        first_row += 1
    if not table:
        return ()
    header: list[str] = []
    for number, cell in enumerate(table[0], start=1):
        if _blank(cell) or (zero_is_empty and _zero(cell)):
            header.append("")
            continue
        key = _column_key(str(cell)) if isinstance(cell, str) else ""
        if not key:
            raise errors.table_cell(f"{source} {row_word} {first_row}", f"column {number}",
                                    cell, "not a column of the stack table; use "
                                    + ", ".join(COLUMNS), errors.ErrorCode.VALUE)
        if key in header:
            raise errors.table_cell(f"{source} {row_word} {first_row}", f"column {number}",
                                    cell, f"a second {key} column; give each column once",
                                    errors.ErrorCode.VALUE)
        header.append(key)
    for name in _REQUIRED:
        if name not in header:
            raise errors.table_cell(f"{source} {row_word} {first_row}", "header",
                                    list(table[0]), f"no {name} column; the stack table "
                                    "needs " + ", ".join(_REQUIRED), errors.ErrorCode.VALUE)
    found: list[StackClass] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(table[1:], start=1):
        number = first_row + offset
        cells = {key: row[i] if i < len(row) else None for i, key in enumerate(header) if key}
        extra = [row[i] for i in range(len(row)) if (i >= len(header) or not header[i])
                 and not _blank(row[i]) and not (zero_is_empty and _zero(row[i]))]
        where = f"{source} {row_word} {number}"
        if extra:
            raise errors.table_cell(where, "a column with no header", extra[0],
                                    "give the column a header or leave it empty",
                                    errors.ErrorCode.VALUE)
        if all(_blank(value) or (zero_is_empty and _zero(value)) for value in cells.values()):
            continue
        found.append(_parse_row(_Cell(where, cells, zero_is_empty), seen, number))
    return tuple(found)


def _parse_row(cell: _Cell, seen: dict[str, int], number: int) -> StackClass:
    if not cell.given("class"):
        raise cell.fail("class", "required; give the class a name", errors.ErrorCode.VALUE)
    name = cell.text("class")
    key = " ".join(name.lower().split())
    if key in (SERIES_M.lower(), COMMON.lower()):
        raise cell.fail("class", f"{SERIES_M} and {COMMON} are always in the stack; list "
                        "only the other classes", errors.ErrorCode.VALUE)
    if key in seen:
        raise cell.fail("class", f"also the class of row {seen[key]}; give each class once",
                        errors.ErrorCode.VALUE)
    seen[key] = number
    if not cell.given("kind"):
        raise cell.fail("kind", "required; use preferred, option or warrant",
                        errors.ErrorCode.VALUE)
    try:
        kind = checks.choice(cell.cells["kind"], Kind, _KIND_ALIASES, "kind")
    except errors.SeriesMError:
        raise cell.fail("kind", "use preferred, option or warrant",
                        errors.ErrorCode.VALUE) from None
    if not cell.given("shares"):
        raise cell.fail("shares", "required; give the number of shares",
                        errors.ErrorCode.VALUE)
    shares = cell.number("shares")
    if shares <= 0:
        raise cell.fail("shares", "must be more than 0")
    if kind is not Kind.PREFERRED:
        for column in ("preference", "seniority", "participation", "cap", "conversion_ratio"):
            cell.not_for(column, "options and warrants (one common share each, at the strike)")
        if not cell.given("strike"):
            raise cell.fail("strike", f"required for {kind.value}s; give the exercise price "
                            "per common share", errors.ErrorCode.VALUE)
        strike = cell.number("strike")
        if strike < 0:
            raise cell.fail("strike", "must be 0 or more")
        return StackClass(name, kind, shares, strike=strike)
    cell.not_for("strike", "preferred classes")
    if not cell.given("preference"):
        raise cell.fail("preference", "required for a preferred class; give its "
                        "liquidation preference in dollars per share", errors.ErrorCode.VALUE)
    preference = cell.number("preference")
    if preference < 0:
        raise cell.fail("preference", "must be 0 or more")
    seniority = 1
    if cell.given("seniority"):
        value = cell.number("seniority")
        if value.denominator != 1 or value < 1:
            raise cell.fail("seniority", "must be a whole number, 1 or more (1 = first after "
                            "the Series M)")
        seniority = int(value)
    participation = Participation.NONE
    if cell.given("participation"):
        try:
            participation = checks.choice(cell.cells["participation"], Participation,
                                          _PARTICIPATION_ALIASES, "participation")
        except errors.SeriesMError:
            raise cell.fail("participation", "use none, full or capped",
                            errors.ErrorCode.VALUE) from None
    cap = None
    if participation is Participation.CAPPED:
        if not cell.given("cap"):
            raise cell.fail("cap", "required for capped participation; give the total per "
                            "share as a multiple of the preference (e.g. 3)",
                            errors.ErrorCode.VALUE)
        cap = cell.number("cap")
        if cap < 1:
            raise cell.fail("cap", "must be 1 or more (a multiple of the preference)")
    else:
        cell.not_for("cap", "a class that is not capped")
    ratio = Fraction(1)
    if cell.given("conversion_ratio"):
        ratio = cell.number("conversion_ratio")
        if ratio <= 0:
            raise cell.fail("conversion_ratio", "must be more than 0")
    return StackClass(cell.text("class"), kind, shares, preference, seniority, participation,
                      cap, ratio)


# --- the structure ---------------------------------------------------------------------------

class Holder(NamedTuple):
    """A Series M position: its Liquidation Value L (§3(a)), what it keeps in cash on
    converting (its accrued dividends, §2, unless forfeited) and the common it converts into."""

    preference: Fraction
    kept: Fraction
    as_converted: Fraction

    @property
    def threshold(self) -> Fraction | None:
        """The common's value per share above which converting pays it more."""
        if self.as_converted <= 0:
            return None
        return (self.preference - self.kept) / self.as_converted


def holder_of(capital: Capital) -> Holder:
    """The whole Series M class as one position."""
    kept = capital.accrued_dividends if capital.dividends_on_conversion else Fraction(0)
    return Holder(capital.preference, kept, capital.as_converted)


# The parts of the stack a structure pays: Series M holders, the stack's classes, the common.
_HOLDER, _CLASS, _COMMON = 0, 1, 2


class Result(NamedTuple):
    """One exit value paid out, exactly, to every part of a structure."""

    proceeds: Fraction
    #: The common's value per share (None when the preferences are not all paid).
    price: Fraction | None
    #: Exact payout to each part (Series M holders, then the stack's classes, then the
    #: common), net of strikes paid.
    exact: list[Fraction]
    #: Whether each part converts (holders, preferred) or exercises (options, warrants).
    chooses: list[bool]


class Structure:
    """The Series M (as one or more holders), the stack and the common, ready to pay out
    any exit value: the breakpoints are worked out once.

    The parts are numbered: the Series M holders first, then the stack's classes in the
    table's order, then the common last.
    """

    def __init__(self, holders: Sequence[Holder], stack: Stack, common_shares: Fraction,
                 convertible: bool = True) -> None:
        checks.positive(common_shares, "common_shares")
        self.holders = list(holders)
        self.stack = tuple(stack)
        self.common_shares = common_shares
        self.convertible = convertible
        count = len(self.holders) + len(self.stack) + 1
        self.count = count
        # Preferences by rank: rank 0 the Series M (§3(a), §3(b)), then the seniorities.
        ranks: dict[int, list[int]] = {0: list(range(len(self.holders)))}
        self.claim = [h.preference for h in self.holders]
        for offset, c in enumerate(self.stack):
            self.claim.append(c.total_preference)
            if c.is_preferred:
                ranks.setdefault(c.seniority, []).append(len(self.holders) + offset)
        self.claim.append(Fraction(0))
        self.ranks = [ranks[r] for r in sorted(ranks)]
        self.preferences = sum(self.claim, Fraction(0))
        # Each part's slope changes (shares joining or leaving the common's price) by price.
        changes: dict[Fraction, list[tuple[int, Fraction]]] = {}

        def change(price: Fraction, part: int, slope: Fraction) -> None:
            changes.setdefault(price, []).append((part, slope))

        for i, h in enumerate(self.holders):
            t = h.threshold
            if convertible and t is not None:
                change(t, i, h.as_converted)
        for offset, c in enumerate(self.stack):
            i = len(self.holders) + offset
            n = c.as_converted
            if not c.is_preferred:
                change(c.strike, i, n)
            elif c.participation is Participation.NONE:
                change(c.total_preference / n, i, n)
            elif c.participation is Participation.FULL:
                change(Fraction(0), i, n)
            else:
                assert c.cap is not None
                change(Fraction(0), i, n)
                change((c.cap - 1) * c.total_preference / n, i, -n)
                change(c.cap * c.total_preference / n, i, n)
        change(Fraction(0), count - 1, common_shares)
        self.prices = sorted(changes)
        self.changes = [changes[p] for p in self.prices]
        # T at each price, and the slope (shares sharing the next dollar) just above it.
        self.values: list[Fraction] = []
        self.slopes: list[Fraction] = []
        value, slope, last = self.preferences, Fraction(0), Fraction(0)
        for price, moves in zip(self.prices, self.changes, strict=True):
            value += slope * (price - last)
            slope += sum((s for _, s in moves), Fraction(0))
            self.values.append(value)
            self.slopes.append(slope)
            last = price

    # -- the common's price and each part's payout at it --

    def total_at(self, price: Fraction) -> Fraction:
        """T(p): the exit value at which the common is worth ``price`` a share."""
        k = bisect.bisect_right(self.prices, price) - 1
        return self.values[k] + self.slopes[k] * (price - self.prices[k])

    def price_at(self, proceeds: Fraction) -> Fraction | None:
        """The p with T(p) = proceeds, or None below T(0) (the preferences not all paid)."""
        if proceeds < self.preferences:
            return None
        k = bisect.bisect_right(self.values, proceeds) - 1
        return self.prices[k] + (proceeds - self.values[k]) / self.slopes[k]

    def kind(self, part: int) -> int:
        if part < len(self.holders):
            return _HOLDER
        return _COMMON if part == self.count - 1 else _CLASS

    def chooses(self, part: int, price: Fraction) -> bool:
        """Whether a part converts (or exercises) when the common is worth ``price``: only
        when that pays it strictly more."""
        kind = self.kind(part)
        if kind == _HOLDER:
            t = self.holders[part].threshold
            return self.convertible and t is not None and price > t
        if kind == _COMMON:
            return False
        c = self.stack[part - len(self.holders)]
        if not c.is_preferred:
            return price > c.strike
        n = c.as_converted
        if c.participation is Participation.NONE:
            return n * price > c.total_preference
        if c.participation is Participation.CAPPED:
            assert c.cap is not None
            return n * price > c.cap * c.total_preference
        return False  # full participation: converting never pays more

    def payout(self, part: int, price: Fraction, converts: bool) -> Fraction:
        """What a part receives when the common is worth ``price`` and every preference
        not given up is paid (net of any strike)."""
        kind = self.kind(part)
        if kind == _COMMON:
            return self.common_shares * price
        if kind == _HOLDER:
            h = self.holders[part]
            return h.kept + h.as_converted * price if converts else h.preference
        c = self.stack[part - len(self.holders)]
        n = c.as_converted
        if not c.is_preferred:
            return n * (price - c.strike) if converts else Fraction(0)
        if converts:
            return n * price
        if c.participation is Participation.NONE:
            return c.total_preference
        if c.participation is Participation.FULL:
            return c.total_preference + n * price
        assert c.cap is not None
        return min(c.total_preference + n * price, c.cap * c.total_preference)

    def pay(self, proceeds: Fraction) -> Result:
        """Every part's payout at one exit value: the fixed point, exactly."""
        checks.non_negative(proceeds, "proceeds")
        price = self.price_at(proceeds)
        if price is None:
            return Result(proceeds, None, self.by_seniority(proceeds, self.claim),
                          [False] * self.count)
        chooses = [self.chooses(i, price) for i in range(self.count)]
        paid = [self.payout(i, price, chooses[i]) for i in range(self.count)]
        return Result(proceeds, price, paid, chooses)

    def by_seniority(self, proceeds: Fraction, claims: Sequence[Fraction]) -> list[Fraction]:
        """Claims paid rank by rank, a rank short shared pro rata to its claims (§3(b))."""
        paid = [Fraction(0)] * self.count
        left = proceeds
        for rank in self.ranks:
            owed = sum((claims[i] for i in rank), Fraction(0))
            if owed <= 0:
                continue
            share = min(left, owed)
            for i in rank:
                paid[i] = share * claims[i] / owed
            left -= share
        return paid

    # -- any choices, for checking that none pays better --

    def settle(self, proceeds: Fraction, chooses: Sequence[bool]) -> list[Fraction]:
        """Every part's payout when the parts choose as given, whether or not that is best:
        the strikes of the exercising classes join the proceeds, the preferences not given
        up are paid by seniority (a converting holder's kept dividends with the Series M),
        and the rest is shared by the common with the converted, exercised and participating
        classes (a capped class only up to its cap). Net of strikes paid."""
        strikes = Fraction(0)
        claims = list(self.claim)
        for i in range(self.count):
            kind = self.kind(i)
            if kind == _HOLDER and chooses[i]:
                claims[i] = self.holders[i].kept
            elif kind == _CLASS and chooses[i]:
                c = self.stack[i - len(self.holders)]
                if c.is_preferred:
                    claims[i] = Fraction(0)
                else:
                    strikes += c.strike * c.shares
        pot = proceeds + strikes
        paid = self.by_seniority(pot, claims)
        left = pot - sum(paid, Fraction(0))
        sharing: dict[int, Fraction] = {self.count - 1: self.common_shares}
        capped: list[tuple[Fraction, int, Fraction]] = []  # (price at the cap, part, shares)
        for i in range(self.count - 1):
            kind = self.kind(i)
            if kind == _HOLDER:
                if chooses[i]:
                    sharing[i] = self.holders[i].as_converted
                continue
            c = self.stack[i - len(self.holders)]
            n = c.as_converted
            if chooses[i] or c.participation is Participation.FULL:
                sharing[i] = n
            elif c.participation is Participation.CAPPED:
                assert c.cap is not None
                capped.append(((c.cap - 1) * c.total_preference / n, i, n))
        # The common's price: the sharing shares, and each capped class until its cap.
        capped.sort()
        shares = sum(sharing.values(), Fraction(0)) + sum((n for _, _, n in capped),
                                                          Fraction(0))
        price, base, spent = Fraction(0), Fraction(0), Fraction(0)
        for cap_price, _, n in capped:
            if spent + shares * (cap_price - base) >= left:
                break
            spent += shares * (cap_price - base)
            base = cap_price
            shares -= n
        price = base + (left - spent) / shares
        for i, n in sharing.items():
            paid[i] += n * price
        for cap_price, i, n in capped:
            paid[i] += n * min(price, cap_price)
        for i in range(len(self.holders), self.count - 1):
            c = self.stack[i - len(self.holders)]
            if chooses[i] and not c.is_preferred:
                paid[i] -= c.strike * c.shares
        return paid

    # -- the breakpoints --

    def class_slopes(self) -> list[list[Fraction]]:
        """For each price, each class's shares sharing the next dollar just above it (the
        Series M holders summed as one class)."""
        width = len(self.stack) + 2
        current = [Fraction(0)] * width
        found = []
        for moves in self.changes:
            for part, slope in moves:
                current[self.class_of(part)] += slope
            found.append(list(current))
        return found

    def class_of(self, part: int) -> int:
        """The class a part belongs to: 0 the Series M, then the stack's, the common last."""
        if part < len(self.holders):
            return 0
        return part - len(self.holders) + 1

    def tranches(self) -> list[Tranche]:
        """The tranches between breakpoints, each with every class's share of a dollar in it
        (the Series M, the stack's classes in order, the common); adjacent tranches that
        share a dollar alike are one."""
        width = len(self.stack) + 2
        found: list[Tranche] = []
        lower = Fraction(0)
        for rank in self.ranks:
            owed = sum((self.claim[i] for i in rank), Fraction(0))
            if owed <= 0:
                continue
            shares = [Fraction(0)] * width
            for i in rank:
                shares[self.class_of(i)] += self.claim[i] / owed
            found.append(Tranche(lower, lower + owed, tuple(shares)))
            lower += owed
        slopes = self.class_slopes()
        for k, value in enumerate(self.values):
            total = self.slopes[k]
            allocation = tuple(s / total for s in slopes[k])
            upper = self.values[k + 1] if k + 1 < len(self.values) else None
            if found and found[-1].allocation == allocation and found[-1].upper == value:
                found[-1] = Tranche(found[-1].lower, upper, allocation)
            else:
                found.append(Tranche(value, upper, allocation))
        return found


def structure(capital: Capital, stack: Stack, convertible: bool = True) -> Structure:
    """The Series M (one class), the stack and the common."""
    return Structure([holder_of(capital)], stack, capital.common_shares, convertible)


def class_names(stack: Stack) -> list[str]:
    """The classes of a stack result, in order: the Series M, the stack's, the common."""
    return [SERIES_M, *(c.name for c in stack), COMMON]


def class_shares(capital: Capital, stack: Stack) -> list[Fraction]:
    """Each class's shares (options and warrants: common under option)."""
    return [capital.pref_shares, *(c.shares for c in stack), capital.common_shares]


# --- the waterfall ---------------------------------------------------------------------------

class StackSplit(NamedTuple):
    """One exit value's split among every class."""

    proceeds: Fraction
    #: Each class's total in dollars: cents for all but the common, which takes the rest.
    totals: list[Fraction]
    #: The exact totals before rounding.
    exact: list[Fraction]
    #: Whether each class converts (or exercises); the common False.
    chooses: list[bool]
    #: The common's value per share (None when the preferences are not all paid).
    price: Fraction | None
    #: The exit value above which the Series M converts.
    conversion_breakpoint: Fraction


def rounded(proceeds: Fraction, exact_totals: Sequence[Fraction]) -> list[Fraction]:
    """Totals paying out ``proceeds`` exactly: all but the last (the common) in cents, their
    sum rounded half up but never past the proceeds rounded down to the cent, the cents
    apportioned by largest remainders; the last takes the rest.

    >>> rounded(Fraction(10), [Fraction(10, 3), Fraction(10, 3), Fraction(10, 3)])
    [Fraction(167, 50), Fraction(333, 100), Fraction(333, 100)]
    """
    head = list(exact_totals[:-1])
    total = sum(head, Fraction(0))
    cents = min(int(round_cents(total) * 100), int(floor_cents(proceeds) * 100))
    parts = [Fraction(c, 100) for c in apportion(cents, [x * 100 for x in head])]
    return [*parts, proceeds - sum(parts, Fraction(0))]


def stack_waterfall(proceeds: Fraction, capital: Capital, stack: Stack,
                    convertible: bool = True,
                    built: Structure | None = None) -> StackSplit:
    """§3 within the stack: each class's payout at one exit value.

    The issue's stack: Series L (1,000,000 shares, $1.00, non-participating, 1:1), 10,000,000
    options at $0.10, 100,000,000 common; 9,100 Series M with $455,000 accrued. At
    $20,000,000 the Series M takes its $9,555,000, the Series L its $1,000,000 and the common
    the rest; the common is worth $0.09445 a share, below the strike, so no option is
    exercised:

    >>> stack = (StackClass("Series L", Kind.PREFERRED, Fraction(1_000_000), Fraction(1)),
    ...          StackClass("Options", Kind.OPTION, Fraction(10_000_000), strike=Fraction(1, 10)))
    >>> cap = Capital(Fraction(9100), Fraction(100_000_000), Fraction(455_000))
    >>> [int(x) for x in stack_waterfall(Fraction(20_000_000), cap, stack).totals]
    [9555000, 1000000, 0, 9445000]
    """
    checks.non_negative(proceeds, "proceeds")
    built = built or structure(capital, stack, convertible)
    names = class_names(stack)
    if active():
        explain_structure(built, names)
    note("exit value: the proceeds", proceeds, "§3")
    result = built.pay(proceeds)
    point = series_m_breakpoint(built)
    totals = [Fraction(0)] * len(names)
    chooses = [False] * len(names)
    for part, paid in enumerate(result.exact):
        totals[built.class_of(part)] += paid
        chooses[built.class_of(part)] |= result.chooses[part]
    if active():
        explain_choices(built, result, names)
    final = rounded(proceeds, totals)
    if active():
        for name, total in zip(names, final, strict=True):
            note(f"{name} total" + (", the rest of the proceeds" if name == COMMON else
                                    ", in cents adding up with the others"), total, "§3")
    return StackSplit(proceeds, final, totals, chooses, result.price, point)


def series_m_breakpoint(built: Structure) -> Fraction:
    """The exit value above which the Series M (its first holder) converts: T(threshold)."""
    t = built.holders[0].threshold
    assert t is not None
    return note("the Series M's conversion breakpoint: the exit value at which the common is "
                "worth its conversion price", built.total_at(t), "§3, §5, §2")


def explain_structure(built: Structure, names: Sequence[str]) -> None:
    """Note the preferences by rank and every tranche."""
    note("preferences: the Series M first, then each seniority", built.preferences, "§3(a)")
    for number, t in enumerate(built.tranches(), start=1):
        note(f"tranche {number} from", t.lower, "§3")
        note(f"tranche {number} to" + (" (no end)" if t.upper is None else ""), t.upper, "§3")
        for name, share in zip(names, t.allocation, strict=True):
            if share:
                note(f"tranche {number}: {name}'s share of each dollar", share, "§3")


def explain_choices(built: Structure, result: Result, names: Sequence[str]) -> None:
    """Note the common's price and every part's choice with the price that decided it."""
    if result.price is None:
        note("short of the preferences: paid by seniority, pro rata within one", True,
             "§3(a), §3(b)")
        return
    note("p: the common's value per share, where the classes' best payouts add up to the "
         "proceeds", result.price, "§3, §5")
    for part in range(built.count - 1):
        kind = built.kind(part)
        if kind == _HOLDER:
            label = names[0] if len(built.holders) == 1 else f"holder {part + 1}"
            t = built.holders[part].threshold
            note(f"{label}: converts above (its preference − dividends kept) ÷ common on "
                 "conversion", t, "§5, §2")
            note(f"{label} converts (p above that)", result.chooses[part], "§3, §5")
            continue
        c = built.stack[part - len(built.holders)]
        if not c.is_preferred:
            note(f"{c.name}: exercised above the strike", c.strike, "stack")
            note(f"{c.name} exercised (p above the strike)", result.chooses[part], "stack")
        elif c.participation is Participation.FULL:
            note(f"{c.name}: participates; converting never pays more", False, "stack")
        else:
            multiple = c.cap if c.participation is Participation.CAPPED else Fraction(1)
            assert multiple is not None
            note(f"{c.name}: converts above (preference" + (" × cap" if multiple != 1 else "")
                 + ") ÷ common on conversion", multiple * c.total_preference / c.as_converted,
                 "stack")
            note(f"{c.name} converts (p above that)", result.chooses[part], "stack")
    note("common per share", result.price, "§3")


# --- Excel-facing kernels --------------------------------------------------------------------

def waterfall_labels(stack: Stack) -> list[str]:
    """The rows of SERIESM_WATERFALL with a stack: total and per share for every class, each
    stack class's choice, then the Series M's choice and conversion breakpoint."""
    labels = []
    for name in class_names(stack):
        labels += [f"{name} total", f"{name} per share"]
    for c in stack:
        labels.append(f"{c.name} " + ("converts" if c.is_preferred else "exercised"))
    return [*labels, "Series M converts", "Conversion breakpoint"]


def waterfall_values(split: StackSplit, capital: Capital,
                     stack: Stack) -> list[Fraction | Decimal | bool]:
    """The values in the order of :func:`waterfall_labels`; money totals as cents."""
    values: list[Fraction | Decimal | bool] = []
    for index, (total, shares) in enumerate(zip(split.totals, class_shares(capital, stack),
                                                strict=True)):
        last = index == len(split.totals) - 1
        values += [total if last else Decimal(total.numerator * 100 // total.denominator)
                   .scaleb(-2), total / shares]
    values += split.chooses[1:-1]
    return [*values, split.chooses[0], split.conversion_breakpoint]


def breakpoint_header(stack: Stack) -> list[str]:
    return ["Tranche", "From", "To", *class_names(stack)]


def stack_breakpoints(capital: Capital, stack: Stack) -> list[list[object]]:
    """SERIESM_BREAKPOINTS with a stack: a header row and one row per tranche, a column per
    class (the share of each dollar in the tranche), the last ``To`` empty.

    The issue's stack: breakpoints 9,555,000, 10,555,000, 20,555,000, 37,055,000 and
    146,855,000 (derived in the tests).
    """
    built = structure(capital, stack)
    names = class_names(stack)
    rows: list[list[object]] = [list(breakpoint_header(stack))]
    found = built.tranches()
    for number, t in enumerate(found, start=1):
        if active():
            note(f"tranche {number} from", t.lower, "§3")
            for name, share in zip(names, t.allocation, strict=True):
                if share:
                    note(f"tranche {number}: {name}'s share of each dollar", share, "§3")
        rows.append([number, t.lower, "" if t.upper is None else t.upper, *t.allocation])
    return rows


def parse_class_label(label: str, stack: Stack, arg: str) -> tuple[int, str]:
    """A class named by ``label`` ("Series L" or "Series L per share"; case and spacing
    ignored): its index in :func:`class_names` and its name."""
    names = class_names(stack)
    wanted = " ".join(label.lower().split())
    if wanted.endswith(" per share"):
        wanted = wanted[: -len(" per share")]
    for index, name in enumerate(names):
        if " ".join(name.lower().split()) == wanted:
            return index, name
    raise errors.unknown_label(arg, label, [f"{name} per share" for name in names])



# --- the option pricing model over the stack -------------------------------------------------

def to_exit(capital: Capital, term_years: Fraction) -> Capital:
    """The Series M as it stands at the exit: its dividends keep accruing at 5% a year on the
    Stated Value (§2) for ``term_years``, simple (cumulative dividends earn no dividends).

    The README's example, 9,100 shares with $100,000 accrued, 3 years: 100,000 + 9,100 ×
    1,000 × 5% × 3 = 1,465,000:

    >>> to_exit(Capital(Fraction(9100), Fraction(36_400_000), Fraction(100_000)),
    ...         Fraction(3)).accrued_dividends
    Fraction(1465000, 1)
    """
    added = note("dividends accruing to the exit: shares × $1,000 × 5% × term in years",
                 capital.pref_shares * terms.STATED_VALUE * terms.DIVIDEND_RATE * term_years,
                 "§2")
    accrued = note("accrued dividends at the exit", capital.accrued_dividends + added, "§2")
    return Capital(capital.pref_shares, capital.common_shares, accrued,
                   capital.conversion_number, capital.dividends_on_conversion)


def opm_labels(stack: Stack) -> list[str]:
    """The figures SERIESM_OPM returns with a stack: total and per share for every class."""
    labels = []
    for name in class_names(stack):
        labels += [f"{name} total", f"{name} per share"]
    return labels


def stack_opm(equity_value: Fraction, capital: Capital, stack: Stack,
              market: Market) -> list[Fraction | Decimal]:
    """Every class valued by the OPM at ``equity_value`` (in the order of
    :func:`opm_labels`): Σ over the stack's tranches of the class's share × (C(Kᵢ) −
    C(Kᵢ₊₁)). Each class but the common is rounded to the cent, half up; the common takes the
    rest, so the classes add up to the equity value exactly.
    """
    checks.positive(equity_value, "equity_value")
    spot = note("equity value S", float(equity_value), SECTION)
    note("volatility σ", market.volatility, SECTION)
    note("term T in years", market.term_years, SECTION)
    note("risk-free rate r", market.risk_free_rate, SECTION)
    built = structure(capital, stack)
    names = class_names(stack)
    found = built.tranches()
    valued = value_tranches(spot, found, market)
    if active():
        for number, v in enumerate(valued, start=1):
            note(f"tranche {number} from (equity value)", v.tranche.lower, SECTION)
            note(f"tranche {number}: C(K) at K = {float(v.tranche.lower):,.2f}",
                 v.call_at_lower.value, "Black-Scholes")
            note(f"tranche {number} value: C(this tranche's K) − C(the next one's)", v.value,
                 SECTION)
            for name, share in zip(names, v.tranche.allocation, strict=True):
                if share:
                    note(f"tranche {number}: {name}'s share of each dollar", share, SECTION)
    values: list[Fraction | Decimal] = []
    rest = equity_value
    for index, (name, shares) in enumerate(zip(names, class_shares(capital, stack),
                                               strict=True)):
        if index == len(names) - 1:
            total = note(f"{name} total: equity value − the other classes", rest, SECTION)
            values += [total, total / shares]
            break
        worth = math.fsum(float(v.tranche.allocation[index]) * v.value for v in valued)
        note(f"{name}: Σ its share × tranche value", worth, SECTION)
        cents = note(f"{name} total, rounded to the cent", round_cents(Fraction(worth)),
                     SECTION)
        rest -= Fraction(cents)
        values += [cents, Fraction(cents) / shares]
    return values


def stack_backsolve(price: Fraction, capital: Capital, stack: Stack, market: Market,
                    target: str = "Series M per share") -> Decimal:
    """The equity value at which the OPM over the stack values one share of the class named
    by ``target`` (one option or warrant: its value net of the strike) at ``price``, rounded
    to the cent; bracketed by doubling and narrowed by Brent's method, as without a stack."""
    index, name = parse_class_label(target, stack, "target")
    checks.positive(price, "price_per_share")
    shares = float(class_shares(capital, stack)[index])
    found = structure(capital, stack).tranches()

    def per_share(equity: float) -> float:
        valued = value_tranches(equity, found, market)
        return math.fsum(float(v.tranche.allocation[index]) * v.value
                         for v in valued) / shares

    wanted = float(price)
    note(f"target: {name} per share", wanted, SECTION)
    high = max(wanted * shares, 1.0)
    while per_share(high) < wanted:
        if high > 1e15:
            raise errors.out_of_range("price_per_share", price,
                                      "a price the OPM reaches below $1e15 of equity value")
        high *= 2
    note("bracket: equity values from 0 to", high, SECTION)
    root = brent(lambda equity: per_share(equity) - wanted, 0.0, high)
    note(f"{name} per share at the root (Brent's method, to $0.001)", per_share(root), SECTION)
    return note("equity value, rounded to the cent", round_cents(Fraction(root)), SECTION)


# --- many exit values at once ----------------------------------------------------------------

class Segment(NamedTuple):
    """Exit values from ``start`` on (to the next segment's start), where each class's payout
    is affine in the exit value X: 100 × payout = (A + B × X) ÷ Q for the classes but the
    common, with integers A, B and Q."""

    start: Fraction
    a: list[int]
    b: list[int]
    q: int
    #: Each class's choice inside the segment, and at its start (a tie does not convert).
    chooses: list[bool]
    chooses_at_start: list[bool]


class Waterfalls:
    """The waterfall of one structure (one Series M holder) at many exit values: the
    segments between breakpoints worked out once, then per exit value a search and a few
    integer multiply-adds per class. The same figures as :func:`stack_waterfall`, which the
    tests compare it with."""

    def __init__(self, built: Structure) -> None:
        if len(built.holders) != 1:
            raise ValueError("Waterfalls: one Series M holder (the class)")
        self.built = built
        self.width = len(built.stack) + 2
        self.segments: list[Segment] = []
        lower = Fraction(0)
        paid: list[int] = []  # the parts of the ranks already paid in full
        for rank in built.ranks:  # short of the preferences: rank by rank
            owed = sum((built.claim[i] for i in rank), Fraction(0))
            if owed <= 0:
                continue
            alpha = [Fraction(0)] * self.width
            beta = [Fraction(0)] * self.width
            for i in paid:
                alpha[built.class_of(i)] += built.claim[i]
            for i in rank:  # (X − lower) × claim ÷ owed
                alpha[built.class_of(i)] -= lower * built.claim[i] / owed
                beta[built.class_of(i)] += built.claim[i] / owed
            paid += rank
            no = [False] * self.width
            self.segments.append(self._segment(lower, alpha, beta, no, no))
            lower += owed
        for k, (price, value, slope) in enumerate(zip(built.prices, built.values, built.slopes,
                                                      strict=True)):
            inside = price + (built.prices[k + 1] - price) / 2 if k + 1 < len(built.prices) \
                else price + 1
            chooses = [built.chooses(i, inside) for i in range(built.count)]
            at_start = [built.chooses(i, price) for i in range(built.count)]
            alpha = [Fraction(0)] * self.width
            beta = [Fraction(0)] * self.width
            for i in range(built.count):
                # payout = at + v × (p − price) inside, and p − price = (X − value) ÷ slope.
                at = built.payout(i, price, chooses[i])
                v = (built.payout(i, inside, chooses[i]) - at) / (inside - price)
                alpha[built.class_of(i)] += at + v * (-value / slope)
                beta[built.class_of(i)] += v / slope
            self.segments.append(self._segment(value, alpha, beta, self._by_class(chooses),
                                               self._by_class(at_start)))
        self.starts = [s.start for s in self.segments]

    def _by_class(self, chooses: Sequence[bool]) -> list[bool]:
        found = [False] * self.width
        for part, choice in enumerate(chooses):
            found[self.built.class_of(part)] |= choice
        return found

    def _segment(self, start: Fraction, alpha: list[Fraction], beta: list[Fraction],
                 chooses: list[bool], at_start: list[bool]) -> Segment:
        head = [100 * x for x in alpha[:-1]] + [100 * x for x in beta[:-1]]
        q = math.lcm(*(x.denominator for x in head))
        n = len(alpha) - 1
        scaled = [x.numerator * (q // x.denominator) for x in head]
        return Segment(start, scaled[:n], scaled[n:], q, chooses, at_start)

    def row(self, proceeds: Fraction) -> tuple[list[int], Fraction, list[bool]]:
        """The cents of each class but the common, the common's exact rest, and each class's
        choice, at one exit value (rounded as :func:`rounded` rounds)."""
        k = bisect.bisect_right(self.starts, proceeds) - 1
        segment = self.segments[k]
        xn, xd = proceeds.numerator, proceeds.denominator
        quotas = [a * xd + b * xn for a, b in zip(segment.a, segment.b, strict=True)]
        denominator = segment.q * xd
        total = sum(quotas)
        cents = min((2 * total + denominator) // (2 * denominator), (100 * xn) // xd)
        whole = [m // denominator for m in quotas]
        left = cents - sum(whole)
        if left:
            by_remainder = sorted(range(len(quotas)), key=lambda i: -(quotas[i] % denominator))
            for index in by_remainder[:left]:
                whole[index] += 1
        chooses = segment.chooses_at_start if proceeds == segment.start else segment.chooses
        return whole, proceeds - Fraction(cents, 100), chooses
