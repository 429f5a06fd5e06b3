"""The function reference in ``udf_docs/``, generated from the spec.

``seriesm docs`` writes it; a test fails when the committed pages differ from what this
module produces, so the reference can never drift from the functions.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from xl_seriesm.excel.spec import CATEGORY, FUNCTIONS, Example, Function, Kind

INDEX = "README.md"
README_START = "<!-- functions:start -->"
README_END = "<!-- functions:end -->"


def _show(value: object) -> str:
    """A result as a reader expects to see it in a cell."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.12g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f"`{value}`" if value.startswith("#") else value
    return str(value)


def _literal(value: object) -> str:
    """An argument as it would be typed in a formula."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return f'"{value.isoformat(sep=" ", timespec="minutes")}"'
    if isinstance(value, date):
        return f"DATE({value.year},{value.month},{value.day})"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def example_formula(function: Function, example: Example) -> str:
    if example.formula:
        return example.formula
    return f"={function.name}({', '.join(_literal(a) for a in example.args)})"


def _result_block(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], list):
        width = max(len(row) for row in value)
        lines = ["| " + " | ".join(" " for _ in range(width)) + " |",
                 "|" + "---|" * width]
        lines += ["| " + " | ".join(_show(c) for c in row) + " |" for row in value]
        return "\n".join(lines)
    return _show(value)


def _default(function: Function, name: str) -> str:
    arg = function.arg(name)
    if arg.may_be_empty:
        return "may be left empty"
    if not arg.optional:
        return "required"
    if arg.default is None:
        return "optional, none"
    return f"optional, {_literal(arg.default)}"


_CONVENTIONS = ("As in Excel, leaving an optional argument out takes its default, and a "
                "TRUE/FALSE argument reads 0 as FALSE and 1 as TRUE. xlwings Lite on the desktop "
                "passes an empty cell as 0: to take a default there, leave the argument out "
                "rather than pointing it at an empty cell (only where 0 means nothing, such as "
                "`holding`, does a 0 count as not given).")


def page(function: Function) -> str:
    """The Markdown reference page of one function."""
    out = [
        f"# {function.name}",
        "",
        function.description,
        "",
        f"Certificate: {function.section}. Category in Excel's function wizard: {CATEGORY}.",
        "",
        "## Syntax",
        "",
        f"`={function.syntax()}`",
        "",
        "## Arguments",
        "",
        "| argument | takes | default | a range? | description |",
        "|---|---|---|---|---|",
    ]
    for arg in function.args:
        takes = arg.kind.value
        if arg.choices:
            takes += ": " + ", ".join(f'"{c}"' for c in arg.choices)
        ranged = ("a list of dates" if arg.kind is Kind.DATES
                  else "a table, its header row first" if arg.kind is Kind.TABLE
                  else "a range, one split a row" if arg.kind is Kind.SPLITS
                  else "yes, passed on as it is" if arg.kind is Kind.ANY
                  else "yes, one answer per cell" if arg.array else "no")
        out.append(f"| `{arg.name}` | {takes} | {_default(function, arg.name)} | {ranged} | "
                   f"{arg.description} |")
    out += ["", _CONVENTIONS]
    out += ["", "## Result", "", function.returns, "", f"Rounding: {function.rounding}", "",
            "## Formula", "", function.formula, "",
            "## Reading of the certificate", "", function.reading, ""]
    if function.settings:
        out += ["Settings:", ""] + [f"- {s}" for s in function.settings] + [""]
    out += ["## Errors", "",
            "A bad argument gives a text starting with an Excel error code (classic add-in), "
            "or that error with the message on hover (xlwings Lite):", ""]
    out += [f"- {e}" for e in function.errors] + [""]
    if function.array:
        out += ["## Ranges", "", function.array, ""]
    out += ["## Worked examples", ""]
    for example in function.examples:
        out += [f"`{example_formula(function, example)}`", "", _result_block(example.result), "",
                example.derivation, ""]
    return "\n".join(out).rstrip() + "\n"


def index() -> str:
    out = ["# Function reference", "",
           "Generated by `seriesm docs` from `xl_seriesm/excel/spec/`; do not edit by hand.",
           "", "| function | section | what it returns |", "|---|---|---|"]
    for function in FUNCTIONS:
        out.append(f"| [{function.name}]({function.name}.md) | {function.section} | "
                   f"{function.description} |")
    return "\n".join(out) + "\n"


def readme_table() -> str:
    """The function table of the project README (between its markers)."""
    rows = ["| function | § | returns |", "|---|---|---|"]
    rows += [f"| [`{f.syntax()}`](udf_docs/{f.name}.md) | {f.section} | {f.description} |"
             for f in FUNCTIONS]
    return "\n".join(rows)


def with_readme_table(readme: str) -> str:
    """``readme`` with its function table replaced by the current one."""
    start = readme.index(README_START) + len(README_START)
    end = readme.index(README_END)
    return readme[:start] + "\n" + readme_table() + "\n" + readme[end:]


def pages() -> dict[str, str]:
    """Every file of the reference, by file name."""
    found = {f"{function.name}.md": page(function) for function in FUNCTIONS}
    found[INDEX] = index()
    return found


def write(folder: Path) -> list[Path]:
    """Write the reference into ``folder``, removing pages of functions that no longer exist."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for stale in folder.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    written = []
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
