"""The Excel functions: thin adapters from cells to the exact core.

Each function reads Excel's values (floats, serial dates, datetimes, empty cells, ranges),
calls the core, and returns numbers, dates, booleans or a table; a bad argument gives a text
starting with an Excel error code (``#NUM! shares = -5: must be 0 or more.``), never a
traceback. The same module serves the classic xlwings add-in (Windows) and xlwings Lite
(Windows, Mac, web): see :func:`xl_seriesm.excel.decorate.excel_function`. Descriptions,
argument help and the function reference all come from :mod:`xl_seriesm.excel.spec`.

Importing this module stays cheap (no pandas, no holiday calendar) because Excel imports it
every time its Python process starts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from xl_seriesm.core import (
    allocation,
    conversion,
    dividends,
    errors,
    governance,
    liquidation,
    notices,
    redemption,
    reorganization,
    valuation,
)
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.explain import active as explaining
from xl_seriesm.core.explain import note
from xl_seriesm.excel import batch_calls, calls, dated_calls, explain, stack_calls, values
from xl_seriesm.excel.decorate import excel_function, raw_arguments
from xl_seriesm.excel.spec import BY_NAME, Function

is_error_text = errors.is_error_text


# --- §2 ------------------------------------------------------------------------------------

@excel_function
def SERIESM_ACCRUED(shares, closing_date, as_of_date, dividends_paid=0, basis=0,
                    accrual="per period", schedule="from closing"):
    spec = BY_NAME["SERIESM_ACCRUED"]
    raw = raw_arguments(locals(), spec)
    return _accrual(spec, raw, dividends.accrued_dividends, with_stated_value=False)



def _accrual(spec: Function, raw: dict[str, object], kernel: Callable[..., object],
             with_stated_value: bool) -> object:
    """Many rows go a column at a time (same results, exactly); few go cell by cell."""
    if not explaining() and any(calls.is_range(raw[name])
                                for name in ("shares", "dividends_paid")):
        grid = batch_calls.accrual(spec, raw, kernel, with_stated_value)
        if grid is not None:
            return grid
    return calls.elementwise(spec, raw, kernel)


# --- §5 ------------------------------------------------------------------------------------

@excel_function(each=conversion.common_on_conversion)
def SERIESM_CONVERT(shares, closing_date, conversion_date, conversion_number=4000,
                    holding=None, leap_anniversary="28 February"):
    ...


_LEDGER = dated_calls.LEDGER
@excel_function
def SERIESM_DILUTE(conversion_number, common_outstanding, new_shares, consideration,
                   exempt=False, threshold_price=0.25, dates=None, splits=None,
                   threshold_after_split="literal"):
    spec = BY_NAME["SERIESM_DILUTE"]
    raw = raw_arguments(locals(), spec)
    found = calls.ranges_of(spec, raw)
    fixed: dict[str, Any] = {a.name: calls.read(a, calls.single(raw[a.name]))
                             for a in spec.args if a.name not in found}
    dated = "dates" in found or fixed.get("dates") is not None or fixed["splits"]
    if not found and not dated:
        return calls.elementwise(spec, raw, dated_calls.undated)
    rows, columns = calls.output_shape(spec, raw)
    if dated:
        answers = dated_calls.dated_ledger(spec, raw, found, fixed, columns)
        return calls.reshape(answers, rows, columns) if found else answers[0]
    for name in dated_calls.DATED:
        fixed.pop(name, None)
    running = fixed.pop("conversion_number")
    count = len(next(iter(found.values())))
    cells: list[object] = []
    start = 0
    if not explaining():  # a column at a time, as far as the rows are plain
        run = batch_calls.dilution(spec, found, fixed, running, count)
        if run is not None:
            cells, start, running = list(run.numbers), run.stopped, run.running
    failed: str | None = None  # once a row fails, every later row depends on it
    for index in range(start, count):
        row = {name: found[name][index] for name in found}
        if failed is None and not all(dated_calls.blank(row.get(name, raw[name]))
                                      for name in _LEDGER):
            if explaining():
                note(f"issuance in row {index + 1} of the ledger", index + 1, spec.section)
            try:
                read = {name: calls.read(spec.arg(name), value) for name, value in row.items()}
                running = conversion.dilute(running, **{**fixed, **read})
            except SeriesMError as error:
                failed = calls.row_error(error, spec, index, columns)
        cells.append(failed if failed is not None else values.to_excel(running))
    return calls.reshape(cells, rows, columns)


# --- §3 ------------------------------------------------------------------------------------

@excel_function
def SERIESM_WATERFALL(proceeds, pref_shares, common_shares, accrued_dividends,
                      conversion_number=4000, convertible=True, dividends_on_conversion=True,
                      output=None, stack=None):
    spec = BY_NAME["SERIESM_WATERFALL"]
    raw = raw_arguments(locals(), spec)
    found = calls.ranges_of(spec, raw)
    read: dict[str, Any] = {a.name: calls.read(a, calls.single(raw[a.name]))
                            for a in spec.args if a.name not in found}
    capital = _capital(read)
    if read["stack"]:
        return stack_calls.waterfall(spec, read, found.get("proceeds"), capital, read["stack"])
    pick = _label_index(read["output"]) if read["output"] is not None else None
    if "proceeds" not in found:
        split = liquidation.waterfall(read["proceeds"], capital, read["convertible"])
        row = [values.to_excel(v) for v in split.values()]
        if pick is not None:
            return note(f"output: {liquidation.WATERFALL_LABELS[pick]}", row[pick],
                                spec.section)
        return [[label, value] for label, value in
                zip(liquidation.WATERFALL_LABELS, row, strict=True)]
    grid = (None if explaining()
            else batch_calls.waterfall(spec, raw, pick, capital, read["convertible"]))
    if grid is not None:
        return grid
    table: list[list[object]] = []
    for index, cell in enumerate(found["proceeds"]):
        try:
            amount = calls.read(spec.arg("proceeds"), cell)
            split = liquidation.waterfall(amount, capital, read["convertible"])
            row = [values.to_excel(amount), *(values.to_excel(v) for v in split.values())]
        except SeriesMError as error:
            row = [calls.row_error(error, spec, index, 1)] * (1 + len(liquidation.WATERFALL_LABELS))
        table.append(row)
    if pick is not None:
        return [[row[pick + 1]] for row in table]
    return [["Exit value", *liquidation.WATERFALL_LABELS], *table]


def _label_index(label: str) -> int:
    wanted = " ".join(label.lower().split())
    for index, known in enumerate(liquidation.WATERFALL_LABELS):
        if known.lower() == wanted:
            return index
    raise errors.unknown_label("output", label, liquidation.WATERFALL_LABELS)


# --- §3, §6: liquidation value, redemption ------------------------------------------------

@excel_function
def SERIESM_LIQVALUE(shares, closing_date, as_of_date, dividends_paid=0, basis=0,
                     accrual="per period", schedule="from closing"):
    spec = BY_NAME["SERIESM_LIQVALUE"]
    return _accrual(spec, raw_arguments(locals(), spec), liquidation.liquidation_value,
                    with_stated_value=True)


@excel_function
def SERIESM_REDEEM(shares, closing_date, redemption_date, dividends_paid=0, basis=0,
                   accrual="per period", schedule="from closing"):
    spec = BY_NAME["SERIESM_REDEEM"]
    return _accrual(spec, raw_arguments(locals(), spec), redemption.redemption_price,
                    with_stated_value=True)


@excel_function(each=redemption.redeemable_shares)
def SERIESM_REDEEMABLE(available_funds, price_per_share, shares_called=None, fractional=False):
    ...


@excel_function(each=redemption.earliest_redemption_date)
def SERIESM_REDEEMDATE(notice_date):
    ...


@excel_function(each=redemption.last_conversion_date)
def SERIESM_CONVERTBY(closing_date, notice_received, leap_anniversary="28 February"):
    ...


@excel_function(each=liquidation.breakpoint)
def SERIESM_BREAKPOINT(pref_shares, common_shares, accrued_dividends, conversion_number=4000,
                       dividends_on_conversion=True):
    ...


@excel_function
def SERIESM_ALLOCATE(amount, weights, unit=0.01):
    spec = BY_NAME["SERIESM_ALLOCATE"]
    raw = raw_arguments(locals(), spec)
    read = {a.name: calls.read(a, calls.single(raw[a.name]))
            for a in spec.args if a.name != "weights"}
    cells, rows, columns = calls.cells_of("weights", weights if isinstance(weights, (list, tuple))
                                          else [weights])
    weight_values = []
    for index, cell in enumerate(cells):
        try:
            weight_values.append(calls.read(spec.arg("weights"), cell))
        except SeriesMError as error:
            raise SeriesMError(error.code, calls.row_error(error, spec, index, columns)
                               .split(" ", 1)[1]) from None
    shares = allocation.allocate(read["amount"], weight_values, read["unit"])
    return calls.reshape([values.to_excel(s) for s in shares], rows, columns)


# --- §3(c) deemed liquidation ---------------------------------------------------------------

@excel_function
def SERIESM_DEEMEDLIQ(transaction, electing_shares, outstanding_shares, voting_power_kept=None,
                      shares_exchanged=True, substantially_all=True, lender_pledge=False,
                      affiliate_transfer=False, explain=False):
    spec = BY_NAME["SERIESM_DEEMEDLIQ"]
    read = calls.read_all(spec, raw_arguments(locals(), spec))
    explain_ = read.pop("explain")
    verdict = liquidation.deemed_liquidation(**read)
    if explain_:
        return note("explain: the reason in words", verdict.reason, spec.section)
    return verdict.treated_as_liquidation


@excel_function(each=notices.deemed_liquidation_notice_by)
def SERIESM_LIQNOTICEBY(vote_date, transaction_closing):
    ...


@excel_function(each=notices.election_by)
def SERIESM_ELECTBY(effective_date):
    ...


# --- §5: conversion details, votes, adjustments ---------------------------------------------

@excel_function(each=conversion.conversion_opens)
def SERIESM_CONVERTFROM(closing_date, leap_anniversary="28 February"):
    ...


@excel_function(each=conversion.cash_in_lieu)
def SERIESM_CASHINLIEU(shares, conversion_number, market_price):
    ...


@excel_function(each=conversion.votes)
def SERIESM_VOTES(shares, closing_date, record_date, conversion_number=4000,
                  before_anniversary="as-converted", leap_anniversary="28 February"):
    ...


@excel_function(each=conversion.split_adjust)
def SERIESM_SPLIT(conversion_number, new_shares, old_shares):
    ...


@excel_function(each=governance.reserve_shortfall)
def SERIESM_RESERVE(authorized_unissued, series_m_outstanding, conversion_number=4000):
    ...


def _par_value_allowed(conversion_number: Any, par_value: Any) -> bool:
    return note("allowed: headroom 0 or more", bool(
        governance.par_value_headroom(conversion_number, par_value) >= 0), "§9(a)")


@excel_function(each=_par_value_allowed)
def SERIESM_PAROK(conversion_number, par_value=0.05):
    ...


@excel_function(each=governance.class_vote_passes)
def SERIESM_CLASSVOTE(shares_for, outstanding_shares):
    ...


# --- §5(f), §10: business days and deadlines ------------------------------------------------

@functools.lru_cache(maxsize=64)
def _bank_calendar(closures: frozenset[Any] | None,
                   openings: frozenset[Any] | None) -> Any:
    """One calendar per set of closures and openings (array calls reuse it)."""
    from xl_seriesm.core.calendar import BankCalendar  # noqa: PLC0415

    return BankCalendar(closures or (), openings or ())


def _on_calendar(core: Callable[..., object]) -> Callable[..., object]:
    """A core function that takes a bank calendar, called with Excel's closures/openings."""
    def kernel(closures: Any, openings: Any, **args: Any) -> object:
        return core(calendar=_bank_calendar(closures, openings), **args)
    return kernel


