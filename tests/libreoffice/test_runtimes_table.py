"""The README's "What each runtime shows" table, LibreOffice column: what the Calc add-in
(the extension, called by its Calc name as `seriesm relink --to calc` writes it) shows for
each case, computed by LibreOffice here and compared with the README's words."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from tests.conftest import require_libreoffice

ROOT = Path(__file__).resolve().parent.parent.parent
CALC = "ORG.XLSERIESM.SERIESMADDIN.SERIESM_ACCRUED"
DATES = "DATE(2005,1,10),DATE(2005,4,10)"

#: README row → (the cells it computes, the LibreOffice column's words). The figures are the
#: first full quarter, 10 Jan to 10 Apr 2005: 9,100 × $1,000 × 5% ÷ 4 = $113,750 (§2).
CASES = {
    "bad argument": (["E1"], "the text `#NUM! shares = -5: must be 0 or more.`"),
    # Calc hands an add-in a single empty cell as 0 (libreoffice/calc_values.py): for the
    # optional arguments 0 is each default (no dividends paid, basis 0 = US 30/360) ...
    "empty optional cells": (["E2"], "arrive as 0 (Calc hands an add-in a single empty cell "
                                     "as 0), which is each default: `113750`"),
    # ... and an empty shares cell is 0 shares, which accrue $0 (§2: 0 × $1,000 × 5%).
    "empty required cell": (["E3"], "arrives as 0, as a formula reads an empty cell: `0` (0 "
                                    "shares accrue $0); the classic add-in and Lite can "
                                    "tell empty from 0, Calc cannot"),
    "array result": (["E4", "E5"], "a column: `113750` and the text `#NUM! shares row 2 = "
                                   "-5: must be 0 or more.`"),
}


def _book() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    sheet["A1"], sheet["A2"] = 9100, -5  # B1:B3 stay empty: the empty cells
    sheet["E1"] = f"={CALC}(-5,{DATES})"
    sheet["E2"] = f"={CALC}(9100,{DATES},B1,B2)"
    sheet["E3"] = f"={CALC}(B3,{DATES})"
    sheet["E4"] = ArrayFormula("E4:E5", f"={CALC}(A1:A2,{DATES})")
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def _readme_column() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- runtimes:start -->", 1)[1].split("<!-- runtimes:end -->", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in table.strip().splitlines()[2:]]
    return {next(k for k in CASES if row[0].startswith(k)): row[3] for row in rows}


@pytest.mark.libreoffice
def test_the_readme_says_what_the_calc_add_in_shows() -> None:
    require_libreoffice()
    from xl_seriesm.engine.office import Engine  # noqa: PLC0415

    with Engine() as engine:
        computed = engine.compute(_book(), {"Sheet": ["E1:E5"]}, 120).values
    cells = dict(zip(["E1", "E2", "E3", "E4", "E5"],
                     [row[0] for grid in computed["Sheet"] for row in grid], strict=True))
    column = _readme_column()
    assert sorted(column) == sorted(CASES)
    for case, (refs, words) in CASES.items():
        assert column[case] == words, case
        for ref in refs:
            assert _shown(cells[ref]) in words, (case, ref, cells[ref])
