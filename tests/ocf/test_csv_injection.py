"""No live formula in a CSV the product writes (issue 21, item 5; OWASP's CSV injection)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.captable.csvtext import for_spreadsheet, from_spreadsheet
from xl_seriesm.captable.events import read_events
from xl_seriesm.core.ledger import state_at
from xl_seriesm.ocf.issuer import Issuer
from xl_seriesm.ocf.reader import read_package
from xl_seriesm.ocf.writer import documents, write_package

HOSTILE = "=cmd|' /C calc'!A0"


def test_formula_looking_fields_get_an_apostrophe() -> None:
    # OWASP: a field starting with = + - @ tab or carriage return is a formula to Excel.
    for text in (HOSTILE, "+1+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1"):
        assert for_spreadsheet(text) == "'" + text
    for text in ("Palm Fund LP", "-5", "+1.5", "-0.25", "1e5", "2006-06-30", "", "'plain",
                 "a=b"):
        assert for_spreadsheet(text) == text


@given(st.text())
def test_every_text_survives_and_none_starts_a_formula(text: str) -> None:
    written = for_spreadsheet(text)
    assert from_spreadsheet(written) == text
    if written[:1] in ("=", "+", "-", "@", "\t", "\r"):
        float(written)  # only a number may start so


def _ledger(path: Path) -> Path:
    path.write_text(
        "date,event,holder,to_holder,series_m_shares,common_shares,amount\n"
        f'2005-01-10,issue,"{HOSTILE.replace(chr(34), chr(34) * 2)}",,100,,\n'
        "2005-01-10,issue,@Holder,,100,,\n"
        "2005-01-10,outstanding,,,,1000000,\n"
        # §2: 100 shares × $1,000 × 5% × 90/360 = $1,250 accrued by 2005-04-10; $1,000 paid.
        f'2005-04-10,dividend,"{HOSTILE}",,,,1000\n'
        "2005-04-10,dividend,@Holder,,,,1000\n", encoding="utf-8")
    return path


def test_dividends_csv_holds_no_live_formula_and_reads_back(tmp_path: Path) -> None:
    state = state_at(read_events(_ledger(tmp_path / "l.csv")), date(2005, 6, 30))
    files = documents(state, Issuer(formation_date=date(1996, 4, 1)))
    rows = list(csv.reader(io.StringIO(files["dividends.csv"].decode())))
    holders = [row[2] for row in rows[1:]]
    assert holders == ["'" + HOSTILE, "'@Holder"]
    for row in rows:
        for field in row:
            assert not field.startswith(("=", "+", "@", "\t", "\r")), field
    package = write_package(state, Issuer(formation_date=date(1996, 4, 1)), tmp_path / "p",
                            force=False)
    again = state_at(read_package(package).events, date(2005, 6, 30))
    assert {h.holder: h.dividends_paid for h in again.holders} == {
        h.holder: h.dividends_paid for h in state.holders}
    assert again.holder(HOSTILE).dividends_paid == 1000
