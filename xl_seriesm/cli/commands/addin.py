"""``seriesm addin``: the classic xlwings add-in's set-up."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.excel import install  # noqa: PLC0415
    from xl_seriesm.xlsx.files import write_atomically  # noqa: PLC0415

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
