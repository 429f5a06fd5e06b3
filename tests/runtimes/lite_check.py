"""Run in a fresh interpreter with XLWINGS_ON_SERVER=true: imports the generated Lite main.py
the way xlwings Lite does, reads the custom-functions metadata Excel would receive, and calls
functions through xlwings' own Office.js argument conversion. Prints JSON for the test."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys

import xlwings as xw
from xlwings.server import custom_functions_call, custom_functions_meta


def _load(path: str) -> object:
    spec = importlib.util.spec_from_file_location("main", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _call(module: object, name: str, args: list[object]) -> dict[str, object]:
    data = {"func_name": name, "args": args, "version": xw.__version__, "client": "Office.js",
            "caller_address": "Sheet1!B2", "runtime": "1.4", "date_format": None,
            "culture_info_name": "en-US"}
    try:
        return {"value": await custom_functions_call(data, module)}
    except Exception as error:  # noqa: BLE001 - the test inspects what Excel would show
        return {"raised": type(error).__name__, "message": str(error)}


async def main() -> None:
    module = _load(sys.argv[1])
    calls = json.loads(sys.argv[2])
    results = [await _call(module, name, args) for name, args in calls]
    print(json.dumps({"meta": custom_functions_meta(module), "results": results}, default=str))


asyncio.run(main())