def _is_business_day(test_date: Any, calendar: Any) -> object:
    return calendar.is_open(test_date, "test_date")


def _workday(start_date: Any, days: Any, calendar: Any) -> object:
    # Excel's WORKDAY drops a fraction of a day (WORKDAY(d, 1.7) is one day on).
    return calendar.workday(start_date, int(days))


@excel_function(each=_on_calendar(_is_business_day))
def SERIESM_ISBUSDAY(test_date, closures=None, openings=None):
    ...


@excel_function(each=_on_calendar(_workday))
def SERIESM_WORKDAY(start_date, days, closures=None, openings=None):
    ...


@excel_function(each=_on_calendar(notices.delivery_deadline))
def SERIESM_DEADLINE(received, business_days=10, closures=None, openings=None,
                     count_from="receipt day"):
    ...


@excel_function(each=_on_calendar(notices.conversion_date))
def SERIESM_CONVDATE(notice_received, closures=None, openings=None):
    ...


@excel_function(each=_on_calendar(notices.may_revoke))
def SERIESM_CANREVOKE(received, as_of_date, delivered=None, business_days=10, closures=None,
                      openings=None, count_from="receipt day"):
    ...


@excel_function(each=_on_calendar(notices.record_notice_by))
def SERIESM_RECORDNOTICEBY(action_date, closures=None, openings=None):
    ...


