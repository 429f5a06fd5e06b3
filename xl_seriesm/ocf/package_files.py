"""Bounded, read-only access to the files of an OCF package (a folder or a .zip).

Untrusted input: a file the manifest names must lie inside the package (no absolute path, no
``..``, no link leading out); sizes are bounded (:data:`MAX_FILE_BYTES` a file,
:data:`MAX_TOTAL_BYTES` in all, :data:`MAX_MEMBERS` zip members, compression at most
:data:`MAX_RATIO` to 1); each JSON document is validated against the OCF schemas.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from xl_seriesm.ocf.schema_check import OcfError, validate

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 200


class PackageFiles:
    """Bounded, read-only access to the files of a folder or a zip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = 0
        self.archive: zipfile.ZipFile | None = None
        if path.is_dir():
            self.root = path.resolve()
        elif zipfile.is_zipfile(path):
            self.archive = zipfile.ZipFile(path)
            members = self.archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise OcfError(f"{path}: {len(members):,} zip members, more than {MAX_MEMBERS:,}")
            for info in members:
                if info.file_size > MAX_FILE_BYTES or (
                        info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
                    raise OcfError(f"{path}: member {info.filename!r} unpacks to "
                                   f"{info.file_size:,} bytes (more than {MAX_FILE_BYTES:,}, "
                                   f"or compressed more than {MAX_RATIO} to 1)")
        elif not path.exists():
            raise OcfError(f"{path}: no such file or folder; give the package's folder or "
                           ".zip")
        else:
            raise OcfError(f"{path}: not a folder or a .zip of OCF files")

    def exists(self, filepath: str) -> bool:
        """Whether the package has ``filepath`` at that place."""
        if self.archive is not None:
            return filepath in self.archive.namelist()
        return (self.root / filepath).is_file()

    def found_deeper(self, filename: str) -> str:
        """What an error adds when ``filename`` lies in a folder of the package instead (a
        zip of the package's folder rather than of its files), or nothing."""
        names = (self.archive.namelist() if self.archive is not None else
                 [str(p.relative_to(self.root)) for p in self.root.glob(f"*/{filename}")])
        deeper = next((n for n in names if PurePosixPath(n).name == filename), None)
        if deeper is None:
            return ""
        return (f" ({deeper} is in a folder: zip the package's files, not their folder)"
                if self.archive is not None else f" ({deeper}: give that folder)")

    def name(self, filepath: str) -> str:
        return f"{self.path}:{filepath}" if self.archive else str(self.path / filepath)

    def read(self, filepath: str) -> bytes | None:
        """The bytes of ``filepath`` inside the package, or None when it is not there."""
        pure = PurePosixPath(filepath.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in filepath or not pure.parts:
            raise OcfError(f"{self.name(filepath)}: the manifest names a file outside the "
                           "package; give paths inside it")
        if self.archive is not None:
            try:
                info = self.archive.getinfo(str(pure))
            except KeyError:
                return None
            with self.archive.open(info) as member:
                data = member.read(MAX_FILE_BYTES + 1)
        else:
            target = (self.root / pure).resolve()
            if not target.is_relative_to(self.root):
                raise OcfError(f"{self.name(filepath)}: leads outside the package (a link?)")
            if not target.exists():
                return None
            if not target.is_file():
                raise OcfError(f"{self.name(filepath)}: not a file")
            with target.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise OcfError(f"{self.name(filepath)}: more than {MAX_FILE_BYTES:,} bytes")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise OcfError(f"{self.path}: more than {MAX_TOTAL_BYTES:,} bytes in all")
        return data

    def document(self, filepath: str, md5: str | None = None) -> dict[str, Any]:
        """The JSON document ``filepath`` holds, validated; with ``md5`` (the manifest's
        digest of the file), refused when the file's bytes do not have it."""
        data = self.read(filepath)
        if data is None:
            raise OcfError(f"{self.name(filepath)}: missing (the manifest names it)")
        if md5 is not None and hashlib.md5(data).hexdigest() != md5.lower():
            raise OcfError(f"{self.name(filepath)}: its md5 is {hashlib.md5(data).hexdigest()}, "
                           f"not the manifest's {md5[:40]}; the file changed after the "
                           "manifest was written (write the package again, or correct the "
                           "manifest's md5)")
        try:
            document = json.loads(data.decode("utf-8"), object_pairs_hook=_once_each)
        except _TwiceNamed as twice:
            raise OcfError(f"{self.name(filepath)}: the key {twice.key[:40]!r} appears twice "
                           "in one object; JSON read by different programs would disagree "
                           "on its value, so each key must appear once") from None
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise OcfError(f"{self.name(filepath)}: not JSON text ({str(error)[:120]})") from None
        validate(document, self.name(filepath))
        return document  # type: ignore[no-any-return]


class _TwiceNamed(Exception):  # noqa: N818 - a signal, caught where the file is named
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each named once (json.loads keeps the last of two)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _TwiceNamed(key)
            seen.add(key)
    return found
