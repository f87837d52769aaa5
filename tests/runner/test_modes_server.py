"""Input modes against a real local OpenAI-compatible server: what each mode sends, descriptions
written once and reused, and location-level runs scored per location."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.config import Settings
from analysis.errors import ConfigError, InputError
from analysis.metrics import bootstrap_ci, compute_metrics
from analysis.models.presets import ModelPreset, load_presets
from analysis.prompts.modes import DESCRIBE_REQUEST, LOCATE_AFTER_DESCRIBING
from analysis.runner import RetryPolicy, RunConfig, estimate_run, run_benchmark
from analysis.store import DatasetMeta, Store
from analysis.store.descriptions import load_descriptions
from tests.support.datasets import SyntheticSample, ingest, make_samples, sample_for_colour
from tests.support.openai_server import OpenAIServer, RecordedRequest, Reply
from tests.support.presets import write_presets

KEY_ENV = "GEOSCOPE_TEST_KEY"
# two places seen from four headings each: L0 in Paris, L1 in Canberra
PLACES = {"L0": ("FRA", "France", 48.8566, 2.3522), "L1": ("AUS", "Australia", -35.2809, 149.13)}
HEADINGS = (0, 90, 180, 270)
DESC = re.compile(r"DESC-(s\d{4})")


def _messages(request: RecordedRequest) -> list[dict[str, Any]]:
    return list(request.body["messages"])


def _text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content if p.get("type") == "text")


def _is_describe(request: RecordedRequest) -> bool:
    return DESCRIBE_REQUEST in _text_of(_messages(request)[-1])


World = tuple[list[SyntheticSample], Store, dict[str, ModelPreset], Settings]
"""Two locations of four views each, their store, the presets by name and the settings."""


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_server: OpenAIServer) -> World:
    monkeypatch.setenv(KEY_ENV, "sk-modes-test-0123456789")
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    images = make_samples(tmp_path / "images", 8)
    location = {s.sample_id: ("L0" if i < 4 else "L1") for i, s in enumerate(images)}
    store = Store(tmp_path / "db.duckdb")
    frame = pd.DataFrame(
        {
            "sample_id": [s.sample_id for s in images],
            "true_lat": [PLACES[location[s.sample_id]][2] for s in images],
            "true_lon": [PLACES[location[s.sample_id]][3] for s in images],
            "true_country": [PLACES[location[s.sample_id]][0] for s in images],
            "location_id": [location[s.sample_id] for s in images],
            "heading": [HEADINGS[i % 4] for i in range(len(images))],
            "split": ["test"] * len(images),
            "image_path": [str(s.path) for s in images],
        }
    )
    store.ingest_samples(DatasetMeta(name="views", kind="synthetic"), frame)
    heading = dict(zip(frame["sample_id"], frame["heading"], strict=True))

    def reply(request: RecordedRequest) -> Reply:
        if _is_describe(request):
            shown = sample_for_colour(images, request.image_mean_rgb[-1])
            return Reply.answer(f"DESC-{shown.sample_id}: a wide road under a pale sky.")
        named = DESC.findall(request.text)
        if request.image_count:
            shown = sample_for_colour(images, request.image_mean_rgb[0])
        else:
            shown = next(s for s in images if s.sample_id == named[-1])
        # right only about heading-0 views (or a whole location's first view) of Paris
        place = location[shown.sample_id]
        right = place == "L0" and heading[shown.sample_id] == 0
        iso3, name, lat, lon = PLACES[place] if right else ("PER", "Peru", -12.05, -77.04)
        return Reply.answer(f'{{"country": "{name}", "lat": {lat}, "lon": {lon}}}')

    openai_server.default = reply
    presets = load_presets(
        write_presets(tmp_path / "models.toml", openai_server.base_url, key_env=KEY_ENV)
    )
    settings = Settings(
        db_path=tmp_path / "db.duckdb",
        cache_dir=tmp_path / "cache",
        models_file=tmp_path / "models.toml",
    )
    return images, store, presets, settings


def _config(presets: dict[str, ModelPreset], **kw: Any) -> RunConfig:
    base = RunConfig(
        dataset="views",
        preset=presets["local"],
        prompt="must",
        form="coords",
        concurrency=3,
        timeout_s=5,
        retry=RetryPolicy(retries=0),
    )
    return replace(base, **kw)


def _calls_by_model(requests: list[RecordedRequest]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for request in requests:
        counts[request.model] = counts.get(request.model, 0) + 1
    return counts


def test_image_plus_description_describes_once_and_every_later_run_reuses_it(
    world: World, openai_server: OpenAIServer
) -> None:
    images, store, presets, settings = world
    config = _config(presets, mode="image+description", describer=presets["local-free"])
    summary = run_benchmark(config, store, settings, progress=False)

    requests = list(openai_server.requests)
    describes = [r for r in requests if _is_describe(r)]
    asks = [r for r in requests if not _is_describe(r)]
    assert {r.model for r in describes} == {"test-vlm-free"} and len(describes) == 8
    assert {r.model for r in asks} == {"test-vlm"} and len(asks) == 8
    assert all(r.image_count == 1 for r in requests)
    for request in asks:  # each question carries the description of its own image
        shown = sample_for_colour(images, request.image_mean_rgb[0])
        assert DESC.findall(request.text) == [shown.sample_id]
    assert summary.described == 8 and summary.describe_calls == 8 and summary.complete
    assert config.name == "views:local:must:coords:image+description"
    params = json.loads(store.run_info(config.name)["params_json"])
    assert params["mode"] == "image+description" and params["level"] == "image"
    assert params["describer"]["preset"] == "local-free"
    key = params["describer"]["key"]
    assert len(load_descriptions(store, "views", key, params["describe_hash"])) == 8

    # Another prompt, then description only (a text-only question), with a cold response
    # cache: the stored descriptions are reused, the describer is never asked again.
    for path in (settings.cache_dir / "responses").rglob("*.json"):
        path.unlink()
    openai_server.reset()
    run_benchmark(
        _config(presets, prompt="tips", mode="image+description", describer=presets["local-free"]),
        store, settings, progress=False,
    )  # fmt: skip
    only = _config(presets, mode="description", describer=presets["local-free"])
    summary = run_benchmark(only, store, settings, progress=False)
    requests = list(openai_server.requests)
    assert not [r for r in requests if _is_describe(r)]
    assert _calls_by_model(requests) == {"test-vlm": 16} and summary.describe_calls == 0
    text_only = requests[8:]
    assert all(r.image_count == 0 for r in text_only)
    assert sorted(DESC.findall(r.text)[0] for r in text_only) == [s.sample_id for s in images]
    # the text-only questions were scored like any other: right about the two Paris h0 views
    frame = store.run_frame(only.name)
    assert len(frame) == 8 and compute_metrics(frame)["country_accuracy"] == pytest.approx(1 / 8)


def test_describe_then_locate_asks_twice_the_second_time_in_conversation(
    world: World, openai_server: OpenAIServer
) -> None:
    images, store, presets, settings = world
    config = _config(presets, mode="describe-then-locate", limit=3)
    summary = run_benchmark(config, store, settings, progress=False)
    requests = list(openai_server.requests)
    assert len(requests) == 6 and {r.model for r in requests} == {"test-vlm"}
    describes = [r for r in requests if _is_describe(r)]
    locates = [r for r in requests if not _is_describe(r)]
    assert len(describes) == 3 and summary.describe_calls == 3
    for request in locates:
        roles = [m["role"] for m in _messages(request)]
        assert roles == ["system", "user", "assistant", "user"]
        first, answer, last = _messages(request)[1:]
        assert DESCRIBE_REQUEST in _text_of(first) and request.image_count == 1
        shown = sample_for_colour(images, request.image_mean_rgb[0])
        assert _text_of(answer).startswith(f"DESC-{shown.sample_id}")
        assert LOCATE_AFTER_DESCRIBING in _text_of(last)
    params = json.loads(store.run_info(config.name)["params_json"])
    assert params["mode"] == "describe-then-locate" and params["describer"]["preset"] == "local"
    # its descriptions are the model's own: an image+description run described by the same
    # preset reuses them instead of asking again
    openai_server.reset()
    run_benchmark(
        _config(presets, mode="image+description", describer=presets["local"], limit=3),
        store, settings, progress=False,
    )  # fmt: skip
    assert not [r for r in openai_server.requests if _is_describe(r)]


def test_all_views_asks_once_per_location_and_scores_locations(
    world: World, openai_server: OpenAIServer
) -> None:
    images, store, presets, settings = world
    per_image = _config(presets)
    run_benchmark(per_image, store, settings, progress=False)
    openai_server.reset()
    config = _config(presets, mode="all-views")
    summary = run_benchmark(config, store, settings, progress=False)

    requests = list(openai_server.requests)
    assert len(requests) == 2 and summary.calls == 2 and summary.selected == 2
    for request in requests:
        assert request.image_count == 4
        shown = [sample_for_colour(images, rgb).sample_id for rgb in request.image_mean_rgb]
        assert shown in (["s0000", "s0001", "s0002", "s0003"], ["s0004", "s0005", "s0006", "s0007"])
    params = json.loads(store.run_info(config.name)["params_json"])
    assert params["level"] == "location" and params["mode"] == "all-views"
    # Hand-computed: L0 (Paris) answered France at Paris, L1 (Canberra) answered Peru: one
    # location right of two. The per-image run is right about 1 view of 8.
    frame = store.run_frame(config.name)
    assert sorted(frame["sample_id"]) == ["s0000", "s0004"]  # heading 0 stands for its place
    metrics = compute_metrics(frame)
    assert metrics["n"] == 2 and metrics["country_accuracy"] == pytest.approx(0.5)
    assert metrics["acc_25km"] == pytest.approx(0.5)
    assert bootstrap_ci(frame, n_resamples=200)["country_accuracy"].estimate == pytest.approx(0.5)
    images_metrics = compute_metrics(store.run_frame(per_image.name))
    assert images_metrics["n"] == 8 and images_metrics["country_accuracy"] == pytest.approx(1 / 8)
    # a dataset whose locations have one view each has nothing for all-views to add
    ingest(store, "single", images)
    with pytest.raises(InputError, match="none of the 8 locations selected has more than one"):
        run_benchmark(_config(presets, dataset="single", mode="all-views"), store, settings)
    # resuming asks nothing: the locations are done
    openai_server.reset()
    again = run_benchmark(config, store, settings, progress=False)
    assert openai_server.calls == 0 and again.already_done == 2 and again.complete


def test_resume_refuses_another_mode_and_dry_run_counts_describe_calls(
    world: World, openai_server: OpenAIServer
) -> None:
    images, store, presets, settings = world
    run_benchmark(_config(presets, run_name="fixed", limit=2), store, settings, progress=False)
    with pytest.raises(ConfigError, match="mode"):
        run_benchmark(
            _config(presets, run_name="fixed", limit=2, mode="description",
                    describer=presets["local-free"]),
            store, settings, progress=False,
        )  # fmt: skip
    with pytest.raises(ConfigError, match="--describer"):
        run_benchmark(_config(presets, mode="description"), store, settings, progress=False)
    openai_server.reset()
    config = _config(presets, mode="image+description", describer=presets["local-free"])
    estimate = estimate_run(config, store, settings)
    assert estimate.calls == 16 and openai_server.calls == 0  # 8 descriptions + 8 questions
    assert estimate.cost_usd > 0  # "local" is priced; the free describer adds nothing
    run_benchmark(config, store, settings, progress=False)
    assert estimate_run(config, store, settings).calls == 0


def test_sweep_takes_modes_as_a_third_axis(
    world: World, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.cli import main

    images, store, presets, settings = world
    args = ["--db", str(settings.db_path), "sweep", "--dataset", "views", "--models",
            str(settings.models_file), "--no-progress", "--model", "local", "--prompt", "must",
            "--mode", "image,all-views,description", "--describer", "local-free", "--json"]  # fmt: skip
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    cells = {c["mode"]: c for c in out["cells"]}
    assert set(cells) == {"image", "all-views", "description"}
    assert cells["all-views"]["unit"] == "location" and cells["image"]["unit"] == "image"
    assert cells["all-views"]["country_accuracy"] == pytest.approx(0.5)
    assert cells["image"]["country_accuracy"] == pytest.approx(1 / 8)
    assert cells["image"]["run"] == "views:local:must:country"
    assert main([*args[:-1]]) == 0  # the text table: one row per (preset, mode)
    table = capsys.readouterr().out
    assert "all-views (per location)" in table and "description" in table
    openai_server.reset()
    assert main([*args, "--prompt", "tips", "--dry-run"]) == 0  # estimates each mode's cell
    planned = {c.get("mode", "image"): c for c in json.loads(capsys.readouterr().out)["cells"]}
    assert planned["all-views"]["calls"] == 2 and planned["description"]["calls"] == 8
    assert planned["image"]["calls"] == 8 and openai_server.calls == 0
    assert main([*args[:-5], "--mode", "image,pixels"]) == 1
    assert "unknown input modes pixels" in capsys.readouterr().err
    assert main([*args[:-5], "--mode", "description"]) == 1  # no describer given
    assert "need descriptions" in capsys.readouterr().err


def test_description_column_of_the_manifest_feeds_the_questions_without_a_describer(
    world: World, tmp_path: Path, openai_server: OpenAIServer
) -> None:
    from analysis.datasets import import_dataset

    images, store, presets, settings = world
    manifest = tmp_path / "manifest.csv"
    lines = ["sample_id,lat,lon,country,image_path,caption"]
    for s in images[:3]:  # one row without a caption: it waits, it is not a failed answer
        caption = f"DESC-{s.sample_id} seen from the kerb" if s is not images[2] else ""
        lines.append(f"{s.sample_id},{s.lat},{s.lon},{s.iso3},{s.path},{caption}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_dataset(store, manifest, "captioned")
    config = _config(presets, dataset="captioned", mode="description", description_column="caption")
    summary = run_benchmark(config, store, settings, progress=False)
    requests = list(openai_server.requests)
    assert len(requests) == 2 and not [r for r in requests if _is_describe(r)]
    assert all(r.image_count == 0 and "seen from the kerb" in r.text for r in requests)
    assert summary.already_done + summary.attempted == 2 and not summary.complete
    params = json.loads(store.run_info(config.name)["params_json"])
    assert params["describer"] == {"column": "caption", "key": "column:caption"}
    with pytest.raises(ConfigError, match="--describer: stored"):  # another describer
        run_benchmark(
            _config(presets, dataset="captioned", mode="description", description_column="nope"),
            store, settings, progress=False,
        )  # fmt: skip
    with pytest.raises(ConfigError, match="no 'nope'"):
        run_benchmark(
            _config(presets, dataset="captioned", mode="description", description_column="nope",
                    run_name="other"),
            store, settings, progress=False,
        )  # fmt: skip


def test_describer_calls_draw_on_the_spending_cap_and_leave_samples_to_do(
    world: World, openai_server: OpenAIServer
) -> None:
    images, store, presets, settings = world
    # a priced describer, a free locator: a cap too small for one description asks nothing
    config = _config(
        presets, preset=presets["local-free"], mode="image+description", describer=presets["local"]
    )
    summary = run_benchmark(config, store, settings, progress=False, max_cost_usd=1e-9)
    assert openai_server.calls == 0 and summary.stopped_for_budget and not summary.complete
    assert store.run_frame(config.name).empty  # nothing was stored as a failed answer
    summary = run_benchmark(config, store, settings, progress=False)
    assert summary.describe_calls == 8 and summary.attempted == 8 and summary.spend_usd > 0


def test_batch_runs_refuse_modes_that_need_a_describe_phase(
    world: World, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.cli import main

    images, store, presets, settings = world
    args = ["--db", str(settings.db_path), "run", "--dataset", "views", "--model", "local",
            "--models", str(settings.models_file), "--no-progress", "--mode", "description",
            "--describer", "local-free", "--batch"]  # fmt: skip
    assert main(args) == 1
    assert "--batch does not support input mode 'description'" in capsys.readouterr().err
    assert openai_server.calls == 0
    assert main(args[:-1]) == 0  # the same run without --batch says what it described
    out = capsys.readouterr().out
    assert "descriptions written now: 8 (8 describer calls" in out
    assert "run views:local:basic:country:description: 8 answered now" in out
