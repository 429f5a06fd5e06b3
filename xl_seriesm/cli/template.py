"""``seriesm template``: build the cap-table workbooks from a cap table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.excel.runtimes import Runtime, relink_bytes
from xl_seriesm.workbook.inputs import (
    CapTable,
    DateFormat,
    InputError,
    check_date,
    check_holder,
    number_format,
    parse_money,
    read_holders,
    read_issuances,
    synthetic,
)
from xl_seriesm.workbook.model import CHECKS, FIRST_CHECK_ROW, build, overall_status
from xl_seriesm.workbook.writer import Flavor, workbook_bytes
from xl_seriesm.xlsx.files import write_all

if TYPE_CHECKING:
    from xl_seriesm.captable.ledger_stack import Classes
    from xl_seriesm.core.ledger_events import Event
    from xl_seriesm.core.stack import Stack
    from xl_seriesm.workbook.inputs import NumberFormat, Settings

#: From this many holders a template takes seconds, and a terminal shows what is happening.
PROGRESS_FROM_HOLDERS = 2_000


def make(cap: CapTable, out: Path, flavors: Iterable[Flavor], force: bool,
         progress: Callable[[str], None] | None = None,
         runtime: Runtime = Runtime.CLASSIC) -> list[Path]:
    """Write the workbooks of ``flavors`` for ``cap`` into ``out``; all or nothing.
    ``progress`` is told each step (building the model, then each flavor). The add-in flavor
    spells its calls for ``runtime`` (:mod:`xl_seriesm.excel.runtimes`): the classic add-in's
    book is ``seriesm-captable.xlsx``, another runtime's ``seriesm-captable-RUNTIME.xlsx``."""
    step = progress or (lambda _: None)
    step(f"computing {len(cap.holders):,} holders with the core")
    try:
        workbook = build(cap)
    except (ValueError, ArithmeticError) as error:  # the core's refusal, in its words
        raise InputError(f"the cap table cannot be built: {error}") from None
    files = []
    for flavor in flavors:
        name = flavor.filename
        if flavor is Flavor.UDF and runtime is not Runtime.CLASSIC:
            name = name.replace(".xlsx", f"-{runtime.value}.xlsx")
        step(f"writing {name}")
        data = workbook_bytes(workbook, flavor)
        if flavor is Flavor.UDF:
            data = relink_bytes(data, runtime)
        files.append((out / name, data))
    return write_all(files, force)


def failing_checks(cap: CapTable) -> list[str]:
    """The overall status and each Check the workbook of ``cap`` will show failing (with the
    amount it is off by and where to look), in the workbook's words; empty when all hold."""
    sheet = next(s for s in build(cap).sheets if s.name == CHECKS)
    by_ref = {c.ref: c for c in sheet.cells}
    rows = sorted(int(c.ref[1:]) for c in sheet.cells
                  if c.computed and c.ref[0] == "B" and int(c.ref[1:]) >= FIRST_CHECK_ROW)
    results = [by_ref[f"B{row}"].expected for row in rows]
    failing = [f"{by_ref[f'A{row}'].value}: {by_ref[f'B{row}'].expected} (look at "
               f"{by_ref[f'C{row}'].value})" for row in rows
               if by_ref[f"B{row}"].expected != "OK"]
    return [overall_status(results), *failing] if failing else []


def _date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return check_date(option, date.fromisoformat(text))
    except ValueError as error:
        if isinstance(error, InputError):
            raise
        raise InputError(f"{option} {text!r}: not a date; use YYYY-MM-DD") from None


#: The most holders a made-up cap table has: one row each on the Holders and Payouts sheets,
#: below their headings, within a sheet's 1,048,576 rows.
MOST_HOLDERS = 1_000_000


def cap_table(args: argparse.Namespace) -> CapTable:
    """The cap table the options describe (the sample when they name none), with the other
    classes of the capital stack when ``--stack`` names a file."""
    stack: Stack = ()
    if getattr(args, "stack", None):
        from xl_seriesm.captable.stack_file import read_stack_csv  # noqa: PLC0415

        stack = read_stack_csv(Path(args.stack), number_format(args))
    cap = _cap_table(args, stack)
    if getattr(args, "exit", None) is not None:
        from xl_seriesm.captable.command import parse_amount  # noqa: PLC0415

        cap = replace(cap, settings=replace(cap.settings,
                                            exit_value=parse_amount("--exit", args.exit)))
    # A ledger's rows of other classes made the stack at the date (empty when nothing of
    # theirs is outstanding then); otherwise the stack table is the stack as given.
    return cap if cap.stack_note else replace(cap, stack=stack)


