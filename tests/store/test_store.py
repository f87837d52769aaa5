"""Store: schema and migrations, ingest idempotency, queries, deletes, secrets, lock waiting."""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.errors import ImportValidationError, InputError, NotFoundError, StoreError
from analysis.geo.distance import haversine_km
from analysis.store import SCHEMA_VERSION, DatasetMeta, RunMeta, Store
from analysis.store.schema import MIGRATIONS
from analysis.types import CoordsSource, Prediction, PredictionStatus
from tests.support.frames import float_at, row_values

PARIS = (48.8566, 2.3522)
NEW_YORK = (40.7128, -74.0060)
LONDON = (51.5074, -0.1278)


def _samples() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sample_id": ["paris_h0", "paris_h90", "nyc"],
            "location_id": ["paris", "paris", None],
            "true_lat": [PARIS[0], PARIS[0], NEW_YORK[0]],
            "true_lon": [PARIS[1], PARIS[1], NEW_YORK[1]],
            "true_country": ["FRA", "FRA", "USA"],
            "heading": [0, 90, None],
        }
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "geo.duckdb", lock_timeout_s=2.0)
    s.ingest_samples(DatasetMeta("d", kind="manifest"), _samples())
    s.create_run(RunMeta("r", "d", model="m", params={"temperature": 0.0, "api_key": "sk-secret1"}))
    return s


def test_migrate_creates_versioned_schema_once(tmp_path: Path) -> None:
    s = Store(tmp_path / "new.duckdb")
    assert s.migrate() == [v for v, _ in MIGRATIONS]
    assert s.migrate() == []
    assert s.schema_version() == SCHEMA_VERSION
    with s.reader() as con:
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert {"schema_version", "datasets", "samples", "runs", "predictions"} <= tables


def test_database_from_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    Store(path).migrate()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError, match="newer than this GeoScope"):
        Store(path).list_runs()


def test_ingest_samples_is_idempotent_and_defaults_location(store: Store) -> None:
    assert store.ingest_samples(DatasetMeta("d"), _samples()) == 0
    samples = store.dataset_samples("d").set_index("sample_id")
    assert len(samples) == 3
    assert samples.loc["nyc", "location_id"] == "nyc"  # one place per image by default
    assert samples.loc["paris_h90", "location_id"] == "paris"


def test_ingest_samples_refuses_conflicting_truth_and_writes_nothing(store: Store) -> None:
    moved = _samples().assign(true_lat=[10.0, PARIS[0], NEW_YORK[0]])
    extra = pd.DataFrame({"sample_id": ["new"], "true_lat": [1.0], "true_lon": [1.0]})
    with pytest.raises(ImportValidationError, match="paris_h0"):
        store.ingest_samples(DatasetMeta("d"), pd.concat([moved, extra]))
    assert len(store.dataset_samples("d")) == 3  # "new" was not added either


@pytest.mark.parametrize(
    ("frame", "needle"),
    [
        (pd.DataFrame({"sample_id": ["a"], "true_lat": [1.0]}), "true_lon"),
        (
            pd.DataFrame({"sample_id": ["a", "a"], "true_lat": [1.0, 1.0], "true_lon": [1, 1]}),
            "duplicate",
        ),
        (pd.DataFrame({"sample_id": ["a"], "true_lat": [95.0], "true_lon": [1.0]}), "out of range"),
    ],
)
def test_ingest_samples_validates(tmp_path: Path, frame: pd.DataFrame, needle: str) -> None:
    s = Store(tmp_path / "v.duckdb")
    with pytest.raises(ImportValidationError, match=needle):
        s.ingest_samples(DatasetMeta("x"), frame)
    assert s.list_datasets().empty


def test_add_predictions_computes_distance_and_is_idempotent(store: Store) -> None:
    guess = Prediction(
        "paris_h0", "London", PredictionStatus.OK, "GBR", *LONDON, CoordsSource.MODEL
    )
    nothing = Prediction("nyc", "no idea", PredictionStatus.UNKNOWN)
    assert store.add_predictions("r", [guess, nothing]) == 2
    first_write = store.list_runs()["updated_at"].iloc[0]
    assert store.add_predictions("r", [guess]) == 1  # same sample again: replaced, not added
    assert store.list_runs()["updated_at"].iloc[0] > first_write  # a rewrite is visible
    frame = store.run_frame("r").set_index("sample_id")
    assert len(frame) == 2
    expected = haversine_km(PARIS[0], PARIS[1], LONDON[0], LONDON[1])
    assert frame.loc["paris_h0", "distance_km"] == pytest.approx(expected, abs=1e-9)
    assert math.isnan(float_at(frame, "nyc", "distance_km"))
    assert frame.loc["nyc", "status"] == "unknown"
    assert store.done_sample_ids("r") == {"paris_h0", "nyc"}


def test_done_sample_ids_leaves_api_errors_for_resume(store: Store) -> None:
    failed = Prediction("nyc", None, PredictionStatus.API_ERROR, error="timeout")
    store.add_predictions("r", [failed])
    assert store.done_sample_ids("r") == set()
    assert store.done_sample_ids("r", include_errors=True) == {"nyc"}


def test_add_predictions_refuses_unknown_ids_and_bad_points(store: Store) -> None:
    with pytest.raises(ImportValidationError, match="nowhere"):
        store.add_predictions("r", [Prediction("nowhere", "x", PredictionStatus.OK, "FRA")])
    with pytest.raises(InputError, match="outside"):
        store.add_predictions("r", [Prediction("nyc", "x", PredictionStatus.OK, None, 91.0, 0.0)])
    assert store.run_frame("r").empty


