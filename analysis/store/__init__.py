"""DuckDB store: schema and migrations, ingest, named queries (the only SQL in GeoScope).

Usage: ``store = Store(path)``; ``store.list_runs()``, ``store.run_frame("gpt4o-basic")``.
"""

from analysis.store.connection import DEFAULT_LOCK_TIMEOUT_S
from analysis.store.meta import DatasetMeta, RunMeta
from analysis.store.queries import EVAL_COLUMNS
from analysis.store.schema import SCHEMA_VERSION
from analysis.store.store import Store, predictions_table
from analysis.store.writes import PREDICTION_COLUMNS, SAMPLE_COLUMNS

__all__ = [
    "DEFAULT_LOCK_TIMEOUT_S",
    "EVAL_COLUMNS",
    "PREDICTION_COLUMNS",
    "SAMPLE_COLUMNS",
    "SCHEMA_VERSION",
    "DatasetMeta",
    "RunMeta",
    "Store",
    "predictions_table",
]
