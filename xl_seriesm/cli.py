"""The ``seriesm`` command."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from xl_seriesm import __version__
from xl_seriesm.cliparser import Parser

#: What ``seriesm --version`` prints: the package and the certificate it implements.
VERSION = (f"xl-seriesm {__version__}, implementing the Certificate of Designation of nStor "
           "Technologies, Inc.'s Series M Convertible Preferred Stock, signed 10 January 2005")


def _cmd_demo(args: argparse.Namespace) -> int:
    from xl_seriesm.demo import run_demo  # noqa: PLC0415 - keep `seriesm --help` fast

    return run_demo(out=args.out, write_workbooks=not args.no_workbooks)


def _cmd_docs(args: argparse.Namespace) -> int:
    from xl_seriesm import docs  # noqa: PLC0415

    folder = Path(args.out)
    readme = Path(args.readme)
    wanted = docs.pages()
    readme_text = readme.read_text(encoding="utf-8") if readme.exists() else None
    if args.check:
        stale = [str(folder / name) for name, text in wanted.items()
                 if not (folder / name).exists()
                 or (folder / name).read_text(encoding="utf-8") != text]
        stale += [str(p) for p in folder.glob("*.md") if p.name not in wanted]
        if readme_text is not None and docs.with_readme_table(readme_text) != readme_text:
            stale.append(str(readme))
        for path in stale:
            print(f"{path}: differs from the spec; run `seriesm docs`", file=sys.stderr)
        return 1 if stale else 0
    written = docs.write(folder)
    if readme_text is not None and docs.with_readme_table(readme_text) != readme_text:
        readme.write_text(docs.with_readme_table(readme_text), encoding="utf-8")
        written.append(readme)
    print(f"{folder}: {len(written)} file(s) updated, {len(wanted)} pages in all")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from xl_seriesm.excel.runtimes import Runtime  # noqa: PLC0415
    from xl_seriesm.workbook import template  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import InputError  # noqa: PLC0415

    try:
        cap = template.cap_table(args)
        if len(cap.holders) >= template.PROGRESS_FROM_HOLDERS and sys.stderr.isatty():
            from rich.console import Console  # noqa: PLC0415

            with Console(stderr=True).status("seriesm template") as status:
                written = template.make(cap, Path(args.out), template.flavors(args.flavor),
                                        args.force, lambda step: status.update(step),
                                        Runtime(args.runtime))
        else:  # quiet when piped or small
            written = template.make(cap, Path(args.out), template.flavors(args.flavor),
                                    args.force, runtime=Runtime(args.runtime))
    except InputError as error:
        print(f"seriesm template: {error}; nothing was written", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    # Written, and shown red: say so here too, in the workbook's words (its status first).
    failing = template.failing_checks(cap)
    for line in failing:
        print(f"seriesm template: {line}", file=sys.stderr)
    return 1 if failing else 0


def _limits(args: argparse.Namespace) -> object:
    from xl_seriesm.regress.safety import Limits  # noqa: PLC0415

    return Limits(unpacked_bytes=int(args.max_unpacked_mb * 1024 * 1024),
                  compression_ratio=args.max_ratio, members=args.max_members,
                  seconds=args.timeout, memory_bytes=int(args.max_memory_mb * 1024 * 1024))


def _finite(text: str, allow_zero: bool) -> float:
    """A finite number above 0 (or 0 or more), an option's value."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        wanted = "0 or more" if allow_zero else "above 0"
        raise argparse.ArgumentTypeError(f"{text!r}: give a finite number {wanted}")
    return value


def _positive(text: str) -> float:
    return _finite(text, allow_zero=False)


def _non_negative(text: str) -> float:
    return _finite(text, allow_zero=True)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number above 0")
    return value


def _cmd_regress(args: argparse.Namespace) -> int:
    from xl_seriesm.regress.runner import Tolerance, run  # noqa: PLC0415

    if args.junit:
        junit = Path(args.junit)
        if junit.is_dir() or not junit.parent.is_dir():
            print(f"seriesm regress: --junit {junit}: give a file in an existing folder",
                  file=sys.stderr)
            return 2
    return run(args.paths, Tolerance(args.atol, args.rtol), _limits(args),  # type: ignore[arg-type]
               args.junit, args.progress, args.jobs, args.shard, args.max_mismatches)


