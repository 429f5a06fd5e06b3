"""Writing files all or nothing.

Each file goes to a temporary file beside its target first (flushed to disk), then takes the
target's name with one atomic rename: a reader, a crash or a kill sees the old file or the
new one, never neither and never half of one, and no backup is left behind. A temporary file
is removed whatever stops the write (a full disk included). A new file gets the usual mode
under the user's umask; a replaced one keeps its mode.

Several files (``seriesm template``'s two workbooks) are staged together before any is
renamed; if a rename fails, the files already renamed get their old content back (or are
removed if they are new), so a failure leaves all of them as they were. A kill between two
renames leaves each file whole, old or new.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_all(files: Iterable[tuple[Path, bytes]], force: bool) -> list[Path]:
    """Write the files all or nothing; existing targets are replaced only with ``force``."""
    files = list(files)
    for path, _ in files:
        if path.is_dir():
            raise IsADirectoryError(f"{path}: is a folder; give a file name")
        if path.parent.exists() and not path.parent.is_dir():
            raise NotADirectoryError(f"{path.parent}: is a file, not a folder")
        if path.exists() and not force:
            raise FileExistsError(f"{path}: already exists; use --force to replace it")
    staged: list[tuple[Path, Path]] = []
    placed: list[tuple[Path, bytes | None]] = []  # (target, its old content or None if new)
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temporary(path, data), path))
        for temporary, path in staged:
            old = path.read_bytes() if len(staged) > 1 and path.exists() else None
            os.replace(temporary, path)
            placed.append((path, old))
    except BaseException:
        for path, old in reversed(placed):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(_temporary(path, old), path)
        raise
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [path for path, _ in files]


def write_atomically(path: Path, data: bytes | str, force: bool) -> Path:
    """One file, never half-written, replacing an existing one only with ``force``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_all([(path, raw)], force)[0]


def _temporary(beside: Path, data: bytes) -> Path:
    """``data`` in a new hidden file beside ``beside``, with the mode the target will have;
    removed again if writing it fails."""
    mode = _mode_for(beside)
    handle, name = tempfile.mkstemp(dir=beside.parent, prefix=f".{beside.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
