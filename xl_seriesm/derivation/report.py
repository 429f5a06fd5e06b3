"""``seriesm report``: a one-file HTML memo for counsel.

The cap table at a date (each holder's shares, accrued dividends, Liquidation Value, common
on conversion and votes, as the template computes them), then the key figures, each with
the call that computes it, its result, and its derivation step by step with the
certificate's sections. Every key figure is an Excel function's call explained by
:func:`~xl_seriesm.excel.udfs.explain_call`, so the memo shows what a cell would show
and how that very computation reached it. One file, styles inline, nothing fetched: it opens
in any browser and prints (or converts to PDF) as it reads.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import NamedTuple

from xl_seriesm import __version__
from xl_seriesm.core import terms
from xl_seriesm.core.stack import COMMON, SERIES_M, structure
from xl_seriesm.core.stack_table import table_rows
from xl_seriesm.core.stack_waterfall import series_m_breakpoint
from xl_seriesm.derivation.text import call_text, shown
from xl_seriesm.excel.explain import Explanation
from xl_seriesm.excel.udfs import explain_call
from xl_seriesm.workbook.inputs import CapTable
from xl_seriesm.workbook.model import (
    VALUATION_RISK_FREE_RATE,
    VALUATION_TERM_YEARS,
    VALUATION_VOLATILITY,
    figures,
    starting_equity_value,
)

#: Holders whose own figures are derived in full (the cap table lists them all).
HOLDERS_DERIVED = 20

_STYLE = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 60em; margin: 2em auto;
       padding: 0 1em; color: #111; line-height: 1.35; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em;
     border-bottom: 1px solid #888; } h3 { margin-bottom: 0.3em; }
p.meta { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.88em; }
table.cap { font-size: 0.78em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.2em 0.45em; vertical-align: top; }
th { text-align: left; background: #e8ecf4; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.s { white-space: nowrap; color: #333; }
tr.total td { font-weight: bold; border-top: 2px solid #555; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.9em; }
p.result { font-size: 1.05em; } p.result strong { font-size: 1.1em; }
section.figure { page-break-inside: auto; margin-bottom: 1.2em; }
tr.last td { font-weight: bold; background: #f4f4e8; }
@page { size: A4; margin: 18mm; }
"""


class Figure(NamedTuple):
    """A key figure: what it is, and its call explained."""

    anchor: str
    title: str
    explanation: Explanation

    @property
    def value(self) -> object:
        """The figure a reader takes away: the result, or a column's last cell."""
        result = self.explanation.result
        if isinstance(result, list):
            return result[-1][-1]
        return result


def exit_equity(cap: CapTable) -> float:
    """The exit (and equity) value the memo's waterfall and valuation are taken at: a round
    figure below the Series M's conversion breakpoint, within the capital stack when the cap
    table has one (the other classes move it)."""
    f = figures(cap)
    point = f.breakpoint
    if cap.stack and f.convertible:
        point = series_m_breakpoint(structure(f.capital, cap.stack, f.convertible))
    return float(starting_equity_value(point))


def key_figures(cap: CapTable) -> list[Figure]:
    """The class-level figures of the memo, each an explained call; with a capital stack,
    the waterfall and the valuation within it (the Excel functions' ``stack`` argument)
    and every class's payout at the exit."""
    f = figures(cap)
    settings = cap.settings
    found = [Figure("conversion-opens", "Conversion opens (§5(a))",
                    explain_call("CONVERTFROM", [cap.closing_date]))]
    if cap.issuances:
        ledger = cap.issuances
        found.append(Figure("conversion-number", "Conversion number after the §5(e) ledger",
                            explain_call("DILUTE", [
                                float(terms.CONVERSION_NUMBER),
                                [[float(r.common_outstanding)] for r in ledger],
                                [[float(r.new_shares)] for r in ledger],
                                [[float(r.consideration)] for r in ledger],
                                [[r.exempt] for r in ledger],
                                float(settings.threshold_price)])))
    totals = [float(cap.series_m_total), float(cap.common_total), float(f.total_accrued),
              float(f.number)]
    equity = exit_equity(cap)
    market = [float(VALUATION_VOLATILITY), float(VALUATION_TERM_YEARS),
              float(VALUATION_RISK_FREE_RATE)]
    if not cap.stack:
        found.append(Figure("breakpoint", "Conversion breakpoint of the §3 waterfall",
                            explain_call("BREAKPOINT",
                                         [*totals, settings.dividends_on_conversion])))
        found.append(Figure("waterfall", f"Series M's payout at an exit of ${equity:,.0f} (§3)",
                            explain_call("WATERFALL", [equity, *totals, f.convertible,
                                                       settings.dividends_on_conversion,
                                                       "Series M total"])))
        found.append(Figure("opm", f"Value of a Series M share at an equity value of "
                                   f"${equity:,.0f} (option pricing model)",
                            explain_call("OPM", [equity, *market, *totals,
                                                 settings.dividends_on_conversion,
                                                 "Series M per share"])))
        return found
    table = table_rows(cap.stack)
    waterfall = [equity, *totals, f.convertible, settings.dividends_on_conversion]
    found.append(Figure("breakpoint", "Conversion breakpoint of the §3 waterfall within the "
                                      "capital stack",
                        explain_call("WATERFALL", [*waterfall, "Conversion breakpoint",
                                                   table])))
    for index, name in enumerate([SERIES_M, *(c.name for c in cap.stack), COMMON]):
        found.append(Figure("waterfall" if index == 0 else "",
                            f"{name}'s payout at an exit of ${equity:,.0f} (§3)",
                            explain_call("WATERFALL", [*waterfall, f"{name} total", table])))
    found.append(Figure("opm", f"Value of a Series M share at an equity value of "
                               f"${equity:,.0f} within the capital stack (option pricing "
                               "model)",
                        explain_call("OPM", [equity, *market, *totals,
                                             settings.dividends_on_conversion,
                                             "Series M per share", True, table])))
    return found


