"""Issue 22, item 3: a long §5(e) history never crashes and stays cheap.

Exactly, each adjustment multiplies the conversion number by (A + B) / (A + C) and the
fraction grows by about the length of A every time: after a few hundred issuances below
$0.25 it had thousands of digits and every output of the ledger died printing it. The
number is carried exactly while its denominator is at most 10^100 and rounded half up to 100
decimal places past that (README, "Readings of the text").
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from xl_seriesm.cli import main
from xl_seriesm.core import conversion
from xl_seriesm.core.conversion import carried, dilute, split_adjust
from xl_seriesm.core.errors import SeriesMError

HEADER = ("date,event,holder,to_holder,series_m_shares,common_shares,amount,exempt,"
          "market_price,ratio,note")


def test_carried_by_hand() -> None:
    # 120,000/29 = 4,137.931034...: exact while 29 ≤ 10^100; to one place it is 4,137.9
    # (29 > 10^1), to two 29 ≤ 100 keeps it exact.
    assert carried(Fraction(120000, 29)) == Fraction(120000, 29)
    assert carried(Fraction(120000, 29), 1) == Fraction(41379, 10)
    assert carried(Fraction(120000, 29), 2) == Fraction(120000, 29)
    # Half up: 1/200 = 0.005 to two places (200 > 10^2) is 0.01; 100/300 is 1/3,
    # exact; 1/300 = 0.00333... is 0.00; 1/8 stays exact (8 ≤ 10^2).
    assert carried(Fraction(1, 200), 2) == Fraction(1, 100)
    assert carried(Fraction(100, 300), 2) == Fraction(1, 3)
    assert carried(Fraction(1, 300), 2) == 0
    assert carried(Fraction(1, 8), 2) == Fraction(1, 8)
    # 7/30 = 0.2333... (30 > 10^1) to 1 place is 0.2, in lowest terms 1/5.
    assert carried(Fraction(7, 30), 1) == Fraction(1, 5)
    with pytest.raises(SeriesMError, match="decimals = 0: must be a whole number from 1"):
        carried(Fraction(1, 3), 0)


def test_dilute_and_split_carry_the_number() -> None:
    # §5(e)(i): A = 1,000,000, B = 200,000 for $40,000: factor 30/29; 4,000 × 30/29 =
    # 120,000/29, exact at the default; carried to 1 place, 4,137.9.
    assert dilute(Fraction(4000), Fraction(10**6), Fraction(2 * 10**5), Fraction(40000)) \
        == Fraction(120000, 29)
    assert dilute(Fraction(4000), Fraction(10**6), Fraction(2 * 10**5), Fraction(40000),
                  decimals=1) == Fraction(41379, 10)
    # §5(c): 120,000/29 split 1-for-3 is 40,000/29 = 1,379.31...; to one place 1,379.3.
    assert split_adjust(Fraction(120000, 29), 1, 3, decimals=1) == Fraction(13793, 10)


def _ledger(path: Path, count: int) -> Path:
    """Two holders and ``count`` sales of common at about $0.13 a share (§5(e)(i))."""
    rows = [HEADER, "2005-01-10,issue,Palm Fund LP,,3500,,,,,,",
            "2005-01-10,issue,Forum Partners,,2500,,,,,,",
            "2005-01-10,outstanding,,,,100000000,,,,,"]
    start = date(2005, 1, 11)
    for i in range(count):
        shares = 1000 + 7 * i
        rows.append(f"{(start + timedelta(days=i // 10)).isoformat()},common,,,,{shares},"
                    f"{shares * 0.13 + (i % 7) / 100:.2f},FALSE,,,")
    path.write_text("\n".join(rows) + "\n")
    return path


def _exact_number(count: int) -> Fraction:
    """The same history with unbounded fractions (what the ledger used to carry)."""
    running = Fraction(4000)
    outstanding = Fraction(100_000_000)
    for i in range(count):
        shares = 1000 + 7 * i
        paid = Fraction(f"{shares * 0.13 + (i % 7) / 100:.2f}")
        factor = (outstanding + shares) / (outstanding + paid * 4)  # C = K ÷ $0.25
        running *= factor
        outstanding += shares
    return running


def test_a_thousand_issuances_through_captable_json_and_ocf(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path / "ledger.csv", 1000)
    assert main(["captable", str(ledger), "--as-of", "2008-01-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    exact = _exact_number(1000)
    assert exact.denominator > 10**4300  # more digits than Python prints: the old crash
    shown = Fraction(data["conversion_number_exact"])
    assert shown.denominator <= 10**conversion.CONVERSION_DECIMALS
    # Each of the 1,000 roundings is within half of 10^-100, each factor below 1.02: the
    # carried number is within 10^-90 of the exact one.
    assert abs(shown - exact) < Fraction(1, 10**90)
    assert data["conversion_number"] == float(shown)
    # The common outstanding: 100,000,000 + Σ (1,000 + 7i) for i < 1,000 = 104,496,500.
    assert data["common_outstanding"] == 104_496_500

    package = tmp_path / "out.zip"
    assert main(["captable", str(ledger), "--as-of", "2008-01-01", "--to-ocf", str(package),
                 "--formation-date", "1996-04-01"]) == 0
    capsys.readouterr()
    assert main(["captable", "--ocf", str(package), "--as-of", "2008-01-01", "--json"]) == 0
    back = json.loads(capsys.readouterr().out)
    assert back["conversion_number"] == data["conversion_number"]
    assert back["common_outstanding"] == data["common_outstanding"]


def test_the_setting_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import ROOT  # noqa: PLC0415

    example = str(ROOT / "docs" / "example-ledger.csv")
    # 4,000 × 105/103 = 4,077.6699...: exact at the default (103 ≤ 10^100); carried to one
    # decimal place (103 > 10^1), 4,077.7.
    assert main(["captable", example, "--as-of", "2006-06-30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["conversion_number_exact"] == "420000/103"
    # The 1,000 shares M. Rivera converts then give 4,077,700 common, not 4,077,669, and the
    # transfer agent's 110,077,669 on 2006-06-30 no longer reconciles: exit status 1.
    assert main(["captable", example, "--as-of", "2006-06-30", "--json",
                 "--conversion-decimals", "1"]) == 1
    assert json.loads(capsys.readouterr().out)["conversion_number_exact"] == "40777/10"
    with pytest.raises(SystemExit) as stopped:
        main(["captable", example, "--conversion-decimals", "0"])
    assert stopped.value.code == 2
    assert "--conversion-decimals: '0': a whole number from 1 to 1,000" in (
        capsys.readouterr().err)
