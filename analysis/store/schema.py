"""Database schema as ordered migrations; ``schema_version`` records which ones ran.

Design choice, measured with DuckDB 2.0 on 1,000,000 predictions: a PRIMARY KEY on
``predictions(run, sample_id)`` made the bulk insert 5x slower (1.33 s vs 0.28 s), the file 3x
larger and ``DELETE FROM predictions WHERE run = ...`` 1000x slower (15.8 s vs 0.016 s), because
DuckDB maintains an ART index per key. Uniqueness of ``(dataset, sample_id)`` and
``(run, sample_id)`` is therefore enforced by the only code that writes those tables: importers
refuse duplicate ids while validating the staged file, and ``Store.add_predictions`` deletes the
ids of a batch before inserting it, inside one transaction. The small tables (datasets, runs) keep
their primary keys.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from analysis.errors import StoreError
from analysis.store.connection import fetch_one

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def _v1_initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE datasets (
            name VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            source VARCHAR,
            description VARCHAR,
            is_simulated BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
            content_hash VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE samples (
            dataset VARCHAR NOT NULL,
            sample_id VARCHAR NOT NULL,
            location_id VARCHAR NOT NULL,
            true_lat DOUBLE NOT NULL,
            true_lon DOUBLE NOT NULL,
            true_country VARCHAR,
            heading INTEGER,
            split VARCHAR,
            image_path VARCHAR,
            image_sha256 VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE runs (
            name VARCHAR PRIMARY KEY,
            dataset VARCHAR NOT NULL,
            model VARCHAR,
            adapter VARCHAR,
            prompt_strategy VARCHAR,
            prompt_version VARCHAR,
            prompt_hash VARCHAR,
            prompt_text VARCHAR,
            params_json VARCHAR NOT NULL DEFAULT '{}',
            source VARCHAR,
            content_hash VARCHAR,
            is_simulated BOOLEAN NOT NULL DEFAULT false,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            notes VARCHAR
        )
        """
    )
    con.execute(
        """
        CREATE TABLE predictions (
            run VARCHAR NOT NULL,
            sample_id VARCHAR NOT NULL,
            raw_response VARCHAR,
            pred_country VARCHAR,
            pred_lat DOUBLE,
            pred_lon DOUBLE,
            coords_source VARCHAR,
            status VARCHAR NOT NULL,
            distance_km DOUBLE,
            latency_ms DOUBLE,
            input_tokens BIGINT,
            output_tokens BIGINT,
            cost_usd DOUBLE,
            error VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )


def _v2_descriptions(con: duckdb.DuckDBPyConnection) -> None:
    # Written descriptions of images (input modes image+description, description,
    # describe-then-locate): produced once per (describer, describe prompt) and reused by every
    # later run. Uniqueness is kept by analysis.store.descriptions, like predictions'.
    con.execute(
        """
        CREATE TABLE descriptions (
            dataset VARCHAR NOT NULL,
            sample_id VARCHAR NOT NULL,
            describer VARCHAR NOT NULL,
            describe_hash VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            source VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )


def _v3_batches(con: duckdb.DuckDBPyConnection) -> None:
    # Provider batch jobs of a run (``run --batch``): what was submitted where, so that a
    # restarted process polls and collects them instead of submitting (and paying) again.
    # ``local_id`` is ours, chosen before upload and sent as the batch's metadata, so a batch
    # created just before a crash is found again even though its provider id was never stored.
    con.execute(
        """
        CREATE TABLE batches (
            run VARCHAR NOT NULL,
            local_id VARCHAR NOT NULL,
            provider VARCHAR NOT NULL,
            batch_id VARCHAR,
            input_file_id VARCHAR,
            output_file_id VARCHAR,
            error_file_id VARCHAR,
            status VARCHAR NOT NULL,
            n_requests INTEGER NOT NULL,
            options_json VARCHAR NOT NULL DEFAULT '{}',
            detail VARCHAR,
            submitted_at TIMESTAMP,
            updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )
    con.execute(
        """
        CREATE TABLE batch_requests (
            local_id VARCHAR NOT NULL,
            custom_id VARCHAR NOT NULL,
            sample_id VARCHAR NOT NULL
        )
        """
    )


def _v4_clue_judgements(con: duckdb.DuckDBPyConnection) -> None:
    # What a judge model said an answer cites (``clues --run NAME --judge PRESET``), beside the
    # rule-based reading. ``answer_sha256`` ties a judgement to the exact text judged, so a
    # rescored or re-created run is judged again rather than matched with stale labels.
    # One row per (run, sample_id, judge), kept by analysis.store.clues.
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS clue_judgements (
            run VARCHAR NOT NULL,
            sample_id VARCHAR NOT NULL,
            judge VARCHAR NOT NULL,
            answer_sha256 VARCHAR NOT NULL,
            clues_json VARCHAR NOT NULL,
            n_dropped INTEGER NOT NULL DEFAULT 0,
            error VARCHAR,
            input_tokens BIGINT,
            output_tokens BIGINT,
            cost_usd DOUBLE,
            cached BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )


# Append only: never edit a released migration, add the next one.
MIGRATIONS: tuple[tuple[int, Migration], ...] = (
    (1, _v1_initial),
    (2, _v2_descriptions),
    (3, _v3_batches),
    (4, _v4_clue_judgements),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version of the open database (0 when it has no schema yet)."""
    exists = fetch_one(
        con,
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'schema_version'",
    )
    if not exists or not exists[0]:
        return 0
    row = fetch_one(con, "SELECT max(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def check_not_newer(version: int, path: str) -> None:
    """Raise StoreError when the database was written by a newer GeoScope."""
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database {path} has schema version {version}, newer than this GeoScope "
            f"understands ({SCHEMA_VERSION}); upgrade GeoScope or point --db at another file"
        )


def apply_migrations(con: duckdb.DuckDBPyConnection, path: str) -> list[int]:
    """Run the pending migrations, each in its own transaction; return the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp())"
    )
    version = current_version(con)
    check_not_newer(version, path)
    applied: list[int] = []
    for number, migration in MIGRATIONS:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            migration(con)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [number])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
