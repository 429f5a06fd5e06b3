"""``seriesm screenshots``: the README's pictures of every sheet, as LibreOffice prints them.

The sample template is printed to PDF by LibreOffice (its own print areas, page setup and
footers) and the first page of each sheet is rendered to PNG with pdfium. Pixels differ from
one machine's fonts and renderer to another's, so what is recorded for the drift test is the
SHA-256 of the workbooks the pictures were made from (``SOURCE.sha256``; the workbooks are
reproducible byte for byte): when the templates change, the test asks for new pictures.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from xl_seriesm import libreoffice
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.workbook import model
from xl_seriesm.workbook.writer import Flavor, workbook_bytes
from xl_seriesm.xlsx.files import write_all

FOLDER = Path("docs/screenshots")
SOURCE_FILE = "SOURCE.sha256"
#: Pictures of the add-in flavor too: one sheet shows what a reader without the add-in sees.
ADDIN_SHEETS = (model.HOLDERS,)
SCALE = 1.4  # pixels per PDF point: legible on a README page


def source_digest(books: dict[Flavor, bytes]) -> str:
    """The recorded text: one line per workbook, its SHA-256 and file name."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {flavor.filename}\n"
                   for flavor, data in sorted(books.items(), key=lambda item: item[0].value))


def sample_books() -> dict[Flavor, bytes]:
    built = model.build(SAMPLE)
    return {flavor: workbook_bytes(built, flavor) for flavor in Flavor}


def page_sheets(pdf: Path) -> list[str]:
    """The sheet each page of a printed workbook belongs to, read from its footer (the
    footer's first word is the sheet name)."""
    import pypdfium2  # noqa: PLC0415 - only the screenshots and their tests need it

    document = pypdfium2.PdfDocument(pdf)
    names = []
    for page in document:
        text = page.get_textpage().get_text_range().split()
        names.append(_footer_sheet(text))
    return names


def _footer_sheet(words: list[str]) -> str:
    # The footer reads "<sheet> Series M cap table as of <date> Page x of y", last on the page.
    for index in range(len(words) - 1, -1, -1):
        if words[index:index + 4] == ["Series", "M", "cap", "table"] and index > 0:
            return words[index - 1]
    return ""


def pictures(pdf: Path, prefix: str, sheets: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """PNG bytes of the first page of each sheet in ``pdf``, named ``prefix-sheet.png``."""
    import io  # noqa: PLC0415

    import pypdfium2  # noqa: PLC0415

    document = pypdfium2.PdfDocument(pdf)
    found: dict[str, bytes] = {}
    for index, sheet in enumerate(page_sheets(pdf)):
        name = f"{prefix}-{sheet.lower()}.png"
        if not sheet or name in found or (sheets and sheet not in sheets):
            continue
        image = document[index].render(scale=SCALE).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        found[name] = out.getvalue()
    return found


def write(folder: Path = FOLDER) -> list[Path]:
    """Print the sample in both flavors and write the pictures and SOURCE.sha256."""
    books = sample_books()
    with tempfile.TemporaryDirectory(prefix="seriesm-shots-") as work:
        paths = []
        for flavor, data in books.items():
            path = Path(work) / flavor.filename
            path.write_bytes(data)
            paths.append(path)
        pdfs = dict(zip(books, libreoffice.to_pdf(paths, Path(work) / "pdf"), strict=True))
        images = pictures(pdfs[Flavor.NATIVE], "native")
        images.update(pictures(pdfs[Flavor.UDF], "addin", ADDIN_SHEETS))
    files = [(folder / name, data) for name, data in sorted(images.items())]
    files.append((folder / SOURCE_FILE, source_digest(books).encode()))
    return write_all(files, force=True)
