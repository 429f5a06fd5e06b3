"""The core is pure, and importing the Excel functions stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = ("xlwings", "openpyxl", "pandas", "numpy")


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


def test_the_excel_functions_need_no_numpy() -> None:
    """xlwings Lite's Pyodide has no numpy offline: array calls (the column kernels) must
    run with numpy unimportable. 20 rows of 9,100 shares, 2005-01-10 to 2005-04-10, 30/360:
    9,100 × $50 × 90/360 = $113,750 each (§2); the waterfall's 20 exits go column-wise too."""
    code = ("import sys; sys.modules['numpy'] = None; from datetime import date; "
            "from xl_seriesm import udfs; "
            "rows = udfs.SERIESM_ACCRUED([[9100.0]] * 20, date(2005, 1, 10), "
            "date(2005, 4, 10)); "
            "table = udfs.SERIESM_WATERFALL([[1e6 * i] for i in range(20)], 9100, 1e8, 0); "
            "print(rows == [[113750.0]] * 20, len(table), 'numpy' in sys.modules and "
            "sys.modules['numpy'] is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "21", "False"]
