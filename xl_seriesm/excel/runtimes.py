"""How a call to a ``SERIESM_*`` function is spelled in a saved .xlsx, in each runtime that
computes it, and converting a workbook from one spelling to another (``seriesm relink``).

What is established, and where from:

- **classic** (the xlwings add-in on Windows): Import Functions writes the functions into
  the workbook as VBA, and Excel saves a call to a VBA function by its bare name:
  ``SERIESM_ACCRUED(B4,ClosingDate,AsOfDate)``. (Excel saves a function it does not know
  with the ``_xludf.`` prefix, which is read as the same call.)
- **lite** (xlwings Lite): Lite's functions are Office.js custom functions, which Excel saves
  as ``_xldudf_`` + the add-in's namespace + ``_`` + the function's id, the namespace's dot
  becoming an underscore. A Lite function ``HELLO`` shows as ``=_xldudf_XLW_HELLO(A1)`` in a
  workbook whose add-in had not loaded (xlwings/xlwings-lite issue 80), so Lite's namespace
  is ``XLW``; xlwings gives each function the id of its name in upper case
  (xlwings/xlwings, ``xlwings/pro/udfs_officejs.py``, ``custom_functions_meta``). Other
  add-ins' files show the same form: ``_xldudf_CX_GET(...)``, ``_xldudf_optionsamurai_stock``
  for ``OPTIONSAMURAI.STOCK`` (public repositories' tests and notes), and Microsoft's own
  threads (OfficeDev/office-js issues 5611, 5865, 6655) on the ``_xldudf_`` prefix. So a
  Lite call is saved as ``_xldudf_XLW_SERIESM_ACCRUED(...)``. Whether Excel binds such a
  call written by another program when Lite loads can only be seen in Excel (the README
  says how to check it in a minute).
- **calc** (LibreOffice with the extension): LibreOffice's .xlsx import does not map an
  add-in function by its Excel name (7.4: ``#NAME?``), so the book calls each function by
  the add-in's UNO name: ``ORG.XLSERIESM.SERIESMADDIN.SERIESM_ACCRUED(...)``.

Only formula text changes; the cached values stay, so a relinked book opens with its figures
in every runtime until it recalculates.
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from enum import Enum
from pathlib import Path


class Runtime(Enum):
    """Where an add-in workbook is computed."""

    CLASSIC = "classic"
    LITE = "lite"
    CALC = "calc"


#: xlwings Lite's namespace as Excel saves it, before each function's id.
LITE_PREFIX = "_xldudf_XLW_"
#: The name of a function Excel does not know, as openpyxl and Excel may save it.
FUTURE_PREFIX = "_xludf."


#: The Calc add-in's UNO service (the LibreOffice extension implements it under this name,
#: xl_seriesm/libreoffice/extension.py), which spells a call in Calc.
CALC_SERVICE = "org.xlseriesm.SeriesMAddIn"


def _calc_prefix() -> str:
    return f"{CALC_SERVICE}.".upper()


def _names() -> tuple[str, ...]:
    from xl_seriesm.excel.spec import FUNCTIONS  # noqa: PLC0415

    return tuple(f.name for f in FUNCTIONS)


def spelling(name: str, runtime: Runtime) -> str:
    """How a call to ``name`` (``SERIESM_ACCRUED``) is written for ``runtime``."""
    if runtime is Runtime.LITE:
        return LITE_PREFIX + name
    if runtime is Runtime.CALC:
        return _calc_prefix() + name
    return name


def _pattern(names: tuple[str, ...]) -> re.Pattern[bytes]:
    prefixes = (FUTURE_PREFIX, LITE_PREFIX, _calc_prefix())
    return re.compile(rb"(?<![A-Za-z0-9_.])(?:" + b"|".join(re.escape(p.encode())
                                                             for p in prefixes) + rb")?("
                      + b"|".join(re.escape(n.encode()) for n in names)
                      + rb")(?![A-Za-z0-9_.])(\s*\()", re.IGNORECASE)


_F_ELEMENT = re.compile(rb"(<(?:[A-Za-z0-9_]+:)?f\b[^>]*>)(.*?)(</(?:[A-Za-z0-9_]+:)?f>)",
                        re.DOTALL)
_QUOTED = re.compile(rb"(&quot;.*?&quot;|\"[^\"]*\")", re.DOTALL)


class Relinked:
    """A relinked sheet part: its bytes, and how many calls were rewritten / were already in
    the target's spelling."""

    def __init__(self, data: bytes, renamed: int, already: int) -> None:
        self.data, self.renamed, self.already = data, renamed, already


def relink_sheet(data: bytes, runtime: Runtime, names: tuple[str, ...] | None = None
                 ) -> Relinked:
    """A sheet part's XML with every ``SERIESM_*`` call, in any runtime's spelling, in
    ``runtime``'s. Text inside a formula's string literals is left as it is."""
    known = names or _names()
    pattern = _pattern(known)
    upper = {n.upper().encode(): n for n in known}
    counts = [0, 0]

    def call(match: re.Match[bytes]) -> bytes:
        wanted = spelling(upper[match[1].upper()], runtime).encode()
        whole = match[0][:match.start(2) - match.start(0)]
        if whole.upper() == wanted.upper():
            counts[1] += 1
            return match[0]
        counts[0] += 1
        return wanted + match[2]

    def formula(match: re.Match[bytes]) -> bytes:
        # Strings in a formula are not calls: split them out and rename between them.
        parts = _QUOTED.split(match[2])
        body = b"".join(part if i % 2 else pattern.sub(call, part)
                        for i, part in enumerate(parts))
        return match[1] + body + match[3]

    if not re.search(rb"SERIESM_", data, re.IGNORECASE):
        return Relinked(data, 0, 0)
    out = _F_ELEMENT.sub(formula, data)
    return Relinked(out, counts[0], counts[1])


def relink_book(path: Path, sheet_members: list[str], runtime: Runtime) -> Relinked:
    """The workbook's bytes with every call in ``runtime``'s spelling; ``renamed`` counts the
    calls rewritten (0: the bytes are the file's own)."""
    renamed = already = 0
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        for member in sheet_members:
            done = relink_sheet(archive.read(member), runtime)
            renamed += done.renamed
            already += done.already
            if done.renamed:
                changed[member] = done.data
        if not changed:
            return Relinked(path.read_bytes(), 0, already)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in archive.infolist():
                data = changed.get(info.filename) or archive.read(info)
                target.writestr(info, data, compress_type=info.compress_type)
    return Relinked(out.getvalue(), renamed, already)


def relink_bytes(data: bytes, runtime: Runtime) -> bytes:
    """A workbook's bytes (as the template writes them) relinked for ``runtime``."""
    if runtime is Runtime.CLASSIC:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            part = archive.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                part = relink_sheet(part, runtime).data
            target.writestr(info, part, compress_type=info.compress_type)
    return out.getvalue()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``seriesm relink``'s options."""
    parser.add_argument("book", metavar="BOOK", help="an add-in workbook (.xlsx; never written)")
    parser.add_argument("--to", required=True, choices=[r.value for r in Runtime],
                        help="the runtime that will compute it: classic (the xlwings add-in), "
                        "lite (xlwings Lite) or calc (LibreOffice with the extension)")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="default: BOOK-RUNTIME.xlsx beside BOOK")
    parser.add_argument("--force", action="store_true", help="replace an existing OUT")
