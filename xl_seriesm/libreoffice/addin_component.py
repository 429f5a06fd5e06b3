"""The Calc add-in: a UNO component that LibreOffice's own Python loads from the extension.

It implements ``com.sun.star.sheet.AddIn`` and the interface ``org.xlseriesm.XSeriesM`` that
``seriesm extension`` declares from the spec (one method per ``SERIESM_*`` function, every
argument ``any``, every result a table). Each method is the Excel function of the same name
from :mod:`xl_seriesm.excel.udfs`, called through :mod:`xl_seriesm.libreoffice.calc_values`. The
package and its pure-Python dependencies travel in the extension's ``python.zip``, which
this file puts first on ``sys.path``.

This file is not imported by the package or its tests (it needs LibreOffice's ``uno``).
"""

import os
import sys

import unohelper  # type: ignore[import-not-found]
from org.xlseriesm import XSeriesM  # type: ignore[import-not-found]

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "python.zip"))

from xl_seriesm.excel import udfs
from xl_seriesm.excel.spec import FUNCTIONS, Kind
from xl_seriesm.libreoffice.calc_values import call

IMPLEMENTATION = "org.xlseriesm.SeriesMAddIn"


class SeriesMAddIn(unohelper.Base, XSeriesM):  # type: ignore[misc]
    def __init__(self, context: object) -> None:
        self.context = context


def _method(name: str, booleans: tuple[bool, ...]):  # type: ignore[no-untyped-def]
    function = getattr(udfs, name)

    def method(self, *args):  # type: ignore[no-untyped-def]
        return call(name, function, args, booleans)

    method.__name__ = name
    return method


for _function in FUNCTIONS:
    setattr(SeriesMAddIn, _function.name,
            _method(_function.name, tuple(a.kind is Kind.BOOLEAN for a in _function.args)))

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(SeriesMAddIn, IMPLEMENTATION,
                                         ("com.sun.star.sheet.AddIn",))
