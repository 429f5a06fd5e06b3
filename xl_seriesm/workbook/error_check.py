"""The Check that no cell of the workbook shows an error, and what the status says when the
add-in's functions are not loaded (issue 23, item 2).

A workbook opened where its functions do not run shows ``#NAME?`` in every computed cell;
the status must never say "All checks OK" beside that. So the Checks sheet counts the cells
showing an error on every other sheet (ISERROR over each sheet's block below its first row:
the first row holds the status itself, which would make the count circular), and in the
add-in flavor first asks one ``SERIESM_*`` function for a figure it always has: when that is
an error, the functions are not loaded, and every sheet's status says so in red.
"""

from __future__ import annotations

from xl_seriesm.workbook import base as model
from xl_seriesm.workbook.sheets.checks import ALL_OK, FIRST_CHECK_ROW, overall_status
from xl_seriesm.xlsx import cellrefs

#: What every sheet's status says in the add-in flavor when its functions do not run.
#: (As short as the longest status the columns are measured for: it shows whole.)
NOT_LOADED = "Functions not loaded"
#: The Check's result then, on the Checks sheet.
NOT_LOADED_RESULT = "FAILS: functions not loaded"
LABEL = "No cell of the workbook shows an error"
#: A call the add-in always answers (15 days after the Closing Date, §6(a)), asked only to
#: learn whether the functions run.
PROBE = "SERIESM_REDEEMDATE(ClosingDate)"


def error_ranges(sheets: list[model.Sheet]) -> list[str]:
    """Each sheet's block below its first row, but the Checks sheet's own."""
    ranges = []
    for sheet in sheets:
        if sheet.name == model.CHECKS or not sheet.cells:
            continue
        at = [cellrefs.split(c.ref) for c in sheet.cells]
        right, bottom = max(c for c, _ in at), max(r for _, r in at)
        if bottom >= 2:
            ranges.append(f"{_quoted(sheet.name)}!A2:{cellrefs.letters(right)}{bottom}")
    return ranges


def _quoted(name: str) -> str:
    return name if name.replace("_", "").isalnum() else "'" + name.replace("'", "''") + "'"


def error_count(sheets: list[model.Sheet]) -> str:
    """A formula (without =) counting the cells that show an error."""
    return "+".join(f"SUMPRODUCT(ISERROR({r})*1)" for r in error_ranges(sheets)) or "0"


def result_formulas(sheets: list[model.Sheet]) -> tuple[str, str]:
    """The Check's formula in the add-in flavor and in the built-ins flavor."""
    count = error_count(sheets)
    errors = f'IF({count}=0,"OK","FAILS: "&TEXT({count},"#,##0")&" errors")'
    return f'=IF(ISERROR({PROBE}),"{NOT_LOADED_RESULT}",{errors})', f"={errors}"


def status_formula(status: str) -> str:
    """A status cell's formula in the add-in flavor: "Functions not loaded" when they do not
    run, else ``status``. It calls the probe itself and is written as an array formula:
    LibreOffice (unless set to recalculate on opening) recomputes array formulas on opening
    and shows the cached value of the others, so a plain status would keep its cached "All
    checks OK" beside the #NAME? of the array columns."""
    return f'=IF(ISERROR({PROBE}),"{NOT_LOADED}",{status})'


def add_check(sheets: list[model.Sheet], results: list[object]) -> list[object]:
    """Add the Check after the others on the Checks sheet, make the overall status count it
    (and say, in the add-in flavor, when the functions are not loaded); the results with it
    (it holds for the figures the core computed)."""
    checks = next(s for s in sheets if s.name == model.CHECKS)
    row = FIRST_CHECK_ROW + len(results)
    udf, native = result_formulas(sheets)
    checks.text(f"A{row}", LABEL, model.Role.LABEL)
    checks.add(f"B{row}", model.Role.COMPUTED, model.Kind.TEXT, udf=udf, native=native,
               expected="OK", array=f"B{row}")
    checks.text(f"C{row}", "The cells showing #NAME?, #VALUE!, #DIV/0! or another error: in "
                "seriesm-captable.xlsx #NAME? everywhere means the xl-seriesm functions are "
                "not loaded (open it where they run, or open the native workbook)")
    checks.text(f"D{row}", "every figure is a number, a date or a text")
    results = [*results, "OK"]
    span = f"B{FIRST_CHECK_ROW}:B{row}"
    status = overall_status(results)
    overall = (f'IF(COUNTIF({span},"OK")=ROWS({span}),"{ALL_OK}",ROWS({span})'
               f'-COUNTIF({span},"OK")&" of "&ROWS({span})&" checks FAIL")')
    checks.cells = [c for c in checks.cells if c.ref != "B3"]
    checks.add("B3", model.Role.COMPUTED, model.Kind.TEXT, expected=status,
               udf=status_formula(overall), native=f"={overall}", array="B3")
    return results
