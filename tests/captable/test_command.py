"""``seriesm captable`` and the ledger CSV format: JSON numbers, refusals with file, line and
column, untrusted files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from xl_seriesm.captable.events import MAX_BYTES, read_events
from xl_seriesm.captable.report import to_dataframe
from xl_seriesm.cli import main
from xl_seriesm.core.ledger import state_at
from xl_seriesm.workbook.inputs import InputError

EXAMPLE = ROOT / "docs" / "example-ledger.csv"
HEADER = "date,event,holder,to_holder,series_m_shares,common_shares,amount\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_keys_and_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "captable", str(EXAMPLE), "--as-of", "2006-06-30", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2006-06-30"
    # 4,000 × 105/103 (tests/core/test_ledger.py has the derivation).
    assert data["conversion_number"] == pytest.approx(4000 * 105 / 103, rel=1e-15)
    assert data["conversion_number_exact"] == "420000/103"
    assert data["common_outstanding"] == 110_077_669
    assert data["series_m_outstanding"] == 8100
    palm = data["holders"][0]
    assert palm == {**palm, "holder": "Palm Fund LP", "series_m_shares": 3500,
                    "common_shares": 1_200_000, "accrued_dividends": 213888.89,
                    "dividends_paid": 43750}
    assert data["holders"][-1]["holder"] == "Everyone else (not listed)"
    assert [p["date"] for p in data["pending"]] == ["2006-08-01", "2006-09-15"]


def test_table_marks_events_not_applied(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "captable", str(EXAMPLE), "--as-of", "2006-06-30")
    assert code == 0
    for text in ("Palm Fund LP", "213,888.89", "4,077.669903"):
        assert text in out
    assert "not applied (after 2006-06-30): 2006-08-01 common" in out


def test_a_checkpoint_that_fails_exits_1(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER + "2005-01-10,issue,A,,100,,\n2005-01-10,outstanding,,,,1000,\n"
                      "2005-03-01,outstanding,,,,1001,\n", encoding="utf-8")
    code, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2005-06-30")
    assert code == 1
    assert "FAIL common outstanding on 2005-03-01: stated 1,001, ledger 1,000" in out
    # The first statement sets the baseline (everyone else holds the rest); the second is the
    # one reconciliation, and it fails: the templates' wording for the overall status.
    assert "1 of 1 checks FAIL" in out


@pytest.mark.parametrize(("row", "message"), [
    ("2006-01-09,convert,A,,100,,", "line 3, column date: "),
    ("2005-01-10,issue,B,,9001,,", "line 3, column series_m_shares: "),
    ("2005-13-01,issue,B,,1,,", "line 3, column date: '2005-13-01' is not a date"),
    ("2005-02-01,gift,B,,1,,", "line 3, column event: 'gift' is not an event"),
    ("2005-02-01,transfer,A,,1,,", "line 3, column to_holder: empty"),
    ("2005-02-01,issue,B,,-1,,", "line 3, column series_m_shares: '-1' is not"),
    ("2005-04-10,dividend,A,,,,5000.001", "line 3, column amount: '5000.001' is not"),
])
def test_bad_rows_are_refused_and_nothing_is_written(tmp_path: Path, row: str, message: str,
                                                     capsys: pytest.CaptureFixture[str],
                                                     ) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER + "2005-01-10,issue,A,,1000,,\n" + row + "\n", encoding="utf-8")
    out = tmp_path / "ocf"
    code, _, err = _run(capsys, "captable", str(ledger), "--as-of", "2007-01-01",
                        "--to-ocf", str(out))
    assert code == 2
    assert f"{ledger} {message}" in err
    assert "nothing was written" in err
    assert not out.exists()


def test_unknown_column_and_oversized_file(tmp_path: Path) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text("date,event,holdr\n2005-01-10,issue,A\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown column 'holdr'"):
        read_events(ledger)
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="more than the"):
        read_events(big)


def test_dataframe(tmp_path: Path) -> None:
    from datetime import date  # noqa: PLC0415

    frame = to_dataframe(state_at(read_events(EXAMPLE), date(2006, 6, 30)))
    assert frame.loc["Palm Fund LP", "accrued_dividends"] == 213888.89
    assert frame["fully_diluted_share"].sum() == pytest.approx(1)


def test_the_table_after_splits_past_a_double(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # 25 splits of 999,999,999,999,999 for 1 (§5(d)): the conversion number is 4,000 ×
    # (10^15 − 1)^25 = 4,000 × 10^375 × (1 − 25 × 10^-15 + …) = 3,999,999,999,999,900,0…
    # × 10^363, past a double's 1.8 × 10^308; the table printed it through a float and
    # stopped with a traceback. Now exact.
    rows = ["date,event,holder,series_m_shares,common_shares,ratio",
            "2005-01-10,issue,A,100,,", "2005-01-10,outstanding,,,1000,"]
    rows += [f"2006-01-{day:02d},split,,,,999999999999999:1" for day in range(1, 26)]
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["captable", str(ledger), "--as-of", "2006-06-30"]) == 0
    out = capsys.readouterr().out
    assert "Conversion number 3,999,999,999,999,900,000," in " ".join(out.split())


@pytest.mark.parametrize(("argv", "said"), [
    (["--formation-date", "2001-01-01"], "--formation-date goes with --to-ocf OUT"),
    (["--force"], "--force goes with --to-ocf OUT"),
    (["--to-ocf", "{tmp}/p.zip", "--formation-date", "9998-12-31"],
     "--formation-date 9998-12-31: after the ledger's first event (2005-01-10)")])
def test_options_that_would_be_ignored_are_refused(tmp_path: Path, argv: list[str], said: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # Said and silently ignored (or an issuer formed after its first issue) was worse than
    # refused.
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["captable", str(ROOT / "docs" / "example-ledger.csv"), "--as-of",
                 "2006-06-30", "--json", *args]) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "p.zip").exists()
    assert main(["template", "--out", str(tmp_path / "books"), "--threshold-after-split",
                 "scaled"]) == 2
    assert "it goes with --events FILE" in capsys.readouterr().err
