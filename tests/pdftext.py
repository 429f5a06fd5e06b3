"""Text and fonts of a printed PDF, read with pdfium (pypdfium2, a test dependency), so the
print tests need no poppler on the machine."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_raw


def pages_text(pdf: Path) -> list[str]:
    """Each page's text, in the order pdfium reads it."""
    return [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf)]


def font_names(pdf: Path) -> set[str]:
    """The names of the fonts the pages' text is drawn in."""
    names = set()
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for page in pypdfium2.PdfDocument(pdf):
        text = page.get_textpage()
        for index in range(text.count_chars()):
            size = pdfium_raw.FPDFText_GetFontInfo(text, index, buffer, len(buffer),
                                                   ctypes.byref(flags))
            if size:
                names.add(buffer.value.decode("utf-8", "replace"))
    return names
