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
    #: Largest unpacked/packed ratio of the whole file, and of each member past 64 KB.
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
#: Members at most this big are not held to the ratio one by one (a small part of repeated
#: markup compresses well); the whole file still is.
_SMALL_MEMBER = 64 * 1024
#: How a member starts when it is XML whatever its name: a declaration or a tag, after an
#: optional byte-order mark, in UTF-8 or UTF-16.
_XML_STARTS = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"<\x00",
               b"\x00<")


def _xml_content_types(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """The parts and the extensions [Content_Types].xml says are XML (read after its own
    DOCTYPE check)."""
    from xml.etree import ElementTree  # noqa: PLC0415

    parts: set[str] = set()
    extensions: set[str] = set()
    try:
        root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except (KeyError, ElementTree.ParseError):
        return parts, extensions
    for element in root:
        kind = element.get("ContentType", "")
        if not kind.endswith("xml"):
            continue
        if element.tag.endswith("Override"):
            parts.add(element.get("PartName", "").lstrip("/"))
        elif element.tag.endswith("Default"):
            extensions.add("." + element.get("Extension", "").lower())
    return parts, extensions


def _is_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, parts: set[str],
            extensions: set[str]) -> bool:
    name = member.filename
    if (name.lower().endswith(_XML_SUFFIXES) or name in parts
            or any(name.lower().endswith(e) for e in extensions)):
        return True
    with archive.open(member) as stream:
        start = stream.read(64).lstrip(b" \t\r\n")
    return start.startswith(_XML_STARTS)


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
            content_types = next(m for m in members if m.filename == "[Content_Types].xml")
            _refuse_doctype(path, archive, content_types)
            parts, extensions = _xml_content_types(archive)
            for member in members:
                # XML by name, by content type or by content: a sheet named sheet1.dat is
                # parsed by LibreOffice all the same.
                if member is not content_types and _is_xml(archive, member, parts,
                                                           extensions):
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
        if member.file_size > _SMALL_MEMBER:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.compression_ratio:
                raise RefusedError(f"{path}: {member.filename} unpacks {ratio:,.0f} times its "
                                   f"packed size, more than the limit of "
                                   f"{limits.compression_ratio} (a zip bomb?)")
    packed = sum(m.compress_size for m in members)
    if unpacked > _SMALL_MEMBER and unpacked / max(packed, 1) > limits.compression_ratio:
        raise RefusedError(f"{path}: its {len(members):,} members unpack "
                           f"{unpacked / max(packed, 1):,.0f} times their packed size, more "
                           f"than the limit of {limits.compression_ratio} (a zip bomb?)")
