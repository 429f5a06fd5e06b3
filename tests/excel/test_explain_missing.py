"""SERIESM_EXPLAIN of a call missing arguments names them as the function itself would
(issue 21, item 7: it answered "unexpected TypeError ... please report it")."""

from __future__ import annotations

import pytest

from xl_seriesm import udfs
from xl_seriesm.excel.spec import FUNCTIONS, Function


def test_explain_accrued_with_no_arguments_names_the_first_missing_one() -> None:
    table = udfs.SERIESM_EXPLAIN("ACCRUED")
    assert table[-1] == ["error", "#VALUE! shares = (empty): required; give a value.", "§2"]


@pytest.mark.parametrize("function", [f for f in FUNCTIONS if f.name != "SERIESM_EXPLAIN"],
                         ids=lambda f: f.name)
def test_explain_with_arguments_left_out_says_what_the_function_says(function: Function
                                                                    ) -> None:
    table = udfs.SERIESM_EXPLAIN(function.name.removeprefix("SERIESM_"))
    alone = getattr(udfs, function.name)(*[None] * len(function.args))
    text = alone[0][0] if isinstance(alone, list) else alone
    assert "unexpected" not in str(table)
    if isinstance(text, str) and text.startswith("#"):
        assert table[-1][1] == text
