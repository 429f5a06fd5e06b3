"""``seriesm report``: the memo parses as a well-formed document, lists the cap table at
its date, and every derivation in it ends with the figure it explains."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from xl_seriesm.cli import main
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.derivation import report
from xl_seriesm.derivation.text import shown
from xl_seriesm.workbook.inputs import synthetic
from xl_seriesm.workbook.model import figures

VOID = {"meta", "br", "hr", "img", "link", "input"}


class Page(HTMLParser):
    """The memo's tree, kept just deep enough to check: headings, tables and their rows,
    with every element closed in order (a strict well-formedness check)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.tables: list[dict[str, object]] = []
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)
        if tag in ("h1", "h2", "h3", "h4"):
            self._text = []
        elif tag == "table":
            self.tables.append({"class": dict(attrs).get("class"), "rows": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()
        if tag in ("h1", "h2", "h3", "h4") and self._text is not None:
            self.headings.append((tag, "".join(self._text)))
            self._text = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)  # type: ignore[union-attr]
            self._row = None

    def handle_data(self, data: str) -> None:
        for sink in (self._text, self._cell):
            if sink is not None:
                sink.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert page.problems == []
    assert page.open == [], "every element is closed"
    return page


def test_the_memo_lists_the_cap_table_and_derives_every_figure() -> None:
    text = report.memo(SAMPLE)
    assert text.startswith("<!DOCTYPE html>")
    page = parse(text)
    assert page.headings[0][1].endswith("the figures at 2007-06-30")
    h2 = [t for level, t in page.headings if level == "h2"]
    assert h2 == ["Cap table at 2007-06-30", "Key figures", "Each holder", "Readings and settings"]
    cap = next(t for t in page.tables if t["class"] == "cap")
    rows = cap["rows"]
    assert isinstance(rows, list)
    # A header, one row per holder and the total; the figures are the core's for the date.
    assert [r[0] for r in rows] == ["Holder", *(h.name for h in SAMPLE.holders), "Total"]
    f = figures(SAMPLE)
    assert rows[1][4] == shown(f.accrued[0])          # Palm Fund LP's accrued dividends
    assert rows[-1][1] == "9,100"                      # all the Series M designated (§1)
    derivations = [t for t in page.tables if t["class"] == "derivation"]
    key = report.key_figures(SAMPLE)
    holders = report.holder_figures(SAMPLE)
    explained = key + [figure for _, found in holders for figure in found]
    assert len(derivations) == len(explained)
    for table, figure in zip(derivations, explained, strict=True):
        body = table["rows"][1:]  # type: ignore[index]
        assert len(body) >= 2, figure.title
        assert not figure.explanation.failed, figure.title
        # The last step's value is the figure, as the memo states it (an exact fraction is
        # shown with its decimal, which is the figure).
        assert body[-1][2].endswith(shown(figure.value)), figure.title
        assert all(row[3] for row in body), f"{figure.title}: every step has its section"
    assert "Result: <strong>" + shown(key[-1].value) in text


def test_many_holders_derive_the_first_and_list_all() -> None:
    cap = synthetic(60, SAMPLE.closing_date, SAMPLE.as_of_date, SAMPLE.issuances,
                    SAMPLE.settings)
    page = parse(report.memo(cap))
    cap_rows = next(t for t in page.tables if t["class"] == "cap")["rows"]
    assert len(cap_rows) == 1 + 60 + 1  # type: ignore[arg-type]
    holder_headings = [t for level, t in page.headings if level == "h3"
                       and t in {h.name for h in cap.holders}]
    assert len(holder_headings) == report.HOLDERS_DERIVED


def test_command_writes_one_file_and_refuses_to_overwrite(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    out = tmp_path / "memo.html"
    assert main(["report", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == report.memo(SAMPLE)
    assert main(["report", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path / "x.html"), "--as-of", "2004-01-01"]) == 2
    assert "before the Closing Date" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_explain_command_prints_the_derivation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "WORKDAY", "2021-12-23", "2"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == '=SERIESM_WORKDAY("2021-12-23", 2)  →  2021-12-27'
    assert "Saturday 25 Dec 2021: closed (Saturday; Christmas Day" in printed
    assert printed.rstrip().splitlines()[-1].split() == [
        "Monday", "27", "Dec", "2021:", "open,", "business", "day", "2", "of", "2",
        "2021-12-27", "§5(f)"]
    assert main(["explain", "CONVERT", "100", "2005-01-10", "2006-01-09"]) == 1
    assert "#N/A conversion_date = 2006-01-09" in capsys.readouterr().out
    assert main(["explain", "NOPE"]) == 2
    assert "no such function" in capsys.readouterr().err
