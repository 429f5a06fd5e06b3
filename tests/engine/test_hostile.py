"""The audit's findings on hostile workbooks, each built here: nothing outside the file is
read, cost stays bounded, nothing is lost or left behind."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import ROOT, require_libreoffice
from tests.engine.books import book as _book
from xl_seriesm.engine import CellError
from xl_seriesm.engine.book import MAX_FORMULA_CHARS, outside_reason

pytestmark = pytest.mark.libreoffice

SECRET = 987654.321  # a figure only the workbook beside the hostile one holds


def _seriesm(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=environment, timeout=600, check=False)




@pytest.fixture
def secret(tmp_path: Path) -> Path:
    return _book(tmp_path / "secret.xlsx", {"A1": SECRET})


@pytest.mark.parametrize("reference", [
    "'{folder}/[secret.xlsx]Sheet'!A1",   # an absolute path
    "'../{name}/[secret.xlsx]Sheet'!A1",  # a relative one
    "[secret.xlsx]Sheet!A1",              # beside it
])
def test_an_external_reference_is_named_and_never_followed(tmp_path: Path, secret: Path,
                                                           reference: str) -> None:
    require_libreoffice()
    formula = "=" + reference.format(folder=tmp_path, name=tmp_path.name) + "+1"
    hostile = _book(tmp_path / "hostile.xlsx", {"A1": 5, "B2": formula}, {"B2": 1.0})
    junit = tmp_path / "report.xml"
    done = _seriesm("regress", str(hostile), "--junit", str(junit))
    assert done.returncode == 2, done.stdout
    assert "Sheet!B2 read outside the file" in done.stdout
    assert "not followed" in done.stdout
    assert str(SECRET) not in done.stdout + done.stderr + junit.read_text()
    assert "987654" not in done.stdout + junit.read_text()
    out = tmp_path / "out.xlsx"
    calc = _seriesm("calc", str(hostile), "-o", str(out))
    assert calc.returncode == 2
    assert "Sheet!B2 read outside the file" in calc.stderr
    assert not out.exists()


def test_an_external_reference_cached_as_ref_is_compared_as_ref(tmp_path: Path,
                                                               secret: Path) -> None:
    require_libreoffice()
    hostile = _book(tmp_path / "hostile.xlsx", {"B2": "=[secret.xlsx]Sheet!A1"},
                    {"B2": CellError("#REF!")})
    done = _seriesm("regress", str(hostile))
    assert done.returncode == 0, done.stdout
    assert "1 cells checked, 1 matched" in done.stdout


@pytest.mark.parametrize(("formula", "reason"), [
    ("=cmd|'/c calc'!A0", "DDE"),
    ('=WEBSERVICE("http://example.com/")', "WEBSERVICE"),
    ("='file:///etc/[passwd]x'!A1", "external reference"),
    ("=[1]Sheet1!A1", "external reference"),
])
def test_outside_reads_are_recognised(formula: str, reason: str) -> None:
    assert reason in (outside_reason(formula) or "")


@pytest.mark.parametrize("formula", ["=Table1[Amount]", "=SUM(Table1[[#This Row],[A]])+B1",
                                     '="[1]Sheet!A1"&"a|b"', "=Sheet2!A1", "='My Sheet'!A1"])
def test_ordinary_references_are_not_outside(formula: str) -> None:
    assert outside_reason(formula) is None


def test_a_web_query_part_refuses_the_book(tmp_path: Path) -> None:
    require_libreoffice()
    plain = _book(tmp_path / "plain.xlsx", {"A1": "=1+1"}, {"A1": 2.0})
    linked = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(linked, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/connections.xml", '<?xml version="1.0"?><connections/>')
    done = _seriesm("regress", str(linked))
    assert done.returncode == 2
    assert "a data connection" in done.stdout
    assert "not followed" in done.stdout


def test_whole_column_sums_cost_the_used_area(tmp_path: Path) -> None:
    # Ten SUM(A:A) over three numbers: 1 + 2 + 3 = 6 each. The old engine expanded each to a
    # million rows (814 MB each, 3.75 GB in all); here the file checks under a 300 MB limit.
    require_libreoffice()
    cells: dict[str, object] = {"A1": 1, "A2": 2, "A3": 3}
    cells.update({f"C{i}": "=SUM(A:A)" for i in range(1, 11)})
    cells["D5"] = "=SUM(1:1)"  # a whole row: 1 + 6 = 7 (A1 and C1)
    path = _book(tmp_path / "columns.xlsx", cells,
                 {**{f"C{i}": 6.0 for i in range(1, 11)}, "D5": 7.0})
    done = _seriesm("regress", str(path), "--max-memory-mb", "1500")
    assert done.returncode == 0, done.stdout
    assert "11 cells checked, 11 matched" in done.stdout


def test_a_formula_past_excels_limit_is_refused_unread(tmp_path: Path) -> None:
    long = "=" + "+".join(["1"] * (MAX_FORMULA_CHARS // 2 + 10))
    path = _book(tmp_path / "long.xlsx", {"A1": long})
    done = _seriesm("regress", str(path))
    assert done.returncode == 2
    assert "more than Excel's limit of 8,192" in done.stdout


def test_a_circular_reference_is_reported_never_written(tmp_path: Path) -> None:
    require_libreoffice()
    path = _book(tmp_path / "circle.xlsx", {"A1": "=B1+1", "B1": "=A1+1", "C1": "=2*3"},
                 {"A1": 1.0, "B1": 2.0, "C1": 6.0})
    out = tmp_path / "out.xlsx"
    calc = _seriesm("calc", str(path), "-o", str(out))
    assert calc.returncode == 2
    assert "a circular reference in Sheet!A1, Sheet!B1" in calc.stderr
    assert not out.exists()
    done = _seriesm("regress", str(path))
    assert done.returncode == 1
    assert "Sheet!A1: =B1+1  cached 1, recomputed #CIRCULAR!" in done.stdout
    assert "3 cells checked, 1 matched, 2 mismatched" in done.stdout
    # Cached as an error (what a spreadsheet shows for one), a circular cell matches.
    errors = _book(tmp_path / "circle-errors.xlsx", {"A1": "=B1+1", "B1": "=A1+1"},
                   {"A1": CellError("#VALUE!"), "B1": CellError("#VALUE!")})
    assert _seriesm("regress", str(errors)).returncode == 0


def _with_part(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            out.writestr(info, data if info.filename == name else archive.read(info))
    return target


@pytest.mark.parametrize("how", ["utf-16", "after a 70 KB comment"])
def test_a_doctype_anywhere_in_any_encoding_is_refused(tmp_path: Path, how: str) -> None:
    plain = _book(tmp_path / "plain.xlsx", {"A1": "=1+1"})
    with zipfile.ZipFile(plain) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    body = workbook.split("?>", 1)[1] if workbook.startswith("<?xml") else workbook
    doctype = '<!DOCTYPE w [<!ENTITY x "y">]>'
    if how == "utf-16":
        text = '<?xml version="1.0" encoding="UTF-16"?>' + doctype + body
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    else:
        data = ('<?xml version="1.0"?><!--' + "x" * 70_000 + "-->" + doctype + body).encode()
    hostile = _with_part(plain, tmp_path / "hostile.xlsx", "xl/workbook.xml", data)
    done = _seriesm("regress", str(hostile))
    assert done.returncode == 2
    assert "xl/workbook.xml declares a document type" in done.stdout


def test_limits_stop_the_engine_in_those_words(tmp_path: Path) -> None:
    require_libreoffice()
    path = _book(tmp_path / "book.xlsx", {"A1": "=1+1"}, {"A1": 2.0})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    slow = _seriesm("regress", str(path), "--timeout", "0.01", TMPDIR=str(scratch))
    assert slow.returncode == 2
    assert "stopped at the time limit of 0.01 s (--timeout)" in slow.stdout
    # No copy of the input anywhere in the temp folder (the engine gets the bytes only).
    assert not [p for p in scratch.rglob("*") if p.suffix == ".xlsx"]
    big = _seriesm("regress", str(path), "--max-memory-mb", "20")
    assert big.returncode == 2
    assert "stopped at the memory limit of 20 MB (--max-memory-mb)" in big.stdout


def test_shards_split_the_list_and_their_reports_merge(tmp_path: Path) -> None:
    require_libreoffice()
    for i in range(3):
        _book(tmp_path / f"book{i}.xlsx", {"A1": f"={i}+1"}, {"A1": float(i + 1)})
    seen = []
    for k in (1, 2):
        junit = tmp_path / f"shard{k}.xml"
        done = _seriesm("regress", str(tmp_path), "--shard", f"{k}/2", "--jobs", "2",
                        "--junit", str(junit))
        assert done.returncode == 0, done.stdout
        suite = ElementTree.parse(junit).getroot().find("testsuite")
        assert suite is not None
        assert suite.get("name") == f"seriesm regress (shard {k}/2)"
        seen += [case.get("name") for case in suite.findall("testcase")]
    assert sorted(seen) == [str(tmp_path / f"book{i}.xlsx") for i in range(3)]
    assert seen[:2] == [str(tmp_path / "book0.xlsx"), str(tmp_path / "book2.xlsx")]
    bad = _seriesm("regress", str(tmp_path), "--shard", "3/2")
    assert bad.returncode == 2


def test_max_mismatches_limits_the_printout_not_the_junit(tmp_path: Path) -> None:
    require_libreoffice()
    cells = {f"A{i}": f"={i}*2" for i in range(1, 6)}
    path = _book(tmp_path / "moved.xlsx", cells, {f"A{i}": 0.57 for i in range(1, 6)})
    junit = tmp_path / "r.xml"
    done = _seriesm("regress", str(path), "--max-mismatches", "2", "--junit", str(junit))
    assert done.returncode == 1
    assert "Sheet!A1: =1*2  cached 0.57, recomputed 2" in done.stdout
    assert "... and 3 more" in done.stdout
    assert junit.read_text().count("cached 0.57") == 5


def _kill_between_renames(folder: Path) -> subprocess.CompletedProcess[str]:
    script = f"""
