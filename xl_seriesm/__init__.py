"""xl-seriesm: the Series M certificate of nStor Technologies as exact Excel functions.

The calculation core is :mod:`xl_seriesm.core` (pure Python, exact); the Excel functions are
:mod:`xl_seriesm.excel.udfs`; the command line is ``seriesm``.
"""

__version__ = "0.1.0"
