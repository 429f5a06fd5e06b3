"""`seriesm regress` and `seriesm calc` on golden, doctored and hostile workbooks."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm import libreoffice
from xl_seriesm.cli import golden
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.workbook.writer import Flavor
from xl_seriesm.xlsx.cache import sheet_parts, with_cached_values

GOLDEN = ROOT / "workbooks" / "golden"
FUNCTIONS = GOLDEN / golden.FUNCTIONS_FILE


def _seriesm(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600, check=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_golden_workbooks_pass() -> None:
    before = {p: _digest(p) for p in GOLDEN.glob("*.xlsx")}
    done = _seriesm("regress", str(GOLDEN))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 workbook(s): 3 passed, 0 failed, 0 refused" in done.stdout
    assert {p: _digest(p) for p in GOLDEN.glob("*.xlsx")} == before  # never written


def test_golden_workbooks_are_what_the_code_writes_now() -> None:
    for name, data in golden.files().items():
        assert (GOLDEN / name).read_bytes() == data, f"run `seriesm golden`: {name} is stale"


def test_every_function_has_a_golden_case() -> None:
    from xl_seriesm.excel.spec import FUNCTIONS as SPEC  # noqa: PLC0415

    covered = {case.function for case in golden.cases()}
    assert {f.name for f in SPEC} <= covered
    assert any(str(case.expected).startswith("#") for case in golden.cases())


def test_a_cent_moved_is_caught_and_named(tmp_path: Path) -> None:
    # Cases!E2 is SERIESM_ACCRUED(9100, 2005-01-10, 2005-04-10) = 113,750.00 (§2).
    doctored = tmp_path / "moved.xlsx"
    doctored.write_bytes(with_cached_values(FUNCTIONS, {("Cases", "E2"): 113750.01}))
    junit = tmp_path / "report.xml"
    done = _seriesm("regress", str(doctored), "--junit", str(junit))
    assert done.returncode == 1
    assert ("Cases!E2: =SERIESM_ACCRUED(9100,DATE(2005,1,10),DATE(2005,4,10))  cached 113750.01,"
            " recomputed 113750") in done.stdout
    assert "1 mismatched" in done.stdout
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "1", "0")


def _replace_in_sheet(source: Path, target: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(source) as archive:
        part = sheet_parts(archive)["Cases"]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == part:
                    assert old.encode() in data
                    data = data.replace(old.encode(), new.encode())
                out.writestr(info, data)


def test_a_formula_that_now_errors_fails(tmp_path: Path) -> None:
    # The cached 4,000 stays, but the formula now issues 0 new shares, which §5(e) refuses.
    doctored = tmp_path / "errors.xlsx"
    _replace_in_sheet(FUNCTIONS, doctored, "SERIESM_DILUTE(4000,1000000,200000,60000)",
                      "SERIESM_DILUTE(4000,1000000,0,60000)")
    done = _seriesm("regress", str(doctored))
    assert done.returncode == 1
    assert "cached 4000, recomputed '#NUM! new_shares = 0: must be more than 0.'" in done.stdout


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


_CONTENT_TYPES = b'<?xml version="1.0"?><Types/>'


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as stream:
            chunk = b"0" * 2**20
            for _ in range(64):  # 64 MB of zeros pack into about 64 KB
                stream.write(chunk)
    return path


_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'
                      f'{("&lol" + str(i - 1) + ";") * 9 if i > 1 else "&lol;" * 9}">'.encode()
                      for i in range(1, 10))
           + b']>\n<workbook>&lol9;</workbook>')


@pytest.mark.parametrize(("name", "make_file", "message"), [
    ("bomb.xlsx", _bomb, "unpacks"),
    ("laughs.xlsx", lambda p: _zip(p, {"[Content_Types].xml": _CONTENT_TYPES,
                                       "xl/workbook.xml": _LAUGHS}), "declares a document type"),
    ("truncated.xlsx", lambda p: (p.write_bytes(FUNCTIONS.read_bytes()[:3000]), p)[1],
     "not a readable workbook"),
    ("notes.xlsx", lambda p: (p.write_text("these are my notes\n"), p)[1],
     "not an .xlsx workbook"),
    ("empty.xlsx", lambda p: _zip(p, {"hello.txt": b"hi"}), "not an .xlsx workbook"),
])
def test_hostile_files_are_refused_quickly(tmp_path: Path, name: str, make_file: object,
                                           message: str) -> None:
    path = make_file(tmp_path / name)  # type: ignore[operator]
    start = time.perf_counter()
    done = _seriesm("regress", str(path))
    assert time.perf_counter() - start < 30
    assert done.returncode == 2
    assert f"REFUSED {path}:" in done.stdout
    assert message in done.stdout


def test_a_refused_file_does_not_stop_the_others(tmp_path: Path) -> None:
    shutil.copy(FUNCTIONS, tmp_path / "a-good.xlsx")
    (tmp_path / "b-bad.xlsx").write_text("not a workbook")
    done = _seriesm("regress", str(tmp_path))
    assert done.returncode == 2
    assert f"ok {tmp_path / 'a-good.xlsx'}" in done.stdout
    assert "2 workbook(s): 1 passed, 0 failed, 1 refused" in done.stdout


def test_limits_are_settable(tmp_path: Path) -> None:
    done = _seriesm("regress", str(FUNCTIONS), "--max-unpacked-mb", "0.01")
    assert done.returncode == 2
    assert "more than the limit of 0 MB (--max-unpacked-mb)" in done.stdout
    slow = _seriesm("regress", str(FUNCTIONS), "--timeout", "0.01")
    assert slow.returncode == 2
    assert "stopped at the time limit of 0.01 s (--timeout)" in slow.stdout


def test_calc_stores_values_that_pandas_reads(tmp_path: Path) -> None:
    make(SAMPLE, tmp_path, [Flavor.UDF], force=False)
    source = tmp_path / Flavor.UDF.filename
    before = _digest(source)
    done = _seriesm("calc", str(source))
    assert done.returncode == 0, done.stderr
    target = tmp_path / "seriesm-captable-calc.xlsx"
    assert _digest(source) == before  # the input is never written
    # Formulas kept, values cached: Palm Fund's accrued dividends (§2), 257,638.89.
    book = openpyxl.load_workbook(target)
    assert str(book["Holders"]["E4"].value.text).startswith("=SERIESM_ACCRUED(")
    frame = pd.read_excel(target, sheet_name="Holders", header=2)
    assert frame.loc[0, "Accrued dividends (§2)"] == 257638.89
    again = _seriesm("calc", str(source))
    assert again.returncode == 2
    assert "already exists; use --force" in again.stderr
    assert _seriesm("calc", str(source), "--force").returncode == 0
    itself = _seriesm("calc", str(source), "-o", str(source), "--force")
    assert itself.returncode == 2
    assert "is the input" in itself.stderr
    assert _digest(source) == before


@pytest.mark.libreoffice
def test_calc_of_the_udf_flavor_agrees_with_libreoffice_on_the_native(tmp_path: Path) -> None:
    require_libreoffice()
    make(SAMPLE, tmp_path, list(Flavor), force=False)
    assert _seriesm("calc", str(tmp_path / Flavor.UDF.filename), "-o",
                    str(tmp_path / "udf-calc.xlsx")).returncode == 0
    native = libreoffice.recalculate([tmp_path / Flavor.NATIVE.filename], tmp_path / "lo")[0]
    ours = openpyxl.load_workbook(tmp_path / "udf-calc.xlsx", data_only=True)
    theirs = openpyxl.load_workbook(native, data_only=True)
    compared = 0
    for ws in ours.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                other = theirs[ws.title][cell.coordinate].value
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert other == pytest.approx(cell.value, rel=1e-9, abs=0.005), cell.coordinate
                    compared += 1
                elif cell.value is not None and cell.coordinate != "A2":  # A2: the banner
                    assert other == cell.value, (ws.title, cell.coordinate)
    assert compared > 200


def test_junit_lists_every_file(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    done = _seriesm("regress", str(GOLDEN), "--junit", str(report))
    assert done.returncode == 0
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "3"
    assert len(suite.findall("testcase")) == 3
