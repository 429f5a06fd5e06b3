"""The engine works from the shells people run it in, an activated virtual environment first."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice

pytestmark = pytest.mark.libreoffice


def test_calc_works_with_a_virtual_environment_activated(tmp_path: Path) -> None:
    # `source .venv/bin/activate` puts the venv's bin first on PATH. LibreOffice's embedded
    # Python (the one that runs the Series M add-in) found that venv's python3 there, took it
    # for its own home, and every workbook load failed ("LibreOffice did not open it as a
    # spreadsheet"), while the same command without activation worked.
    require_libreoffice()
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(environment)
    book = openpyxl.Workbook()
    book.active["A1"] = 2
    book.active["B1"] = "=A1*21"  # 42
    source = tmp_path / "book.xlsx"
    book.save(source)
    activated = {**os.environ, "PYTHONPATH": str(ROOT), "VIRTUAL_ENV": str(environment),
                 "PATH": os.pathsep.join([str(environment / "bin"), os.environ["PATH"]])}
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "calc", str(source)],
                          capture_output=True, text=True, env=activated, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    written = openpyxl.load_workbook(tmp_path / "book-calc.xlsx", data_only=True)
    assert written.active["B1"].value == 42
