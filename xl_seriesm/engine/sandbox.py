"""The sandbox LibreOffice computes in: a bubblewrap (``bwrap``) container that sees only
the system's programs and libraries, read-only, and the engine's own folder.

A workbook can ask LibreOffice to open a file (``INDIRECT("'file:///...'#$Sheet1.A1")``,
a link, a macro); the preflight (:mod:`xl_seriesm.engine.book`) refuses every such call it
recognises, and this is the defence for the ones it does not: inside the sandbox there is
nothing to open. What soffice and the UNO bridge see:

* ``/usr`` read-only (the programs, LibreOffice itself, Python and their libraries; on a
  merged-/usr system ``/bin``, ``/lib`` ... are links into it, else read-only too);
* from ``/etc`` only what they load: ``libreoffice`` (LibreOffice's registry), ``fonts``,
  ``ld.so.cache``, ``alternatives``, ``localtime``, ``python3*`` (site configuration);
* a private ``/proc``, a minimal ``/dev`` and an empty ``/tmp`` of their own;
* the engine's folder (its profile and temporary files), read-write, at the same path;
* the bridge's own script, read-only.

No ``/home``, ``/root``, ``/work``, ``/tmp`` at large, no network (``--unshare-all``: new
user, IPC, network, PID, UTS and cgroup namespaces). bubblewrap 0.8 does that as root in a
container as well as for a user; where the kernel refuses user namespaces to an unprivileged
user, bwrap reports it and the engine says so.

Not used: ``--die-with-parent`` (bwrap's death signal follows the *thread* that started it,
and the engine starts LibreOffice from a thread that ends at once, which would kill it) and
``--new-session`` (the bridge is already the leader of a session with no terminal, so no
terminal input can be injected, and keeping bwrap's process group lets the engine measure
and stop the whole tree as one group). The bridge instead watches a pipe the engine holds
open: when the engine's process ends however it ends, the pipe closes and the bridge kills
its group (:mod:`xl_seriesm.engine.uno_worker`).
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
from pathlib import Path

#: What ``seriesm regress`` and ``seriesm calc`` say without bwrap.
MISSING = ("bubblewrap (bwrap) is not installed, and LibreOffice computes untrusted workbooks "
           "only inside its sandbox: apt-get install -y --no-install-recommends bubblewrap "
           "(or pass --no-sandbox to compute without it, for workbooks you trust)")

_ROOT_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("/etc/libreoffice", "/etc/fonts", "/etc/ld.so.cache", "/etc/alternatives",
        "/etc/localtime")


def bwrap() -> str | None:
    return shutil.which("bwrap")


def command(folder: Path, readable: list[Path], argv: list[str]) -> list[str]:
    """``argv`` run inside the sandbox: ``folder`` read-write, ``readable`` read-only."""
    found = bwrap()
    if found is None:
        raise FileNotFoundError(MISSING)
    args = _system(found)
    for path in readable:
        real = os.path.realpath(path)
        if not real.startswith("/usr/"):
            args += ["--ro-bind", real, real]
    args += ["--bind", str(folder), str(folder), "--chdir", str(folder),
             "--setenv", "TMPDIR", str(folder), "--"]
    return args + argv


def _system(found: str) -> list[str]:
    """bwrap with the system's programs and libraries read-only, and nothing else."""
    args = [found, "--unshare-all", "--ro-bind", "/usr", "/usr"]
    for top in _ROOT_LINKS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in [*_ETC, *sorted(glob.glob("/etc/python3*"))]:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return [*args, "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]


@functools.cache
def works() -> str | None:
    """None when the sandbox starts here, else why not (bwrap's own words)."""
    found = bwrap()
    if found is None:
        return MISSING
    try:
        done = subprocess.run([*_system(found), "--", "/usr/bin/true"], capture_output=True,
                              text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap (bwrap) did not start: {error}"
    if done.returncode != 0:
        return (f"bubblewrap (bwrap) cannot make its sandbox here: {done.stderr.strip()} (user "
                "namespaces refused? pass --no-sandbox to compute without it, for workbooks "
                "you trust)")
    return None
