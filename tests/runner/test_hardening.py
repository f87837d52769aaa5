"""The runner against hostile servers: echoed keys, gzip bombs, usage that cannot be true, and
spending caps under concurrency; plus what the run command prints about it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from analysis.config import Settings
from analysis.models.cost import max_call_cost_usd
from analysis.models.presets import ModelPreset, load_presets
from analysis.runner import RetryPolicy, RunConfig, run_benchmark
from analysis.store import Store
from tests.support.datasets import ingest, make_samples
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

KEY_ENV = "GEOSCOPE_TEST_KEY"
KEY = "plainkey-Hardening-77"  # no provider's key shape: only the configured-key list catches it
N = 12


Env = tuple[Store, dict[str, ModelPreset], Settings]
"""The store with N samples, the presets by name and the settings."""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_server: OpenAIServer) -> Env:
    monkeypatch.setenv(KEY_ENV, KEY)
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GEOSCOPE_MAX_ANSWER_KB", raising=False)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", make_samples(tmp_path / "images", N))
    presets = load_presets(
        write_presets(tmp_path / "models.toml", openai_server.base_url, key_env=KEY_ENV)
    )
    settings = Settings(
        db_path=tmp_path / "db.duckdb",
        cache_dir=tmp_path / "cache",
        models_file=tmp_path / "models.toml",
    )
    return store, presets, settings


def _config(presets: dict[str, ModelPreset], **kw: Any) -> RunConfig:
    base = RunConfig(
        dataset="syn",
        preset=presets["local"],
        concurrency=4,
        timeout_s=5.0,
        retry=RetryPolicy(retries=0),
    )
    return replace(base, **kw)


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_an_echoed_key_reaches_no_row_cache_or_journal(
    openai_server: OpenAIServer,
    env: Env,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, presets, settings = env
    openai_server.default = Reply.echo_key('{"country": "France"}')
    summary = run_benchmark(_config(presets), store, settings, progress=False)
    assert summary.statuses == {"ok": N}
    frame = store.run_frame(summary.run, with_raw=True)
    assert frame["raw_response"].str.contains(r"Authorization: Bearer \[redacted\]").all()
    assert not frame["raw_response"].str.contains(KEY, regex=False).any()
    assert (frame["pred_country"] == "FRA").all()  # scrubbing kept the answer
    for path in _files(settings.cache_dir):
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY.encode() not in settings.db_path.read_bytes()
    assert KEY not in capsys.readouterr().out


def test_a_gzip_bombed_answer_is_stored_cut_and_says_so(
    openai_server: OpenAIServer, env: Env
) -> None:
    store, presets, settings = env
    openai_server.default = Reply.gzip_bomb(20_000_000, text='{"country": "Peru"} ')
    config = _config(presets, limit=2, max_answer_kb=16, preset=presets["local-free"])
    summary = run_benchmark(config, store, settings, progress=False)
    assert summary.truncated == 2 and summary.statuses == {"ok": 2}
    frame = store.run_frame(summary.run, with_raw=True)
    assert (frame["raw_response"].str.len() <= 16 * 1024).all()
    assert frame["error"].str.startswith("answer truncated to its first 16 KB").all()
    assert (frame["pred_country"] == "PER").all()
    # the journal and the cache hold the cut answers, not 20 MB each
    assert sum(p.stat().st_size for p in _files(settings.cache_dir)) < 200_000


def test_concurrent_calls_cannot_overshoot_the_cap(openai_server: OpenAIServer, env: Env) -> None:
    store, presets, settings = env
    # realistic usage within the call's limits: 2000 input tokens, max_tokens output
    openai_server.default = Reply(
        '{"country": "France"}', delay_s=0.2, prompt_tokens=2000, completion_tokens=200
    )
    per_call = (2000 * 2.5 + 200 * 10.0) / 1e6
    cap = 2.5 * per_call
    summary = run_benchmark(
        _config(presets, concurrency=N), store, settings, progress=False, max_cost_usd=cap
    )
    assert summary.stopped_for_budget
    assert openai_server.calls == 2 and summary.spend_usd == pytest.approx(2 * per_call)
    assert summary.spend_usd <= cap
    assert not summary.complete


def test_absurd_usage_is_booked_flagged_and_stops_the_run(
    openai_server: OpenAIServer, env: Env
) -> None:
    store, presets, settings = env
    openai_server.default = Reply.usage('{"country": "France"}', 100, 10**9)
    summary = run_benchmark(_config(presets, concurrency=2), store, settings, progress=False)
    assert summary.stop_message is not None and "1000000000 output tokens" in summary.stop_message
    assert openai_server.calls <= 2  # the calls in flight finished; nothing new started
    assert summary.usage_flags == openai_server.calls
    assert summary.spend_usd >= 10_000  # booked as reported: that is what may be billed
    frame = store.run_frame(summary.run, with_raw=True)
    assert frame["error"].str.contains("usage flagged").all()
    assert not summary.complete


def test_negative_usage_never_lowers_spend_and_the_cap_still_trips(
    openai_server: OpenAIServer, env: Env
) -> None:
    store, presets, settings = env
    openai_server.default = Reply.usage('{"country": "France"}', -1_000_000, -1_000_000)
    summary = run_benchmark(
        _config(presets, concurrency=1), store, settings, progress=False, max_cost_usd=0.02
    )
    assert summary.stopped_for_budget and openai_server.calls == 2
    assert 0 < summary.spend_usd <= 0.02  # unknown usage is booked at the reservation


def test_timed_out_calls_count_at_their_reservation(openai_server: OpenAIServer, env: Env) -> None:
    store, presets, settings = env
    openai_server.default = Reply.sleep(2.0)
    config = _config(presets, limit=2, timeout_s=0.3, retry=RetryPolicy(retries=1, base_delay_s=0))
    summary = run_benchmark(config, store, settings, progress=False)
    assert summary.statuses == {"api_error": 2} and summary.calls == 4
    prompt = "".join(r.text for r in openai_server.requests[:1])
    reservation = max_call_cost_usd(presets["local"], len(prompt), 1)
    assert summary.spend_usd == pytest.approx(4 * reservation, rel=0.02)


def _cli(settings: Settings, *extra: str) -> list[str]:
    return ["--db", str(settings.db_path), "run", "--dataset", "syn", "--model", "local",
            "--models", str(settings.models_file), "--no-progress", "--retries", "0",
            "--run", "r", *extra]  # fmt: skip


def test_cli_summary_counts_failed_calls_apart_and_never_scores_nothing(
    openai_server: OpenAIServer,
    env: Env,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from analysis.cli import main

    store, presets, settings = env
    openai_server.enqueue(*[Reply.http_error(400, "bad request")] * 3)
    openai_server.default = Reply.answer('{"country": "France"}')
    assert main(_cli(settings, "--limit", "5", "--concurrency", "1")) == 0
    out = capsys.readouterr().out
    assert "run r: 2 answered now (ok 2), 3 failed (api_error" in out
    assert "of the 2 answered now" in out
    openai_server.enqueue(*[Reply.http_error(400, "bad request")] * 3)
    assert main(_cli(settings, "--limit", "5", "--concurrency", "1")) == 0
    out = capsys.readouterr().out
    assert "run r: 0 answered now, 3 failed" in out
    assert "accuracy" not in out  # nothing answered: no accuracy of nothing


def test_cli_prints_what_it_recovered_before_the_summary(
    openai_server: OpenAIServer,
    env: Env,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from analysis.cli import main

    store, presets, settings = env
    assert main(_cli(settings, "--limit", "2")) == 0
    with store.writer() as con:  # the store lost what the journal holds (a crash between)
        con.execute("DELETE FROM predictions WHERE run = 'r'")
    capsys.readouterr()
    assert main(_cli(settings, "--limit", "3")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("recovered 2 predictions from ")
    assert lines[1].startswith("run r: 1 answered now (ok 1); 2 were done before")
    journal = next((settings.cache_dir / "runs").glob("*.jsonl"))
    assert all(json.loads(line)["type"] in ("run", "prediction") for line in journal.open())
