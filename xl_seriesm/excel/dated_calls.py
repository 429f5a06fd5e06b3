"""SERIESM_DILUTE over dated issuances and splits (§5(c), §5(e)): the ``dates``, ``splits``
and ``threshold_after_split`` arguments read into the core's :class:`DatedRun`, the same step
for a split as the ledger's replay.

Thin on purpose: every figure comes from :mod:`xl_seriesm.core.dated_dilution`.
"""

from __future__ import annotations

from typing import Any

from xl_seriesm.core import conversion, errors
from xl_seriesm.core.dated_dilution import DatedRun
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.explain import active as explaining
from xl_seriesm.core.explain import note
from xl_seriesm.excel import calls, values
from xl_seriesm.excel.spec import Function

#: The §5(e)(i) ledger's columns: a row with all three empty carries the number forward.
LEDGER = ("common_outstanding", "new_shares", "consideration")
#: SERIESM_DILUTE's arguments for a dated ledger; without them, one issuance after another.
DATED = ("dates", "splits", "threshold_after_split")


def undated(conversion_number: Any, common_outstanding: Any, new_shares: Any,
            consideration: Any, exempt: Any, threshold_price: Any, **_dated: Any) -> Any:
    """SERIESM_DILUTE cell by cell without a dated ledger: §5(e)(i) alone."""
    return conversion.dilute(conversion_number, common_outstanding, new_shares,
                             consideration, exempt, threshold_price)


def dated_ledger(spec: Function, raw: dict[str, object], found: dict[str, list[object]],
                 fixed: dict[str, Any], columns: int) -> list[object]:
    """SERIESM_DILUTE over dated issuances and splits (§5(c), §5(e)): the shared core run
    the ledger's replay uses, row by row."""
    if fixed["splits"] and "dates" not in found and fixed.get("dates") is None:
        raise errors.needed_with("dates", "splits", "each issuance's date, a column beside "
                                 "the ledger, places it among the splits")
    run = DatedRun(fixed.pop("conversion_number"), fixed.pop("splits") or (),
                   fixed["threshold_price"], fixed.pop("threshold_after_split"))
    count = len(next(iter(found.values()))) if found else 1
    cells: list[object] = []
    failed: str | None = None  # once a row fails, every later row depends on it
    for index in range(count):
        row = {name: found[name][index] for name in found}
        if failed is None:
            try:
                if found and all(blank(row.get(name, raw[name])) for name in LEDGER):
                    # A row wholly empty: the number carried forward to its date, if any.
                    day = (calls.read(spec.arg("dates"), row["dates"]) if "dates" in row
                           else fixed["dates"])
                    if day is not None:
                        run.to(day, index + 1)
                else:
                    read = {name: calls.read(spec.arg(name), value)
                            for name, value in row.items()}
                    given = {**fixed, **read}
                    day = given.pop("dates")
                    given.pop("threshold_price")
                    if day is None and run.splits:
                        raise errors.needed_with("dates", "splits", "give this issuance's "
                                                 "date")
                    if explaining():
                        note(f"issuance in row {index + 1} of the ledger", index + 1,
                             spec.section)
                    run.issue(day, index + 1, **given)
            except SeriesMError as error:
                if not found:
                    raise  # one issuance: the error is the call's
                failed = calls.row_error(error, spec, index, columns)
        cells.append(failed if failed is not None else values.to_excel(run.number))
    return cells


def blank(value: object) -> bool:
    """An empty ledger cell (or a 0, how Lite passes one)."""
    return values.is_empty(value) or (not isinstance(value, bool) and value == 0)
