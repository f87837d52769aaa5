"""Generic prediction CSV: ``sample_id,true_lat,true_lon,pred_lat,pred_lon`` (+ optional columns).

Optional: true_country, pred_country (ISO2, ISO3 or a name), raw_response, heading, location_id,
status, coords_source, latency_ms, input_tokens, output_tokens, cost_usd, error, split,
image_path. ``--map NEW=OLD`` renames the columns of other files (case-insensitive).
"""

from __future__ import annotations

from pathlib import Path

from analysis.errors import InputError
from analysis.importers.source import (
    InputDigest,
    check_csv_structure,
    csv_columns,
    fingerprint_file,
    renamed_columns,
)
from analysis.importers.stage import (
    KNOWN_COLUMNS,
    ImportOptions,
    ImportReport,
    existing_import,
    import_stage,
    stage_csv_file,
)
from analysis.importers.validate import StageInfo
from analysis.store import Store


def import_csv(store: Store, path: Path, options: ImportOptions) -> ImportReport:
    """Import a prediction CSV as run ``options.run``; atomic and idempotent."""
    if not options.run:
        raise InputError("importing a CSV needs --run NAME")
    digest = InputDigest(
        {"format": "csv", "map": dict(options.column_map), "dataset": options.dataset,
         "model": options.model},
    )  # fmt: skip
    fingerprint_file(path, options.limits, digest=digest)
    check_csv_structure(path, options.limits)
    chash = digest.hexdigest()
    unchanged = existing_import(store, options, chash)
    if unchanged is not None:
        return unchanged
    with store.writer() as con:
        columns = csv_columns(con, path)
        mapping = renamed_columns(columns, options.column_map, path.name, KNOWN_COLUMNS)
        present, fast = stage_csv_file(con, path, columns, mapping)
        info = StageInfo(source=path.name, columns=present, row_word="row", limits=options.limits)
        return import_stage(
            con, info, options, source_path=path.resolve(), chash=chash, fmt="csv",
            typed_numbers=fast,
        )  # fmt: skip
