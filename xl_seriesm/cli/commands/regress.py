"""``seriesm regress``: recompute signed-off workbooks and compare with their cached values."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xl_seriesm.cli.options import limits, sandbox_refused


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.regress.runner import Tolerance, run  # noqa: PLC0415

    if sandbox_refused("regress", args):
        return 2
    if args.junit:
        junit = Path(args.junit)
        if junit.is_dir() or not junit.parent.is_dir():
            print(f"seriesm regress: --junit {junit}: give a file in an existing folder",
                  file=sys.stderr)
            return 2
    return run(args.paths, Tolerance(args.atol, args.rtol), limits(args),  # type: ignore[arg-type]
               args.junit, args.progress, args.jobs, args.shard, args.max_mismatches)
