"""The template's Payouts sheet: the §3 waterfall by holder at an exit value the user types.

The add-in flavor computes the payouts with one SERIESM_PAYOUTS array formula. The built-ins
flavor follows the same rule with helper columns, which only it has (the add-in flavor leaves
them empty: one call computes what they spell out, and a thousand rows of SUMIFS would cost
the formula engine minutes): a holder converts when its threshold t = (what converting frees) ÷
(shares × conversion number) is below the price of a common share with every holder of a
threshold up to its own converting (SUMIFS over the thresholds; the core's order argument,
xl_seriesm.core.payouts, shows why that decides each holder alone). The class total is rounded
once and its cents go to the largest remainders, the earlier row on a tie (COUNTIF ranks), so
the holders add up to it. Thresholds are rounded to 12 decimals and remainders to 6 before they
are compared as COUNTIF/SUMIFS criteria, which travel as text.

Pure: no openpyxl here.
"""

from __future__ import annotations

import math
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.core.payouts import payouts
from xl_seriesm.workbook.base import (
    HOLDERS,
    Kind,
    Role,
    Sheet,
    Validation,
    absolute_ref,
    excel_value,
)
from xl_seriesm.workbook.figures import Figures

PAYOUTS = "Payouts"
FIRST_ROW = 11


def exit_value(point: Fraction) -> Fraction:
    """The exit value the sheet starts with: 1.5 × the breakpoint, to two significant
    figures (past it, so that holders convert)."""
    target = float(point) * 3 / 2
    if target <= 0:
        return Fraction(1_000_000)
    power = 10 ** (math.floor(math.log10(target)) - 1)
    return Fraction(round(target / power) * power)


