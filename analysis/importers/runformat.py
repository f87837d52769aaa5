"""The project's JSONL run format (docs/run-format.md): write helpers and the importer.

One JSON object per line. An optional first line ``{"type": "run", ...}`` carries run metadata;
every other line is ``{"type": "prediction", ...}`` holding one ``analysis.types.Prediction``
(``sample_id`` included). Lines are appended as answers arrive, so a sample may appear more than
once (a retry after an API error): the last line for a sample wins.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from analysis.errors import ImportValidationError
from analysis.importers.limits import ImportLimits
from analysis.importers.source import InputDigest, fingerprint_file
from analysis.importers.stage import (
    KNOWN_COLUMNS,
    ImportOptions,
    ImportReport,
    existing_import,
    import_stage,
    stage_tables,
)
from analysis.importers.validate import StageInfo
from analysis.store import Store
from analysis.store.meta import RunMeta, scrub_secrets
from analysis.types import Prediction

RUN_FORMAT_VERSION = 1
HEADER_FIELDS = (
    "name", "dataset", "model", "adapter", "prompt_strategy", "prompt_version", "prompt_hash",
    "prompt_text", "params", "started_at", "finished_at", "notes", "is_simulated",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "value") and isinstance(value.value, str):  # StrEnum
        return str(value)
    return value


def header_record(meta: RunMeta) -> dict[str, Any]:
    """Return the header line's object for a run (params with secrets redacted)."""
    record: dict[str, Any] = {"type": "run", "version": RUN_FORMAT_VERSION}
    for name in HEADER_FIELDS:
        value = getattr(meta, name, None)
        if name == "params":
            value = scrub_secrets(dict(meta.params))
        if value is not None:
            record[name] = _plain(value)
    return record


def prediction_record(prediction: Prediction, created_at: datetime | None = None) -> dict[str, Any]:
    """Return one prediction line's object (``None`` fields are left out)."""
    record: dict[str, Any] = {"type": "prediction", "version": RUN_FORMAT_VERSION}
    for key, value in asdict(prediction).items():
        if value is not None:
            record[key] = _plain(value)
    record["created_at"] = (created_at or datetime.now()).isoformat()
    return record


def format_line(record: Mapping[str, Any]) -> str:
    """Serialise one record as a JSONL line (UTF-8 text, newline-terminated)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def _lines(path: Path, limit: int) -> Iterator[tuple[int, str, bool]]:
    """Yield (number, text, ends with a newline) per line, never reading past ``limit`` bytes."""
    with path.open("rb") as fh:
        number = 0
        while raw := fh.readline(limit + 2):
            number += 1
            if len(raw) > limit + 1 or (len(raw) == limit + 1 and not raw.endswith(b"\n")):
                # fingerprint_file refuses such lines first; this guards a file grown since
                raise ImportValidationError(
                    f"{path.name}: line {number} is longer than {limit:,} bytes; nothing was "
                    f"written",
                    problems=[f"line {number} is longer than {limit:,} bytes"],
                )
            yield number, raw.decode("utf-8"), raw.endswith(b"\n")


def read_run_file(
    path: Path, limits: ImportLimits | None = None
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[str]]:
    """Parse a run file into (header, prediction records with ``_row``, warnings).

    Lines are read one at a time, each at most ``limits.line_bytes`` long.
    """
    header: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    warnings: list[str] = []
    for number, line, complete in _lines(path, (limits or ImportLimits()).line_bytes):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_unique_keys)
        except _DuplicateKeyError as exc:
            problems.append(f"line {number}: key {exc.key!r} appears twice in one object")
            continue
        except json.JSONDecodeError as exc:
            if not complete:
                warnings.append(
                    f"line {number} is incomplete (the writer was interrupted); skipped"
                )
                continue
            problems.append(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"line {number}: expected a JSON object, got {type(obj).__name__}")
            continue
        version = obj.get("version", RUN_FORMAT_VERSION)
        if not isinstance(version, int) or version > RUN_FORMAT_VERSION:
            problems.append(
                f"line {number}: format version {version!r} is newer than this GeoScope reads "
                f"({RUN_FORMAT_VERSION}); upgrade GeoScope"
            )
            continue
        kind = obj.get("type", "prediction")
        if kind == "run":
            if header is not None or records:
                problems.append(f"line {number}: a run header may only be the first line")
            header = obj
        elif kind == "prediction":
            obj["_row"] = number
            records.append(obj)
        else:
            problems.append(f"line {number}: unknown record type {kind!r}")
        if len(problems) > 20:
            break
    if problems:
        raise ImportValidationError(f"{path.name}: refused, nothing was written", problems)
    return header, records, warnings


class _DuplicateKeyError(ValueError):
    """A JSON object names one key twice (json.loads would keep the last silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key given twice."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _header_meta(header: Mapping[str, Any]) -> dict[str, Any]:
    meta = {k: header[k] for k in HEADER_FIELDS if k in header and k != "name"}
    for key in ("started_at", "finished_at"):
        if isinstance(meta.get(key), str):
            try:
                meta[key] = datetime.fromisoformat(meta[key])
            except ValueError:
                meta.pop(key)
    if not isinstance(meta.get("params", {}), dict):
        meta["params"] = {"value": meta["params"]}
    return meta


def import_jsonl(store: Store, path: Path, options: ImportOptions) -> ImportReport:
    """Import a JSONL run file; the header's name/dataset/model fill what options leave out."""
    digest = InputDigest({"format": "jsonl", "dataset": options.dataset, "model": options.model})
    fingerprint_file(path, options.limits, digest=digest)
    header, records, warnings = read_run_file(path, options.limits)
    if not options.run:
        options = replace(options, run=str((header or {}).get("name") or path.stem))
    chash = digest.hexdigest()
    unchanged = existing_import(store, options, chash)
    if unchanged is not None:
        return unchanged
    if not records:
        msg = f"{path.name} holds no prediction lines"
        raise ImportValidationError(msg, problems=[msg])
    columns = ["_row", *[c for c in KNOWN_COLUMNS if any(c in r for r in records)]]
    table = pa.table(
        {c: [r.get(c) if c == "_row" else _cell(r.get(c)) for r in records] for c in columns}
    )
    with store.writer() as con:
        con.register("raw_arrow", table)
        con.execute("CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM raw_arrow")
        present = stage_tables(
            con, "raw", {c: c for c in columns if c != "_row"}, typed_numbers=False, row_expr="_row"
        )
        info = StageInfo(source=path.name, columns=present, row_word="line", limits=options.limits)
        report = import_stage(
            con, info, options, source_path=path.resolve(), chash=chash, fmt="jsonl",
            dedupe_last=True, run_extra=_header_meta(header or {}),
        )  # fmt: skip
    if warnings:
        report = replace(report, warnings=(*warnings, *report.warnings))
    return report
