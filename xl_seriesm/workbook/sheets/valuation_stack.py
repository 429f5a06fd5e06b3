"""The Valuation sheet when the template has a capital stack: every class valued by the option
pricing model over the stack's breakpoints, in both flavors.

The add-in flavor asks SERIESM_OPM, with the Capital stack sheet's table as ``stack``, for
each class's total and value per share. The built-ins flavor values the same tranches with
Excel 2010 functions. Below every preference the classes are paid by seniority: the Series M
from 0 to its preference at the exit, each junior preferred class pro rata within its
seniority (SUMIF over the Capital stack sheet's seniorities), a tranche worth C(from) −
C(to). Above them, T(p), the exit value at which the common is worth p, is linear between the
kink prices (a conversion price, a strike, a cap, the Series M's conversion price at the
exit; SMALL sorts them), so each class's share of a dollar between two of them is the slope
of its payout, (payout at p₂ − payout at p₁) ÷ (T(p₂) − T(p₁)), from the same best-payout
rules as the Capital stack sheet, and the last tranche, with no end, takes the slope one
dollar a share past the last kink. A class is worth its preference tranche plus Σ its share
× (C(from) − C(to)) over the tranches, with Black-Scholes calls C (NORMSDIST). The classes
but the common are rounded to the cent; the common takes the rest of the equity value, as
:func:`xl_seriesm.core.stack_opm.stack_opm` does. The Series M's preference, and so its
conversion price, is the one at the exit: its dividends accrue for the term (§2).

Two Checks: the exact values add up to the equity value, and each class's total is its
exact value to the cent (the common, which takes the rest, to half a cent a class).

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.stack import Kind as StackKind
from xl_seriesm.core.stack import (
    Participation,
    Stack,
    Structure,
    class_names,
    class_shares,
    holder_of,
    structure,
)
from xl_seriesm.core.stack_opm import stack_opm
from xl_seriesm.core.valuation import Market, black_scholes_call
from xl_seriesm.workbook.base import VALUATION, Kind, Role, Sheet, absolute_ref, excel_value
from xl_seriesm.workbook.figures import Figures
from xl_seriesm.workbook.sheets.stack import HEADER_ROW, STACK_SHEET
from xl_seriesm.workbook.sheets.valuation_inputs import (
    METHOD,
    SHORT_MEANINGS,
    at_exit,
    call,
    inputs,
    market,
    starting_equity_value,
)
from xl_seriesm.xlsx import cellrefs

CLASS_TOP = 16  # the class table's header row
CLASS_HEADERS = ("Class", "Shares", "Preference from", "Preference to", "Preference value",
                 "Value above", "Exact value", "Total value", "Per share")


def _kinks(stack: Stack, threshold: Fraction) -> list[Fraction]:
    """The kink prices the sheet sorts: the Capital stack sheet's two per class (columns O
    and P), the Series M's conversion price at the exit, and 0."""
    out = []
    for c in stack:
        n, total = c.as_converted, c.total_preference
        if c.kind is not StackKind.PREFERRED:
            out += [c.strike, Fraction(0)]
        elif c.participation is Participation.NONE:
            out += [total / n, Fraction(0)]
        elif c.participation is Participation.FULL:
            out += [Fraction(0), Fraction(0)]
        else:
            assert c.cap is not None
            out += [c.cap * total / n, (c.cap - 1) * total / n]
    return [*out, threshold, Fraction(0)]


def _threshold(capital: Capital) -> Fraction:
    """The common's value a share above which the Series M converts (§3, §5, §2)."""
    found = holder_of(capital).threshold
    assert found is not None  # the Series M has shares and converts into common
    return found


def _payouts(built: Structure, price: Fraction) -> list[Fraction]:
    """Every class's best payout when the common is worth ``price`` (preferences paid)."""
    return [built.payout(i, price, built.chooses(i, price)) for i in range(built.count)]