def test_create_run_resume_and_conflict(store: Store) -> None:
    store.create_run(RunMeta("r", "d"))  # same dataset: a resume, no error
    store.ingest_samples(DatasetMeta("other"), _samples())
    with pytest.raises(StoreError, match="already exists"):
        store.create_run(RunMeta("r", "other"))
    with pytest.raises(NotFoundError, match="no dataset"):
        store.create_run(RunMeta("r2", "missing"))


def test_params_are_stored_without_secrets(store: Store) -> None:
    params = json.loads(store.run_info("r")["params_json"])
    assert params == {"api_key": "[redacted]", "temperature": 0.0}
    with store.reader() as con:
        dump = str(con.execute("SELECT * FROM runs").fetchall())
    assert "sk-secret1" not in dump


def test_listings_and_sample_predictions(store: Store) -> None:
    store.ingest_samples(DatasetMeta("other"), _samples())
    store.create_run(RunMeta("r2", "d", model="m2"))
    store.add_predictions("r", [Prediction("nyc", "USA", PredictionStatus.OK, "USA", *NEW_YORK)])
    store.add_predictions("r2", [Prediction("nyc", "Canada", PredictionStatus.OK, "CAN")])
    datasets = store.list_datasets().set_index("name")
    assert row_values(datasets.loc["d", ["n_samples", "n_locations", "n_countries", "n_runs"]]) == [
        3,
        2,
        2,
        2,
    ]
    runs = store.list_runs("d").set_index("name")
    assert runs.loc["r", "n_predictions"] == 1 and runs.loc["r2", "n_ok"] == 1
    per_sample = store.sample_predictions("d", "nyc").set_index("run")
    assert per_sample.loc["r2", "pred_country"] == "CAN"
    assert per_sample.loc["r", "distance_km"] == pytest.approx(0.0, abs=1e-9)
    both = store.runs_frame(["r", "r2"])
    assert sorted(both["run"]) == ["r", "r2"]
    with pytest.raises(NotFoundError, match="no run named 'zz'"):
        store.run_frame("zz")


def test_deletes(store: Store) -> None:
    store.add_predictions("r", [Prediction("nyc", "USA", PredictionStatus.OK, "USA")])
    with pytest.raises(StoreError, match="used by runs 'r'"):
        store.delete_dataset("d")
    assert store.delete_run("r") == 1
    assert store.list_runs().empty
    assert store.delete_dataset("d") == []
    assert store.list_datasets().empty
    store.ingest_samples(DatasetMeta("sim", is_simulated=True), _samples())
    store.create_run(RunMeta("sim-run", "sim", is_simulated=True))
    assert store.delete_simulated() == 2
    assert store.list_datasets().empty


def _hold_writer(path: str, seconds: float, ready: mp.synchronize.Event) -> None:
    con = duckdb.connect(path)
    ready.set()
    time.sleep(seconds)
    con.close()


@pytest.mark.slow
def test_locked_database_is_waited_for_then_reported(store: Store) -> None:
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_writer, args=(str(store.path), 1.0, ready))
    holder.start()
    try:
        assert ready.wait(30)
        start = time.monotonic()
        assert store.list_runs()["name"].tolist() == ["r"]  # waited for the lock, no error
        assert time.monotonic() - start > 0.2
    finally:
        holder.join(30)
    impatient = Store(store.path, lock_timeout_s=0.3)
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_writer, args=(str(store.path), 1.5, ready))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreError, match="locked by another process"):
            impatient.list_runs()
    finally:
        holder.join(30)


def test_ingest_import_writes_dataset_run_and_predictions_at_once(tmp_path: Path) -> None:
    from analysis.store import PREDICTION_COLUMNS, SAMPLE_COLUMNS
    from analysis.store.samples import normalize_samples

    s = Store(tmp_path / "bulk.duckdb")
    preds = pd.DataFrame([{c: None for c in PREDICTION_COLUMNS}] * 2)
    preds = preds.assign(sample_id=["paris_h0", "ghost"], status="ok", pred_lat=LONDON[0],
                         pred_lon=LONDON[1]).astype({"created_at": "datetime64[us]"})  # fmt: skip
    samples = normalize_samples(_samples())
    assert samples.column_names == list(SAMPLE_COLUMNS)
    with pytest.raises(ImportValidationError, match="ghost"):
        s.ingest_import(RunMeta("bulk", "d"), preds, dataset_meta=DatasetMeta("d"), samples=samples)
    assert s.list_datasets().empty  # the dataset went with the refused run
    n = s.ingest_import(RunMeta("bulk", "d"), preds.iloc[:1], dataset_meta=DatasetMeta("d"),
                        samples=samples)  # fmt: skip
    assert n == 1
    frame = s.run_frame("bulk")
    assert frame["distance_km"].iloc[0] == pytest.approx(
        haversine_km(PARIS[0], PARIS[1], LONDON[0], LONDON[1]), abs=1e-9
    )
    with pytest.raises(StoreError, match="--replace"):
        s.ingest_import(RunMeta("bulk", "d"), preds.iloc[:1])
    assert s.ingest_import(RunMeta("bulk", "d"), preds.iloc[:1], replace=True) == 1
