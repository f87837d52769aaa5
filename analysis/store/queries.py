"""Named read queries returning DataFrames; every SQL string the readers need lives here."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from analysis.errors import NotFoundError
from analysis.store.connection import fetch_one
from analysis.types import FRAME_COLUMNS

# Columns of the evaluation frame, in order: defined once in analysis.types.
EVAL_COLUMNS: tuple[str, ...] = FRAME_COLUMNS
# Extra per-prediction columns carried along (cheap numeric/short text, no raw_response).
EXTRA_COLUMNS: tuple[str, ...] = (
    "coords_source",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
)

_SAMPLE_SIDE = {"sample_id", "location_id", "heading", "true_lat", "true_lon", "true_country"}


def _select_list(with_raw: bool) -> str:
    cols = [f"{'s' if c in _SAMPLE_SIDE else 'p'}.{c}" for c in EVAL_COLUMNS + EXTRA_COLUMNS]
    if with_raw:
        cols += ["p.raw_response", "p.error", "s.split", "s.image_path"]
    return ", ".join(cols)


_NULLABLE_INTS = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int32Dtype()}


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> pd.DataFrame:
    """Run a query into pandas through Arrow (3x faster than ``.df()`` on text columns).

    Integer columns become nullable pandas integers whether or not they hold NULLs, so a
    column's dtype does not depend on the data.
    """
    table = con.sql(sql, params=params).to_arrow_table()
    result: pd.DataFrame = table.to_pandas(types_mapper=_NULLABLE_INTS.get)  # pyarrow: untyped
    return result


def list_datasets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return one row per dataset with sample, location, country and run counts."""
    return con.execute(
        """
        SELECT d.name, d.kind, d.source, d.description, d.is_simulated, d.created_at,
               coalesce(s.n_samples, 0) AS n_samples,
               coalesce(s.n_locations, 0) AS n_locations,
               coalesce(s.n_countries, 0) AS n_countries,
               coalesce(r.n_runs, 0) AS n_runs
        FROM datasets d
        LEFT JOIN (SELECT dataset, count(*) AS n_samples,
                          count(DISTINCT location_id) AS n_locations,
                          count(DISTINCT true_country) AS n_countries
                   FROM samples GROUP BY dataset) s ON s.dataset = d.name
        LEFT JOIN (SELECT dataset, count(*) AS n_runs FROM runs GROUP BY dataset) r
               ON r.dataset = d.name
        ORDER BY d.name
        """
    ).df()


