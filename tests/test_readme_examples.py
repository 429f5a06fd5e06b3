"""The README runs as written (issue 23, item 6): every shell command and Python snippet of
it is run in a scratch folder, so an example that no longer works fails the suite.

Every ```sh and ```python block is an example unless the line above it says
``<!-- not run: REASON -->`` (the two set-up commands, which are this suite itself). The
scratch folder holds what the examples name: ``holders.csv`` and ``issuances.csv`` (the
sample cap table), ``ledger.csv`` and ``docs/example-ledger.csv`` (the README's example
ledger), ``package.zip``/``package/`` and ``paid.csv`` (a small OCF package and its
dividends), ``workbooks/golden``, ``signed-off/`` and ``book.xlsx`` (golden books). The one
placeholder, ``CLASS_ID``, is that package's Series M class. A Python line followed by a
comment that is a value (``# 113750.0``), or by a comment line that is one, must give it."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, require_libreoffice

README = ROOT / "README.md"
PLACEHOLDERS = {"CLASS_ID": "pref-m"}
_BLOCK = re.compile(r"(?:^(<!-- not run: [^>]+ -->)\n)?^```(sh|python)\n(.*?)\n```", re.M | re.S)


def examples() -> list[tuple[int, str, str]]:
    """(line, language, text) of every example block."""
    text = README.read_text(encoding="utf-8")
    return [(text[:m.start(2)].count("\n") + 1, m[2], m[3]) for m in _BLOCK.finditer(text)
            if not m[1]]


def commands(block: str) -> list[str]:
    """A shell block's commands, continuation lines joined."""
    return [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip()]


def _scratch(folder: Path) -> Path:
    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415

    (folder / "holders.csv").write_text(
        "holder,series_m_shares,common_shares,dividends_paid\n" + "".join(
            f"{h.name},{h.series_m_shares},{h.common_shares},{h.dividends_paid}\n"
            for h in SAMPLE.holders), encoding="utf-8")
    (folder / "issuances.csv").write_text(
        "date,common_outstanding,new_shares,consideration,exempt\n" + "".join(
            f"{r.date},{r.common_outstanding},{r.new_shares},{r.consideration},{r.exempt}\n"
            for r in SAMPLE.issuances), encoding="utf-8")
    (folder / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "example-ledger.csv", folder / "docs")
    for name in ("example-classes-ledger.csv", "example-stack.csv"):
        shutil.copy(ROOT / "docs" / name, folder / "docs")
    shutil.copy(ROOT / "docs" / "example-ledger.csv", folder / "ledger.csv")
    shutil.copytree(DATA / "ocf-small", folder / "package")
    with zipfile.ZipFile(folder / "package.zip", "w") as package:
        for path in sorted((DATA / "ocf-small").iterdir()):
            package.write(path, path.name)
    shutil.copy(DATA / "ocf-small" / "dividends.csv", folder / "paid.csv")
    shutil.copytree(ROOT / "workbooks" / "golden", folder / "workbooks" / "golden")
    shutil.copytree(ROOT / "workbooks" / "golden", folder / "signed-off")
    shutil.copy(ROOT / "workbooks" / "golden" / "captable-sample-native.xlsx",
                folder / "book.xlsx")
    (folder / "home").mkdir()
    return folder


def test_the_readme_has_examples_and_marks_what_it_does_not_run() -> None:
    found = examples()
    assert sum(language == "sh" for _, language, _ in found) >= 7
    assert sum(language == "python" for _, language, _ in found) >= 2
    text = README.read_text(encoding="utf-8")
    # The two set-up commands are not run here (they are this suite), and say why.
    assert text.count("<!-- not run: ") == 2


def _checked(snippet: str) -> str:
    """The snippet with each value its comments state asserted."""
    lines = snippet.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        code, _, comment = line.partition("#")
        stated = comment.strip()
        if not code.strip() and i and out and stated:
            continue  # a comment line that states the line above's value: handled there
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not stated and following.startswith("#"):
            stated = following[1:].strip()
        try:
            ast.parse(stated, mode="eval")
            ast.parse(code.strip(), mode="eval")
            value = bool(code.strip()) and bool(stated)
        except SyntaxError:
            value = False
        out.append(f"assert ({code.strip()}) == ({stated}), {code.strip()!r}" if value else line)
    return "from decimal import Decimal\nfrom fractions import Fraction\n" + "\n".join(out)


@pytest.mark.libreoffice
def test_every_example_runs_as_written(tmp_path: Path) -> None:
    require_libreoffice()
    folder = _scratch(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_HOME", "PYTHONPATH")}
    env.update(HOME=str(folder / "home"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    failures = []
    for line, language, block in examples():
        if language == "python":
            done = subprocess.run([sys.executable, "-c", _checked(textwrap.dedent(block))],
                                  capture_output=True, text=True, cwd=folder, env=env,
                                  timeout=600, check=False)
            if done.returncode:
                failures.append(f"README line {line} (python): {done.stderr[-600:]}")
            continue
        for command in commands(block):
            for placeholder, value in PLACEHOLDERS.items():
                command = command.replace(placeholder, value)
            done = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                                  cwd=folder, env=env, timeout=900, check=False)
            if done.returncode:
                failures.append(f"README line {line}: `{command}` exit {done.returncode}: "
                                f"{(done.stderr or done.stdout)[-600:]}")
    assert not failures, "\n".join(failures)


def test_python_comments_that_state_values_are_checked() -> None:
    checked = _checked("x = 2\nx + 1   # 3\nstr(x)\n# '2'\nx  # the number two")
    assert "assert (x + 1) == (3)" in checked
    assert "assert (str(x)) == ('2')" in checked
    assert "x  # the number two" in checked  # prose is not a value


def _apt_packages(text: str) -> list[set[str]]:
    joined = re.sub(r"\\\n", " ", text).replace("\n", " ")
    return [set(m.split()) - {"-y", "-qq", "--no-install-recommends", ">/dev/null"}
            for m in re.findall(r"apt-get install ([^`;&]+?)(?:`|>/dev/null|$)", joined)]


def test_the_readme_installs_what_ci_installs() -> None:
    """The README's set-up line for LibreOffice lists exactly what .ci/run installs for it
    and for the printed pages (node and npm are the Pyodide tests', said apart)."""
    ci = set().union(*_apt_packages((ROOT / ".ci" / "run").read_text(encoding="utf-8")))
    readme = _apt_packages(README.read_text(encoding="utf-8"))
    assert readme
    assert readme[0] == ci - {"nodejs", "npm"}
    assert "fonts-crosextra-carlito" in readme[0]


def test_the_page_count_the_readme_states_is_the_printed_one() -> None:
    from tests.workbook.test_print import PAGES  # noqa: PLC0415

    text = " ".join(README.read_text(encoding="utf-8").split())
    stated = re.search(r"The sample prints in (\d+) pages \(([^)]*)\)", text)
    assert stated, "the README states the page count"
    assert int(stated[1]) == sum(PAGES.values())
    words = {2: "two", 3: "three", 4: "four"}
    for sheet, count in PAGES.items():
        if count > 1:
            assert f"{sheet} {words[count]}" in stated[2], sheet
