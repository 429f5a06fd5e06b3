"""The core is pure, and importing the Excel functions stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = ("xlwings", "openpyxl", "pandas")


def test_core_source_imports_nothing_heavy() -> None:
    for path in sorted((ROOT / "xl_seriesm" / "core").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return set(json.loads(out.stdout))


def test_importing_the_core_loads_none_of_them() -> None:
    loaded = _modules_after("import xl_seriesm.core.liquidation, xl_seriesm.core.notices, "
                            "xl_seriesm.core.redemption, xl_seriesm.core.governance")
    assert not {m for m in loaded if m.split(".")[0] in FORBIDDEN}


def test_importing_the_udfs_adds_no_heavy_module_beyond_xlwings() -> None:
    before = _modules_after("import xlwings")
    after = _modules_after("import xlwings, xl_seriesm.udfs")
    added = {m.split(".")[0] for m in after - before}
    # The holiday calendar loads on the first date question, not at import.
    assert not added & {"holidays", "openpyxl", "pandas", "formulas", "rich", "dateutil"}
