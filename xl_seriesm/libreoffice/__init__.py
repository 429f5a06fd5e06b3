"""LibreOffice headless: the independent spreadsheet engine that recalculates workbooks.

Measured facts this module relies on (shared/ENGINES.md): LibreOffice keeps a file's stale
cached values unless its profile says to recalculate on load, so every run uses a private
profile seeded with OOXMLRecalcMode = ODFRecalcMode = 0 ("always"); its exit code is 0 even
when a conversion fails, so the outputs are checked; two processes sharing a profile
collide, so each call gets its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


def profile_settings(settings: Sequence[tuple[str, str, str]]) -> str:
    """A profile's registrymodifications.xcu setting each (node path, property, value)."""
    items = "".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                    f"<value>{value}</value></prop></item>\n" for path, name, value in settings)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry"\n'
            '  xmlns:xs="http://www.w3.org/2001/XMLSchema"\n'
            '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"{items}</oor:items>\n")


_FORMULA_LOAD = "/org.openoffice.Office.Calc/Formula/Load"
#: OOXMLRecalcMode = ODFRecalcMode = 0: always recalculate on load.
_RECALCULATE_ALWAYS = profile_settings([(_FORMULA_LOAD, "OOXMLRecalcMode", "0"),
                                        (_FORMULA_LOAD, "ODFRecalcMode", "0")])


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, or did not produce a recalculated file."""


def find() -> str | None:
    """The soffice executable, if LibreOffice is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(workbooks: Sequence[Path], out: Path, timeout: float = 300) -> list[Path]:
    """Open each workbook in LibreOffice, recalculate every formula, and save it as .xlsx
    into ``out`` (which must not be the inputs' folder). Returns the recalculated files.

    Use the results only to read values: a file LibreOffice re-saved is not one to ship.
    """
    return _convert(workbooks, out, "xlsx", timeout)


def to_pdf(workbooks: Sequence[Path], out: Path, timeout: float = 300) -> list[Path]:
    """Print each workbook to PDF as LibreOffice prints it (its print areas, page setup,
    titles and footers), recalculated first. Returns the PDF files."""
    return _convert(workbooks, out, "pdf", timeout)


def _convert(workbooks: Sequence[Path], out: Path, extension: str,
             timeout: float) -> list[Path]:
    soffice = find()
    if soffice is None:
        raise LibreOfficeError("LibreOffice is not installed (apt-get install -y "
                               "--no-install-recommends libreoffice-calc-nogui)")
    out.mkdir(parents=True, exist_ok=True)
    for workbook in workbooks:
        if workbook.resolve().parent == out.resolve():
            raise LibreOfficeError(f"{workbook}: the output folder must differ from the input's")
    with tempfile.TemporaryDirectory(prefix="seriesm-lo-") as home:
        profile = Path(home) / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_RECALCULATE_ALWAYS)
        command = [soffice, "--headless", "--norestore", "--nologo",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", extension, "--outdir", str(out), *map(str, workbooks)]
        env = {**os.environ, "HOME": home}
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=env, check=False)
    produced = [out / f"{w.stem}.{extension}" for w in workbooks]
    missing = [p for p in produced if not p.exists()]
    if missing or "Error:" in done.stderr:
        raise LibreOfficeError(f"LibreOffice did not recalculate {', '.join(map(str, missing))}:"
                               f" {done.stderr.strip() or done.stdout.strip()}")
    return produced
