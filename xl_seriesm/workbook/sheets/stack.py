"""The template's Capital stack sheet (``seriesm template --stack``): the other classes as
validated inputs, and every class's payout at an exit value the user types, in both flavors.

The add-in flavor takes each class's total from SERIESM_WATERFALL with the stack's range. The
built-ins flavor finds the same fixed point with Excel 2010 functions: every class's best
payout at a common price p is a formula in p (SUMPRODUCT over the classes), so the exit value
T(p) at each kink price (a conversion price, a strike, a cap; SMALL sorts them) is a column;
the exit value falls between two of them (the count of T at or below it), where T is linear:
p follows, then each class's exact payout. The classes but the common are rounded together
and their cents apportioned by largest remainders (COUNTIF ranks, the Series M first on a
tie, as :mod:`xl_seriesm.core.stack_waterfall` does); the common takes the rest. Both flavors
show the built-ins' exact payouts, and two Checks compare: the exact payouts add up to the
exit value, and each class's payout is its exact payout to the cent.

Pure: no openpyxl here.
"""

from __future__ import annotations

from fractions import Fraction

from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.stack import Kind as StackKind
from xl_seriesm.core.stack import Participation, Stack, Structure, holder_of, structure
from xl_seriesm.core.stack_waterfall import stack_waterfall
from xl_seriesm.workbook.base import Kind, Role, Sheet, Validation, absolute_ref, excel_value
from xl_seriesm.workbook.figures import Figures
from xl_seriesm.workbook.sheets.payouts_exit import start_exit

STACK_SHEET = "Capital stack"
HEADER_ROW = 9
INPUT_HEADERS = ("Class", "Kind", "Shares", "Preference", "Seniority", "Participation", "Cap",
                 "Conversion ratio", "Strike")
COMPUTED_HEADERS = ("Exact payout", "Payout", "Converts", "As converted", "Preference total",
                    "Converts above", "Cap reached at", "Whole cents", "Remainder")
#: Columns that only feed the payouts: kept right of the printed table (S: the kink table's
#: exit values without the Series M, for the Payouts sheet's holders).
HELPERS = "MNOPQRS"


def _kinks(stack: Stack, threshold: Fraction) -> list[tuple[Fraction, Fraction]]:
    """Columns L and M of each row: (converts above, cap reached at), 0 where none."""
    out = []
    for c in stack:
        n, total = c.as_converted, c.total_preference
        if c.kind is not StackKind.PREFERRED:
            out.append((c.strike, Fraction(0)))
        elif c.participation is Participation.NONE:
            out.append((total / n, Fraction(0)))
        elif c.participation is Participation.FULL:
            out.append((Fraction(0), Fraction(0)))
        else:
            assert c.cap is not None
            out.append((c.cap * total / n, (c.cap - 1) * total / n))
    return [*out, (threshold, Fraction(0))]


