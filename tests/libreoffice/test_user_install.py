"""`seriesm extension --install` installs for the current user, root included, and says
what it did (issue 23, item 6): the installation works, a formula computes with it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice


@pytest.mark.libreoffice
def test_install_for_the_current_user_computes_in_their_profile(tmp_path: Path) -> None:
    require_libreoffice()
    from xl_seriesm.engine.office import _START_SECONDS, _Bridge  # noqa: PLC0415
    from xl_seriesm.libreoffice.user_install import profile_folder  # noqa: PLC0415

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XDG_CONFIG_HOME"}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "extension", "--install",
                           "--out", str(tmp_path / "dist")], capture_output=True, text=True,
                          env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    profile = profile_folder({"HOME": str(home)})
    assert profile == home / ".config" / "libreoffice" / "4"
    assert f"in the LibreOffice profile {profile}" in done.stdout
    assert "for the user " in done.stdout  # root too: unopkg add would have refused
    # The profile computes the function: 9,100 shares × $1,000 × 5% × 1/4 for the first
    # full quarter, 10 Jan to 10 Apr 2005 = $113,750 (§2).
    book = openpyxl.Workbook()
    book.active["A1"] = ("=ORG.XLSERIESM.SERIESMADDIN.SERIESM_ACCRUED(9100,DATE(2005,1,10),"
                         "DATE(2005,4,10))")
    data = io.BytesIO()
    book.save(data)
    bridge = _Bridge(profile, profile, sandboxed=False)
    try:
        bridge.send({"op": "compute", "ranges": {"Sheet": ["A1"]}}, data.getvalue())
        answer = bridge.receive(time.monotonic() + _START_SECONDS, memory=None)
    finally:
        bridge.quit()
    assert answer.get("ok"), answer
    assert answer["values"]["Sheet"][0] == [[113750.0]]
    # Run again: the same extension is already there, and it says so by installing it again.
    again = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "extension", "--install",
                            "--out", str(tmp_path / "dist")], capture_output=True, text=True,
                           env=env, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    assert "wrote" not in again.stdout
    assert "installed" in again.stdout
