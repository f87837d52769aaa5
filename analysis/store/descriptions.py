"""Stored descriptions of images, keyed by (dataset, sample_id, describer, describe prompt hash).

A describer is a captioning model preset (its identity fingerprint) or a column of the
dataset's manifest; the describe hash names the request's words. Runs in the description input
modes read these rows, so a description is produced once and every later run reuses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def load_descriptions(
    store: Any, dataset: str, describer: str, describe_hash: str
) -> dict[str, str]:
    """Return sample_id -> description for one describer and describe prompt.

    Only descriptions written since the dataset was (re)imported count: a replaced dataset may
    show other images under the same sample ids.
    """
    with store.reader() as con:
        rows = con.execute(
            "SELECT d.sample_id, d.description FROM descriptions d "
            "JOIN datasets s ON s.name = d.dataset "
            "WHERE d.dataset = ? AND d.describer = ? AND d.describe_hash = ? "
            "AND d.created_at >= s.created_at",
            [dataset, describer, describe_hash],
        ).fetchall()
    return {str(sample_id): str(text) for sample_id, text in rows}


def save_descriptions(
    store: Any,
    dataset: str,
    describer: str,
    describe_hash: str,
    descriptions: Mapping[str, str],
    source: str | None = None,
) -> int:
    """Store descriptions (replacing the same keys' older rows); return how many were written."""
    if not descriptions:
        return 0
    ids = list(descriptions)
    with store.transaction() as con:
        # delete-then-insert in one transaction keeps one row per key without an index
        con.execute(
            "DELETE FROM descriptions WHERE dataset = ? AND describer = ? AND describe_hash = ? "
            "AND list_contains(?, sample_id)",
            [dataset, describer, describe_hash, ids],
        )
        con.executemany(
            "INSERT INTO descriptions (dataset, sample_id, describer, describe_hash, description, "
            "source) VALUES (?, ?, ?, ?, ?, ?)",
            [[dataset, i, describer, describe_hash, descriptions[i], source] for i in ids],
        )
    return len(ids)