# --- §2 schedule ----------------------------------------------------------------------------

SCHEDULE_HEADER = ("Payment date", "Dividend due", "Paid", "Arrears")


@excel_function
def SERIESM_SCHEDULE(shares, closing_date, through_date, dividends_paid=0, basis=0,
                     schedule="from closing", accrual="per period"):
    spec = BY_NAME["SERIESM_SCHEDULE"]
    read = calls.read_all(spec, raw_arguments(locals(), spec))
    rows = dividends.dividend_schedule(**read)
    return [list(SCHEDULE_HEADER),
            *([row.payment_date, *(values.to_excel(v) for v in row[1:])] for row in rows)]


# --- §3 by holder, §5(d), §2, §3(d) ------------------------------------------------------------

@excel_function
def SERIESM_PAYOUTS(proceeds, holder_shares, holder_accrued, common_shares,
                    conversion_number=4000, convertible=True, dividends_on_conversion=True,
                    stack=None):
    spec = BY_NAME["SERIESM_PAYOUTS"]
    return stack_calls.payouts_call(spec, raw_arguments(locals(), spec))


@excel_function
def SERIESM_REORG(transaction, voting_securities_sold=None, substantially_all=True, explain=False):
    spec = BY_NAME["SERIESM_REORG"]
    read = calls.read_all(spec, raw_arguments(locals(), spec))
    explain_ = read.pop("explain")
    verdict = reorganization.reorganization(read.pop("transaction"), **read)
    if explain_:
        return note("explain: the reason in words", verdict.reason, spec.section)
    return verdict.is_reorganization


