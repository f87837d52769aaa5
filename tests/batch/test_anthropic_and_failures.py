"""Anthropic Message Batches; failed and expired requests; files split at provider limits."""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd
import pytest

from analysis.batch.cycle import BatchOptions, run_batch
from analysis.batch.requests import BatchLimits
from analysis.cli import main
from analysis.config import Settings
from analysis.models.presets import get_preset
from analysis.runner import RunConfig
from analysis.store import Store
from analysis.store.batches import run_batches
from tests.support.batch_server import BatchServer

COLUMNS = ["status", "pred_country", "pred_lat", "pred_lon", "input_tokens", "output_tokens"]


def _run(db: Path, models: Path, model: str, *extra: str) -> int:
    return main(["--db", str(db), "run", "--dataset", "photos", "--model", model, "--models",
                 str(models), "--no-progress", *extra])  # fmt: skip


def _frame(db: Path, run: str) -> pd.DataFrame:
    return Store(db).run_frame(run, with_raw=True).set_index("sample_id").sort_index()


def test_anthropic_message_batch_in_native_format_matches_the_sync_path(
    photo_setup: tuple[Path, Path, int], batch_server: BatchServer
) -> None:
    db, models, n = photo_setup
    assert (
        _run(db, models, "claude-batch", "--run", "claude", "--batch", "--batch-poll", "0.01") == 0
    )
    assert batch_server.batch_calls["POST /v1/messages/batches"] == 1
    assert batch_server.batch_calls["POST /v1/files"] == 0  # requests travel in the create call
    (requests,) = batch_server.batch_inputs.values()
    params = requests[0]["params"]
    assert params["model"] == "claude-test" and params["max_tokens"] == 200
    assert isinstance(params["system"], str) and params["system"]
    blocks = params["messages"][0]["content"]
    image = next(b for b in blocks if b["type"] == "image")
    assert image["source"]["type"] == "base64" and image["source"]["media_type"] == "image/jpeg"
    assert base64.b64decode(image["source"]["data"])[:2] == b"\xff\xd8"
    batch_server.assert_clean_images()  # no EXIF reached the provider this way either
    batch = _frame(db, "claude")
    assert len(batch) == n and set(batch_server.answered.values()) == {1}

    assert _run(db, models, "claude-batch", "--run", "claude-sync", "--no-cache") == 0
    sync = _frame(db, "claude-sync")
    pd.testing.assert_frame_equal(batch[COLUMNS], sync[COLUMNS])
    assert (batch["raw_response"] == sync["raw_response"]).all()
    # explicit batch prices 1.5 / 7.5 against 3 / 15
    assert batch["cost_usd"].sum() == pytest.approx(sync["cost_usd"].sum() / 2)


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_failed_requests_stay_pending_then_are_resubmitted_alone(
    photo_setup: tuple[Path, Path, int], batch_server: BatchServer, api: str
) -> None:
    db, models, n = photo_setup
    model = "local-batch" if api == "openai" else "claude-batch"
    batch_server.fail_prefixes = ("0", "1", "2", "3")  # about a quarter of the requests
    assert _run(db, models, model, "--run", "r", "--batch", "--batch-poll", "0.01") == 0
    frame = _frame(db, "r")
    failed = frame[frame["status"] == "api_error"]
    assert 0 < len(failed) < n and len(frame) == n
    assert failed["error"].str.contains("Invalid image").all()
    assert batch_server.calls == 0

    batch_server.fail_prefixes = ()
    assert _run(db, models, model, "--run", "r", "--batch", "--batch-poll", "0.01") == 0
    rows = run_batches(Store(db), "r")
    assert [r.n_requests for r in rows] == [n, len(failed)]  # only the failed ones again
    assert (_frame(db, "r")["status"] != "api_error").all()
    assert sum(batch_server.answered.values()) == n + len(failed)


def test_failed_requests_fall_back_to_the_normal_path_when_asked(
    photo_setup: tuple[Path, Path, int], batch_server: BatchServer
) -> None:
    db, models, n = photo_setup
    batch_server.fail_prefixes = ("0", "1", "2", "3")
    assert _run(db, models, "local-batch", "--run", "r", "--batch", "--batch-poll", "0.01",
                "--batch-failed", "sync") == 0  # fmt: skip
    frame = _frame(db, "r")
    assert len(frame) == n and (frame["status"] != "api_error").all()
    fallback = batch_server.calls
    assert 0 < fallback < n
    assert len(run_batches(Store(db), "r")) == 1
    # the fallbacks were ordinary calls: priced at the full price
    full = frame["input_tokens"] * 2.5 / 1e6 + frame["output_tokens"] * 10.0 / 1e6
    at_full = (frame["cost_usd"] - full).abs() < 1e-12
    assert at_full.sum() == fallback


def test_expired_batch_keeps_its_answers_and_leaves_the_rest_pending(
    photo_setup: tuple[Path, Path, int], batch_server: BatchServer
) -> None:
    db, models, n = photo_setup
    batch_server.finish_as = "expired"  # every second request unanswered
    assert _run(db, models, "local-batch", "--run", "r", "--batch", "--batch-poll", "0.01") == 0
    frame = _frame(db, "r")
    assert (frame["status"] == "api_error").sum() == n // 2
    assert frame.loc[frame["status"] == "api_error", "error"].str.contains("expired").all()
    assert (run_batches(Store(db), "r")[0].detail or "").startswith("expired")


def test_a_failed_batch_leaves_every_sample_pending_with_the_reason(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, models, n = photo_setup
    batch_server.finish_as = "failed"
    assert _run(db, models, "local-batch", "--run", "r", "--batch", "--batch-poll", "0.01") == 0
    frame = _frame(db, "r")
    assert (frame["status"] == "api_error").all() and len(frame) == n
    assert "bad input file" in (run_batches(Store(db), "r")[0].detail or "")
    assert batch_server.calls == 0


def test_files_are_split_at_the_provider_limits(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, models, n = photo_setup
    settings = Settings.from_env(models=str(models))
    config = RunConfig(dataset="photos", preset=get_preset("local-batch", models), run_name="s")
    limits = BatchLimits(max_requests=20, max_bytes=10**9)
    report = run_batch(config, Store(db), settings, BatchOptions(limits=limits, poll_s=0.01))
    assert [r.n_requests for r in report.submitted] == [20, 20, n - 40]
    assert len(Store(db).run_frame("s")) == n
    # the same questions under another run name: answered from the cache, nothing sent
    config = RunConfig(dataset="photos", preset=get_preset("local-batch", models), run_name="c")
    report = run_batch(config, Store(db), settings, BatchOptions(limits=limits))
    assert not report.submitted and report.http_requests == 0
    assert len(Store(db).run_frame("c")) == n
    # a byte limit (with an empty cache): every file stays under it
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache-2"))
    settings = Settings.from_env(models=str(models))
    small = BatchLimits(max_requests=10**6, max_bytes=200_000)
    config = RunConfig(dataset="photos", preset=get_preset("local-batch", models), run_name="b")
    uploaded = len(batch_server.files)
    report = run_batch(config, Store(db), settings, BatchOptions(limits=small, poll_s=0.01))
    assert len(report.submitted) > 1
    uploads = [f for f in list(batch_server.files.values())[uploaded:] if b'"method"' in f]
    assert len(uploads) == len(report.submitted) and all(len(f) <= 200_000 for f in uploads)
    assert len(Store(db).run_frame("b")) == n
