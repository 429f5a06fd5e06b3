"""The .xlsx file format, in one place: cell references, sheet XML read and written in a
stream, cached values, atomic file writes. Used by the templates, the engine and the
regression runner; imports nothing of theirs.
"""
