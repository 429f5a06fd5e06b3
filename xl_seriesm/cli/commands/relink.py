"""``seriesm relink``: an add-in workbook's copy for another runtime (classic add-in,
xlwings Lite, LibreOffice); ``seriesm extension --for-calc`` is its calc case."""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from xl_seriesm.excel.runtimes import Runtime, relink_book, spelling


def relink_file(source: Path, runtime: Runtime, target: Path, force: bool,
                command: str = "seriesm relink") -> int:
    """Write ``target``, ``source`` with every call spelled for ``runtime``; say what was done
    (and when nothing needed renaming, write nothing). The exit status."""
    from xl_seriesm.engine import book  # noqa: PLC0415
    from xl_seriesm.regress.safety import Limits, RefusedError, preflight  # noqa: PLC0415
    from xl_seriesm.xlsx.files import write_atomically  # noqa: PLC0415

    try:
        if target.resolve() == source.resolve():  # the original is never written
            raise RefusedError(f"{target}: is the input; give another output file (-o)")
        preflight(source, Limits())
        with zipfile.ZipFile(source) as archive:
            members = [part for _, part in book.sheet_parts(archive)]
        done = relink_book(source, members, runtime)
        if not done.renamed:
            if done.already:
                print(f"{source}: its {done.already:,} SERIESM_* calls are already spelled "
                      f"for {runtime.value}; nothing needed renaming, nothing written")
            else:
                print(f"{source}: calls no SERIESM_* function; nothing needed renaming, "
                      "nothing written")
            return 0
        write_atomically(target, done.data, force)
    except (RefusedError, book.BookError, FileExistsError) as error:
        print(f"{command}: {error}", file=sys.stderr)
        return 2
    example = spelling("SERIESM_ACCRUED", runtime)
    print(f"wrote {target}: {done.renamed:,} SERIESM_* calls spelled for {runtime.value} "
          f"({example}(...)); {_USE[runtime]}")
    return 0


_USE = {
    Runtime.CLASSIC: "open it in Excel with the classic xlwings add-in (Import Functions)",
    Runtime.LITE: "open it in Excel with xlwings Lite running the main.py of seriesm lite",
    Runtime.CALC: "open it in LibreOffice with the extension installed (seriesm extension "
                  "--install); Excel does not know these names, so keep the original for Excel",
}


def run(args: argparse.Namespace) -> int:
    source, runtime = Path(args.book), Runtime(args.to)
    target = Path(args.output) if args.output else source.with_name(
        f"{source.stem}-{runtime.value}.xlsx")
    return relink_file(source, runtime, target, args.force)
