"""The ledger's events for the classes besides the Series M and the common: issues and
transfers of a junior preferred class, grants, transfers, exercises and cancellations of
options and warrants, and the capital stack they make at a date.

The certificate says nothing of these classes but their place: every one of them is junior
to the Series M (§3(a)). Their terms (preference, seniority, participation, cap, conversion
ratio, kind) are the stack table's (:mod:`xl_seriesm.core.stack_table`); this module keeps
their **counts** and **holders** as a ledger, so that the stack at an as-of date comes from
the events dated on or before it, and nothing later changes a figure.

Readings (README: "Events of the other classes"):

- An event names its class as the stack table does (case and spacing ignored); a class the
  stack table does not define is refused, as are the Series M (its events leave ``class``
  empty) and the common (its events are ``common``, ``transfer``, ``outstanding`` and
  ``holding`` with ``common_shares``: the common outstanding the stack pays is the Series M
  ledger's, which an exercise's common joins).
- A preferred class is issued (``issue``), transferred and cancelled (a repurchase); options
  and warrants are granted (``grant``, or ``issue``), transferred, exercised and cancelled
  (forfeited, expired), always at a ``strike``: the lots of one class at different strikes
  are kept apart, and an exercise or cancellation takes from the holder's lot at that strike.
- An exercise issues one common share per option or warrant to the holder, for the strike
  × the count: the Series M ledger sees it as a ``common`` issuance (§5(e)(i)) on the same
  date and line (:func:`exercise_common`). Options are exempt by default, §5(e)(i) excepting
  "exercise of options ... issued to employees ... pursuant to an employee stock option or
  similar plan"; warrants are not (only those outstanding in December 2004 are excepted);
  an ``exempt`` cell says otherwise.
- The stack at a date (:func:`stack_at`): a class with any event in the ledger takes its
  counts from the ledger (the stack table's ``shares`` is then a statement compared with the
  ledger's count at the date and any difference reported, not used); an option or warrant
  class whose holders hold lots at several strikes becomes one row per strike, named
  "<class> at $<strike>"; a class without outstanding shares at the date has no row. A class
  with no events keeps the stack table's row as it is.

Pure: no openpyxl, pandas or xlwings here. Exact fractions for counts and strikes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core.errors import echo
from xl_seriesm.core.ledger_events import Event, EventKind, LedgerError, Place
from xl_seriesm.core.stack import COMMON, SERIES_M, Kind, Stack, StackClass

_ZERO = Fraction(0)
#: The section a message of this ledger cites: the other classes are junior (§3(a)).
SECTION = "§3(a), the capital stack"
_NOWHERE = Place()


class ClassEventKind(Enum):
    """What happened to another class on a date; the value is the ``event`` column's word."""

    #: Shares of a preferred class issued to ``holder``.
    ISSUE = "issue"
    #: Shares, options or warrants moved from ``holder`` to ``to_holder``.
    TRANSFER = "transfer"
    #: Options or warrants granted to ``holder`` at ``strike`` (also written ``issue``).
    GRANT = "grant"
    #: Options or warrants at ``strike`` exercised: one common share each, for the strike.
    EXERCISE = "exercise"
    #: Shares repurchased and cancelled, options or warrants cancelled, forfeited or expired.
    CANCEL = "cancel"


#: The words of the ``event`` column for another class.
WORDS = {"issue": ClassEventKind.ISSUE, "transfer": ClassEventKind.TRANSFER,
         "grant": ClassEventKind.GRANT, "exercise": ClassEventKind.EXERCISE,
         "cancel": ClassEventKind.CANCEL, "cancellation": ClassEventKind.CANCEL,
         "forfeit": ClassEventKind.CANCEL, "forfeiture": ClassEventKind.CANCEL,
         "expire": ClassEventKind.CANCEL, "expiry": ClassEventKind.CANCEL}
#: The words only another class's events use (a row with one of them needs a class).
ONLY_CLASS_WORDS = frozenset(w for w in WORDS if w not in ("issue", "transfer"))


@dataclass(frozen=True, slots=True)
class ClassEvent:
    """One dated event of another class. ``strike`` is None for a preferred class."""

    date: date
    kind: ClassEventKind
    stock_class: str
    holder: str
    shares: Fraction
    strike: Fraction | None = None
    to_holder: str = ""
    #: Exercise only: whether its common is exempt under §5(e)(i); None takes the default
    #: (options exempt, warrants not).
    exempt: bool | None = None
    note: str = ""
    place: Place = _NOWHERE

    def describe(self) -> str:
        at = f" at {money(self.strike)}" if isinstance(self.strike, (int, Fraction)) else ""
        return f"the {self.kind.value} of {self.stock_class}{at} of {self.date} by {self.holder}"


class ClassHolding(NamedTuple):
    """What one holder holds of one class (at one strike) at the as-of date."""

    stock_class: str
    strike: Fraction | None
    holder: str
    shares: Fraction


@dataclass(frozen=True)
class StackDifference:
    """A stack table's ``shares`` against the ledger's count of that class at the date."""

    stock_class: str
    stated: Fraction
    ledger: Fraction


