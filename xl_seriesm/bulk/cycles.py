"""Python's cycle collector paused while a ledger is read, replayed or written: the commands
(``seriesm captable``) and the OCF package's reader and writer make a few objects for each
row, none of them in a cycle, all freed by their counts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: reading and replaying a ledger makes a few objects
    for each of its rows (the event, its place, its numbers), none of them in a cycle, all
    freed by their counts; the collector would walk every one of them again and again as
    they pile up (a third of the time of ``captable --json`` on 100,000 events, a fifth of
    an OCF package's reading or writing). Nested uses leave it as the outermost found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
