"""Run in a fresh interpreter: makes xlwings' classic (Windows COM) decorators importable on
Linux by stubbing pywin32, installs them as xlwings.func/arg the way xlwings does on Windows,
imports xl_seriesm.udfs, and prints what Excel's "Import Functions" would use: each function's
__xlfunc__ metadata and the VBA wrapper xlwings generates."""

from __future__ import annotations

import io
import json
import sys
import types

for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
sys.modules["pywintypes"].com_error = Exception  # type: ignore[attr-defined]
sys.modules["win32com.client"].Dispatch = lambda *a, **k: None  # type: ignore[attr-defined]

import xlwings  # noqa: E402
from xlwings import udfs as classic  # noqa: E402

xlwings.func, xlwings.arg = classic.xlfunc, classic.xlarg  # what xlwings does on Windows

import xl_seriesm.udfs as seriesm  # noqa: E402


class _Book:
    Name = "captable.xlsm"


vba = io.StringIO()
classic.generate_vba_wrapper("xl_seriesm.udfs", seriesm, vba, _Book())
meta = {}
for name in seriesm.__all__:
    info = getattr(seriesm, name).__xlfunc__
    meta[name] = {
        "name": info["name"], "category": info["category"], "volatile": info["volatile"],
        "description": info["ret"]["doc"],
        "args": [{"name": a["name"], "doc": a["doc"], "optional": "optional" in a,
                  "default": a.get("optional"), "options": a["options"]} for a in info["args"]],
    }
print(json.dumps({"meta": meta, "vba": vba.getvalue()}, default=str))
