"""``seriesm captable``: the cap table at a date, from a ledger CSV or an OCF package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from xl_seriesm.bulk.cycles import without_cycle_collection
from xl_seriesm.captable.report import json_number, shares_text
from xl_seriesm.core.conversion import CONVERSION_DECIMALS, MAX_CONVERSION_DECIMALS
from xl_seriesm.core.ledger import (
    DividendAllocation,
    Event,
    LedgerError,
    Terms,
    ThresholdAfterSplit,
    parse_dividend_allocation,
    parse_threshold_after_split,
    state_at,
)
from xl_seriesm.core.ledger_classes import (
    ClassEvent,
    StackDifference,
    key,
    series_m_events,
    strike_name,
)
from xl_seriesm.core.ledger_money import (
    ARREARS_DECIMALS,
    MAX_ARREARS_DECIMALS,
    MIN_ARREARS_DECIMALS,
)
from xl_seriesm.core.stack import Stack
from xl_seriesm.ocf.issuer import Issuer

if TYPE_CHECKING:
    from xl_seriesm.captable.ledger_stack import Classes
from xl_seriesm.workbook.inputs import (
    DateFormat,
    InputError,
    add_number_format_argument,
    number_format,
)


def parse_date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r}: not a date; use YYYY-MM-DD") from None
    if not date(1900, 3, 1) <= value <= date(9998, 12, 31):
        raise InputError(f"{option} {text}: give a date from 1900-03-01 to 9998-12-31")
    return value


def load_events(args: argparse.Namespace,
                ) -> tuple[tuple[Event, ...], Issuer, Callable[[date], Classes]]:
    """The events the options name, from a ledger CSV or an OCF package (with dividends),
    the issuer for an OCF package written from them, and the other classes of the capital
    stack at a date (``--stack``, with the ledger's counts of the classes it carries, or the
    OCF package's)."""
    from xl_seriesm.captable.ledger_stack import Classes, from_ledger  # noqa: PLC0415

    given = None
    if getattr(args, "stack", None):
        from xl_seriesm.captable.stack_file import read_stack_csv  # noqa: PLC0415

        given = read_stack_csv(Path(args.stack), number_format(args))
    from xl_seriesm.captable.events import read_ledger  # noqa: PLC0415

    if bool(args.events) == bool(args.ocf):
        raise InputError("give either a ledger CSV (EVENTS) or --ocf PACKAGE, one of them")
    formed = parse_date("--formation-date", args.formation_date)
    if args.events:
        if args.series_m or args.dividends:
            raise InputError("--series-m and --dividends go with --ocf")
        date_format = DateFormat(getattr(args, "date_format", None) or DateFormat.US.value)
        entries = read_ledger(Path(args.events), number_format(args), date_format)
        others = [e for e in entries if isinstance(e, ClassEvent)]
        terms = given or ()
        if not others:
            return (entries, Issuer(formation_date=formed),  # type: ignore[return-value]
                    lambda _: Classes(terms))
        return (series_m_events(entries, terms), Issuer(formation_date=formed),
                lambda day: from_ledger(terms, others, day))
    from xl_seriesm.ocf.reader import read_package  # noqa: PLC0415

    package = read_package(Path(args.ocf), args.series_m,
                           Path(args.dividends) if args.dividends else None, number_format(args))
    for what, count in package.ignored.items():
        print(f"seriesm captable: {args.ocf}: {count} × {what} not part of the Series M "
              "ledger, left out", file=sys.stderr)
    issuer = package.issuer
    if formed is not None:
        issuer = replace(issuer, formation_date=formed)
    from xl_seriesm.captable.ledger_stack import from_package  # noqa: PLC0415

    if given is not None and not package.has_other_classes():
        return package.events, issuer, lambda _: Classes(given)
    from_ocf = package.class_events()

    def at(day: date) -> Classes:
        found = from_package(package.stack_at(day), from_ocf, day)
        if given is None:
            return found
        # As a ledger's events do for a stack table: the package's counts are used, and
        # the stack table's that differ are reported.
        differences = _package_differences(given, found.stack)
        lines = [f"{d.stock_class}: the stack table states {shares_text(d.stated)} shares, the "
                 f"package {shares_text(d.ledger)} at {day}; the package's count is used"
                 for d in differences]
        return replace(found, differences=differences,
                       note="; ".join(filter(None, [found.note, *lines])))

    return package.events, issuer, at


def _package_differences(given: Stack, rows: Stack) -> list[StackDifference]:
    """Each class of the stack table ``given`` whose shares differ from the package's count
    of it at the date (``rows``: one row per strike of an option or warrant class, named
    ``Pool at $0.10``, or the class's own name)."""
    out = []
    for c in given:
        held = sum((r.shares for r in rows if key(r.name) == key(c.name)
                    or (not r.is_preferred and key(r.name) == key(strike_name(c.name,
                                                                              r.strike)))),
                   Fraction(0))
        if held != c.shares:
            out.append(StackDifference(c.name, c.shares, held))
    return out




def _dates(option: str, text: str | None) -> frozenset[date]:
    """Dates listed in one option, separated by commas."""
    if not text:
        return frozenset()
    return frozenset(d for part in text.split(",") if (d := parse_date(option, part.strip())))


def ledger_terms(args: argparse.Namespace) -> Terms:
    """The readings the options choose (README: Readings of the text)."""
    threshold = parse_threshold_after_split(
        getattr(args, "threshold_after_split", None) or ThresholdAfterSplit.LITERAL.value)
    allocation = parse_dividend_allocation(
        getattr(args, "dividend_allocation", None) or DividendAllocation.PRO_RATA.value)
    closures = _dates("--closures", getattr(args, "closures", None))
    openings = _dates("--openings", getattr(args, "openings", None))
    both = closures & openings
    if both:
        raise InputError(f"{min(both)} is in both --closures and --openings; a day is one or "
                         "the other")
    return Terms(threshold_after_split=threshold, dividend_allocation=allocation,
                 closures=closures, openings=openings,
                 conversion_decimals=getattr(args, "conversion_decimals", None)
                 or CONVERSION_DECIMALS,
                 arrears_decimals=getattr(args, "arrears_decimals", None) or ARREARS_DECIMALS)


def run(args: argparse.Namespace) -> int:
    with without_cycle_collection():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from xl_seriesm.bulk.json_text import json_text  # noqa: PLC0415
    from xl_seriesm.captable.report import print_table, to_json  # noqa: PLC0415
    from xl_seriesm.ocf.schema_check import OcfError  # noqa: PLC0415

    try:
        if args.limit is not None and args.limit < 0:
            raise InputError(f"--limit {args.limit}: give 0 or more holders to show")
        if not args.to_ocf:  # said and ignored would be worse than refused
            for option, given in (("--formation-date", args.formation_date),
                                  ("--force", args.force)):
                if given:
                    raise InputError(f"{option} goes with --to-ocf OUT (writing a package); "
                                     "give both or neither")
        events, issuer, stack_at = load_events(args)
        as_of = parse_date("--as-of", args.as_of) or date.today()
        closing = parse_date("--closing-date", args.closing_date)
        state = state_at(events, as_of, closing, ledger_terms(args))
        classes = stack_at(state.as_of)
        stack = classes.stack
        if classes.note:
            print(f"seriesm captable: {args.ocf}: {classes.note}", file=sys.stderr)
        found = None
        if getattr(args, "exit", None) is not None:
            from xl_seriesm.captable import stack_file  # noqa: PLC0415
            from xl_seriesm.captable.ledger_stack import with_class_holders  # noqa: PLC0415

            found = with_class_holders(
                stack_file.exit_payouts(state, stack, parse_amount("--exit", args.exit)),
                classes)
        if args.to_ocf:
            from xl_seriesm.ocf.class_ledger import LedgerClasses  # noqa: PLC0415
            from xl_seriesm.ocf.writer import write_package  # noqa: PLC0415

            written = write_package(
                state, issuer, Path(args.to_ocf), args.force, stack,
                None if classes.state is None
                else LedgerClasses(classes.events, classes.terms, classes.state))
            print(f"wrote {written}", file=sys.stderr)
    except (InputError, LedgerError, OcfError) as error:
        print(f"seriesm captable: {error}; nothing was written", file=sys.stderr)
        return 2
    if args.json:
        data = to_json(state)
        if classes.state is not None:
            from xl_seriesm.captable import ledger_stack  # noqa: PLC0415

            data["stack"] = ledger_stack.stack_json(classes)
            data["stack_differences"] = ledger_stack.differences_json(classes)
            data["class_pending"] = ledger_stack.pending_json(classes)
        if args.ocf and getattr(args, "stack", None):  # the stack table against the package
            data["stack_differences"] = [
                {"class": d.stock_class, "stack_table": json_number(d.stated),
                 "package": json_number(d.ledger)} for d in classes.differences]
        if found is not None:
            from xl_seriesm.captable import stack_file  # noqa: PLC0415

            data["exit"] = stack_file.to_json(found)
        print(json_text(data))
    else:
        from rich.console import Console  # noqa: PLC0415 - not needed for --json

        console = Console()
        print_table(state, console, args.wide, args.limit)
        if classes.state is not None:
            from xl_seriesm.captable.ledger_stack import print_differences  # noqa: PLC0415

            # An OCF package's differences from a stack table were said with its note.
            print_differences(replace(classes, differences=[]) if args.ocf else classes,
                              state.as_of, console)
        if found is not None:
            from xl_seriesm.captable import stack_file  # noqa: PLC0415

            stack_file.print_exit(found, console)
    return 0 if state.reconciled else 1


def parse_amount(option: str, text: str) -> Fraction:
    """A dollar amount typed on the command line ($ and thousands separators allowed)."""
    from xl_seriesm.workbook.inputs import parse_money  # noqa: PLC0415

    try:
        value = parse_money(text)
    except (ValueError, ArithmeticError):
        raise InputError(f"{option} {text[:40]!r}: not an amount; use dollars and cents "
                         "below $1,000,000,000,000,000 (15 digits), e.g. 20000000 or "
                         "$20,000,000") from None
    if value < 0:
        raise InputError(f"{option} {text}: must be 0 or more")
    if (value * 100).denominator != 1:
        raise InputError(f"{option} {text}: a fraction of a cent; an exit is paid in cents, "
                         "give at most two decimals")
    return value


def add_ledger_reading_arguments(parser: argparse.ArgumentParser, dates: str,
                                 scope: str) -> None:
    """The options that choose how a ledger is read (``--date-format``) and which readings
    of the text it takes (§5(e) after a split, a class dividend's allocation): one set for
    ``seriesm captable`` and ``seriesm template``/``report --events`` (``scope`` says when
    they apply, ``dates`` which dates the format reads)."""
    parser.add_argument("--date-format", choices=("us", "day-first"), default="us",
                        help=f"how {dates} written with slashes are read: us "
                        "M/D/YYYY (9/30/2005) or day-first D/M/YYYY (30/9/2005); YYYY-MM-DD "
                        "is always read as ISO")
    parser.add_argument("--threshold-after-split", metavar="READING",
                        choices=[r.value for r in ThresholdAfterSplit], default=None,
                        help=f"{scope}§5(e)'s $0.25 after a split: literal (default) or scaled "
                        "by old/new at each split, as trigger and divisor")
    parser.add_argument("--dividend-allocation", metavar="READING",
                        choices=[r.value for r in DividendAllocation], default=None,
                        help=f"{scope}a dividend paid to the class: 'pro rata to unpaid' "
                        "(default) or 'oldest period first'")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("events", nargs="?", metavar="EVENTS",
                        help="the ledger CSV (README: 'The ledger of events')")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date (default: today)")
    parser.add_argument("--closing-date", metavar="YYYY-MM-DD",
                        help="Closing Date (default: the date of the first issue, §1)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--wide", action="store_true",
                        help="print every column however wide the terminal (default: fit its "
                        "width: names wrap, then the least needed columns are left out)")
    parser.add_argument("--ocf", metavar="PACKAGE",
                        help="read an Open Cap Table Format package (folder or .zip) instead "
                             "of EVENTS (default: none)")
    parser.add_argument("--series-m", metavar="CLASS_ID",
                        help="the OCF stock class that is the Series M (default: found by name)")
    parser.add_argument("--dividends", metavar="CSV",
                        help="with --ocf: dividends paid, as ledger rows (event dividend; "
                             "default: none)")
    parser.add_argument("--to-ocf", metavar="OUT",
                        help="also write the ledger as an OCF package (a folder, or a .zip; "
                             "default: none)")
    parser.add_argument("--formation-date", metavar="YYYY-MM-DD",
                        help="with --to-ocf: the issuer's formation date (OCF requires it; "
                             "default: the --ocf package's)")
    parser.add_argument("--force", action="store_true", help="replace an existing --to-ocf OUT")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="the table shows the first N holders (default: all; --json "
                        "always gives all)")
    add_ledger_reading_arguments(parser, "the ledger's dates", "")
    parser.add_argument("--closures", metavar="DATES",
                        help="days banks in Palm Beach County were closed against the Federal "
                        "Reserve schedule, YYYY-MM-DD separated by commas (§5(f); default: "
                        "none)")
    parser.add_argument("--openings", metavar="DATES",
                        help="days they were open against it, the same way (default: none)")
    add_number_format_argument(parser)
    parser.add_argument("--conversion-decimals", metavar="N", type=_decimals,
                        default=CONVERSION_DECIMALS,
                        help="carry the conversion number exactly while its denominator is "
                             "at most 10^N, else rounded to N decimal places (1 to "
                             f"{MAX_CONVERSION_DECIMALS:,}; default: {CONVERSION_DECIMALS})")
    parser.add_argument("--arrears-decimals", metavar="N", type=_arrears_decimals,
                        default=ARREARS_DECIMALS,
                        help="carry the part of a holder's unpaid dividends that moves with "
                             "some of its shares to N decimal places of a dollar, half up "
                             f"({MIN_ARREARS_DECIMALS} to {MAX_ARREARS_DECIMALS:,}; default: "
                             f"{ARREARS_DECIMALS})")
    parser.add_argument("--stack", metavar="CSV",
                        help="the other classes of the capital stack (README: 'The capital "
                             "stack'), their counts from the ledger's events of them when it "
                             "has some (default: none, or the --ocf package's)")
    parser.add_argument("--exit", metavar="AMOUNT",
                        help="also every class's and every holder's payout at this exit "
                             "value (default: none)")


def _decimals(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_CONVERSION_DECIMALS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: a whole number from 1 to {MAX_CONVERSION_DECIMALS:,}")
    return value


def _arrears_decimals(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not MIN_ARREARS_DECIMALS <= value <= MAX_ARREARS_DECIMALS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: a whole number from {MIN_ARREARS_DECIMALS} to "
            f"{MAX_ARREARS_DECIMALS:,}")
    return value