@dataclass(frozen=True)
class ClassState:
    """The other classes at ``as_of``: every holding above 0 (in the order the lots first
    appeared), the classes the ledger carries (any event, whatever its date) and the events
    after the date, listed but not applied."""

    as_of: date
    holdings: tuple[ClassHolding, ...]
    carried: frozenset[str]
    pending: tuple[ClassEvent, ...]

    def count(self, stock_class: str, strike: Fraction | None = None,
              every_strike: bool = False) -> Fraction:
        """The class's shares (options, warrants) outstanding at the date."""
        return sum((h.shares for h in self.holdings if h.stock_class == stock_class
                    and (every_strike or h.strike == strike)), _ZERO)


def key(name: str) -> str:
    """A class name as the stack table compares it: case and spacing ignored."""
    return " ".join(name.lower().split())


def _terms(stack: Stack, event: ClassEvent) -> StackClass:
    """The stack class an event names, or its refusal."""
    wanted = key(event.stock_class)
    for c in stack:
        if key(c.name) == wanted:
            return c
    if wanted == key(SERIES_M):
        raise LedgerError(event.place, "class", f"{echo(event.stock_class)}: leave class empty "
                          "for the Series M's events", "§1")
    if wanted == key(COMMON):
        raise LedgerError(event.place, "class", f"{echo(event.stock_class)}: the common is "
                          "the ledger's own (events common, transfer, outstanding, holding "
                          "with common_shares); leave class empty", "§5(e)")
    known = ", ".join(c.name for c in stack)
    allowed = (f"the stack table defines {known}" if known else
               "no stack table was given; give the class's terms with --stack")
    raise LedgerError(event.place, "class", f"{echo(event.stock_class)} is not a class of "
                      f"the stack table: {allowed}", SECTION)


def validate(event: ClassEvent, stack: Stack) -> StackClass:
    """Refuse an event whose own fields its class cannot take; returns the class's terms."""
    if not isinstance(event, ClassEvent) or not isinstance(event.kind, ClassEventKind):
        raise LedgerError(Place("ledger"), "event", f"{echo(str(event))} is not an event of "
                          "another class", SECTION)
    terms = _terms(stack, event)
    kind, word = event.kind, event.kind.value
    if not event.holder:
        raise LedgerError(event.place, "holder", f"empty; {event.describe()} needs the holder",
                          SECTION)
    if isinstance(event.shares, bool) or not isinstance(event.shares, (int, Fraction)) \
            or event.shares <= 0:
        raise LedgerError(event.place, "shares", f"{echo(event.shares)} for "
                          f"{event.describe()}: give a number of shares above 0", SECTION)
    if terms.is_preferred:
        if event.strike is not None:
            raise LedgerError(event.place, "strike", f"{echo(event.strike)} for "
                              f"{terms.name}, a preferred class: a strike is for options and "
                              "warrants; leave it empty", SECTION)
        if kind in (ClassEventKind.GRANT, ClassEventKind.EXERCISE):
            raise LedgerError(event.place, "event", f"{echo(word)} of {terms.name}, a "
                              "preferred class: use issue, transfer or cancel (grant and "
                              "exercise are for options and warrants)", SECTION)
    else:
        if event.strike is None:
            raise LedgerError(event.place, "strike", f"empty; {event.describe()} needs the "
                              f"strike (dollars per common share) of the {terms.kind.value}s",
                              SECTION)
        if isinstance(event.strike, bool) or not isinstance(event.strike, (int, Fraction)) \
                or event.strike < 0:
            raise LedgerError(event.place, "strike", f"{echo(event.strike)}: give a strike "
                              "of 0 or more dollars per common share", SECTION)
    if kind is ClassEventKind.TRANSFER and (not event.to_holder
                                            or event.to_holder == event.holder):
        raise LedgerError(event.place, "to_holder", f"{echo(event.to_holder)}: a transfer "
                          "needs a receiving holder other than the holder", SECTION)
    if event.exempt is not None and kind is not ClassEventKind.EXERCISE:
        raise LedgerError(event.place, "exempt", f"{echo(event.exempt)} for "
                          f"{event.describe()}: exempt is for an exercise's common (§5(e)(i)); "
                          "leave it empty", SECTION)
    return terms


def exercise_common(event: ClassEvent, kind: Kind) -> Event:
    """The common an exercise issues, as the Series M ledger's ``common`` event (§5(e)(i)):
    one share per option or warrant, to the holder, for the strike × the count; exempt as the
    event says, else options exempt (employee plans, §5(e)(i)) and warrants not."""
    assert event.strike is not None
    exempt = (kind is Kind.OPTION) if event.exempt is None else event.exempt
    return Event(event.date, EventKind.COMMON, event.holder, common_shares=event.shares,
                 amount=event.shares * event.strike, exempt=exempt,
                 note=f"exercise of {event.shares} {event.stock_class} at "
                 f"{money(event.strike)}",
                 place=event.place)


