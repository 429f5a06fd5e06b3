"""Validating OCF documents against the vendored OCF v1.2.0 JSON schemas (no network)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_ROOT = Path(__file__).parent / "schema"
_BASE = "https://schema.opencaptablecoalition.com/v/1.2.0/"
#: The schema of each OCF file type.
FILE_SCHEMAS = {
    "OCF_MANIFEST_FILE": "files/OCFManifestFile",
    "OCF_STAKEHOLDERS_FILE": "files/StakeholdersFile",
    "OCF_STOCK_CLASSES_FILE": "files/StockClassesFile",
    "OCF_STOCK_LEGEND_TEMPLATES_FILE": "files/StockLegendTemplatesFile",
    "OCF_STOCK_PLANS_FILE": "files/StockPlansFile",
    "OCF_TRANSACTIONS_FILE": "files/TransactionsFile",
    "OCF_VALUATIONS_FILE": "files/ValuationsFile",
    "OCF_VESTING_TERMS_FILE": "files/VestingTermsFile",
    "OCF_FINANCINGS_FILE": "files/FinancingsFile",
    "OCF_DOCUMENTS_FILE": "files/DocumentsFile",
}


class OcfError(ValueError):
    """A package that is not valid OCF, or that the ledger cannot take, with the file."""


@cache
def _documents() -> dict[str, dict[str, Any]]:
    """Every vendored schema by its ``$id``."""
    documents = [json.loads(path.read_text(encoding="utf-8"))
                 for path in sorted(SCHEMA_ROOT.rglob("*.schema.json"))]
    return {doc["$id"]: doc for doc in documents}


@cache
def _registry() -> Any:
    from referencing import Registry, Resource  # noqa: PLC0415
    from referencing.jsonschema import DRAFT7  # noqa: PLC0415

    empty: Registry[Any] = Registry()
    return empty.with_resources(
        (uri, Resource.from_contents(doc, default_specification=DRAFT7))
        for uri, doc in _documents().items())


@cache
def _explainer(schema: str) -> Any:
    """jsonschema's validator of one schema, dates checked too: slow, but it says where and
    why in words people read."""
    from jsonschema import Draft7Validator  # noqa: PLC0415

    return Draft7Validator(_documents()[schema], registry=_registry(),
                           format_checker=Draft7Validator.FORMAT_CHECKER)


def _not_vendored(uri: str, /) -> Any:
    """Every schema the OCF schemas name is vendored; nothing is fetched."""
    raise OcfError(f"the OCF schemas name {uri}, which is not among the vendored schemas")


@cache
def _fast_registry() -> Any:
    import jsonschema_rs  # noqa: PLC0415

    return jsonschema_rs.Registry(list(_documents().items()), retriever=_not_vendored)


@cache
def _checker(schema: str) -> Callable[[object], tuple[str, str] | None]:
    """The check of one schema, None when valid, else where and why: by jsonschema-rs,
    compiled in Rust (20,000 transactions in about 20 ms, a tenth of fastjsonschema's
    generated Python, and built in milliseconds). It reads a pattern's ``$`` as the end of
    the text, as the schemas mean it (Python's ``re``, and so jsonschema, lets a number
    end in a line break). A failure is explained in jsonschema's words where jsonschema
    sees it too (its first error by place), else in jsonschema-rs's own."""
    try:
        import jsonschema_rs  # noqa: PLC0415
    except ImportError as error:
        raise OcfError("checking OCF needs jsonschema-rs; install xl-seriesm[workbooks]"
                       ) from error
    validator = jsonschema_rs.Draft7Validator(
        _documents()[schema], validate_formats=True, registry=_fast_registry(),
        retriever=_not_vendored)

    def check(document: object) -> tuple[str, str] | None:
        if validator.is_valid(document):
            return None
        first = _first_error(schema, document)
        if first is not None:
            return first
        error = min(validator.iter_errors(document),
                    key=lambda e: [str(p) for p in e.instance_path])
        return "/".join(str(p) for p in error.instance_path), error.message[:300]

    return check


@dataclass(frozen=True)
class _Plan:
    """How a file type is checked: the file without its items, then each item against the
    schema its ``object_type`` names (what the file schema's ``oneOf`` comes to, since each
    object schema fixes its ``object_type``: one compiled check per item, not forty)."""

    shell: str  # the file's own schema, its items left to the item schemas
    items: dict[str, str]  # object_type -> schema id ("*" when every item has one schema)


_SHELL = "urn:xl-seriesm:shell:"


@cache
def _plan(file_type: str) -> _Plan:
    documents = _documents()
    uri = f"{_BASE}{FILE_SCHEMAS[file_type]}.schema.json"
    schema = documents[uri]
    each = schema.get("properties", {}).get("items", {}).get("items")
    if each is None:
        return _Plan(uri, {})
    shell = json.loads(json.dumps(schema))
    shell["properties"]["items"]["items"] = {}
    shell["$id"] = _SHELL + file_type
    documents[shell["$id"]] = shell
    if "$ref" in each:
        return _Plan(shell["$id"], {"*": each["$ref"]})
    by_type = {}
    for option in each["oneOf"]:
        fixed = documents[option["$ref"]]["properties"]["object_type"]
        for kind in fixed["enum"] if "enum" in fixed else [fixed["const"]]:
            if kind in by_type:  # two schemas for one type: only the oneOf can decide
                raise AssertionError(f"{file_type}: object_type {kind} in two schemas")
            by_type[kind] = option["$ref"]
    return _Plan(shell["$id"], by_type)


def _first_error(schema: str, document: object) -> tuple[str, str] | None:
    errors = sorted(_explainer(schema).iter_errors(document), key=lambda e: list(e.path))
    if not errors:
        return None
    return "/".join(str(p) for p in errors[0].absolute_path), errors[0].message[:300]


def validate(document: object, where: str) -> str:
    """Check one OCF file against the schema of its ``file_type``; returns the file type."""
    file_type = document.get("file_type") if isinstance(document, dict) else None
    if file_type not in FILE_SCHEMAS:
        raise OcfError(f"{where}: file_type {file_type!r} is not an OCF file type; use one of "
                       f"{', '.join(FILE_SCHEMAS)}")
    assert isinstance(document, dict)
    plan = _plan(file_type)

    def refuse(at: str, message: str) -> OcfError:
        return OcfError(f"{where}: not valid OCF {file_type} at {at or '(top)'}: {message}")

    items = document.get("items")
    if plan.items and isinstance(items, list):
        shell = {**document, "items": []}
        wrong = _checker(plan.shell)(shell)
        if wrong:
            raise refuse(*wrong)
        for index, item in enumerate(items):
            kind = item.get("object_type") if isinstance(item, dict) else None
            schema = plan.items.get("*") or (plan.items.get(kind) if isinstance(kind, str)
                                             else None)
            if schema is None:
                raise refuse(f"items/{index}", f"object_type {kind!r} is not one of "
                             f"{', '.join(sorted(plan.items))}")
            wrong = _checker(schema)(item)
            if wrong:
                at, message = wrong
                raise refuse(f"items/{index}" + (f"/{at}" if at else ""), message)
        return str(file_type)
    wrong = _checker(plan.shell)(document)
    if wrong:
        raise refuse(*wrong)
    return str(file_type)
