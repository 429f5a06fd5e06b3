"""The spec is the one source: it matches the functions, fits Excel's limits, and its worked
examples (derived by hand in the spec) come out of the functions."""

from __future__ import annotations

import inspect

import pytest

from tests.conftest import ROOT
from xl_seriesm import udfs
from xl_seriesm.excel import docs
from xl_seriesm.excel.spec import (
    EXCEL_TEXT_LIMIT,
    FUNCTIONS,
    REQUIRED,
    WIZARD_ARGUMENT_LIMIT,
    Example,
    Function,
)

EXAMPLES = [(f, e) for f in FUNCTIONS for e in f.examples]


def test_every_spec_entry_is_an_excel_function_and_back() -> None:
    exported = {name for name in dir(udfs) if name.startswith("SERIESM_")}
    assert exported == {f.name for f in FUNCTIONS}


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_signature_matches_the_spec(function: Function) -> None:
    params = inspect.signature(getattr(udfs, function.name)).parameters.values()
    assert [p.name for p in params] == list(function.arg_names)
    for param, arg in zip(params, function.args, strict=True):
        default = REQUIRED if param.default is inspect.Parameter.empty else param.default
        assert default == arg.default
    # Optional arguments come after the required ones (Excel shows them in brackets).
    flags = [a.optional for a in function.args]
    assert flags == sorted(flags)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_help_fits_the_function_wizard(function: Function) -> None:
    assert len(function.description) <= EXCEL_TEXT_LIMIT
    assert function.description.endswith(".")
    for arg in function.args:
        assert len(arg.description) <= EXCEL_TEXT_LIMIT, arg.name
        assert arg.description.endswith("."), arg.name
    # The wizard breaks when the argument count plus their names' length passes about 254.
    assert len(function.args) + sum(len(a.name) for a in function.args) < WIZARD_ARGUMENT_LIMIT
    assert getattr(udfs, function.name).__doc__ == function.description


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_every_function_documents_what_it_promises(function: Function) -> None:
    assert function.section.startswith("§")
    assert function.examples, "a worked example"
    assert function.errors, "its errors"
    assert function.rounding, "where it rounds"
    assert function.reading, "which reading of the text it takes"


@pytest.mark.parametrize(("function", "example"), EXAMPLES,
                         ids=[f"{f.name}-{i}" for f in FUNCTIONS for i, _ in enumerate(f.examples)])
def test_worked_example(function: Function, example: Example) -> None:
    assert getattr(udfs, function.name)(*example.args) == example.result, example.derivation


def test_udf_docs_are_generated_from_the_spec() -> None:
    # `seriesm docs` regenerates the folder; this fails when a page drifts from the spec.
    folder = ROOT / "udf_docs"
    wanted = docs.pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert sorted(on_disk) == sorted(wanted), "run `seriesm docs`"
    for name, text in wanted.items():
        assert on_disk[name] == text, f"udf_docs/{name} is stale: run `seriesm docs`"


def test_readme_function_table_is_generated_from_the_spec() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.with_readme_table(readme) == readme, "run `seriesm docs`"


def test_each_page_has_the_required_parts() -> None:
    for function in FUNCTIONS:
        page = docs.page(function)
        for heading in ("## Syntax", "## Arguments", "## Result", "Rounding:", "## Formula",
                        "## Errors", "## Worked examples", "## Reading of the certificate"):
            assert heading in page, (function.name, heading)
        assert function.section in page
