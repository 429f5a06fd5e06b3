"""Validating OCF documents against the vendored OCF v1.2.0 JSON schemas (no network)."""

from __future__ import annotations

import json
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
def _validators() -> dict[str, Any]:
    from jsonschema import Draft7Validator  # noqa: PLC0415
    from referencing import Registry, Resource  # noqa: PLC0415
    from referencing.jsonschema import DRAFT7  # noqa: PLC0415

    documents = [json.loads(path.read_text(encoding="utf-8"))
                 for path in sorted(SCHEMA_ROOT.rglob("*.schema.json"))]
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT7))
        for doc in documents)
    by_id = {doc["$id"]: doc for doc in documents}
    return {file_type: Draft7Validator(by_id[f"{_BASE}{name}.schema.json"], registry=registry)
            for file_type, name in FILE_SCHEMAS.items()}


def validate(document: object, where: str) -> str:
    """Check one OCF file against the schema of its ``file_type``; returns the file type."""
    file_type = document.get("file_type") if isinstance(document, dict) else None
    if file_type not in FILE_SCHEMAS:
        raise OcfError(f"{where}: file_type {file_type!r} is not an OCF file type; use one of "
                       f"{', '.join(FILE_SCHEMAS)}")
    validator = _validators()[file_type]
    error = next(iter(sorted(validator.iter_errors(document), key=lambda e: list(e.path))), None)
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise OcfError(f"{where}: not valid OCF {file_type} at {at}: {error.message[:300]}")
    return str(file_type)
