"""``captable --json`` writes its JSON faster than ``json.dumps(indent=2)`` but the very same
text, whatever the data."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.bulk.json_text import json_text

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
            | st.text(max_size=8))
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=30)


@given(_JSON)
def test_the_standard_library_text(data: object) -> None:
    assert json_text(data) == json.dumps(data, indent=2)


def test_keys_that_are_not_text() -> None:
    data = {"holders": [{1: "one", None: math.inf, 2.5: [True]}], "a": {}, "b": []}
    assert json_text(data) == json.dumps(data, indent=2)


def test_a_holder_row() -> None:
    assert json_text({"holders": [{"holder": "Ä", "votes": 4000, "share": 0.5,
                                   "from": None}]}) == (
        '{\n  "holders": [\n    {\n      "holder": "\\u00c4",\n      "votes": 4000,\n'
        '      "share": 0.5,\n      "from": null\n    }\n  ]\n}')


_TRICKY_TEXT = (st.text(alphabet="{}[],: \n\t\"\\aÄ€😀\x00", max_size=10)
                | st.sampled_from(["\x00", '"\x00', "\\u0000"]))


@given(st.lists(st.dictionaries(_TRICKY_TEXT, _SCALARS | _TRICKY_TEXT, min_size=1,
                                max_size=5), min_size=1, max_size=5))
def test_rows_of_plain_values(rows: list[dict[str, object]]) -> None:
    data = {"holders": rows, "nested": {"rows": rows, "empty": [{}]}}
    assert json_text(data) == json.dumps(data, indent=2)
    assert json_text(rows) == json.dumps(rows, indent=2)


@given(_JSON, st.booleans())
def test_the_standard_library_text_either_ascii(data: object, ensure_ascii: bool) -> None:
    # The OCF package is written with ensure_ascii=False (UTF-8 names as they are).
    assert (json_text(data, ensure_ascii=ensure_ascii)
            == json.dumps(data, indent=2, ensure_ascii=ensure_ascii))


@given(st.lists(st.dictionaries(
    _TRICKY_TEXT, _SCALARS | _TRICKY_TEXT | st.lists(_TRICKY_TEXT, max_size=2)
    | st.dictionaries(_TRICKY_TEXT, _SCALARS, max_size=3), min_size=1, max_size=6),
    min_size=1, max_size=4))
def test_items_with_nested_fields(items: list[dict[str, object]]) -> None:
    # An OCF transaction: plain fields around a price ({amount, currency}) and lists of ids;
    # the runs of plain fields are encoded together, the nested ones each on their own.
    data = {"file_type": "OCF_TRANSACTIONS_FILE", "items": items}
    assert json_text(data, ensure_ascii=False) == json.dumps(data, indent=2, ensure_ascii=False)
    assert json_text(data) == json.dumps(data, indent=2)


def test_a_transaction_by_hand() -> None:
    item = {"id": "tx-1", "share_price": {"amount": "1", "currency": "USD"}, "ids": [],
            "quantity": "5", "name": "Ä"}
    assert json_text([item], ensure_ascii=False) == (
        '[\n  {\n    "id": "tx-1",\n    "share_price": {\n      "amount": "1",\n'
        '      "currency": "USD"\n    },\n    "ids": [],\n    "quantity": "5",\n'
        '    "name": "Ä"\n  }\n]')


@given(st.lists(st.dictionaries(
    _TRICKY_TEXT, _SCALARS | _TRICKY_TEXT | _JSON, min_size=1, max_size=5),
    min_size=1, max_size=4))
def test_rows_with_values_nested_deeper(rows: list[dict[str, object]]) -> None:
    # Rows whose nested values hold lists of rows in turn: each nested value is written on
    # its own at its depth and put in its row's place.
    data = {"items": rows}
    assert json_text(data, ensure_ascii=False) == json.dumps(data, indent=2, ensure_ascii=False)
    assert json_text(rows) == json.dumps(rows, indent=2)


def test_a_row_whose_text_is_the_placeholder() -> None:
    # A nested value's place is marked by a lone NUL while the rows are encoded; a row that
    # holds a lone NUL itself (a key or a value) must still come out as json.dumps writes it.
    rows = [{"\x00": "\x00", "price": {"amount": "1"}, "ids": ["\x00"]},
            {"name": "\x00", "ids": ["a"]}]
    assert json_text(rows) == json.dumps(rows, indent=2)
    assert json_text({"items": rows}, ensure_ascii=False) == json.dumps(
        {"items": rows}, indent=2, ensure_ascii=False)


def test_a_list_of_ids_in_a_row_by_hand() -> None:
    rows = [{"id": "tx-2", "resulting_security_ids": ["sec-1"], "empty": {}},
            {"id": "tx-3", "ids": [], "mechanism": {"ratio": {"numerator": "1"}}}]
    assert json_text(rows) == (
        '[\n  {\n    "id": "tx-2",\n    "resulting_security_ids": [\n      "sec-1"\n    ],\n'
        '    "empty": {}\n  },\n  {\n    "id": "tx-3",\n    "ids": [],\n    "mechanism": {\n'
        '      "ratio": {\n        "numerator": "1"\n      }\n    }\n  }\n]')
