"""``seriesm demo``: the Excel functions on the sample cap table, and its workbooks."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.cli.demo import run_demo  # noqa: PLC0415 - keep `seriesm --help` fast

    return run_demo(out=args.out, write_workbooks=not args.no_workbooks)
