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


def _killed_mid_write(out: Path, number: int, *extra: str) -> subprocess.CompletedProcess[str]:
    # The writer stops itself with the signal once the first file is on disk (flushed).
    script = f"""
import os, sys
from xl_seriesm.cli import main
real = os.fsync
def fsync(fd):
    real(fd)
    os.kill(os.getpid(), {int(number)})
os.fsync = fsync
sys.exit(main(["captable", {str(EXAMPLE)!r}, "--as-of", "2006-06-30", "--formation-date",
               "1996-04-01", "--to-ocf", {str(out)!r}, "--json", *{list(extra)!r}]))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def _write(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "captable", str(EXAMPLE),
                           "--as-of", "2006-06-30", "--formation-date", "1996-04-01",
                           "--to-ocf", str(out), *extra],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120, check=False)


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_write_leaves_nothing(tmp_path: Path, number: int) -> None:
    out = tmp_path / "pkg"
    done = _killed_mid_write(out, number)
    assert done.returncode == 128 + number, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no package, no staging
    # Into an existing package (--force), file by file: no temporary file either.
    assert _write(out).returncode == 0
    done = _killed_mid_write(out, number, "--force")
    assert done.returncode == 128 + number, done.stderr
    assert _temporaries(out) == []


def test_a_sigkilled_new_package_leaves_nothing_in_its_folder(tmp_path: Path) -> None:
    # A new package is written whole under a hidden name beside it and renamed: SIGKILL
    # leaves no folder (so nothing in it), only that staging beside it, which the next
    # write removes.
    out = tmp_path / "pkg"
    done = _killed_mid_write(out, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    assert not out.exists()
    left = _temporaries(tmp_path)
    assert len(left) == 1
    assert left[0].startswith(".pkg.seriesm-")
    again = _write(out)
    assert again.returncode == 0, again.stderr
    assert _temporaries(tmp_path) == []
    assert _temporaries(out) == []
    assert (out / "Manifest.ocf.json").exists()


def test_what_a_sigkill_leaves_in_an_existing_package_the_next_write_removes(
        tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert _write(out).returncode == 0
    done = _killed_mid_write(out, signal.SIGKILL, "--force")
    assert done.returncode == -signal.SIGKILL
    left = _temporaries(out)
    assert left  # SIGKILL cannot be caught: the file being staged stays, named by its pid
    assert all(".seriesm-" in name for name in left)
    again = _write(out, "--force")
    assert again.returncode == 0, again.stderr
    assert _temporaries(out) == []


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
