"""One LibreOffice headless kept warm, with the Series M add-in, limits and a clean exit.

The engine is three processes: this one; the UNO bridge (:mod:`xl_seriesm.engine.uno_worker`,
run by the Python that has LibreOffice's ``uno``); and soffice, which the bridge starts. The
bridge and soffice run in a session of their own, so a time-out, a memory stop or a crash
ends both at once and the next file gets a fresh pair.

The profile is private to each engine (two soffice sharing one collide) and is a copy of a
prepared one, cached under the user's cache folder by the extension's fingerprint: the
extension installed, recalculation on load off (the engine recalculates once, itself), links
never updated, macros never run (security level "very high", execution disabled).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xl_seriesm.engine import EngineError

_WORKER = Path(__file__).with_name("uno_worker.py")
_START_SECONDS = 120.0

def _settings() -> str:
    """The profile's settings: OOXMLRecalcMode/ODFRecalcMode 1 (never recalculate on load:
    the engine calls calculateAll once), Calc's link update mode 1 (never), macro security
    level 3 (very high) with macro execution disabled."""
    from xl_seriesm.libreoffice import profile_settings  # noqa: PLC0415

    load, scripting = ("/org.openoffice.Office.Calc/Formula/Load",
                       "/org.openoffice.Office.Common/Security/Scripting")
    return profile_settings([(load, "OOXMLRecalcMode", "1"), (load, "ODFRecalcMode", "1"),
                             ("/org.openoffice.Office.Calc/Content/Update", "Link", "1"),
                             (scripting, "MacroSecurityLevel", "3"),
                             (scripting, "DisableMacrosExecution", "true")])


class StoppedError(EngineError):
    """The engine was stopped on a file: ``reason`` is "time", "memory" or "crash"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def soffice() -> str:
    from xl_seriesm import libreoffice  # noqa: PLC0415

    found = libreoffice.find()
    if found is None:
        raise EngineError("LibreOffice is not installed, and `seriesm regress` and `seriesm "
                          "calc` compute with it: apt-get install -y --no-install-recommends "
                          "libreoffice-calc-nogui python3-uno libreoffice-dev")
    return found


@functools.cache
def uno_python() -> str:
    """A Python that can ``import uno``: $SERIESM_UNO_PYTHON, this one, the system's python3
    (Debian's python3-uno), or the one bundled with LibreOffice."""
    program = Path(os.path.realpath(soffice())).parent
    candidates = [os.environ.get("SERIESM_UNO_PYTHON"), sys.executable, "/usr/bin/python3",
                  shutil.which("python3"), str(program / "python")]
    for candidate in candidates:
        if not candidate or not Path(candidate).exists():
            continue
        done = subprocess.run([candidate, "-c", "import uno"], capture_output=True,
                              timeout=60, check=False)
        if done.returncode == 0:
            return candidate
    raise EngineError("no Python here can import LibreOffice's uno module: apt-get install -y "
                      "--no-install-recommends python3-uno (or set SERIESM_UNO_PYTHON)")


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xl-seriesm"


