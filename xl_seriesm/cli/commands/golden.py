"""``seriesm golden``: the project's golden workbooks."""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.cli import golden  # noqa: PLC0415

    for path in golden.write(Path(args.out)):
        print(f"wrote {path}")
    return 0
