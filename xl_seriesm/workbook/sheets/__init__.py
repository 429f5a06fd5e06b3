"""The template's sheets, one module per sheet, each building both flavors of its sheet:
About, Terms, Holders, Issuances, Events, Dividends, Waterfall, Valuation, Checks, Payouts.
"""
