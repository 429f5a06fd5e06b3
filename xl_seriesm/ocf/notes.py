"""The ledger's events OCF v1.2.0 has no transaction for, carried in the manifest's comments
by the writer and read back by the reader into the same events:

- ``seriesm checkpoint: common outstanding DATE SHARES``: a later statement of the common
  outstanding (``outstanding``, §5(e));
- ``seriesm checkpoint: conversion number DATE NUMBER``: the conversion number as another
  record states it (``conversion_number``, §5(b)), the number exactly as the ledger gives
  it (``4077.66990291``, or ``420000/103``);
- ``seriesm election: DATE HOLDER SHARES EFFECTIVE_DATE``: a §3(c) election (``election``),
  ``SHARES`` being ``all`` when the ledger gives none (the whole holding);
- ``seriesm redemption notice: DATE HOLDER SHARES``: a §6(a) Notice of Optional Redemption
  (``redemption_notice``).

A share count that OCF's Numeric (at most 10 decimals) cannot hold, such as a fraction of
a share after a 1:3 split, is written to 10 decimals (cut toward minus infinity) and, in
the transaction's comments, exactly: ``seriesm exact quantity: N/D``; the reader takes it
when it agrees with the Numeric to 10 decimals, and refuses the transaction when it does
not.

``HOLDER`` is the holder's stakeholder id. Each may end ``after TX_ID``, the transaction the
event followed in the ledger, so that events of one day come back in the ledger's order; one
without it (or naming no transaction) comes after that day's transactions. Numbers are
exact: whole, a decimal, or a fraction N/D.
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

from xl_seriesm.core.ledger import Event, EventKind, Place
from xl_seriesm.ocf.schema_check import OcfError

CHECKPOINT_COMMENT = "seriesm checkpoint: common outstanding "
CONVERSION_COMMENT = "seriesm checkpoint: conversion number "
ELECTION_COMMENT = "seriesm election: "
NOTICE_COMMENT = "seriesm redemption notice: "
EXACT_COMMENT = "seriesm exact quantity: "
#: The most digits of each term of an exact quantity (a fraction of a share after splits).
MAX_EXACT_DIGITS = 200
_FRACTION = re.compile(rf"(\d{{1,{MAX_EXACT_DIGITS}}})/(0*[1-9]\d{{0,{MAX_EXACT_DIGITS - 1}}})")
_AFTER = "after"
_WHOLE_HOLDING = "all"
#: What each comment holds after its prefix (its "after TX_ID" aside), for messages.
_FORMS = {CHECKPOINT_COMMENT: "DATE SHARES", CONVERSION_COMMENT: "DATE NUMBER",
          ELECTION_COMMENT: "DATE HOLDER SHARES EFFECTIVE_DATE",
          NOTICE_COMMENT: "DATE HOLDER SHARES"}
#: An exact number as the writer writes it: at most 15 digits before the point (as every
#: OCF number the reader takes), a decimal of at most 200 places, or a fraction of terms of
#: at most 200 digits (a conversion number after many §5(e) adjustments has ~100).
_NUMBER = re.compile(r"\d{1,15}(\.\d{1,200})?|\d{1,200}/0*[1-9]\d{0,199}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def exact(value: Fraction | int) -> str:
    """``value`` (0 or more) as text that reads back equal: whole, a terminating decimal
    written in full, or N/D."""
    value = Fraction(value)
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    places = max(twos, fives)
    if rest != 1 or places > 200:
        return f"{value.numerator}/{value.denominator}"
    if value.denominator == 1:
        return str(value.numerator)
    units = value.numerator * 10**places // value.denominator
    whole, part = divmod(units, 10**places)
    return f"{whole}.{part:0{places}d}".rstrip("0")


def write(event: Event, holder_id: str, after: str | None) -> str | None:
    """The comment that carries ``event`` (None when OCF has a transaction for it)."""
    day = event.date.isoformat()
    if event.kind is EventKind.OUTSTANDING:
        text = f"{CHECKPOINT_COMMENT}{day} {exact(event.common_shares)}"
    elif event.kind is EventKind.CONVERSION_NUMBER:
        text = f"{CONVERSION_COMMENT}{day} {exact(event.amount)}"
    elif event.kind is EventKind.ELECTION:
        assert event.effective_date is not None  # the ledger refuses one without it
        shares = exact(event.series_m_shares) if event.series_m_shares else _WHOLE_HOLDING
        text = f"{ELECTION_COMMENT}{day} {holder_id} {shares} {event.effective_date}"
    elif event.kind is EventKind.REDEMPTION_NOTICE:
        text = f"{NOTICE_COMMENT}{day} {holder_id} {exact(event.series_m_shares)}"
    else:
        return None
    return f"{text} {_AFTER} {after}" if after else text


def read(comments: list[str], names: dict[str, str], where: str,
         ) -> list[tuple[str, Event]]:
    """The events the manifest's ``comments`` carry, each with the id of the transaction it
    follows ("" for none); ``names`` are the stakeholders' names by id. Other comments are
    left alone; one of ours that does not read is refused, naming it and its form."""
    out = []
    for index, comment in enumerate(comments):
        prefix = next((p for p in _FORMS if comment.startswith(p)), None)
        if prefix is None:
            continue
        at = f"{where} comments[{index}]"
        words = comment[len(prefix):].split()
        after = ""
        if len(words) >= 2 and words[-2] == _AFTER:
            after, words = words[-1], words[:-2]
        form = _FORMS[prefix]
        if len(words) != len(form.split()):
            raise OcfError(f"{at}: {comment[:120]!r} is not '{prefix}{form} [after TX_ID]'")
        out.append((after, _event(prefix, words, names, Place(at),
                                  f"{at}: {comment[:120]!r}")))
    return out


def _event(prefix: str, words: list[str], names: dict[str, str], place: Place,
           quoted: str) -> Event:
    day = _day(words[0], quoted, "DATE")
    if prefix == CHECKPOINT_COMMENT:
        return Event(day, EventKind.OUTSTANDING, common_shares=_number(words[1], quoted),
                     place=place)
    if prefix == CONVERSION_COMMENT:
        return Event(day, EventKind.CONVERSION_NUMBER, amount=_number(words[1], quoted),
                     place=place)
    if words[1] not in names or not names[words[1]]:
        raise OcfError(f"{quoted}: HOLDER {words[1]!r} is not a holder in the stakeholders "
                       "file; give a stakeholder's id")
    holder = names[words[1]]
    if prefix == NOTICE_COMMENT:
        return Event(day, EventKind.REDEMPTION_NOTICE, holder,
                     series_m_shares=_number(words[2], quoted), place=place)
    shares = Fraction(0) if words[2] == _WHOLE_HOLDING else _number(words[2], quoted)
    return Event(day, EventKind.ELECTION, holder, series_m_shares=shares, place=place,
                 effective_date=_day(words[3], quoted, "EFFECTIVE_DATE"))


def _day(text: str, quoted: str, what: str) -> date:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise OcfError(f"{quoted}: {what} {text[:40]!r} is not a date; give YYYY-MM-DD"
                       ) from None


def _number(text: str, quoted: str) -> Fraction:
    if not _NUMBER.fullmatch(text):
        raise OcfError(f"{quoted}: {text[:40]!r} is not a number; give digits (at most 15 "
                       "before the point), a decimal or a fraction N/D, 0 or more")
    return Fraction(text)


def exact_quantity(value: Fraction, written: str) -> list[str]:
    """The comment carrying ``value`` exactly when its Numeric ``written`` does not."""
    if Fraction(written) == value:
        return []
    if max(len(str(value.numerator)), len(str(value.denominator))) > MAX_EXACT_DIGITS:
        raise OcfError(f"a share count of {value.numerator}/{value.denominator}: more than "
                       f"{MAX_EXACT_DIGITS} digits a term, more than an OCF package carries")
    return [f"{EXACT_COMMENT}{value.numerator}/{value.denominator}"]


def read_quantity(tx: dict[str, object], field: str, where: str) -> Fraction:
    """The transaction's ``field`` (an OCF Numeric), exactly when its comments carry the
    exact quantity and it agrees with the Numeric to 10 decimals."""
    written = Fraction(str(tx[field]))
    comments = tx.get("comments", [])
    said = [c for c in comments if isinstance(c, str) and c.startswith(EXACT_COMMENT)
            ] if isinstance(comments, list) else []
    if not said:
        return written
    text = said[0][len(EXACT_COMMENT):].strip()
    match = _FRACTION.fullmatch(text)
    if match is None or len(said) > 1:
        raise OcfError(f"{where}: {said[-1][:120]!r} is not one '{EXACT_COMMENT}N/D' (whole "
                       f"numbers of at most {MAX_EXACT_DIGITS} digits)")
    exact = Fraction(int(match[1]), int(match[2]))
    units = exact.numerator * 10**10 // exact.denominator  # toward minus infinity
    if Fraction(units, 10**10) != written:
        raise OcfError(f"{where}: {field} {tx[field]} and the exact quantity {text[:60]} "
                       "do not agree to 10 decimals; give one the other rounds to")
    return exact
