"""The Payouts sheet has the same cells in both flavors: each column it heads is filled in
the add-in flavor too (its SERIESM_PAYOUTS in column D beside the rule spelled out), and
recalculated there every one of them is the core's figure."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, require_libreoffice
from xl_seriesm.cli import main
from xl_seriesm.cli.sample import SAMPLE
from xl_seriesm.engine import recalc
from xl_seriesm.workbook import model
from xl_seriesm.workbook.verify import differences
from xl_seriesm.workbook.writer import Flavor

STACK = ROOT / "docs" / "example-stack.csv"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("payouts-flavors")
    assert main(["template", "--out", str(root / "plain"), "--flavor", "both"]) == 0
    assert main(["template", "--out", str(root / "stack"), "--stack", str(STACK),
                 "--flavor", "both"]) == 0
    return {"plain": root / "plain", "stack": root / "stack"}


@pytest.mark.parametrize("case", ["plain", "stack"])
def test_every_headed_column_is_filled_in_the_add_in_flavor(books: dict[str, Path],
                                                            case: str) -> None:
    udf = openpyxl.load_workbook(books[case] / Flavor.UDF.filename)["Payouts"]
    native = openpyxl.load_workbook(books[case] / Flavor.NATIVE.filename)["Payouts"]
    missing = [c.coordinate for row in native.iter_rows() for c in row
               if c.value is not None and udf[c.coordinate].value is None
               and not (c.column == 4 and c.row > 11)]  # D12...: filled by D11's array
    assert missing == []
    # The first holder's row under each heading, and the summary cells B4 to B9.
    headed = [udf.cell(10, column).value for column in range(1, 13)]
    assert all(headed)
    assert all(udf.cell(11, column).value is not None for column in range(1, 13))
    assert all(udf[f"B{row}"].value is not None for row in range(4, 10))


@pytest.mark.libreoffice
def test_the_add_in_flavor_recalculated_is_the_cores() -> None:
    # The sample's add-in book recalculated with the functions: the price, the cents left,
    # each holder's choice, exact payout, whole cents and remainders are the core's, as the
    # built-ins flavor's are; the add-in book leaves no computed Payouts cell to the other.
    require_libreoffice()
    built = model.build(SAMPLE)
    assert not {ref for ref in built.native_only() if ref[0] == "Payouts"}
    path = ROOT / "workbooks" / Flavor.UDF.filename
    values = recalc.calculate(path)
    assert differences(built, values, built.native_only()) == []
    # Hand check of one figure: the sample at its 66,000,000 exit converts every holder
    # (1.5 × the 44,092,048.62 breakpoint, rounded), so the common price is (66,000,000 −
    # 799,861.12 accrued paid first) ÷ (138,500,000 + 36,860,759.49 common) = 0.371805….
    price = values[("Payouts", "B6")]
    assert isinstance(price, float)
    assert price == pytest.approx((66_000_000 - 799_861.12) / (138_500_000 + 9100 * 320_000
                                                                / 79), rel=1e-12)
