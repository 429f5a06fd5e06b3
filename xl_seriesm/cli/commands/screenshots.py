"""``seriesm screenshots``: a PNG of each sheet of the sample template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.cli import screenshots  # noqa: PLC0415
    from xl_seriesm.libreoffice import LibreOfficeError  # noqa: PLC0415

    try:
        written = screenshots.write(Path(args.out))
    except (LibreOfficeError, ImportError) as error:
        print(f"seriesm screenshots: {error} (pip install 'xl-seriesm[docs]' for the PNG "
              "renderer)", file=sys.stderr)
        return 2
    print(f"{args.out}: {len(written)} file(s) written")
    return 0
