"""``seriesm docs``: the function reference (``udf_docs/``) and README table from the spec."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.excel import docs  # noqa: PLC0415

    folder = Path(args.out)
    readme = Path(args.readme)
    wanted = docs.pages()
    readme_text = readme.read_text(encoding="utf-8") if readme.exists() else None
    if args.check:
        stale = [str(folder / name) for name, text in wanted.items()
                 if not (folder / name).exists()
                 or (folder / name).read_text(encoding="utf-8") != text]
        stale += [str(p) for p in folder.glob("*.md") if p.name not in wanted]
        if readme_text is not None and docs.with_readme_table(readme_text) != readme_text:
            stale.append(str(readme))
        for path in stale:
            print(f"{path}: differs from the spec; run `seriesm docs`", file=sys.stderr)
        return 1 if stale else 0
    written = docs.write(folder)
    if readme_text is not None and docs.with_readme_table(readme_text) != readme_text:
        readme.write_text(docs.with_readme_table(readme_text), encoding="utf-8")
        written.append(readme)
    print(f"{folder}: {len(written)} file(s) updated, {len(wanted)} pages in all")
    return 0
