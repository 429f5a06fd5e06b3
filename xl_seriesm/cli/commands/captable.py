"""``seriesm captable`` (issue 10): the cap table at a date, from a ledger or OCF."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from xl_seriesm.captable import command  # noqa: PLC0415

    return command.run(args)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from xl_seriesm.captable.command import add_arguments  # noqa: PLC0415

    captable = sub.add_parser("captable", help="the cap table at a date, from a ledger of "
                              "events or an Open Cap Table Format package")
    add_arguments(captable)
    captable.set_defaults(run=run)
