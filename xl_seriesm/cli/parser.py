"""The argument parser every ``seriesm`` subcommand is built on, so each one helps the same way.

- A mistyped command or option gets "did you mean ...?" (difflib's close matches).
- Every subcommand's description defaults to its one-line help, so ``seriesm X --help``
  always says what X does.
- Every option's help ends with its default: stated in words by the author (any help that
  already says "default"), or appended from the option's default value. ``tests/test_cli.py``
  checks every subcommand and option, including ones added later.
- Help is wrapped at spaces only: a long word such as a CSV header is never cut in two.
"""

from __future__ import annotations

import argparse
import difflib
import re
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn


class Formatter(argparse.HelpFormatter):
    """Wraps at spaces only and states each option's default."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(EXAMPLES_HEADING):  # the examples keep their lines
            return "\n".join(indent + line for line in text.splitlines())
        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent,
                             break_long_words=False, break_on_hyphens=False)

    def _get_help_string(self, action: argparse.Action) -> str:
        return with_default(action)


def default_text(action: argparse.Action) -> str | None:
    """The default an option's help should state, or None when there is none to append."""
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        return "off" if action.default is False else "on"
    if action.default in (None, argparse.SUPPRESS) or action.required:
        return None
    if isinstance(action.default, float) and action.default.is_integer():
        return f"{int(action.default):g}"
    return str(action.default)


def with_default(action: argparse.Action) -> str:
    """The help of ``action`` ending with its default (unless it already says it)."""
    text = (action.help or "").replace("%(default)s", str(action.default))
    if not action.option_strings or "default" in text.lower() or action.required:
        return text
    default = default_text(action)
    return f"{text} (default: {default})" if default is not None else text


EXAMPLES_HEADING = "examples:"
#: Two or three examples that end each subcommand's --help (a test parses each one).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "demo": ("seriesm demo", "seriesm demo --no-workbooks",
             "seriesm demo --out /tmp/sample-books"),
    "docs": ("seriesm docs", "seriesm docs --check"),
    "template": ("seriesm template --out my-books",
                 "seriesm template --holders-csv holders.csv --issuances-csv issuances.csv "
                 "--market-price 0.18 --out my-table",
                 "seriesm template --holders-csv holders.csv --market-price 0.18 "
                 "--number-format eu --runtime lite"),
    "regress": ("seriesm regress workbooks/golden",
                "seriesm regress signed-off/ --junit report.xml --jobs 2",
                "seriesm regress big.xlsx --timeout 3600"),
    "calc": ("seriesm calc book.xlsx", "seriesm calc book.xlsx -o book-calc.xlsx --force"),
    "golden": ("seriesm golden", "seriesm golden --out /tmp/golden"),
    "extension": ("seriesm extension --out dist", "seriesm extension --out dist --install",
                  "seriesm extension --for-calc workbooks/seriesm-captable.xlsx"),
    "relink": ("seriesm relink workbooks/seriesm-captable.xlsx --to lite",
               "seriesm relink book.xlsx --to calc -o book-for-calc.xlsx"),
    "screenshots": ("seriesm screenshots", "seriesm screenshots --out /tmp/pictures"),
    "addin": ("seriesm addin", "seriesm addin --out C:\\Books "
              "--interpreter C:\\Python312\\python.exe"),
    "explain": ("seriesm explain ACCRUED 9100 2005-01-10 2005-04-10",
                "seriesm explain WORKDAY 2021-12-23 2",
                "seriesm explain OPM 15000000 60% 3 4.27% 9100 36400000 100000"),
    "report": ("seriesm report --out memo.html",
               "seriesm report --events ledger.csv --as-of 2006-06-30 --market-price 0.18 "
               "--out memo.html --force"),
    "lite": ("seriesm lite --out lite",
             "seriesm lite --out lite --force --wheel "
             "https://example.org/xl_seriesm-0.1.0-py3-none-any.whl"),
    "captable": ("seriesm captable ledger.csv --as-of 2006-06-30",
                 "seriesm captable ledger.csv --as-of 2006-06-30 --json --number-format us",
                 "seriesm captable --ocf package.zip --as-of 2006-06-30 --wide"),
}


def examples_epilog(name: str) -> str | None:
    lines = EXAMPLES.get(name)
    return None if not lines else "\n".join([EXAMPLES_HEADING, *(f"  {c}" for c in lines)])


class _Subcommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose description is their help unless given, and which remember the one
    chosen so an unknown option is matched against that subcommand's options."""

    chosen: argparse.ArgumentParser | None = None

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if kwargs.get("help") and "description" not in kwargs:
            kwargs["description"] = kwargs["help"][:1].upper() + kwargs["help"][1:] + "."
        kwargs.setdefault("formatter_class", Formatter)
        kwargs.setdefault("epilog", examples_epilog(name))
        parser: argparse.ArgumentParser = super().add_parser(name, **kwargs)
        return parser

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        name = values[0] if values else None
        self.chosen = self._name_parser_map.get(name) if name else None
        super().__call__(parser, namespace, values, option_string)


_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)'")
_UNRECOGNIZED = "unrecognized arguments: "


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that suggests what a typo meant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", _Subcommands)

    def subcommands(self) -> Iterator[tuple[str, argparse.ArgumentParser]]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                yield from action.choices.items()

    def error(self, message: str) -> NoReturn:
        chosen = next((a.chosen for a in self._actions if isinstance(a, _Subcommands)
                       and a.chosen is not None), None)
        if "did you mean" in message:  # already matched by the top-level parser
            super().error(message)
        if message.startswith(_UNRECOGNIZED):
            target = chosen or self
            words = message[len(_UNRECOGNIZED):].split()
            options = [o for a in target._actions for o in a.option_strings]
            hints = {_hint(w.split("=")[0], options) for w in words if w.startswith("-")}
            message += "".join(f"; {h}" for h in sorted(h for h in hints if h))
            if target is not self:
                target.error(message)
        match = _INVALID_CHOICE.search(message)
        if match:
            choices = [name for name, _ in self.subcommands()] or _choices(message)
            hint = _hint(match.group(1), choices)
            if hint:
                message = f"{message}; {hint}"
        super().error(message)


def _choices(message: str) -> list[str]:
    found = re.search(r"\(choose from (.*)\)", message)
    return re.findall(r"'([^']*)'", found.group(1)) if found else []


def _hint(word: str, candidates: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(close) + "?"
