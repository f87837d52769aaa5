"""The Store: one DuckDB file, short-lived connections, the only door to the tables.

Every public method opens a connection, does its work and closes it, so a dashboard (another
process, many threads) and the CLI (one writer) can share the file: a waiting side retries on the
lock for up to ``lock_timeout_s`` (see ``connection.py``). Never keep a connection from
``reader()``/``writer()`` across a dashboard rerun or share it between threads. A short batch of
calls (an import, the demo, a run's preparation) runs inside ``session()``, which opens the file
once for the whole batch instead of once per call.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import pandas as pd
import pyarrow as pa

from analysis.errors import InputError, StoreError
from analysis.store import queries, writes
from analysis.store.connection import (
    DEFAULT_LOCK_TIMEOUT_S,
    connect_with_retry,
    corrupt_database,
    corruption_reason,
    fetch_one,
    foreign_tables,
    hold_open,
    missing_bytes,
)
from analysis.store.meta import DatasetMeta, RunMeta, validate_name
from analysis.store.samples import normalize_samples
from analysis.store.schema import SCHEMA_VERSION, apply_migrations, check_not_newer, current_version
from analysis.types import Prediction, PredictionStatus

Table: TypeAlias = pd.DataFrame | pa.Table


class Store:
    """A GeoScope database file; cheap to construct, connections opened per call."""

    def __init__(self, path: str | Path, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        self._schema_checked = False
        self._schema_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections --------------------------------------------------------------------------
    @contextmanager
    def _connect(self, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect_with_retry(self.path, read_only=read_only, timeout_s=self.lock_timeout_s)
        try:
            yield con
        except duckdb.Error as exc:
            # a damaged block shows only when a query reads it, long after the file opened
            reason = corruption_reason(exc)
            if reason is None:
                raise
            raise corrupt_database(self.path, reason) from None
        finally:
            con.close()

    def _ensure_schema(self, migrate: bool = True) -> bool:
        """Check (and create or migrate) the schema once; False when a migration is due but
        ``migrate`` is off (the caller holds the file read-only and must migrate after)."""
        if self._schema_checked:
            return True
        with self._schema_lock:
            if self._schema_checked:
                return True
            if self.path.exists():
                with self._connect(read_only=True) as con:
                    missing = missing_bytes(con, self.path)
                    if missing:  # a write would succeed and bury the damage deeper
                        raise corrupt_database(
                            self.path, f"it is truncated ({missing:,} bytes of its blocks are gone)"
                        )
                    version = current_version(con)
                    foreign = foreign_tables(con) if version == 0 else []
                if foreign:  # someone else's DuckDB file: adding our tables would alter it
                    shown = ", ".join(foreign[:5])
                    raise corrupt_database(
                        self.path, f"it is a DuckDB database without GeoScope's tables ({shown})"
                    )
                check_not_newer(version, str(self.path))
                if version < SCHEMA_VERSION:
                    if not migrate:
                        return False
                    self.migrate()
            else:
                self.migrate()
            self._schema_checked = True
            return True

    @contextmanager
    def _schema_ready(self, write: bool) -> Iterator[None]:
        """Make the schema current; on a Store's first call, on the same open as the call.

        The check reads the file, and each open builds a DuckDB instance (about 25 ms of CPU),
        so the check and the first call share one hold instead of opening the file twice.
        """
        with ExitStack() as stack:
            if not self._schema_checked and self.path.exists():
                stack.enter_context(
                    hold_open(self.path, write=write, timeout_s=self.lock_timeout_s)
                )
                if not self._ensure_schema(migrate=write):
                    stack.close()  # an old file: migrate (which writes) outside the read hold
            self._ensure_schema()
            yield

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Store]:
        """Hold the file open in this process while a batch of calls runs; yield this store.

        Every call otherwise opens the file anew, and DuckDB builds a whole instance per open
        (about 25 ms of CPU, more than most of our queries); inside a session each call reuses
        the held instance. The file stays locked meanwhile (shared, or exclusive with ``write``,
        which every write inside needs), so hold a session for one short step, never across a
        model call or a dashboard rerun. Sessions nest; a write session cannot nest in a read one.
        """
        with (
            self._schema_ready(write),
            hold_open(self.path, write=write, timeout_s=self.lock_timeout_s),
        ):
            yield self

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a short-lived read-only connection (the schema is created first if needed)."""
        with self._schema_ready(write=False), self._connect(read_only=True) as con:
            yield con

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a short-lived read-write connection; keep the work inside it brief."""
        with self._schema_ready(write=True), self._connect(read_only=False) as con:
            yield con

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a writer inside BEGIN/COMMIT; any exception rolls everything back."""
        with self.writer() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def migrate(self) -> list[int]:
        """Create or upgrade the schema; return the migration versions applied."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect(read_only=False) as con:
            applied = apply_migrations(con, str(self.path))
        self._schema_checked = True
        return applied

    def schema_version(self) -> int:
        """Return the schema version of the file."""
        with self.reader() as con:
            return current_version(con)

    # -- reads --------------------------------------------------------------------------------
    def list_datasets(self) -> pd.DataFrame:
        """Return one row per dataset with sample, location, country and run counts."""
        with self.reader() as con:
            return queries.list_datasets(con)

    def list_runs(self, dataset: str | None = None) -> pd.DataFrame:
        """Return one row per run (optionally of one dataset) with prediction counts."""
        with self.reader() as con:
            return queries.list_runs(con, dataset)

    def run_info(self, run: str) -> dict[str, Any]:
        """Return the stored metadata of one run (NotFoundError when absent)."""
        with self.reader() as con:
            return queries.run_info(con, run)

    def has_run(self, run: str) -> bool:
        """Return whether a run of that name exists."""
        with self.reader() as con:
            return fetch_one(con, "SELECT 1 FROM runs WHERE name = ?", [run]) is not None

    def has_dataset(self, name: str) -> bool:
        """Return whether a dataset of that name exists."""
        with self.reader() as con:
            row = fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [name])
            return row is not None

    def dataset_info(self, name: str) -> dict[str, Any]:
        """Return the stored dataset row as a dict (NotFoundError when absent)."""
        with self.reader() as con:
            queries.require_dataset(con, name)
            cur = con.execute("SELECT * FROM datasets WHERE name = ?", [name])
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
            row = rows[0] if rows else None
            assert row is not None
            return dict(zip(cols, row, strict=True))

    def dataset_samples(self, dataset: str) -> pd.DataFrame:
        """Return the samples of one dataset."""
        with self.reader() as con:
            return queries.dataset_samples(con, dataset)

    def run_frame(self, run: str, with_raw: bool = False) -> pd.DataFrame:
        """Return the evaluation frame of one run (one row per prediction, truth joined)."""
        with self.reader() as con:
            return queries.run_frame(con, run, with_raw)

    def runs_frame(self, runs: list[str], with_raw: bool = False) -> pd.DataFrame:
        """Return the evaluation frames of several runs with a ``run`` column."""
        with self.reader() as con:
            return queries.runs_frame(con, list(runs), with_raw)

    def sample_predictions(self, dataset: str, sample_id: str) -> pd.DataFrame:
        """Return every run's guess for one image of a dataset."""
        with self.reader() as con:
            return queries.sample_predictions(con, dataset, sample_id)

    def done_sample_ids(self, run: str, include_errors: bool = False) -> set[str]:
        """Return ids already answered by the run (api_error rows excluded unless asked)."""
        with self.reader() as con:
            return queries.done_sample_ids(con, run, include_errors)

    # -- writes -------------------------------------------------------------------------------
    def ingest_samples(self, dataset_meta: DatasetMeta, samples_df: pd.DataFrame) -> int:
        """Create the dataset if needed and add its new samples; return how many were added.

        Re-ingesting the same samples adds nothing; an id already stored with other true
        coordinates raises ImportValidationError and writes nothing.
        """
        name = validate_name(dataset_meta.name, "dataset")
        table = normalize_samples(samples_df)
        with self.transaction() as con:
            con.register("incoming_samples", table)
            exists = fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [name])
            if exists is None:
                writes.insert_dataset(con, dataset_meta)
            return writes.insert_samples(con, name, "incoming_samples")

    def ingest_dataset(
        self, dataset_meta: DatasetMeta, samples: Table, replace: bool = False
    ) -> int:
        """Create a dataset with all its samples in one transaction; return the sample count.

        An existing dataset of that name is refused unless ``replace``; replacing is refused
        while runs use the dataset (their predictions would lose their truth).
        """
        name = validate_name(dataset_meta.name, "dataset")
        table = normalize_samples(samples) if isinstance(samples, pd.DataFrame) else samples
        with self.transaction() as con:
            if fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [name]) is not None:
                if not replace:
                    raise StoreError(
                        f"dataset {name!r} already exists with other content; pass --replace "
                        f"to overwrite it or choose another --name"
                    )
                writes.delete_dataset(con, name, with_runs=False)
            writes.insert_dataset(con, dataset_meta)
            con.register("incoming_samples", table)
            return writes.insert_samples(con, name, "incoming_samples")

    def set_image_paths(self, dataset: str, paths: dict[str, str]) -> int:
        """Replace the image_path of the given sample ids in one transaction; return rows set."""
        table = pa.table(
            {"sample_id": list(paths), "image_path": list(paths.values())},
            schema=pa.schema([("sample_id", pa.string()), ("image_path", pa.string())]),
        )
        with self.transaction() as con:
            queries.require_dataset(con, dataset)
            con.register("new_image_paths", table)
            con.execute(
                "UPDATE samples SET image_path = n.image_path FROM new_image_paths n "
                "WHERE samples.dataset = ? AND samples.sample_id = n.sample_id",
                [dataset],
            )
        return len(paths)

    def create_run(self, run_meta: RunMeta) -> None:
        """Record a new run; recreating one with the same dataset is a no-op (resume)."""
        name = validate_name(run_meta.name, "run")
        with self.transaction() as con:
            queries.require_dataset(con, run_meta.dataset)
            row = fetch_one(con, "SELECT dataset FROM runs WHERE name = ?", [name])
            if row is not None:
                if row[0] != run_meta.dataset:
                    raise StoreError(
                        f"run {name!r} already exists on dataset {row[0]!r}, not "
                        f"{run_meta.dataset!r}; choose another run name or delete it first"
                    )
                return
            writes.insert_run(con, run_meta)

    def finish_run(self, run: str, finished_at: datetime | None = None) -> None:
        """Stamp the run's finished_at (now by default)."""
        with self.transaction() as con:
            queries.run_dataset(con, run)
            con.execute(
                "UPDATE runs SET finished_at = ? WHERE name = ?",
                [finished_at or datetime.now(), run],
            )

    def set_run_params(self, run: str, params_json: str) -> None:
        """Replace a run's params_json (e.g. to set its display alias); NotFoundError if absent."""
        with self.transaction() as con:
            queries.run_dataset(con, run)
            con.execute("UPDATE runs SET params_json = ? WHERE name = ?", [params_json, run])

    def add_predictions(self, run: str, predictions: Sequence[Prediction]) -> int:
        """Store a batch of predictions (replacing earlier ones for the same samples)."""
        if not predictions:
            return 0
        table = predictions_table(predictions)
        with self.transaction() as con:
            dataset = queries.run_dataset(con, run)
            con.register("incoming_predictions", table)
            return writes.insert_predictions(
                con, run, dataset, "incoming_predictions", replace_ids=True
            )

    def ingest_import(
        self,
        run_meta: RunMeta,
        predictions: Table,
        *,
        dataset_meta: DatasetMeta | None = None,
        samples: Table | None = None,
        replace: bool = False,
    ) -> int:
        """Write a whole imported run (and its new dataset) in one transaction; return rows.

        ``predictions`` has ``writes.PREDICTION_COLUMNS``; ``samples`` (with ``dataset_meta``)
        has ``writes.SAMPLE_COLUMNS`` and is added to the dataset first. With ``replace`` an
        existing run of the same name is deleted inside the same transaction. Every store
        check runs (unique and known ids, truth agreement) and distance_km is computed here.
        """
        with self.transaction() as con:
            con.register("incoming_predictions", predictions)
            if samples is not None:
                con.register("incoming_samples", samples)
            return writes.write_import(
                con,
                run_meta,
                "incoming_predictions",
                dataset_meta=dataset_meta,
                samples_view="incoming_samples" if samples is not None else None,
                replace=replace,
            )

    def delete_run(self, run: str) -> int:
        """Delete a run and its predictions; return how many predictions were removed."""
        with self.transaction() as con:
            queries.run_dataset(con, run)
            return writes.delete_run(con, run)

    def delete_dataset(self, name: str, with_runs: bool = False) -> list[str]:
        """Delete a dataset (refused while runs use it unless ``with_runs``); return runs gone."""
        with self.transaction() as con:
            queries.require_dataset(con, name)
            return writes.delete_dataset(con, name, with_runs=with_runs)

    def delete_simulated(self) -> int:
        """Delete every simulated run and dataset; return how many rows of runs+datasets went."""
        with self.transaction() as con:
            return writes.delete_simulated(con)


