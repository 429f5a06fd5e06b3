"""Excel's own rules at the edges (issue 9): argument names, early dates, inf, tuples."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xl_seriesm import udfs
from xl_seriesm.core.errors import is_error_text
from xl_seriesm.excel.spec import FUNCTIONS, Kind

# MS-VBAL (the VBA language specification) §3.3.5.2 Reserved Identifiers, every group:
# statement-keyword, marker-keyword, operator-identifier, special-form,
# reserved-type-identifier, reserved-name, literal-identifier, rem-keyword,
# reserved-for-implementation-use, future-reserved. xlwings writes a VBA wrapper per function
# whose parameters are the Python argument names: one of these as a name stops the whole
# module from compiling.
VBA_RESERVED = frozenset(word.lower() for word in """
Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng DefLngLng
DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase Event Exit For
Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop LSet Next On Open
Option Print Private Public Put RaiseEvent ReDim Resume Return RSet Seek Select Set Static Stop
Sub Type Unlock Wend While With Write Any As ByRef ByVal Each In New Shared Until WithEvents
Optional ParamArray Preserve Spc Tab Then To AddressOf And Eqv Imp Is Like Mod Not Or TypeOf
Xor Array Circle InputB LBound Scale UBound Boolean Byte Currency Date Double Integer Long
LongLong LongPtr Single String Variant Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng
CLngPtr CSng CStr CVar CVErr Debug DoEvents Fix Int Len LenB Me PSet Sgn Empty False Nothing
Null True Rem Attribute Line LineInput VB_Base VB_Control VB_Creatable VB_Customizable
VB_Description VB_Exposed VB_Ext_Key VB_GlobalNameSpace VB_HelpID VB_Invoke_Func
VB_Invoke_Property VB_Invoke_PropertyPut VB_Invoke_PropertyPutRef VB_MemberFlags VB_Name
VB_PredeclaredId VB_ProcData VB_TemplateDerived VB_UserMemId VB_VarDescription VB_VarHelpID
VB_VarMemberFlags VB_VarProcData VB_VarUserMemId CDecl Decimal DefDec
""".split())  # noqa: SIM905


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_no_argument_is_a_vba_reserved_identifier(function: object) -> None:
    names = {arg.name.lower() for arg in function.args}  # type: ignore[attr-defined]
    assert not names & VBA_RESERVED, f"{function.name}: rename {names & VBA_RESERVED}"  # type: ignore[attr-defined]


def test_isbusday_takes_test_date() -> None:
    # The Federal Reserve schedule: Christmas 2021 on a Saturday, Friday 24 December open.
    assert udfs.SERIESM_ISBUSDAY(test_date=date(2021, 12, 24)) is True


@pytest.mark.parametrize("typed", ["1800-01-01", date(1899, 12, 31),
                                   datetime(1850, 6, 1, 10, 0), "1899-12-31 16:00"])
def test_dates_before_1900_are_refused_however_typed(typed: object) -> None:
    # Excel's first date is 1900-01-01 (serial 1); serial 0 is refused, so is anything earlier.
    result = udfs.SERIESM_CONVERTFROM(typed)
    assert isinstance(result, str)
    assert result.startswith("#NUM! closing_date = ")
    assert "must be a date from 1900-01-01 to 9999-12-31" in result


def test_every_date_argument_refuses_1899() -> None:
    for function in FUNCTIONS:
        for index, arg in enumerate(function.args):
            if arg.kind not in (Kind.DATE, Kind.MOMENT) or not function.examples:
                continue
            args = list(function.examples[0].args) + [None] * len(function.args)
            args = args[:len(function.args)]
            args[index] = "1899-12-31"
            result = getattr(udfs, function.name)(*args)
            cell = result[0][0] if isinstance(result, list) else result
            assert is_error_text(cell), (function.name, arg.name)
            assert "1900-01-01" in cell, (function.name, arg.name)


def test_no_function_returns_infinity() -> None:
    # §5(h): 1 × 4,285.71 leaves 0.71 of a share; at a market price of 10**400 dollars the
    # cash is 0.71 × 10**400, which no cell can hold (a float would be inf).
    result = udfs.SERIESM_CASHINLIEU(1, 4285.71, 10**400)
    assert isinstance(result, str)
    assert result.startswith("#NUM! SERIESM_CASHINLIEU: the result "
                                                         "is beyond what a cell can hold")
    result = udfs.SERIESM_CASHINLIEU([[1], [3]], 4285.71, 10**400)
    assert all(is_error_text(row[0]) for row in result)


def test_tuples_read_like_lists() -> None:
    # SERIESM_ALLOCATE: $100 over three equal claims, 33.34 / 33.33 / 33.33, from a tuple.
    assert udfs.SERIESM_ALLOCATE(100, ((1,), (1,), (1,))) == [[33.34], [33.33], [33.33]]
    assert udfs.SERIESM_ALLOCATE(100, [[1], [1], [1]]) == [[33.34], [33.33], [33.33]]
    # SERIESM_ACCRUED over a tuple column: 9,100 shares, one quarter, $113,750 (§2).
    assert udfs.SERIESM_ACCRUED(((9100,), (100,)), date(2005, 1, 10), date(2005, 4, 10)) == [
        [113750.0], [1250.0]]


def test_payouts_through_excel() -> None:
    # The worked example, dividends forfeited: $104,000 and $110,000 (§3, §5).
    assert udfs.SERIESM_PAYOUTS(370_000, [[100], [100]], [[0], [10_000]], 600_000, 4000,
                                True, False) == [[104_000.0], [110_000.0]]
    # 0 is FALSE for dividends_on_conversion, as in Excel.
    assert udfs.SERIESM_PAYOUTS(370_000, [[100], [100]], [[0], [10_000]], 600_000, 4000,
                                1, 0) == [[104_000.0], [110_000.0]]
    # A bad holding is named and echoed with its row; text in a row too.
    result = udfs.SERIESM_PAYOUTS(370_000, [[100], [-1]], [[0], [0]], 600_000)
    assert result == "#NUM! holder_shares row 2 = -1: must be 0 or more."
    result = udfs.SERIESM_PAYOUTS(370_000, [[100], ["x"]], [[0], [0]], 600_000)
    assert result == '#VALUE! holder_shares row 2 = "x": not a number; use a number.'
    result = udfs.SERIESM_PAYOUTS(370_000, [[100], [100]], [[0]], 600_000)
    assert result.startswith("#VALUE! ranges of unequal length")


def test_liqnoticeby_without_a_vote() -> None:
    # §3(c): no vote (written consent): 20 days before the closing, 15 July − 20 = 25 June.
    assert udfs.SERIESM_LIQNOTICEBY(None, date(2007, 7, 15)) == date(2007, 6, 25)
    assert udfs.SERIESM_LIQNOTICEBY(0, date(2007, 7, 15)) == date(2007, 6, 25)
    assert udfs.SERIESM_LIQNOTICEBY(date(2007, 6, 30), date(2007, 7, 15)) == date(2007, 6, 10)


def test_redeem_refuses_a_date_earlier_than_15_days_after_closing_over_many_rows() -> None:
    # §6(a): closing 10 January 2005: 24 January is too early, in the column path too.
    result = udfs.SERIESM_REDEEM([[100]] * 20, date(2005, 1, 10), date(2005, 1, 24))
    assert all(row[0].startswith("#NUM! redemption_date") for row in result)


def test_waterfall_column_never_pays_more_than_the_proceeds() -> None:
    # §3(b): the column kernel (20 rows) as the per-cell path: $1,000.005 pays $1,000.00.
    result = udfs.SERIESM_WATERFALL([[1000.005]] * 20, 9100, 36.4e6, 100_000, 4000, True, True,
                                    "Common total")
    assert result == [[0.005]] * 20
    assert udfs.SERIESM_WATERFALL(1000.005, 9100, 36.4e6, 100_000, 4000, True, True,
                                  "Series M total") == 1000.0
