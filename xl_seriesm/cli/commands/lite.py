"""``seriesm lite``: main.py and requirements.txt for xlwings Lite."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.excel import install  # noqa: PLC0415
    from xl_seriesm.xlsx.files import write_all  # noqa: PLC0415

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
