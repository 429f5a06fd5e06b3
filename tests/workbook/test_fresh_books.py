"""A freshly written book shows its figures everywhere (issue 23, item 5): the built-ins
flavor is written with the core's figures as cached values, as the add-in flavor is, so
pandas and a viewer that does not recalculate read them, and `seriesm regress` of it passes
before anything has computed it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.workbook.writer import Flavor


def test_pandas_reads_the_figures_of_a_fresh_native_book(tmp_path: Path) -> None:
    make(SAMPLE, tmp_path, [Flavor.NATIVE], force=False)
    holders = pd.read_excel(tmp_path / "seriesm-captable-native.xlsx", sheet_name="Holders",
                            header=None)
    palm = holders[holders[0] == "Palm Fund LP"].iloc[0]
    # Palm Fund LP: 3,500 shares, 10 Jan 2005 to 30 Jun 2007 is 890 days in 30/360:
    # 3,500 × 50 × 890/360 = 432,638.89 accrued, less 175,000 paid = 257,638.89 (§2);
    # liquidation value 3,500 × 1,000 + 257,638.89 = 3,757,638.89 (§3(a)).
    assert 257638.89 in [round(float(v), 2) for v in palm if isinstance(v, (int, float))]
    assert 3757638.89 in [round(float(v), 2) for v in palm if isinstance(v, (int, float))]
    assert not palm.iloc[1:].isna().all()


@pytest.mark.libreoffice
def test_regress_of_a_fresh_book_passes(tmp_path: Path) -> None:
    require_libreoffice()
    make(SAMPLE, tmp_path, [Flavor.NATIVE, Flavor.UDF], force=False)
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "regress", str(tmp_path),
                           "--jobs", "1"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 workbook(s): 2 passed, 0 failed, 0 refused" in done.stdout
