"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import strategies as st

from xl_seriesm.core import terms

#: Days the Federal Reserve calendar covers, and a little Series M history around them.
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))

#: Days of the month that no 30/360 end-of-month rule touches (28 February is a month end).
plain_dates = st.builds(date, st.integers(2000, 2060), st.integers(1, 12), st.integers(1, 27))

#: Series M share counts: whole, or with up to four decimals (fractional shares, §1).
series_m_shares = st.one_of(
    st.integers(0, terms.SHARES_DESIGNATED).map(Fraction),
    st.integers(0, terms.SHARES_DESIGNATED * 10_000).map(lambda n: Fraction(n, 10_000)),
)

positive_shares = series_m_shares.filter(lambda s: s > 0)

#: Dollar amounts to the cent.
cents = st.integers(0, 10**12).map(lambda n: Fraction(n, 100))

#: Common share counts (positive).
common_shares = st.integers(1, 10**10).map(Fraction)

#: Conversion numbers: 4,000 or adjusted ones (rationals near it, and far from it).
conversion_numbers = st.one_of(
    st.just(Fraction(4000)),
    st.fractions(min_value=1, max_value=40_000, max_denominator=10_000),
)


def _ledger_event() -> st.SearchStrategy[object]:
    """One ledger event, valid or not: every kind, small holder names (so events meet),
    dates around a 2005 closing and at the ends of what a ledger takes, shares and money
    that may be zero, negative or fractional, odd ratios."""
    from xl_seriesm.core.ledger import Event, EventKind  # noqa: PLC0415

    numbers = st.one_of(st.integers(-2, 12_000).map(Fraction),
                        st.sampled_from([Fraction(0), Fraction(100), Fraction(1, 3),
                                         Fraction(50), Fraction(9100), Fraction(-1, 100)]),
                        st.fractions(min_value=-1, max_value=10**7, max_denominator=1000))
    when = st.one_of(st.dates(date(2005, 1, 1), date(2008, 12, 31)),
                     st.sampled_from([date(1900, 3, 1), date(9998, 12, 31), date(1, 1, 1),
                                      date(9999, 12, 31), date(2006, 1, 14),
                                      date(2006, 2, 1)]))
    names = st.sampled_from(["", "A", "B", "C"])
    return st.builds(
        Event, date=when, kind=st.sampled_from(list(EventKind)), holder=names,
        to_holder=names, series_m_shares=numbers, common_shares=numbers, amount=numbers,
        exempt=st.booleans(),
        market_price=st.one_of(st.none(), numbers),
        ratio=st.tuples(numbers, numbers),
        effective_date=st.one_of(st.none(), when))


#: Lists of ledger events, valid or not, that begin with an issue at a 2005 closing.
def ledger_events() -> st.SearchStrategy[list[object]]:
    from xl_seriesm.core.ledger import Event, EventKind  # noqa: PLC0415

    first = st.builds(Event, date=st.just(date(2005, 1, 10)), kind=st.just(EventKind.ISSUE),
                      holder=st.sampled_from(["A", "B"]),
                      series_m_shares=st.integers(1, 9100).map(Fraction))
    outstanding = st.builds(Event, date=st.just(date(2005, 1, 10)),
                            kind=st.just(EventKind.OUTSTANDING),
                            common_shares=st.integers(0, 10**8).map(Fraction))
    return st.tuples(first, st.lists(outstanding, max_size=1),
                     st.lists(_ledger_event(), max_size=12)).map(
        lambda parts: [parts[0], *parts[1], *parts[2]])


def plausible_ledger_events() -> st.SearchStrategy[list[object]]:
    """Ledgers whose every event is well formed on its own (the checks that need the whole
    ledger may still refuse them): they reach the replay's every path."""
    from xl_seriesm.core.ledger import Event, EventKind  # noqa: PLC0415

    names = st.sampled_from(["A", "B", "C"])
    shares = st.sampled_from([Fraction(1, 10), Fraction(1), Fraction(50), Fraction(100),
                              Fraction(250)])
    money = st.sampled_from([Fraction(1, 100), Fraction(1), Fraction(125), Fraction(1250)])
    when = st.dates(date(2005, 2, 1), date(2007, 6, 30))

    def event(kind: EventKind, day: date, holder: str, other: str, m: Fraction,
              amount: Fraction, effective: date) -> object:
        if kind is EventKind.TRANSFER and holder == other:
            other = "A" if holder != "A" else "B"
        return Event(day, kind, holder if kind is not EventKind.OUTSTANDING else "",
                     other if kind is EventKind.TRANSFER else "",
                     series_m_shares=m if kind is not EventKind.REVOKE else Fraction(0),
                     common_shares=Fraction(1000), amount=amount,
                     ratio=(Fraction(2), Fraction(1)), effective_date=effective)

    one = st.builds(event, st.sampled_from(list(EventKind)), when, names, names, shares,
                    money, when)
    closing = date(2005, 1, 10)
    opening = [Event(closing, EventKind.ISSUE, name, series_m_shares=Fraction(shares))
               for name, shares in (("A", 500), ("B", 300), ("C", 200))]
    opening.append(Event(closing, EventKind.OUTSTANDING, common_shares=Fraction(10**6)))
    return st.lists(one, max_size=15).map(
        lambda more: [*opening, *sorted(more, key=lambda e: e.date)])


