"""Write statements, all run inside a transaction the caller opened on a writer connection.

Incoming rows arrive as a registered view (a pandas DataFrame or pyarrow Table) whose columns
are ``SAMPLE_COLUMNS`` or ``PREDICTION_COLUMNS``; the checks here protect the store's invariants
(known sample ids, one row per id) whatever the caller validated before.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from analysis.errors import ImportValidationError, StoreError
from analysis.geo.distance import haversine_sql
from analysis.store.connection import fetch_one
from analysis.store.meta import DatasetMeta, RunMeta, params_to_json

SAMPLE_COLUMNS: tuple[str, ...] = (
    "sample_id",
    "location_id",
    "true_lat",
    "true_lon",
    "true_country",
    "heading",
    "split",
    "image_path",
    "image_sha256",
)
PREDICTION_COLUMNS: tuple[str, ...] = (
    "sample_id",
    "raw_response",
    "pred_country",
    "pred_lat",
    "pred_lon",
    "coords_source",
    "status",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "error",
    "created_at",
)
_MAX_LISTED = 20


def _listed(values: list[str]) -> str:
    shown = ", ".join(repr(v) for v in values[:_MAX_LISTED])
    more = len(values) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def insert_dataset(con: duckdb.DuckDBPyConnection, meta: DatasetMeta) -> None:
    """Insert the dataset row."""
    con.execute(
        "INSERT INTO datasets (name, kind, source, description, is_simulated, content_hash) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [meta.name, meta.kind, meta.source, meta.description, meta.is_simulated, meta.content_hash],
    )


def duplicate_ids(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    """Return sample ids that occur more than once in ``view``."""
    rows = con.execute(
        f"SELECT sample_id FROM {view} GROUP BY sample_id HAVING count(*) > 1 "
        f"ORDER BY sample_id LIMIT {_MAX_LISTED + 1}"
    ).fetchall()
    return [str(r[0]) for r in rows]


def insert_samples(
    con: duckdb.DuckDBPyConnection, dataset: str, view: str, *, validated: bool = False
) -> int:
    """Insert the samples of ``view`` that ``dataset`` lacks; existing ids must agree on truth.

    ``validated``: the caller already refused duplicate ids (importers check while staging),
    so a new, empty dataset takes the rows as they are.
    """
    existing = fetch_one(con, "SELECT count(*) FROM samples WHERE dataset = ?", [dataset])
    if validated and existing is not None and existing[0] == 0:
        cols = ", ".join(SAMPLE_COLUMNS)
        # INSERT answers with its row count: counting the view again would re-run its query
        row = fetch_one(
            con, f"INSERT INTO samples (dataset, {cols}) SELECT ?, {cols} FROM {view}", [dataset]
        )
        return int(row[0]) if row else 0
    dups = duplicate_ids(con, view)
    if dups:
        raise ImportValidationError(
            f"duplicate sample ids: {_listed(dups)}",
            problems=[f"duplicate sample_id {d!r}" for d in dups],
        )
    mismatched = con.execute(
        f"""
        SELECT i.sample_id FROM {view} i
        JOIN samples s ON s.dataset = ? AND s.sample_id = i.sample_id
        WHERE abs(s.true_lat - i.true_lat) > 1e-6 OR abs(s.true_lon - i.true_lon) > 1e-6
        ORDER BY i.sample_id LIMIT {_MAX_LISTED + 1}
        """,
        [dataset],
    ).fetchall()
    if mismatched:
        ids = [str(r[0]) for r in mismatched]
        raise ImportValidationError(
            f"dataset {dataset!r} already holds samples {_listed(ids)} with other true "
            f"coordinates; import under another dataset name",
            problems=[f"sample {i!r}: true coordinates differ from the stored ones" for i in ids],
        )
    cols = ", ".join(SAMPLE_COLUMNS)
    before = fetch_one(con, "SELECT count(*) FROM samples WHERE dataset = ?", [dataset])
    con.execute(
        f"""
        INSERT INTO samples (dataset, {cols})
        SELECT ?, {", ".join("i." + c for c in SAMPLE_COLUMNS)} FROM {view} i
        WHERE NOT EXISTS (SELECT 1 FROM samples s
                          WHERE s.dataset = ? AND s.sample_id = i.sample_id)
        """,
        [dataset, dataset],
    )
    after = fetch_one(con, "SELECT count(*) FROM samples WHERE dataset = ?", [dataset])
    return int((after[0] if after else 0) - (before[0] if before else 0))


def insert_run(con: duckdb.DuckDBPyConnection, meta: RunMeta) -> None:
    """Insert the run row (params serialised as JSON, secrets redacted)."""
    con.execute(
        """
        INSERT INTO runs (name, dataset, model, adapter, prompt_strategy, prompt_version,
                          prompt_hash, prompt_text, params_json, source, content_hash,
                          is_simulated, started_at, finished_at, notes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            meta.name,
            meta.dataset,
            meta.model,
            meta.adapter,
            meta.prompt_strategy,
            meta.prompt_version,
            meta.prompt_hash,
            meta.prompt_text,
            params_to_json(meta.params),
            meta.source,
            meta.content_hash,
            meta.is_simulated,
            meta.started_at or datetime.now(),
            meta.finished_at,
            meta.notes,
        ],
    )


