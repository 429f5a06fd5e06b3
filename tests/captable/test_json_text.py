"""``captable --json`` writes its JSON faster than ``json.dumps(indent=2)`` but the very same
text, whatever the data."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from xl_seriesm.captable.report import json_text

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


_TRICKY_TEXT = st.text(alphabet="{}[],: \n\t\"\\aÄ€😀", max_size=10)


@given(st.lists(st.dictionaries(_TRICKY_TEXT, _SCALARS | _TRICKY_TEXT, min_size=1,
                                max_size=5), min_size=1, max_size=5))
def test_rows_of_plain_values(rows: list[dict[str, object]]) -> None:
    data = {"holders": rows, "nested": {"rows": rows, "empty": [{}]}}
    assert json_text(data) == json.dumps(data, indent=2)
    assert json_text(rows) == json.dumps(rows, indent=2)