def sheet(f: Figures, names: dict[str, str]) -> Sheet:
    """The Capital stack sheet for the cap table of ``f`` and its stack."""
    stack = f.cap.stack
    capital, convertible = f.capital, f.convertible
    built = structure(capital, stack, convertible)
    proceeds = start_exit(f)
    split = stack_waterfall(proceeds, capital, stack, convertible, built)
    k = len(stack)
    first, sm, common = HEADER_ROW + 1, HEADER_ROW + 1 + k, HEADER_ROW + 2 + k
    last = sm  # the classes but the common: the stack's rows and the Series M's
    s = Sheet(STACK_SHEET, freeze=f"B{first}", helper_columns=HELPERS,
              widths=dict.fromkeys("BCDEFGHIJKLMNOPQRS", 12.0) | {"A": 22.0})
    s.text("A1", "The Series M inside the capital stack: every class at one exit value (§3)",
           Role.TITLE)
    s.text("A2", "The Series M is paid first (§3(a)); the other classes, their terms yours, by "
                 "seniority; options and warrants exercised above their strike; each class "
                 "converts when that pays it more given the others' choices. Type an exit "
                 "value and the classes' terms." + (f" {f.cap.stack_note}" if f.cap.stack_note
                                                    else ""))  # a ledger's counts: their date
    rng = {c: f"{c}{first}:{c}{sm - 1}" for c in "ABCDEFGHIJKLMNOPQR"}
    head = {c: f"{c}{first}:{c}{last}" for c in "JKQR"}
    s.text("A4", "Exit value", Role.LABEL)
    s.add("B4", Role.INPUT, Kind.MONEY, float(proceeds))
    names["StackExit"] = absolute_ref(STACK_SHEET, "B4")

    # The kink prices sorted, and T(p) at each: the exit value at which the common is worth p.
    kinks = _kinks(stack, holder_of(capital).threshold or Fraction(0))
    prices = sorted(p for pair in kinks for p in pair)
    count = len(prices)
    t_top = common + 3
    t_first, t_last = t_top + 1, t_top + count
    values = [built.total_at(p) for p in prices]
    above = built.total_at(prices[-1] + 1)
    if split.price is None:
        segment, slope = 0, Fraction(0)
    else:
        segment = sum(1 for v in values if v <= proceeds)
        slope = (values[segment] - values[segment - 1]) / (prices[segment] - prices[segment - 1]) \
            if segment < count else above - values[-1]
    price = split.price if split.price is not None else Fraction(0)
    summary = [
        ("StackPreferences", "Preferences, all classes", Kind.MONEY,
         f"=N{sm}+SUM({rng['N']})", built.preferences),
        ("StackSegment", "Kink below (0: short)", Kind.WHOLE,
         f"=IF(StackExit<StackPreferences,0,SUMPRODUCT(--(C{t_first}:C{t_last}<=StackExit)))",
         segment),
        ("StackSlope", "Shares per dollar there", Kind.NUMBER,
         f"=IF(StackSegment=0,0,IF(StackSegment<{count},(INDEX(C{t_first}:C{t_last},"
         f"StackSegment+1)-INDEX(C{t_first}:C{t_last},StackSegment))/(INDEX(B{t_first}:"
         f"B{t_last},StackSegment+1)-INDEX(B{t_first}:B{t_last},StackSegment)),"
         f"C{t_last + 1}-C{t_last}))", slope),
        ("StackPrice", "Common share price p", Kind.PRICE,
         f"=IF(StackSegment=0,0,INDEX(B{t_first}:B{t_last},StackSegment)+(StackExit-INDEX("
         f"C{t_first}:C{t_last},StackSegment))/StackSlope)", price),
    ]
    for row, (name, label, kind, formula, expected) in enumerate(summary, start=5):
        s.text(f"A{row}", label, Role.LABEL)
        s.same(f"B{row}", kind, formula, excel_value(expected))
        names[name] = absolute_ref(STACK_SHEET, f"B{row}")

    for column, heading in zip("ABCDEFGHIJKLMNOPQR", INPUT_HEADERS + COMPUTED_HEADERS,
                               strict=True):
        s.text(f"{column}{HEADER_ROW}", heading, Role.HEADER)
    table = f"A{HEADER_ROW}:I{sm - 1}"
    short = "StackExit<StackPreferences"
    exacts = payout_formulas(k, "StackExit", "StackPrice")
    cents_left = f"(MIN(ROUND(SUM({head['J']})*100,0),ROUNDDOWN(StackExit*100,0))" \
                 f"-SUM({head['Q']}))"
    for index, c in enumerate(stack):
        r = first + index
        inputs = [("A", Kind.TEXT, c.name), ("B", Kind.TEXT, c.kind.value),
                  ("C", Kind.COMMON, float(c.shares))]
        if c.kind is StackKind.PREFERRED:
            inputs += [("D", Kind.PRICE, float(c.preference)), ("E", Kind.WHOLE, c.seniority),
                       ("F", Kind.TEXT, c.participation.value),
                       ("H", Kind.NUMBER, float(c.conversion_ratio))]
            if c.cap is not None:
                inputs.append(("G", Kind.NUMBER, float(c.cap)))
        else:
            inputs.append(("I", Kind.PRICE, float(c.strike)))
        for column, kind, value in inputs:
            s.add(f"{column}{r}", Role.INPUT, kind, value)
        for column in "DEFGHI":
            if column not in {col for col, _, _ in inputs}:
                s.add(f"{column}{r}", Role.INPUT, Kind.TEXT, None)
        part = index + 1  # the core's part: the Series M holder is 0
        rank = (f'COUNTIF({head["R"]},">"&R{r})+(R{sm}=R{r})'
                + (f"+COUNTIF(R{first}:R{r - 1},R{r})" if index else ""))
        kink = kinks[index]
        computed = [
            ("M", Kind.COMMON, f'=IF(B{r}="preferred",C{r}*H{r},C{r})', c.as_converted),
            ("N", Kind.MONEY, f'=IF(B{r}="preferred",C{r}*D{r},0)', c.total_preference),
            ("O", Kind.PRICE, f'=IF(B{r}<>"preferred",I{r},IF(F{r}="full",0,IF(F{r}="capped",'
                              f"G{r}*N{r}/M{r},N{r}/M{r})))", kink[0]),
            ("P", Kind.PRICE, f'=IF(AND(B{r}="preferred",F{r}="capped"),(G{r}-1)*N{r}/M{r},0)',
             kink[1]),
            ("J", Kind.MONEY, f"={exacts[part]}", split.exact[part]),
            ("L", Kind.BOOL, f'=AND(NOT({short}),IF(B{r}<>"preferred",StackPrice>I{r},'
                             f'IF(F{r}="full",FALSE,M{r}*StackPrice>IF(F{r}="capped",G{r},1)'
                             f"*N{r})))", split.chooses[part]),
        ]
        for column, kind, formula, expected in computed:
            s.same(f"{column}{r}", kind, formula, excel_value(expected))
        _cents(s, r, split.exact[part], split.totals[part], rank, cents_left,
               f'=SERIESM_WATERFALL(StackExit,TotalSeriesM,TotalCommon,TotalAccrued,'
               f'ConversionNumber,Convertible,DividendsOnConversion,"{_quoted(c.name)} total",'
               f"{table})")

    # The Series M (first among equal remainders) and the common.
    s.text(f"A{sm}", "Series M", Role.LABEL)
    threshold = holder_of(capital).threshold or Fraction(0)
    series_m = [
        ("M", Kind.COMMON, "=TotalSeriesM*ConversionNumber", capital.as_converted),
        ("N", Kind.MONEY, "=TotalSeriesM*StatedValue+TotalAccrued", capital.preference),
        ("O", Kind.PRICE, f"=(N{sm}-IF(DividendsOnConversion,TotalAccrued,0))/M{sm}", threshold),
        ("P", Kind.PRICE, "=0", Fraction(0)),
        ("J", Kind.MONEY, f"={exacts[0]}", split.exact[0]),
        ("L", Kind.BOOL, f"=AND(NOT({short}),Convertible,StackPrice>O{sm})", split.chooses[0]),
    ]
    for column, kind, formula, expected in series_m:
        s.same(f"{column}{sm}", kind, formula, excel_value(expected))
    _cents(s, sm, split.exact[0], split.totals[0], f'COUNTIF({head["R"]},">"&R{sm})',
           cents_left, '=SERIESM_WATERFALL(StackExit,TotalSeriesM,TotalCommon,TotalAccrued,'
           'ConversionNumber,Convertible,DividendsOnConversion,"Series M total",'
           f"{table})")
    s.text(f"A{common}", "Common", Role.LABEL)
    s.same(f"J{common}", Kind.MONEY, f"={exacts[-1]}",
           excel_value(split.exact[-1]))
    s.same(f"K{common}", Kind.MONEY, f"=StackExit-SUM({head['K']})",
           excel_value(split.totals[-1]))
    names["StackExactSum"] = absolute_ref(STACK_SHEET, f"J{common + 1}")
    s.text(f"A{common + 1}", "Total", Role.HEADER)
    s.same(f"J{common + 1}", Kind.MONEY, f"=SUM(J{first}:J{common})",
           excel_value(sum(split.exact)))
    s.same(f"K{common + 1}", Kind.MONEY, f"=SUM(K{first}:K{common})",
           excel_value(proceeds))
    names["StackCentsOff"] = absolute_ref(STACK_SHEET, f"Q{common + 1}")
    s.text(f"P{common + 1}", "Off by a cent", Role.LABEL)
    s.same(f"Q{common + 1}", Kind.WHOLE,
           f"=SUMPRODUCT(--(ABS(K{first}:K{common}-J{first}:J{common})>=0.01))", 0)

    # The kink prices sorted, T(p) at each, and one dollar a share past the last.
    s.text(f"A{t_top}", "Kink", Role.HEADER)
    s.text(f"B{t_top}", "Price p", Role.HEADER)
    s.text(f"C{t_top}", "Exit value T(p)", Role.HEADER)
    for j in range(count + 1):
        r = t_first + j
        p = f"B{r}"
        if j < count:
            s.same(f"A{r}", Kind.WHOLE, f"={j + 1}", j + 1)
            s.same(p, Kind.PRICE, f"=SMALL($O${first}:$P${sm},{j + 1})",
                   excel_value(prices[j]))
        else:
            s.text(f"A{r}", "past the last", Role.LABEL)
            s.same(p, Kind.PRICE, f"=B{r - 1}+1", excel_value(prices[-1] + 1))
        s.same(f"C{r}", Kind.MONEY, _total_at(p, first, sm),
               excel_value(values[j] if j < count else above))
    _without_series_m(s, built, prices, t_top, names)
    names["StackKinkPrices"] = absolute_ref(STACK_SHEET, f"B{t_first}") + f":$B${t_last}"
    names["StackKinkTotals"] = absolute_ref(STACK_SHEET, f"C{t_first}") + f":$C${t_last}"
    names["StackPastTotal"] = absolute_ref(STACK_SHEET, f"C{t_last + 1}")
    names["StackThreshold"] = absolute_ref(STACK_SHEET, f"O{sm}")
    names["StackTable"] = absolute_ref(STACK_SHEET, f"A{HEADER_ROW}") + f":$I${sm - 1}"
    s.validations += [
        Validation("B4", "decimal", minimum=0, prompt="An exit value in dollars (0 or more)."),
        Validation(rng["B"], "list", formula='"preferred,option,warrant"',
                   prompt="preferred, option or warrant."),
        Validation(rng["F"], "list", formula='"none,full,capped"',
                   prompt="none, full or capped (preferred only)."),
        Validation(rng["C"], "decimal", minimum=0, prompt="Shares, more than 0."),
        Validation(rng["E"], "whole", minimum=1, prompt="1 = first after the Series M."),
    ]
    return s


