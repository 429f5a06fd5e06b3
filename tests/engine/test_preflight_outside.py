"""The preflight names every formula that could read outside the file, wherever it stands:
INDIRECT of anything but a literal reference inside the workbook, WEBSERVICE, RTD and
FILTERXML with or without Excel's ``_xlfn.`` prefix, in cells, defined names, conditional
formats and data validations (issue 21, items 1a and 7). Each book is built here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from tests.conftest import ROOT, require_libreoffice
from tests.engine.books import book as _book
from xl_seriesm.engine import CellError
from xl_seriesm.engine.book import BookError, outside_reason, read

SECRET_URL = "file:///tmp/elsewhere/secret.xlsx"




@pytest.mark.parametrize(("formula", "said"), [
    # The audit's forms: LibreOffice's own syntax, Excel's, a path built by &, TRUE, OFFSET.
    (f"=INDIRECT(\"'{SECRET_URL}'#$Sheet1.A1\")", "not a reference inside the workbook"),
    (f"=INDIRECT(\"'[{SECRET_URL}]Sheet1'!A1\")", "not a reference inside the workbook"),
    ("=INDIRECT(\"'[file:///tmp/\"&\"secret.xlsx]Sheet1'!A1\")", "a computed reference"),
    (f"=INDIRECT(\"'[{SECRET_URL}]Sheet1'!A1\",TRUE)", "not a reference inside"),
    (f"=OFFSET(INDIRECT(\"'[{SECRET_URL}]Sheet1'!A1\"),0,0)", "not a reference inside"),
    ("=INDIRECT(B1)", "a computed reference"),
    ('=_xlfn.WEBSERVICE("http://example.com/")', "WEBSERVICE, which fetches"),
    ('=_xlfn.RTD("prog.id",,"topic")', "RTD, which fetches"),
    ('=RTD("prog.id",,"topic")', "RTD, which fetches"),
    ('=_xlfn.IMAGE("https://example.com/a.png")', "IMAGE, which fetches"),
    ('=_xlfn.FILTERXML(_xlfn.WEBSERVICE("http://example.com/"),"//a")', "FILTERXML"),
    ('=FILTERXML("<!DOCTYPE a [<!ENTITY x SYSTEM \'file:///etc/passwd\'>]><a>&x;</a>","//a")',
     "FILTERXML"),
])
def test_each_outside_read_in_a_cell_is_named(tmp_path: Path, formula: str, said: str) -> None:
    assert said in (outside_reason(formula) or "")
    book = read(_book(tmp_path / "b.xlsx", {"A1": formula, "A2": "=1+1"}))
    assert said in book.outside[("Sheet", "A1")]
    assert ("Sheet", "A2") not in book.outside


@pytest.mark.parametrize("formula", ['=INDIRECT("B3")', '=INDIRECT("Sheet2!A1:B9",TRUE)',
                                     "=INDIRECT(\"'My Sheet'!$A$1\")", '=INDIRECT("A:A")',
                                     '=SUM(INDIRECT("3:3"))', '=INDIRECT("R2C3",FALSE)',
                                     '="INDIRECT(B1)"&WEBSERVICEX', "=MYWEBSERVICE(1)"])
def test_literal_references_inside_the_workbook_are_computed(formula: str) -> None:
    assert outside_reason(formula) is None


def test_a_defined_name_that_reads_outside_marks_the_cells_using_it(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", {"A1": "=Secret*2", "A2": "=Twice+1", "A3": "=Fine"},
                 names={"Secret": f"INDIRECT(\"'[{SECRET_URL}]Sheet1'!A1\")",
                        "Twice": "Secret*2", "Fine": "Sheet!$B$1"})
    book = read(path)
    assert "the name Secret, which is INDIRECT(" in book.outside[("Sheet", "A1")]
    assert "the name Twice, which is the name Secret" in book.outside[("Sheet", "A2")]
    assert ("Sheet", "A3") not in book.outside


def _rules(path: Path, conditional: str | None, validation: str | None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    sheet["A1"] = "=1+1"
    if conditional:
        sheet.conditional_formatting.add("B1:B5", FormulaRule(
            formula=[conditional], fill=PatternFill("solid", start_color="FF0000")))
    if validation:
        rule = DataValidation(type="custom", formula1=validation)
        rule.add("C1:C5")
        sheet.add_data_validation(rule)
    book.save(path)
    return path


def test_conditional_formats_and_data_validations_are_read_too(tmp_path: Path) -> None:
    path = _rules(tmp_path / "b.xlsx", '_xlfn.WEBSERVICE("http://example.com/")="x"',
                  f"INDIRECT(\"'[{SECRET_URL}]Sheet1'!A1\")>0")
    outside = read(path).outside
    assert "WEBSERVICE" in outside[("Sheet", "(conditional format 1)")]
    assert "INDIRECT" in outside[("Sheet", "(data validation 2)")]
    plain = read(_rules(tmp_path / "c.xlsx", "$A$1>1", 'INDIRECT("A1")>0'))
    assert plain.outside == {}


def _seriesm(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=environment, timeout=600, check=False)


@pytest.mark.libreoffice
def test_calc_refuses_and_regress_compares_as_ref(tmp_path: Path) -> None:
    require_libreoffice()
    formula = f"=INDIRECT(\"'[{SECRET_URL}]Sheet1'!A1\")"
    refused = _book(tmp_path / "cached-value.xlsx", {"A1": formula, "A2": "=1+1"},
                    {"A1": 987654.0, "A2": 2.0})
    done = _seriesm("regress", str(refused))
    assert done.returncode == 2, done.stdout
    assert "Sheet!A1 read outside the file" in done.stdout
    shown_ref = _book(tmp_path / "cached-ref.xlsx", {"A1": formula, "A2": "=1+1"},
                      {"A1": CellError("#REF!"), "A2": 2.0})
    done = _seriesm("regress", str(shown_ref))
    assert done.returncode == 0, done.stdout
    assert "2 cells checked, 2 matched" in done.stdout
    rules = _rules(tmp_path / "rules.xlsx", '_xlfn.RTD("x",,"y")=1', None)
    out = tmp_path / "out.xlsx"
    calc = _seriesm("calc", str(rules), "-o", str(out))
    assert calc.returncode == 2
    assert "Sheet!(conditional format 1) read outside the file" in calc.stderr
    assert "RTD, which fetches" in calc.stderr
    assert not out.exists()


@pytest.mark.parametrize(("formula", "said"), [
    ("=SERIESM_ACCRUED(A:A,DATE(2005,1,10),DATE(2006,6,30))", "the whole column A:A"),
    ("=_xludf.SERIESM_ALLOCATE(1000,$2:$2)", "the whole row $2:$2"),
])
def test_a_whole_column_given_to_an_addin_function_is_refused_naming_the_cell(
        tmp_path: Path, formula: str, said: str) -> None:
    # LibreOffice hands the add-in every cell of a whole column: 1,048,576 (1.2 GB per book).
    path = _book(tmp_path / "b.xlsx", {"A1": 5, "B1": "=SUM(A:A)", "B2": formula})
    with pytest.raises(BookError, match=rf"Sheet!B2 gives SERIESM_\w+ {re.escape(said)}"):
        read(path)
    assert read(_book(tmp_path / "c.xlsx", {"B1": "=SUM(A:A)+SERIESM_REDEEMDATE(A1)"})
                ).formula_count == 1


@pytest.mark.parametrize(("names", "argument", "said"), [
    ({"Shares": "Sheet!$A:$A"}, "Shares", "the whole column $A:$A (the name Shares)"),
    # A name standing for such a name covers the same column.
    ({"Shares": "Sheet!$A:$A", "Alias": "Shares"}, "Alias",
     "the whole column $A:$A (the name Alias)"),
    ({"Row2": "Sheet!$2:$2"}, "Row2", "the whole row $2:$2 (the name Row2)"),
])
def test_a_whole_column_given_through_a_defined_name_is_refused_naming_the_cell(
        tmp_path: Path, names: dict[str, str], argument: str, said: str) -> None:
    # A name that covers a whole column reaches the add-in as the same 1,048,576 cells.
    path = _book(tmp_path / "b.xlsx", {"A1": 5, "B2": f"=SERIESM_ALLOCATE(1000,{argument})"},
                 names=names)
    with pytest.raises(BookError, match=rf"Sheet!B2 gives SERIESM_ALLOCATE {re.escape(said)}"):
        read(path)
    # The same name used outside an add-in call, and a name over the rows in use, are read.
    fine = _book(tmp_path / "c.xlsx", {"A1": 5, "B1": f"=SUM({argument})",
                                      "B2": "=SERIESM_ALLOCATE(1000,Used)"},
                 names={**names, "Used": "Sheet!$A$1:$A$5"})
    assert read(fine).formula_count == 2


@given(st.text(max_size=40))
def test_indirect_of_a_text_is_computed_only_when_it_names_a_place_in_the_workbook(
        text: str) -> None:
    # Whatever the text, an INDIRECT that passes names no file, address or other book: no
    # bracket, slash, backslash, # or |, and nothing but a sheet, a cell or a range.
    formula = '=INDIRECT("' + text.replace('"', '""') + '")+1'
    if outside_reason(formula) is None:
        assert not any(mark in text for mark in "[]/\\#|")
        assert text.count("!") <= 1
        assert re.fullmatch(r"\s*(?:(?:'[^']*'|[A-Za-z_][A-Za-z0-9_.]*)!)?[$A-Za-z0-9:]+\s*",
                            text)


@given(st.sampled_from(["A1", "$B$2", "Sheet2!C3:D9", "'My Sheet'!A:A", "7:7", "R2C3"]),
       st.sampled_from(["", ",TRUE", ",FALSE", ", 1"]))
def test_indirect_of_a_literal_reference_is_computed(reference: str, a1: str) -> None:
    assert outside_reason(f'=SUM(INDIRECT("{reference}"{a1}))') is None
