"""``seriesm report``: the HTML memo for counsel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.cli import template  # noqa: PLC0415
    from xl_seriesm.derivation import report  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import InputError  # noqa: PLC0415
    from xl_seriesm.xlsx.files import write_atomically  # noqa: PLC0415

    try:
        memo = report.memo(template.cap_table(args))
    except InputError as error:
        print(f"seriesm report: {error}; nothing was written", file=sys.stderr)
        return 2
    print(f"wrote {write_atomically(Path(args.out), memo, args.force)}")
    return 0
