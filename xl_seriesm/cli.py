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


def _cmd_template(args: argparse.Namespace) -> int:
    from xl_seriesm.workbook import template  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import InputError  # noqa: PLC0415

    try:
        cap = template.cap_table(args)
        written = template.make(cap, Path(args.out), template.flavors(args.flavor), args.force)
    except InputError as error:
        print(f"seriesm template: {error}; nothing was written", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_addin(args: argparse.Namespace) -> int:
    from xl_seriesm import install  # noqa: PLC0415

    print(install.ADDIN_STEPS)
    if args.out:
        path = Path(args.out) / "xlwings.conf"
        install.write_atomically(path, install.xlwings_conf(args.interpreter), args.force)
        print(f"wrote {path}")
    return 0


def _cmd_lite(args: argparse.Namespace) -> int:
    from xl_seriesm import install  # noqa: PLC0415

    folder = Path(args.out)
    main_py, requirements = folder / "main.py", folder / "requirements.txt"
    for path in (main_py, requirements):
        if path.exists() and not args.force:
            print(f"seriesm lite: {path} already exists; use --force to replace it",
                  file=sys.stderr)
            return 2
    install.write_atomically(main_py, install.lite_main(), args.force)
    install.write_atomically(requirements, install.lite_requirements(args.wheel), args.force)
    print(install.LITE_STEPS)
    print(f"wrote {main_py} and {requirements}")
    return 0


def _template_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="workbooks", help="folder (default: workbooks)")
    parser.add_argument("--holders-csv", metavar="FILE",
                        help="holders: holder,series_m_shares,common_shares,dividends_paid")
    parser.add_argument("--issuances-csv", metavar="FILE", help="the §5(e) ledger in date "
                        "order: date,common_outstanding,new_shares,consideration,exempt")
    parser.add_argument("--closing-date", metavar="YYYY-MM-DD",
                        help="Closing Date (default: the sample's, 2005-01-10)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="as-of date (default: the sample's, 2007-06-30)")
    parser.add_argument("--holders", type=int, metavar="N",
                        help="a made-up cap table of N holders (when no CSV is given)")
    parser.add_argument("--flavor", choices=("udf", "native", "both"), default="both",
                        help="udf calls the SERIESM_* functions; native uses Excel's own")
    parser.add_argument("--force", action="store_true", help="replace existing workbooks")


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

    template = sub.add_parser("template", help="write the cap-table workbooks (add-in and "
                              "Excel-only flavors)")
    _template_arguments(template)
    template.set_defaults(run=_cmd_template)

    addin = sub.add_parser("addin", help="set up the classic xlwings add-in (Windows Excel)")
    addin.add_argument("--out", help="also write an xlwings.conf file into this folder")
    addin.add_argument("--interpreter", help="Python interpreter for Excel to use, written "
                       "into xlwings.conf")
    addin.add_argument("--force", action="store_true", help="replace an existing xlwings.conf")
    addin.set_defaults(run=_cmd_addin)

    lite = sub.add_parser("lite", help="write main.py and requirements.txt for xlwings Lite "
                          "(Excel on Windows, Mac and the web)")
    lite.add_argument("--out", required=True, help="folder to write the two files into")
    lite.add_argument("--wheel", help="URL of an xl-seriesm wheel for requirements.txt "
                      "(default: the release on PyPI)")
    lite.add_argument("--force", action="store_true", help="replace existing files")
    lite.set_defaults(run=_cmd_lite)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except FileExistsError as error:
        print(f"seriesm {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
