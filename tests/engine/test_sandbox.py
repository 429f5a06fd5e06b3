"""LibreOffice in its sandbox, restarted after a crash, and never left running: each attack
of the audit built here (issue 21, items 1b, 2 and 3)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_libreoffice
from tests.engine.books import book as _book
from xl_seriesm.engine import CellError, sandbox
from xl_seriesm.engine.book import read
from xl_seriesm.engine.office import Engine, StoppedError, remove_stale_homes
from xl_seriesm.engine.recalc import recalculate

pytestmark = pytest.mark.libreoffice

SECRET = 987654.321  # a figure only the workbook outside holds


def _require_sandbox() -> None:
    require_libreoffice()
    refused = sandbox.works()
    if refused is not None:
        if os.environ.get("SERIESM_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(refused)
        pytest.skip(refused)




def _seriesm(*args: str, **env: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.Popen([sys.executable, "-m", "xl_seriesm.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=environment, start_new_session=True)


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(root: int) -> dict[int, str]:
    """Every living process under ``root``: pid -> its program's name."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        fields = _stat(int(entry)) if entry.isdigit() else None
        if fields is not None and fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    found: dict[int, str] = {}
    for pid in parents:
        ancestor = pid
        while ancestor in parents and ancestor not in (0, 1, root):
            ancestor = parents[ancestor]
        if ancestor == root and pid != root:
            try:
                found[pid] = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
    return found


def _cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf(
        "SC_CLK_TCK")


