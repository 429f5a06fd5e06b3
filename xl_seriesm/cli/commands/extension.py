"""``seriesm extension``: the LibreOffice extension (and its installation for the current
user), or a copy of a book for Calc."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xl_seriesm import __version__


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
    path = Path(args.out) / extension.FILENAME
    if not (args.install and path.is_file() and path.read_bytes() == data):
        try:
            write_atomically(path, data, args.force)
        except FileExistsError as error:
            print(f"seriesm extension: {error}", file=sys.stderr)
            return 2
        print(f"wrote {path} ({len(extension.calc_names())} functions)")
    if not args.install:
        print(f"install it for yourself with: seriesm extension --install (or: unopkg add "
              f"{path}, which refuses root)")
        return 0
    from xl_seriesm.libreoffice.user_install import InstallError, install  # noqa: PLC0415

    try:
        profile = install(path)
    except InstallError as error:
        print(f"seriesm extension: {error}", file=sys.stderr)
        return 2
    import getpass  # noqa: PLC0415

    print(f"installed {path} ({extension.IDENTIFIER} {__version__}) for the user "
          f"{getpass.getuser()}, in the LibreOffice profile {profile}, as unopkg add does for "
          "a user; restart LibreOffice, then =SERIESM_ACCRUED(9100,DATE(2005,1,10),"
          "DATE(2005,4,10)) in Calc gives 113750")
    return 0


def _for_calc(source: Path, force: bool) -> int:
    """A copy of an add-in workbook that LibreOffice opens with the SERIESM_* functions
    working: ``seriesm relink BOOK --to calc``, named BOOK-for-calc.xlsx (and nothing
    written, said so, when nothing needs renaming)."""
    from xl_seriesm.cli.commands.relink import relink_file  # noqa: PLC0415
    from xl_seriesm.excel.runtimes import Runtime  # noqa: PLC0415

    return relink_file(source, Runtime.CALC, source.with_name(f"{source.stem}-for-calc.xlsx"),
                       force, "seriesm extension")
