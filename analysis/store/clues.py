"""Stored judge labels of clues (table ``clue_judgements``, migration 4), one row per answer.

Functions take a ``Store`` and use its short-lived connections, like the rest of the store.
Uniqueness of (run, sample_id, judge) is kept here by delete-then-insert in one transaction (no
index, for the reasons given in ``schema.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from analysis.store.store import Store

JUDGEMENT_COLUMNS = (
    "run", "sample_id", "judge", "answer_sha256", "clues_json", "n_dropped", "error",
    "input_tokens", "output_tokens", "cost_usd", "cached",
)  # fmt: skip


@dataclass(frozen=True)
class Judgement:
    """One judged answer: the kept clues as JSON, what was dropped, and what the call cost."""

    sample_id: str
    answer_sha256: str
    clues_json: str
    n_dropped: int = 0
    error: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None  # the answer's price at the preset's rates
    cached: bool = False  # taken from the response cache: nothing was paid for it this time


def judged_answers(store: Store, run: str, judge: str) -> dict[str, str]:
    """Return sample_id -> SHA-256 of the answer text each stored judgement was made on."""
    with store.reader() as con:
        rows = con.execute(
            "SELECT sample_id, answer_sha256 FROM clue_judgements WHERE run = ? AND judge = ?",
            [run, judge],
        ).fetchall()
    return {str(sample_id): str(sha) for sample_id, sha in rows}


def save_judgements(store: Store, run: str, judge: str, rows: Sequence[Judgement]) -> int:
    """Store judgements, replacing older ones of the same answers; return how many were written."""
    if not rows:
        return 0
    ids = [r.sample_id for r in rows]
    with store.transaction() as con:
        con.execute(
            "DELETE FROM clue_judgements WHERE run = ? AND judge = ? "
            "AND list_contains(?, sample_id)",
            [run, judge, ids],
        )
        con.executemany(
            "INSERT INTO clue_judgements (run, sample_id, judge, answer_sha256, clues_json, "
            "n_dropped, error, input_tokens, output_tokens, cost_usd, cached) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run,
                    r.sample_id,
                    judge,
                    r.answer_sha256,
                    r.clues_json,
                    r.n_dropped,
                    r.error,
                    r.input_tokens,
                    r.output_tokens,
                    r.cost_usd,
                    r.cached,
                ]
                for r in rows
            ],  # fmt: skip
        )
    return len(rows)


def judgements_frame(store: Store, run: str, judge: str) -> pd.DataFrame:
    """Return the stored judgements of one run by one judge (``JUDGEMENT_COLUMNS``)."""
    with store.reader() as con:
        frame = con.execute(
            f"SELECT {', '.join(JUDGEMENT_COLUMNS)} FROM clue_judgements "
            "WHERE run = ? AND judge = ? ORDER BY sample_id",
            [run, judge],
        ).df()
    return frame


def delete_judgements(store: Store, run: str, judge: str | None = None) -> int:
    """Delete a run's judgements (by one judge, or all); return how many rows went."""
    where, params = "run = ?", [run]
    if judge is not None:
        where, params = "run = ? AND judge = ?", [run, judge]
    with store.writer() as con:
        row = con.execute(f"SELECT count(*) FROM clue_judgements WHERE {where}", params).fetchone()
        con.execute(f"DELETE FROM clue_judgements WHERE {where}", params)
    return int(row[0]) if row else 0


JUDGES_COLUMNS = ("run", "judge", "n_judged", "fingerprint")


def judges_of_runs(store: Store, runs: Sequence[str]) -> pd.DataFrame:
    """Return which judges read which of ``runs`` (``JUDGES_COLUMNS``), by run then judge.

    ``fingerprint`` changes whenever a judgement of that run by that judge is added or
    replaced, so a reading cached on it is never stale.
    """
    if not runs:
        return pd.DataFrame(columns=list(JUDGES_COLUMNS))
    with store.reader() as con:
        frame = con.execute(
            "SELECT run, judge, count(*) AS n_judged, "
            "CAST(sum(hash(sample_id, answer_sha256, clues_json, coalesce(error, ''))) AS VARCHAR)"
            " AS fingerprint FROM clue_judgements WHERE list_contains(?, run) "
            "GROUP BY run, judge ORDER BY run, judge",
            [list(runs)],
        ).df()
    return frame