def _office_computing(root: int, cpu: float, seconds: float = 240) -> int:
    """The pid of soffice.bin under ``root`` once it has spent ``cpu`` seconds computing."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        offices = [p for p, name in _descendants(root).items() if name == "soffice.bin"]
        if offices and _cpu_seconds(offices[0]) >= cpu:
            return offices[0]
        time.sleep(0.1)
    raise AssertionError("soffice.bin never got to computing")


def _slow_book(path: Path) -> Path:
    # Each cell joins a million numbers to text: about 2.6 s a cell here, 100 s in all, so
    # LibreOffice is surely computing this book when the test kills it.
    cells = {f"A{i}": f'=SUMPRODUCT(LEN(ROW($B$1:$B$1000000)&"x{i}"))' for i in range(1, 41)}
    return _book(path, cells, dict.fromkeys(cells, 1.0))


def test_indirect_cannot_read_a_file_outside_even_below_the_preflight(tmp_path: Path) -> None:
    # The engine itself, called with no preflight: only the sandbox stands in the way. The
    # unsandboxed run shows the attack is real (LibreOffice opens the other workbook).
    _require_sandbox()
    _book(tmp_path / "secret.xlsx", {"A1": SECRET})
    url = (tmp_path / "secret.xlsx").as_uri()
    hostile = _book(tmp_path / "hostile.xlsx", {
        "A1": f"=INDIRECT(\"'[{url}]Sheet'!A1\")",
        "A2": f"=INDIRECT(\"'[{url}]Sheet'!A1\",TRUE)",
        "A3": f"=OFFSET(INDIRECT(\"'[{url}]\"&\"Sheet'!A1\"),0,0)",
        "A4": "=2+3"})
    with Engine(sandboxed=False) as open_engine:
        exposed = recalculate(read(hostile), open_engine, 120)
    assert exposed[("Sheet", "A1")] == SECRET
    with Engine(sandboxed=True) as engine:
        values = recalculate(read(hostile), engine, 120)
    assert values[("Sheet", "A4")] == 5.0
    for ref in ("A1", "A2", "A3"):
        assert values[("Sheet", ref)] == CellError("#REF!")
    assert SECRET not in values.values()


def test_a_crash_costs_one_book_and_the_engine_restarts(tmp_path: Path) -> None:
    # INDIRECT at a text file kills soffice outside the sandbox ("Binary URP bridge
    # disposed"); the book is reported as crashed and the next one gets a fresh engine.
    require_libreoffice()
    (tmp_path / "data.csv").write_text("11,22\n")
    url = (tmp_path / "data.csv").as_uri()
    crash = _book(tmp_path / "crash.xlsx", {"A1": f"=INDIRECT(\"'[{url}]data'!A1\")"})
    fine = _book(tmp_path / "fine.xlsx", {"A1": "=2+3"})
    with Engine(sandboxed=False) as engine:
        assert recalculate(read(fine), engine, 120) == {("Sheet", "A1"): 5.0}
        with pytest.raises(StoppedError) as stop:
            recalculate(read(crash), engine, 120)
        assert stop.value.reason == "crash"
        assert recalculate(read(fine), engine, 120) == {("Sheet", "A1"): 5.0}
        assert engine.starts == 2


def test_an_outside_kill_costs_the_book_in_flight_only(tmp_path: Path) -> None:
    _require_sandbox()
    folder = tmp_path / "books"
    folder.mkdir()
    _slow_book(folder / "a-slow.xlsx")
    for i in range(11):
        _book(folder / f"b{i:02}.xlsx", {"A1": f"={i}*2"}, {"A1": float(i * 2)})
    run = _seriesm("regress", str(folder), "--jobs", "1", "--timeout", "600")
    try:
        os.kill(_office_computing(run.pid, cpu=4.0), signal.SIGKILL)  # the OOM killer's way
        out, err = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 2, out + err
    assert f"REFUSED {folder / 'a-slow.xlsx'}: LibreOffice crashed on this book" in out, out
    assert "12 workbook(s): 11 passed, 0 failed, 1 refused" in out, out
    assert out.count("1 cells checked, 1 matched") == 11


@pytest.mark.parametrize("sandboxed", [True, False])
def test_a_killed_calc_leaves_no_libreoffice_running(tmp_path: Path, sandboxed: bool) -> None:
    _require_sandbox()
    slow = _slow_book(tmp_path / "slow.xlsx")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    flags = [] if sandboxed else ["--no-sandbox"]
    run = _seriesm("calc", str(slow), "-o", str(tmp_path / "out.xlsx"), *flags,
                   TMPDIR=str(scratch))
    try:
        _office_computing(run.pid, cpu=2.0)
        left = _descendants(run.pid)
        assert "soffice.bin" in left.values()
        os.killpg(run.pid, signal.SIGKILL)  # a cancelled CI job, a closed terminal
        run.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_stat(p) for p in left):
            time.sleep(0.1)
        alive = {p: n for p, n in left.items() if (_stat(p) or ["Z"])[0] != "Z"}
        assert not alive, f"left running: {alive}"
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
        run.communicate()
    # The engine folder it left is removed by the next engine that starts.
    stale = list(scratch.glob("seriesm-office-*"))
    assert stale
    assert sorted(remove_stale_homes(scratch)) == sorted(stale)
    assert not list(scratch.glob("seriesm-office-*"))


def test_a_living_engines_folder_is_kept(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    require_libreoffice()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fine = _book(tmp_path / "fine.xlsx", {"A1": "=2+3"})
    with Engine(sandboxed=sandbox.works() is None) as engine:
        assert recalculate(read(fine), engine, 120) == {("Sheet", "A1"): 5.0}
        homes = list(tmp_path.glob("seriesm-office-*"))
        assert len(homes) == 1
        assert remove_stale_homes(tmp_path) == []
        assert homes[0].exists()
    assert not homes[0].exists()  # closed: removed by the engine itself


def test_regress_and_calc_refuse_to_run_without_bwrap(tmp_path: Path) -> None:
    soffice = require_libreoffice()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").symlink_to(os.path.realpath(shutil.which(soffice) or soffice))
    book = _book(tmp_path / "book.xlsx", {"A1": "=1+1"}, {"A1": 2.0})
    for command in (["regress", str(book)], ["calc", str(book), "-o", str(tmp_path / "o.xlsx")]):
        run = _seriesm(*command, PATH=str(bin_dir))
        _, err = run.communicate(timeout=300)
        assert run.returncode == 2
        assert "bubblewrap (bwrap) is not installed" in err
        assert "--no-sandbox" in err
    assert not (tmp_path / "o.xlsx").exists()


def test_a_profile_preparation_killed_half_way_is_removed(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from xl_seriesm.engine import office  # noqa: PLC0415
    from xl_seriesm.libreoffice import extension  # noqa: PLC0415

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    root = tmp_path / "xl-seriesm"
    ready = root / f"profile-{extension.fingerprint()}"
    ready.mkdir(parents=True)
    (ready / "ready").write_text("")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = root / f".profile-{dead.pid}-abc"
    (stale / "user").mkdir(parents=True)
    living = root / f".profile-{os.getpid()}-def"
    living.mkdir()
    assert office._prepared_profile(sandboxed=True) == ready
    assert not stale.exists()
    assert living.exists()


def test_the_sandbox_binds_nothing_of_the_users(tmp_path: Path) -> None:
    # What bwrap is given: /usr and a few /etc parts read-only, the engine's own folder
    # read-write, and no home, /root, /work or /tmp at large.
    if sandbox.bwrap() is None:
        pytest.skip("bwrap is not installed")
    folder = tmp_path / "engine"
    argv = sandbox.command(folder, [], ["/usr/bin/true"])
    assert "--unshare-all" in argv
    binds = [(argv[i], argv[i + 1], argv[i + 2]) for i, word in enumerate(argv)
             if word in ("--bind", "--ro-bind")]
    writable = [source for kind, source, _ in binds if kind == "--bind"]
    assert writable == [str(folder)]
    for _, source, _ in binds:
        assert source == str(folder) or source.startswith(("/usr", "/etc/", "/lib", "/bin",
                                                            "/sbin")), source
        assert not source.startswith(("/home", "/root", "/work")) or source == str(folder)
    assert argv[argv.index("--tmpfs"):argv.index("--tmpfs") + 2] == ["--tmpfs", "/tmp"]
