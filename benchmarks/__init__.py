"""Speed budgets of xl-seriesm, measured: ``python -m benchmarks`` runs them all."""
