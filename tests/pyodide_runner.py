"""Running the xlwings Lite module in real Pyodide under node, offline (for
tests/test_pyodide.py and the Lite benchmark).

The npm package ``pyodide`` is pinned in tests/runtimes/pyodide/package-lock.json and
installed from it with ``npm ci``. The Python packages a session needs are downloaded once
with pip as pure-Python wheels and unpacked into that Pyodide's site-packages, as Lite's
micropip would install them; Pyodide's CDN (micropip, numpy) is never reached. One node
process runs every session, each in a fresh Pyodide.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "tests" / "runtimes" / "pyodide"
DRIVER = ROOT / "tests" / "runtimes" / "pyodide_calls.py"
# The environment markers of Pyodide, for which of the requirements it needs.
PYODIDE_MARKERS = {"sys_platform": "emscripten", "platform_system": "Emscripten",
                   "os_name": "posix", "implementation_name": "cpython", "extra": ""}


class Unavailable(Exception):  # noqa: N818 - a reason, not a failure
    """Pyodide cannot run here (no node, no npm registry, no PyPI); the message says why."""


def pinned_version() -> str:
    lock = json.loads((RUNTIME / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/pyodide"]["version"])


def npm_ci() -> None:
    """node_modules from the committed lock, unless it is already there at that version."""
    installed = RUNTIME / "node_modules" / "pyodide" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == pinned_version():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable("npm is not installed (needed once, to install the pinned pyodide)")
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=RUNTIME,
                          capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise Unavailable(f"npm ci failed in {RUNTIME}: {done.stderr.strip()[-500:]}")


def _needs(name: str, seen: dict[str, str]) -> dict[str, str]:
    """``name`` and what it needs under Pyodide, each at the version installed here."""
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return seen
    seen[key] = importlib.metadata.version(key)
    for line in importlib.metadata.requires(key) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(PYODIDE_MARKERS):
            _needs(requirement.name, seen)
    return seen


def pure_wheels(requirements: list[str], folder: Path) -> list[Path]:
    """The wheels of ``requirements`` and of what they need under Pyodide, at the versions
    installed here, pure Python only (a URL line is the caller's own wheel: skipped)."""
    wanted: dict[str, str] = {}
    for line in requirements:
        if not line.startswith("https://"):
            _needs(Requirement(line).name, wanted)
    npm_ci()  # the lock says which Python the pinned Pyodide runs
    lock = json.loads((RUNTIME / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    python = ".".join(lock["info"]["python"].split(".")[:2])
    fetched = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
         "--platform", "any", "--implementation", "py", "--abi", "none",
         "--python-version", python, "-d", str(folder),
         *(f"{name}=={version}" for name, version in sorted(wanted.items()))],
        capture_output=True, text=True, timeout=300, check=False)
    if fetched.returncode != 0:
        raise Unavailable(f"pip could not download the pure-Python wheels: "
                          f"{fetched.stderr[-500:]}")
    wheels = sorted(folder.glob("*.whl"))
    assert len(wheels) == len(wanted), [w.name for w in wheels]
    return wheels


def build_wheel(folder: Path) -> tuple[Path, list[str]]:
    """This repo's wheel, built as a user would, and its requirements (Requires-Dist)."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                            str(folder), str(ROOT)], capture_output=True, text=True,
                           timeout=300, check=False)
    if built.returncode != 0:
        raise Unavailable(f"pip could not build the wheel: {built.stderr[-500:]}")
    (wheel,) = folder.glob("xl_seriesm-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [line.split(":", 1)[1].strip()
                    for line in archive.read(metadata).decode().splitlines()
                    if line.startswith("Requires-Dist:")]
    wanted = [r for r in requires
              if (m := Requirement(r).marker) is None or m.evaluate(PYODIDE_MARKERS)]
    return wheel, wanted


def write_lite(folder: Path, wheel_url: str | None = None) -> Path:
    """``seriesm lite --out folder`` (with ``--wheel``), as a user runs it."""
    extra = ["--wheel", wheel_url] if wheel_url else []
    done = subprocess.run([sys.executable, "-m", "xl_seriesm.cli", "lite", "--out", str(folder),
                           *extra], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return folder


def run(sessions: list[dict[str, Any]], job: Path) -> list[dict[str, Any]]:
    """Each session (wheels, main, calls, benchmark) in a fresh Pyodide, one node process;
    the driver's answer for each."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not installed: the Lite module is run in Pyodide under node")
    npm_ci()
    job.write_text(json.dumps({"driver": str(DRIVER), "sessions": sessions}, default=str),
                   encoding="utf-8")
    ran = subprocess.run([node, "run.mjs", str(job)], cwd=RUNTIME, capture_output=True,
                         text=True, timeout=600, check=False)
    assert ran.returncode == 0, ran.stderr[-3000:]
    answers: list[dict[str, Any]] = json.loads(ran.stdout)
    return answers
