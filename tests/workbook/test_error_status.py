"""The status is never OK while a cell shows an error (issue 23, item 2): the add-in flavor
opened where its functions do not run says, in red, that they are not loaded, on every
sheet, on screen and on paper; a built-ins book with an error cell fails its Checks."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pypdfium2
import pytest

from tests.conftest import require_libreoffice
from tests.pdftext import pages_text
from xl_seriesm import libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.cli.template import make
from xl_seriesm.workbook import error_check, model
from xl_seriesm.workbook.writer import Flavor

BUILT = model.build(SAMPLE)


def test_the_checks_count_error_cells_on_every_other_sheet() -> None:
    checks = next(s for s in BUILT.sheets if s.name == model.CHECKS)
    last = max(int(c.ref[1:]) for c in checks.cells if c.ref.startswith("B") and c.computed)
    cell = next(c for c in checks.cells if c.ref == f"B{last}")
    assert cell.expected == "OK"  # the core's figures hold no error
    ranges = error_check.error_ranges(BUILT.sheets)
    assert {r.split("!")[0] for r in ranges} == {s.name for s in BUILT.sheets} - {model.CHECKS}
    assert all(r.split("!")[1].startswith("A2:") for r in ranges)  # row 1: the status itself
    assert cell.udf is not None
    assert cell.udf.startswith(f'=IF(ISERROR({error_check.PROBE}),"FAILS: functions not')
    assert cell.native is not None
    assert "SERIESM" not in cell.native
    status = next(c for c in checks.cells if c.ref == "B3")
    assert status.expected == model.ALL_OK
    assert f'"{error_check.NOT_LOADED}"' in str(status.udf)


def _red_near_the_top_right(pdf: Path, page: int) -> bool:
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=1).to_pil().convert("RGB")
    width, height = image.size
    box = image.crop((width // 2, 0, width, height // 8))
    return any(abs(r - 0xFF) < 8 and abs(g - 0xC7) < 8 and abs(b - 0xCE) < 8
               for r, g, b in box.get_flattened_data())


@pytest.mark.libreoffice
def test_without_the_extension_every_sheet_says_functions_not_loaded_in_red(
        tmp_path: Path) -> None:
    require_libreoffice()
    make(SAMPLE, tmp_path, [Flavor.UDF], force=False)
    # LibreOffice without the Series M extension, recalculating on load: every SERIESM_*
    # call is #NAME?, as in Excel without the add-in after a recalculation.
    pdf = libreoffice.to_pdf([tmp_path / Flavor.UDF.filename], tmp_path / "pdf")[0]
    pages = pages_text(pdf)
    assert len(pages) >= len(BUILT.sheets) - 1  # the sample's empty Events does not print
    for number, page in enumerate(pages):
        assert error_check.NOT_LOADED in page, number + 1
        assert model.ALL_OK not in page
        assert _red_near_the_top_right(pdf, number), number + 1
    assert error_check.NOT_LOADED_RESULT in "".join(pages)


@pytest.mark.libreoffice
def test_a_built_ins_book_with_an_error_cell_fails_its_checks(tmp_path: Path) -> None:
    require_libreoffice()
    make(SAMPLE, tmp_path, [Flavor.NATIVE], force=False)
    book = tmp_path / Flavor.NATIVE.filename
    doctored = tmp_path / "doctored.xlsx"
    # Palm Fund LP's Series M shares (Holders B4) typed as text: its accrued dividends and
    # everything built on them become #VALUE!.
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(doctored, "w") as target:
        holders = "xl/worksheets/sheet3.xml"  # About, Terms, Holders
        for info in source.infolist():
            data = source.read(info)
            if info.filename == holders:
                start = data.index(b'<c r="B4"')
                end = data.index(b"</c>", start) + 4
                data = data[:start] + b'<c r="B4" t="inlineStr"><is><t>x</t></is></c>' + (
                    data[end:])
            target.writestr(info, data)
    pdf = libreoffice.to_pdf([doctored], tmp_path / "pdf")[0]
    pages = pages_text(pdf)
    text = "".join(pages)
    assert model.ALL_OK not in text
    assert "checks FAIL" in pages[0]
    assert " errors" in text
    assert "FAILS: " in text


@pytest.mark.libreoffice
def test_without_recalculating_on_opening_too(tmp_path: Path) -> None:
    # LibreOffice as installed (a fresh profile: no recalculation of an .xlsx on opening)
    # recomputes the array formulas, whose SERIESM_* calls then show #NAME?, and shows the
    # other cells' cached values: the status cells, array formulas asking the functions
    # themselves, say they are not loaded rather than their cached "All checks OK".
    require_libreoffice()
    make(SAMPLE, tmp_path, [Flavor.UDF], force=False)
    profile = tmp_path / "profile"
    subprocess.run([str(libreoffice.find()), "--headless", "--norestore",
                    f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(tmp_path / Flavor.UDF.filename)],
                   capture_output=True, check=True, timeout=300,
                   env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "pdf" / Flavor.UDF.filename.replace(".xlsx", ".pdf")
    pages = pages_text(pdf)
    assert "#NAME?" in "".join(pages)  # the array columns recomputed without the functions
    for number, page in enumerate(pages, start=1):
        assert error_check.NOT_LOADED in page, number
        assert model.ALL_OK not in page, number
