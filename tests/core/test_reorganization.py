"""§5(d) Reorganizations, worked by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.reorganization import (
    Event,
    consideration_on_conversion,
    parse_event,
    reorganization,
)

F = Fraction


@pytest.mark.parametrize(("event", "sold", "all_assets", "expected", "why"), [
    ("capital reorganization", None, True, True, "§5(d) 'a capital reorganization of the "
     "Common Stock'"),
    ("merger", None, True, True, "'a merger or consolidation of the Company with or into "
     "another corporation', whatever the voting power kept (unlike §3(c)(i))"),
    ("consolidation", None, True, True, "as a merger"),
    ("asset sale", None, True, True, "'the sale of all or substantially all' the assets"),
    ("asset sale", None, False, False, "a sale of some of the assets is not one"),
    ("share sale", 0.51, True, True, "'more than fifty percent (50%) of the outstanding voting "
     "securities ... (on an as converted basis)' sold"),
    ("share sale", 0.5, True, False, "exactly 50% is not more than 50%"),
    ("split", None, True, False, "§5(d) excludes 'a subdivision, combination, "
     "reclassification or exchange of shares provided for in Section 5(c)'"),
])
def test_reorganization(event: str, sold: float | None, all_assets: bool, expected: bool,
                        why: str) -> None:
    verdict = reorganization(parse_event(event), None if sold is None else F(str(sold)),
                             all_assets)
    assert verdict.is_reorganization is expected, why
    assert verdict.reason.startswith("yes" if expected else "no")


def test_share_sale_needs_the_fraction_sold() -> None:
    with pytest.raises(SeriesMError, match="voting_securities_sold = \\(empty\\): required"):
        reorganization(Event.SHARE_SALE)


def test_consideration_per_series_m_share() -> None:
    # §5(d): what the holder 'would have been entitled [to] if such holder had converted ...
    # immediately prior': 1 share at 30,000/7 common, $0.35 a common share: 30,000/7 × 0.35
    # = $1,500 exactly; 250 shares at 4,000 and $0.30: 1,000,000 × 0.30 = $300,000.
    assert consideration_on_conversion(F(1), F(35, 100), F(30000, 7)) == 1500
    assert consideration_on_conversion(F(250), F(3, 10)) == 300_000
