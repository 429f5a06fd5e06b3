"""``seriesm template``: the cap-table workbooks, both flavors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.cli import template  # noqa: PLC0415
    from xl_seriesm.excel.runtimes import Runtime  # noqa: PLC0415
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