def _shard(text: str) -> tuple[int, int]:
    """K/N: the K-th of N slices."""
    k, slash, n = text.partition("/")
    try:
        part = (int(k), int(n))
    except ValueError:
        part = (0, 0)
    if not slash or not 1 <= part[0] <= part[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: give K/N with 1 <= K <= N, as 2/4")
    return part


def _cmd_calc(args: argparse.Namespace) -> int:
    from xl_seriesm.engine import EngineError  # noqa: PLC0415
    from xl_seriesm.regress.calc import calc  # noqa: PLC0415
    from xl_seriesm.regress.safety import RefusedError  # noqa: PLC0415

    try:
        written = calc(Path(args.input), Path(args.output) if args.output else None,
                       args.force, _limits(args))  # type: ignore[arg-type]
    except (RefusedError, EngineError) as error:
        print(f"seriesm calc: {error}", file=sys.stderr)
        return 2
    print(f"wrote {written}")
    return 0


def _untrusted_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=_positive, default=120.0, metavar="SECONDS",
                        help="time limit per workbook (default 120)")
    parser.add_argument("--max-unpacked-mb", type=_positive, default=200.0, metavar="MB",
                        help="refuse a workbook that unpacks to more (default 200)")
    parser.add_argument("--max-ratio", type=_count, default=200,
                        help="refuse a zip member compressed more than this (default 200)")
    parser.add_argument("--max-members", type=_count, default=10_000,
                        help="refuse a workbook with more zip members (default 10000)")
    parser.add_argument("--max-memory-mb", type=_positive, default=4096.0, metavar="MB",
                        help="stop LibreOffice past this much memory on one workbook "
                             "(default 4096)")


_ENGINE_HELP = ("Computed by LibreOffice headless, kept warm over UNO (one soffice per job, "
                "private profile, macros never run, links never updated), with the SERIESM_* "
                "functions as a Calc add-in over this package's core (`seriesm extension`). "
                "Needs soffice, python3-uno and the LibreOffice SDK (unoidl-write). Formulas "
                "longer than 8,192 characters (Excel's limit) are refused unread; a cell that "
                "would read another file, a DDE link or a web query is reported, never "
                "followed.")


