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


def test_the_memo_within_a_capital_stack() -> None:
    # The spec's stack: Series L 1,000,000 shares at $1.00 (non-participating, 1:1, senior
    # to nothing but the common) and 10,000,000 options at $0.10; 9,100 Series M held a
    # year (2005-01-10 to 2006-01-10: four full periods of $12.50 a share, §2, so
    # $455,000 accrued) and 100,000,000 common.
    from datetime import date  # noqa: PLC0415
    from fractions import Fraction  # noqa: PLC0415

    from xl_seriesm.core.stack_table import parse_stack  # noqa: PLC0415
    from xl_seriesm.excel.spec.stack import EXAMPLE_STACK  # noqa: PLC0415
    from xl_seriesm.workbook.inputs import CapTable, Holder  # noqa: PLC0415

    cap = CapTable(date(2005, 1, 10), date(2006, 1, 10),
                   (Holder("Fund", Fraction(9100), Fraction(100_000_000), Fraction(0)),), (),
                   stack=parse_stack(EXAMPLE_STACK))
    page = parse(report.memo(cap))
    h2 = [t for level, t in page.headings if level == "h2"]
    assert h2 == ["Cap table at 2006-01-10", "Capital stack", "Key figures", "Each holder",
                  "Readings and settings"]
    stack_rows = next(t for t in page.tables if t["class"] == "stack")["rows"]
    assert [r[:3] for r in stack_rows[1:]] == [  # type: ignore[index]
        ["Series L", "preferred", "1,000,000"], ["Options", "option", "10,000,000"]]
    key = {figure.title: figure.value for figure in report.key_figures(cap)}
    # The Series M converts above (L − dividends) ÷ (shares × N) = 9,100,000 ÷ 36,400,000 =
    # $0.25 a common share. There: the Series M 9,555,000 (its preference), the Series L
    # 1,000,000 (converting only above $1), the options 10,000,000 × (0.25 − 0.10) =
    # 1,500,000 and the common 100,000,000 × 0.25 = 25,000,000: 37,055,000.
    assert key["Conversion breakpoint of the §3 waterfall within the capital stack"] == (
        37_055_000)
    # The exit: 0.75 × 37,055,000 on a round figure, 25,000,000. The preferences first,
    # 9,555,000 + 1,000,000 (§3(a), then the Series L); the 14,445,000 left goes to the
    # common and the options, exercised (p above $0.10): 110,000,000 p − 1,000,000 =
    # 14,445,000, p = 0.1404090909…; the options 10,000,000 × 0.0404090909… = 404,090.9090…
    # and, the classes but the common rounded together (10,959,090.9090… to …090.91, the
    # last cent to the options' largest remainder), 404,090.91; the common the rest.
    at = "payout at an exit of $25,000,000 (§3)"
    assert key[f"Series M's {at}"] == 9_555_000
    assert key[f"Series L's {at}"] == 1_000_000
    assert key[f"Options's {at}"] == 404_090.91
    assert key[f"Common's {at}"] == 14_040_909.09
    opm = next(f for f in report.key_figures(cap) if f.anchor == "opm")
    assert not opm.explanation.failed
    # Every class's value adds up to the equity value, so the Series M's is below it; above
    # the $1,000 Stated Value a share: its preference at the exit, three years on, is
    # $1,200 a share (§2, dividends accruing), and it may convert.
    assert 1_000 < float(opm.value) < 25_000_000 / 9_100  # type: ignore[arg-type]


def test_report_with_a_stack_file(tmp_path: Path) -> None:
    from tests.conftest import ROOT  # noqa: PLC0415

    out = tmp_path / "memo.html"
    assert main(["report", "--out", str(out), "--stack",
                 str(ROOT / "docs" / "example-stack.csv")]) == 0
    page = parse(out.read_text(encoding="utf-8"))
    assert ("h2", "Capital stack") in page.headings
    titles = [t for level, t in page.headings if level == "h3"]
    assert any(t.startswith("Common's payout at an exit of $") for t in titles)


def test_explain_takes_negative_values_as_values(capsys: pytest.CaptureFixture[str]) -> None:
    # -1e1 and -0.5% were taken for unknown options. Ten banking days back from Thursday
    # 23 December 2021: the 22nd, 21st, 20th, 17th, 16th, 15th, 14th, 13th, 10th and 9th
    # (no holiday among them, §5(f)).
    assert main(["explain", "WORKDAY", "2021-12-23", "-1e1"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        '=SERIESM_WORKDAY("2021-12-23", -10)  →  2021-12-09')
    assert main(["explain", "OPM", "15000000", "60%", "3", "-0.5%", "9100", "36400000",
                 "100000"]) == 0
    assert capsys.readouterr().out.startswith(
        "=SERIESM_OPM(15000000, 0.6, 3, -0.005, 9100, 36400000, 100000)")
