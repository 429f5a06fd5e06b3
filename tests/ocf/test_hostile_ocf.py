"""Hostile OCF packages, each built here from the small package: refused with exit status 2
naming the file and the item, never a Python traceback (issue 21, item 4)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.ocf.packages import with_md5s
from xl_seriesm.cli import main

SMALL = ROOT / "tests" / "data" / "ocf-small"
Edit = Callable[[dict[str, Any]], None]


def _package(tmp_path: Path, name: str, edit: Edit) -> Path:
    folder = tmp_path / "pkg"
    shutil.copytree(SMALL, folder)
    path = folder / name
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return with_md5s(folder)


def _refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    status = main(["captable", "--ocf", str(folder), "--as-of", "2006-06-30", "--json"])
    captured = capsys.readouterr()
    assert status == 2, captured.out
    assert "Traceback" not in captured.err
    assert captured.out == ""
    return captured.err


def _set(index: int, key: str, value: object) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        document["items"][index][key] = value
    return edit


@pytest.mark.parametrize(("day", "said"), [
    # No such day: the schema's date format refuses it.
    ("2006-02-30", "at items/2/date: '2006-02-30' is not a 'date'"),
    # No year 0, and a real day before any date the ledger computes with.
    ("0000-01-01", " items[2] (t3): date '0000-01-01' is not a date from 1900-03-01"),
    ("0001-01-01", " items[2] (t3): date '0001-01-01' is not a date from 1900-03-01")])
def test_an_impossible_transaction_date(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        day: str, said: str) -> None:
    folder = _package(tmp_path, "Transactions.ocf.json", _set(2, "date", day))
    err = _refused(folder, capsys)
    assert str(folder / "Transactions.ocf.json") in err
    assert said in err


def test_an_impossible_formation_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["issuer"]["formation_date"] = "0000-01-01"
    folder = _package(tmp_path, "Manifest.ocf.json", edit)
    err = _refused(folder, capsys)
    assert (f"{folder / 'Manifest.ocf.json'}: issuer.formation_date '0000-01-01' is not a "
            "date from 1900-03-01 to 9998-12-31") in err


def test_a_5000_digit_quantity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _package(tmp_path, "Transactions.ocf.json", _set(2, "quantity", "9" * 5000))
    err = _refused(folder, capsys)
    assert "items[2] (t3): quantity has 5,000 digits before the point" in err
    assert "at most 15" in err


def test_a_nul_in_a_manifest_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["stakeholders_files"][0]["filepath"] = "Stake\x00holders.ocf.json"
    folder = _package(tmp_path, "Manifest.ocf.json", edit)
    err = _refused(folder, capsys)
    assert "stakeholders_files[0].filepath holds a control character" in err
    assert str(folder / "Manifest.ocf.json") in err


def test_an_impostor_with_a_holders_id(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    # A second stakeholder with Alice's id, named "Impostor", would take her 1,000,000.
    def edit(document: dict[str, Any]) -> None:
        document["items"].append({"object_type": "STAKEHOLDER", "id": "alice",
                                  "name": {"legal_name": "Impostor"},
                                  "stakeholder_type": "INDIVIDUAL"})
    folder = _package(tmp_path, "Stakeholders.ocf.json", edit)
    err = _refused(folder, capsys)
    stakeholders = folder / "Stakeholders.ocf.json"
    count = len(json.loads(stakeholders.read_text(encoding="utf-8"))["items"])
    assert (f"{stakeholders} items[{count - 1}] (alice): id 'alice' is already the id of "
            f"{stakeholders} items[0] (alice)") in err


def test_two_issuances_of_one_security(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    def edit(document: dict[str, Any]) -> None:
        twin = dict(document["items"][2], id="t3-twin")
        document["items"].append(twin)
    folder = _package(tmp_path, "Transactions.ocf.json", edit)
    err = _refused(folder, capsys)
    assert "(t3-twin): security_id 's3' is already the security_id of" in err
    assert "items[2] (t3)" in err


@pytest.mark.parametrize(("name", "index"), [("Transactions.ocf.json", 1),
                                             ("StockClasses.ocf.json", 0)])
def test_duplicate_ids_of_transactions_and_classes(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   name: str, index: int) -> None:
    def edit(document: dict[str, Any]) -> None:
        document["items"][index]["id"] = document["items"][index + 1]["id"]
    folder = _package(tmp_path, name, edit)
    err = _refused(folder, capsys)
    assert f"{folder / name} items[{index + 1}]" in err
    assert f"is already the id of {folder / name} items[{index}]" in err


def test_a_broken_dividends_csv_is_named_as_the_packages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(SMALL, folder)
    (folder / "dividends.csv").write_text("date,event,amount\n2006-02-30,dividend,5\n",
                                          encoding="utf-8")
    err = _refused(folder, capsys)
    assert str(folder / "dividends.csv") in err
    assert "/tmp" not in err.replace(str(tmp_path), "")


def test_a_stakeholder_name_with_an_invisible_character(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "Alice Founder" and "Alice\u200b Founder" would look the same and be two holders.
    def edit(document: dict[str, Any]) -> None:
        document["items"][0]["name"]["legal_name"] = "Alice\u200b Founder"
    folder = _package(tmp_path, "Stakeholders.ocf.json", edit)
    err = _refused(folder, capsys)
    assert f"{folder / 'Stakeholders.ocf.json'} items[0] (alice) name.legal_name:" in err
    assert "U+200B" in err
