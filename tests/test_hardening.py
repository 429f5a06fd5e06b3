"""What an adversarial review found, kept fixed: odd names, skipped arguments, formula-looking
text, unwritable places, loose options."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm.engine import recalc
from xl_seriesm.workbook.inputs import InputError, NumberFormat, read_holders
from xl_seriesm.xlsx.files import write_all

HEADER = "holder,series_m_shares,common_shares,dividends_paid\n"


def _seriesm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xl_seriesm.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300, check=False)


def _book(path: Path, formulas: dict[str, str], title: str = "Sheet") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for ref, formula in formulas.items():
        sheet[ref] = formula
    book.save(path)
    return path


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["a[b.xlsx", "a]b.xlsx", "plain.xlsx"])
def test_file_names_with_brackets_compute(tmp_path: Path, name: str) -> None:
    require_libreoffice()
    path = _book(tmp_path / name, {"A1": "=9100", "A2": "=A1*2"})
    assert recalc.calculate(path)[("Sheet", "A2")] == 18200


@pytest.mark.libreoffice
def test_a_sheet_name_with_an_apostrophe_computes(tmp_path: Path) -> None:
    require_libreoffice()
    path = _book(tmp_path / "apostrophe.xlsx", {"A1": "=1", "A2": "=A1+1"}, title="Bob's Sheet")
    assert recalc.calculate(path)[("Bob's Sheet", "A2")] == 2


@pytest.mark.parametrize(("formula", "expected"), [
    # §5(f): ten business days from 10 Jan 2005 (serial 38362) is 25 Jan (38377), 17 Jan
    # (Martin Luther King Day) closed; the left-out business_days takes its default, 10.
    ("=SERIESM_DEADLINE(38362,)", 38377.0),
    # 9,100 shares beside 10,000,000 common, no dividends: breakpoint 9,100,000 × 46.4/36.4
    # = 11,600,000; at 10,000,000 the Series M takes its 9,100,000 preference and the common
    # the 900,000 rest. Left-out arguments take their defaults (4,000, TRUE, TRUE).
    ('=SERIESM_WATERFALL(10000000,9100,10000000,0,,,,"Common total")', 900000.0),
    ("=SERIESM_PAROK(4000,)", 1.0),  # TRUE: Calc keeps booleans as 1/0
    ("=ROUND(1.5,)", 2.0),  # Excel's own functions still see 0
])
@pytest.mark.libreoffice
def test_left_out_arguments_take_their_defaults(tmp_path: Path, formula: str,
                                                expected: object) -> None:
    require_libreoffice()
    path = _book(tmp_path / "skipped.xlsx", {"A1": formula})
    assert recalc.calculate(path)[("Sheet", "A1")] == expected


def test_a_holder_named_like_a_formula_stays_text(tmp_path: Path) -> None:
    (tmp_path / "holders.csv").write_text(HEADER + "=1+1,9100,1000,0\nPublic,0,5000000,0\n")
    done = _seriesm("template", "--holders-csv", "holders.csv",
                    "--market-price", "0.18", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("seriesm-captable.xlsx", "seriesm-captable-native.xlsx"):
        cell = openpyxl.load_workbook(tmp_path / "out" / name)["Holders"]["A4"]
        assert (cell.value, cell.data_type) == ("=1+1", "s")


@pytest.mark.parametrize(("text", "message"), [
    (HEADER + "A,\"2,5\",1,0\n", "column series_m_shares: '2,5' is not a number"),
    (HEADER + "A,100,\"1.000,50\",0\n", "column common_shares: '1.000,50' is not a number"),
    ("holder,holder,series_m_shares,common_shares,dividends_paid\nA,B,1,1,0\n",
     "line 1: column holder appears twice"),
    (HEADER + "A,100,1,1e300\n", "column dividends_paid: '1e300' is not an amount"),
    (HEADER + "A\x01B,100,1,0\n", "column holder: 'A\\x01B' has control characters"),
    (HEADER + "A,100,1,0.005\n", "column dividends_paid: 0.005 is not a whole number of cents"),
])
def test_csv_values_are_read_strictly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "holders.csv"
    path.write_text(text)
    with pytest.raises(InputError) as caught:  # numbers read the US way, as said
        read_holders(path, date(2005, 1, 10), date(2007, 6, 30),
                     number_format=NumberFormat.US)
    assert message in str(caught.value)


def test_european_numbers_are_read_when_the_file_shows_them(tmp_path: Path) -> None:
    # Without --number-format the same two files show European numbers only (a comma
    # before one or two decimals): 2,5 Series M shares and 1.000,50 common, read as such.
    path = tmp_path / "holders.csv"
    path.write_text(HEADER + "A,\"2,5\",\"1.000,50\",0\n")
    (holder,) = read_holders(path, date(2005, 1, 10), date(2007, 6, 30))
    assert (holder.series_m_shares, holder.common_shares) == (Fraction(5, 2),
                                                              Fraction(2001, 2))


def test_a_bad_byte_is_reported_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "holders.csv"
    path.write_bytes((HEADER + "A,100,1,0\n" * 50).encode() + "Zoë,1,1,0\n".encode("latin-1"))
    with pytest.raises(InputError, match="line 52: not UTF-8 text"):
        read_holders(path, date(2005, 1, 10), date(2007, 6, 30))


def test_writing_refuses_folders_and_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        write_all([(tmp_path / "folder", b"x")], force=True)
    (tmp_path / "a.txt").write_bytes(b"old")
    with pytest.raises(IsADirectoryError):
        write_all([(tmp_path / "a.txt", b"new"), (tmp_path / "folder", b"x")], force=True)
    assert (tmp_path / "a.txt").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "folder"]


@pytest.mark.parametrize("args", [
    ("template", "--out", "/proc/seriesm"),
    ("lite", "--out", "/proc/seriesm"),
    ("addin", "--out", "/proc/seriesm"),
    ("docs", "--out", "/proc/seriesm"),
    ("golden", "--out", "/proc/seriesm"),
])
def test_unwritable_places_are_a_clear_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = _seriesm(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nothing was written" in done.stderr


@pytest.mark.parametrize("option", [("--timeout", "nan"), ("--timeout", "0"),
                                    ("--max-unpacked-mb", "inf"), ("--atol", "nan"),
                                    ("--max-members", "0")])
def test_options_are_checked(tmp_path: Path, option: tuple[str, str]) -> None:
    done = _seriesm("regress", str(ROOT / "workbooks" / "golden"), *option, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert option[0] in done.stderr


def test_junit_into_a_folder_is_refused_before_checking(tmp_path: Path) -> None:
    done = _seriesm("regress", str(ROOT / "workbooks" / "golden"), "--junit", str(tmp_path),
                    cwd=tmp_path)
    assert done.returncode == 2
    assert "give a file in an existing folder" in done.stderr


def test_addin_and_lite_refuse_broken_settings(tmp_path: Path) -> None:
    done = _seriesm("addin", "--out", ".", "--interpreter", 'C:\\Py\n"thon', cwd=tmp_path)
    assert done.returncode == 2
    assert not (tmp_path / "xlwings.conf").exists()
    done = _seriesm("lite", "--out", ".", "--wheel", "https://x/a.whl\nevil", cwd=tmp_path)
    assert done.returncode == 2
    assert not (tmp_path / "requirements.txt").exists()


def test_a_pipe_or_a_device_is_never_replaced(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # `--out` naming a pipe (or /dev/full): --force put a regular file in its place, and a
    # two-file write read the pipe's "old content" to restore it, waiting forever.
    from xl_seriesm.cli import main  # noqa: PLC0415

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(FileExistsError, match="is not a regular file"):
        write_all([(pipe, b"x"), (tmp_path / "other", b"y")], force=True)
    assert main(["report", "--out", str(pipe), "--force"]) == 2
    assert "is not a regular file" in capsys.readouterr().err
    assert pipe.is_fifo()
    assert not (tmp_path / "other").exists()