def unknown_sample_ids(con: duckdb.DuckDBPyConnection, dataset: str, view: str) -> list[str]:
    """Return ids in ``view`` that ``dataset`` has no sample for (at most a listing's worth)."""
    rows = con.execute(
        f"""
        SELECT i.sample_id FROM {view} i
        WHERE NOT EXISTS (SELECT 1 FROM samples s
                          WHERE s.dataset = ? AND s.sample_id = i.sample_id)
        ORDER BY i.sample_id LIMIT {_MAX_LISTED + 1}
        """,
        [dataset],
    ).fetchall()
    return [str(r[0]) for r in rows]


def insert_predictions(
    con: duckdb.DuckDBPyConnection, run: str, dataset: str, view: str, *, replace_ids: bool
) -> int:
    """Insert the predictions of ``view`` for ``run``, computing distance_km in SQL.

    With ``replace_ids`` the run's existing rows for the same sample ids are deleted first
    (the idempotent path of ``add_predictions``); without it the run must be new or emptied.
    """
    dups = duplicate_ids(con, view)
    if dups:
        raise ImportValidationError(
            f"duplicate sample ids in one batch: {_listed(dups)}",
            problems=[f"duplicate sample_id {d!r}" for d in dups],
        )
    unknown = unknown_sample_ids(con, dataset, view)
    if unknown:
        raise ImportValidationError(
            f"dataset {dataset!r} has no samples {_listed(unknown)}",
            problems=[f"unknown sample_id {u!r}" for u in unknown],
        )
    if replace_ids:
        con.execute(
            f"DELETE FROM predictions WHERE run = ? AND sample_id IN (SELECT sample_id FROM {view})",
            [run],
        )
    distance = haversine_sql("s.true_lat", "s.true_lon", "i.pred_lat", "i.pred_lon")
    cols = [c for c in PREDICTION_COLUMNS if c != "created_at"]
    con.execute(
        f"""
        INSERT INTO predictions (run, {", ".join(cols)}, distance_km, created_at)
        SELECT ?, {", ".join("i." + c for c in cols)}, {distance},
               coalesce(i.created_at::TIMESTAMP, current_localtimestamp())
        FROM {view} i JOIN samples s ON s.dataset = ? AND s.sample_id = i.sample_id
        """,
        [run, dataset],
    )
    row = fetch_one(con, f"SELECT count(*) FROM {view}")
    return int(row[0]) if row else 0


