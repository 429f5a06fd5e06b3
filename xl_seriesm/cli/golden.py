"""The project's golden spreadsheets, in ``workbooks/golden/``.

A golden workbook holds formulas whose cached values are the agreed answers. Here those
answers do not come from this package's code:

* ``functions.xlsx``: one case per worked example of the function reference (every
  ``SERIESM_*`` function, error cases included), plus error cases below, each with its
  formula, section and derivation in words; the cached value is the figure worked out by
  hand in the spec.
* ``captable-sample.xlsx`` and ``captable-sample-native.xlsx``: the sample cap-table
  template in both flavors, cached with the core's figures for every computed cell,
  computed from the cap table and not from the workbook.

``seriesm golden`` writes them; ``seriesm regress workbooks/golden`` recomputes them; a
test fails when the committed files differ from what this module writes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.core.dates import to_serial
from xl_seriesm.engine import CellError
from xl_seriesm.excel.spec import FUNCTIONS, Example, Function
from xl_seriesm.workbook import model
from xl_seriesm.workbook.writer import Flavor, to_bytes, with_values, workbook_bytes
from xl_seriesm.xlsx import cellrefs
from xl_seriesm.xlsx.files import write_all

FUNCTIONS_FILE = "functions.xlsx"
TEMPLATE_FILES = {Flavor.UDF: "captable-sample.xlsx", Flavor.NATIVE: "captable-sample-native.xlsx"}


class Case(NamedTuple):
    function: str
    section: str
    formula: str
    expected: object
    derivation: str


#: Error cases beyond the reference's examples: what a bad argument must still produce.
ERROR_CASES = (
    Case("SERIESM_ACCRUED", "§2", "=SERIESM_ACCRUED(-5,DATE(2005,1,10),DATE(2006,1,10))",
         "#NUM! shares = -5: must be 0 or more.",
         "A negative number of shares is refused, the argument named and its value echoed."),
    Case("SERIESM_ACCRUED", "§2", "=SERIESM_ACCRUED(100,DATE(2005,1,10),DATE(2006,1,10),5000.01)",
         "#NUM! dividends_paid = 5000.01: more than the 5000.00 accrued (§2); must be at most "
         "that.", "One year on 100 shares accrues $5,000.00; a cent more cannot have been paid."),
    Case("SERIESM_CONVERT", "§1", "=SERIESM_CONVERT(9200,DATE(2005,1,10),DATE(2006,1,10))",
         "#NUM! shares = 9200: more than the 9,100 Series M shares designated (§1); use at most "
         "9,100.", "Only 9,100 shares were designated (§1)."),
    Case("SERIESM_DILUTE", "§5(e)", '=SERIESM_DILUTE(4000,"many",200000,30000)',
         '#VALUE! common_outstanding = "many": not a number; use a number.',
         "Text where a number belongs."),
    Case("SERIESM_WATERFALL", "§3", '=SERIESM_WATERFALL(1000000,9100,1000000,0,4000,TRUE,TRUE,'
         '"Total")', '#N/A output = "Total": no such row; use one of Series M total, Series M '
         "per share, Common total, Common per share, Series M converts, Conversion breakpoint.",
         "An output label that is not one of the six rows."),
    Case("SERIESM_ISBUSDAY", "§5(f)", "=SERIESM_ISBUSDAY(DATE(1998,12,31))",
         "#NUM! test_date = 1998-12-31: must be a date from 1999-01-01 to 2100-12-31.",
         "The Federal Reserve calendar of the holidays package starts in 1999."),
    Case("SERIESM_CONVERTFROM", "§5(a)", '=SERIESM_CONVERTFROM("1800-01-01")',
         '#NUM! closing_date = "1800-01-01": must be a date from 1900-01-01 to 9999-12-31.',
         "Excel's dates start on 1900-01-01: an earlier date typed as text is refused as "
         "serial 0 is."),
    Case("SERIESM_ACCRUED", "§2", "=SERIESM_ACCRUED(1/0,DATE(2005,1,10),DATE(2006,1,10))",
         "#DIV/0! shares = #DIV/0!: the cell holds an error; correct it first.",
         "An error in an argument comes out as the same error, with the argument named."),
    Case("(Excel)", "-", "=1/0", CellError("#DIV/0!"),
         "Excel's own error: a regression run must still find an error here."),
)


def _literal(value: object) -> str:
    """A value written into a formula: array constants for ranges."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return f"DATE({value.year},{value.month},{value.day})"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        rows = value if value and isinstance(value[0], list) else [[v] for v in value]
        return "{" + ";".join(",".join(_literal(v) for v in row) for row in rows) + "}"
    return repr(value)


def example_case(function: Function, example: Example) -> Case:
    args = list(example.args)
    while args and args[-1] is None:
        args.pop()
    formula = f"={function.name}({','.join(_literal(a) for a in args)})"
    return Case(function.name, function.section, formula, example.result, example.derivation)


def cases() -> list[Case]:
    return [example_case(f, e) for f in FUNCTIONS for e in f.examples] + list(ERROR_CASES)


def functions_workbook() -> bytes:
    """functions.xlsx: each case's formula, with the hand-worked value cached."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    sheet.title = "Cases"
    headings = ("Function", "Section", "Formula", "How the expected value follows from the "
                "certificate", "Result (cached: the expected value)")
    for column, heading in enumerate(headings, start=1):
        sheet.cell(1, column, heading).font = Font(bold=True)
    for letter, width in zip("ABCDE", (22, 14, 60, 80, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    cached: dict[tuple[str, str], object] = {}
    row = 2
    for case in cases():
        grid = case.expected if isinstance(case.expected, list) else [[case.expected]]
        height, width = len(grid), len(grid[0])
        sheet.cell(row, 1, case.function)
        sheet.cell(row, 2, case.section)
        shown = sheet.cell(row, 3, case.formula)
        shown.data_type = "s"  # the formula as text, not a second live formula
        sheet.cell(row, 4, case.derivation).alignment = Alignment(wrap_text=True,
                                                                  vertical="top")
        area = f"E{row}:{cellrefs.letters(4 + width)}{row + height - 1}"
        anchor = sheet.cell(row, 5)
        anchor.value = ArrayFormula(area, case.formula) if (height, width) != (1, 1) else (
            case.formula)
        for i, cells in enumerate(grid):
            for j, value in enumerate(cells):
                ref = f"{cellrefs.letters(5 + j)}{row + i}"
                cached[("Cases", ref)] = (
                    float(to_serial(value)) if isinstance(value, dt.date) else value)
                if isinstance(value, dt.date):
                    sheet[ref].number_format = "yyyy-mm-dd"
        row += height + 1
    return with_values(to_bytes(book), cached)


def template_workbook(flavor: Flavor) -> bytes:
    """The sample template of one flavor, cached with the core's figures."""
    return workbook_bytes(model.build(SAMPLE), flavor, cache=True)


def files() -> dict[str, bytes]:
    found = {FUNCTIONS_FILE: functions_workbook()}
    found.update({name: template_workbook(flavor) for flavor, name in TEMPLATE_FILES.items()})
    return found


def write(folder: Path, force: bool = True) -> list[Path]:
    return write_all([(folder / name, data) for name, data in files().items()], force)

