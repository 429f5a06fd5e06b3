"""A ledger's events of the other classes to OCF and back: every issue, transfer, grant,
exercise and cancellation written as an OCF transaction (schema-checked when written), and
the holdings, the stack and the Series M's figures read back the same at the as-of date."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from xl_seriesm.captable.events import read_ledger
from xl_seriesm.captable.ledger_stack import Classes, from_ledger, from_package
from xl_seriesm.core.ledger import CapTableState, state_at
from xl_seriesm.core.ledger_classes import (
    ClassEvent,
    ClassEventKind,
    ClassState,
    StackRow,
    replay,
    series_m_events,
)
from xl_seriesm.core.stack import Kind, StackClass
from xl_seriesm.ocf.class_ledger import LedgerClasses
from xl_seriesm.ocf.issuer import Issuer
from xl_seriesm.ocf.reader import read_package
from xl_seriesm.ocf.writer import write_package

F = Fraction
ISSUER = Issuer(formation_date=date(1996, 4, 1))
TERMS = (StackClass("Series L", Kind.PREFERRED, F(1_000_000), F(1)),
         StackClass("Pool", Kind.OPTION, F(10_000_000), strike=F(1, 10)),
         StackClass("Bank warrant", Kind.WARRANT, F(500_000), strike=F("0.35")),
         StackClass("Series K", Kind.PREFERRED, F(300), F(50), 2))  # no events: as given
LEDGER = """date,event,class,holder,to_holder,series_m_shares,common_shares,amount,shares,strike
2005-01-10,issue,,A,,5000,,,,
2005-01-10,issue,,B,,4100,,,,
2005-01-10,outstanding,,,,,100000000,,,
2005-02-01,issue,Series L,L Fund,,,,,1000000,
2005-02-01,issue,Series L,L Fund,,,,,200000,
2005-03-01,grant,Pool,E1,,,,,6000000,0.10
2005-03-01,grant,Pool,E2,,,,,4000000,0.10
2005-06-01,grant,Pool,E3,,,,,500000,0.50
2005-07-01,cancel,Pool,E3,,,,,200000,0.50
2005-08-01,transfer,Series L,L Fund,L2,,,,1100000,
2005-08-15,cancel,Series L,L2,,,,,100000,
2005-09-01,transfer,Pool,E2,E4,,,,1500000,0.10
2005-10-01,grant,Bank warrant,Bank,,,,,500000,0.35
2006-02-01,exercise,Bank warrant,Bank,,,,,200000,0.35
2006-03-01,exercise,Pool,E1,,,,,1000000,0.10
2006-03-01,exercise,Pool,E4,,,,,500000,0.10
2006-09-01,exercise,Pool,E2,,,,,100000,0.10
"""
AS_OF = date(2006, 6, 30)


def _holdings(events: tuple[ClassEvent, ...] | list[ClassEvent],
              day: date) -> Counter[tuple[str, Fraction | None, str]]:
    state = replay(events, TERMS, day)
    return Counter({(h.stock_class, h.strike, h.holder): h.shares for h in state.holdings})


class _Written(NamedTuple):
    out: Path
    state: CapTableState
    classes: Classes
    others: list[ClassEvent]


def _write(tmp_path: Path, name: str, ledger: str = LEDGER) -> _Written:
    """A classes ledger (the README's by default) at AS_OF written as an OCF package named
    ``name``, with the Series M's state, the classes at the date and their events."""
    (tmp_path / "ledger.csv").write_text(ledger, encoding="utf-8")
    entries = read_ledger(tmp_path / "ledger.csv")
    others = [e for e in entries if isinstance(e, ClassEvent)]
    state = state_at(series_m_events(entries, TERMS), AS_OF)
    classes = from_ledger(TERMS, others, AS_OF)
    assert classes.state is not None
    out = write_package(state, ISSUER, tmp_path / name, False, classes.stack,
                        LedgerClasses(others, TERMS, classes.state))
    return _Written(out, state, classes, others)


@pytest.mark.parametrize("name", ["package", "package.zip"])
def test_the_other_classes_make_the_round_trip(tmp_path: Path, name: str) -> None:
    out, state, classes, others = _write(tmp_path, name)
    package = read_package(out)
    # By hand at 2006-06-30: L Fund 1,200,000 − 1,100,000 = 100,000 Series L, L2 1,100,000 −
    # 100,000 cancelled = 1,000,000; E1 6,000,000 − 1,000,000 = 5,000,000 and E2 4,000,000 −
    # 1,500,000 = 2,500,000 and E4 1,500,000 − 500,000 = 1,000,000 options at $0.10 (E2's
    # exercise of 2006-09-01 comes later); E3 300,000 at $0.50; the Bank 300,000 warrants.
    expected = Counter({("Series L", None, "L Fund"): F(100_000),
                        ("Series L", None, "L2"): F(1_000_000),
                        ("Pool", F(1, 10), "E1"): F(5_000_000),
                        ("Pool", F(1, 10), "E2"): F(2_500_000),
                        ("Pool", F(1, 10), "E4"): F(1_000_000),
                        ("Pool", F(1, 2), "E3"): F(300_000),
                        ("Bank warrant", F(7, 20), "Bank"): F(300_000)})
    assert _holdings(others, AS_OF) == expected
    assert _holdings(list(package.class_events()), AS_OF) == expected
    # The stack at the date: from OCF the same rows (Series K as the stack table gives it).
    assert sorted(package.stack_at(AS_OF)) == sorted(classes.stack)
    assert [c.name for c in classes.stack] == [
        "Series L", "Pool at $0.10", "Pool at $0.50", "Bank warrant", "Series K"]
    # The Series M's ledger: the exercises' common (1,000,000 + 500,000 options exempt;
    # 200,000 warrants at $0.35, not below $0.25, so no adjustment either) read back.
    again = state_at(package.events, AS_OF)
    assert (again.common_outstanding, again.conversion_number) == (F(101_700_000), F(4000))
    assert (state.common_outstanding, state.conversion_number) == (F(101_700_000), F(4000))
    assert {h.holder: h.common_shares for h in again.holders} == {
        h.holder: h.common_shares for h in state.holders}
    assert [i.exempt for i in again.issuances] == [i.exempt for i in state.issuances] == [
        False, True, True]
    assert package.ignored == {}
    # The stack and its holders as `captable --ocf` reads them: the same rows, each holder's
    # shares of each row the ledger's.
    found = from_package(package.stack_at(AS_OF), package.class_events(), AS_OF)
    assert sorted(found.stack) == sorted(classes.stack)
    assert found.state is not None
    assert sorted((r.row.name, h) for r in found.rows if r.stock_class
                  for h in _row_holders(found.state, r)) == sorted(
        (r.row.name, h) for r in classes.rows if r.stock_class
        for h in _row_holders(classes.state, r))


def _row_holders(state: ClassState, row: StackRow) -> list[tuple[str, Fraction]]:
    return [(h.holder, h.shares) for h in state.holdings
            if h.stock_class == row.stock_class and h.strike == row.strike]


def test_the_transactions_written(tmp_path: Path) -> None:
    out = _write(tmp_path, "p").out
    items = json.loads((out / "Transactions.ocf.json").read_text(encoding="utf-8"))["items"]
    kinds = Counter(t["object_type"] for t in items if t["id"].startswith("class-"))
    # Series L: two issues; the transfer of 1,100,000 takes L Fund's first lot whole and
    # 100,000 of its second (two transfers, two issuances to L2, a balance of 100,000 to L
    # Fund); the cancellation of 100,000 of L2's first lot leaves a balance of 900,000.
    # Options: three grants, a transfer (to E4 and a balance), two exercises, a
    # cancellation of 200,000 of E3's 500,000 (and its balance, 300,000, a grant of its
    # own); the warrant: issued, exercised whole and its 300,000 left issued again.
    # The exercise of 2006-09-01 is after the date: not written.
    assert kinds == Counter({"TX_STOCK_ISSUANCE": 2 + 2 + 1 + 1, "TX_STOCK_TRANSFER": 2,
                             "TX_STOCK_CANCELLATION": 1,
                             "TX_EQUITY_COMPENSATION_ISSUANCE": 3 + 2 + 1,
                             "TX_EQUITY_COMPENSATION_TRANSFER": 1,
                             "TX_EQUITY_COMPENSATION_EXERCISE": 2,
                             "TX_EQUITY_COMPENSATION_CANCELLATION": 1,
                             "TX_WARRANT_ISSUANCE": 2, "TX_WARRANT_EXERCISE": 1})
    # Each exercise names the common issuance written for it.
    by_security = {t["security_id"]: t for t in items if t["object_type"] == "TX_STOCK_ISSUANCE"}
    for t in items:
        if t["object_type"].endswith("_EXERCISE"):
            (common,) = t["resulting_security_ids"]
            assert by_security[common]["stock_class_id"] == "common"


def test_a_package_whose_holders_do_not_make_up_its_counts() -> None:
    # The package counts 1,000,000 Series L; its transactions by holder make 500,000, or
    # cannot be followed (a cancellation of more than issued): its rows, without holders.
    rows = (TERMS[0],)
    issue = ClassEvent(date(2005, 2, 1), ClassEventKind.ISSUE, "Series L", "X", F(500_000))
    assert from_package(rows, [issue], AS_OF).state is None
    assert from_package(rows, [issue], AS_OF).stack == rows
    assert from_package(rows, [issue], AS_OF).note == (
        "the other classes' holders are left out: their transactions make 500,000 Series L "
        "at 2006-06-30, the package counts 1,000,000")
    cancel = ClassEvent(date(2005, 3, 1), ClassEventKind.CANCEL, "Series L", "X", F(600_000))
    assert from_package(rows, [issue, cancel], AS_OF).stack == rows
    assert "X holds 500000 Series L on 2005-03-01, fewer than the 600000" in from_package(
        rows, [issue, cancel], AS_OF).note
    # Made up exactly: the holders come with them.
    whole = ClassEvent(date(2005, 2, 1), ClassEventKind.ISSUE, "Series L", "X", F(1_000_000))
    found = from_package(rows, [whole], AS_OF)
    assert found.state is not None
    assert found.stack == rows


# An option exercise the ledger marks not exempt (a §5(e)(i) issuance that dilutes: outside an
# employee plan), then one left to the default (options exempt), for contrast.
NOT_EXEMPT_LEDGER = """date,event,class,holder,to_holder,series_m_shares,common_shares,amount,\
shares,strike,exempt
2005-01-10,issue,,A,,5000,,,,,
2005-01-10,outstanding,,,,,100000000,,,,
2005-03-01,grant,Pool,E1,,,,,6000000,0.10,
2006-03-01,exercise,Pool,E1,,,,,1000000,0.10,FALSE
2006-04-01,exercise,Pool,E1,,,,,500000,0.10,
"""


@pytest.mark.parametrize("name", ["package", "package.zip"])
def test_a_non_exempt_option_exercise_makes_the_round_trip(tmp_path: Path, name: str) -> None:
    out, state, _, _ = _write(tmp_path, name, NOT_EXEMPT_LEDGER)
    package = read_package(out)
    again = state_at(package.events, AS_OF)
    # The exercises read back with the ledger's reading: not exempt, then exempt (the default
    # written out: the Series M writer marks an exempt issuance so).
    assert [e.exempt for e in package.class_events()
            if e.kind is ClassEventKind.EXERCISE] == [False, True]
    # By hand, §5(e)(i): N' = N × (O + n) / (O + n × price / $0.25). The first exercise issues
    # n = 1,000,000 common for $100,000 ($0.10 a share, below $0.25) on O = 100,000,000,
    # not exempt: 4,000 × 101,000,000 / (100,000,000 + 1,000,000 × 0.10 / 0.25) =
    # 4,000 × 101,000,000 / 100,400,000. The second (500,000, exempt) changes nothing; the
    # common is 101,500,000.
    number = F(4000) * F(101_000_000, 100_400_000)
    for figures in (state, again):
        assert (figures.common_outstanding, figures.conversion_number) == (
            F(101_500_000), number)
        assert [i.exempt for i in figures.issuances] == [False, True]
    # The ledger's reading is in the exercise's common issuance, for any reader to see.
    if name == "package":
        comments = [tx.get("comments", []) for tx in json.loads(
            (out / "Transactions.ocf.json").read_text(encoding="utf-8"))["items"]
            if tx["object_type"] == "TX_STOCK_ISSUANCE" and tx["stock_class_id"] == "common"
            and tx["date"] >= "2006-03-01"]
        assert comments == [["seriesm: not exempt under §5(e)(i)"],
                            ["seriesm: exempt under §5(e)"]]


def test_captable_to_ocf_and_back_keeps_the_conversion_number(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xl_seriesm.cli import main  # noqa: PLC0415

    (tmp_path / "ledger.csv").write_text(NOT_EXEMPT_LEDGER, encoding="utf-8")
    (tmp_path / "stack.csv").write_text("class,kind,shares,strike\nPool,option,5000000,0.10\n",
                                        encoding="utf-8")
    assert main(["captable", str(tmp_path / "ledger.csv"), "--stack",
                 str(tmp_path / "stack.csv"), "--as-of", "2006-06-30", "--formation-date",
                 "1996-04-01", "--to-ocf", str(tmp_path / "p"), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["captable", "--ocf", str(tmp_path / "p"), "--as-of", "2006-06-30",
                 "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    # 4,000 × 101,000,000 / 100,400,000 (test above, §5(e)(i)) both ways; 101,500,000 common.
    for data in (before, after):
        assert data["conversion_number"] == pytest.approx(4000 * 101 / 100.4, rel=1e-12)
        assert data["common_outstanding"] == 101_500_000


def test_the_writer_checks_the_very_files_it_writes(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The writer validates each file as it built it, before encoding, rather than re-reading
    # its own bytes: that is the same check only while the encoded text reads back as the
    # dicts checked (text, whole numbers, lists, dicts; no tuple, float or Fraction). The
    # richest package (stack classes, grants, exercises, warrants) is written and each file,
    # read back, must be exactly what was checked.
    import copy  # noqa: PLC0415
    import json  # noqa: PLC0415

    from xl_seriesm.ocf import writer  # noqa: PLC0415
    from xl_seriesm.ocf.schema_check import validate as real  # noqa: PLC0415

    checked: dict[str, object] = {}

    def recording(document: object, where: str) -> str:
        checked[where] = copy.deepcopy(document)
        return real(document, where)

    monkeypatch.setattr(writer, "validate", recording)
    out = _write(tmp_path, "p").out
    written = {path.name: json.loads(path.read_text(encoding="utf-8"))
               for path in out.glob("*.ocf.json")}
    assert sorted(written) == sorted(checked) == [
        "Manifest.ocf.json", "Stakeholders.ocf.json", "StockClasses.ocf.json",
        "Transactions.ocf.json"]
    for name, document in written.items():
        assert document == checked[name], name
        assert json.dumps(document, sort_keys=True) == json.dumps(checked[name], sort_keys=True)
    kinds = {item["object_type"] for item in written["Transactions.ocf.json"]["items"]}
    assert {"TX_STOCK_ISSUANCE", "TX_EQUITY_COMPENSATION_ISSUANCE", "TX_WARRANT_ISSUANCE",
            "TX_EQUITY_COMPENSATION_EXERCISE"} <= kinds


def test_every_id_a_transaction_names_is_defined(tmp_path: Path) -> None:
    # What an OCF consumer checks beyond the schemas: each transaction acts on a security
    # issued before it, held by a stakeholder and of a stock class the package defines; each
    # warrant exercise names a trigger its warrant lists (exercisable at will, into as many
    # common shares as the warrant is for).
    import json  # noqa: PLC0415

    out = _write(tmp_path, "p").out

    def items(name: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads((out / name).read_text(encoding="utf-8"))[
            "items"]
        return found

    stakeholders = {s["id"] for s in items("Stakeholders.ocf.json")}
    stock_classes = {c["id"] for c in items("StockClasses.ocf.json")}
    issued: dict[str, dict[str, Any]] = {}
    exercises = 0
    for tx in items("Transactions.ocf.json"):
        kind = str(tx["object_type"])
        if kind.endswith("_ISSUANCE"):
            assert tx["stakeholder_id"] in stakeholders, tx
            assert tx.get("stock_class_id", "common") in stock_classes, tx
            issued[str(tx["security_id"])] = tx
            if kind == "TX_WARRANT_ISSUANCE":
                triggers = tx["exercise_triggers"]
                assert isinstance(triggers, list)
                assert [t["conversion_right"]["conversion_mechanism"]["converts_to_quantity"]
                        for t in triggers] == [tx["quantity"]]
                assert triggers[0]["conversion_right"]["converts_to_stock_class_id"] == "common"
            continue
        if "security_id" in tx:
            assert tx["security_id"] in issued, tx
        for resulting in tx.get("resulting_security_ids", []):
            assert resulting in issued, tx
        if kind == "TX_WARRANT_EXERCISE":
            exercises += 1
            warrant = issued[str(tx["security_id"])]
            assert tx["trigger_id"] in [t["trigger_id"] for t in warrant["exercise_triggers"]]
    assert exercises >= 1


PART = """date,event,class,holder,to_holder,series_m_shares,common_shares,amount,shares,strike
2005-01-10,issue,,A,,5000,,,,
2005-01-10,outstanding,,,,,100000000,,,
2005-03-01,grant,Pool,E1,,,,,6000000,0.10
2005-04-01,cancel,Pool,E1,,,,,2000000,0.10
2005-05-01,grant,Bank warrant,Bank,,,,,500000,0.35
2005-06-01,cancel,Bank warrant,Bank,,,,,100000,0.35
2006-03-01,exercise,Pool,E1,,,,,1000000,0.10
2006-04-01,cancel,Pool,E1,,,,,500000,0.10
"""


def test_a_cancellation_in_part_names_its_balance(tmp_path: Path) -> None:
    written = _write(tmp_path, "p", PART)
    items = json.loads((written.out / "Transactions.ocf.json").read_text(encoding="utf-8")
                       )["items"]
    by_security = {t["security_id"]: t for t in items if "security_id" in t
                   and t["object_type"].endswith("_ISSUANCE")}
    cancels = [t for t in items if t["object_type"].endswith("_CANCELLATION")]
    # Each cancellation takes part of a grant and names the grant holding the rest
    # (OCF's balance_security_id): E1 6,000,000 − 2,000,000 = 4,000,000 at $0.10; the Bank
    # 500,000 − 100,000 = 400,000 at $0.35; then E1's 4,000,000 less the 1,000,000
    # exercised (an exercise in part keeps the rest on the grant: OCF's exercise has no
    # balance) less 500,000 = 2,500,000.
    balances = [(t["quantity"], by_security[t["balance_security_id"]]["quantity"],
                 by_security[t["balance_security_id"]]["stakeholder_id"]) for t in cancels]
    names = {s["id"]: s["name"]["legal_name"] for s in json.loads(
        (written.out / "Stakeholders.ocf.json").read_text(encoding="utf-8"))["items"]}
    assert [(gone, left, names[who]) for gone, left, who in balances] == [
        ("2000000", "4000000", "E1"), ("100000", "400000", "Bank"), ("500000", "2500000", "E1")]
    # Read back: the same holdings (E1 2,500,000 options at $0.10, the Bank 400,000
    # warrants at $0.35), and a balance is no grant of its own: two grants, as the ledger's.
    package = read_package(written.out)
    events = package.class_events()
    expected = Counter({("Pool", F(1, 10), "E1"): F(2_500_000),
                        ("Bank warrant", F(7, 20), "Bank"): F(400_000)})
    assert _holdings(written.others, AS_OF) == expected
    assert _holdings(list(events), AS_OF) == expected
    assert [e.kind for e in events].count(ClassEventKind.GRANT) == 2
    # The stack read from OCF as another tool reads it counts the same (the preferred
    # classes, without events here, are the stack table's).
    assert sorted((c.name, c.shares) for c in package.stack_at(AS_OF)
                  if not c.is_preferred) == [
        ("Bank warrant", F(400_000)), ("Pool", F(2_500_000))]


def test_the_packages_rows_say_the_package_counted_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Read from an OCF package, the other classes' rows are counted by the package's
    # transactions, and the JSON (and the table's column) says so, not "ledger".
    from xl_seriesm.cli import main  # noqa: PLC0415

    out = _write(tmp_path, "p.zip").out
    assert main(["captable", "--ocf", str(out), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["stack"]
    assert {row["counted_by"] for row in rows} == {"package"}
