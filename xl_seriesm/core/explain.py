"""Derivations: how a figure was reached, recorded by the code that computes it.

A core function states each step of its working with :func:`note` (a label, the value at
that step, and the certificate's section). Outside :func:`recording` a note does nothing
but hand its value back, so the computing code and the explaining code are one and the
same: an explanation cannot disagree with the figure it explains, because it is a record of
that figure being computed. The last step a function notes is its result.

The recorder lives in a context variable, so concurrent calls (xlwings Lite's event loop,
threads) never mix their steps, and core functions need no extra argument.

>>> from fractions import Fraction
>>> with recording() as steps:
...     total = note("price × shares", Fraction(5, 2) * 4, "§5")
>>> total, steps
(Fraction(10, 1), [Step(step='price × shares', value=Fraction(10, 1), section='§5')])
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple, TypeVar

_T = TypeVar("_T")


class Step(NamedTuple):
    """One step of a derivation: what was worked out, its value, and where the rule is."""

    step: str
    value: object
    section: str = ""


_steps: ContextVar[list[Step] | None] = ContextVar("xl_seriesm_derivation", default=None)


@contextmanager
def recording() -> Iterator[list[Step]]:
    """Record the steps noted inside the block, in order (nested blocks record apart)."""
    steps: list[Step] = []
    token = _steps.set(steps)
    try:
        yield steps
    finally:
        _steps.reset(token)


def active() -> bool:
    """Whether steps are being recorded (to skip building texts no one will read)."""
    return _steps.get() is not None


def note(step: str, value: _T, section: str = "") -> _T:
    """Record one step when recording, and return ``value`` unchanged either way."""
    steps = _steps.get()
    if steps is not None:
        steps.append(Step(step, value, section))
    return value
