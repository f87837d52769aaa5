"""Write model preset files for tests (pointing at a local test server)."""

from __future__ import annotations

from pathlib import Path


def write_presets(
    path: Path, base_url: str, *, key_env: str = "GEOSCOPE_TEST_KEY", extra: str = ""
) -> Path:
    """Write a models.toml with presets ``local`` (priced) and ``local-free`` on ``base_url``."""
    path.write_text(
        f"""
[models.local]
adapter = "openai_compat"
model = "test-vlm"
base_url = "{base_url}"
api_key_env = "{key_env}"
price_in_per_mtok = 2.5
price_out_per_mtok = 10.0
max_side = 256
params = {{ temperature = 0.0, max_tokens = 200 }}

[models.local-free]
adapter = "openai_compat"
model = "test-vlm-free"
base_url = "{base_url}"
max_side = 256
{extra}
""",
        encoding="utf-8",
    )
    return path
