"""Clues as a judge model read them, in the shape of the rule-based reading.

``python -m analysis clues --judge`` stores, per answer, the clues a judge model listed
(``analysis.store.clues``). Put in the shape of ``clue_table``, they go through the same
summary (``clue_summary``), heatmap and answer listing as the rules' reading, so a run can be
shown as either reader saw it, and where the two readers disagree.

Two things the judge does not give are rebuilt here. Offsets: the judge quotes its evidence,
so a quote found word for word in the answer (case aside) is marked there; one that is not
found (paraphrased, cut) has the offsets -1 and is listed, not marked. Claims: the judge writes
a claim as free text ("traffic keeps to the left"); the rules' claim patterns read it into a
``Claim`` that is checked against the truth like any other. A claim they cannot read counts as
no claim, never as a wrong one.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analysis.clues.extract import extract_clues
from analysis.clues.facts import check_claim
from analysis.clues.judge import answer_sha256
from analysis.clues.stats import CLUE_COLUMNS
from analysis.clues.taxonomy import category_ids
from analysis.clues.types import Claim

NOT_FOUND = -1  # the offsets of evidence that is not a quote of the answer
_ELLIPSIS = "…"  # what parse_judge_reply puts at the end of evidence it cut


def judged_answers_frame(frame: pd.DataFrame, judgements: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of ``frame`` the judge read as they are now, with its clues as JSON.

    Args:
        frame: one run's evaluation frame with the raw answers (``run_frame(with_raw=True)``).
        judgements: that run's stored judgements by one judge (``judgements_frame``).

    Returns:
        Those rows (index reset) plus a ``judge_clues`` column. An answer whose text changed
        since it was judged (a rescored or re-created run), or whose judgement failed, is left
        out: its stored labels describe another text, or nothing.
    """
    usable = judgements[judgements["error"].isna()] if "error" in judgements else judgements
    by_sample = {
        str(sample): (str(sha), str(clues))
        for sample, sha, clues in zip(
            usable["sample_id"], usable["answer_sha256"], usable["clues_json"], strict=True
        )
    }
    keep: list[int] = []
    clues_json: list[str] = []
    for position, (sample, text) in enumerate(
        zip(frame["sample_id"].astype(str), frame["raw_response"], strict=True)
    ):
        stored = by_sample.get(sample)
        if stored is None or not isinstance(text, str) or stored[0] != answer_sha256(text):
            continue
        keep.append(position)
        clues_json.append(stored[1])
    judged = frame.iloc[keep].reset_index(drop=True)
    return judged.assign(judge_clues=clues_json)


def _items(clues_json: object) -> list[dict[str, object]]:
    """The stored clue objects of one judgement (nothing for a broken one)."""
    try:
        items = json.loads(clues_json) if isinstance(clues_json, str) else []
    except ValueError:
        return []
    known = set(category_ids())
    return [
        item
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and item.get("category") in known
    ]


def locate(answer: str, evidence: str, start_at: int = 0) -> tuple[int, int]:
    """Return where ``evidence`` is quoted in ``answer`` (case aside), or ``(-1, -1)``.

    The search begins at ``start_at``: a judge that quotes "trees" twice means two places.
    """
    quote = evidence.removesuffix(_ELLIPSIS).strip()
    if not quote:
        return NOT_FOUND, NOT_FOUND
    lowered = answer.lower()
    start = lowered.find(quote.lower(), max(0, start_at))
    # lower() can change a text's length ("İ" -> "i̇"): trust a match only where it did not
    if start < 0 or len(lowered) != len(answer):
        return NOT_FOUND, NOT_FOUND
    return start, start + len(quote)


def read_claim(claim_text: object, category_id: str) -> Claim | None:
    """Read a judge's free-text claim with the rules' claim patterns (None when they cannot).

    A claim of the clue's own category is preferred ("signs in Thai" under ``text``), then any.
    """
    if not isinstance(claim_text, str) or not claim_text.strip():
        return None
    claims = [(c.category, c.claim) for c in extract_clues(claim_text) if c.claim is not None]
    for cat, claim in claims:
        if cat == category_id:
            return claim
    return claims[0][1] if claims else None


def judge_clue_table(judged: pd.DataFrame) -> pd.DataFrame:
    """Return the judge's clues of each answer of ``judged`` as ``clue_table`` rows.

    ``row`` is the position in ``judged`` (``judged_answers_frame``'s result); evidence and
    offsets are as the module says; claims are read and checked against each row's truth.
    """
    records: list[tuple[object, ...]] = []
    lats = judged["true_lat"].to_numpy(dtype=float) if "true_lat" in judged else None
    for row, (sample, answer, country, clues_json) in enumerate(
        zip(
            judged["sample_id"],
            judged["raw_response"],
            judged["true_country"],
            judged["judge_clues"],
            strict=True,
        )
    ):
        iso3 = country.strip().upper() or None if isinstance(country, str) else None
        lat = None if lats is None or not np.isfinite(lats[row]) else float(lats[row])
        after: dict[str, int] = {}  # a quote met again is looked for after its last place
        for item in _items(clues_json):
            cat = str(item["category"])
            evidence = str(item.get("evidence") or "")
            key = evidence.lower()
            start, end = locate(str(answer), evidence, after.get(key, 0))
            if start == NOT_FOUND and key in after:  # quoted more often than it occurs
                start, end = locate(str(answer), evidence)
            if start != NOT_FOUND:
                after[key] = end
            claim = read_claim(item.get("claim"), cat)
            verdict = None if claim is None else check_claim(claim, iso3, lat).value
            records.append(
                (
                    row, sample, cat, evidence, start, end,
                    None if claim is None else claim.kind,
                    None if claim is None else claim.value, verdict,
                )
            )  # fmt: skip
    return pd.DataFrame.from_records(records, columns=list(CLUE_COLUMNS))