def processes() -> dict[int, tuple[int, int, int]]:
    """Every process: pid -> (parent pid, process group, resident bytes) (Linux; empty
    elsewhere)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {}
    page = os.sysconf("SC_PAGE_SIZE")
    table = {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # The fields after the name: state, ppid, pgrp, ..., rss (the 22nd), in pages.
        table[int(entry)] = (int(fields[1]), int(fields[2]), int(fields[21]) * page)
    return table


def _group_rss(group: int) -> int:
    """Resident bytes of every process in a process group."""
    return sum(rss for _, pgrp, rss in processes().values() if pgrp == group)


class _Bridge:
    """The UNO bridge process and its soffice."""

    def __init__(self, folder: Path, profile: Path, sandboxed: bool) -> None:
        pipe = f"seriesm-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        # The lifeline: the bridge watches its end and kills its group when it closes,
        # which it does when this process ends, however it ends (SIGKILL included).
        lifeline, self._lifeline = os.pipe()
        python, office = uno_python(), soffice()
        env = {**os.environ, "PYTHONPATH": ""}
        argv = [python, str(_WORKER), office, str(profile), pipe, str(lifeline)]
        if sandboxed:
            from xl_seriesm.engine import sandbox  # noqa: PLC0415

            python = os.path.realpath(python)
            argv = sandbox.command(folder, [Path(python), _WORKER,
                                            Path(os.path.realpath(office)).parent.parent],
                                   [python, *argv[1:]])
            # Only what LibreOffice needs of the environment: no tokens or keys go in.
            env = {k: v for k, v in os.environ.items()
                   if k in ("LANG", "LANGUAGE", "TZ") or k.startswith("LC_")}
            env.update(PATH="/usr/bin:/bin", PYTHONPATH="", HOME=str(profile))
        try:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, start_new_session=True, env=env,
                pass_fds=(lifeline,))
        except BaseException:
            os.close(self._lifeline)
            raise
        finally:
            os.close(lifeline)
        self._buffer = b""
        try:
            hello = self.receive(time.monotonic() + _START_SECONDS, memory=None)
        except StoppedError as stop:
            self.kill()
            raise EngineError(f"LibreOffice did not start ({stop})") from None
        if not hello.get("ready"):
            self.kill()
            raise EngineError(f"LibreOffice did not start: {hello}")

    def send(self, request: Mapping[str, Any], data: bytes = b"") -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({**request, "size": len(data)}).encode()
                                     + b"\n" + data)
            self.process.stdin.flush()
        except OSError:
            raise StoppedError("crash", "LibreOffice stopped (its bridge closed)") from None

    def receive(self, deadline: float, memory: int | None) -> dict[str, Any]:
        """The next answer; stops the engine past ``deadline`` or above ``memory`` bytes."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise StoppedError("time", "time limit")
            ready, _, _ = select.select([fd], [], [], min(left, 0.1))
            if memory is not None and _group_rss(self.process.pid) > memory:
                self.kill()
                raise StoppedError("memory", "memory limit")
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    self.kill()
                    raise StoppedError("crash", "LibreOffice stopped without an answer (crashed)")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        if answer.get("crashed"):  # soffice died or its UNO bridge was disposed
            self.kill()
            raise StoppedError("crash", f"LibreOffice crashed ({answer.get('error')})")
        return answer

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        if self._lifeline >= 0:
            os.close(self._lifeline)
            self._lifeline = -1

    def alive(self) -> bool:
        return self.process.poll() is None

    def quit(self) -> None:
        try:
            self.send({"op": "quit"})
            self.process.wait(30)
        except (StoppedError, subprocess.TimeoutExpired):
            pass
        self.kill()


_HOME_PREFIX = "seriesm-office-"


def _started(pid: int) -> bytes | None:
    """The start time of a process (its /proc stat's 22nd field), None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def remove_stale_homes(folder: Path | None = None) -> list[Path]:
    """Remove the engine folders (profile and temporary files) whose owner process is gone:
    left by a run killed before it could clean up. Each is named by its owner's pid and holds
    that process's start time, so a reused pid is not taken for the owner."""
    removed = []
    root = Path(folder or tempfile.gettempdir())
    for home in root.glob(f"{_HOME_PREFIX}*-*"):
        pid_text = home.name[len(_HOME_PREFIX):].split("-", 1)[0]
        try:
            if not pid_text.isdigit() or home.stat().st_uid != os.getuid():
                continue
            owner = (home / "owner").read_bytes()
        except OSError:
            owner = b""
        if owner and _started(int(pid_text)) == owner:
            continue  # its process still runs
        if not owner and _started(int(pid_text)) is not None:
            continue  # being set up, or an owner we cannot tell: left alone
        shutil.rmtree(home, ignore_errors=True)
        removed.append(home)
    return removed


def _prepared_profile(sandboxed: bool) -> Path:
    """The cached profile with the extension installed (built once per extension)."""
    from xl_seriesm.libreoffice import extension  # noqa: PLC0415

    folder = _cache_root() / f"profile-{extension.fingerprint()}"
    for stale in folder.parent.glob(".profile-*-*"):  # a preparation killed half-way
        pid = stale.name.split("-")[1]
        if pid.isdigit() and _started(int(pid)) is None:
            shutil.rmtree(stale, ignore_errors=True)
    if (folder / "ready").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".profile-{os.getpid()}-", dir=folder.parent))
    try:
        (staging / "user").mkdir()
        (staging / "user" / "registrymodifications.xcu").write_text(_settings(), "utf-8")
        oxt = staging / extension.FILENAME
        oxt.write_bytes(extension.build())
        bridge = _Bridge(staging, staging, sandboxed)
        try:
            bridge.send({"op": "install", "oxt": str(oxt)})
            answer = bridge.receive(time.monotonic() + _START_SECONDS, memory=None)
        finally:
            bridge.quit()
        if not answer.get("ok"):
            raise EngineError(f"the Series M extension did not install: {answer.get('error')}")
        (staging / "ready").write_text("")
        try:
            os.rename(staging, folder)
        except OSError:  # another run prepared it at the same time
            if not (folder / "ready").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


