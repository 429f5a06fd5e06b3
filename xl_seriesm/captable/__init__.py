"""The cap table as of a date: the ledger CSV format, ``seriesm captable`` and its tables."""
