"""The capital stack besides the Series M and the common, to and from OCF."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from xl_seriesm.captable.events import read_events
from xl_seriesm.core.ledger import state_at
from xl_seriesm.core.stack import Kind, Participation, StackClass
from xl_seriesm.ocf.issuer import Issuer
from xl_seriesm.ocf.reader import read_package
from xl_seriesm.ocf.schema_check import OcfError
from xl_seriesm.ocf.stack import FULL_PARTICIPATION, read_stack
from xl_seriesm.ocf.writer import write_package

F = Fraction
EXAMPLE = ROOT / "docs" / "example-ledger.csv"
ISSUER = Issuer(formation_date=date(1996, 4, 1))
STACK = (
    StackClass("Series L", Kind.PREFERRED, F(1_000_000), F(1)),
    StackClass("Series K", Kind.PREFERRED, F(250_000), F("2.5"), 2, Participation.CAPPED,
               F(3), F(2)),
    StackClass("Series J", Kind.PREFERRED, F(10), F(100), 2, Participation.FULL),
    StackClass("Pool", Kind.OPTION, F(10_000_000), strike=F(1, 10)),
    StackClass("Bank warrant", Kind.WARRANT, F(500_000), strike=F("0.35")),
)


@pytest.mark.parametrize("name", ["package", "package.zip"])
def test_the_stack_makes_the_round_trip(tmp_path: Path, name: str) -> None:
    as_of = date(2006, 6, 30)
    state = state_at(read_events(EXAMPLE), as_of)
    out = write_package(state, ISSUER, tmp_path / name, force=False, stack=STACK)
    package = read_package(out)
    assert package.stack_at(as_of) == STACK
    # The ledger reads as before, and nothing of the stack is counted as not taken.
    again = state_at(package.events, as_of)
    assert {h.holder: h for h in again.holders} == {h.holder: h for h in state.holders}
    assert package.ignored == {}
    # Before the as-of date the package wrote them on, none of them is outstanding.
    assert package.stack_at(date(2006, 6, 29)) == ()
    if out.is_dir():
        classes = json.loads((out / "StockClasses.ocf.json").read_text(encoding="utf-8"))
        seniority = {c["name"]: int(c["seniority"]) for c in classes["items"]}
        # OCF pays the higher seniority first: the Series M above all (§3(a)), then the
        # Series L (1 here), then the Series K and J (2 here), the common last.
        assert seniority == {"Series M Convertible Preferred Stock": 4, "Series L": 3,
                             "Series K": 2, "Series J": 2, "Common Stock": 1}


def _class(cid: str, seniority: str, **more: Any) -> dict[str, Any]:
    return {"object_type": "STOCK_CLASS", "id": cid, "name": f"Class {cid}",
            "class_type": "PREFERRED", "seniority": seniority, **more}


def _tx(kind: str, day: str, security: str, **more: Any) -> dict[str, Any]:
    return {"object_type": kind, "id": f"{kind}-{security}-{day}", "date": day,
            "security_id": security, **more}


def test_the_stack_at_a_date_worked_by_hand() -> None:
    usd = {"currency": "USD"}
    items = {
        "stock_classes": [
            {"object_type": "STOCK_CLASS", "id": "m", "name": "Series M",
             "class_type": "PREFERRED", "seniority": "9"},
            {"object_type": "STOCK_CLASS", "id": "cs", "name": "Common", "class_type": "COMMON",
             "seniority": "1"},
            # $1.50 × 2 = $3.00 a share; OCF's cap 6 × the price is 3 × the preference.
            _class("a", "5", price_per_share={"amount": "1.50", **usd},
                   liquidation_preference_multiple="2", participation_cap_multiple="6",
                   conversion_rights=[{"conversion_mechanism": {
                       "type": "RATIO_CONVERSION",
                       "ratio": {"numerator": "3", "denominator": "2"}}}]),
            _class("b", "3", price_per_share={"amount": "1", **usd},
                   comments=[FULL_PARTICIPATION]),
        ],
        "transactions": [
            # Class a: 1,000 issued; 400 transferred with a balance of 600 (the resulting
            # and the balance securities issued again): still 1,000; 100 repurchased off the
            # balance, a new balance of 500: 900.
            _tx("TX_STOCK_ISSUANCE", "2006-01-01", "a1", stock_class_id="a", quantity="1000"),
            _tx("TX_STOCK_TRANSFER", "2006-02-01", "a1", quantity="400",
                resulting_security_ids=["a2"], balance_security_id="a3"),
            _tx("TX_STOCK_ISSUANCE", "2006-02-01", "a2", stock_class_id="a", quantity="400"),
            _tx("TX_STOCK_ISSUANCE", "2006-02-01", "a3", stock_class_id="a", quantity="600"),
            _tx("TX_STOCK_REPURCHASE", "2006-03-01", "a3", quantity="100",
                balance_security_id="a4"),
            _tx("TX_STOCK_ISSUANCE", "2006-03-01", "a4", stock_class_id="a", quantity="500"),
            # Class b: 50 issued, 20 cancelled without a balance: 30.
            _tx("TX_STOCK_ISSUANCE", "2006-01-01", "b1", stock_class_id="b", quantity="50"),
            _tx("TX_STOCK_CANCELLATION", "2006-04-01", "b1", quantity="20"),
            # Options at $0.10: 1,000 + 500 granted, 200 exercised, 100 cancelled: 1,200.
            _tx("TX_EQUITY_COMPENSATION_ISSUANCE", "2006-01-01", "o1",
                compensation_type="OPTION_ISO", quantity="1000",
                exercise_price={"amount": "0.10", **usd}),
            _tx("TX_EQUITY_COMPENSATION_ISSUANCE", "2006-01-02", "o2",
                compensation_type="OPTION_NSO", quantity="500",
                exercise_price={"amount": "0.1", **usd}),
            _tx("TX_EQUITY_COMPENSATION_EXERCISE", "2006-05-01", "o1", quantity="200"),
            _tx("TX_EQUITY_COMPENSATION_CANCELLATION", "2006-05-02", "o2", quantity="100"),
            # An RSU is not an option: not taken. A grant after the date: not yet.
            _tx("TX_EQUITY_COMPENSATION_ISSUANCE", "2006-01-01", "r1", compensation_type="RSU",
                quantity="700"),
            _tx("TX_EQUITY_COMPENSATION_ISSUANCE", "2006-07-01", "o3",
                compensation_type="OPTION", quantity="9",
                exercise_price={"amount": "0.10", **usd}),
            # Warrants: 300 at $1.50 exercised (gone); 200 at $2, 50 cancelled: 150.
            _tx("TX_WARRANT_ISSUANCE", "2006-01-01", "w1", quantity="300",
                exercise_price={"amount": "1.50", **usd}),
            _tx("TX_WARRANT_EXERCISE", "2006-06-01", "w1", trigger_id="t"),
            _tx("TX_WARRANT_ISSUANCE", "2006-01-01", "w2", quantity="200",
                exercise_price={"amount": "2", **usd}),
            _tx("TX_WARRANT_CANCELLATION", "2006-06-01", "w2", quantity="50"),
        ],
    }
    ignored: dict[str, int] = {}
    stack = read_stack(items, "m", "cs", date(2006, 6, 30), "test", ignored)
    assert stack == (
        StackClass("Class a", Kind.PREFERRED, F(900), F(3), 1, Participation.CAPPED, F(3),
                   F(3, 2)),
        StackClass("Class b", Kind.PREFERRED, F(30), F(1), 2, Participation.FULL),
        StackClass("Options at $0.10", Kind.OPTION, F(1200), strike=F(1, 10)),
        StackClass("Warrants at $2.00", Kind.WARRANT, F(150), strike=F(2)),
    )
    assert ignored == {"equity compensation RSU": 1}
    # After 2006-07-01 the third grant counts too.
    later = read_stack(items, "m", "cs", None, "test")
    assert later[2].shares == 1209
    # A preferred class with shares and no price cannot say its preference.
    del items["stock_classes"][3]["price_per_share"]
    with pytest.raises(OcfError, match=r"'b' \(Class b\) has no price_per_share"):
        read_stack(items, "m", "cs", None, "test")