@dataclass
class Computed:
    values: dict[str, list[list[list[Any]]]]
    load_seconds: float
    calculate_seconds: float


class Engine:
    """One warm LibreOffice; restarted after a crash, a time-out or a memory stop.

    ``sandboxed`` (the default) runs it in the bubblewrap sandbox
    (:mod:`xl_seriesm.engine.sandbox`): it can open no file but its own.
    """

    def __init__(self, memory_bytes: int | None = None, sandboxed: bool = True) -> None:
        self.memory_bytes = memory_bytes
        self.sandboxed = sandboxed
        self._bridge: _Bridge | None = None
        self._bridge_sandboxed = sandboxed
        self._home: Path | None = None
        self._starting: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self.starts = 0

    def warm_up(self) -> None:
        """Start LibreOffice in the background (1.5-3.5 s) while the caller reads the file;
        the next :meth:`compute` waits for it, and reports its failure if it failed."""
        if self._starting is not None:
            return
        if self._bridge is not None:
            if self._bridge.alive() and self._bridge_sandboxed == self.sandboxed:
                return
            self._discard()  # killed from outside while idle, or the other kind

        def start() -> None:
            try:
                self._start_now()
            except BaseException as error:  # noqa: BLE001 - raised again by compute
                self._start_error = error

        self._starting = threading.Thread(target=start, name="seriesm-office-start",
                                          daemon=True)
        self._starting.start()

    def _start(self) -> _Bridge:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            error, self._start_error = self._start_error, None
            if error is not None:
                raise error
        if self._bridge is not None and (not self._bridge.alive()
                                         or self._bridge_sandboxed != self.sandboxed):
            self._discard()
        return self._start_now()

    def _start_now(self) -> _Bridge:
        if self._bridge is None:
            if self.sandboxed:
                from xl_seriesm.engine import sandbox  # noqa: PLC0415

                refused = sandbox.works()
                if refused is not None:
                    raise EngineError(refused)
            remove_stale_homes()
            template = _prepared_profile(self.sandboxed)
            self._home = Path(tempfile.mkdtemp(prefix=f"{_HOME_PREFIX}{os.getpid()}-"))
            (self._home / "owner").write_bytes(_started(os.getpid()) or b"")
            profile = self._home / "profile"
            shutil.copytree(template, profile, symlinks=True)
            self._bridge = _Bridge(self._home, profile, self.sandboxed)
            self._bridge_sandboxed = self.sandboxed
            self.starts += 1
        return self._bridge

    def compute(self, workbook: bytes, ranges: Mapping[str, Sequence[str]],
                seconds: float) -> Computed:
        """Every cell of ``ranges`` (by sheet) after LibreOffice recalculated the workbook
        whose bytes are given (it never sees a path). A LibreOffice found dead before the
        workbook reached it (killed from outside while idle) is restarted and given it."""
        deadline = time.monotonic() + seconds
        request = {"op": "compute", "ranges": {k: list(v) for k, v in ranges.items()}}
        for attempt in (1, 2):
            bridge = self._start()
            try:
                bridge.send(request, workbook)
                answer = bridge.receive(deadline, self.memory_bytes)
            except StoppedError:
                self._discard()
                raise
            if answer.get("gone") and attempt == 1:
                self._discard()
                continue
            break
        if not answer.get("ok"):
            raise EngineError(str(answer.get("error")))
        return Computed(answer["values"], answer["load_seconds"], answer["calculate_seconds"])

    def _discard(self) -> None:
        if self._bridge is not None:
            self._bridge.kill()
            self._bridge = None
        if self._home is not None:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    def close(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        if self._bridge is not None:
            self._bridge.quit()
            self._bridge = None
        self._discard()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