def replay(events: Sequence[ClassEvent], stack: Stack, as_of: date) -> ClassState:
    """Every event checked and applied in date order (same-day events in ledger order); the
    state is taken at ``as_of``. Raises :class:`LedgerError` at the first event its class
    cannot take: an unknown class, a holder going negative (exercising or cancelling more
    than it holds at that strike), a field its kind does not use."""
    ordered = sorted(events, key=lambda e: e.date)
    lots: dict[tuple[str, Fraction | None, str], Fraction] = {}
    carried: set[str] = set()
    state: ClassState | None = None
    for event in ordered:
        terms = validate(event, stack)
        if state is None and event.date > as_of:
            state = _state(as_of, lots, carried, [e for e in ordered if e.date > as_of])
        carried.add(terms.name)
        lot = (terms.name, event.strike, event.holder)
        if event.kind in (ClassEventKind.ISSUE, ClassEventKind.GRANT):
            lots[lot] = lots.get(lot, _ZERO) + event.shares
            continue
        held = lots.get(lot, _ZERO)
        if event.shares > held:
            at = f" at {money(event.strike)}" if event.strike is not None else ""
            raise LedgerError(event.place, "shares", f"{event.holder} holds {echo(held)} "
                              f"{terms.name}{at} on {event.date}, fewer than the "
                              f"{echo(event.shares)} of this {event.kind.value}; a holding "
                              "cannot go negative", SECTION)
        lots[lot] = held - event.shares
        if event.kind is ClassEventKind.TRANSFER:
            to = (terms.name, event.strike, event.to_holder)
            lots[to] = lots.get(to, _ZERO) + event.shares
    if state is None:
        state = _state(as_of, lots, carried, [])
    return replace(state, carried=frozenset(carried))


def _state(as_of: date, lots: dict[tuple[str, Fraction | None, str], Fraction],
           carried: set[str], pending: list[ClassEvent]) -> ClassState:
    holdings = tuple(ClassHolding(name, strike, holder, shares)
                     for (name, strike, holder), shares in lots.items() if shares > 0)
    return ClassState(as_of, holdings, frozenset(carried), tuple(pending))


def money(value: Fraction) -> str:
    """Dollars with at least two decimals and as many more as it needs (up to ten)."""
    places = next((p for p in range(2, 11) if (value * 10**p).denominator == 1), 10)
    return f"${float(value):,.{places}f}"


def strike_name(name: str, strike: Fraction) -> str:
    """The row of one strike of an option or warrant class: "Options at $0.10"."""
    return f"{name} at {money(strike)}"


class StackRow(NamedTuple):
    """A row of the stack at the date, and the class and strike of the ledger it counts
    (None when it is the stack table's row as given)."""

    row: StackClass
    stock_class: str | None
    strike: Fraction | None


def stack_rows(stack: Stack, state: ClassState) -> tuple[list[StackRow], list[StackDifference]]:
    """The stack at the state's date: the stack table's terms, the ledger's counts (one row
    per strike of an option or warrant class), and each class whose stated ``shares`` differ
    from the ledger's count at the date."""
    rows: list[StackRow] = []
    differences = []
    for c in stack:
        if c.name not in state.carried:
            rows.append(StackRow(c, None, None))
            continue
        total = state.count(c.name, every_strike=True)
        if total != c.shares:
            differences.append(StackDifference(c.name, c.shares, total))
        if c.is_preferred:
            if total > 0:
                rows.append(StackRow(c._replace(shares=total), c.name, None))
            continue
        strikes = sorted({h.strike for h in state.holdings if h.stock_class == c.name
                          and h.strike is not None})
        for strike in strikes:
            name = c.name if len(strikes) == 1 else strike_name(c.name, strike)
            rows.append(StackRow(c._replace(name=name, shares=state.count(c.name, strike),
                                            strike=strike), c.name, strike))
    seen: dict[str, str] = {}
    for r in rows:
        if key(r.row.name) in seen or key(r.row.name) in (key(SERIES_M), key(COMMON)):
            raise LedgerError(Place("stack"), "class", f"two rows of the stack at {state.as_of} "
                              f"would be named {echo(r.row.name)}; rename a class of the "
                              "stack table", SECTION)
        seen[key(r.row.name)] = r.row.name
    return rows, differences


def series_m_events(entries: Sequence[Event | ClassEvent], stack: Stack) -> tuple[Event, ...]:
    """The Series M ledger of a ledger that also holds other classes' events: its own events
    and each exercise's common (:func:`exercise_common`), in the ledger's order. Each event
    of another class is checked on its own (:func:`validate`) on the way."""
    out: list[Event] = []
    for entry in entries:
        if isinstance(entry, ClassEvent):
            kind = validate(entry, stack).kind
            if entry.kind is ClassEventKind.EXERCISE:
                out.append(exercise_common(entry, kind))
        else:
            out.append(entry)
    return tuple(out)


def stack_at(stack: Stack, state: ClassState) -> Stack:
    """The stack at the state's date (:func:`stack_rows`' rows)."""
    return tuple(r.row for r in stack_rows(stack, state)[0])
