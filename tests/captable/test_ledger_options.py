"""``seriesm captable``'s readings and new events from the CSV: --date-format,
--threshold-after-split, --dividend-allocation, --closures, --limit, redemption notices,
revocations and elections, voting power. Figures worked by hand beside each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xl_seriesm.captable.events import read_events
from xl_seriesm.cli import main
from xl_seriesm.core.ledger import EventKind
from xl_seriesm.workbook.inputs import DateFormat, InputError

HEADER = "date,event,holder,to_holder,series_m_shares,common_shares,amount,ratio\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _ledger(tmp_path: Path, text: str, header: str = HEADER) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(header + text, encoding="utf-8")
    return path


def test_us_dates_read_month_first_and_day_first_on_request(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, "1/10/2005,issue,A,,100,,,\n3/2/2005,outstanding,,,,10,,\n")
    assert [e.date.isoformat() for e in read_events(ledger)] == ["2005-01-10", "2005-03-02"]
    day_first = _ledger(tmp_path, "10/1/2005,issue,A,,100,,,\n3/2/2005,outstanding,,,,10,,\n")
    read = read_events(day_first, date_format=DateFormat.DAY_FIRST)
    assert [e.date.isoformat() for e in read] == ["2005-01-10", "2005-02-03"]


def test_an_impossible_date_names_the_option_that_reads_it(tmp_path: Path) -> None:
    # 30/1/2005 has no month 30: as US it is impossible, day first it is 30 January.
    ledger = _ledger(tmp_path, "30/1/2005,issue,A,,100,,,\n")
    with pytest.raises(InputError, match="line 2, column date: '30/1/2005' is not a date as "
                                         "us dates are read; use --date-format day-first"):
        read_events(ledger)


def test_the_cli_takes_day_first_dates(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path, "10/1/2005,issue,A,,100,,,\n")
    code, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2005-07-10", "--json",
                        "--date-format", "day-first")
    # 100 × $50 × 180/360 = $2,500 (2005-01-10 to 2005-07-10).
    assert code == 0
    assert json.loads(out)["holders"][0]["accrued_dividends"] == 2500


def test_threshold_after_split_from_the_cli(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # 1,000,000 common; a sale of 200,000 for $30,000 ($0.15) after a 2-for-1 split.
    # Literal $0.25: A = 2,000,000, B = 200,000, C = 120,000: 4,000 × 2 × 2,200,000/
    # 2,120,000 = 8,000 × 110/106 = 440,000/53. Scaled ($0.125): not below, 8,000.
    ledger = _ledger(tmp_path, "2005-01-10,issue,A,,100,,,\n2005-01-10,outstanding,,,,1000000,,\n"
                               "2005-05-02,split,,,,,,2:1\n"
                               "2005-06-01,common,,,,200000,30000,\n")
    figures = {}
    for reading in ("literal", "scaled"):
        code, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2005-07-01", "--json",
                            "--threshold-after-split", reading)
        assert code == 0
        figures[reading] = json.loads(out)["conversion_number_exact"]
    assert figures == {"literal": "440000/53", "scaled": "8000"}


def test_dividend_allocation_from_the_cli(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    # A from 2005-01-10, B from 2005-04-10, $1,250 to the class on 2005-07-10: pro rata to
    # unpaid ($2,500 : $1,250) A $833.33, B $416.67; oldest period first A $1,250, B $0.
    ledger = _ledger(tmp_path, "2005-01-10,issue,A,,100,,,\n2005-04-10,issue,B,,100,,,\n"
                               "2005-07-10,dividend,,,,,1250,\n")
    paid = {}
    for reading in ("pro rata to unpaid", "oldest period first"):
        _, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2005-07-10", "--json",
                         "--dividend-allocation", reading)
        paid[reading] = [h["dividends_paid"] for h in json.loads(out)["holders"]]
    assert paid == {"pro rata to unpaid": [833.33, 416.67], "oldest period first": [1250, 0]}


def test_closures_make_a_conversion_date_closed(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path, "2005-01-10,issue,A,,500,,,\n2006-02-01,convert,A,,100,,,\n")
    code, _, err = _run(capsys, "captable", str(ledger), "--as-of", "2006-03-01",
                        "--closures", "2006-02-01")
    assert code == 2
    assert "line 3, column date: Wednesday 1 Feb 2006 is not a business day" in err
    assert "Conversion Date Thursday 2 Feb 2006" in err
    assert "nothing was written" in err


def test_new_events_read_from_the_csv(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    header = "date,event,holder,series_m_shares,effective_date\n"
    ledger = _ledger(tmp_path, "2005-01-10,issue,A,500,\n2005-01-10,issue,B,150,\n"
                               "2006-03-01,redemption_notice,B,150,\n"
                               "2006-03-20,redeem,B,150,\n"
                               "2006-07-10,election,A,,2006-07-15\n", header)
    events = read_events(ledger)
    assert [e.kind for e in events][2:] == [EventKind.REDEMPTION_NOTICE, EventKind.REDEEM,
                                            EventKind.ELECTION]
    code, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2006-07-15", "--json")
    assert code == 0
    (election,) = json.loads(out)["elections"]
    # After B's 150 are redeemed only A's 500 are outstanding, and all of them elect: 100%.
    assert election == {"effective_date": "2006-07-15", "electing_shares": 500,
                        "outstanding_shares": 500, "holders": ["A"],
                        "treated_as_liquidation": True}
    code, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2006-07-15")
    assert "§3(c) election for the transaction effective 2006-07-15: 500 of 500 Series M " \
           "(100.00%) elect: treated as a liquidation" in out


def test_an_election_without_its_effective_date_is_refused(tmp_path: Path) -> None:
    header = "date,event,holder,series_m_shares,effective_date\n"
    ledger = _ledger(tmp_path, "2005-01-10,issue,A,500,\n2006-07-10,election,A,,\n", header)
    with pytest.raises(InputError, match="line 3, column effective_date: empty; an election "
                                         r"event needs it \(§3\(c\)\)"):
        read_events(ledger)


def test_votes_and_voting_power_columns(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # 100 Series M at 4,000: 400,000 votes (§4); 1,000 common held: 401,000 voting power.
    ledger = _ledger(tmp_path, "2005-01-10,issue,A,,100,,,\n2005-01-10,outstanding,,,,5000,,\n"
                               "2005-01-10,holding,A,,,1000,,\n")
    _, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2006-06-30", "--json")
    a = json.loads(out)["holders"][0]
    assert (a["votes"], a["voting_power"]) == (400_000, 401_000)
    _, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2006-06-30", "--wide")
    assert "M votes (§4)" in out
    assert "Voting power" in out
    assert "400,000" in out
    assert "401,000" in out


def test_limit_shows_the_first_rows_and_counts_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path, "".join(f"2005-01-10,issue,H{i},,10,,,\n" for i in range(5)))
    code, out, _ = _run(capsys, "captable", str(ledger), "--as-of", "2005-02-01", "--limit",
                        "2")
    assert code == 0
    assert "H1" in out
    assert "H2" not in out
    assert "3 more rows not shown (--limit 2)" in out
    code, _, err = _run(capsys, "captable", str(ledger), "--as-of", "2005-02-01", "--limit",
                        "-1")
    assert code == 2
    assert "--limit -1: give 0 or more" in err


REVOKED = ("2005-01-10,issue,A,,500,,,\n"
           # Converted Wednesday 2006-02-01; ten business days after: 2006-02-15; revoked
           # the day after the deadline (§5(f)).
           "2006-02-01,convert,A,,100,,,\n2006-02-16,revoke,A,,,,,\n")


def test_a_revocation_is_not_written_as_ocf(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path, REVOKED)
    out = tmp_path / "ocf"
    code, _, err = _run(capsys, "captable", str(ledger), "--as-of", "2006-03-01", "--to-ocf",
                        str(out), "--formation-date", "2004-01-01")
    assert code == 2
    assert "line 4: a revoked conversion (§5(f)) has no OCF transaction" in err
    assert not out.exists()


def test_the_template_refuses_a_revocation(tmp_path: Path) -> None:
    from xl_seriesm.cli.sample import SAMPLE  # noqa: PLC0415
    from xl_seriesm.workbook import from_ledger  # noqa: PLC0415

    with pytest.raises(InputError, match="line 4, column event: the template cannot show a "
                                         "revoked conversion"):
        from_ledger.cap_table(read_events(_ledger(tmp_path, REVOKED)), SAMPLE.as_of_date,
                              None, SAMPLE.settings)
