"""Writing files all or nothing."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path


def write_all(files: Iterable[tuple[Path, bytes]], force: bool) -> list[Path]:
    """Write the files all or nothing: each goes to a temporary file beside its target
    first; existing targets are replaced only with ``force``, and if any step fails the
    targets are left as they were."""
    files = list(files)
    for path, _ in files:
        if path.is_dir():
            raise IsADirectoryError(f"{path}: is a folder; give a file name")
        if path.parent.exists() and not path.parent.is_dir():
            raise NotADirectoryError(f"{path.parent}: is a file, not a folder")
        if path.exists() and not force:
            raise FileExistsError(f"{path}: already exists; use --force to replace it")
    staged: list[tuple[Path, Path]] = []
    kept: list[tuple[Path, Path]] = []  # (backup, target) of files being replaced
    placed: list[Path] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temporary(path, data), path))
        for _, path in staged:
            if path.exists():
                backup = path.with_name(f".{path.name}.{uuid.uuid4().hex}.bak")
                os.replace(path, backup)
                kept.append((backup, path))
        for temporary, path in staged:
            os.replace(temporary, path)
            placed.append(path)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        for backup, path in kept:
            os.replace(backup, path)
        raise
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    for backup, _ in kept:
        backup.unlink(missing_ok=True)
    return [path for path, _ in files]


def write_atomically(path: Path, data: bytes | str, force: bool) -> Path:
    """One file, never half-written, replacing an existing one only with ``force``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_all([(path, raw)], force)[0]


def _temporary(beside: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=beside.parent, prefix=f".{beside.name}.", suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    return Path(name)
