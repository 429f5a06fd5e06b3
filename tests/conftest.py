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


def require_libreoffice() -> str:
    """The soffice path; the test skips where LibreOffice is absent, and fails in CI
    (SERIESM_REQUIRE_LIBREOFFICE=1, set by .ci/run), where it must be installed."""
    import pytest  # noqa: PLC0415

    from xl_seriesm import libreoffice  # noqa: PLC0415

    found = libreoffice.find()
    if found is None:
        if os.environ.get("SERIESM_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here and missing: apt-get install -y "
                        "--no-install-recommends libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it (.ci/run)")
    return found
