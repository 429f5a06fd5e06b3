"""``seriesm explain``: how a function reaches its result, step by step."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.core.errors import SeriesMError  # noqa: PLC0415
    from xl_seriesm.derivation import text  # noqa: PLC0415
    from xl_seriesm.excel.udfs import explain_call  # noqa: PLC0415

    try:
        explanation = explain_call(args.function, [text.parse_argument(a) for a in args.args])
    except SeriesMError as error:
        print(f"seriesm explain: {error.message}", file=sys.stderr)
        return 2
    print(text.table(explanation))
    return 1 if explanation.failed else 0
