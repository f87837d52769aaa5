"""Export a stored run as CSV or as a JSONL run file; both import back unchanged.

Nothing secret leaves: run params were redacted when stored and are redacted again here, and
error/response texts are scrubbed of anything shaped like an API key or a bearer token.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import IO, Any

import pandas as pd

from analysis.errors import InputError
from analysis.importers.runformat import RUN_FORMAT_VERSION, format_line
from analysis.store import Store
from analysis.store.meta import scrub_secrets

CSV_COLUMNS = (
    "sample_id", "location_id", "heading", "true_lat", "true_lon", "true_country", "pred_lat",
    "pred_lon", "pred_country", "status", "distance_km", "coords_source", "raw_response",
    "latency_ms", "input_tokens", "output_tokens", "cost_usd", "error",
)  # fmt: skip
# key-shaped strings: OpenAI/Anthropic style "sk-...", HF "hf_...", "Bearer <token>"
_KEY_TEXT = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|hf_[A-Za-z0-9]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,})")
_JSONL_FIELDS = (
    "sample_id", "raw_response", "status", "pred_country", "pred_lat", "pred_lon",
    "coords_source", "latency_ms", "input_tokens", "output_tokens", "cost_usd", "error",
    "true_lat", "true_lon", "true_country", "location_id", "heading",
)  # fmt: skip


def redact_text(text: str | None) -> str | None:
    """Replace key-shaped substrings (sk-..., hf_..., Bearer ...) with [redacted]."""
    return None if text is None else _KEY_TEXT.sub("[redacted]", text)


def _frame(store: Store, run: str) -> pd.DataFrame:
    frame = store.run_frame(run, with_raw=True)
    for col in ("raw_response", "error"):
        frame[col] = [redact_text(v) if isinstance(v, str) else None for v in frame[col]]
    return frame


def _header(store: Store, run: str) -> dict[str, Any]:
    info = store.run_info(run)
    header: dict[str, Any] = {"type": "run", "version": RUN_FORMAT_VERSION}
    for key in ("name", "dataset", "model", "adapter", "prompt_strategy", "prompt_version",
                "prompt_hash", "prompt_text", "notes", "is_simulated"):  # fmt: skip
        if info.get(key) is not None:
            header[key] = info[key]
    header["params"] = scrub_secrets(json.loads(info.get("params_json") or "{}"))
    for key in ("started_at", "finished_at"):
        if info.get(key) is not None and not pd.isna(info[key]):
            header[key] = pd.Timestamp(info[key]).isoformat()
    return header


def _jsonl(frame: pd.DataFrame, header: dict[str, Any], out: IO[str]) -> None:
    out.write(format_line(header))
    records = frame[list(_JSONL_FIELDS)].to_dict(orient="records", into=dict[str, Any]())
    for record in records:
        line: dict[str, Any] = {"type": "prediction", "version": RUN_FORMAT_VERSION}
        for key, value in record.items():
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                continue
            line[key] = value.item() if hasattr(value, "item") else value
        out.write(format_line(line))


def export_run(store: Store, run: str, fmt: str, output: str | None = None) -> int:
    """Write the run as ``csv`` or ``jsonl`` to ``output`` (stdout when None); return rows."""
    if fmt not in ("csv", "jsonl"):
        raise InputError(f"export format must be csv or jsonl, got {fmt!r}")
    frame = _frame(store, run)
    header = _header(store, run)
    if output is None:
        _write(frame, header, fmt, sys.stdout)
    else:
        with Path(output).open("w", encoding="utf-8", newline="") as handle:
            _write(frame, header, fmt, handle)
    return len(frame)


def _write(frame: pd.DataFrame, header: dict[str, Any], fmt: str, target: IO[str]) -> None:
    if fmt == "csv":
        frame[list(CSV_COLUMNS)].to_csv(target, index=False)
    else:
        _jsonl(frame, header, target)
