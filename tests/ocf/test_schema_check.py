"""An OCF file is checked by jsonschema-rs (compiled) and a failure explained by jsonschema
where it sees the fault too. Items of the small package, each broken one way: each refused,
naming the place; where jsonschema refuses too, the same place."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ROOT
from xl_seriesm.ocf import schema_check
from xl_seriesm.ocf.schema_check import OcfError, validate

SMALL = ROOT / "tests" / "data" / "ocf-small"
TRANSACTIONS = json.loads((SMALL / "Transactions.ocf.json").read_text(encoding="utf-8"))

Break = Callable[[dict[str, Any]], None]
BREAKS: dict[str, Break] = {
    "fine as it is": lambda item: None,
    "no such day": lambda item: item.update(date="2006-02-30"),
    "a date with a time": lambda item: item.update(date="2006-02-03T00:00"),
    "a number with a trailing line break": lambda item: item.update(quantity="100\n"),
    "eleven decimals": lambda item: item.update(quantity="1.00000000001"),
    "a number, not a numeric string": lambda item: item.update(quantity=100),
    "a field OCF does not have": lambda item: item.update(colour="red"),
    "no id": lambda item: item.pop("id"),
    "a price without its currency": lambda item: item["share_price"].pop("currency"),
    "a currency in lower case": lambda item: item["share_price"].update(currency="usd"),
    "ids that are not text": lambda item: item.update(stock_legend_ids=[1]),
}


def _issuance() -> dict[str, Any]:
    return next(i for i in TRANSACTIONS["items"] if i["object_type"] == "TX_STOCK_ISSUANCE")


@pytest.mark.parametrize("name", BREAKS)
def test_each_fault_is_refused_at_its_place(name: str) -> None:
    item = copy.deepcopy(_issuance())
    BREAKS[name](item)
    schema = schema_check._plan("OCF_TRANSACTIONS_FILE").items["TX_STOCK_ISSUANCE"]
    fast = schema_check._checker(schema)(item)
    slow = schema_check._first_error(schema, item)
    if name == "fine as it is":
        assert fast is None
        assert slow is None
        return
    assert fast is not None
    if name == "a number with a trailing line break":
        # Python's re (so jsonschema) lets "$" match before a final line break; the schema
        # means the end of the text, as jsonschema-rs reads it.
        assert slow is None
        assert fast[0] == "quantity"
        assert "does not match" in fast[1]
    else:
        assert slow is not None
        assert fast == slow
    document = {**TRANSACTIONS, "items": [item]}
    at = "items/0" + (f"/{fast[0]}" if fast[0] else "")
    with pytest.raises(OcfError, match=f"at {at}: "):
        validate(document, "Transactions.ocf.json")


def test_a_check_leaves_the_document_as_it_found_it() -> None:
    # A warrant's quantity_source has a default in the schema; checking must not fill it in
    # (the writer checks the very dicts it then encodes).
    document = copy.deepcopy(TRANSACTIONS)
    validate(document, "Transactions.ocf.json")
    assert document == TRANSACTIONS


def test_a_reference_outside_the_vendored_schemas_is_not_fetched() -> None:
    with pytest.raises(OcfError, match="not among the vendored schemas"):
        schema_check._not_vendored("https://example.com/other.schema.json")
