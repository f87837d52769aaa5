"""Model presets: shipped files parse, resolution order, precise errors, availability."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import ENV_MODELS, PROJECT_ROOT
from analysis.errors import ConfigError, ModelUnavailableError
from analysis.models import MODELS
from analysis.models.presets import (
    get_preset,
    load_presets,
    preset_status,
    resolve_models_file,
)

SHIPPED = [PROJECT_ROOT / "models.toml", PROJECT_ROOT / "models.example.toml"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_preset_files_parse_and_cover_the_providers(path: Path) -> None:
    presets = load_presets(path)
    assert {p.adapter for p in presets.values()} == {
        "openai_compat",
        "hf_local",
        "retrieval",
        "geoclip",
    }
    urls = " ".join(p.base_url or "" for p in presets.values())
    for host in (
        "api.openai.com",
        "generativelanguage.googleapis.com",
        "api.anthropic.com",
        "openrouter.ai",
        "localhost:8000",
        "localhost:11434",
        "localhost:1234",
    ):
        assert host in urls, host
    for preset in presets.values():
        assert preset.adapter in MODELS
        assert preset.api_key_env is None or preset.api_key_env.isupper()


def test_shipped_retrieval_preset_points_at_the_shared_neighbour_list(shared_data: Path) -> None:
    preset = load_presets(PROJECT_ROOT / "models.toml")["retrieval-clip-knn"]
    path = preset.option_path("neighbours_csv")
    assert (
        path is not None
        and path.resolve() == (shared_data / "llmgeo" / "clip_knn5_h0.csv").resolve()
    )
    assert preset_status(preset).available


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MODELS, raising=False)
    assert resolve_models_file() == PROJECT_ROOT / "models.toml"
    monkeypatch.setenv(ENV_MODELS, str(tmp_path / "env.toml"))
    assert resolve_models_file() == tmp_path / "env.toml"
    assert resolve_models_file(tmp_path / "flag.toml") == tmp_path / "flag.toml"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "models.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
[models.m]
adapter = "openai_compat"
model = "x"
base_url = "http://127.0.0.1:9/v1"
"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[models.m]\nadapter = 'openai_compat'\nbase_url = 'http://h/v1'\n", "missing 'model'"),
        ("[models.m]\nadapter = 'nope'\nmodel = 'x'\n", "unknown adapter 'nope'"),
        (GOOD + "colour = 'blue'\n", "unknown key(s) colour"),
        (GOOD + "max_side = 8\n", "max_side must be an integer >= 16"),
        (GOOD + "price_in_per_mtok = -1\n", "price_in_per_mtok must be >= 0"),
        (GOOD + "params = { api_key = 'abc' }\n", "secrets do not belong"),
        ("[models.m]\nadapter = 'openai_compat'\nmodel = 'x'\n", "openai_compat needs base_url"),
        (
            "[models.m]\nadapter = 'openai_compat'\nmodel = 'x'\nbase_url = 'ftp://h'\n",
            "http:// or https://",
        ),
        ("[models.gemini-2.0-flash]\nadapter = 'openai_compat'\n", "quote it"),
        ("[models\nbroken", "not valid TOML"),
        ("title = 'x'\n", "no [models.NAME] tables"),
    ],
)
def test_precise_config_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_presets(_write(tmp_path, body))
    assert message in str(info.value)


def test_pasted_key_is_refused_without_being_echoed(tmp_path: Path) -> None:
    key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
    with pytest.raises(ConfigError) as info:
        load_presets(_write(tmp_path, GOOD + f"api_key_env = '{key}'\n"))
    assert "NAME of an environment variable" in str(info.value)
    assert key not in str(info.value)


def test_missing_file_and_unknown_preset(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_presets(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="no model preset 'zzz'.*known: m"):
        get_preset("zzz", _write(tmp_path, GOOD))


def test_missing_key_makes_preset_unavailable_with_the_variable_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preset = load_presets(_write(tmp_path, GOOD + "api_key_env = 'GEOSCOPE_TEST_ABSENT_KEY'\n"))[
        "m"
    ]
    monkeypatch.delenv("GEOSCOPE_TEST_ABSENT_KEY", raising=False)
    status = preset_status(preset)
    assert not status.available and "GEOSCOPE_TEST_ABSENT_KEY" in status.reason
    with pytest.raises(ModelUnavailableError, match="GEOSCOPE_TEST_ABSENT_KEY"):
        preset.api_key()
    monkeypatch.setenv("GEOSCOPE_TEST_ABSENT_KEY", "k-123")
    assert preset_status(preset).available and preset.api_key() == "k-123"


def test_cost_from_prices(tmp_path: Path) -> None:
    preset = load_presets(
        _write(tmp_path, GOOD + "price_in_per_mtok = 2.5\nprice_out_per_mtok = 10.0\n")
    )["m"]
    # 1000 input tokens at $2.5/M + 500 output tokens at $10/M = 0.0025 + 0.005
    assert preset.cost_usd(1000, 500) == pytest.approx(0.0075)
    assert preset.cost_usd(None, 500) is None  # unknown input count of a priced model
    free = load_presets(_write(tmp_path, GOOD))["m"]
    assert free.cost_usd(None, None) == 0.0


def test_relative_option_paths_follow_the_toml_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    body = "[models.r]\nadapter = 'retrieval'\nmodel = 'r'\noptions = { neighbours_csv = 'sub/n.csv' }\n"
    preset = load_presets(_write(tmp_path, body))["r"]
    assert preset.option_path("neighbours_csv") == tmp_path / "sub" / "n.csv"
    assert not preset_status(preset).available  # the file does not exist
    assert "not found" in preset_status(preset).reason


def test_models_command_lists_availability(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.cli import main

    monkeypatch.delenv("GEOSCOPE_TEST_ABSENT_KEY", raising=False)
    path = _write(tmp_path, GOOD + "api_key_env = 'GEOSCOPE_TEST_ABSENT_KEY'\n")
    assert main(["models", "--models", str(path)]) == 0
    out = capsys.readouterr().out
    assert "unavailable: set the environment variable GEOSCOPE_TEST_ABSENT_KEY" in out
