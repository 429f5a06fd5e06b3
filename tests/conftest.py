"""Shared test settings."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CERTIFICATE = ROOT / "docs" / "series-m-certificate.txt"

settings.register_profile("default", deadline=None, max_examples=200,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=400, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Scripts the runtime tests run in fresh interpreters (they stub or configure xlwings at
# import, so pytest must not import them itself).
collect_ignore_glob = ["runtimes/*.py"]
