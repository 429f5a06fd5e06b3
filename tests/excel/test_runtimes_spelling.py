"""The add-in flavor in each runtime's spelling (issue 23, item 3): `seriesm template
--runtime`, `seriesm relink BOOK --to`, and `regress` reading all three forms.

The spellings are those a saved .xlsx holds (xl_seriesm/excel/runtimes.py gives the sources):
a classic VBA function by its bare name, an Office.js (Lite) function as ``_xldudf_XLW_`` +
its id, the Calc add-in by its UNO name."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.excel.runtimes import Runtime, relink_sheet, spelling
from xl_seriesm.workbook.writer import Flavor

NAMES = ("SERIESM_ACCRUED", "SERIESM_CONVERT")
SHEET = (b'<worksheet><sheetData><row r="1"><c r="A1"><f>SERIESM_ACCRUED(B1,C1,D1)+'
         b'_xldudf_CX_GET(A2)</f><v>1</v></c><c r="A2" t="str"><f>"SERIESM_CONVERT("&amp;'
         b'SERIESM_CONVERT(1, 2, 3)</f><v>x</v></c><c r="A3"><f>MY_SERIESM_ACCRUED(1)</f>'
         b'</c></row></sheetData></worksheet>')


def _seriesm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          timeout=600, check=False)


def test_each_runtime_spells_a_call_as_a_saved_book_holds_it() -> None:
    assert spelling("SERIESM_ACCRUED", Runtime.CLASSIC) == "SERIESM_ACCRUED"
    # xlwings-lite issue 80: a Lite function HELLO saved as _xldudf_XLW_HELLO.
    assert spelling("SERIESM_ACCRUED", Runtime.LITE) == "_xldudf_XLW_SERIESM_ACCRUED"
    assert spelling("SERIESM_ACCRUED", Runtime.CALC) == (
        "ORG.XLSERIESM.SERIESMADDIN.SERIESM_ACCRUED")


def test_relinking_touches_only_the_calls() -> None:
    lite = relink_sheet(SHEET, Runtime.LITE, NAMES)
    assert lite.renamed == 2
    text = lite.data.decode()
    assert "<f>_xldudf_XLW_SERIESM_ACCRUED(B1,C1,D1)+_xldudf_CX_GET(A2)</f>" in text
    # A string that looks like a call stays; another add-in's call and a longer name too.
    assert '<f>"SERIESM_CONVERT("&amp;_xldudf_XLW_SERIESM_CONVERT(1, 2, 3)</f>' in text
    assert "<f>MY_SERIESM_ACCRUED(1)</f>" in text
    # Every runtime's spelling reads back into every other's, and home again unchanged.
    for first in Runtime:
        there = relink_sheet(SHEET, first, NAMES).data
        for second in Runtime:
            assert relink_sheet(relink_sheet(there, second, NAMES).data, Runtime.CLASSIC,
                                NAMES).data == SHEET
    assert relink_sheet(lite.data, Runtime.LITE, NAMES).renamed == 0
    assert relink_sheet(lite.data, Runtime.LITE, NAMES).already == 2


def test_relink_and_template_runtime_write_the_same_book(tmp_path: Path) -> None:
    make(SAMPLE, tmp_path, [Flavor.UDF], force=False)
    make(SAMPLE, tmp_path, [Flavor.UDF], force=False, runtime=Runtime.LITE)
    classic, lite = tmp_path / "seriesm-captable.xlsx", tmp_path / "seriesm-captable-lite.xlsx"
    done = _seriesm("relink", str(classic), "--to", "lite", "-o", str(tmp_path / "r.xlsx"))
    assert done.returncode == 0, done.stderr
    assert "SERIESM_* calls spelled for lite (_xldudf_XLW_SERIESM_ACCRUED(...))" in done.stdout
    assert (tmp_path / "r.xlsx").read_bytes() == lite.read_bytes()
    with zipfile.ZipFile(lite) as book:
        formulas = [f for n in book.namelist() if n.startswith("xl/worksheets/")
                    for f in re.findall(rb"<f\b[^>]*>([^<]*)</f>", book.read(n))]
    calls = [c for f in formulas for c in re.findall(rb"[A-Za-z_.]*SERIESM_[A-Z]+\(", f)]
    assert b"_xldudf_XLW_SERIESM_ACCRUED(" in calls
    assert all(c.startswith(b"_xldudf_XLW_SERIESM_") for c in calls), calls
    back = _seriesm("relink", str(lite), "--to", "classic", "-o", str(tmp_path / "c.xlsx"))
    assert back.returncode == 0, back.stderr
    assert (tmp_path / "c.xlsx").read_bytes() == classic.read_bytes()


def test_relink_says_when_nothing_needed_renaming(tmp_path: Path) -> None:
    make(SAMPLE, tmp_path, [Flavor.UDF, Flavor.NATIVE], force=False)
    native = tmp_path / "seriesm-captable-native.xlsx"
    done = _seriesm("extension", "--for-calc", str(native))
    assert done.returncode == 0, done.stderr
    assert "calls no SERIESM_* function; nothing needed renaming, nothing written" in (
        done.stdout)
    assert not (tmp_path / "seriesm-captable-native-for-calc.xlsx").exists()
    same = _seriesm("relink", str(tmp_path / "seriesm-captable.xlsx"), "--to", "classic")
    assert "are already spelled for classic; nothing needed renaming" in same.stdout
    assert not (tmp_path / "seriesm-captable-classic.xlsx").exists()


def test_relink_never_writes_over_its_input(tmp_path: Path) -> None:
    # The help says the original is never written; -o naming it, even with --force, is
    # refused and the book is as it was.
    make(SAMPLE, tmp_path, [Flavor.UDF], force=False)
    book = tmp_path / "seriesm-captable.xlsx"
    before = book.read_bytes()
    done = _seriesm("relink", str(book), "--to", "calc", "-o", str(book), "--force")
    assert done.returncode == 2
    assert "is the input; give another output file (-o)" in done.stderr
    assert book.read_bytes() == before


@pytest.mark.libreoffice
def test_regress_reads_all_three_spellings(tmp_path: Path) -> None:
    require_libreoffice()
    for runtime in Runtime:
        make(SAMPLE, tmp_path, [Flavor.UDF], force=False, runtime=runtime)
    done = _seriesm("regress", str(tmp_path), "--jobs", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 workbook(s): 3 passed, 0 failed, 0 refused" in done.stdout
    for name in ("seriesm-captable.xlsx", "seriesm-captable-lite.xlsx",
                 "seriesm-captable-calc.xlsx"):
        assert f"ok {tmp_path / name}:" in done.stdout
    shutil.rmtree(tmp_path)
