"""The comparison rules of `seriesm regress`."""

from __future__ import annotations

import pytest

from xl_seriesm.engine import CellError
from xl_seriesm.regress.runner import Tolerance, values_match

DEFAULT = Tolerance()


@pytest.mark.parametrize(("cached", "recomputed", "same", "why"), [
    (10_000_000.00, 10_000_000.01, False, "a cent moved on $10,000,000 is caught"),
    (10_000_000.00, 10_000_000.004, True, "less than half a cent is not"),
    (1e15, 1e15 + 0.125, True, "float noise on a huge figure (rtol 1e-12)"),
    (0.1 + 0.2, 0.3, True, "binary noise"),
    (38727.0, 38727, True, "a date is its serial number"),
    (38727.0, 38728.0, False, "a day later"),
    ("OK", "OK", True, "text equal"),
    ("OK", "ok", False, "text exactly"),
    (True, True, True, "booleans"),
    (True, 1.0, True, "TRUE cached, 1 recomputed: Calc keeps TRUE as 1"),
    (True, 0.0, False, "but not 0"),
    (CellError("#DIV/0!"), "x", False, "text is no error"),
    ("#DIV/0! shares = #DIV/0!: the cell holds an error; correct it first.",
     CellError("#DIV/0!"), True, "Calc gives an argument's error itself"),
    (1.0, True, False, "nor 1 TRUE"),
    (CellError("#DIV/0!"), CellError("#DIV/0!"), True, "the same error"),
    (CellError("#DIV/0!"), CellError("#N/A"), False, "another error"),
    (CellError("#DIV/0!"), 0.0, False, "an error that no longer errors"),
    (5.0, CellError("#NUM!"), False, "a formula that now errors"),
    (CellError("#NUM!"), "#NUM! shares = -5: must be 0 or more.", True,
     "a SERIESM error text is an error of its code"),
    (CellError("#N/A"), "#NUM! shares = -5: must be 0 or more.", False, "of its code only"),
    (CellError("#VALUE!"), "#NUM! shares = -5: must be 0 or more.", True,
     "xlwings Lite shows every raised error as #VALUE!"),
    ("#NUM! shares = -5: must be 0 or more.", "#NUM! shares = -5: must be 0 or more.", True,
     "classic Excel caches the text"),
    (None, "", True, "a formula giving empty text"),
    (None, 5.0, False, "no cached value"),
])
def test_values_match(cached: object, recomputed: object, same: bool, why: str) -> None:
    assert values_match(cached, recomputed, DEFAULT) is same, why


def test_tolerances_are_settable() -> None:
    assert values_match(100.0, 100.02, Tolerance(atol=0.05, rtol=0))
    assert not values_match(100.0, 100.02, Tolerance(atol=0.001, rtol=0))
