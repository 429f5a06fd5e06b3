"""The OCF issuer a package is written for (its own module: ``seriesm captable`` makes one
for every ledger, and the writer's imports are not needed to say who the issuer is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Issuer:
    """The OCF issuer; the ledger does not know the formation date, so it is given."""

    legal_name: str = "nStor Technologies, Inc."
    formation_date: date | None = None
    country_of_formation: str = "US"
    country_subdivision_of_formation: str = "DE"
