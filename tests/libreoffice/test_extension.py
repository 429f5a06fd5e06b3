"""The Calc add-in extension: generated from the spec, installable with unopkg."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm.excel.spec import FUNCTIONS
from xl_seriesm.libreoffice import calc_values, extension

OOR = "{http://openoffice.org/2001/registry}"


def test_every_function_and_argument_is_in_the_interface() -> None:
    idl = extension.idl()
    for function in FUNCTIONS:
        args = ", ".join(f"[in] any {extension.idl_name(a.name)}" for a in function.args)
        assert f"sequence< sequence< any > > {function.name}({args});" in idl


def test_the_wizard_help_is_the_spec() -> None:
    root = ElementTree.fromstring(extension.calc_addins_xcu())
    nodes = root.find("node").find("node").find("node")  # AddInInfo / add-in / functions
    assert nodes is not None
    names = [n.get(f"{OOR}name") for n in nodes.findall("node")]
    assert names == [f.name for f in FUNCTIONS]
    for node, function in zip(nodes.findall("node"), FUNCTIONS, strict=True):
        texts = {p.get(f"{OOR}name"): "".join(p.itertext()) for p in node.findall("prop")}
        assert texts["Description"] == function.description
        assert texts["CompatibilityName"] == function.name
        parameters = node.find("node")
        assert parameters is not None
        shown = ["".join(p.find("prop").itertext()) for p in parameters.findall("node")]
        assert shown == [f"[{a.name}]" if a.optional else a.name for a in function.args]


def test_idl_names_are_camel_case() -> None:
    assert extension.idl_name("closing_date") == "closingDate"
    assert extension.idl_name("shares") == "shares"


@pytest.mark.parametrize(("calc", "expected"), [
    (5.0, 5.0), ("x", "x"), (None, None),
    (((1.0, ""), ("a", 2.0)), [[1.0, None], ["a", 2.0]]),  # an empty cell in a range: None
])
def test_arguments_arrive_as_classic_xlwings_passes_them(calc: object, expected: object) -> None:
    assert calc_values.argument(calc) == expected


def test_true_false_arguments_are_booleans() -> None:
    # Calc passes FALSE as 0: for a TRUE/FALSE argument it must stay FALSE, not "left out".
    assert calc_values.argument(0.0, boolean=True) is False
    assert calc_values.argument(((1.0,), ("",)), boolean=True) == [[True], [None]]


@pytest.mark.parametrize(("value", "expected"), [
    (True, ((1.0,),)), (None, (("",),)), (date(2005, 1, 10), ((38362.0,),)),
    ([[1, "a"], [None]], ((1.0, "a"), ("", ""))),
    ("#NUM! shares = -5: must be 0 or more.", (("#NUM! shares = -5: must be 0 or more.",),)),
])
def test_results_are_tables_calc_takes(value: object, expected: object) -> None:
    assert calc_values.result(value) == expected


def test_a_failing_function_gives_a_cell_text_not_an_exception() -> None:
    def broken(*_: object) -> object:
        raise RuntimeError("boom")

    assert calc_values.call("SERIESM_X", broken, ())[0][0].startswith(
        "#VALUE! SERIESM_X: unexpected RuntimeError (boom)")


@pytest.mark.libreoffice
def test_the_extension_installs_with_unopkg_as_the_readme_says(tmp_path: Path) -> None:
    require_libreoffice()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    built = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "extension", "--out",
                            str(tmp_path)], capture_output=True, text=True, env=env,
                           timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    oxt = tmp_path / extension.FILENAME
    with zipfile.ZipFile(oxt) as archive:
        names = set(archive.namelist())
    assert {"XSeriesM.rdb", "CalcAddIns.xcu", "seriesm_addin.py", "python.zip",
            "META-INF/manifest.xml", "description.xml"} <= names
    assert f"unopkg add {oxt}" in built.stdout
    assert "seriesm extension --out dist --install" in (ROOT / "README.md").read_text()
    # A user's own LibreOffice profile, as `unopkg add` installs for a user. unopkg refuses
    # root without --shared (which would change the machine's LibreOffice): as root, the
    # install runs as nobody, in a folder nobody can reach.
    home = Path(tempfile.mkdtemp(prefix="seriesm-unopkg-"))
    try:
        shutil.copy(oxt, home / oxt.name)
        profile = home / "profile"
        profile.mkdir()
        prefix: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv")
            for path in (home, profile, home / oxt.name):
                os.chmod(path, 0o777)
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        user = f"-env:UserInstallation={profile.as_uri()}"
        env = {**os.environ, "HOME": str(profile)}
        done = subprocess.run([*prefix, "unopkg", "add", user, str(home / oxt.name)],
                              capture_output=True, text=True, timeout=300, check=False, env=env)
        if done.returncode == 139:  # unopkg 7.4 now and then segfaults (once in a CI run
            # beside other LibreOffice tests; alone it passed every time): again, afresh.
            shutil.rmtree(profile)
            profile.mkdir()
            os.chmod(profile, 0o777)
            done = subprocess.run([*prefix, "unopkg", "add", user, str(home / oxt.name)],
                                  capture_output=True, text=True, timeout=300, check=False,
                                  env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        listed = subprocess.run([*prefix, "unopkg", "list", user], capture_output=True,
                                text=True, timeout=300, check=False, env=env)
        assert extension.IDENTIFIER in listed.stdout
        assert "is registered: yes" in listed.stdout
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_a_copy_for_calc_computes_in_libreoffice_where_the_original_shows_name(
        tmp_path: Path) -> None:
    # LibreOffice 7.4's .xlsx import leaves SERIESM_ACCRUED unmapped (#NAME?); the copy
    # `seriesm extension --for-calc` writes calls the add-in by its Calc name, and computes.
    require_libreoffice()
    from xl_seriesm.engine.book import column_runs, read  # noqa: PLC0415
    from xl_seriesm.engine.office import Engine  # noqa: PLC0415

    original = tmp_path / "functions.xlsx"
    shutil.copy(ROOT / "workbooks" / "golden" / "functions.xlsx", original)
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "extension", "--for-calc",
                           str(original)], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "functions-for-calc.xlsx"
    book = read(original)
    ranges = {s.title: column_runs(list(s.formulas)) for s in book.sheets if s.formulas}
    with Engine() as engine:
        shown = {name: engine.compute(path.read_bytes(), ranges, 120).values
                 for name, path in (("original", original), ("copy", copy))}
    cells = {name: [v for grids in values.values() for grid in grids for row in grid
                    for v in row] for name, values in shown.items()}
    assert all(v == {"error": 525, "text": "#NAME?"} for v in cells["original"][:5])
    cached = [book.sheets[0].cached[ref] for ref in list(book.sheets[0].formulas)[:1]]
    assert cells["copy"][0] == cached[0]  # E2: SERIESM_ACCRUED(9100, ...), its hand value
    assert not any(isinstance(v, dict) and v.get("error") == 525 for v in cells["copy"])
    again = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "extension", "--for-calc",
                            str(original)], capture_output=True, text=True, check=False,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert again.returncode == 2
    assert "already exists; use --force" in again.stderr
