"""clue_summary and wrong_answer_clues on small frames whose figures are computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.clues.stats import SUMMARY_COLUMNS, WRONG_COLUMNS, clue_summary, wrong_answer_clues
from analysis.errors import InputError


def frame() -> pd.DataFrame:
    rows = [
        # sample, location, true, pred, lat, answer
        ("s1", "L1", "BRA", "BRA", -15.8, "Signs in Portuguese and red soil."),
        ("s2", "L1", "BRA", "ARG", -15.8, "The vegetation is lush."),
        ("s3", "L2", "ARG", "ARG", -34.6, "Signs in Portuguese."),
        ("s4", "L3", "JPN", "JPN", 35.7, "Cars drive on the left."),
        ("s5", "L4", "FRA", None, 48.8, "Cars drive on the left."),
        ("s6", "L5", "FRA", "DEU", 48.8, "There is no visible text."),
    ]
    df = pd.DataFrame(
        rows,
        columns=["sample_id", "location_id", "true_country", "pred_country", "true_lat",
                 "raw_response"],
    )  # fmt: skip
    df.insert(0, "run", "r1")
    df["status"] = ["ok", "ok", "ok", "ok", "unknown", "ok"]
    return df


def row(table: pd.DataFrame, cat: str) -> pd.Series:
    selected = table.set_index("category").loc[cat]
    assert isinstance(selected, pd.Series), cat  # one row per category
    return selected


def test_text_category_figures() -> None:
    table = clue_summary(frame(), n_resamples=200)
    assert tuple(table.columns) == SUMMARY_COLUMNS
    text = row(table, "text")
    # cited by s1 (right) and s3 (right); not cited by s2, s4, s5, s6 (only s4 right)
    assert (text.n, text.n_cited) == (6, 2)
    assert text.citation_rate == pytest.approx(2 / 6)
    assert text.acc_cited == pytest.approx(1.0)
    assert text.acc_not_cited == pytest.approx(0.25)
    assert text.lift == pytest.approx(0.75)
    # every resample of the cited samples is all right: the interval is exactly [1, 1]
    assert (text.acc_cited_low, text.acc_cited_high) == (1.0, 1.0)
    assert text.acc_not_cited_low <= 0.25 <= text.acc_not_cited_high
    assert text.lift_low <= 0.75 <= text.lift_high
    # "Portuguese" is consistent in Brazil (s1), contradicted in Argentina (s3)
    assert (text.n_claims, text.n_checkable, text.n_contradicted) == (2, 2, 1)
    assert text.contradiction_rate == pytest.approx(0.5)


def test_driving_side_and_uncited_categories() -> None:
    table = clue_summary(frame(), n_resamples=200)
    side = row(table, "driving_side")
    # cited by s4 (right) and s5 (no guess: wrong); not cited: s1, s3 right, s2, s6 wrong
    assert (side.acc_cited, side.acc_not_cited, side.lift) == pytest.approx((0.5, 0.5, 0.0))
    assert (side.n_checkable, side.n_contradicted) == (2, 1)  # left in Japan yes, France no
    landmark = row(table, "landmark")
    assert landmark.n_cited == 0 and math.isnan(landmark.acc_cited)
    assert landmark.acc_not_cited == pytest.approx(3 / 6)
    assert math.isnan(landmark.contradiction_rate)


def test_runs_are_summarised_apart() -> None:
    other = frame().iloc[:2].assign(run="r2")
    table = clue_summary(pd.concat([frame(), other]), n_resamples=50)
    assert list(pd.unique(table["run"])) == ["r1", "r2"]
    r2 = table[table["run"] == "r2"].set_index("category")
    assert r2.loc["text", "n"] == 2 and r2.loc["text", "acc_cited"] == pytest.approx(1.0)
    assert r2.loc["vegetation", "acc_cited"] == pytest.approx(0.0)


def test_same_seed_same_intervals() -> None:
    a = clue_summary(frame(), n_resamples=100, seed=3)
    b = clue_summary(frame(), n_resamples=100, seed=3)
    pd.testing.assert_frame_equal(a, b)


def test_clues_of_wrong_answers_per_true_country() -> None:
    table = wrong_answer_clues(frame())
    assert tuple(table.columns) == WRONG_COLUMNS
    records = table[["true_country", "category", "n_wrong", "n_wrong_citing"]].values.tolist()
    # wrong: s2 (BRA, vegetation), s5 (FRA, driving side), s6 (FRA, nothing cited)
    assert records == [["BRA", "vegetation", 1, 1], ["FRA", "driving_side", 2, 1]]
    assert table["share_of_wrong"].tolist() == pytest.approx([1.0, 0.5])
    assert table["example"].tolist() == ["vegetation", "cars drive on the left"]


def test_a_frame_without_answers_is_refused() -> None:
    with pytest.raises(InputError, match="raw_response"):
        clue_summary(frame().drop(columns="raw_response"))


def test_clue_table_lists_each_clue_with_its_verdict() -> None:
    from analysis.clues.stats import CLUE_COLUMNS, clue_table

    table = clue_table(frame())
    assert tuple(table.columns) == CLUE_COLUMNS
    claims = table.dropna(subset=["claim_kind"])
    got = list(zip(claims["sample_id"], claims["claim_value"], claims["verdict"], strict=True))
    assert got == [
        ("s1", "Portuguese", "consistent"),
        ("s3", "Portuguese", "contradicted"),
        ("s4", "left", "consistent"),
        ("s5", "left", "contradicted"),
    ]


def test_correct_array_matches_the_row_by_row_rule() -> None:
    """The vectorised country check equals the plain rule: same code after trim and upper case."""
    import numpy as np
    import pandas as pd

    from analysis.clues.stats import correct_array

    frame = pd.DataFrame(
        {
            "true_country": ["FRA", " fra", "DEU", None, np.nan, "", "JPN", 3, "BRA"],
            "pred_country": ["FRA", "FRA ", "FRA", None, None, "", "jpn", 3, np.nan],
        }
    )
    # by hand: right, right (case and spaces), wrong, no truth, no truth, empty, right, not text,
    # no guess
    assert correct_array(frame).tolist() == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
