"""``seriesm calc``: compute a workbook and store its values as its cached values."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xl_seriesm.cli.options import limits, sandbox_refused


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.engine import EngineError  # noqa: PLC0415
    from xl_seriesm.regress.calc import calc  # noqa: PLC0415
    from xl_seriesm.regress.safety import RefusedError  # noqa: PLC0415

    if sandbox_refused("calc", args):
        return 2
    try:
        written = calc(Path(args.input), Path(args.output) if args.output else None,
                       args.force, limits(args))  # type: ignore[arg-type]
    except (RefusedError, EngineError) as error:
        print(f"seriesm calc: {error}", file=sys.stderr)
        return 2
    print(f"wrote {written}")
    return 0