import os, signal
from pathlib import Path
from xl_seriesm.xlsx import files
real = os.replace
count = [0]
def replace(a, b):
    real(a, b)
    count[0] += 1
    if count[0] == 1:
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
folder = Path({str(folder)!r})
files.write_all([(folder / "a.xlsx", b"new a"), (folder / "b.xlsx", b"new b")], force=True)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_a_kill_between_the_renames_leaves_every_file_whole(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"old a")
    (tmp_path / "b.xlsx").write_bytes(b"old b")
    done = _kill_between_renames(tmp_path)
    assert done.returncode == -signal.SIGKILL
    assert (tmp_path / "a.xlsx").read_bytes() == b"new a"
    assert (tmp_path / "b.xlsx").read_bytes() == b"old b"  # old or new, never neither
    assert not list(tmp_path.glob("*.bak"))
    assert not list(tmp_path.glob(".*.bak"))


def test_regress_and_calc_import_neither_xlwings_nor_pandas() -> None:
    # 405 ms per start through engine -> udfs before; the engine needs neither.
    code = ("import sys\nfrom xl_seriesm import cli\nfrom xl_seriesm.regress import runner, calc\n"
            "from xl_seriesm.engine import book, recalc, office\n"
            "from xl_seriesm.libreoffice import extension\nextension.fingerprint()\n"
            "print(sorted(m for m in ('xlwings', 'pandas', 'numpy', 'xl_seriesm.udfs', "
            "'xl_seriesm.excel.udfs') "
            "if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
