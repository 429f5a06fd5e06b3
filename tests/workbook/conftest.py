"""Books several workbook tests read: written once per test process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from xl_seriesm.cli import main


@pytest.fixture(scope="session")
def classes_ledger_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both flavors from the README's classes ledger and stack table at 2006-06-30."""
    out = tmp_path_factory.mktemp("classes-ledger-books")
    assert main(["template", "--events", str(ROOT / "docs" / "example-classes-ledger.csv"),
                 "--stack", str(ROOT / "docs" / "example-stack.csv"), "--as-of",
                 "2006-06-30", "--market-price", "0.18", "--out", str(out),
                 "--flavor", "both"]) == 0
    return out
