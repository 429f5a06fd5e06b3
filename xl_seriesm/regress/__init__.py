"""Headless regression checks of workbooks: ``seriesm regress`` and ``seriesm calc``."""