def _without_series_m(s: Sheet, built: Structure, prices: list[Fraction], t_top: int,
                      names: dict[str, str]) -> None:
    """Column S of the kink table: T(p) less the Series M's best payout at p, the exit value
    at which the common is worth p with the other classes alone (the Payouts sheet adds each
    holder's own choice to it). Linear between the kink prices, which include the others'."""
    others = Structure([], built.stack, built.common_shares, built.convertible)
    sm = HEADER_ROW + 1 + len(built.stack)
    s.text(f"S{t_top}", "Without the Series M", Role.HEADER)
    for j, p in enumerate([*prices, prices[-1] + 1]):
        r = t_top + 1 + j
        s.same(f"S{r}", Kind.MONEY, f"=C{r}-IF(AND(Convertible,B{r}>$O${sm}),IF("
               f"DividendsOnConversion,TotalAccrued,0)+$M${sm}*B{r},$N${sm})",
               excel_value(others.total_at(p)))
    last = t_top + len(prices)
    names["StackOthersTotals"] = absolute_ref(STACK_SHEET, f"S{t_top + 1}") + f":$S${last}"
    names["StackOthersAll"] = absolute_ref(STACK_SHEET, f"S{t_top + 1}") + f":$S${last + 1}"
    names["StackKinkPricesAll"] = absolute_ref(STACK_SHEET, f"B{t_top + 1}") + f":$B${last + 1}"


