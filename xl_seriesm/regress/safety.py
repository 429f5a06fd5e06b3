"""Checks made before parsing a workbook nobody here wrote.

An .xlsx is a zip of XML files. Before any XML parser sees it, the zip's directory is read
(it states each member's sizes without unpacking anything) and the file is refused, with a
message naming it and the limit, when it is not a zip or not a workbook, when its members
would unpack past a size limit, when one member compresses suspiciously well (a zip bomb),
when it has absurdly many members, or when an XML member declares a document type (the
entity expansion of a "billion laughs" file needs one). Every XML member is parsed whole by
expat for that, which reads the declared encoding (UTF-16 included), so a DOCTYPE is found at
any offset in any encoding; the parse keeps no tree, so its memory stays small.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat


@dataclass(frozen=True)
class Limits:
    """What a workbook may be; each limit is settable on the command line."""

    #: Total bytes the members may unpack to.
    unpacked_bytes: int = 200 * 1024 * 1024
    #: Largest unpacked/packed ratio of a member bigger than a megabyte.
    compression_ratio: int = 200
    members: int = 10_000
    #: Seconds one workbook may take to check.
    seconds: float = 120.0
    #: Memory LibreOffice may use on one workbook (resident bytes of its processes).
    memory_bytes: int = 4 * 1024**3
    #: LibreOffice computes in the bubblewrap sandbox (``--no-sandbox`` turns it off).
    sandbox: bool = True


class RefusedError(ValueError):
    """A file that is not checked: unreadable, not a workbook, or past a limit."""


_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1 << 16


class _DoctypeError(Exception):
    pass


def _no_doctype(*_: object) -> None:
    raise _DoctypeError


def _refuse_doctype(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse one XML member with expat; refuse it if it declares a document type or an
    entity, or is not XML at all."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _DoctypeError:
        raise RefusedError(f"{path}: {member.filename} declares a document type (XML entities "
                           "are how a billion-laughs file attacks); refused") from None
    except expat.ExpatError as error:
        raise RefusedError(f"{path}: {member.filename} is not well-formed XML ({error}); "
                           "refused") from None


def preflight(path: Path, limits: Limits) -> None:
    """Raise :class:`RefusedError` with a clear reason when ``path`` must not be parsed."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise RefusedError(f"{path}: cannot be read ({error.strerror})") from None
    if magic != b"PK\x03\x04":
        raise RefusedError(f"{path}: not an .xlsx workbook (not a zip file; an .xls or a text file "
                      "renamed?)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_directory(path, members, limits)
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise RefusedError(f"{path}: a zip file but not an .xlsx workbook "
                                   "(no xl/workbook.xml)")
            for member in members:
                if member.filename.lower().endswith(_XML_SUFFIXES):
                    _refuse_doctype(path, archive, member)
    except zipfile.BadZipFile as error:
        raise RefusedError(f"{path}: not a readable workbook (truncated or damaged zip: {error})"
                      ) from None
    except (EOFError, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise RefusedError(f"{path}: not a readable workbook ({type(error).__name__}: {error})"
                      ) from None


def _check_directory(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.members:
        raise RefusedError(f"{path}: {len(members):,} zip members, more than the limit of "
                      f"{limits.members:,}")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise RefusedError(f"{path}: unpacks to {unpacked / 2**20:,.0f} MB, more than the limit of "
                      f"{limits.unpacked_bytes / 2**20:,.0f} MB (--max-unpacked-mb)")
    for member in members:
        if member.file_size > 2**20:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.compression_ratio:
                raise RefusedError(f"{path}: {member.filename} unpacks {ratio:,.0f} times its "
                                   f"packed size, more than the limit of "
                                   f"{limits.compression_ratio} (a zip bomb?)")
