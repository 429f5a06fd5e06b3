"""The one description of every Excel function.

From this spec the xlwings decorators are applied (:mod:`xl_seriesm.excel.udfs`), the function
reference in ``udf_docs/`` is generated (:mod:`xl_seriesm.excel.docs`), the xlwings Lite module is
written (:mod:`xl_seriesm.excel.install`), and the worked examples are run as tests. Text shown in
Excel's function wizard (``description`` of a function and of each argument) is one plain
sentence within Excel's 255-character limit.

The functions' data is kept one file per clause family of the certificate (:mod:`.dividends`,
:mod:`.liquidation`, :mod:`.governance`, :mod:`.conversion`, :mod:`.notices`,
:mod:`.calendar`, :mod:`.redemption`, :mod:`.valuation`, :mod:`.explain`), as the pieces
they share are in :mod:`.base`; this module puts them in the one order every generated file
follows.
"""

from __future__ import annotations

from xl_seriesm.excel.spec import (
    calendar,
    conversion,
    dividends,
    explain,
    governance,
    liquidation,
    notices,
    redemption,
    valuation,
)
from xl_seriesm.excel.spec.base import CATEGORY, REQUIRED, Arg, Example, Function, Kind

__all__ = ["BY_NAME", "CATEGORY", "EXCEL_TEXT_LIMIT", "FUNCTIONS", "REQUIRED",
           "WIZARD_ARGUMENT_LIMIT", "Arg", "Example", "Function", "Kind"]

#: Every function, in the order of the reference, the add-ins and the golden book.
FUNCTIONS: tuple[Function, ...] = (
    dividends.SERIESM_ACCRUED,
    conversion.SERIESM_CONVERT,
    conversion.SERIESM_DILUTE,
    liquidation.SERIESM_WATERFALL,
    liquidation.SERIESM_LIQVALUE,
    redemption.SERIESM_REDEEM,
    redemption.SERIESM_REDEEMABLE,
    redemption.SERIESM_REDEEMDATE,
    redemption.SERIESM_CONVERTBY,
    liquidation.SERIESM_BREAKPOINT,
    liquidation.SERIESM_ALLOCATE,
    liquidation.SERIESM_DEEMEDLIQ,
    liquidation.SERIESM_LIQNOTICEBY,
    liquidation.SERIESM_ELECTBY,
    conversion.SERIESM_CONVERTFROM,
    conversion.SERIESM_CASHINLIEU,
    governance.SERIESM_VOTES,
    conversion.SERIESM_SPLIT,
    conversion.SERIESM_RESERVE,
    governance.SERIESM_PAROK,
    governance.SERIESM_CLASSVOTE,
    calendar.SERIESM_ISBUSDAY,
    calendar.SERIESM_WORKDAY,
    notices.SERIESM_DEADLINE,
    notices.SERIESM_CONVDATE,
    notices.SERIESM_CANREVOKE,
    notices.SERIESM_RECORDNOTICEBY,
    dividends.SERIESM_SCHEDULE,
    liquidation.SERIESM_PAYOUTS,
    conversion.SERIESM_REORG,
    conversion.SERIESM_REORGVALUE,
    dividends.SERIESM_OTHERDIVOK,
    liquidation.SERIESM_APPRAISER,
    liquidation.SERIESM_BREAKPOINTS,
    valuation.SERIESM_OPM,
    valuation.SERIESM_OPM_BACKSOLVE,
    explain.SERIESM_EXPLAIN,
)

#: Functions by Excel name.
BY_NAME: dict[str, Function] = {f.name: f for f in FUNCTIONS}

#: Excel's limits on what the function wizard shows.
EXCEL_TEXT_LIMIT = 255
WIZARD_ARGUMENT_LIMIT = 254
