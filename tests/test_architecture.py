"""The package's shape: imports point down only, no module imports itself round a loop, the
root holds only its entry points, and no hand-written module is longer than a reader can
hold. ARCHITECTURE.md says why; the layers are written down here, once.

The import graph is read from the source with ``ast`` (module-level and function-level
imports, ``TYPE_CHECKING`` ones too), never by importing. An edge goes to the module named:
``from xl_seriesm.excel import udfs`` is an edge to ``xl_seriesm.excel.udfs``, ``from
xl_seriesm.engine import CellError`` one to the package ``xl_seriesm.engine``. A package's
parents, which Python also runs, add no edge (every submodule would otherwise loop through
its package's ``__init__``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xl_seriesm"

#: From the top down. A module may import its own layer and the layers below it, never one
#: above. Folders of one layer may import each other (the cap table reads the template's
#: inputs, the OCF reader the cap table's events; the engine drives the LibreOffice
#: extension), but not round a loop: the cycle check holds inside a layer too.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli", "__main__"),                              # the command line: may use everything
    ("regress",),                                     # preflight, comparison, reports
    ("engine", "libreoffice"),                        # books computed without Excel
    ("workbook", "captable", "ocf", "derivation"),    # templates, ledger, OCF, the memo
    ("excel", "udfs"),                                # the Excel face (udfs: its public name)
    ("xlsx", "bulk"),                                 # the file format; many rows at once
    ("core",),                                        # the certificate, exact and pure
    ("",),                                            # xl_seriesm/__init__.py: the version
)

#: What the package's root may hold: the package, ``python -m xl_seriesm``, and the
#: functions' public module name (the classic add-in's UDF Modules and Lite's main.py).
ROOT_MODULES = {"__init__.py", "__main__.py", "udfs.py"}

#: No hand-written module longer than this many lines.
LINE_LIMIT = 500
#: Modules allowed past it for now, with the reason; an entry no longer needed fails too.
OVER_LIMIT: dict[str, str] = {}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of ``known`` that module ``name`` imports."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return {m for m in found if m in known and m != name}


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py"))
             if "__pycache__" not in p.parts}
    known = set(paths)
    return {name: imports_of(path.read_text(encoding="utf-8"), name,
                             path.name == "__init__.py", known)
            for name, path in paths.items()}


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Each import loop once, as the modules round it (Tarjan's strongly connected
    components of more than one module, or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_of(module: str) -> int:
    """The layer of a module of xl_seriesm: 0 is the top."""
    folder = module.split(".")[1] if "." in module else ""
    for depth, folders in enumerate(LAYERS):
        if folder in folders:
            return depth
    raise AssertionError(f"{module}: its folder {folder!r} is in no layer of LAYERS; add it")


def upward_imports(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Each import from a lower layer to a higher one, as 'importer -> imported'."""
    return [f"{source} -> {target}" for source, targets in sorted(graph.items())
            for target in sorted(targets) if layer_of(target) < layer_of(source)]


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_no_import_cycle_in_the_benchmarks() -> None:
    assert cycles(import_graph(ROOT / "benchmarks")) == []


def test_imports_point_down_the_layers_only() -> None:
    assert upward_imports(import_graph(PACKAGE)) == []


def test_every_folder_has_a_layer() -> None:
    for module in import_graph(PACKAGE):
        layer_of(module)


def test_the_root_holds_only_its_entry_points() -> None:
    assert {p.name for p in PACKAGE.glob("*.py")} <= ROOT_MODULES


def test_no_hand_written_module_is_too_long() -> None:
    lengths = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
               for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    too_long = {name: n for name, n in lengths.items()
                if n > LINE_LIMIT and name not in OVER_LIMIT}
    assert too_long == {}
    no_longer_needed = [name for name in OVER_LIMIT if lengths.get(name, 0) <= LINE_LIMIT]
    assert no_longer_needed == [], "remove them from OVER_LIMIT"


# --- the checks can fail: each on a small tree that breaks its rule --------------------------

def _tree(tmp_path: Path, modules: Mapping[str, str]) -> Path:
    root = tmp_path / "xl_seriesm"
    for name, source in modules.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_a_loop_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "excel/__init__.py": "",
        "excel/udfs.py": "from xl_seriesm.excel import explain\n",
        "excel/explain.py": "def run():\n    from xl_seriesm.excel import udfs\n",
    })
    assert cycles(import_graph(root)) == [["xl_seriesm.excel.explain", "xl_seriesm.excel.udfs"]]


def test_a_relative_import_loop_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "workbook/__init__.py": "",
        "workbook/model.py": "from . import payouts\n",
        "workbook/payouts.py": "from .model import Sheet\n",
    })
    assert cycles(import_graph(root)) == [["xl_seriesm.workbook.model",
                                           "xl_seriesm.workbook.payouts"]]


def test_an_import_up_the_layers_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "regress/__init__.py": "",
        "regress/cache.py": "",
        "workbook/__init__.py": "",
        "workbook/writer.py": "from xl_seriesm.regress.cache import cached_text\n",
        "core/__init__.py": "",
        "core/terms.py": "import xl_seriesm.workbook.writer\n",
    })
    assert upward_imports(import_graph(root)) == [
        "xl_seriesm.core.terms -> xl_seriesm.workbook.writer",
        "xl_seriesm.workbook.writer -> xl_seriesm.regress.cache",
    ]


def test_a_folder_outside_the_layers_is_named() -> None:
    with pytest.raises(AssertionError, match="'plugins' is in no layer"):
        layer_of("xl_seriesm.plugins.extra")