def kink_prices(stack: Stack, capital: Capital) -> list[Fraction]:
    """The kink prices the sheet's table sorts (two per class, two for the Series M)."""
    kinks = _kinks(stack, holder_of(capital).threshold or Fraction(0))
    return sorted(p for pair in kinks for p in pair)


def payout_formulas(k: int, exit_: str, price: str, outside: bool = False) -> list[str]:
    """Every part's exact payout (formulas without ``=``) at the exit value ``exit_`` and the
    common price ``price`` (cells or names) over the Capital stack sheet's ``k`` class rows:
    the Series M, the stack's classes in order, the common. With ``outside``, the references
    into the Capital stack sheet are absolute and name it (for the Waterfall sheet)."""
    first, sm = HEADER_ROW + 1, HEADER_ROW + 1 + k
    sheet = absolute_ref(STACK_SHEET, "A1").split("!")[0] + "!" if outside else ""
    d = "$" if outside else ""

    def at(column: str, row: int) -> str:
        return f"{sheet}{d}{column}{d}{row}"

    def span(column: str) -> str:
        return f"{sheet}{d}{column}{d}{first}:{d}{column}{d}{sm - 1}"

    short = f"{exit_}<StackPreferences"
    out = [f"IF({short},MIN({exit_},{at('N', sm)}),IF(AND(Convertible,{price}>{at('O', sm)}),"
           f"IF(DividendsOnConversion,TotalAccrued,0)+{at('M', sm)}*{price},{at('N', sm)}))"]
    for r in range(first, sm):
        b, f_, g, i, m, n = (at(x, r) for x in "BFGIMN")
        best = (f'IF({b}<>"preferred",IF({price}>{i},{m}*({price}-{i}),0),'
                f'IF({f_}="full",{n}+{m}*{price},IF({f_}="capped",IF({m}*{price}>'
                f"{g}*{n},{m}*{price},MIN({n}+{m}*{price},{g}*{n})),"
                f"MAX({n},{m}*{price}))))")
        group = f'SUMIF({span("E")},{at("E", r)},{span("N")})'
        shortfall = (f'IF(OR({b}<>"preferred",{n}=0),0,{n}*MIN(MAX({exit_}-{at("N", sm)}-'
                     f'SUMIF({span("E")},"<"&{at("E", r)},{span("N")}),0),{group})/{group})')
        out.append(f"IF({short},{shortfall},{best})")
    out.append(f"IF({short},0,TotalCommon*{price})")
    return out


