"""Writing files all or nothing.

Each file goes to a temporary file beside its target first (flushed to disk), then takes the
target's name with one atomic rename: a reader, a crash or a kill sees the old file or the
new one, never neither and never half of one, and no backup is left behind. A temporary file
is removed whatever stops the write (a full disk included). A new file gets the usual mode
under the user's umask; a replaced one keeps its mode.

Nothing is left behind on any exit: a temporary file is removed whatever stops the write
(an error, Ctrl-C, SIGTERM or SIGHUP, which are turned into an exit while files are
written); SIGKILL alone cannot be caught, so a temporary file carries its writer's process
id (``.NAME.seriesm-PID-XXXX.tmp``) and the next write into that folder removes those whose
process is gone.

A new folder of files (``--to-ocf DIR``) is written whole under a hidden name beside it and
renamed into place (:func:`write_folder`): nothing is ever in it unless all of it is.

Several files (``seriesm template``'s two workbooks) are staged together before any is
renamed; if a rename fails, the files already renamed get their old content back (or are
removed if they are new), so a failure leaves all of them as they were. A kill between two
renames leaves each file whole, old or new.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
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
        if path.exists() and not path.is_file():
            # A pipe, a socket or a device (/dev/full): --force would put a file in its
            # place, and reading a pipe's old content to restore it would wait forever.
            raise FileExistsError(f"{path}: is not a regular file (a pipe or a device?); "
                                  "give a file name")
        if path.exists() and not force:
            raise FileExistsError(f"{path}: already exists; use --force to replace it")
    for folder in {path.parent for path, _ in files}:
        remove_stale_temporaries(folder)
    with _signals_exit():
        return _write_all(files)


_MARK = ".seriesm-"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a killed writer left in ``folder`` (its process gone)."""
    removed: list[Path] = []
    try:
        names = list(folder.glob(f".*{_MARK}*.tmp"))
    except OSError:
        return removed
    for path in names:
        pid = path.name.rsplit(_MARK, 1)[1].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def write_folder(folder: Path, files: dict[str, bytes], force: bool) -> Path:
    """A folder of files, all or nothing. A new folder is written whole under a hidden name
    beside it and renamed into place at once, so nothing, not even a temporary file, is ever
    in it unless all of it is; an existing one (with ``force``) gets its files replaced as
    :func:`write_all` does."""
    if folder.exists() or folder.is_symlink():
        return _folder_in_place(folder, files, force)
    folder.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder.parent)
    with _signals_exit():
        try:
            staging = Path(tempfile.mkdtemp(dir=folder.parent, suffix=".tmp",
                                            prefix=f".{folder.name}{_MARK}{os.getpid()}-"))
        except OSError as error:
            raise OSError(error.errno, error.strerror, str(folder)) from None
        try:
            for name, data in files.items():
                target = staging / name
                with target.open("wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.chmod(target, _mode_for(folder / name))
            os.chmod(staging, _folder_mode())
            os.rename(staging, folder)  # refused if the folder appeared meanwhile
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise OSError(error.errno, error.strerror, str(folder)) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return folder


def _folder_in_place(folder: Path, files: dict[str, bytes], force: bool) -> Path:
    write_all([(folder / name, data) for name, data in files.items()], force)
    return folder


def _folder_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _signals_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit while files are written (in the main thread), so
    the temporary files are removed before the process ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, _frame: object) -> None:
        raise SystemExit(128 + number)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _write_all(files: list[tuple[Path, bytes]]) -> list[Path]:
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
    try:
        handle, name = tempfile.mkstemp(dir=beside.parent, suffix=".tmp",
                                        prefix=f".{beside.name}{_MARK}{os.getpid()}-")
    except OSError as error:  # named by the file asked for, not a temporary one never made
        raise OSError(error.errno, error.strerror, str(beside)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, mode)
    except OSError as error:  # a full disk: the file asked for, not the one just removed
        Path(name).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(beside)) from None
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
