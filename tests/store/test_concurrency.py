"""A writer process and a reader process share the file: no lock error reaches the reader."""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.queues
import time
import traceback
from pathlib import Path

import pandas as pd
import pytest

from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import Prediction, PredictionStatus

N_SAMPLES = 400
BATCH = 20


def _writer(
    path: str,
    ready: mp.synchronize.Event,
    done: mp.synchronize.Event,
    out: multiprocessing.queues.Queue[tuple[object, ...]],
) -> None:
    try:
        store = Store(path)
        ready.wait(60)  # start once the reader is reading, so the two really overlap
        for start in range(0, N_SAMPLES, BATCH):  # the runner's pattern: short batches
            batch = [
                Prediction(f"s{i}", "France", PredictionStatus.OK, "FRA", 48.0, 2.0)
                for i in range(start, start + BATCH)
            ]
            store.add_predictions("live", batch)
            time.sleep(0.05)
        out.put(("writer", "ok", N_SAMPLES // BATCH))
    except Exception:  # noqa: BLE001 - report anything, never hang the test
        out.put(("writer", "error", traceback.format_exc()))
    finally:
        done.set()


def _reader(
    path: str,
    ready: mp.synchronize.Event,
    done: mp.synchronize.Event,
    out: multiprocessing.queues.Queue[tuple[object, ...]],
) -> None:
    store = Store(path)
    reads, seen, errors = 0, [], []
    while not done.is_set() or reads < 5:
        try:  # what a dashboard rerun does: list runs, load the live run's frame
            store.list_runs()
            seen.append(len(store.run_frame("live")))
            reads += 1
            ready.set()
        except Exception:  # noqa: BLE001 - the test asserts there are none
            errors.append(traceback.format_exc())
    out.put(("reader", errors, seen))


@pytest.mark.slow
def test_reader_never_sees_lock_errors_while_a_writer_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.duckdb"
    store = Store(path)
    ids = [f"s{i}" for i in range(N_SAMPLES)]
    store.ingest_samples(
        DatasetMeta("d"), pd.DataFrame({"sample_id": ids, "true_lat": 48.85, "true_lon": 2.35})
    )
    store.create_run(RunMeta("live", "d"))
    ctx = mp.get_context("spawn")
    ready, done, out = ctx.Event(), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_reader, args=(str(path), ready, done, out)),
        ctx.Process(target=_writer, args=(str(path), ready, done, out)),
    ]
    for proc in procs:
        proc.start()
    results = {}
    for _ in procs:
        role, *rest = out.get(timeout=120)
        results[role] = rest
    for proc in procs:
        proc.join(30)
    assert results["writer"][0] == "ok", results["writer"][1]
    errors, seen = results["reader"]
    assert errors == [], errors[0]
    assert len(seen) >= 5
    assert seen == sorted(seen)  # the run only grows, batch by batch, as seen from outside
    assert seen[-1] == N_SAMPLES
    assert len(set(seen)) > 2  # the reader really overlapped the writer
