"""Shared fixtures: the real third-party data in ../shared/data, temporary stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT


def shared_data_dir() -> Path | None:
    """Return ../shared/data (or $GEOSCOPE_SHARED_DATA) if present."""
    candidate = Path(
        os.environ.get("GEOSCOPE_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data"
    )
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder; fail loudly in CI when missing, skip elsewhere."""
    found = shared_data_dir()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/data is missing in CI (set GEOSCOPE_SHARED_DATA)")
        pytest.skip("real data folder ../shared/data not found (set GEOSCOPE_SHARED_DATA)")
    return found
