"""The command line helps: every subcommand and option described with its default, help that
never breaks a word, "did you mean" for typos, a version that names the certificate.

The checks walk the parser, so a subcommand or option added later is held to them too.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from xl_seriesm.cli import build_parser
from xl_seriesm.cli.parser import Formatter, Parser, with_default

_NOT_OPTIONS = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)


def _subcommands() -> list[tuple[str, argparse.ArgumentParser]]:
    parser = build_parser()
    assert isinstance(parser, Parser)
    return list(parser.subcommands())


def _arguments() -> list[tuple[str, argparse.Action]]:
    found = [("seriesm", a) for a in build_parser()._actions]
    for name, sub in _subcommands():
        found += [(name, a) for a in sub._actions]
    return [(name, a) for name, a in found if not isinstance(a, _NOT_OPTIONS)]


def test_every_subcommand_has_a_description_and_a_line_in_the_listing() -> None:
    parser = build_parser()
    listing = {c.dest: c.help for a in parser._actions if isinstance(a, argparse._SubParsersAction)
               for c in a._choices_actions}
    assert len(_subcommands()) >= 8
    for name, sub in _subcommands():
        assert listing.get(name), f"seriesm {name} has no help line in `seriesm --help`"
        assert sub.description, f"seriesm {name} --help has no description"


@pytest.mark.parametrize(("command", "action"), _arguments(),
                         ids=lambda x: x if isinstance(x, str) else "/".join(
                             x.option_strings) or x.dest)
def test_every_option_is_described_with_its_default(command: str,
                                                    action: argparse.Action) -> None:
    text = with_default(action)
    assert text.strip(), f"seriesm {command} {action.dest}: no help"
    if action.option_strings and not action.required:
        assert "default" in text.lower(), (
            f"seriesm {command} {'/'.join(action.option_strings)}: the help does not say "
            f"its default: {text!r}")


@pytest.mark.parametrize("width", [50, 80, 120])
def test_help_never_breaks_a_word(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    parsers = [build_parser(), *(sub for _, sub in _subcommands())]
    for parser in parsers:
        assert parser.formatter_class is Formatter
        shown = set(parser.format_help().split())
        for action in parser._actions:
            for word in with_default(action).split():
                assert word in shown, f"{parser.prog}: {word!r} was cut in the help"


def _seriesm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)


def test_a_mistyped_command_or_option_gets_did_you_mean() -> None:
    command = _seriesm("templte")
    assert command.returncode == 2
    assert "invalid choice: 'templte'" in command.stderr
    assert "did you mean template?" in command.stderr
    option = _seriesm("template", "--flavr", "native")
    assert option.returncode == 2
    assert "unrecognized arguments: --flavr native; did you mean --flavor?" in option.stderr
    assert "usage: seriesm template" in option.stderr
    choice = _seriesm("template", "--flavor", "nativ")
    assert "did you mean native?" in choice.stderr


def test_version_names_the_package_and_the_certificate() -> None:
    done = _seriesm("--version")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert text.startswith("xl-seriesm 0.1.0")
    assert "Series M Convertible Preferred Stock, signed 10 January 2005" in text


def test_long_work_reports_progress_and_is_quiet_when_piped(tmp_path: Path) -> None:
    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.cli.template import PROGRESS_FROM_HOLDERS, make  # noqa: PLC0415
    from xl_seriesm.workbook.writer import Flavor  # noqa: PLC0415

    steps: list[str] = []
    make(SAMPLE, tmp_path / "steps", list(Flavor), False, steps.append)
    assert steps == ["computing 6 holders with the core", f"writing {Flavor.UDF.filename}",
                     f"writing {Flavor.NATIVE.filename}"]
    piped = _seriesm("template", "--holders", str(PROGRESS_FROM_HOLDERS), "--flavor",
                     "native", "--out", str(tmp_path / "big"))
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""  # stderr is a pipe here: no progress drawn into it