def _finite_or_none(value: float | None, what: str, sample_id: str) -> float | None:
    if value is None:
        return None
    number = float(value)
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise InputError(f"sample {sample_id!r}: {what} is infinite")
    return number


def predictions_table(predictions: Sequence[Prediction]) -> pa.Table:
    """Convert Prediction objects to an Arrow table with ``writes.PREDICTION_COLUMNS``."""
    cols: dict[str, list[Any]] = {c: [] for c in writes.PREDICTION_COLUMNS}
    for p in predictions:
        try:
            status = PredictionStatus(p.status)
        except ValueError:
            known = ", ".join(s.value for s in PredictionStatus)
            raise InputError(
                f"sample {p.sample_id!r}: status {p.status!r} is not one of {known}"
            ) from None
        lat = _finite_or_none(p.pred_lat, "pred_lat", p.sample_id)
        lon = _finite_or_none(p.pred_lon, "pred_lon", p.sample_id)
        if (lat is None) != (lon is None):
            raise InputError(f"sample {p.sample_id!r}: pred_lat and pred_lon must come together")
        if lat is not None and lon is not None and (abs(lat) > 90 or abs(lon) > 180):
            raise InputError(
                f"sample {p.sample_id!r}: predicted point ({lat}, {lon}) is outside "
                f"lat [-90, 90] / lon [-180, 180]; store it with status invalid_coordinates "
                f"and no coordinates"
            )
        cols["sample_id"].append(str(p.sample_id))
        cols["raw_response"].append(p.raw_response)
        cols["pred_country"].append(p.pred_country)
        cols["pred_lat"].append(lat)
        cols["pred_lon"].append(lon)
        cols["coords_source"].append(str(p.coords_source) if p.coords_source else None)
        cols["status"].append(status.value)
        cols["latency_ms"].append(p.latency_ms)
        cols["input_tokens"].append(p.input_tokens)
        cols["output_tokens"].append(p.output_tokens)
        cols["cost_usd"].append(p.cost_usd)
        cols["error"].append(p.error)
        cols["created_at"].append(None)
    schema = pa.schema(
        [
            ("sample_id", pa.string()),
            ("raw_response", pa.string()),
            ("pred_country", pa.string()),
            ("pred_lat", pa.float64()),
            ("pred_lon", pa.float64()),
            ("coords_source", pa.string()),
            ("status", pa.string()),
            ("latency_ms", pa.float64()),
            ("input_tokens", pa.int64()),
            ("output_tokens", pa.int64()),
            ("cost_usd", pa.float64()),
            ("error", pa.string()),
            ("created_at", pa.timestamp("us")),
        ]
    )
    return pa.table(cols, schema=schema)
