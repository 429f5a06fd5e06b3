"""The Excel functions' public module name, kept because workbooks name it.

The classic add-in's ``UDF Modules`` setting (``xlwings.conf``, written by ``seriesm addin``)
and the Lite ``main.py`` import ``xl_seriesm.udfs``, and the README documents it; the
functions themselves live in :mod:`xl_seriesm.excel.udfs`. This module only re-exports them.
"""

from xl_seriesm.excel.udfs import *  # noqa: F403
from xl_seriesm.excel.udfs import __all__  # noqa: F401