def split_rows() -> st.SearchStrategy[list[tuple[int, int, int]]]:
    """Splits and combinations of the common (§5(c)): days after the Closing Date, new
    shares, old shares."""
    return st.lists(st.tuples(st.integers(1, 400), st.integers(1, 5), st.integers(1, 5)),
                    max_size=4)


#: What a sheet cell may hold as the writer gives it to openpyxl: numbers, text (with
#: characters XML escapes, spaces to keep, a name that looks like a formula), formulas, an
#: error code, booleans, dates, nothing.
cell_values = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12),
    st.booleans(), plain_dates,
    st.sampled_from(["=A1+1", '=IF(A1<2,"a&b",">")', "=1", "=", "#N/A", " padded ", "é – €",
                     "a\r\nb", "=1+1", ""]),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=12),
)
#: A cached value as the core gives one: a number, a text, a boolean, or none.
cached_values = st.one_of(st.none(), st.floats(allow_nan=False), st.text(max_size=8),
                          st.booleans())


@st.composite
def sheet_cells(draw: st.DrawFn) -> dict[tuple[int, int], tuple[object, bool, int, bool, object]]:
    """Cells of a small sheet: (row, column) -> (value, whether a string is text (the
    writer says so of a string only), style number 0 to 3, whether it has a cached value,
    the cached value)."""
    places = draw(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 6)), max_size=30,
                           unique=True))
    cells = {}
    for place in places:
        value = draw(cell_values)
        as_text = isinstance(value, str) and draw(st.booleans())
        cells[place] = (value, as_text, draw(st.integers(0, 3)), draw(st.booleans()),
                        draw(cached_values))
    return cells


#: Series M lots as a ledger's transfers move them: tenths (a CSV's decimals) and thirds and
#: sevenths (fractions only Python gives), so the units of a replay vary.
_LOT_DENOMINATORS = (1, 3, 7, 10)


@st.composite
def dividend_ledgers(draw: st.DrawFn) -> list[tuple[str, object]]:
    """Steps of a small Series M ledger over three holders and two years from a 2005
    closing, valid by construction: issues, transfers of odd lots, dividends to a holder
    and to the class. Each step is (kind, data) for the test's own replay to turn into
    events: ("issue", (day, holder, shares)), ("transfer", (day, from, to, shares)),
    ("pay", (day, holder, cents)) with cents at most a cent per day held, or
    ("class", (day, cents))."""
    closing = date(2005, 1, 10)
    holders = ("A", "B", "C")
    held = {h: Fraction(0) for h in holders}
    steps: list[tuple[str, object]] = []
    for holder in holders[:draw(st.integers(1, 3))]:
        shares = Fraction(draw(st.integers(1, 300)), draw(st.sampled_from(_LOT_DENOMINATORS)))
        held[holder] += shares
        steps.append(("issue", (closing, holder, shares)))
    day = closing
    for _ in range(draw(st.integers(0, 12))):
        day = day + timedelta(days=draw(st.integers(0, 90)))
        kind = draw(st.sampled_from(("transfer", "transfer", "pay", "class")))
        owners = [h for h in holders if held[h]]
        if kind == "transfer":
            giver = draw(st.sampled_from(owners))
            taker = draw(st.sampled_from([h for h in holders if h != giver]))
            denominator = draw(st.sampled_from(_LOT_DENOMINATORS))
            most = int(held[giver] * denominator)
            if most < 1:
                continue
            shares = Fraction(draw(st.integers(1, most)), denominator)
            held[giver] -= shares
            held[taker] += shares
            steps.append(("transfer", (day, giver, taker, shares)))
        elif kind == "pay" and day > closing:
            # A cent per day per share is far below the 5%'s $0.13 a day: always owed.
            holder = draw(st.sampled_from(owners))
            most = (day - closing).days * int(held[holder])
            if most >= 1:
                steps.append(("pay", (day, holder, draw(st.integers(1, most)))))
        elif kind == "class" and day > closing:
            steps.append(("class", (day, draw(st.integers(1, 100)))))
    return steps
