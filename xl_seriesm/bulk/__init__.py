"""Helpers for writing and reading many rows at once: JSON text in the standard library's
format, written faster; the cycle collector paused while rows pile up."""