def insert_ready_predictions(con: duckdb.DuckDBPyConnection, run: str, view: str) -> int:
    """Insert validated predictions whose distance_km the importer computed in SQL."""
    cols = [c for c in PREDICTION_COLUMNS if c != "created_at"]
    # INSERT answers with its row count: counting the view again would re-run its query
    row = fetch_one(
        con,
        f"""
        INSERT INTO predictions (run, {", ".join(cols)}, distance_km, created_at)
        SELECT ?, {", ".join(cols)}, distance_km,
               coalesce(created_at::TIMESTAMP, current_localtimestamp())
        FROM {view}
        """,
        [run],
    )
    return int(row[0]) if row else 0


def write_import(
    con: duckdb.DuckDBPyConnection,
    run_meta: RunMeta,
    predictions_view: str,
    *,
    dataset_meta: DatasetMeta | None = None,
    samples_view: str | None = None,
    replace: bool = False,
    validated: bool = False,
) -> int:
    """Write a dataset (if given), the run and its predictions; caller holds the transaction.

    ``validated``: ids are unique and known and ``predictions_view`` carries distance_km (the
    importers' staged views); otherwise every store check runs and distances are computed here.
    """
    if dataset_meta is not None and samples_view is not None:
        if fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [dataset_meta.name]) is None:
            insert_dataset(con, dataset_meta)
        insert_samples(con, dataset_meta.name, samples_view, validated=validated)
    if fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [run_meta.dataset]) is None:
        raise StoreError(f"no dataset named {run_meta.dataset!r}")
    if fetch_one(con, "SELECT 1 FROM runs WHERE name = ?", [run_meta.name]) is not None:
        if not replace:
            raise StoreError(
                f"run {run_meta.name!r} already exists; pass --replace to overwrite it"
            )
        delete_run(con, run_meta.name)
    insert_run(con, run_meta)
    if validated:
        return insert_ready_predictions(con, run_meta.name, predictions_view)
    return insert_predictions(
        con, run_meta.name, run_meta.dataset, predictions_view, replace_ids=False
    )


def delete_run(con: duckdb.DuckDBPyConnection, run: str) -> int:
    """Delete a run and its predictions; return how many predictions went."""
    row = fetch_one(con, "SELECT count(*) FROM predictions WHERE run = ?", [run])
    con.execute("DELETE FROM predictions WHERE run = ?", [run])
    con.execute("DELETE FROM runs WHERE name = ?", [run])
    return int(row[0]) if row else 0


def delete_dataset(con: duckdb.DuckDBPyConnection, name: str, *, with_runs: bool) -> list[str]:
    """Delete a dataset, its samples and (if allowed) its runs; return the runs deleted."""
    runs = [
        str(r[0])
        for r in con.execute(
            "SELECT name FROM runs WHERE dataset = ? ORDER BY name", [name]
        ).fetchall()
    ]
    if runs and not with_runs:
        raise StoreError(
            f"dataset {name!r} is used by runs {_listed(runs)}; delete them first "
            f"(or pass --with-runs)"
        )
    for run in runs:
        delete_run(con, run)
    con.execute("DELETE FROM samples WHERE dataset = ?", [name])
    con.execute("DELETE FROM datasets WHERE name = ?", [name])
    return runs


def delete_simulated(con: duckdb.DuckDBPyConnection) -> int:
    """Delete every simulated run and dataset; return how many runs and datasets went."""
    runs = [
        str(r[0])
        for r in con.execute(
            "SELECT name FROM runs WHERE is_simulated OR dataset IN "
            "(SELECT name FROM datasets WHERE is_simulated)"
        ).fetchall()
    ]
    for run in runs:
        delete_run(con, run)
    datasets = [
        str(r[0]) for r in con.execute("SELECT name FROM datasets WHERE is_simulated").fetchall()
    ]
    for name in datasets:
        delete_dataset(con, name, with_runs=True)
    return len(runs) + len(datasets)
