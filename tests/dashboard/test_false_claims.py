"""The most frequent false claims of a run: counted per answer, by hand."""

from __future__ import annotations

import pandas as pd

from analysis.clues.stats import CLUE_COLUMNS
from analysis.dashboard.clues import RunClues
from analysis.dashboard.false_claims import false_claims, false_claims_display

FRAME = pd.DataFrame(
    {
        "sample_id": ["s0", "s1", "s2", "s3", "s4"],
        "true_country": ["BRA", "BRA", "PRT", "ARG", "BRA"],
        "pred_country": ["ARG", "ARG", "ESP", "ARG", None],
    }
)
SPANISH, LEFT = ("language", "Spanish"), ("driving_side", "left")


def _clue(row: int, claim: tuple[str, str] | None, verdict: str | None) -> tuple[object, ...]:
    kind, value = claim if claim else (None, None)
    return (row, f"s{row}", "text", "evidence", 0, 8, kind, value, verdict)


TABLE = pd.DataFrame.from_records(
    [
        _clue(0, SPANISH, "contradicted"),
        _clue(0, SPANISH, "contradicted"),  # the same answer says it twice: counted once
        _clue(1, SPANISH, "contradicted"),
        _clue(2, SPANISH, "contradicted"),
        _clue(3, SPANISH, "consistent"),  # true of Argentina: checkable, not false
        _clue(4, SPANISH, "contradicted"),
        _clue(4, LEFT, "contradicted"),
        _clue(1, ("language", "Klingon"), "not_checkable"),  # never counted
        _clue(2, None, None),  # a clue without a claim
    ],
    columns=list(CLUE_COLUMNS),
)
NAMES = {"BRA": "Brazil", "PRT": "Portugal", "ARG": "Argentina", "ESP": "Spain"}


def test_false_claims_are_counted_per_answer_with_their_countries() -> None:
    reading = RunClues("r", FRAME, TABLE, pd.DataFrame())
    rows = false_claims([reading], NAMES).to_dict("records")
    assert rows == [
        {
            "run": "r",
            "claim": "language: Spanish",
            "n_contradicted": 4,  # s0, s1, s2, s4
            "n_checkable": 5,  # and s3, where it was true
            "true_countries": "Brazil 3, Portugal 1",
            "guessed_countries": "Argentina 2, Spain 1, none 1",
        },
        {
            "run": "r",
            "claim": "driving side: left",
            "n_contradicted": 1,
            "n_checkable": 1,
            "true_countries": "Brazil 1",
            "guessed_countries": "none 1",
        },
    ]
    assert false_claims([reading], NAMES, top=1)["claim"].tolist() == ["language: Spanish"]


def test_more_countries_than_a_cell_names_are_counted_and_runs_without_clues_skipped() -> None:
    frame = pd.DataFrame(
        {"sample_id": list("abcd"), "true_country": ["FRA", "DEU", "ITA", "ITA"],
         "pred_country": ["GBR"] * 4}
    )  # fmt: skip
    table = pd.DataFrame.from_records(
        [_clue(i, LEFT, "contradicted") for i in range(4)], columns=list(CLUE_COLUMNS)
    )
    silent = RunClues("quiet", FRAME, TABLE.iloc[0:0], pd.DataFrame())
    frame_rows = false_claims([silent, RunClues("r", frame, table, pd.DataFrame())], {})
    assert frame_rows["run"].tolist() == ["r"]
    assert frame_rows["true_countries"].tolist() == ["ITA 2, DEU 1, +1 more"]
    shown = false_claims_display(frame_rows, {"r": "model · basic"})
    assert list(shown.columns) == ["run", "claim", "contradicted", "true country", "guessed"]
    assert shown.iloc[0].tolist()[:3] == ["model · basic", "driving side: left", "4 of 4"]