def _cmd_extension(args: argparse.Namespace) -> int:
    from xl_seriesm.files import write_atomically  # noqa: PLC0415
    from xl_seriesm.libreoffice import extension  # noqa: PLC0415

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
    working: ``seriesm relink BOOK --to calc``, named BOOK-for-calc.xlsx."""
    from xl_seriesm.excel.runtimes import Runtime, relink_file  # noqa: PLC0415

    return relink_file(source, Runtime.CALC, source.with_name(f"{source.stem}-for-calc.xlsx"),
                       force, "seriesm extension")


def _cmd_relink(args: argparse.Namespace) -> int:
    from xl_seriesm.excel.runtimes import run  # noqa: PLC0415

    return run(args)


def _cmd_golden(args: argparse.Namespace) -> int:
    from xl_seriesm import golden  # noqa: PLC0415

    for path in golden.write(Path(args.out)):
        print(f"wrote {path}")
    return 0


def _cmd_screenshots(args: argparse.Namespace) -> int:
    from xl_seriesm.libreoffice import LibreOfficeError  # noqa: PLC0415
    from xl_seriesm.workbook import screenshots  # noqa: PLC0415

    try:
        written = screenshots.write(Path(args.out))
    except (LibreOfficeError, ImportError) as error:
        print(f"seriesm screenshots: {error} (pip install 'xl-seriesm[docs]' for the PNG "
              "renderer)", file=sys.stderr)
        return 2
    print(f"{args.out}: {len(written)} file(s) written")
    return 0


def _cmd_addin(args: argparse.Namespace) -> int:
    from xl_seriesm import install  # noqa: PLC0415
    from xl_seriesm.files import write_atomically  # noqa: PLC0415

    try:
        conf = install.xlwings_conf(args.interpreter)
    except ValueError as error:
        print(f"seriesm addin: {error}", file=sys.stderr)
        return 2
    print(install.ADDIN_STEPS)
    if args.out:
        path = Path(args.out) / "xlwings.conf"
        write_atomically(path, conf, args.force)
        print(f"wrote {path}")
    return 0


def _cmd_lite(args: argparse.Namespace) -> int:
    from xl_seriesm import install  # noqa: PLC0415
    from xl_seriesm.files import write_all  # noqa: PLC0415

    folder = Path(args.out)
    main_py, requirements = folder / "main.py", folder / "requirements.txt"
    try:
        pinned = install.lite_requirements(args.wheel)
    except ValueError as error:
        print(f"seriesm lite: {error}", file=sys.stderr)
        return 2
    write_all([(main_py, install.lite_main(args.wheel).encode()),
               (requirements, pinned.encode())], args.force)
    print(install.LITE_STEPS)
    if args.wheel:
        print(install.cors_note(args.wheel))
    print(f"wrote {main_py} and {requirements}")
    return 0


# -- seriesm captable (issue 10): the cap table at a date, from a ledger or OCF -------------
def _cmd_captable(args: argparse.Namespace) -> int:
    from xl_seriesm.captable import command  # noqa: PLC0415

    return command.run(args)


def _add_captable(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from xl_seriesm.captable.command import add_arguments  # noqa: PLC0415

    captable = sub.add_parser("captable", help="the cap table at a date, from a ledger of "
                              "events or an Open Cap Table Format package")
    add_arguments(captable)
    captable.set_defaults(run=_cmd_captable)
# -- end seriesm captable -----------------------------------------------------------------


def _cmd_explain(args: argparse.Namespace) -> int:
    from xl_seriesm.core.errors import SeriesMError  # noqa: PLC0415
    from xl_seriesm.derivation import text  # noqa: PLC0415
    from xl_seriesm.excel.explain import explain_call  # noqa: PLC0415

    try:
        explanation = explain_call(args.function, [text.parse_argument(a) for a in args.args])
    except SeriesMError as error:
        print(f"seriesm explain: {error.message}", file=sys.stderr)
        return 2
    print(text.table(explanation))
    return 1 if explanation.failed else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from xl_seriesm.derivation import report  # noqa: PLC0415
    from xl_seriesm.files import write_atomically  # noqa: PLC0415
    from xl_seriesm.workbook import template  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import InputError  # noqa: PLC0415

    try:
        memo = report.memo(template.cap_table(args))
    except InputError as error:
        print(f"seriesm report: {error}; nothing was written", file=sys.stderr)
        return 2
    print(f"wrote {write_atomically(Path(args.out), memo, args.force)}")
    return 0


def _template_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="workbooks", help="folder (default: workbooks)")
    _cap_table_arguments(parser)
    parser.add_argument("--flavor", choices=("udf", "native", "both"), default="both",
                        help="udf calls the SERIESM_* functions; native uses Excel's own; both "
                        "writes the two")
    parser.add_argument("--force", action="store_true", help="replace existing workbooks")
    parser.add_argument("--runtime", choices=("classic", "lite", "calc"), default="classic",
                        help="what computes the add-in flavor: classic (the xlwings add-in: "
                        "seriesm-captable.xlsx), lite (xlwings Lite) or calc (LibreOffice "
                        "with the extension), written as seriesm-captable-RUNTIME.xlsx; "
                        "seriesm relink converts a book later (default: classic)")


def _cap_table_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that describe a cap table (``seriesm template`` and ``seriesm report``)."""
    from xl_seriesm.workbook.inputs import add_number_format_argument  # noqa: PLC0415

    parser.add_argument("--holders-csv", metavar="FILE",
                        help="holders: holder,series_m_shares,common_shares,dividends_paid "
                        "(comma, semicolon or tab separated; default: the sample's holders)")
    parser.add_argument("--issuances-csv", metavar="FILE", help="the §5(e) ledger in date "
                        "order: date,common_outstanding,new_shares,consideration,exempt "
                        "(default: the sample's ledger with the sample, none with "
                        "--holders-csv)")
    parser.add_argument("--events", metavar="FILE", help="a ledger of events (README), taken "
                        "at --as-of, instead of --holders-csv and --issuances-csv (default: "
                        "none)")
    add_number_format_argument(parser)
    parser.add_argument("--date-format", choices=("us", "day-first"), default="us",
                        help="how the CSV dates written with slashes are read: us M/D/YYYY "
                        "(9/30/2005) or day-first D/M/YYYY (30/9/2005); YYYY-MM-DD is "
                        "always read as ISO")
    parser.add_argument("--market-price", metavar="DOLLARS",
                        help="market price of one common share for §5(h) cash in lieu "
                        "(default: the sample's $0.18 for the sample and --holders; "
                        "required with --holders-csv and --events)")
    parser.add_argument("--closing-date", metavar="YYYY-MM-DD",
                        help="Closing Date (default: the sample's, 2005-01-10)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="as-of date (default: the sample's, 2007-06-30)")
    parser.add_argument("--holders", type=int, metavar="N",
                        help="a made-up cap table of N holders (default: the sample's "
                        "holders)")


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
    demo.set_defaults(run=_cmd_demo)

    docs = sub.add_parser("docs", help="write the function reference (udf_docs/) from the spec")
    docs.add_argument("--out", default="udf_docs", help="folder (default: udf_docs)")
    docs.add_argument("--readme", default="README.md",
                      help="README whose function table to update (default: README.md)")
    docs.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when the folder differs from the spec")
    docs.set_defaults(run=_cmd_docs)

    template = sub.add_parser("template", help="write the cap-table workbooks (add-in and "
                              "Excel-only flavors)")
    _template_arguments(template)
    template.set_defaults(run=_cmd_template)

    regress = sub.add_parser("regress", help="recompute signed-off workbooks headlessly and "
                             "compare with their cached values", description=_ENGINE_HELP)
    regress.add_argument("paths", nargs="+", metavar="PATH", help="workbooks or folders")
    regress.add_argument("--atol", type=_non_negative, default=0.005,
                         help="absolute tolerance (default 0.005, half a cent)")
    regress.add_argument("--rtol", type=_non_negative, default=1e-12,
                         help="relative tolerance (default 1e-12, float noise)")
    regress.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report "
                         "(default: none)")
    regress.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="progress bar (default: with 5 or more files on a terminal)")
    regress.add_argument("--jobs", type=_count, default=None, metavar="N",
                         help="check N files at once, one LibreOffice each (default: the "
                              "number of cores)")
    regress.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                         help="check only the K-th of N slices of the file list, in its "
                              "order (default: all files)")
    regress.add_argument("--max-mismatches", type=_count, default=50, metavar="N",
                         help="mismatches printed per file; the JUnit report has all "
                              "(default 50)")
    _untrusted_arguments(regress)
    regress.set_defaults(run=_cmd_regress)

    calc = sub.add_parser("calc", help="compute a workbook's formulas and store the values "
                          "as its cached values", description=_ENGINE_HELP)
    calc.add_argument("input", metavar="IN", help="the workbook (never written)")
    calc.add_argument("-o", "--output", metavar="OUT", help="default: IN-calc.xlsx beside IN")
    calc.add_argument("--force", action="store_true", help="replace an existing OUT")
    _untrusted_arguments(calc)
    calc.set_defaults(run=_cmd_calc)

    gold = sub.add_parser("golden", help="write the project's golden workbooks (hand-worked "
                          "cases and the sample template, values cached)")
    gold.add_argument("--out", default="workbooks/golden",
                      help="folder (default: workbooks/golden)")
    gold.set_defaults(run=_cmd_golden)

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
    ext.set_defaults(run=_cmd_extension)

    relink = sub.add_parser("relink", help="write an add-in workbook's copy for another "
                            "runtime: classic add-in, xlwings Lite or LibreOffice")
    from xl_seriesm.excel.runtimes import add_arguments as relink_arguments  # noqa: PLC0415

    relink_arguments(relink)
    relink.set_defaults(run=_cmd_relink)

    shots = sub.add_parser("screenshots", help="print the sample template with LibreOffice "
                           "and write a PNG of each sheet for the README")
    shots.add_argument("--out", default="docs/screenshots", help="folder for the pictures")
    shots.set_defaults(run=_cmd_screenshots)

    addin = sub.add_parser("addin", help="set up the classic xlwings add-in (Windows Excel)")
    addin.add_argument("--out", help="also write an xlwings.conf file into this folder "
                       "(default: print the steps only)")
    addin.add_argument("--interpreter", help="Windows path of the Python interpreter for "
                       "Excel to use, written into xlwings.conf as INTERPRETER_WIN (default: "
                       "no line written, so the add-in uses its own setting)")
    addin.add_argument("--force", action="store_true", help="replace an existing xlwings.conf")
    addin.set_defaults(run=_cmd_addin)

    explain = sub.add_parser("explain", help="print how a SERIESM function reaches its result, "
                             "step by step, with the certificate's sections")
    explain.add_argument("function", help="the function, with or without SERIESM_ (ACCRUED)")
    explain.add_argument("args", nargs="*", metavar="ARG", help="its arguments as in a cell: "
                         "numbers or percentages, TRUE/FALSE, dates as YYYY-MM-DD, a column as "
                         "values separated by ';', an empty argument as ''")
    explain.set_defaults(run=_cmd_explain)

    memo = sub.add_parser("report", help="write a one-file HTML memo for counsel: the cap "
                          "table at a date and the key figures, each with its derivation")
    memo.add_argument("--out", default="seriesm-memo.html", help="the HTML file to write "
                      "(default: seriesm-memo.html)")
    _cap_table_arguments(memo)
    memo.add_argument("--force", action="store_true", help="replace an existing file")
    memo.set_defaults(run=_cmd_report)

    lite = sub.add_parser("lite", help="write main.py and requirements.txt for xlwings Lite "
                          "(Excel on Windows, Mac and the web)")
    lite.add_argument("--out", required=True, help="folder to write the two files into")
    lite.add_argument("--wheel", help="https URL of an xl-seriesm wheel you host, for "
                      "requirements.txt (default: the functions embedded in main.py)")
    lite.add_argument("--force", action="store_true", help="replace existing files")
    lite.set_defaults(run=_cmd_lite)
    _add_captable(sub)
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