class Working:
    """The built-ins flavor's working, as the sheet lays it out: the Series M's conversion
    price at the exit, the kink prices sorted (ties kept) and one past the last, each
    class's payout and T at each (exact), each class's share of a dollar in each tranche
    (exact), the calls and tranche values, each class's preference tranche and its exact
    value (doubles: the normal distribution has no exact value)."""

    def __init__(self, spot: float, capital: Capital, stack: Stack, found: Market) -> None:
        built = structure(capital, stack)
        self.threshold = _threshold(capital)
        self.kinks = _kinks(stack, self.threshold)
        count = len(self.kinks)
        self.prices = [*sorted(self.kinks), max(self.kinks) + 1]
        self.paid = [_payouts(built, p) for p in self.prices]
        self.totals = [sum(row, Fraction(0)) for row in self.paid]
        self.shares = []
        for j in range(count):
            width = self.totals[j + 1] - self.totals[j]
            self.shares.append([Fraction(0) if width == 0 else (b - a) / width
                                for a, b in zip(self.paid[j], self.paid[j + 1], strict=True)])
        self.calls = [black_scholes_call(spot, float(t), found) for t in self.totals[:-1]]
        self.values = [c.value - (self.calls[j + 1].value if j + 1 < count else 0.0)
                       for j, c in enumerate(self.calls)]
        self.preferences = _preference_values(spot, capital, stack, found)
        self.above = [math.fsum(float(s[i]) * value for s, value in zip(self.shares,
                                                                          self.values,
                                                                          strict=True))
                      for i in range(built.count)]
        self.exact = [p[2] + a for p, a in zip(self.preferences, self.above, strict=True)]


