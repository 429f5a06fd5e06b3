"""Open Cap Table Format in and out: a small package written by hand, validated against the
OCF v1.2.0 JSON schemas; the round trip ledger → OCF → ledger; untrusted packages."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ocf.packages import with_md5s
from xl_seriesm.captable.events import read_events
from xl_seriesm.cli import main
from xl_seriesm.core.ledger import CapTableState, state_at
from xl_seriesm.ocf.issuer import Issuer
from xl_seriesm.ocf.reader import read_package
from xl_seriesm.ocf.schema_check import OcfError, validate
from xl_seriesm.ocf.writer import documents, write_package

SMALL = ROOT / "tests" / "data" / "ocf-small"
EXAMPLE = ROOT / "docs" / "example-ledger.csv"
ISSUER = Issuer(formation_date=date(1996, 4, 1))


def test_the_small_package_validates_against_the_schemas() -> None:
    for path in sorted(SMALL.glob("*.ocf.json")):
        validate(json.loads(path.read_text(encoding="utf-8")), path.name)
    broken = json.loads((SMALL / "Stakeholders.ocf.json").read_text(encoding="utf-8"))
    broken["items"][0]["stakeholder_type"] = "PERSON"
    with pytest.raises(OcfError, match="items/0/stakeholder_type: 'PERSON' is not one of"):
        validate(broken, "Stakeholders.ocf.json")


def test_the_small_package_by_hand() -> None:
    state = state_at(read_package(SMALL).events, date(2006, 6, 30))
    # Found by name: "Series M Convertible Preferred" (not "Series A Preferred").
    # Closing Date: the first Series M issuance, 2005-01-10. Common before it: Alice
    # 1,000,000 and Public 9,000,000 = 10,000,000 outstanding.
    assert state.closing_date == date(2005, 1, 10)
    # §5(e)(i) 2005-07-01: 2,000,000 to Bob at $0.10: A = 10,000,000, B = 2,000,000,
    # C = 200,000 / 0.25 = 800,000: 4,000 × 12,000,000 / 10,800,000 = 40,000/9; the package's
    # conversion-ratio adjustment says the same, and reconciles.
    assert state.conversion_number == Fraction(40_000, 9)
    assert state.reconciled
    assert len(state.reconciliations) == 1
    # Bob converts the 100 bought from Fund on 2006-03-01: 100 × 40,000/9 = 444,444 4/9; the
    # package issued 444,444 whole shares.
    bob = state.holder("Bob Buyer")
    assert bob.common_shares == 2_000_000 + 444_444
    # §2 on conversion: 100 × 1,000 × 5% × 411/360 = 5,708.33 less the 1/5 of the $6,250
    # class dividend (dividends.csv) that went with the shares, $1,250: $4,458.33.
    assert bob.dividends_paid == Decimal("4458.33")
    fund = state.holder("Fund LP")
    # 400 shares × 50 × 530/360 = 29,444.44 less 4/5 × 6,250 = 5,000: 24,444.44.
    assert fund.series_m_shares == 400
    assert fund.accrued_dividends == Decimal("24444.44")
    assert state.common_outstanding == 12_444_444
    assert state.everyone_else == 0


def test_series_m_named_or_refused(tmp_path: Path) -> None:
    with pytest.raises(OcfError, match=r"--series-m 'nope': no such stock class.*'pref-m'"):
        read_package(SMALL, "nope")
    assert read_package(SMALL, "pref-m").events
    with pytest.raises(OcfError, match="no issuance of the Series M class 'pref-a'"):
        read_package(SMALL, "pref-a")


def _same(a: CapTableState, b: CapTableState) -> None:
    assert {h.holder: h for h in a.holders} == {h.holder: h for h in b.holders}
    for key in ("as_of", "closing_date", "conversion_number", "common_outstanding",
                "series_m_outstanding", "everyone_else", "issuances", "fully_diluted_common"):
        assert getattr(a, key) == getattr(b, key), key
    assert [(r.date, r.stated) for r in a.reconciliations if r.what == "common outstanding"] == [
        (r.date, r.stated) for r in b.reconciliations if r.what == "common outstanding"]
    assert b.reconciled


@pytest.mark.parametrize("as_of", [date(2005, 1, 10), date(2006, 6, 30), date(2006, 12, 31)])
@pytest.mark.parametrize("name", ["package", "package.zip"])
def test_round_trip(tmp_path: Path, as_of: date, name: str) -> None:
    state = state_at(read_events(EXAMPLE), as_of)
    out = write_package(state, ISSUER, tmp_path / name, force=False)
    package = read_package(out)
    assert package.issuer == ISSUER
    _same(state, state_at(package.events, as_of))
    # And the written files validate (the writer checks too; this is the test's own check).
    if out.is_dir():
        for path in out.glob("*.ocf.json"):
            validate(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_round_trip_of_the_small_package(tmp_path: Path) -> None:
    state = state_at(read_package(SMALL).events, date(2006, 6, 30))
    again = read_package(write_package(state, ISSUER, tmp_path / "p", force=False))
    _same(state, state_at(again.events, date(2006, 6, 30)))


def test_cli_to_ocf_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.zip"
    assert main(["captable", str(EXAMPLE), "--as-of", "2006-06-30", "--to-ocf", str(out),
                 "--json"]) == 2  # no formation date
    assert "--formation-date" in capsys.readouterr().err
    assert not out.exists()
    assert main(["captable", str(EXAMPLE), "--as-of", "2006-06-30", "--to-ocf", str(out),
                 "--formation-date", "1996-04-01", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["captable", "--ocf", str(out), "--as-of", "2006-06-30", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["conversion_number"] == first["conversion_number"]
    assert sorted(second["holders"], key=str) == sorted(first["holders"], key=str)
    assert main(["captable", str(EXAMPLE), "--as-of", "2006-06-30", "--to-ocf", str(out),
                 "--formation-date", "1996-04-01"]) == 2  # exists, no --force
    assert "exists" in capsys.readouterr().err


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    shutil.copytree(SMALL, folder)
    return folder


def _point_manifest(folder: Path, filepath: str) -> None:
    manifest = json.loads((folder / "Manifest.ocf.json").read_text(encoding="utf-8"))
    manifest["stakeholders_files"][0]["filepath"] = filepath
    (folder / "Manifest.ocf.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("filepath", ["../secret.json", "/etc/passwd", "a/../../b.json",
                                      "C:\\x.json"])
def test_no_path_leads_outside(tmp_path: Path, filepath: str) -> None:
    folder = _copy(tmp_path)
    _point_manifest(folder, filepath)
    with pytest.raises(OcfError, match="outside the package"):
        read_package(folder)


def test_a_link_out_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text((SMALL / "Stakeholders.ocf.json").read_text(encoding="utf-8"))
    os.symlink(outside, folder / "link.json")
    _point_manifest(folder, "link.json")
    with pytest.raises(OcfError, match="leads outside the package"):
        read_package(folder)


def test_zip_bomb_and_bad_json(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Manifest.ocf.json", b" " * 10_000_000)
    with pytest.raises(OcfError, match="compressed more than 200 to 1"):
        read_package(bomb)
    folder = _copy(tmp_path)
    (folder / "Transactions.ocf.json").write_text("{", encoding="utf-8")
    with pytest.raises(OcfError, match=r"Transactions.ocf.json: its md5 is .*, not the "
                                       r"manifest's .*; the file changed after the manifest"):
        read_package(folder)
    with pytest.raises(OcfError, match=r"Transactions.ocf.json: not JSON text"):
        read_package(with_md5s(folder))
    # Two values for one key: json.loads keeps the last, another reader the first; refused.
    good = _copy(tmp_path / "again")
    text = (good / "Transactions.ocf.json").read_text(encoding="utf-8")
    (good / "Transactions.ocf.json").write_text(
        text.replace('"quantity": "', '"quantity": "1", "quantity": "', 1), encoding="utf-8")
    with pytest.raises(OcfError, match=r"Transactions.ocf.json: the key 'quantity' appears "
                                       r"twice in one object"):
        read_package(with_md5s(good))


def test_writer_output_is_valid_without_writing() -> None:
    files = documents(state_at(read_events(EXAMPLE), date(2006, 12, 31)), ISSUER)
    assert set(files) == {"Manifest.ocf.json", "Stakeholders.ocf.json",
                          "StockClasses.ocf.json", "Transactions.ocf.json", "dividends.csv"}
    kinds = {tx["object_type"] for tx in json.loads(files["Transactions.ocf.json"])["items"]}
    assert {"TX_STOCK_ISSUANCE", "TX_STOCK_TRANSFER", "TX_STOCK_CONVERSION",
            "TX_STOCK_REPURCHASE", "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT"} <= kinds


def test_round_trip_with_a_split_and_a_holding(tmp_path: Path) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text(
        "date,event,holder,to_holder,series_m_shares,common_shares,amount,ratio\n"
        "2005-01-10,issue,A,,300,,,\n2005-01-10,outstanding,,,,1000000,,\n"
        "2005-01-10,holding,B,,,200000,,\n2005-03-01,common,B,,,100000,10000,\n"
        "2005-05-01,split,,,,,,3:2\n2005-06-01,holding,B,,,150000,,\n"
        "2005-06-02,transfer,B,C,,50000,,\n", encoding="utf-8")
    state = state_at(read_events(ledger), date(2005, 7, 1))
    # §5(e): A = 1,000,000, B = 100,000, C = 40,000: 4,000 × 1,100,000/1,040,000 = 4,000 ×
    # 55/52; §5(c) 3-for-2: × 3/2 = 330,000/52 = 82,500/13.
    assert state.conversion_number == Fraction(82_500, 13)
    # Common 1,100,000 × 3/2 = 1,650,000; B held 300,000 × 3/2 = 450,000, stated 150,000,
    # then gave C 50,000.
    assert state.common_outstanding == 1_650_000
    assert (state.holder("B").common_shares, state.holder("C").common_shares) == (100_000,
                                                                                    50_000)
    again = read_package(write_package(state, ISSUER, tmp_path / "p.zip", force=False))
    _same(state, state_at(again.events, date(2005, 7, 1)))


def test_a_package_not_where_it_is_looked_for(tmp_path: Path) -> None:
    # A zip of the package's folder (the usual result of zipping a folder) holds
    # pkg/Manifest.ocf.json, not Manifest.ocf.json; the message said the manifest names
    # itself. A path that does not exist said "not a folder or a .zip".
    folder = _copy(tmp_path)
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"pkg/{path.name}")
    with pytest.raises(OcfError, match=r"no manifest at the top of the package "
                                       r"\(pkg/Manifest.ocf.json is in a folder: zip the "
                                       r"package's files, not their folder\)"):
        read_package(nested)
    with pytest.raises(OcfError, match=r"\(pkg/Manifest.ocf.json: give that folder\)"):
        read_package(tmp_path)
    with pytest.raises(OcfError, match=r"nope\.zip: no such file or folder"):
        read_package(tmp_path / "nope.zip")
