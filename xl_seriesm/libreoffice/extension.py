"""The LibreOffice extension (``.oxt``) that makes the ``SERIESM_*`` functions a Calc add-in.

Everything in it comes from the spec (:mod:`xl_seriesm.excel.spec`) when it is built, so a
function added to the spec is in the next extension with nothing else to change:

* ``XSeriesM.idl``: the UNO interface, one method per function, every argument ``any`` (Calc
  then passes numbers, text, ranges and left-out arguments alike, and the spec's readers
  decide what is allowed), every result a table (``sequence< sequence< any > >``, a single
  value is a table of one), compiled to a type library ``XSeriesM.rdb`` with ``unoidl-write``
  from the LibreOffice SDK (Debian: ``libreoffice-dev``);
* ``CalcAddIns.xcu``: each function's name, description and arguments for the function
  wizard, and its ``CompatibilityName``, the name an .xlsx file calls it by;
* ``seriesm_addin.py``: the component (:mod:`xl_seriesm.libreoffice.addin_component`);
* ``python.zip``: what the component imports, which LibreOffice's Python (not this
  package's virtual environment) must find: the pure parts of ``xl_seriesm`` (the core and
  the Excel functions) and the pure-Python packages they need, ``holidays``,
  ``python-dateutil`` and ``six``, copied from the Python that builds the extension, with
  their bytecode (hash-based, so Python uses it whatever the files' dates). One zip rather
  than a ``pythonpath`` folder: installed, the extension is four files instead of three
  thousand, which a profile copies and soffice starts with in a fraction of the time. The
  component puts it first on ``sys.path``. numpy is not needed: the functions compute
  exactly without it.

``seriesm extension --out DIR`` writes ``DIR/xl-seriesm.oxt``; ``unopkg add`` installs it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from xl_seriesm import __version__
from xl_seriesm.excel import TOOLING
from xl_seriesm.excel.runtimes import CALC_SERVICE
from xl_seriesm.excel.spec import FUNCTIONS, Function

FILENAME = "xl-seriesm.oxt"
IDENTIFIER = "org.xlseriesm.extension"
MODULE = ("org", "xlseriesm")
INTERFACE = "XSeriesM"
IMPLEMENTATION = CALC_SERVICE  # also the CalcAddIns.xcu node naming it
COMPONENT = "seriesm_addin.py"
#: The pure-Python distributions the component imports: import name -> distribution name
#: (its metadata travels too: holidays reads its own version from it).
DEPENDENCIES = {"holidays": "holidays", "dateutil": "python-dateutil", "six": "six"}
#: The parts of xl_seriesm the functions need (the rest needs openpyxl, lxml, rich ...).
PACKAGE_PARTS = ("__init__.py", "udfs.py", "core", "excel", "libreoffice/__init__.py",
                 "libreoffice/calc_values.py")
#: Calc's category for functions from an add-in (its wizard knows only fixed names).
CALC_CATEGORY = "Add-In"

_PACKAGE = Path(__file__).resolve().parent.parent
_COMPONENT_SOURCE = Path(__file__).with_name("addin_component.py")
PYTHON_ZIP = "python.zip"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same inputs give the same bytes


class ExtensionError(RuntimeError):
    """The extension cannot be built here (no LibreOffice SDK, a dependency missing)."""


def idl_name(argument: str) -> str:
    """An argument's name in the IDL, which refuses ``closing_date``: ``closingDate``."""
    head, *rest = argument.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def idl() -> str:
    """The UNO interface of the add-in, one method per spec function."""
    lines = ["// Generated from xl_seriesm/excel/spec/ by `seriesm extension`; do not edit.",
             " ".join(f"module {part} {{" for part in MODULE),
             f"    interface {INTERFACE} : com::sun::star::uno::XInterface {{"]
    for function in FUNCTIONS:
        args = ", ".join(f"[in] any {idl_name(arg.name)}" for arg in function.args)
        lines.append(f"        sequence< sequence< any > > {function.name}({args});")
    lines += ["    };", " ".join("};" for _ in MODULE), ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return f'<value xml:lang="en">{escape(value)}</value>'


def _function_node(function: Function) -> list[str]:
    out = [f'      <node oor:name={quoteattr(function.name)} oor:op="replace">',
           f'        <prop oor:name="DisplayName">{_text(function.name)}</prop>',
           f'        <prop oor:name="Description">{_text(function.description)}</prop>',
           f'        <prop oor:name="Category"><value>{CALC_CATEGORY}</value></prop>',
           '        <prop oor:name="CompatibilityName">'
           f'<value xml:lang="en-US">{function.name}</value></prop>',
           '        <node oor:name="Parameters">']
    for arg in function.args:
        shown = f"[{arg.name}]" if arg.optional else arg.name
        out += [f'          <node oor:name={quoteattr(idl_name(arg.name))} oor:op="replace">',
                f'            <prop oor:name="DisplayName">{_text(shown)}</prop>',
                f'            <prop oor:name="Description">{_text(arg.description)}</prop>',
                "          </node>"]
    out += ["        </node>", "      </node>"]
    return out


def calc_addins_xcu() -> str:
    """The function wizard's names and help, and the names .xlsx files use."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             "<!-- Generated from xl_seriesm/excel/spec/ by `seriesm extension`. -->",
             '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="CalcAddIns" '
             'oor:package="org.openoffice.Office">',
             ' <node oor:name="AddInInfo">',
             f'  <node oor:name={quoteattr(IMPLEMENTATION)} oor:op="replace">',
             '   <node oor:name="AddInFunctions">']
    for function in FUNCTIONS:
        lines += _function_node(function)
    lines += ["   </node>", "  </node>", " </node>", "</oor:component-data>", ""]
    return "\n".join(lines)


def manifest() -> str:
    entries = [("application/vnd.sun.star.uno-typelibrary;type=RDB", f"{INTERFACE}.rdb"),
               ("application/vnd.sun.star.configuration-data", "CalcAddIns.xcu"),
               ("application/vnd.sun.star.uno-component;type=Python", COMPONENT)]
    body = "".join(f' <manifest:file-entry manifest:media-type="{kind}" '
                   f'manifest:full-path="{path}"/>\n' for kind, path in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">\n'
            f"{body}</manifest:manifest>\n")


def description() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<description xmlns="http://openoffice.org/extensions/description/2006" '
            'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            f' <identifier value="{IDENTIFIER}"/>\n'
            f' <version value="{__version__}"/>\n'
            ' <display-name><name lang="en">xl-seriesm: Series M functions for Calc</name>'
            "</display-name>\n"
            "</description>\n")


def generated_texts() -> dict[str, str]:
    """Every text file of the extension that comes from the spec, by its path in the .oxt."""
    return {f"{INTERFACE}.idl": idl(), "CalcAddIns.xcu": calc_addins_xcu(),
            "META-INF/manifest.xml": manifest(), "description.xml": description()}


def _dependency_root(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ExtensionError(f"the extension bundles the Python package {name!r}, which is "
                             "not installed here (pip install holidays)")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


def _python_files(root: Path, prefix: str) -> list[tuple[Path, str]]:
    if root.is_file():
        return [(root, f"{prefix}{root.name}")]
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            found.append((path, f"{prefix}{root.name}/{path.relative_to(root).as_posix()}"))
    return found


def _metadata_files(distribution: str) -> list[tuple[Path, str]]:
    import importlib.metadata  # noqa: PLC0415

    try:
        found = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise ExtensionError(f"the extension bundles {distribution!r}, which is not installed "
                             f"here (pip install {distribution})") from None
    files = []
    for name in found.files or ():
        if name.parts[0].endswith(".dist-info") and name.name in ("METADATA", "top_level.txt"):
            files.append((Path(str(found.locate_file(name))), name.as_posix()))
    return files


def bundled_files() -> list[tuple[Path, str]]:
    """(file here, path in python.zip) of everything the component imports."""
    files: list[tuple[Path, str]] = []
    for part in PACKAGE_PARTS:
        source = _PACKAGE / part
        if source.is_dir():
            files += [(p, f"xl_seriesm/{part}/{p.relative_to(source).as_posix()}")
                      for p in sorted(source.rglob("*.py")) if "__pycache__" not in p.parts
                      and not (part == "excel" and p.name in TOOLING)]
        else:
            files.append((source, f"xl_seriesm/{part}"))
    for name, distribution in DEPENDENCIES.items():
        files += _python_files(_dependency_root(name), "")
        files += _metadata_files(distribution)
    return files


def fingerprint() -> str:
    """Changes whenever the extension's content would: the spec's texts and the bundled
    files (their size and time, so computing it reads no file)."""
    digest = hashlib.sha256()
    for name, text in sorted(generated_texts().items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    for source, name in [*bundled_files(), (_COMPONENT_SOURCE, COMPONENT)]:
        stat = source.stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def unoidl_write() -> str:
    """The SDK's IDL compiler."""
    found = shutil.which("unoidl-write")
    if found:
        return found
    from xl_seriesm import libreoffice  # noqa: PLC0415

    soffice = libreoffice.find()
    if soffice:
        program = Path(os.path.realpath(soffice)).parent
        candidate = program.parent / "sdk" / "bin" / "unoidl-write"
        if candidate.exists():
            return str(candidate)
    raise ExtensionError("unoidl-write (the LibreOffice SDK) is not installed: apt-get install "
                         "-y --no-install-recommends libreoffice-dev")


def _type_libraries() -> list[str]:
    from xl_seriesm import libreoffice  # noqa: PLC0415

    soffice = libreoffice.find()
    if soffice is None:
        raise ExtensionError("LibreOffice is not installed (apt-get install -y "
                             "--no-install-recommends libreoffice-calc-nogui)")
    program = Path(os.path.realpath(soffice)).parent
    types = program / "types.rdb"
    if not types.exists():
        raise ExtensionError(f"{types}: LibreOffice's type library is missing")
    return [str(types)]


def compile_idl(text: str) -> bytes:
    """The type library (.rdb) of an IDL text."""
    with tempfile.TemporaryDirectory(prefix="seriesm-idl-") as folder:
        source = Path(folder) / f"{INTERFACE}.idl"
        target = Path(folder) / f"{INTERFACE}.rdb"
        source.write_text(text, encoding="utf-8")
        done = subprocess.run([unoidl_write(), *_type_libraries(), str(source), str(target)],
                              capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0 or not target.exists():
            raise ExtensionError(f"unoidl-write failed: {done.stderr.strip() or done.stdout}")
        return target.read_bytes()


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _bytecode(source: bytes, name: str) -> bytes | None:
    """Hash-based bytecode (PEP 552) of a module, or None if it does not compile here."""
    import importlib.util  # noqa: PLC0415
    from importlib._bootstrap_external import (  # type: ignore[attr-defined]  # noqa: PLC0415
        _code_to_hash_pyc,
    )

    try:
        code = compile(source, name, "exec", dont_inherit=True)
    except SyntaxError:
        return None
    data: bytes = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
    return data


def python_zip() -> bytes:
    """What the component imports, with bytecode beside each module."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, name in bundled_files():
            data = source.read_bytes()
            _zip_entry(archive, name, data)
            if name.endswith(".py"):
                compiled = _bytecode(data, name)
                if compiled is not None:
                    _zip_entry(archive, name + "c", compiled)
    return out.getvalue()


def build() -> bytes:
    """The bytes of the .oxt."""
    texts = generated_texts()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(texts.items()):
            _zip_entry(archive, name, text.encode("utf-8"))
        _zip_entry(archive, f"{INTERFACE}.rdb", compile_idl(texts[f"{INTERFACE}.idl"]))
        _zip_entry(archive, COMPONENT, _COMPONENT_SOURCE.read_bytes())
        _zip_entry(archive, PYTHON_ZIP, python_zip())
    return out.getvalue()


def calc_names() -> dict[str, str]:
    """Each function's Excel name -> the name Calc knows it by (the add-in's service name and
    the method), which LibreOffice's .xlsx import needs spelled out."""
    return {f.name: f"{IMPLEMENTATION}.{f.name}".upper() for f in FUNCTIONS}