def holder_figures(cap: CapTable) -> list[tuple[str, list[Figure]]]:
    """Each holder's own figures (the first :data:`HOLDERS_DERIVED` holders with shares)."""
    f = figures(cap)
    basis = int(cap.settings.basis)
    found = []
    for holder in [h for h in cap.holders if h.series_m_shares > 0][:HOLDERS_DERIVED]:
        shares = float(holder.series_m_shares)
        dated = [shares, cap.closing_date, cap.as_of_date]
        found.append((holder.name, [
            Figure("", "Accrued dividends (§2)",
                   explain_call("ACCRUED", [*dated, float(holder.dividends_paid), basis])),
            Figure("", "Liquidation Value (§3(a))",
                   explain_call("LIQVALUE", [*dated, float(holder.dividends_paid), basis])),
            Figure("", "Common on conversion (§5)",
                   explain_call("CONVERT", [shares, cap.closing_date, f.conversion_day,
                                            float(f.number), shares])),
            Figure("", "Votes (§4)",
                   explain_call("VOTES", [*dated, float(f.number),
                                          cap.settings.votes_before_anniversary.value])),
        ]))
    return found


def _cell(value: object, numeric: bool = True, exact: bool = True) -> str:
    css = ' class="n"' if numeric else ""
    return f"<td{css}>{escape(shown(value, exact))}</td>"


def _cap_table(cap: CapTable) -> str:
    f = figures(cap)
    head = ("Holder", "Series M shares", "Common shares", "Dividends paid",
            "Accrued dividends (§2)", "Liquidation Value (§3(a))", "Common on conversion (§5)",
            "Votes (§4)")
    lines = ['<table class="cap"><thead><tr>', *(f"<th>{escape(h)}</th>" for h in head),
             "</tr></thead><tbody>"]
    for index, h in enumerate(cap.holders):
        row = (h.series_m_shares, h.common_shares, h.dividends_paid, f.accrued[index],
               f.liquidation[index], f.converted[index], f.votes[index])
        lines.append("<tr>" + _cell(h.name, numeric=False)
                     + "".join(_cell(v, exact=False) for v in row) + "</tr>")
    totals = (cap.series_m_total, cap.common_total, f.total_paid, f.total_accrued,
              sum(f.liquidation, type(f.total_accrued)(0)), sum(f.converted, type(f.number)(0)),
              sum(f.votes))
    lines.append('<tr class="total"><td>Total</td>' + "".join(_cell(v, exact=False)
                                                              for v in totals)
                 + "</tr></tbody></table>")
    return "\n".join(lines)


def _stack(cap: CapTable) -> list[str]:
    """The other classes of the capital stack, as the stack table gives them."""
    head = ("Class", "Kind", "Shares", "Preference a share", "Seniority", "Participation",
            "Cap", "Conversion ratio", "Strike")
    lines = ['<h2 id="capital-stack">Capital stack</h2>',
             "<p>The classes besides the Series M and the common. The Series M is paid first "
             "(§3(a)); these classes' terms are the stack table's, not the certificate's."
             + (f" {escape(cap.stack_note)}" if cap.stack_note else "") + "</p>",
             '<table class="stack"><thead><tr>', *(f"<th>{escape(h)}</th>" for h in head),
             "</tr></thead><tbody>"]
    for row in table_rows(cap.stack)[1:]:
        lines.append("<tr>" + "".join(
            _cell(value, numeric=not isinstance(value, str), exact=False)
            if value is not None else "<td></td>" for value in row) + "</tr>")
    return [*lines, "</tbody></table>"]


