"""The OpenAI batch cycle through the CLI against a real local server, on the real photos."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.store import Store
from analysis.store.batches import run_batches
from tests.support.batch_server import BatchServer

RUN = "photos-batch"
COLUMNS = ["status", "pred_country", "pred_lat", "pred_lon", "input_tokens", "output_tokens"]


def _run(db: Path, models: Path, *extra: str) -> int:
    return main(["--db", str(db), "run", "--dataset", "photos", "--model", "local-batch",
                 "--models", str(models), "--no-progress", *extra])  # fmt: skip


def _frame(db: Path, run: str) -> pd.DataFrame:
    return Store(db).run_frame(run).set_index("sample_id").sort_index()


def test_batch_run_answers_every_photo_once_like_the_sync_path(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, models, n = photo_setup
    assert _run(db, models, "--run", RUN, "--batch") == 0
    out = capsys.readouterr().out
    assert "submitted openai batch" in out
    assert batch_server.calls == 0  # nothing went through chat completions
    assert not Store(db).has_run(RUN) or Store(db).run_frame(RUN).empty

    # validating -> in_progress -> completed: the second and third command poll and collect
    assert _run(db, models, "--run", RUN, "--batch") == 0
    assert _run(db, models, "--run", RUN, "--batch") == 0
    batch = _frame(db, RUN)
    assert len(batch) == n
    assert set(batch_server.answered.values()) == {1}  # every request answered exactly once
    assert sum(batch_server.answered.values()) == n  # the photos are all distinct images
    assert batch_server.calls == 0
    batch_server.assert_clean_images()
    assert [r.status for r in run_batches(Store(db), RUN)] == ["collected"]

    # the synchronous path on the same questions, asking the server again (--no-cache)
    assert _run(db, models, "--run", "photos-sync", "--no-cache") == 0
    assert batch_server.calls == n
    sync = _frame(db, "photos-sync")
    pd.testing.assert_frame_equal(batch[COLUMNS], sync[COLUMNS])
    assert batch["distance_km"].equals(sync["distance_km"])
    # the batch price is half the price (batch_discount = 0.5)
    assert batch["cost_usd"].sum() == pytest.approx(sync["cost_usd"].sum() / 2)
    assert sync["cost_usd"].sum() > 0
    # the same request bodies reached the server both ways (same prompt, images, parameters)
    assert sorted(str(r.body) for r in batch_server.batch_lines) == sorted(
        str(r.body) for r in batch_server.requests
    )

    # nothing left: another --batch submits nothing and pays nothing
    creates = batch_server.batch_calls["POST /v1/batches"]
    assert _run(db, models, "--run", RUN, "--batch") == 0
    assert batch_server.batch_calls["POST /v1/batches"] == creates
