"""The `seriesm` command."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _seriesm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_demo_prints_the_four_functions_results() -> None:
    done = _seriesm("demo", "--no-workbooks")
    assert done.returncode == 0, done.stderr
    # The sample ledger's first issuance: 8,000,000 sold at $0.20 with 120,000,000 out:
    # C = 6,400,000; 4,000 × 128,000,000 / 126,400,000 = 4,050.6329… (§5(e)).
    assert "4,050.632911" in done.stdout
    # Palm Fund LP: 3,500 shares, 10 Jan 2005 to 30 Jun 2007 is 890 days in 30/360:
    # 3,500 × 50 × 890/360 = 432,638.89 less 175,000 paid = 257,638.89 (§2).
    assert "257,638.89" in done.stdout
    assert "Conversion breakpoint" in done.stdout


def test_docs_check_passes_on_the_committed_reference() -> None:
    done = _seriesm("docs", "--check")
    assert done.returncode == 0, done.stderr


def test_addin_writes_xlwings_conf(tmp_path: object) -> None:
    done = _seriesm("addin", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Import Functions" in done.stdout
    conf = (tmp_path / "xlwings.conf").read_text()  # type: ignore[operator]
    assert conf.splitlines()[0] == '"UDF Modules","xl_seriesm.udfs"'
    again = _seriesm("addin", "--out", str(tmp_path))
    assert again.returncode == 2
    assert "already exists; use --force" in again.stderr


def test_lite_refuses_to_replace_without_force(tmp_path: object) -> None:
    assert _seriesm("lite", "--out", str(tmp_path)).returncode == 0
    again = _seriesm("lite", "--out", str(tmp_path))
    assert again.returncode == 2
    assert "main.py: already exists; use --force" in again.stderr
    assert _seriesm("lite", "--out", str(tmp_path), "--force").returncode == 0
    custom = _seriesm("lite", "--out", str(tmp_path), "--force", "--wheel",
                      "https://example.org/xl_seriesm-0.1.0-py3-none-any.whl")
    assert custom.returncode == 0
    assert (tmp_path / "requirements.txt").read_text() == (  # type: ignore[operator]
        "xlwings\nholidays>=0.109\nhttps://example.org/xl_seriesm-0.1.0-py3-none-any.whl\n")
    # Lite fetches the wheel from inside Excel: the host must allow that (CORS).
    assert "example.org must answer with the CORS header Access-Control-Allow-Origin" in (
        custom.stdout)
