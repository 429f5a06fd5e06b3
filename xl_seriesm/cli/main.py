"""The ``seriesm`` command."""


from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from xl_seriesm import __version__
from xl_seriesm.cli import commands
from xl_seriesm.cli.options import (
    ENGINE_HELP,
    cap_table_arguments,
    count,
    non_negative,
    shard,
    template_arguments,
    untrusted_arguments,
)
from xl_seriesm.cli.parser import Parser

#: What ``seriesm --version`` prints: the package and the certificate it implements.
VERSION = (f"xl-seriesm {__version__}, implementing the Certificate of Designation of nStor "
           "Technologies, Inc.'s Series M Convertible Preferred Stock, signed 10 January 2005")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="seriesm",
        description="nStor Series M Convertible Preferred Stock: Excel functions, template "
                    "workbooks and headless checks.")
    parser.add_argument("--version", action="version", version=VERSION,
                        help="show the package version and the certificate it implements")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="run the Excel functions on the sample cap table")
    demo.add_argument("--out", default="workbooks", help="folder for the sample workbooks "
                      "(default: workbooks)")
    demo.add_argument("--no-workbooks", action="store_true", help="only print the tables")
    demo.set_defaults(run=commands.demo.run)

    docs = sub.add_parser("docs", help="write the function reference (udf_docs/) from the spec")
    docs.add_argument("--out", default="udf_docs", help="folder (default: udf_docs)")
    docs.add_argument("--readme", default="README.md",
                      help="README whose function table to update (default: README.md)")
    docs.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when the folder differs from the spec")
    docs.set_defaults(run=commands.docs.run)

    template = sub.add_parser("template", help="write the cap-table workbooks (add-in and "
                              "Excel-only flavors)")
    template_arguments(template)
    template.set_defaults(run=commands.template.run)

    regress = sub.add_parser("regress", help="recompute signed-off workbooks headlessly and "
                             "compare with their cached values", description=ENGINE_HELP)
    regress.add_argument("paths", nargs="+", metavar="PATH", help="workbooks or folders")
    regress.add_argument("--atol", type=non_negative, default=0.005,
                         help="absolute tolerance (default 0.005, half a cent)")
    regress.add_argument("--rtol", type=non_negative, default=1e-12,
                         help="relative tolerance (default 1e-12, float noise)")
    regress.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report "
                         "(default: none)")
    regress.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="progress bar (default: with 5 or more files on a terminal)")
    regress.add_argument("--jobs", type=count, default=None, metavar="N",
                         help="check N files at once, one LibreOffice each (default: the "
                              "number of cores)")
    regress.add_argument("--shard", type=shard, default=None, metavar="K/N",
                         help="check only the K-th of N slices of the file list, in its "
                              "order (default: all files)")
    regress.add_argument("--max-mismatches", type=count, default=50, metavar="N",
                         help="mismatches printed per file; the JUnit report has all "
                              "(default 50)")
    untrusted_arguments(regress)
    regress.set_defaults(run=commands.regress.run)

    calc = sub.add_parser("calc", help="compute a workbook's formulas and store the values "
                          "as its cached values", description=ENGINE_HELP)
    calc.add_argument("input", metavar="IN", help="the workbook (never written)")
    calc.add_argument("-o", "--output", metavar="OUT", help="default: IN-calc.xlsx beside IN")
    calc.add_argument("--force", action="store_true", help="replace an existing OUT")
    untrusted_arguments(calc)
    calc.set_defaults(run=commands.calc.run)

    gold = sub.add_parser("golden", help="write the project's golden workbooks (hand-worked "
                          "cases and the sample template, values cached)")
    gold.add_argument("--out", default="workbooks/golden",
                      help="folder (default: workbooks/golden)")
    gold.set_defaults(run=commands.golden.run)

    ext = sub.add_parser("extension", help="build the LibreOffice extension (.oxt) that "
                         "makes the SERIESM_* functions a Calc add-in, from the spec")
    ext.add_argument("--out", default="dist", help="folder (default: dist)")
    ext.add_argument("--force", action="store_true",
                     help="replace an existing output file (default: refuse)")
    ext.add_argument("--install", action="store_true",
                     help="also install it for the current user (root included) into their "
                     "LibreOffice profile, ~/.config/libreoffice/4, and say where "
                     "(default: only write it)")
    ext.add_argument("--for-calc", metavar="BOOK", default=None,
                     help="instead, write BOOK-for-calc.xlsx beside BOOK: a copy whose "
                          "SERIESM_* calls use the names LibreOffice knows the add-in by, so "
                          "Calc computes them (its .xlsx import shows #NAME? otherwise); "
                          "Excel needs the original (default: not used)")
    ext.set_defaults(run=commands.extension.run)

    relink = sub.add_parser("relink", help="write an add-in workbook's copy for another "
                            "runtime: classic add-in, xlwings Lite or LibreOffice")
    from xl_seriesm.excel.runtimes import add_arguments as relink_arguments  # noqa: PLC0415

    relink_arguments(relink)
    relink.set_defaults(run=commands.relink.run)

    shots = sub.add_parser("screenshots", help="print the sample template with LibreOffice "
                           "and write a PNG of each sheet for the README")
    shots.add_argument("--out", default="docs/screenshots", help="folder for the pictures")
    shots.set_defaults(run=commands.screenshots.run)

    addin = sub.add_parser("addin", help="set up the classic xlwings add-in (Windows Excel)")
    addin.add_argument("--out", help="also write an xlwings.conf file into this folder "
                       "(default: print the steps only)")
    addin.add_argument("--interpreter", help="Windows path of the Python interpreter for "
                       "Excel to use, written into xlwings.conf as INTERPRETER_WIN (default: "
                       "no line written, so the add-in uses its own setting)")
    addin.add_argument("--force", action="store_true", help="replace an existing xlwings.conf")
    addin.set_defaults(run=commands.addin.run)

    explain = sub.add_parser("explain", help="print how a SERIESM function reaches its result, "
                             "step by step, with the certificate's sections")
    explain.add_argument("function", help="the function, with or without SERIESM_ (ACCRUED)")
    # Everything after the function is its arguments, as typed: -0.5% or -1e1 is a value,
    # not an option.
    explain.add_argument("args", nargs=argparse.REMAINDER, metavar="ARG",
                         help="its arguments as in a cell: numbers or percentages (negative "
                         "ones too), TRUE/FALSE, dates as YYYY-MM-DD, a column as values "
                         "separated by ';', an empty argument as ''")
    explain.set_defaults(run=commands.explain.run)

    memo = sub.add_parser("report", help="write a one-file HTML memo for counsel: the cap "
                          "table at a date and the key figures, each with its derivation")
    memo.add_argument("--out", default="seriesm-memo.html", help="the HTML file to write "
                      "(default: seriesm-memo.html)")
    cap_table_arguments(memo)
    memo.add_argument("--force", action="store_true", help="replace an existing file")
    memo.set_defaults(run=commands.report.run)

    lite = sub.add_parser("lite", help="write main.py and requirements.txt for xlwings Lite "
                          "(Excel on Windows, Mac and the web)")
    lite.add_argument("--out", required=True, help="folder to write the two files into")
    lite.add_argument("--wheel", help="https URL of an xl-seriesm wheel you host, for "
                      "requirements.txt (default: the functions embedded in main.py)")
    lite.add_argument("--force", action="store_true", help="replace existing files")
    lite.set_defaults(run=commands.lite.run)
    commands.captable.add_parser(sub)
    return parser


def _stop_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so `finally` blocks remove temporary files


def main(argv: Sequence[str] | None = None) -> int:
    import signal  # noqa: PLC0415

    if threading_main():
        signal.signal(signal.SIGTERM, _stop_on_term)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except FileExistsError as error:
        print(f"seriesm {args.command}: {error}", file=sys.stderr)
        return 2
    except (OSError, UnicodeError) as error:  # a folder that cannot be written, a bad file
        filename = getattr(error, "filename", None)
        reason = getattr(error, "strerror", None) or str(error)
        where = f"{filename}: " if filename and str(filename) not in reason else ""
        print(f"seriesm {args.command}: {where}{reason}; nothing was written", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def threading_main() -> bool:
    import threading  # noqa: PLC0415

    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    raise SystemExit(main())
