"""Computing a workbook's formulas without Excel: LibreOffice headless, kept warm.

One soffice per worker, started once and reused across the files of a run
(:mod:`xl_seriesm.engine.office`), recalculates each workbook: Excel's built-in functions
by LibreOffice itself, the ``SERIESM_*`` functions by this package's core through the Calc
add-in (:mod:`xl_seriesm.libreoffice.extension`). Nothing here parses formulas.
"""

from __future__ import annotations

from xl_seriesm.xlsx.values import CellError, CellRef, Value

__all__ = ["ENGINE_NAME", "CellError", "CellRef", "EngineError", "Value"]

#: What ``seriesm regress`` and ``seriesm calc`` name as their engine.
ENGINE_NAME = ("LibreOffice headless (kept warm over UNO), with the SERIESM_* functions as a "
               "Calc add-in over this package's core")


class EngineError(RuntimeError):
    """The engine could not start, or could not compute a workbook."""
