"""The Clues page read by a judge: both readers on the same answers, and their agreement."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.clues.judge import answer_sha256
from analysis.dashboard.clue_judges import (
    agreement_hover,
    agreement_matrix,
    judged_run,
    judged_share,
    overall_agreement,
)

ANSWERS = ["Cars drive on the left.", "Eucalyptus everywhere.", "Cars drive on the left.", "Hm."]
FRAME = pd.DataFrame(
    {
        "sample_id": ["s0", "s1", "s2", "s3"],
        "location_id": ["l0", "l1", "l2", "l3"],
        "true_country": ["AUS"] * 4,
        "true_lat": [-33.9] * 4,
        "pred_country": ["AUS", "AUS", "NZL", "AUS"],
        "raw_response": ANSWERS,
    }
)
JUDGED = {  # s3 was not judged; s2's judge saw no clue although the rules read one
    "s0": [{"category": "driving_side", "evidence": "drive on the left", "claim": None}],
    "s1": [
        {"category": "vegetation", "evidence": "Eucalyptus", "claim": None},
        {"category": "architecture", "evidence": "houses", "claim": None},
    ],
    "s2": [],
}


def _judgements() -> pd.DataFrame:
    ids = list(JUDGED)
    return pd.DataFrame(
        {
            "sample_id": ids,
            "answer_sha256": [answer_sha256(ANSWERS[int(i[1])]) for i in ids],
            "clues_json": [json.dumps(JUDGED[i]) for i in ids],
            "error": [None] * len(ids),
        }
    )


def test_both_readers_are_taken_on_the_answers_the_judge_read() -> None:
    judged = judged_run(FRAME, "r", "j", _judgements(), n_resamples=50)
    assert judged is not None
    assert (judged.n_answers, judged.n_judged) == (4, 3)
    assert judged.rules_reading.frame["sample_id"].tolist() == ["s0", "s1", "s2"]
    judge = judged.judge_reading.summary.set_index("category")
    rules = judged.rules_reading.summary.set_index("category")
    assert (judge["n"] == 3).all() and (rules["n"] == 3).all()
    assert judge.loc["driving_side", "citation_rate"] == pytest.approx(1 / 3)
    assert rules.loc["driving_side", "citation_rate"] == pytest.approx(2 / 3)
    assert judge.loc["architecture", "citation_rate"] == pytest.approx(1 / 3)
    # the judge's driving-side answer (s0) is right; of the other two, s1 right and s2 wrong
    assert judge.loc["driving_side", "acc_cited"] == 1.0
    assert judge.loc["driving_side", "acc_not_cited"] == 0.5
    assert judge.loc["driving_side", "lift"] == 0.5


def test_agreement_counts_each_reader_by_hand() -> None:
    judged = judged_run(FRAME, "r", "j", _judgements(), n_resamples=50)
    assert judged is not None
    table = judged.agreement.set_index("category")
    counts = table[["both", "rule_only", "judge_only"]]
    assert list(counts.loc["driving_side"]) == [1, 1, 0]
    assert list(counts.loc["vegetation"]) == [1, 0, 0]
    assert list(counts.loc["architecture"]) == [0, 0, 1]
    matrix = agreement_matrix([judged])
    assert matrix.loc["r", "driving_side"] == 0.5
    assert matrix.loc["r", "vegetation"] == 1.0 and matrix.loc["r", "architecture"] == 0.0
    assert bool(matrix["text"].isna().all())  # neither reader cites it
    assert overall_agreement(judged) == 2 / 4  # 2 shared of 4 citations by either
    hover = agreement_hover([judged]).loc["r", "driving_side"]
    assert hover == "both 1 · rules only 1 · judge only 0 · neither 1 (of 3 answers)"


def test_a_run_the_judge_read_only_in_another_version_has_no_judge_reading() -> None:
    stale = _judgements().assign(answer_sha256=answer_sha256("an older answer"))
    assert judged_run(FRAME, "r", "j", stale) is None


def test_failed_and_outdated_judgements_are_left_out_and_counted() -> None:
    extra = pd.DataFrame(
        {
            "sample_id": ["s3", "elsewhere"],  # s3 failed; a sample of no answer here
            "answer_sha256": [answer_sha256(ANSWERS[3]), "x"],
            "clues_json": ["[]", "[]"],
            "error": ["no JSON list in the reply", None],
        }
    )
    judgements = pd.concat([_judgements(), extra], ignore_index=True)
    judgements.loc[judgements["sample_id"] == "s2", "answer_sha256"] = answer_sha256("older")
    judged = judged_run(FRAME, "r", "j", judgements, n_resamples=20)
    assert judged is not None
    assert (judged.n_judged, judged.n_failed, judged.n_stale) == (2, 1, 1)
    assert (
        judged_share(judged)
        == "2 of 4 answers (1 judgement failed, 1 judgement was of an older text)"
    )