def _figure(figure: Figure, level: int = 3) -> str:
    e = figure.explanation
    anchor = f' id="{escape(figure.anchor)}"' if figure.anchor else ""
    rows = []
    for number, step in enumerate(e.steps, start=1):
        last = ' class="last"' if number == len(e.steps) and not e.failed else ""
        rows.append(f"<tr{last}><td class=\"n\">{number}</td><td>{escape(step.step)}</td>"
                    f"{_cell(step.value)}<td class=\"s\">{escape(step.section)}</td></tr>")
    if e.failed:
        rows.append(f'<tr class="last"><td></td><td>error</td><td>{escape(str(e.result))}'
                    f'</td><td class="s">{escape(e.function.section)}</td></tr>')
    return "\n".join([
        f'<section class="figure"{anchor}>',
        f"<h{level}>{escape(figure.title)}</h{level}>",
        f'<p class="formula"><code>{escape(call_text(e))}</code></p>',
        f'<p class="result">Result: <strong>{escape(shown(figure.value))}</strong> '
        f"({escape(e.function.section)})</p>",
        '<table class="derivation"><thead><tr><th>#</th><th>Step</th><th>Value</th>'
        "<th>Section</th></tr></thead><tbody>", *rows, "</tbody></table>", "</section>"])


def _settings(cap: CapTable) -> str:
    s = cap.settings
    items = [
        ("Day-count basis for dividends (§2)", f"{int(s.basis)}: {s.basis.label}"),
        ("Dividend payment dates (§2)", s.schedule.value),
        ("Accrued dividends on conversion (§2)",
         "paid in cash" if s.dividends_on_conversion else "forfeited"),
        ("Votes before the first anniversary (§4)", s.votes_before_anniversary.value),
        ("Dilution threshold price (§5(e)(i))", f"${shown(s.threshold_price)}"),
        ("Market price for cash in lieu (§5(h))", f"${shown(s.market_price)}"),
        ("Option pricing inputs", f"volatility {shown(VALUATION_VOLATILITY * 100)}%, term "
         f"{shown(VALUATION_TERM_YEARS)} years, risk-free rate "
         f"{shown(VALUATION_RISK_FREE_RATE * 100)}%"),
    ]
    if cap.stack:
        items.append(("Other classes of the capital stack",
                      f"{len(cap.stack)}, each with the terms of the stack table (above)"))
    return "<ul>" + "".join(f"<li>{escape(k)}: <strong>{escape(v)}</strong></li>"
                            for k, v in items) + "</ul>"


def memo(cap: CapTable, today: date | None = None) -> str:
    """The memo as one HTML document."""
    key = key_figures(cap)
    holders = holder_figures(cap)
    with_shares = sum(1 for h in cap.holders if h.series_m_shares > 0)
    parts: list[str] = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Series M memo at {cap.as_of_date.isoformat()}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>nStor Technologies, Inc. Series M Convertible Preferred Stock: the figures at "
        f"{cap.as_of_date.isoformat()}</h1>",
        f'<p class="meta">Closing Date {cap.closing_date.isoformat()}. Computed by '
        f"xl-seriesm {escape(__version__)} from the Certificate of Designation signed 10 "
        "January 2005; each figure cites its section. Each derivation below is recorded by "
        "the code that computes the figure while it computes it, so the last step of each "
        "is the figure itself."
        + (f" Prepared {today.isoformat()}." if today else "") + "</p>",
        '<nav><a href="#cap-table">Cap table</a> · '
        + ('<a href="#capital-stack">Capital stack</a> · ' if cap.stack else "")
        + '<a href="#key-figures">Key figures</a> · '
        '<a href="#holders">Each holder</a> · <a href="#settings">Readings and '
        "settings</a></nav>",
        f'<h2 id="cap-table">Cap table at {cap.as_of_date.isoformat()}</h2>',
        _cap_table(cap),
        *(_stack(cap) if cap.stack else []),
        '<h2 id="key-figures">Key figures</h2>',
        *(_figure(f) for f in key),
        '<h2 id="holders">Each holder</h2>',
    ]
    if with_shares > HOLDERS_DERIVED:
        parts.append(f"<p>The derivations of the first {HOLDERS_DERIVED} of the {with_shares} "
                     "holders of Series M; the cap table above gives every holder's figures."
                     "</p>")
    for name, holder_key in holders:
        parts.append(f"<h3>{escape(name)}</h3>")
        parts += [_figure(f._replace(title=f"{name}: {f.title}"), level=4) for f in holder_key]
    parts += ['<h2 id="settings">Readings and settings</h2>', _settings(cap),
              "</body></html>"]
    return "\n".join(parts) + "\n"

