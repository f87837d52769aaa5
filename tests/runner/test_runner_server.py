"""The whole run path against a real local OpenAI-compatible server scripted per image.

Every scripted behaviour (answer, refuse, ramble, broken JSON, unknown, time out, 429, 500,
401) must end in the right status while the run completes; the server checks that no image
arrived with EXIF; secrets appear nowhere; asking twice costs nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from analysis.config import Settings
from analysis.models.presets import ModelPreset, load_presets
from analysis.runner import RetryPolicy, RunConfig, estimate_run, run_benchmark
from analysis.store import Store
from tests.support.datasets import SyntheticSample, ingest, make_samples, sample_for_colour
from tests.support.frames import text_at
from tests.support.openai_server import OpenAIServer, RecordedRequest, Reply
from tests.support.presets import write_presets

SECRET = "sk-runner-test-SECRET-0123456789"
KEY_ENV = "GEOSCOPE_TEST_KEY"


def _answer(sample: SyntheticSample) -> Reply:
    return Reply.answer(
        f'The signs look familiar.\n{{"country": "{sample.country_name}", '
        f'"lat": {sample.lat}, "lon": {sample.lon}}}'
    )


def _script(server: OpenAIServer, samples: list[SyntheticSample]) -> dict[str, tuple[str, int]]:
    """Script one behaviour per sample; return sample_id -> (expected status, expected calls)."""
    wrong = samples[1]
    plan: dict[int, tuple[list[Reply], str, int]] = {
        0: ([_answer(samples[0])], "ok", 1),
        1: ([Reply.answer('{"country": "Peru", "lat": -12.05, "lon": -77.04}')], "ok", 1),
        2: ([Reply.refuse()], "refused", 1),
        3: ([Reply.ramble()], "parse_error", 1),
        4: ([Reply.broken_json()], "parse_error", 1),
        5: (
            [Reply.answer('I cannot tell. {"country": "unknown", "lat": null, "lon": null}')],
            "unknown",
            1,
        ),
        6: ([Reply.sleep(3.0)], "api_error", 3),
        7: ([Reply.rate_limited(0.01), _answer(samples[7])], "ok", 2),
        8: ([Reply.rate_limited(0.01)], "api_error", 3),
        9: ([Reply.server_error(500), Reply.server_error(502), _answer(samples[9])], "ok", 3),
        10: ([Reply.server_error(500)], "api_error", 3),
        11: ([Reply.http_error(401, f"Incorrect API key provided: {SECRET}")], "api_error", 1),
        12: ([Reply.answer("Coordinates: 35.6762, 139.6503")], "ok", 1),
    }
    assert wrong is samples[1]
    expected = {}
    for index, (replies, status, calls) in plan.items():
        target = samples[index]

        def match(request: RecordedRequest, target: SyntheticSample = target) -> bool:
            return sample_for_colour(samples, request.image_mean_rgb[-1]) is target

        server.script(match, replies)
        expected[target.sample_id] = (status, calls)
    return expected


Setup = tuple[list[SyntheticSample], Store, dict[str, ModelPreset], Settings]
"""The ingested samples, their store, the presets by name and the settings."""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_server: OpenAIServer) -> Setup:
    monkeypatch.setenv(KEY_ENV, SECRET)
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    samples = make_samples(tmp_path / "images", 13)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples)
    presets = load_presets(
        write_presets(tmp_path / "models.toml", openai_server.base_url, key_env=KEY_ENV)
    )
    settings = Settings(
        db_path=tmp_path / "db.duckdb",
        cache_dir=tmp_path / "cache",
        models_file=tmp_path / "models.toml",
    )
    return samples, store, presets, settings


def _reservation(preset: ModelPreset, form: str) -> float:
    """Return what the runner reserves for one call of the basic prompt on one image."""
    from analysis.models.cost import max_call_cost_usd
    from analysis.prompts import get_prompt
    from analysis.types import Sample

    messages = get_prompt("basic").render(Sample("x", math.nan, math.nan, image_sha256="0" * 64), (), form)
    return max_call_cost_usd(preset, len(messages.as_text()), 1)


def _config(presets: dict[str, ModelPreset], **kw: Any) -> RunConfig:
    base = RunConfig(
        dataset="syn",
        preset=presets["local"],
        prompt="basic",
        form="coords",
        concurrency=4,
        timeout_s=0.5,
        retry=RetryPolicy(retries=2, base_delay_s=0.01, max_delay_s=0.05),
    )
    return replace(base, **kw)


def test_every_scripted_behaviour_ends_in_the_right_status(
    openai_server: OpenAIServer, setup: Setup
) -> None:
    samples, store, presets, settings = setup
    expected = _script(openai_server, samples)
    config = _config(presets)
    summary = run_benchmark(config, store, settings, progress=False)

    frame = store.run_frame(config.name, with_raw=True).set_index("sample_id")
    assert len(frame) == len(samples)  # the run completed despite the failures
    got = {sid: str(frame.loc[sid, "status"]) for sid in expected}
    assert got == {sid: status for sid, (status, _) in expected.items()}
    assert summary.calls == openai_server.calls == sum(calls for _, calls in expected.values())
    # Retried answers are real answers; wrong answers are answers, counted wrong.
    assert (
        frame.loc["s0000", "pred_country"] == "FRA" and frame.loc["s0001", "pred_country"] == "PER"
    )
    assert (
        frame.loc["s0012", "pred_country"] == "JPN"
    )  # coordinates only -> country containing them
    assert frame.loc["s0000", "distance_km"] == pytest.approx(0.0, abs=0.01)
    assert "no answer within 0.5 s" in text_at(frame, "s0006", "error")
    assert (
        "rate limited" in text_at(frame, "s0008", "error")
        and "3 attempts" in text_at(frame, "s0008", "error")
    )
    assert "HTTP 500" in text_at(frame, "s0010", "error")
    assert "[redacted]" in text_at(frame, "s0011", "error")
    # The cost is the preset's prices applied to the usage the server reported.
    # Refusals and rambles were answered, so they were billed too; HTTP errors were not, but
    # each of the 3 timed-out attempts (s0006) may have been: each is booked at its reservation.
    answered = frame[frame["status"] != "api_error"]
    expected_cost = (answered["input_tokens"] * 2.5 + answered["output_tokens"] * 10.0) / 1e6
    assert answered["cost_usd"].to_numpy() == pytest.approx(expected_cost.to_numpy())
    reservation = _reservation(presets["local"], "coords")
    assert summary.spend_usd == pytest.approx(float(expected_cost.sum()) + 3 * reservation)
    assert frame[frame["status"] == "api_error"]["cost_usd"].isna().all()
    # Images arrived stripped of their GPS EXIF, resized to the preset's max_side.
    assert openai_server.images_received == openai_server.calls
    assert openai_server.images_with_metadata == 0
    assert all(max(size) <= 256 for r in openai_server.requests for size in r.image_sizes)

    info = store.run_info(config.name)
    from analysis.prompts import get_prompt

    strategy = get_prompt("basic")
    assert info["prompt_text"] == strategy.template_text("coords")
    assert info["prompt_hash"] == strategy.template_hash("coords")
    assert info["model"] == "test-vlm" and info["adapter"] == "openai_compat"
    params = json.loads(info["params_json"])
    assert params["preset"] == "local" and params["key_variable"] == KEY_ENV
    assert params["generation"]["temperature"] == 0.0


def test_secrets_reach_no_database_journal_or_cache(
    openai_server: OpenAIServer, setup: Setup
) -> None:
    samples, store, presets, settings = setup
    _script(openai_server, samples)
    run_benchmark(_config(presets), store, settings, progress=False)
    with store.reader() as con:
        for table in ("runs", "predictions", "datasets", "samples"):
            dump = con.execute(f"SELECT * FROM {table}").df().to_csv()
            assert SECRET not in dump, table
    for path in settings.cache_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET.encode() not in (settings.db_path).read_bytes()


def test_asking_twice_costs_nothing(openai_server: OpenAIServer, setup: Setup) -> None:
    samples, store, presets, settings = setup
    openai_server.default = lambda request: _answer(
        sample_for_colour(samples, request.image_mean_rgb[-1])
    )
    first = run_benchmark(_config(presets), store, settings, progress=False)
    assert first.calls == len(samples) and first.statuses == {"ok": len(samples)}
    calls = openai_server.calls
    # Same run again: nothing left to do.
    again = run_benchmark(_config(presets), store, settings, progress=False)
    assert again.attempted == 0 and openai_server.calls == calls
    # A new run with the same model, prompt and images: every answer from the cache.
    copy = run_benchmark(_config(presets, run_name="copy"), store, settings, progress=False)
    assert copy.attempted == len(samples) and copy.cache_hits == len(samples)
    assert openai_server.calls == calls and copy.spend_usd == 0.0
    a = store.run_frame(first.run).set_index("sample_id").sort_index()
    b = store.run_frame("copy").set_index("sample_id").sort_index()
    assert (a["pred_country"] == b["pred_country"]).all()
    # Changing a generation parameter is a different question: it calls again.
    other = presets["local"]
    from dataclasses import replace
    from types import MappingProxyType

    warmer = replace(other, params=MappingProxyType({"temperature": 0.7, "max_tokens": 200}))
    run_benchmark(
        _config(presets, preset=warmer, run_name="warmer", limit=2), store, settings, progress=False
    )
    assert openai_server.calls == calls + 2


def test_dry_run_counts_calls_and_cost_without_calling(
    openai_server: OpenAIServer, setup: Setup
) -> None:
    samples, store, presets, settings = setup
    estimate = estimate_run(_config(presets, limit=5), store, settings)
    assert (estimate.selected, estimate.calls, estimate.cache_hits) == (5, 5, 0)
    assert estimate.max_output_tokens == 5 * 200  # params.max_tokens per call
    assert estimate.cost_usd == pytest.approx(
        (estimate.input_tokens * 2.5 + estimate.max_output_tokens * 10.0) / 1e6
    )
    assert openai_server.calls == 0 and not store.has_run(estimate.run)
    openai_server.default = lambda request: _answer(
        sample_for_colour(samples, request.image_mean_rgb[-1])
    )
    run_benchmark(_config(presets, limit=3), store, settings, progress=False)
    after = estimate_run(_config(presets, limit=5, run_name="fresh"), store, settings)
    assert after.cache_hits == 3 and after.calls == 2


def test_dry_run_cost_is_what_max_cost_reserves_so_it_lets_the_run_finish(
    openai_server: OpenAIServer, setup: Setup
) -> None:
    samples, store, presets, settings = setup
    estimate = estimate_run(_config(presets, limit=5), store, settings)
    # one accounting of tokens and images (analysis.models.cost) for the estimate and the cap
    assert estimate.cost_usd == pytest.approx(5 * _reservation(presets["local"], "coords"))
    openai_server.default = lambda request: _answer(
        sample_for_colour(samples, request.image_mean_rgb[-1])
    )
    summary = run_benchmark(
        _config(presets, limit=5), store, settings, progress=False, max_cost_usd=estimate.cost_usd
    )
    assert summary.answered == 5 and not summary.stopped_for_budget


def test_cli_run_with_limit_and_stratified_sample(
    openai_server: OpenAIServer,
    setup: Setup,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from analysis.cli import main

    samples, store, presets, settings = setup
    openai_server.default = lambda request: _answer(
        sample_for_colour(samples, request.image_mean_rgb[-1])
    )
    base = [
        "--db",
        str(settings.db_path),
        "run",
        "--dataset",
        "syn",
        "--model",
        "local",
        "--models",
        str(settings.models_file),
        "--no-progress",
        "--backoff",
        "0.01",
    ]
    assert main([*base, "--sample", "8", "--run", "strat", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "calls: 8" in captured.out and "warning" not in captured.err
    with pytest.MonkeyPatch.context() as patch:  # the key is gone: the estimate says so
        patch.delenv(KEY_ENV)
        assert main([*base, "--sample", "8", "--run", "strat", "--dry-run"]) == 0
        err = capsys.readouterr().err
        assert f"{KEY_ENV} is not set: the real run would fail" in err, err
    assert main([*base, "--sample", "8", "--run", "strat"]) == 0
    out = capsys.readouterr().out
    assert "8 answered now (ok 8)" in out
    frame = store.run_frame("strat")
    # 13 samples over 8 countries (FRA..DEU, the first 5 twice): every country kept.
    assert len(frame) == 8 and frame["true_country"].nunique() == 8
    assert main([*base, "--limit", "2", "--run", "lim"]) == 0
    assert len(store.run_frame("lim")) == 2
    assert main([*base, "--model", "nope"]) == 1
    assert "no model preset 'nope'" in capsys.readouterr().err


def test_static_kshot_sends_examples_before_the_query(
    openai_server: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    samples = make_samples(tmp_path / "images", 10)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples[:6], split="train")
    ingest(store, "syn", samples[6:], split="test")
    presets = load_presets(write_presets(tmp_path / "models.toml", openai_server.base_url))
    settings = Settings(
        db_path=tmp_path / "db.duckdb",
        cache_dir=tmp_path / "cache",
        models_file=tmp_path / "models.toml",
    )
    openai_server.default = lambda request: _answer(
        sample_for_colour(samples, request.image_mean_rgb[-1])
    )
    config = RunConfig(
        dataset="syn",
        preset=presets["local-free"],
        prompt="static_kshot",
        k=2,
        split="test",
        form="country",
    )
    summary = run_benchmark(config, store, settings, progress=False)
    assert summary.statuses == {"ok": 4}
    for request in openai_server.requests:
        roles = [m["role"] for m in request.body["messages"]]
        assert roles == ["system", "user", "assistant", "user", "assistant", "user"]
        assert request.image_count == 3
        assert sample_for_colour(samples, request.image_mean_rgb[0]).sample_id < "s0006"  # train
    queries = {
        sample_for_colour(samples, r.image_mean_rgb[-1]).sample_id for r in openai_server.requests
    }
    assert queries == {"s0006", "s0007", "s0008", "s0009"}
    openai_server.assert_clean_images()
    assert json.loads(store.run_info(config.name)["params_json"])["k"] == 2


def test_relative_image_paths_and_a_missing_image(
    openai_server: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.cli import main

    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    samples = make_samples(tmp_path / "photos" / "set1", 3)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "rel", samples, relative_to=tmp_path / "photos")
    samples[2].path.unlink()  # lost after ingest
    models = write_presets(tmp_path / "models.toml", openai_server.base_url)
    args = ["--db", str(tmp_path / "db.duckdb"), "run", "--dataset", "rel", "--model",
            "local-free", "--models", str(models), "--no-progress", "--images-root",
            str(tmp_path / "photos")]  # fmt: skip
    assert main(args) == 0
    frame = store.run_frame("rel:local-free:basic:country", with_raw=True).set_index("sample_id")
    assert list(frame["status"]) == ["ok", "ok", "api_error"]
    assert "cannot read image" in text_at(frame, "s0002", "error")
    assert openai_server.calls == 2


def test_cli_resume_reports_only_what_it_recovered_and_whose_accuracy(
    openai_server: OpenAIServer,
    setup: Setup,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from analysis.cli import main

    samples, store, presets, settings = setup
    openai_server.default = _answer(samples[0])  # right for samples[0] only
    base = ["--db", str(settings.db_path), "run", "--dataset", "syn", "--model", "local",
            "--models", str(settings.models_file), "--no-progress", "--run", "r"]  # fmt: skip
    assert main([*base, "--limit", "1"]) == 0
    capsys.readouterr()
    assert main([*base, "--limit", "3"]) == 0
    out = capsys.readouterr().out
    # The journal's line was already in the store: nothing was recovered.
    assert "recovered" not in out
    # The two new answers are both wrong; the run as a whole is 1 of 3.
    assert "country accuracy of the 2 answered now 0.000" in out