def sheet(f: Figures, holder_first: int, holder_last: int, names: dict[str, str]) -> Sheet:
    """The Payouts sheet for the cap table of ``f``; holder rows of the Holders sheet are
    ``holder_first`` to ``holder_last``."""
    cap, settings, number = f.cap, f.cap.settings, f.number
    proceeds = (exit_value(f.breakpoint) if settings.exit_value is None
                else settings.exit_value)
    shares = [h.series_m_shares for h in cap.holders]
    accrued = [Fraction(a) for a in f.accrued]
    paid_on_conversion = settings.dividends_on_conversion
    result = payouts(proceeds, shares, accrued, cap.common_total, number, f.convertible,
                     paid_on_conversion)
    preference = [s * terms.STATED_VALUE + a for s, a in zip(shares, accrued, strict=True)]
    freed = [s * terms.STATED_VALUE if paid_on_conversion else p
             for s, p in zip(shares, preference, strict=True)]
    threshold = [e / (s * number) if s > 0 else Fraction(0)
                 for e, s in zip(freed, shares, strict=True)]
    total_preference = sum(preference, Fraction(0))

    # The price with every holder of a threshold up to its own converting: running sums over
    # the holders in threshold order, equal thresholds together (what the SUMIFS compute).
    price_at: dict[Fraction, Fraction] = {}
    freed_sum, shares_sum = Fraction(0), Fraction(0)
    order = sorted((i for i, s in enumerate(shares) if s > 0), key=threshold.__getitem__)
    for position, i in enumerate(order):
        freed_sum += freed[i]
        shares_sum += shares[i]
        last_of_tie = position + 1 == len(order) or threshold[order[position + 1]] != threshold[i]
        if last_of_tie:
            price_at[threshold[i]] = ((proceeds - total_preference + freed_sum)
                                      / (cap.common_total + number * shares_sum))

    def price_if(i: int) -> Fraction:
        return price_at[threshold[i]]

    converting = [i for i, c in enumerate(result.converts) if c]
    price = ((proceeds - total_preference + sum((freed[i] for i in converting), Fraction(0)))
             / (cap.common_total + number * sum((shares[i] for i in converting), Fraction(0))))
    whole_cents = [math.floor(x * 100) for x in result.exact]
    leftover = int(result.class_total * 100) - sum(whole_cents)

    p = Sheet(PAYOUTS, freeze="B11", widths={"A": 30, "B": 16, "C": 16, "D": 16, "E": 10,
                                               "F": 18, "G": 18, "H": 12, "I": 12, "J": 18,
                                               "K": 14, "L": 14})
    p.text("A1", "Payouts by holder at one exit value (§3)", Role.TITLE)
    p.text("A2", "Type an exit value: each Series M holder converts only when that pays it more "
                 "given what the others do (§5(a)); a shortfall is shared pro rata to the full "
                 "preferential amounts (§3(b)). Payouts are in cents and add up to the class "
                 "total.")
    first, last = FIRST_ROW, FIRST_ROW + len(shares) - 1
    col = {c: f"{c}{first}:{c}{last}" for c in "BCDEFGHIJKL"}
    p.text("A4", "Exit value", Role.LABEL)
    p.add("B4", Role.INPUT, Kind.MONEY, float(proceeds))
    names["ExitValue"] = absolute_ref(PAYOUTS, "B4")
    summary = [
        ("PayoutPreferences", "Preferences (§3(a))", Kind.MONEY,
         "=TotalSeriesM*StatedValue+TotalAccrued", total_preference),
        ("PayoutPrice", "Common share price", Kind.PRICE,
         f"=(ExitValue-PayoutPreferences+SUMPRODUCT({col['G']},{col['E']}*1))/(TotalCommon"
         f"+ConversionNumber*SUMPRODUCT({col['B']},{col['E']}*1))", price),
        ("PayoutClassTotal", "Series M class total", Kind.MONEY,
         f"=MIN(ROUND(SUM({col['J']}),2),ROUNDDOWN(ExitValue,2))", result.class_total),
        # Native only from here: the add-in's payouts need neither.
        ("PayoutLeftover", "Cents left to hand out", Kind.WHOLE,
         f"=ROUND(PayoutClassTotal*100,0)-SUM({col['K']})", leftover),
    ]
    # The add-in flavor: the preferences as in the built-ins, the class total the sum of the
    # payouts (SERIESM_PAYOUTS apportions it); the price and the cents left are native only.
    payouts_call = (f"SERIESM_PAYOUTS(ExitValue,{HOLDERS}!B{holder_first}:B{holder_last},"
                    f"{HOLDERS}!E{holder_first}:E{holder_last},TotalCommon,ConversionNumber,"
                    "Convertible,DividendsOnConversion)")
    add_in = {"PayoutPreferences": summary[0][3], "PayoutClassTotal": f"=SUM({payouts_call})"}
    for row, (name, label, kind, formula, expected) in enumerate(summary, start=5):
        p.text(f"A{row}", label, Role.LABEL)
        udf = add_in.get(name)
        p.add(f"B{row}", Role.COMPUTED, kind, udf=udf, native=formula,
              expected=excel_value(expected))
        names[name] = absolute_ref(PAYOUTS, f"B{row}")
    p.text("A9", "Check: payouts add up", Role.LABEL)
    p.same("B9", Kind.TEXT, f'=IF(AND(ABS(SUM({col["D"]})-PayoutClassTotal)<0.005,'
           f'PayoutClassTotal<=ExitValue),"OK",SUM({col["D"]})-PayoutClassTotal)', "OK")
    headers = ("Holder", "Series M shares", "Accrued dividends", "Payout", "Converts",
               "Preference (§3(a))", "Freed by converting", "Threshold",
               "Price if converting", "Exact payout", "Whole cents", "Remainder (of a cent)")
    for column, heading in zip("ABCDEFGHIJKL", headers, strict=True):
        p.text(f"{column}10", heading, Role.HEADER)
    for index in range(len(shares)):
        r, h = first + index, holder_first + index
        exact = result.exact[index]
        rank = (f'COUNTIF({col["L"]},">"&L{r})' if index == 0 else
                f'COUNTIF({col["L"]},">"&L{r})+COUNTIF(L{first}:L{r - 1},L{r})')
        cells = [
            ("A", Kind.TEXT, f"={HOLDERS}!A{h}", cap.holders[index].name),
            ("B", Kind.SHARES, f"={HOLDERS}!B{h}", shares[index]),
            ("C", Kind.MONEY, f"={HOLDERS}!E{h}", accrued[index]),
            ("F", Kind.MONEY, f"=B{r}*StatedValue+C{r}", preference[index]),
            ("G", Kind.MONEY, f"=IF(DividendsOnConversion,B{r}*StatedValue,F{r})",
             freed[index]),
            ("H", Kind.PRICE, f"=IF(B{r}>0,ROUND(G{r}/(B{r}*ConversionNumber),12),0)",
             round(threshold[index], 12)),
            ("I", Kind.PRICE,
             f'=IF(B{r}>0,(ExitValue-PayoutPreferences+SUMIFS({col["G"]},{col["H"]},"<="&H{r},'
             f'{col["B"]},">0"))/(TotalCommon+ConversionNumber*SUMIFS({col["B"]},{col["H"]},'
             f'"<="&H{r},{col["B"]},">0")),0)',
             price_if(index) if shares[index] > 0 else Fraction(0)),
            ("E", Kind.BOOL, f"=AND(Convertible,B{r}>0,H{r}<I{r})", result.converts[index]),
            ("J", Kind.MONEY,
             f"=IF(ExitValue<PayoutPreferences,ExitValue*F{r}/PayoutPreferences,IF(E{r},"
             f"IF(DividendsOnConversion,C{r},0)+B{r}*ConversionNumber*PayoutPrice,F{r}))", exact),
            ("K", Kind.WHOLE, f"=INT(ROUND(J{r}*100,6))", whole_cents[index]),
            # Compared as money (a fraction of a cent): only its rank among the rows matters.
            ("L", Kind.MONEY, f"=ROUND(ROUND(J{r}*100,6)-K{r},6)",
             round(exact * 100 - whole_cents[index], 6)),
        ]
        for column, kind, formula, expected in cells:
            if column == "A":
                p.same(f"{column}{r}", kind, formula, excel_value(expected))
            else:  # the add-in flavor needs none of them: SERIESM_PAYOUTS is one call
                p.add(f"{column}{r}", Role.COMPUTED, kind, native=formula,
                      expected=excel_value(expected))
        p.add(f"D{r}", Role.COMPUTED, Kind.MONEY,
              udf=(f"=SERIESM_PAYOUTS(ExitValue,{HOLDERS}!B{holder_first}:B{holder_last},"
                   f"{HOLDERS}!E{holder_first}:E{holder_last},TotalCommon,"
                   "ConversionNumber,Convertible,DividendsOnConversion)") if index == 0 else None,
              array=col["D"] if index == 0 else None,
              native=f"=(K{r}+IF({rank}<PayoutLeftover,1,0))/100",
              expected=excel_value(result.amounts[index]))
    total = last + 1
    p.text(f"A{total}", "Total", Role.HEADER)
    p.same(f"D{total}", Kind.MONEY, f"=SUM({col['D']})", excel_value(result.class_total))
    p.validations.append(Validation("B4", "decimal", minimum=0,
                                    prompt="An exit value in dollars (0 or more)."))
    return p