def _cap_table(args: argparse.Namespace, stack: Stack) -> CapTable:
    closing = _date("--closing-date", args.closing_date) or SAMPLE.closing_date
    as_of = _date("--as-of", args.as_of) or SAMPLE.as_of_date
    if as_of < closing:
        raise InputError(f"--as-of {as_of} is before the Closing Date {closing}")
    if getattr(args, "events", None):
        if args.holders_csv or args.issuances_csv or args.holders is not None:
            raise InputError("--events is the whole cap table: give it without --holders-csv, "
                             "--issuances-csv or --holders")
        from xl_seriesm.captable.command import ledger_terms  # noqa: PLC0415

        as_of_given = _date("--as-of", args.as_of)
        if as_of_given is None:
            raise InputError("--events needs --as-of DATE: the date the cap table is taken at")
        readings = ledger_terms(args)
        settings = replace(SAMPLE.settings, market_price=_market_price(args),
                           threshold_after_split=readings.threshold_after_split,
                           dividend_allocation=readings.dividend_allocation)
        date_format = DateFormat(getattr(args, "date_format", None) or DateFormat.US.value)
        return _from_ledger(Path(args.events), stack, as_of_given,
                            _date("--closing-date", args.closing_date), settings,
                            number_format(args), date_format,
                            getattr(args, "command", None) or "template")
    if args.holders_csv and args.holders is not None:
        raise InputError("give either --holders-csv or --holders, not both")
    for option, given in (("--threshold-after-split", getattr(args, "threshold_after_split",
                                                              None)),
                          ("--dividend-allocation", getattr(args, "dividend_allocation", None))):
        if given:  # a ledger's reading: said and ignored would be worse than refused
            raise InputError(f"{option} is a reading of a ledger's events; it goes with "
                             "--events FILE")
    settings = replace(SAMPLE.settings, market_price=_market_price(args))
    date_format = DateFormat(getattr(args, "date_format", None) or DateFormat.US.value)
    if args.issuances_csv:
        issuances = read_issuances(Path(args.issuances_csv), closing, date_format,
                                   number_format(args))
    else:
        # The sample ledger belongs to the sample company: a cap table of your own starts
        # with no issuances unless you give them.
        issuances = () if args.holders_csv else SAMPLE.issuances
        issuances = tuple(r for r in issuances if closing <= r.date)
    if args.holders_csv:
        holders = read_holders(Path(args.holders_csv), closing, as_of, settings.basis,
                               number_format(args))
        return CapTable(closing, as_of, holders, issuances, settings)
    if args.holders is not None:
        if args.holders > MOST_HOLDERS:
            raise InputError(f"--holders {args.holders:,}: at most {MOST_HOLDERS:,} (a "
                             "holder is a row, and a sheet holds 1,048,576 rows)")
        return synthetic(args.holders, closing, as_of, issuances, settings)
    for holder in SAMPLE.holders:  # the sample's payments may not fit other dates
        check_holder(holder, closing, as_of, settings.basis, f"the sample's {holder.name}")
    return CapTable(closing, as_of, SAMPLE.holders, issuances, settings)


def _from_ledger(path: Path, stack: Stack, as_of: date, closing: date | None,
                 settings: Settings, numbers: NumberFormat | None, date_format: DateFormat,
                 command: str = "template") -> CapTable:
    """The cap table of a ledger CSV at ``as_of``. Its rows of other classes give the Capital
    stack sheet their counts at that date, as ``seriesm captable --stack`` does
    (:mod:`xl_seriesm.captable.ledger_stack`): the stack table's terms, the ledger's counts
    (one row per strike), an exercise's common a §5(e)(i) issuance of the Series M ledger;
    a stated count the ledger's differs from is said on stderr and on the sheet."""
    from xl_seriesm.captable.events import read_ledger  # noqa: PLC0415
    from xl_seriesm.captable.ledger_stack import (  # noqa: PLC0415
        difference_lines,
    )
    from xl_seriesm.captable.ledger_stack import from_ledger as stack_from_ledger  # noqa: PLC0415
    from xl_seriesm.core.ledger_classes import ClassEvent, series_m_events  # noqa: PLC0415
    from xl_seriesm.core.ledger_events import LedgerError  # noqa: PLC0415
    from xl_seriesm.workbook import from_ledger  # noqa: PLC0415

    entries = read_ledger(path, numbers, date_format)
    others = [e for e in entries if isinstance(e, ClassEvent)]
    try:
        events = series_m_events(entries, stack) if others else entries
        classes = stack_from_ledger(stack, others, as_of) if others else None
    except LedgerError as error:
        raise InputError(str(error)) from None
    cap = from_ledger.cap_table(cast("tuple[Event, ...]", events), as_of, closing, settings)
    if classes is None:
        return cap
    for line in difference_lines(classes, as_of):
        print(f"seriesm {command}: {path}: {line}", file=sys.stderr)
    return replace(cap, stack=tuple(classes.stack), stack_note=stack_note(classes, as_of),
                   class_events=tuple(others))


def stack_note(classes: Classes, as_of: date) -> str:
    """The Capital stack sheet's line on where its counts come from: one date's."""
    from xl_seriesm.captable.ledger_stack import difference_lines  # noqa: PLC0415

    assert classes.state is not None
    counted = sorted(classes.state.carried)
    later = len(classes.state.pending)
    text = (f"Counts of {', '.join(counted)} from the ledger at {as_of} "
            f"(the stack table's terms); this sheet holds that one date's counts")
    if later:
        text += (f", the ledger's {later:,} later event{'s' if later != 1 else ''} of these "
                 "classes not applied (build it again with another --as-of)")
    differences = difference_lines(classes, as_of)
    return text + "." + "".join(f" {d}." for d in differences)


def _market_price(args: argparse.Namespace) -> Fraction:
    """The §5(h) market price: the sample's for the sample and made-up tables, and an explicit
    input for a cap table of your own (a sample figure would silently price its fractions)."""
    text = getattr(args, "market_price", None)
    if text is None:
        if args.holders_csv or getattr(args, "events", None):
            given = "--holders-csv" if args.holders_csv else "--events"
            raise InputError(f"--market-price: required with {given} (the market price "
                             "of one common share, for §5(h) cash in lieu of fractions), "
                             "e.g. --market-price 0.18")
        return SAMPLE.settings.market_price
    try:
        price = parse_money(text)
    except ValueError:
        price = Fraction(-1)
    if price <= 0:
        raise InputError(f"--market-price {text[:40]!r}: give a price in dollars above 0 "
                         "and below $1,000,000,000,000,000 (15 digits), such as 0.18 or "
                         "$0.18")
    return price


def flavors(choice: str) -> list[Flavor]:
    return list(Flavor) if choice == "both" else [Flavor(choice)]
