"""The options several subcommands share: the number types their values must be, the limits
on untrusted workbooks (``regress``, ``calc``), the description of the engine, the options
that describe a cap table (``template``, ``report``).
"""

from __future__ import annotations

import argparse
import math


def limits(args: argparse.Namespace) -> object:
    from xl_seriesm.regress.safety import Limits  # noqa: PLC0415

    return Limits(unpacked_bytes=int(args.max_unpacked_mb * 1024 * 1024),
                  compression_ratio=args.max_ratio, members=args.max_members,
                  seconds=args.timeout, memory_bytes=int(args.max_memory_mb * 1024 * 1024),
                  sandbox=not args.no_sandbox)


def sandbox_refused(command: str, args: argparse.Namespace) -> bool:
    """True (and said on stderr) when the sandbox cannot run and --no-sandbox was not given."""
    import sys  # noqa: PLC0415

    from xl_seriesm.engine import sandbox  # noqa: PLC0415

    refused = None if args.no_sandbox else sandbox.works()
    if refused is not None:
        print(f"seriesm {command}: {refused}", file=sys.stderr)
    return refused is not None


def finite(text: str, allow_zero: bool) -> float:
    """A finite number above 0 (or 0 or more), an option's value."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        wanted = "0 or more" if allow_zero else "above 0"
        raise argparse.ArgumentTypeError(f"{text!r}: give a finite number {wanted}")
    return value


def positive(text: str) -> float:
    return finite(text, allow_zero=False)


def non_negative(text: str) -> float:
    return finite(text, allow_zero=True)


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number above 0")
    return value


def shard(text: str) -> tuple[int, int]:
    """K/N: the K-th of N slices."""
    k, slash, n = text.partition("/")
    try:
        part = (int(k), int(n))
    except ValueError:
        part = (0, 0)
    if not slash or not 1 <= part[0] <= part[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: give K/N with 1 <= K <= N, as 2/4")
    return part


def untrusted_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=positive, default=120.0, metavar="SECONDS",
                        help="time limit per workbook (default 120)")
    parser.add_argument("--max-unpacked-mb", type=positive, default=200.0, metavar="MB",
                        help="refuse a workbook that unpacks to more (default 200)")
    parser.add_argument("--max-ratio", type=count, default=200,
                        help="refuse a zip member compressed more than this (default 200)")
    parser.add_argument("--max-members", type=count, default=10_000,
                        help="refuse a workbook with more zip members (default 10000)")
    parser.add_argument("--max-memory-mb", type=positive, default=4096.0, metavar="MB",
                        help="stop LibreOffice past this much memory on one workbook "
                             "(default 4096)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="compute without the bubblewrap sandbox (for workbooks you trust; "
                             "without it a formula the checks miss could read your files)")


ENGINE_HELP = ("Computed by LibreOffice headless, kept warm over UNO (one soffice per job, "
                "private profile, macros never run, links never updated), with the SERIESM_* "
                "functions as a Calc add-in over this package's core (`seriesm extension`). "
                "LibreOffice runs in a bubblewrap sandbox that sees only the system's programs "
                "and its own folder (bwrap; --no-sandbox turns it off). "
                "Needs soffice, python3-uno and the LibreOffice SDK (unoidl-write). Formulas "
                "longer than 8,192 characters (Excel's limit) are refused unread; a cell that "
                "would read another file, a DDE link or a web query is reported, never "
                "followed.")


def template_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="workbooks", help="folder (default: workbooks)")
    cap_table_arguments(parser)
    parser.add_argument("--flavor", choices=("udf", "native", "both"), default="both",
                        help="udf calls the SERIESM_* functions; native uses Excel's own; both "
                        "writes the two")
    parser.add_argument("--force", action="store_true", help="replace existing workbooks")
    parser.add_argument("--exit", metavar="DOLLARS",
                        help="the exit value the Payouts and Capital stack sheets start with, "
                        "an input cell to change later (default: each sheet's 1.5 × the "
                        "Series M's conversion breakpoint, rounded; the other classes move "
                        "it on the Capital stack sheet)")
    parser.add_argument("--runtime", choices=("classic", "lite", "calc"), default="classic",
                        help="what computes the add-in flavor: classic (the xlwings add-in: "
                        "seriesm-captable.xlsx), lite (xlwings Lite) or calc (LibreOffice "
                        "with the extension), written as seriesm-captable-RUNTIME.xlsx; "
                        "seriesm relink converts a book later (default: classic)")


def cap_table_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that describe a cap table (``seriesm template`` and ``seriesm report``)."""
    parser.add_argument("--stack", metavar="FILE",
                        help="the other classes of the capital stack as a CSV (README: 'The "
                             "capital stack'): adds a Capital stack sheet (default: none)")
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
    from xl_seriesm.workbook.inputs import add_number_format_argument  # noqa: PLC0415

    add_number_format_argument(parser)
    from xl_seriesm.captable.command import add_ledger_reading_arguments  # noqa: PLC0415

    add_ledger_reading_arguments(parser, "the CSV dates", "with --events: ")
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