@excel_function(each=reorganization.consideration_on_conversion)
def SERIESM_REORGVALUE(shares, consideration_per_common, conversion_number=4000):
    ...


@excel_function(each=governance.other_dividend_allowed)
def SERIESM_OTHERDIVOK(series_m_arrears, set_apart=0):
    ...


@excel_function(each=governance.appraiser_may_be_required)
def SERIESM_APPRAISER(requesting_shares, outstanding_shares):
    ...


# --- valuation: the option pricing model over the §3 waterfall -------------------------------

@excel_function
def SERIESM_BREAKPOINTS(pref_shares, common_shares, accrued_dividends, conversion_number=4000,
                        dividends_on_conversion=True, stack=None):
    spec = BY_NAME["SERIESM_BREAKPOINTS"]
    read = calls.read_all(spec, raw_arguments(locals(), spec))
    found = read.pop("stack")
    if found:
        return stack_calls.breakpoints(_capital(read), found)
    rows = valuation.series_m_breakpoints(**read)
    return [[values.to_excel(cell) for cell in row] for row in rows]


def _capital(read: dict[str, Any]) -> liquidation.Capital:
    return liquidation.Capital(read["pref_shares"], read["common_shares"],
                               read["accrued_dividends"], read["conversion_number"],
                               read["dividends_on_conversion"])


def _opm_inputs(spec: Function, raw: dict[str, object]) -> tuple[Any, ...]:
    """The arguments of an OPM call, the Series M as the OPM values it (its dividends to the
    exit unless dividends_to_exit is FALSE), and the market."""
    read = calls.read_all(spec, raw)
    capital = stack_calls.at_exit(_capital(read), read["term_years"],
                                  read["dividends_to_exit"])
    market = valuation.check_market(read["volatility"], read["term_years"],
                                    read["risk_free_rate"])
    return read, capital, market


@excel_function
def SERIESM_OPM(equity_value, volatility, term_years, risk_free_rate, pref_shares,
                common_shares, accrued_dividends, conversion_number=4000,
                dividends_on_conversion=True, output=None, dividends_to_exit=True, stack=None):
    spec = BY_NAME["SERIESM_OPM"]
    read, capital, market = _opm_inputs(spec, raw_arguments(locals(), spec))
    return stack_calls.opm(read["equity_value"], capital, market, read["stack"] or (),
                           read["output"])


@excel_function
def SERIESM_OPM_BACKSOLVE(price_per_share, volatility, term_years, risk_free_rate, pref_shares,
                          common_shares, accrued_dividends, conversion_number=4000,
                          dividends_on_conversion=True, target="Series M per share",
                          dividends_to_exit=True, stack=None):
    spec = BY_NAME["SERIESM_OPM_BACKSOLVE"]
    read, capital, market = _opm_inputs(spec, raw_arguments(locals(), spec))
    return stack_calls.backsolve(read["price_per_share"], capital, market, read["stack"] or (),
                                 read["target"])


# --- every figure explained -------------------------------------------------------------------

@excel_function
def SERIESM_EXPLAIN(function_name, arg1=None, arg2=None, arg3=None, arg4=None, arg5=None,
                    arg6=None, arg7=None, arg8=None, arg9=None, arg10=None, arg11=None,
                    arg12=None):
    spec = BY_NAME["SERIESM_EXPLAIN"]
    raw = raw_arguments(locals(), spec)
    name = calls.read(spec.arg("function_name"), calls.single(raw.pop("function_name")))
    return explain.explain_cell(name, [raw[f"arg{n}"] for n in range(1, 13)], globals())


def explain_call(name: object, args: Sequence[object]) -> explain.Explanation:
    """Run the Excel function ``name`` of this module on ``args`` (as a cell passes them)
    while its core records each step: :func:`xl_seriesm.excel.explain.explain_call`."""
    return explain.explain_call(name, args, globals())


#: The Excel functions, for ``from xl_seriesm.udfs import *`` (the xlwings Lite main.py).
__all__ = sorted(name for name in dir() if name.startswith("SERIESM_"))
