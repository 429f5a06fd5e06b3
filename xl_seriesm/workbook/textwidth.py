"""How wide and how tall text is in a cell, measured from the font's own metrics.

The workbooks use Excel's default font, Calibri 11. LibreOffice renders it with Carlito, which
is metric-compatible (same advance widths), so both show the same line breaks. The advance
widths of Carlito's regular and bold faces are stored in ``xl_seriesm/data/carlito.json``
(measured with fontTools; ``python -m xl_seriesm.workbook.textwidth`` writes it again from an
installed Carlito, and a test fails when it differs), so a workbook's column widths and row
heights are the same on every machine, whatever fonts it has.

Excel's units: a column width is a number of widths of the font's widest digit (7 px for
Calibri 11 at 96 dpi) plus 5 px of padding; a row height is in points.
"""

from __future__ import annotations

import json
import math
import sys
from functools import cache
from importlib import resources
from pathlib import Path

#: Characters whose widths are stored: printable Latin-1 and the typography the texts use.
CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    chr(c) for c in range(0xA0, 0x100)) + "§×÷–—‘’“”…≥≤€"
FONT_FILES = {False: "Carlito-Regular.ttf", True: "Carlito-Bold.ttf"}
FONT_FOLDERS = ("/usr/share/fonts/truetype/crosextra", "/usr/share/fonts/crosextra",
                "/usr/local/share/fonts")
#: Calibri 11's widest digit at 96 dpi, the unit of Excel's column widths, and the padding
#: Excel adds to a column.
DIGIT_PX = 7
PADDING_PX = 5
#: Height of one line of Calibri at 11 points, as Excel sets a row (15 pt).
LINE_POINTS_PER_POINT = 15 / 11


@cache
def _metrics() -> dict[str, object]:
    text = resources.files("xl_seriesm").joinpath("data/carlito.json").read_text("utf-8")
    loaded: dict[str, object] = json.loads(text)
    return loaded


def text_px(text: str, size: float = 11, bold: bool = False) -> float:
    """Width in pixels (96 dpi) of one line of ``text`` at ``size`` points."""
    face, per_em = _face(bold)
    fallback = face["M"]  # a character not stored counts as wide as an M
    units = sum([face.get(ch, fallback) for ch in text])
    return units / per_em * size * 96 / 72


@cache
def widest_px(size: float = 11, bold: bool = False) -> float:
    """Width in pixels of the widest character at ``size`` points (any character not stored
    counts as an M): no text of n characters is wider than n times this."""
    face, per_em = _face(bold)
    return max(*face.values(), face["M"]) / per_em * size * 96 / 72


@cache
def _face(bold: bool) -> tuple[dict[str, int], int]:
    metrics = _metrics()
    face: dict[str, int] = metrics["bold" if bold else "regular"]  # type: ignore[assignment]
    per_em: int = metrics["units_per_em"]  # type: ignore[assignment]
    return face, per_em


def width_for_px(px: float) -> float:
    """The Excel column width (in characters) that shows ``px`` pixels of text."""
    return math.ceil((px + PADDING_PX) / DIGIT_PX * 4) / 4


def px_for_width(width: float) -> float:
    """The pixels of text a column of Excel ``width`` shows."""
    return width * DIGIT_PX - PADDING_PX


def wrap(text: str, px: float, size: float = 11, bold: bool = False) -> list[str]:
    """The lines a cell with wrapping shows in ``px`` pixels: broken at spaces, a word longer
    than the line on its own line; explicit newlines kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_px(candidate, size, bold) > px:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def row_points(lines: int, size: float = 11) -> float:
    """Row height in points for ``lines`` lines of text at ``size`` points."""
    return round(lines * size * LINE_POINTS_PER_POINT + (2 if lines > 1 else 0), 2)


def measure_font(folder: Path) -> dict[str, object]:
    """The stored table, measured from the Carlito files in ``folder`` with fontTools."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - a development tool, not a dependency

    table: dict[str, object] = {}
    for bold, name in FONT_FILES.items():
        font = TTFont(folder / name)
        cmap, advances = font.getBestCmap(), font["hmtx"].metrics
        table["units_per_em"] = font["head"].unitsPerEm
        table["bold" if bold else "regular"] = {
            ch: advances[cmap[ord(ch)]][0] for ch in CHARACTERS if ord(ch) in cmap}
    return table


def installed_font_folder() -> Path | None:
    return next((Path(f) for f in FONT_FOLDERS if (Path(f) / FONT_FILES[False]).exists()), None)


def serialised(table: dict[str, object]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


if __name__ == "__main__":
    folder = installed_font_folder()
    if folder is None:
        sys.exit("Carlito is not installed (apt-get install fonts-crosextra-carlito)")
    target = Path(__file__).resolve().parent.parent / "data" / "carlito.json"
    target.write_text(serialised(measure_font(folder)), encoding="utf-8")
    print(f"wrote {target}")
