"""The dashboard is safe by default: local-only, no tracebacks shown to users."""

from __future__ import annotations

import tomllib

from analysis.config import PROJECT_ROOT


def test_streamlit_listens_on_loopback_and_hides_tracebacks() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] in {"none", "type"}
    assert config["browser"]["gatherUsageStats"] is False