def sheet(f: Figures, names: dict[str, str]) -> Sheet:
    """The Valuation sheet over the stack of ``f``'s cap table."""
    stack = f.cap.stack
    k = len(stack)
    labels = class_names(stack)
    n_cls = k + 2
    count = 2 * k + 2  # the kink prices, ties kept
    share_cols = [cellrefs.letters(5 + i) for i in range(n_cls)]  # E..: each class's share
    printed = max(9, 4 + n_cls)
    helper = [cellrefs.letters(printed + 1 + i) for i in range(4 + n_cls)]
    raw_col, d1_col, d2_col, call_col = helper[:4]
    pay_cols = helper[4:]
    v = Sheet(VALUATION, freeze="A4", helper_columns=tuple(helper))
    v.text("A1", "Value of every class of the capital stack (option pricing model)", Role.TITLE)
    v.text("A2", "Beyond the certificate's arithmetic, over the classes of the Capital stack "
                 "sheet: " + METHOD + " S is the value of all the equity today; σ and r are a "
                 "year, r continuously compounded; T is the years to the exit, over which the "
                 "Series M's dividends keep accruing (§2). Above the preferences each tranche "
                 "runs from its From to the next one's (the last has no end) and a class's "
                 "share of its dollars is the slope of the class's payout; a tranche between "
                 "equal prices is worth nothing.")

    capital = f.capital
    exit_capital = at_exit(v, capital, names, SHORT_MEANINGS)
    threshold = _threshold(exit_capital)
    v.text("A14", "Series M converts above", Role.LABEL)
    v.same("B14", Kind.PRICE, "=(PreferenceAtExit-IF(DividendsOnConversion,AccruedAtExit,0))/"
                              "(TotalSeriesM*ConversionNumber)", excel_value(threshold))
    v.text("C14", "§3, §5, §2")
    names["ThresholdAtExit"] = absolute_ref(VALUATION, "B14")
    equity = starting_equity_value(structure(exit_capital, stack).total_at(threshold))
    inputs(v, equity, names, SHORT_MEANINGS)
    found_market = market()
    w = Working(float(equity), exit_capital, stack, found_market)

    # Where the tables sit.
    first = CLASS_TOP + 1
    common, total = first + k + 1, first + k + 2
    off_row = total + 1
    t_top = off_row + 2
    t_first, t_last = t_top + 1, t_top + count

    # The classes: their preference tranche, their share of the tranches above, the totals.
    for column, heading in zip("ABCDEFGHI", CLASS_HEADERS, strict=True):
        v.text(f"{column}{CLASS_TOP}", heading, Role.HEADER)
    stack_first = HEADER_ROW + 1
    sheet_ = absolute_ref(STACK_SHEET, "A1").split("!")[0] + "!"

    def at(column: str, row: int) -> str:
        return f"{sheet_}${column}${row}"

    def span(column: str) -> str:
        return f"{sheet_}${column}${stack_first}:${column}${stack_first + k - 1}"

    shares = class_shares(capital, stack)
    core = stack_opm(equity, exit_capital, stack, found_market)
    preference_values = w.preferences
    for i, name in enumerate(labels):
        r = first + i
        v.text(f"A{r}", name, Role.LABEL)
        if i == 0:
            v.same(f"B{r}", Kind.SHARES, "=TotalSeriesM", excel_value(shares[0]))
            v.same(f"C{r}", Kind.MONEY, "=0", 0.0)
            v.same(f"D{r}", Kind.MONEY, "=PreferenceAtExit",
                   excel_value(exit_capital.preference))
            v.same(f"E{r}", Kind.MONEY, f"=EquityValue-{call(f'D{r}')}",
                   preference_values[0][2])
        elif i == n_cls - 1:
            v.same(f"B{r}", Kind.COMMON, "=TotalCommon", excel_value(shares[-1]))
            for column in "CD":
                v.same(f"{column}{r}", Kind.MONEY, '=""', "")
            v.same(f"E{r}", Kind.MONEY, "=0", 0.0)
        else:
            row = stack_first + i - 1
            preferred = f'AND({at("B", row)}="preferred",{at("N", row)}>0)'
            below, group = (f'SUMIF({span("E")},"<"&{at("E", row)},{span("N")})',
                            f'SUMIF({span("E")},{at("E", row)},{span("N")})')
            lower, upper, worth = preference_values[i]
            v.same(f"B{r}", Kind.COMMON, f"={at('C', row)}", excel_value(shares[i]))
            v.same(f"C{r}", Kind.MONEY, f'=IF({preferred},PreferenceAtExit+{below},"")',
                   "" if lower is None else excel_value(lower))
            v.same(f"D{r}", Kind.MONEY, f'=IF({preferred},C{r}+{group},"")',
                   "" if upper is None else excel_value(upper))
            v.same(f"E{r}", Kind.MONEY, f"=IF({preferred},{at('N', row)}/(D{r}-C{r})*"
                                        f"({call(f'C{r}')}-{call(f'D{r}')}),0)", worth)
        column = share_cols[i]
        v.same(f"F{r}", Kind.MONEY, f"=SUMPRODUCT({column}{t_first}:{column}{t_last},"
                                    f"$D${t_first}:$D${t_last})", w.above[i])
        v.same(f"G{r}", Kind.MONEY, f"=E{r}+F{r}", w.exact[i])
        opm = ("=SERIESM_OPM(EquityValue,Volatility,TermYears,RiskFreeRate,TotalSeriesM,"
               "TotalCommon,TotalAccrued,ConversionNumber,DividendsOnConversion,"
               f'"{_quoted(name)} {{}}",TRUE,StackTable)')
        native = f"=EquityValue-SUM(H{first}:H{r - 1})" if i == n_cls - 1 else f"=ROUND(G{r},2)"
        v.add(f"H{r}", Role.COMPUTED, Kind.MONEY, udf=opm.format("total"), native=native,
              expected=excel_value(core[2 * i]))
        v.add(f"I{r}", Role.COMPUTED, Kind.PRICE, udf=opm.format("per share"),
              native=f"=H{r}/B{r}", expected=excel_value(core[2 * i + 1]))
    v.text(f"A{total}", "Total", Role.HEADER)
    v.same(f"G{total}", Kind.MONEY, f"=SUM(G{first}:G{common})", math.fsum(w.exact))
    v.same(f"H{total}", Kind.MONEY, f"=SUM(H{first}:H{common})", excel_value(equity))
    names["OpmExactSum"] = absolute_ref(VALUATION, f"G{total}")
    # Each class but the common rounds its own exact value; the common takes the rest, so
    # it may be off by half a cent for each class rounded.
    v.text(f"A{off_row}", "Off by a cent", Role.LABEL)
    v.same(f"B{off_row}", Kind.WHOLE,
           f"=SUMPRODUCT(--(ABS(H{first}:H{common - 1}-G{first}:G{common - 1})>=0.01))"
           f"+(ABS(H{common}-G{common})>=0.005*{n_cls})", 0)
    names["OpmCentsOff"] = absolute_ref(VALUATION, f"B{off_row}")

    # The tranches above the preferences, one per kink price sorted (a tranche from a price
    # to the same price is worth nothing), and one dollar a share past the last.
    headers = ("Tranche", "Price p", "From T(p)", "Tranche value",
               *(f"{name} share" for name in labels))
    for column, heading in zip("ABCD" + "".join(share_cols), headers, strict=True):
        v.text(f"{column}{t_top}", heading, Role.HEADER)
    for column, heading in zip(helper, ("Kink price", "d1", "d2", "Call C(K) at From",
                                        *(f"{name} paid at p" for name in labels)),
                               strict=True):
        v.text(f"{column}{t_top}", heading, Role.HEADER)
    raw = f"${raw_col}${t_first}:${raw_col}${t_last}"
    for j in range(count + 1):
        r = t_first + j
        p = w.prices[j]
        if j < count:
            v.same(f"A{r}", Kind.WHOLE, f"={j + 1}", j + 1)
            v.same(f"B{r}", Kind.PRICE, f"=SMALL({raw},{j + 1})", excel_value(p))
        else:
            v.text(f"A{r}", "past the last", Role.LABEL)
            v.same(f"B{r}", Kind.PRICE, f"=B{r - 1}+1", excel_value(p))
        v.same(f"C{r}", Kind.MONEY, f"=SUM({pay_cols[0]}{r}:{pay_cols[-1]}{r})",
               excel_value(w.totals[j]))
        for i, column in enumerate(pay_cols):
            v.same(f"{column}{r}", Kind.MONEY, "=" + _payout(i, k, f"$B{r}", at),
                   excel_value(w.paid[j][i]))
        if j == count:
            break
        raw_formula = (f"={at('O' if j % 2 == 0 else 'P', stack_first + j // 2)}" if j < 2 * k
                       else "=ThresholdAtExit" if j == 2 * k else "=0")
        v.same(f"{raw_col}{r}", Kind.PRICE, raw_formula, excel_value(w.kinks[j]))
        last = j == count - 1
        c = w.calls[j]
        v.same(f"{d1_col}{r}", Kind.NUMBER, f"=(LN(EquityValue/C{r})+(RiskFreeRate+"
                                            f"Volatility^2/2)*TermYears)/SigmaRootT", c.d1)
        v.same(f"{d2_col}{r}", Kind.NUMBER, f"={d1_col}{r}-SigmaRootT", c.d2)
        v.same(f"{call_col}{r}", Kind.MONEY, f"=EquityValue*NORMSDIST({d1_col}{r})-C{r}*"
                                             f"DiscountFactor*NORMSDIST({d2_col}{r})", c.value)
        v.same(f"D{r}", Kind.MONEY, f"={call_col}{r}" if last else
               f"={call_col}{r}-{call_col}{r + 1}", w.values[j])
        nxt = r + 1  # the next kink, or past the last for the tranche with no end
        for i, column in enumerate(share_cols):
            pay = pay_cols[i]
            v.same(f"{column}{r}", Kind.PERCENT,
                   f"=IF(C{nxt}=C{r},0,({pay}{nxt}-{pay}{r})/(C{nxt}-C{r}))",
                   excel_value(w.shares[j][i]))
    return v


