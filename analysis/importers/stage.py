"""Turn a staged prediction file into validated samples + predictions and write them at once.

The whole import runs on one writer connection of the store: the file is read into TEMP tables
(``typed``: canonical names, DOUBLE numbers, footer flags), validated in SQL, countries are
resolved over distinct values, statuses and distances (``haversine_sql``) derived in views, and
the final INSERT ... SELECT statements run in one transaction: all or nothing. Staging in the
writer itself (rather than in a private connection + an Arrow hand-over) saves two copies of
every row (~0.5 s per million on this machine); the price is holding the file lock for the whole
import (~2 s per million rows), which readers wait out (``Store.lock_timeout_s``, 10 s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import ImportValidationError
from analysis.importers import countries, validate
from analysis.importers.derive import stage_predictions
from analysis.importers.limits import ImportLimits
from analysis.importers.source import csv_error, csv_source
from analysis.store import DatasetMeta, RunMeta, Store, writes
from analysis.store.connection import fetch_one

KNOWN_COLUMNS: tuple[str, ...] = (
    "sample_id", "true_lat", "true_lon", "true_country", "pred_lat", "pred_lon",
    "pred_country", "raw_response", "heading", "location_id", "status", "coords_source",
    "latency_ms", "input_tokens", "output_tokens", "cost_usd", "error", "created_at", "split",
    "image_path",
)  # fmt: skip
PREDICTION_SIGNALS = ("pred_lat", "pred_country", "raw_response", "status")
_UNTRIMMED = ("raw_response", "error")  # model text is kept exactly as written


@dataclass(frozen=True)
class ImportOptions:
    """What the user asked for: run name, dataset, model, column renames, overwrite."""

    run: str
    dataset: str | None = None
    model: str | None = None
    column_map: Mapping[str, str] = field(default_factory=dict)
    replace: bool = False
    notes: str | None = None
    limits: ImportLimits = ImportLimits()


@dataclass(frozen=True)
class ImportReport:
    """What an import did (``unchanged``: the same file was already imported as this run)."""

    run: str
    dataset: str
    n_predictions: int
    n_samples_added: int = 0
    dataset_created: bool = False
    unchanged: bool = False
    warnings: tuple[str, ...] = ()


def refused(source: str, problems: list[str]) -> ImportValidationError:
    """Build the error for a refused file (the message counts the problems)."""
    noun = "problem" if len(problems) == 1 else "problems"
    return ImportValidationError(
        f"{source}: refused, nothing was written ({len(problems)} {noun})", problems
    )


def existing_import(store: Store, options: ImportOptions, chash: str) -> ImportReport | None:
    """Return a no-op report when this exact import already produced the run."""
    if not store.has_run(options.run):
        return None
    info = store.run_info(options.run)
    if info.get("content_hash") == chash:
        runs = store.list_runs()
        n = int(runs.loc[runs["name"] == options.run, "n_predictions"].iloc[0])
        return ImportReport(options.run, str(info["dataset"]), n, unchanged=True)
    if not options.replace:
        raise ImportValidationError(
            f"run {options.run!r} already exists, imported from another file or with other "
            f"options (--model, --dataset, --map); pass --replace to overwrite it or choose "
            f"another --run name",
            problems=[f"run {options.run!r} exists (imported from {info.get('source')})"],
        )
    return None


def stage_tables(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: Mapping[str, str],
    typed_numbers: bool,
    row_expr: str | None = None,
) -> frozenset[str]:
    """Create TEMP table ``typed_base`` and view ``typed`` (plus text view ``stage``).

    Args:
        source: a table name or a parenthesised SELECT (e.g. over ``read_csv``).
        columns: canonical name -> column of ``source`` (after --map renames).
        typed_numbers: the numeric columns of ``source`` are already DOUBLE (fast CSV path).
        row_expr: SQL giving each source row's number; None numbers rows in the order they are
            inserted (``rowid``), which is file order: DuckDB preserves insertion order.

    Only the file's own columns are materialised; absent ones are NULLs in the view (measured
    on 1M rows: numbering rows with ``row_number()`` and storing NULL columns each cost more
    than reading the file).
    """
    validate.install_macros(con)
    present = [c for c in KNOWN_COLUMNS if c in columns]
    if not typed_numbers:
        text = ", ".join(f'"{columns[c]}"::VARCHAR AS {c}' for c in present)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW stage AS SELECT {row_expr or 'rowid + 1'} AS _row, "
            f"{text} FROM {source}"
        )
    exprs = [] if row_expr is None else [f"{row_expr} AS _row"]
    for col in present:
        src = f'"{columns[col]}"'
        if col in validate.NUMERIC_COLUMNS:
            if typed_numbers:
                exprs.append(f"CASE WHEN isnan({src}) THEN NULL ELSE {src} END AS {col}")
            else:
                exprs.append(f"num({src}::VARCHAR) AS {col}")
        elif col in _UNTRIMMED:
            exprs.append(
                f"CASE WHEN {src}::VARCHAR = '' THEN NULL ELSE {src}::VARCHAR END AS {col}"
            )
        else:
            exprs.append(f"txt({src}::VARCHAR) AS {col}")
    id_column = f'"{columns["sample_id"]}"' if "sample_id" in columns else None
    exprs.append(f"{validate.summary_flag(id_column)} AS _summary")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE typed_base AS SELECT {', '.join(exprs)} FROM {source}"
    )
    row = "rowid + 1" if row_expr is None else "_row"
    if "sample_id" in present:
        # blank rows after the last id-bearing row are a footer's padding; a trailing row
        # with values but no id is reported as an empty id, which it may well be
        blank = " AND ".join(f"{c} IS NULL" for c in present)
        con.execute(
            f"UPDATE typed_base SET _summary = true WHERE {blank} AND {row} > "
            f"(SELECT coalesce(max({row}), 0) FROM typed_base WHERE sample_id IS NOT NULL)"
        )
    absent = [
        f"NULL::{'DOUBLE' if c in validate.NUMERIC_COLUMNS else 'VARCHAR'} AS {c}"
        for c in KNOWN_COLUMNS
        if c not in columns
    ]
    view_cols = ", ".join([f"{row} AS _row", *present, *absent, "_summary"])
    con.execute(f"CREATE OR REPLACE TEMP VIEW typed AS SELECT {view_cols} FROM typed_base")
    return frozenset(present)


def stage_csv_file(
    con: duckdb.DuckDBPyConnection, path: Path, columns: list[str], mapping: Mapping[str, str]
) -> tuple[frozenset[str], bool]:
    """Stage a CSV; return (canonical columns present, whether the fast typed read worked).

    Fast path: numbers are parsed as DOUBLE while reading. A cell that is not a number makes
    DuckDB refuse the whole read; the slow path then loads every cell as text so the checks can
    name each bad cell and its row.
    """
    numeric = {mapping[c] for c in validate.NUMERIC_COLUMNS if c in mapping}
    if numeric:
        try:
            present = stage_tables(con, f"({csv_source(path, columns, numeric)})", mapping, True)
            return present, True
        except duckdb.Error:
            pass
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE raw AS {csv_source(path, columns, None)}")
    except duckdb.Error as exc:
        raise csv_error(path, exc) from None
    return stage_tables(con, "raw", mapping, False, row_expr="rowid + 1"), False


def _missing_columns(info: validate.StageInfo, dataset_exists: bool, dataset: str) -> list[str]:
    cols = info.columns
    problems = []
    if "sample_id" not in cols:
        problems.append("missing column 'sample_id' (the image id; rename with --map)")
    if not any(c in cols for c in PREDICTION_SIGNALS):
        problems.append(
            "no prediction columns: need pred_lat + pred_lon, pred_country, raw_response or status"
        )
    for a, b in (("pred_lat", "pred_lon"), ("true_lat", "true_lon")):
        if (a in cols) != (b in cols):
            problems.append(f"missing column {b if a in cols else a!r}: {a} and {b} come together")
    if not dataset_exists and not {"true_lat", "true_lon"} <= cols:
        problems.append(
            f"missing columns 'true_lat', 'true_lon': dataset {dataset!r} does not exist yet, so "
            f"the file must carry the truth (or pass --dataset with an existing dataset)"
        )
    return problems


def _path_hint(con: duckdb.DuckDBPyConnection) -> str:
    # LLMGeo-style files key images by a path while the dataset keys them by the file name.
    row = con.execute(
        "SELECT count(*), min(sample_id) FROM typed WHERE sample_id NOT IN (SELECT sample_id "
        "FROM ds) AND regexp_extract(sample_id, '[^/\\\\]+$') IN (SELECT sample_id FROM ds)"
    ).fetchone()
    if not row or not row[0]:
        return ""
    example = str(row[1])
    name = example.replace("\\", "/").rsplit("/", 1)[-1]
    return (
        f"; {row[0]} of these ids are paths whose file name is a dataset id (e.g. {example!r} "
        f"-> {name!r}): keep only the file name in sample_id"
    )


def _check_against_dataset(con: duckdb.DuckDBPyConnection, info: validate.StageInfo) -> list[str]:
    # One join counts both problems (the usual answer is 0 and 0); rows are named only on failure.
    has_truth = {"true_lat", "true_lon"} <= info.columns
    differ_sql = (
        "count(*) FILTER (WHERE ds.sample_id IS NOT NULL AND (abs(ds.true_lat - t.true_lat) "
        "> 1e-6 OR abs(ds.true_lon - t.true_lon) > 1e-6))"
        if has_truth
        else "0"
    )
    counts = fetch_one(
        con,
        f"SELECT count(*) FILTER (WHERE t.sample_id IS NOT NULL AND ds.sample_id IS NULL), "
        f"{differ_sql} "
        "FROM typed t LEFT JOIN ds USING (sample_id)",
    )
    unknown, differing = (int(counts[0] or 0), int(counts[1] or 0)) if counts else (0, 0)
    problems = []
    if unknown:
        _, rows = validate.listing(
            con, info, "sample_id", "sample_id NOT IN (SELECT sample_id FROM ds)", "typed"
        )
        problems.append(f"{rows}: sample_id not in the dataset{_path_hint(con)}")
    if differing:
        differs = (
            "sample_id IN (SELECT t.sample_id FROM typed t JOIN ds USING (sample_id) "
            "WHERE abs(ds.true_lat - t.true_lat) > 1e-6 OR abs(ds.true_lon - t.true_lon) > 1e-6)"
        )
        _, rows = validate.listing(con, info, "true_lat, true_lon", differs, "typed")
        problems.append(f"{rows}: true coordinates differ from the dataset's")
    return problems


def _dataset_exists(con: duckdb.DuckDBPyConnection, dataset: str) -> bool:
    return fetch_one(con, "SELECT 1 FROM datasets WHERE name = ?", [dataset]) is not None


def import_stage(
    con: duckdb.DuckDBPyConnection,
    info: validate.StageInfo,
    options: ImportOptions,
    *,
    source_path: Path,
    chash: str,
    fmt: str,
    typed_numbers: bool = False,
    dedupe_last: bool = False,
    run_extra: Mapping[str, Any] | None = None,
) -> ImportReport:
    """Validate TEMP table ``typed`` on the writer ``con`` and write the run atomically."""
    extra = dict(run_extra or {})
    header_dataset = extra.pop("dataset", None)
    dataset = options.dataset or str(header_dataset or options.run)
    row = fetch_one(con, "SELECT count(*) FROM typed")
    if not row or not row[0]:
        msg = f"{info.source} has a header but no data {info.row_word}s"
        raise ImportValidationError(msg, problems=[msg])
    dataset_exists = _dataset_exists(con, dataset)
    problems = _missing_columns(info, dataset_exists, dataset)
    if problems:
        raise refused(info.source, problems)

    problems = [] if typed_numbers else validate.non_numeric(con, info)
    problems += validate.validate_typed(con, info, unique_ids=not dedupe_last)
    if dedupe_last:  # an append-only log: a retried sample's last line wins
        con.execute(
            "CREATE OR REPLACE TEMP TABLE typed_last AS SELECT * FROM typed "
            "WHERE sample_id IS NOT NULL "
            "QUALIFY row_number() OVER (PARTITION BY sample_id ORDER BY _row DESC) = 1"
        )
        con.execute("CREATE OR REPLACE TEMP VIEW typed AS SELECT * FROM typed_last")
    if dataset_exists:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE ds AS SELECT sample_id, true_lat, true_lon "
            "FROM samples WHERE dataset = ?",
            [dataset],
        )
        problems += _check_against_dataset(con, info)
    if problems:
        raise refused(info.source, problems)

    n_samples = 0 if dataset_exists else stage_new_samples(con, info)
    warnings: list[str] = []
    stage_predictions(con, warnings, truth_table="ds" if dataset_exists else None)
    dataset_meta = DatasetMeta(
        name=dataset, kind=fmt, source=str(source_path),
        description=f"created from the truth columns of {source_path.name}", content_hash=chash,
    )  # fmt: skip
    run_meta = RunMeta(
        name=options.run,
        dataset=dataset,
        model=options.model or extra.pop("model", None),
        adapter=extra.pop("adapter", None) or f"import:{fmt}",
        prompt_strategy=extra.pop("prompt_strategy", None),
        prompt_version=extra.pop("prompt_version", None),
        prompt_hash=extra.pop("prompt_hash", None),
        prompt_text=extra.pop("prompt_text", None),
        params={**extra.pop("params", {}),
                "import": {"format": fmt, "column_map": dict(options.column_map)}},
        source=str(source_path),
        content_hash=chash,
        is_simulated=bool(extra.pop("is_simulated", False)),
        started_at=extra.pop("started_at", None),
        finished_at=extra.pop("finished_at", None),
        notes=options.notes or extra.pop("notes", None),
    )  # fmt: skip
    # row order in the stored tables carries no meaning (queries sort): let inserts run parallel
    con.execute("SET preserve_insertion_order = false")
    con.execute("BEGIN TRANSACTION")
    try:
        n = writes.write_import(
            con,
            run_meta,
            "final_predictions",
            dataset_meta=None if dataset_exists else dataset_meta,
            samples_view=None if dataset_exists else "final_samples",
            replace=options.replace,
            validated=True,
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ImportReport(
        run=options.run,
        dataset=dataset,
        n_predictions=n,
        n_samples_added=n_samples,
        dataset_created=not dataset_exists,
        warnings=tuple(warnings),
    )


def stage_new_samples(con: duckdb.DuckDBPyConnection, info: validate.StageInfo) -> int:
    """Create TEMP view ``final_samples`` (a new dataset's rows) from ``typed``; return count.

    Country text (ISO2, ISO3 or a name) is resolved once per distinct value; samples without a
    country get the one whose polygon holds their point.
    """
    values = [r[0] for r in con.execute(
        "SELECT DISTINCT true_country FROM typed WHERE true_country IS NOT NULL"
    ).fetchall()]  # fmt: skip
    mapping = countries.resolve_values(values)
    con.register("true_map", mapping)
    if mapping["iso3"].isna().any():  # only then scan the rows to say where
        bad = con.execute(
            "SELECT m.value, min(t._row) FROM true_map m JOIN typed t ON t.true_country = m.value "
            "WHERE m.iso3 IS NULL GROUP BY m.value ORDER BY 2 LIMIT 10"
        ).fetchall()
        shown = ", ".join(f"{v!r} ({info.row_word} {r})" for v, r in bad)
        msg = f"{info.source}: true_country values not recognised as countries: {shown}"
        raise ImportValidationError(msg, problems=[msg])
    missing = con.execute(
        "SELECT DISTINCT true_lat, true_lon FROM typed WHERE true_country IS NULL"
    ).df()
    # joins that cannot change a row are left out (each costs ~30-60 ms per million rows)
    if countries.is_identity(mapping):
        country, joins = "t.true_country", ""
    else:
        country, joins = "m.iso3::VARCHAR", "LEFT JOIN true_map m ON t.true_country = m.value"
    if len(missing):
        missing["iso3"] = countries.countries_of_points(
            missing["true_lat"].to_numpy(), missing["true_lon"].to_numpy()
        )
        con.register("true_points", missing.astype({"iso3": "object"}))
        country = f"coalesce({country}, p.iso3::VARCHAR)"
        joins += (
            " LEFT JOIN true_points p ON t.true_country IS NULL AND p.true_lat = t.true_lat "
            "AND p.true_lon = t.true_lon"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW final_samples AS
        SELECT t.sample_id, coalesce(t.location_id, t.sample_id) AS location_id,
               t.true_lat, t.true_lon,
               {country} AS true_country,
               CAST(t.heading AS INTEGER) AS heading, t.split, t.image_path,
               NULL::VARCHAR AS image_sha256
        FROM typed t
        {joins}
        """
    )
    row = fetch_one(con, "SELECT count(*) FROM typed")
    return int(row[0]) if row else 0
