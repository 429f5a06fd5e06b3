"""``seriesm extension``: the LibreOffice extension, or a copy of a book for Calc."""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.libreoffice import extension  # noqa: PLC0415
    from xl_seriesm.xlsx.files import write_atomically  # noqa: PLC0415

    if args.for_calc:
        return _for_calc(Path(args.for_calc), args.force)
    try:
        data = extension.build()
    except extension.ExtensionError as error:
        print(f"seriesm extension: {error}", file=sys.stderr)
        return 2
    path = write_atomically(Path(args.out) / extension.FILENAME, data, args.force)
    print(f"wrote {path} ({len(extension.calc_names())} functions); install it with: "
          f"unopkg add {path}")
    return 0


def _for_calc(source: Path, force: bool) -> int:
    """A copy of an add-in workbook that LibreOffice opens with the SERIESM_* functions
    working: its .xlsx import does not map an add-in's Excel name (7.4: #NAME?), so the copy
    calls each by the name Calc knows it by. Excel does not know those names: keep the
    original for Excel."""
    from xl_seriesm.engine import book  # noqa: PLC0415
    from xl_seriesm.libreoffice.extension import calc_names  # noqa: PLC0415
    from xl_seriesm.regress.safety import Limits, RefusedError, preflight  # noqa: PLC0415
    from xl_seriesm.xlsx.files import write_atomically  # noqa: PLC0415

    target = source.with_name(f"{source.stem}-for-calc.xlsx")
    try:
        preflight(source, Limits())
        with zipfile.ZipFile(source) as archive:
            members = [part for _, part in book.sheet_parts(archive)]
        data = book.for_libreoffice(source, members, calc_names(), compressed=True)
        write_atomically(target, data, force)
    except (RefusedError, book.BookError, FileExistsError) as error:
        print(f"seriesm extension: {error}", file=sys.stderr)
        return 2
    print(f"wrote {target}: open it in LibreOffice with the extension installed; the "
          "original stays the one for Excel")
    return 0