def list_runs(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> pd.DataFrame:
    """Return one row per run (without prompt text) with prediction counts.

    ``updated_at`` is the newest prediction's write time: any add or rescore changes it.
    """
    where = "WHERE r.dataset = ?" if dataset is not None else ""
    params = [dataset] if dataset is not None else []
    return con.execute(
        f"""
        SELECT r.name, r.dataset, r.model, r.adapter, r.prompt_strategy, r.prompt_version,
               r.prompt_hash, r.params_json, r.source, r.is_simulated, r.started_at,
               r.finished_at, r.notes,
               coalesce(p.n_predictions, 0) AS n_predictions,
               coalesce(p.n_ok, 0) AS n_ok,
               p.updated_at
        FROM runs r
        LEFT JOIN (SELECT run, count(*) AS n_predictions,
                          count(*) FILTER (WHERE status = 'ok') AS n_ok,
                          max(created_at) AS updated_at  -- moves on every write, rescores too
                   FROM predictions GROUP BY run) p ON p.run = r.name
        {where}
        ORDER BY r.started_at NULLS LAST, r.name
        """,
        params,
    ).df()


def run_dataset(con: duckdb.DuckDBPyConnection, run: str) -> str:
    """Return the dataset name of ``run`` or raise NotFoundError naming the known runs."""
    row = fetch_one(con, "SELECT dataset FROM runs WHERE name = ?", [run])
    if row is None:
        known = [r[0] for r in con.execute("SELECT name FROM runs ORDER BY name").fetchall()]
        hint = ", ".join(known[:20]) or "none (import one with `python -m analysis import`)"
        raise NotFoundError(f"no run named {run!r}; known runs: {hint}")
    return str(row[0])


def require_dataset(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Raise NotFoundError naming the known datasets when ``dataset`` does not exist."""
    if fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [dataset]) is None:
        known = [r[0] for r in con.execute("SELECT name FROM datasets ORDER BY name").fetchall()]
        hint = ", ".join(known[:20]) or "none"
        raise NotFoundError(f"no dataset named {dataset!r}; known datasets: {hint}")


def run_info(con: duckdb.DuckDBPyConnection, run: str) -> dict[str, object]:
    """Return every column of the run's row as a dict."""
    run_dataset(con, run)
    cur = con.execute("SELECT * FROM runs WHERE name = ?", [run])
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    row = rows[0] if rows else None
    assert row is not None  # checked by run_dataset
    return dict(zip(names, row, strict=True))


def dataset_samples(con: duckdb.DuckDBPyConnection, dataset: str) -> pd.DataFrame:
    """Return the samples of ``dataset`` ordered by sample_id."""
    require_dataset(con, dataset)
    return frame(
        con,
        "SELECT sample_id, location_id, true_lat, true_lon, true_country, heading, split, "
        "image_path, image_sha256 FROM samples WHERE dataset = ? ORDER BY sample_id",
        [dataset],
    )


def run_frame(con: duckdb.DuckDBPyConnection, run: str, with_raw: bool = False) -> pd.DataFrame:
    """Return the evaluation frame of one run: its predictions joined to their samples."""
    dataset = run_dataset(con, run)
    # ORDER BY: a hash join's output order varies between calls, and a bootstrap with a fixed
    # seed must see the rows in the same order to give the same intervals
    return frame(
        con,
        f"""
        SELECT {_select_list(with_raw)}
        FROM predictions p JOIN samples s ON s.sample_id = p.sample_id AND s.dataset = ?
        WHERE p.run = ?
        ORDER BY p.sample_id
        """,
        [dataset, run],
    )


def runs_frame(
    con: duckdb.DuckDBPyConnection, runs: list[str], with_raw: bool = False
) -> pd.DataFrame:
    """Return the evaluation frames of several runs stacked, with a leading ``run`` column."""
    for run in runs:
        run_dataset(con, run)
    if not runs:
        return pd.DataFrame(columns=["run", *EVAL_COLUMNS, *EXTRA_COLUMNS])
    return frame(
        con,
        f"""
        SELECT p.run, {_select_list(with_raw)}
        FROM predictions p
        JOIN runs r ON r.name = p.run
        JOIN samples s ON s.dataset = r.dataset AND s.sample_id = p.sample_id
        WHERE p.run IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY p.run, p.sample_id
        """,
        [runs],
    )


def sample_predictions(
    con: duckdb.DuckDBPyConnection, dataset: str, sample_id: str
) -> pd.DataFrame:
    """Return every run's answer for one sample of ``dataset`` (one row per run)."""
    require_dataset(con, dataset)
    return con.execute(
        """
        SELECT r.name AS run, r.model, r.prompt_strategy, p.raw_response, p.pred_country,
               p.pred_lat, p.pred_lon, p.coords_source, p.status, p.distance_km,
               p.latency_ms, p.error, p.created_at
        FROM predictions p JOIN runs r ON r.name = p.run
        WHERE r.dataset = ? AND p.sample_id = ?
        ORDER BY r.name
        """,
        [dataset, sample_id],
    ).df()


def done_sample_ids(
    con: duckdb.DuckDBPyConnection, run: str, include_errors: bool = False
) -> set[str]:
    """Return the ids the run has an answer for; api_error rows count only if asked."""
    status_filter = "" if include_errors else "AND status <> 'api_error'"
    rows = con.execute(
        f"SELECT sample_id FROM predictions WHERE run = ? {status_filter}", [run]
    ).fetchall()
    return {str(r[0]) for r in rows}
