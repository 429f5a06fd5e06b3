"""Reaching Excel without Excel: the metadata and behaviour each runtime would see.

Classic (Windows COM): xlwings' own classic decorators, made importable by stubbing pywin32,
give the metadata and VBA wrappers that "Import Functions" would write. xlwings Lite/Server:
xlwings' Office.js decorators (XLWINGS_ON_SERVER=true) give the custom-functions metadata,
and xlwings' own call path converts the arguments as Office.js sends them.

The Office.js decorators live in xlwings' PRO package, which checks for a licence key at
import; these tests use the key "noncommercial" that xlwings provides for such use. Lite
itself is free for commercial use and bundles its own copy of the decorators.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from xl_seriesm.excel.spec import EXCEL_TEXT_LIMIT, FUNCTIONS, Kind

RUNTIMES = Path(__file__).parent / "runtimes"


def _run(script: str, *args: str, lite: bool = False) -> Any:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if lite:
        env |= {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, str(RUNTIMES / script), *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def lite_main(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lite")
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "lite", "--out", str(folder)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert (folder / "requirements.txt").read_text() == "xlwings\nholidays>=0.109\n"
    return folder / "main.py"


# Calls as Office.js sends them: every argument a 2-D array, empty cells as null, dates as
# serial numbers (38362 is 2005-01-10; 38452 is 2005-04-10; 38412 is 2005-03-01).
LITE_CALLS: list[tuple[str, list[Any], dict[str, Any]]] = [
    # 9,100 × $50 × 90/360 = $113,750 (§2); empty optional cells take their defaults.
    ("SERIESM_ACCRUED", [[[9100]], [[38362]], [[38452]], [[None]], [[None]]],
     {"value": [[113750.0]]}),
    # A dropdown word for the basis: actual/365 (per period, actual days inside the period:
    # 50 of the 90 days from 10 January to 10 April): 250 × $12.50 × 50/90 = $1,736.11.
    ("SERIESM_ACCRUED", [[[250]], [[38362]], [[38412]], [[0]], [["Actual/365"]]],
     {"value": [[1736.11]]}),
    # "from closing": one YEARFRAC, 50/365 of $12,500 = $1,712.33.
    ("SERIESM_ACCRUED", [[[250]], [[38362]], [[38412]], [[0]], [["Actual/365"]],
                         [["from closing"]]], {"value": [[1712.33]]}),
    # A scalar error: raised, so Lite shows #VALUE! with the message on hover.
    ("SERIESM_ACCRUED", [[[-5]], [[38362]], [[38452]]],
     {"raised": "XlwingsError", "message": "#NUM! shares = -5: must be 0 or more."}),
    # An array call with one bad row: that cell is a real #NUM! error value.
    ("SERIESM_ACCRUED", [[[9100], [-5]], [[38362]], [[38452]]],
     {"value": [[113750.0], [{"type": "Error", "errorType": "Num"}]]}),
    # Lite on the desktop passes an empty `holding` cell as 0: not given. 500 × 4,000.
    ("SERIESM_CONVERT", [[[500]], [[38362]], [[38727]], [[None]], [[0]]],
     {"value": [[2000000.0]]}),
    # §5(f): 20 Dec 2021 (serial 44550) + 10 bank business days = 3 Jan 2022 (serial 44564).
    ("SERIESM_DEADLINE", [[[44550]]], {"value": [[44564.0]]}),
]


@pytest.fixture(scope="module")
def lite(lite_main: Path) -> Any:
    calls = json.dumps([[name, args] for name, args, _ in LITE_CALLS])
    return _run("lite_check.py", str(lite_main), calls, lite=True)


@pytest.mark.parametrize("index", range(len(LITE_CALLS)), ids=[c[0] for c in LITE_CALLS])
def test_lite_calls(lite: Any, index: int) -> None:
    assert lite["results"][index] == LITE_CALLS[index][2]


def test_lite_metadata_matches_the_spec(lite: Any) -> None:
    functions = {f["name"]: f for f in lite["meta"]["functions"]}
    enums = {e["id"]: [v["name"] for v in e["values"]] for e in lite["meta"].get("enums", [])}
    assert sorted(functions) == sorted(f.name for f in FUNCTIONS)
    for spec in FUNCTIONS:
        meta = functions[spec.name]
        assert meta["description"] == spec.description
        assert "volatile" not in meta["options"]
        assert [p["name"] for p in meta["parameters"]] == list(spec.arg_names)
        for param, arg in zip(meta["parameters"], spec.args, strict=True):
            assert param["description"] == arg.description
            assert param.get("optional", False) is arg.optional
            if arg.choices:  # a dropdown of the allowed words
                assert enums[param["customEnumId"]] == list(arg.choices)


def test_lite_main_imports_and_calls_without_the_server(lite_main: Path) -> None:
    code = ("import importlib.util, sys; s = importlib.util.spec_from_file_location('main', "
            f"{str(lite_main)!r}); m = importlib.util.module_from_spec(s); "
            "s.loader.exec_module(m); print(m.SERIESM_CONVERT(9100, '2005-01-10', '2006-01-10'), "
            "len(m.__all__))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.split() == ["36400000.0", str(len(FUNCTIONS))]


@pytest.fixture(scope="module")
def classic() -> Any:
    return _run("classic_check.py")


def test_classic_metadata_matches_the_spec(classic: Any) -> None:
    meta = classic["meta"]
    assert sorted(meta) == sorted(f.name for f in FUNCTIONS)
    for spec in FUNCTIONS:
        info = meta[spec.name]
        assert info["category"] == "Series M"
        assert info["volatile"] is False
        # "Import Functions" passes these to Application.MacroOptions, cut at 255 characters.
        assert info["description"] == spec.description
        assert len(info["description"]) <= EXCEL_TEXT_LIMIT
        assert [a["name"] for a in info["args"]] == list(spec.arg_names)
        for got, arg in zip(info["args"], spec.args, strict=True):
            assert got["doc"] == arg.description
            assert got["optional"] is arg.optional
            if arg.optional:
                assert got["default"] == arg.default
            # Ranges arrive two-dimensional so a column comes back as a column.
            assert got["options"].get("ndim") == (
                2 if arg.array or arg.kind in (Kind.DATES, Kind.TABLE, Kind.SPLITS) else None)
            # An error cell arrives as its text, not as an empty cell.
            assert got["options"]["err_to_str"] is True


def test_classic_vba_wrappers_declare_optional_arguments(classic: Any) -> None:
    vba = classic["vba"]
    for spec in FUNCTIONS:
        shown = ", ".join(f"Optional {a.name}" if a.optional else a.name for a in spec.args)
        assert f"Function {spec.name}({shown})" in vba
    assert "Application.Volatile" not in vba


def _documented_syntax(name: str) -> list[tuple[str, bool]]:
    """(argument, optional) in the order udf_docs/NAME.md's Syntax line gives them."""
    page = (ROOT / "udf_docs" / f"{name}.md").read_text(encoding="utf-8")
    line = page.split("## Syntax", 1)[1].strip().splitlines()[0]
    inside = line[line.index("(") + 1:line.rindex(")")]
    return [(a.strip("[] "), a.strip().startswith("[")) for a in inside.split(",") if a.strip()]


def test_both_runtimes_match_the_published_reference(lite: Any, classic: Any) -> None:
    functions = {f["name"]: f for f in lite["meta"]["functions"]}
    for spec in FUNCTIONS:
        documented = _documented_syntax(spec.name)
        in_lite = [(p["name"], p.get("optional", False))
                   for p in functions[spec.name]["parameters"]]
        in_classic = [(a["name"], a["optional"]) for a in classic["meta"][spec.name]["args"]]
        assert documented == in_lite == in_classic, spec.name
        page = (ROOT / "udf_docs" / f"{spec.name}.md").read_text(encoding="utf-8")
        assert functions[spec.name]["description"] in page
