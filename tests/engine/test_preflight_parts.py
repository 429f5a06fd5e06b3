"""The preflight reads every member that is XML by content or content type, and holds the
whole package to the compression limit as well as each member (issue 21, item 7)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_seriesm.cli import main
from xl_seriesm.regress.safety import Limits, RefusedError, preflight

XXE = '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _plain(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Sheet"
    book.active["A1"] = "=1+1"
    book.save(path)
    return path


def _rewrite(source: Path, target: Path, renames: dict[str, str],
             edit: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w",
                                                             zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            for old, new in renames.items():
                data = data.replace(old.encode(), new.encode())
            name = renames.get(info.filename, info.filename)
            out.writestr(name, edit.get(name, data))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def _sheet_with_doctype(source: Path) -> bytes:
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    if sheet.startswith("<?xml"):
        head, body = sheet.split("?>", 1)
        return (head + "?>" + XXE + body).encode()
    return (XXE + sheet).encode()


def test_a_sheet_part_not_named_xml_is_still_read(tmp_path: Path) -> None:
    plain = _plain(tmp_path / "plain.xlsx")
    hostile = _rewrite(plain, tmp_path / "hostile.xlsx",
                       {"worksheets/sheet1.xml": "worksheets/sheet1.dat",
                        "xl/worksheets/sheet1.xml": "xl/worksheets/sheet1.dat"},
                       {"xl/worksheets/sheet1.dat": _sheet_with_doctype(plain)})
    with pytest.raises(RefusedError, match=r"xl/worksheets/sheet1\.dat declares a document"):
        preflight(hostile, Limits())


def test_an_xml_member_by_content_alone_is_read(tmp_path: Path) -> None:
    plain = _plain(tmp_path / "plain.xlsx")
    hostile = _rewrite(plain, tmp_path / "hostile.xlsx", {}, {},
                       {"customXml/item1.bin": ('<?xml version="1.0"?>' + XXE + "<a>&x;</a>"
                                                ).encode("utf-16")})
    with pytest.raises(RefusedError, match=r"customXml/item1\.bin declares a document"):
        preflight(hostile, Limits())
    binary = _rewrite(plain, tmp_path / "binary.xlsx", {}, {},
                      {"xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256))})
    preflight(binary, Limits())  # not XML: left alone


def test_many_small_members_are_held_to_the_ratio_together(tmp_path: Path) -> None:
    # The audit's file: members of 1 MiB of zeros, each about 1,000 to 1 packed (190 of them
    # cost 1.28 GB); a member past 64 KB is now held to the limit by itself.
    plain = _plain(tmp_path / "plain.xlsx")
    bomb = _rewrite(plain, tmp_path / "bomb.xlsx", {}, {},
                    {f"xl/media/zeros{i}.bin": bytes(1 << 20) for i in range(4)})
    with pytest.raises(RefusedError, match=r"zeros0\.bin unpacks 1,0\d\d times its packed"):
        preflight(bomb, Limits())
    # Under 64 KB each, the same zeros are caught by the whole file's ratio.
    small = _rewrite(plain, tmp_path / "small.xlsx", {}, {},
                     {f"xl/media/z{i}.bin": bytes(60_000) for i in range(40)})
    with pytest.raises(RefusedError, match=r"members unpack .* times their packed size"):
        preflight(small, Limits())
    preflight(plain, Limits())


def test_the_for_calc_copy_is_compressed(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    for row in range(1, 3001):
        sheet[f"A{row}"] = row
        sheet[f"B{row}"] = f'=SERIESM_REDEEMDATE(DATE(2005,1,{row % 28 + 1}))'
    source = tmp_path / "addin.xlsx"
    book.save(source)
    assert main(["extension", "--for-calc", str(source)]) == 0
    copy = tmp_path / "addin-for-calc.xlsx"
    with zipfile.ZipFile(copy) as archive:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
        assert b"ORG.XLSERIESM.SERIESMADDIN.SERIESM_REDEEMDATE(" in archive.read(
            "xl/worksheets/sheet1.xml")
    assert copy.stat().st_size < 2 * source.stat().st_size
    capsys.readouterr()


def test_a_doctype_free_package_of_xml_by_content_type_passes(tmp_path: Path) -> None:
    plain = _plain(tmp_path / "plain.xlsx")
    renamed = _rewrite(plain, tmp_path / "renamed.xlsx",
                       {"worksheets/sheet1.xml": "worksheets/sheet1.dat",
                        "xl/worksheets/sheet1.xml": "xl/worksheets/sheet1.dat"}, {})
    preflight(renamed, Limits())
    with zipfile.ZipFile(renamed) as archive:
        assert "xl/worksheets/sheet1.dat" in archive.namelist()
