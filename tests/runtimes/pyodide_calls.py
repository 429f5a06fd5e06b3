"""Run inside Pyodide (tests/runtimes/pyodide/run.mjs): installs the session's wheels by
unpacking them into site-packages (what micropip does, without its network), imports the
generated Lite main.py as xlwings Lite does, and calls each function through xlwings' own
Office.js entry point, ``xlwings.server.custom_functions_call``. Answers JSON for the test.

xlwings' wheel on PyPI is pure Python and is the xlwings Lite loads; its Office.js
decorators are chosen by XLWINGS_ON_SERVER=true and sit behind a licence check, passed here
with the key "noncommercial" that xlwings provides (Lite sets up its own runtime the same way
without the user seeing it, and is free for commercial use).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import site
import sys
import time
import zipfile
from typing import Any


def _install() -> None:
    """Every wheel run.mjs wrote into /wheels, unpacked into site-packages."""
    target = site.getsitepackages()[0]
    for wheel in sorted(os.listdir("/wheels")):
        with zipfile.ZipFile(f"/wheels/{wheel}") as archive:
            archive.extractall(target)
    importlib.invalidate_caches()


def _load(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("main", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _benchmark(module: Any, spec: dict[str, Any]) -> list[float]:
    """Seconds per run of one direct call of a function, after one warm-up."""
    function = getattr(module, spec["function"])
    function(*spec["args"])
    times = []
    for _ in range(spec["repeat"]):
        started = time.perf_counter()
        function(*spec["args"])
        times.append(time.perf_counter() - started)
    return times


async def main(job: dict[str, Any]) -> str:
    _install()
    os.environ |= {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    started = time.perf_counter()
    module = _load("/home/pyodide/main.py")
    imported = time.perf_counter() - started

    import xlwings as xw  # noqa: PLC0415 - after the wheels are unpacked
    from xlwings.server import custom_functions_call, custom_functions_meta  # noqa: PLC0415

    results = []
    for name, args in job.get("calls", []):
        data = {"func_name": name, "args": args, "version": xw.__version__,
                "client": "Office.js", "caller_address": "Sheet1!B2", "runtime": "1.4",
                "date_format": None, "culture_info_name": "en-US"}
        started = time.perf_counter()
        try:
            outcome: dict[str, Any] = {"value": await custom_functions_call(data, module)}
        except Exception as error:  # noqa: BLE001 - the test inspects what Excel would show
            outcome = {"raised": type(error).__name__, "message": str(error)}
        outcome["seconds"] = time.perf_counter() - started
        results.append(outcome)
    return json.dumps({
        "platform": sys.platform, "python": sys.version.split()[0],
        "numpy_loaded": "numpy" in sys.modules, "import_seconds": imported,
        "package_file": sys.modules["xl_seriesm"].__file__,
        "functions": sorted(module.__all__),
        "meta": custom_functions_meta(module), "results": results,
        "benchmark": _benchmark(module, job["benchmark"]) if "benchmark" in job else None,
    }, default=str)
