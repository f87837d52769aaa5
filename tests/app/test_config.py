"""The dashboard is safe by default: local-only, no tracebacks shown to users."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT


def test_streamlit_listens_on_loopback_and_hides_tracebacks() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] in {"none", "type"}
    assert config["browser"]["gatherUsageStats"] is False


def test_a_damaged_database_is_named_not_called_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.conftest import new_app

    db = tmp_path / "geoscope.duckdb"
    db.write_bytes(os.urandom(50_000))
    before = db.read_bytes()
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    at = new_app()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value.replace("\\", "") for e in at.error]  # the page escapes Markdown
    assert any("is not a readable GeoScope database" in e and str(db) in e for e in errors), errors
    assert not any("busy" in w.value or "Unexpected error" in w.value for w in at.warning)
    assert not any("Unexpected error" in e for e in errors)
    assert db.read_bytes() == before and not (tmp_path / "cache").exists()
