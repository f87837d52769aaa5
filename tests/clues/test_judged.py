"""A judge's stored clues read into the rules' table shape: quotes, claims, stale judgements."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from analysis.clues import Claim
from analysis.clues.judge import answer_sha256
from analysis.clues.judged import (
    NOT_FOUND,
    judge_clue_table,
    judged_answers_frame,
    locate,
    read_claim,
)
from analysis.clues.stats import CLUE_COLUMNS

ANSWER = "Cars drive on the LEFT here. Gum trees, more trees, and trees again."


def test_a_quote_is_found_whatever_its_case_and_a_cut_one_by_its_kept_part() -> None:
    assert locate(ANSWER, "drive on the left") == (5, 22)
    assert ANSWER[5:22] == "drive on the LEFT"
    assert locate(ANSWER, "Cars drive…") == (0, 10)  # parse_judge_reply cut it there


def test_a_paraphrase_or_an_empty_quote_is_not_placed() -> None:
    assert locate(ANSWER, "left-hand traffic") == (NOT_FOUND, NOT_FOUND)
    assert locate(ANSWER, "  ") == (NOT_FOUND, NOT_FOUND)
    # lower() would lengthen "İ": the offsets could not be trusted, so nothing is placed
    assert locate("İstanbul street signs", "street") == (NOT_FOUND, NOT_FOUND)


def test_a_free_text_claim_is_read_by_the_rules_patterns() -> None:
    assert read_claim("traffic drives on the left", "driving_side") == Claim("driving_side", "left")
    assert read_claim("vehicles are right-hand drive", "vehicles") == Claim("driving_side", "left")
    assert read_claim("signs in Portuguese", "text") == Claim("language", "Portuguese")
    assert read_claim("the weather is nice", "terrain_climate") is None
    assert read_claim(None, "text") is None and read_claim(42, "text") is None


def _frame(*answers: object) -> pd.DataFrame:
    n = len(answers)
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "true_country": ["AUS"] * n,
            "true_lat": [-33.9] * n,
            "pred_country": ["AUS"] * n,
            "raw_response": list(answers),
        }
    )


def _judgements(rows: list[tuple[str, str, list[Any], str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sample_id": [r[0] for r in rows],
            "answer_sha256": [r[1] for r in rows],
            "clues_json": [json.dumps(r[2]) for r in rows],
            "error": [r[3] for r in rows],
        }
    )


def test_only_answers_judged_as_they_are_now_are_kept() -> None:
    frame = _frame("first answer", "second answer", "third answer", "fourth answer", None)
    judgements = _judgements(
        [
            ("s0", answer_sha256("first answer"), [], None),  # judged as it is: kept
            ("s1", answer_sha256("an older text"), [], None),  # rescored since: left out
            ("s2", answer_sha256("third answer"), [], "no JSON list in the reply"),  # failed
            ("s4", answer_sha256(""), [], None),  # no answer text at all
        ]
    )  # s3 was never judged
    judged = judged_answers_frame(frame, judgements)
    assert judged["sample_id"].tolist() == ["s0"]
    assert judged["judge_clues"].tolist() == ["[]"]


def test_judge_clues_become_rows_with_places_and_checked_claims() -> None:
    clues = [
        {
            "category": "driving_side",
            "evidence": "drive on the left",
            "claim": "drives on the left",
        },
        {"category": "vegetation", "evidence": "trees", "claim": None},
        {"category": "vegetation", "evidence": "trees", "claim": None},  # the second "trees"
        {"category": "text", "evidence": "signs (paraphrased)", "claim": "signs in Portuguese"},
        {"category": "weather_magic", "evidence": "a rainbow", "claim": None},  # not a category
    ]
    frame = _frame(ANSWER)
    judged = judged_answers_frame(frame, _judgements([("s0", answer_sha256(ANSWER), clues, None)]))
    table = judge_clue_table(judged)
    assert list(table.columns) == list(CLUE_COLUMNS)
    rows = table.to_dict("records")
    assert [r["category"] for r in rows] == ["driving_side", "vegetation", "vegetation", "text"]
    assert (rows[0]["start"], rows[0]["end"]) == (5, 22)
    assert (rows[0]["claim_kind"], rows[0]["claim_value"], rows[0]["verdict"]) == (
        "driving_side", "left", "consistent",  # Australia keeps left
    )  # fmt: skip
    # "Gum trees" at 33, then "more trees" at 45: two quotes, two places
    assert [(r["start"], r["end"]) for r in rows[1:3]] == [(33, 38), (45, 50)]
    assert ANSWER[33:38] == ANSWER[45:50] == "trees"
    assert (rows[3]["start"], rows[3]["verdict"]) == (NOT_FOUND, "contradicted")  # no Portuguese
    assert pd.isna(rows[1]["claim_kind"]) and pd.isna(rows[1]["verdict"])  # as in clue_table


def test_a_claim_about_the_truth_follows_the_truth() -> None:
    clues = [{"category": "driving_side", "evidence": "x", "claim": "left-hand traffic"}]
    frame = _frame("x").assign(true_country=["FRA"], true_lat=[np.nan])
    judged = judged_answers_frame(frame, _judgements([("s0", answer_sha256("x"), clues, None)]))
    assert judge_clue_table(judged)["verdict"].tolist() == ["contradicted"]  # France keeps right
