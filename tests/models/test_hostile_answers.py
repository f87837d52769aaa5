"""openai_compat against hostile replies: an echoed key, a gzip bomb, nonsense token counts."""

from __future__ import annotations

import asyncio
import io
import tracemalloc
from pathlib import Path

import pytest
from PIL import Image

from analysis.models import create_adapter
from analysis.models.answers import cap_text, max_answer_bytes
from analysis.models.base import AdapterContext, ImageInput, ModelResponse
from analysis.models.common import single_turn
from analysis.models.cost import max_call_cost_usd
from analysis.models.presets import load_presets
from tests.support.openai_server import OpenAIServer, Reply

# Not shaped like any provider's key: only the list of configured keys can catch these.
OWN_KEY = "plainkey-Zq81xWvT"
OTHER_KEY = "otherkey-Mm42pLq9"
PRESETS = """
[models.mine]
adapter = "openai_compat"
model = "test-vlm"
base_url = "{url}"
api_key_env = "GEOSCOPE_HOSTILE_KEY"
price_in_per_mtok = 2.5
price_out_per_mtok = 10.0
params = {{ max_tokens = 100 }}

[models.other]
adapter = "openai_compat"
model = "other"
base_url = "{url}"
api_key_env = "GEOSCOPE_HOSTILE_OTHER_KEY"
"""


@pytest.fixture
def image() -> ImageInput:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(buffer, "JPEG")
    data = buffer.getvalue()
    return ImageInput(data, "0" * 64, "query")


def _ask(
    server: OpenAIServer, tmp_path: Path, image: ImageInput, context: AdapterContext | None = None
) -> ModelResponse:
    path = tmp_path / "models.toml"
    path.write_text(PRESETS.format(url=server.base_url), encoding="utf-8")
    preset = load_presets(path)["mine"]

    async def ask() -> ModelResponse:
        adapter = create_adapter(preset, timeout_s=10, context=context)
        try:
            return await adapter.complete(single_turn("Where?"), [image])
        finally:
            await adapter.aclose()

    return asyncio.run(ask())


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOSCOPE_HOSTILE_KEY", OWN_KEY)
    monkeypatch.setenv("GEOSCOPE_HOSTILE_OTHER_KEY", OTHER_KEY)
    monkeypatch.delenv("GEOSCOPE_MAX_ANSWER_KB", raising=False)


def test_an_echoed_key_never_leaves_the_adapter(
    openai_server: OpenAIServer, tmp_path: Path, image: ImageInput
) -> None:
    openai_server.default = Reply.echo_key(f"France, and the other one is {OTHER_KEY}")
    response = _ask(openai_server, tmp_path, image)
    assert response.text.startswith("France")
    assert OWN_KEY not in response.text and "Bearer plainkey" not in response.text
    # a key of another preset in the same file is scrubbed too (a proxy may hold several)
    assert OTHER_KEY not in response.text
    assert "Authorization: Bearer [redacted]" in response.text


def test_a_gzip_bomb_is_read_only_up_to_the_cap(
    openai_server: OpenAIServer, tmp_path: Path, image: ImageInput
) -> None:
    openai_server.default = Reply.gzip_bomb(20_000_000, text="France ")
    tracemalloc.start()
    try:
        response = _ask(openai_server, tmp_path, image, AdapterContext(max_answer_bytes=16 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.truncated and response.text.startswith("France")
    assert len(response.text.encode()) <= 16 * 1024
    assert peak < 8_000_000  # the 20 MB answer was never inflated whole
    # usage follows the answer in the body: unknown, so a spending cap books the worst case
    assert response.input_tokens is None and response.output_tokens is None


def test_an_answer_over_the_cap_but_under_the_body_limit_is_cut_with_usage_kept(
    openai_server: OpenAIServer, tmp_path: Path, image: ImageInput
) -> None:
    openai_server.default = Reply.gzip_bomb(300_000, text="Peru ")
    response = _ask(openai_server, tmp_path, image)
    assert response.truncated and len(response.text.encode()) == max_answer_bytes() == 65536
    assert response.output_tokens is not None


def test_negative_token_counts_are_unknown_not_a_refund(
    openai_server: OpenAIServer, tmp_path: Path, image: ImageInput
) -> None:
    openai_server.default = Reply.usage("France", -1_000_000, -5)
    response = _ask(openai_server, tmp_path, image)
    assert (response.input_tokens, response.output_tokens) == (None, None)
    preset = load_presets(tmp_path / "models.toml")["mine"]
    assert preset.cost_usd(-1_000_000, -5) == 0.0  # never negative, whoever computes it


def test_cap_text_never_splits_a_character_and_the_env_setting_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, cut = cap_text("é" * 10, 5)
    assert (text, cut) == ("éé", True)
    assert cap_text("short", 5) == ("short", False)
    monkeypatch.setenv("GEOSCOPE_MAX_ANSWER_KB", "8")
    assert max_answer_bytes() == 8192
    monkeypatch.setenv("GEOSCOPE_MAX_ANSWER_KB", "lots")
    from analysis.errors import ConfigError

    with pytest.raises(ConfigError, match="GEOSCOPE_MAX_ANSWER_KB='lots'"):
        max_answer_bytes()


def test_the_worst_case_counts_every_image_and_the_output_limit(tmp_path: Path) -> None:
    path = tmp_path / "models.toml"
    path.write_text(PRESETS.format(url="http://127.0.0.1:9/v1"), encoding="utf-8")
    presets = load_presets(path)
    one = max_call_cost_usd(presets["mine"], 300, 1)
    assert one == pytest.approx(((300 // 3 + 1 + 2000) * 2.5 + 100 * 10.0) / 1e6)
    assert max_call_cost_usd(presets["mine"], 300, 3) == pytest.approx(one + 2 * 2000 * 2.5e-6)
    assert max_call_cost_usd(presets["other"], 300, 1) == 0.0  # free presets reserve nothing
