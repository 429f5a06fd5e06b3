"""Holder names compared after Unicode NFKC, with control and invisible characters refused
(issue 21, item 7): names that look the same are one holder or an error, never two."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from xl_seriesm.captable.events import read_events
from xl_seriesm.core.ledger import state_at
from xl_seriesm.workbook.inputs import InputError, read_holders

HEADER = "date,event,holder,to_holder,series_m_shares,common_shares\n"


@pytest.mark.parametrize(("name", "code"), [("Alice\u200b", "U+200B"),   # zero-width space
                                            ("\u202eecilA", "U+202E"),   # right-to-left override
                                            ("Ali\u200dce", "U+200D"),   # zero-width joiner
                                            ("Alice\u2066", "U+2066"),   # left-to-right isolate
                                            ("Alice\x7f", "U+007F")])    # DEL, a control
def test_invisible_characters_in_a_ledger_name_are_refused(tmp_path: Path, name: str,
                                                           code: str) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER + "2005-01-10,issue,Alice,,100,\n"
                      f"2005-01-10,issue,{name},,100,\n", encoding="utf-8")
    with pytest.raises(InputError,
                       match=rf"l\.csv line 3, column holder: .*\({re.escape(code)}, "):
        read_events(ledger)


def test_compatibility_forms_are_one_holder(tmp_path: Path) -> None:
    # "Ａlice" (full-width A) is "Alice" after NFKC: 100 + 50 = 150 Series M, one holder.
    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER + "2005-01-10,issue,Alice,,100,\n"
                      "2005-01-10,issue,\uff21lice,,50,\n", encoding="utf-8")
    state = state_at(read_events(ledger), date(2005, 6, 30))
    assert [(h.holder, h.series_m_shares) for h in state.holders] == [("Alice", 150)]


def test_the_holders_csv_refuses_and_merges_the_same_way(tmp_path: Path) -> None:
    holders = tmp_path / "h.csv"
    holders.write_text("holder,series_m_shares,common_shares,dividends_paid\n"
                       "Alice,100,0,0\nAlice\u200b,100,0,0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"h\.csv line 3, column holder: .*\(U\+200B, "):
        read_holders(holders, date(2005, 1, 10), date(2005, 6, 30))
    holders.write_text("holder,series_m_shares,common_shares,dividends_paid\n"
                       "Alice,100,0,0\n\uff21lice,100,0,0\n", encoding="utf-8")
    with pytest.raises(InputError, match="is also the holder on line 2"):
        read_holders(holders, date(2005, 1, 10), date(2005, 6, 30))
