"""The ``seriesm`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from xl_seriesm import __version__


def _cmd_demo(args: argparse.Namespace) -> int:
    from xl_seriesm.demo import run_demo  # noqa: PLC0415 - keep `seriesm --help` fast

    return run_demo(out=args.out, write_workbooks=not args.no_workbooks)


def _cmd_docs(args: argparse.Namespace) -> int:
    from xl_seriesm import docs  # noqa: PLC0415

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seriesm",
        description="nStor Series M Convertible Preferred Stock: Excel functions, template "
                    "workbooks and headless checks.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="run the Excel functions on the sample cap table")
    demo.add_argument("--out", default="workbooks", help="folder for the sample workbooks "
                      "(default: workbooks)")
    demo.add_argument("--no-workbooks", action="store_true", help="only print the tables")
    demo.set_defaults(run=_cmd_demo)

    docs = sub.add_parser("docs", help="write the function reference (udf_docs/) from the spec")
    docs.add_argument("--out", default="udf_docs", help="folder (default: udf_docs)")
    docs.add_argument("--readme", default="README.md",
                      help="README whose function table to update (default: README.md)")
    docs.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when the folder differs from the spec")
    docs.set_defaults(run=_cmd_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
