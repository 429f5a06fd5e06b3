"""``seriesm template``: build the cap-table workbooks from a cap table."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from xl_seriesm.files import write_all
from xl_seriesm.sample import SAMPLE
from xl_seriesm.workbook.inputs import (
    CapTable,
    InputError,
    check_date,
    check_holder,
    read_holders,
    read_issuances,
    synthetic,
)
from xl_seriesm.workbook.model import CHECKS, build
from xl_seriesm.workbook.writer import Flavor, render, to_bytes


def make(cap: CapTable, out: Path, flavors: Iterable[Flavor], force: bool) -> list[Path]:
    """Write the workbooks of ``flavors`` for ``cap`` into ``out``; all or nothing."""
    try:
        workbook = build(cap)
    except (ValueError, ArithmeticError) as error:  # the core's refusal, in its words
        raise InputError(f"the cap table cannot be built: {error}") from None
    files = [(out / flavor.filename, to_bytes(render(workbook, flavor))) for flavor in flavors]
    return write_all(files, force)


def failing_checks(cap: CapTable) -> list[str]:
    """The Checks the workbook of ``cap`` will show failing, each with the difference."""
    sheet = next(s for s in build(cap).sheets if s.name == CHECKS)
    labels = {c.ref[1:]: c.value for c in sheet.cells if c.ref.startswith("A")}
    return [f"{labels[c.ref[1:]]}: {c.expected:,}" for c in sheet.cells
            if c.computed and c.ref != "B3" and c.ref.startswith("B") and c.expected != "OK"]


def _date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return check_date(option, date.fromisoformat(text))
    except ValueError as error:
        if isinstance(error, InputError):
            raise
        raise InputError(f"{option} {text!r}: not a date; use YYYY-MM-DD") from None


def cap_table(args: argparse.Namespace) -> CapTable:
    """The cap table the options describe (the sample when they name none)."""
    closing = _date("--closing-date", args.closing_date) or SAMPLE.closing_date
    as_of = _date("--as-of", args.as_of) or SAMPLE.as_of_date
    if as_of < closing:
        raise InputError(f"--as-of {as_of} is before the Closing Date {closing}")
    settings = SAMPLE.settings
    if getattr(args, "events", None):
        if args.holders_csv or args.issuances_csv or args.holders is not None:
            raise InputError("--events is the whole cap table: give it without --holders-csv, "
                             "--issuances-csv or --holders")
        from xl_seriesm.captable.events import read_events  # noqa: PLC0415
        from xl_seriesm.workbook import from_ledger  # noqa: PLC0415

        as_of_given = _date("--as-of", args.as_of)
        if as_of_given is None:
            raise InputError("--events needs --as-of DATE: the date the cap table is taken at")
        return from_ledger.cap_table(read_events(Path(args.events)), as_of_given,
                                     _date("--closing-date", args.closing_date), settings)
    if args.holders_csv and args.holders is not None:
        raise InputError("give either --holders-csv or --holders, not both")
    if args.issuances_csv:
        issuances = read_issuances(Path(args.issuances_csv), closing)
    else:
        # The sample ledger belongs to the sample company: a cap table of your own starts
        # with no issuances unless you give them.
        issuances = () if args.holders_csv else SAMPLE.issuances
        issuances = tuple(r for r in issuances if closing <= r.date)
    if args.holders_csv:
        holders = read_holders(Path(args.holders_csv), closing, as_of, settings.basis)
        return CapTable(closing, as_of, holders, issuances, settings)
    if args.holders is not None:
        return synthetic(args.holders, closing, as_of, issuances, settings)
    for holder in SAMPLE.holders:  # the sample's payments may not fit other dates
        check_holder(holder, closing, as_of, settings.basis, f"the sample's {holder.name}")
    return CapTable(closing, as_of, SAMPLE.holders, issuances, settings)


def flavors(choice: str) -> list[Flavor]:
    return list(Flavor) if choice == "both" else [Flavor(choice)]