def _preference_values(spot: float, capital: Capital, stack: Stack, found: Market,
                       ) -> list[tuple[Fraction | None, Fraction | None, float]]:
    """Each class's preference tranche (from, to) and its value: the Series M from 0 to its
    preference; a junior preferred class its share, pro rata within its seniority, of the
    tranche its seniority is paid in; the others nothing."""

    def c(strike: Fraction) -> float:
        return black_scholes_call(spot, float(strike), found).value

    out: list[tuple[Fraction | None, Fraction | None, float]] = [
        (Fraction(0), capital.preference, spot - c(capital.preference))]
    for cls in stack:
        owed = cls.total_preference
        if cls.kind is not StackKind.PREFERRED or owed <= 0:
            out.append((None, None, 0.0))
            continue
        below = capital.preference + sum((o.total_preference for o in stack
                                          if o.seniority < cls.seniority), Fraction(0))
        group = sum((o.total_preference for o in stack if o.seniority == cls.seniority),
                    Fraction(0))
        out.append((below, below + group, float(owed / group) * (c(below) - c(below + group))))
    return [*out, (None, None, 0.0)]


def _payout(i: int, k: int, price: str, at: Callable[[str, int], str]) -> str:
    """Class ``i``'s best payout (without ``=``) when the common is worth ``price`` and every
    preference is paid: the Series M at the exit, a class of the Capital stack sheet's row by
    the same rules as that sheet, the common."""
    if i == 0:
        return (f"IF({price}>ThresholdAtExit,IF(DividendsOnConversion,AccruedAtExit,0)"
                f"+TotalSeriesM*ConversionNumber*{price},PreferenceAtExit)")
    if i == k + 1:
        return f"TotalCommon*{price}"
    row = HEADER_ROW + i
    b, f_, g, s, m, n = (at(x, row) for x in "BFGIMN")
    return (f'IF({b}<>"preferred",IF({price}>{s},{m}*({price}-{s}),0),'
            f'IF({f_}="full",{n}+{m}*{price},IF({f_}="capped",IF({m}*{price}>'
            f"{g}*{n},{m}*{price},MIN({n}+{m}*{price},{g}*{n})),"
            f"MAX({n},{m}*{price}))))")


def _quoted(text: str) -> str:
    """Text inside a formula's double quotes."""
    return text.replace('"', '""')