def _cents(s: Sheet, r: int, exact: Fraction, total: Fraction, rank: str, cents_left: str,
           udf: str) -> None:
    """Whole cents, the remainder, and the payout (one more cent for the largest remainders)."""
    whole = int(exact * 100 // 1)
    s.same(f"Q{r}", Kind.WHOLE, f"=INT(ROUND(J{r}*100,6))", whole)
    s.same(f"R{r}", Kind.MONEY, f"=ROUND(ROUND(J{r}*100,6)-Q{r},6)",
           round(float(exact * 100 - whole), 6))
    s.add(f"K{r}", Role.COMPUTED, Kind.MONEY, udf=udf,
          native=f"=(Q{r}+IF({rank}<{cents_left},1,0))/100", expected=excel_value(total))


def _total_at(p: str, first: int, sm: int) -> str:
    """T(p): every class's best payout at the common price in cell ``p``, summed."""
    last = sm - 1
    b, f_, g, i, j, k = (f"${x}${first}:${x}${last}" for x in "BFGIMN")
    pref = f'({b}="preferred")'
    share = f"{j}*{p}"
    cap_min = f"({g}*{k}+({k}+{share}-{g}*{k})*({k}+{share}<{g}*{k}))"
    return (f"=IF(AND(Convertible,{p}>$O${sm}),IF(DividendsOnConversion,TotalAccrued,0)"
            f"+$M${sm}*{p},$N${sm})+TotalCommon*{p}"
            f'+SUMPRODUCT({pref}*({f_}<>"full")*({f_}<>"capped")*({k}+({share}-{k})*'
            f"({share}>{k})))"
            f'+SUMPRODUCT({pref}*({f_}="full")*({k}+{share}))'
            f'+SUMPRODUCT({pref}*({f_}="capped")*({cap_min}+({share}-{cap_min})*'
            f"({share}>{g}*{k})))"
            f'+SUMPRODUCT(({b}<>"preferred")*({b}<>"")*{j}*({p}-{i})*({p}>{i}))')


def _quoted(text: str) -> str:
    """Text inside a formula's double quotes."""
    return text.replace('"', '""')
