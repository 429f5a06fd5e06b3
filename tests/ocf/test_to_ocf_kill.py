"""``--to-ocf DIR`` leaves no temporary file in DIR on any exit (issue 21, item 7): SIGTERM
and SIGHUP mid-write clean up at once; what SIGKILL leaves the next write removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "example-ledger.csv"


def _killed_mid_write(out: Path, number: int) -> subprocess.CompletedProcess[str]:
    # The writer stops itself with the signal once the first file of the package is placed.
    script = f"""
import os, sys
from xl_seriesm.cli import main
real = os.replace
def replace(a, b):
    real(a, b)
    os.kill(os.getpid(), {int(number)})
os.replace = replace
sys.exit(main(["captable", {str(EXAMPLE)!r}, "--as-of", "2006-06-30", "--formation-date",
               "1996-04-01", "--to-ocf", {str(out)!r}, "--json"]))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_write_leaves_no_temporary_file(tmp_path: Path, number: int) -> None:
    out = tmp_path / "pkg"
    done = _killed_mid_write(out, number)
    assert done.returncode == 128 + number, done.stderr
    assert "Traceback" not in done.stderr
    assert _temporaries(out) == []


def test_what_a_sigkill_leaves_the_next_write_removes(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    done = _killed_mid_write(out, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    left = _temporaries(out)
    assert left  # the files staged after the first one: SIGKILL cannot be caught
    assert all(".seriesm-" in name for name in left)
    again = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "captable", str(EXAMPLE),
                            "--as-of", "2006-06-30", "--formation-date", "1996-04-01",
                            "--to-ocf", str(out), "--force"],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                           text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    assert _temporaries(out) == []
    assert (out / "Manifest.ocf.json").exists()


def test_a_failed_write_names_the_file_asked_for_not_a_temporary_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A full disk at the flush: the message names the package file, which is the user's, not
    # the temporary file it was staged in (removed by then).
    import errno  # noqa: PLC0415

    from xl_seriesm.xlsx import files  # noqa: PLC0415

    def full(_: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "pkg" / "Manifest.ocf.json"
    with pytest.raises(OSError) as error:
        files.write_atomically(target, b"{}", force=False)
    assert error.value.filename == str(target)
    assert error.value.errno == errno.ENOSPC
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == []
