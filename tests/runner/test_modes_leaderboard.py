"""The leaderboard shows each run's input mode and unit, and keeps image and location runs apart."""

from __future__ import annotations

import json

import pandas as pd

from analysis.dashboard import leaderboard as lbm

PARAMS = {
    "img": {"form": "country"},  # a run from before input modes: images, one by one
    "desc": {"mode": "description", "level": "image"},
    "views": {"mode": "all-views", "level": "location"},
}


def _lb() -> pd.DataFrame:
    runs = pd.DataFrame(
        {
            "name": list(PARAMS),
            "dataset": ["d"] * 3,
            "model": ["m1"] * 3,
            "prompt_strategy": ["must"] * 3,
            "is_simulated": [False] * 3,
            "params_json": [json.dumps(p) for p in PARAMS.values()],
        }
    )
    n = {"img": 8.0, "desc": 8.0, "views": 2.0}
    accuracy = {"img": 0.25, "desc": 0.125, "views": 0.5}
    summaries = {
        r: lbm.RunSummary(r, {"n": n[r], "country_accuracy": accuracy[r]},
                          {"country_accuracy": 0.0}, {"country_accuracy": 1.0})
        for r in PARAMS
    }  # fmt: skip
    return lbm.leaderboard_frame(runs, summaries)


def test_mode_and_unit_columns_come_from_the_runs_params() -> None:
    lb = _lb().set_index("run")
    assert lb.loc["img", "mode"] == "image" and lb.loc["img", "unit"] == "image"
    assert lb.loc["views", "mode"] == "all-views" and lb.loc["views", "unit"] == "location"
    shown = lbm.display_table(_lb(), ["country_accuracy"]).set_index("run")
    assert shown.loc["desc", "mode"] == "description" and shown.loc["views", "unit"] == "location"
    headline = lbm.headline_frame(_lb(), ["country_accuracy"])
    assert list(headline["unit"]) == ["image", "image", "location"]


def test_location_runs_never_share_an_axis_or_a_cell_with_image_runs() -> None:
    parts = dict(lbm.unit_parts(_lb()))
    assert list(parts) == ["image", "location"]
    assert set(parts["image"]["n"]) == {8.0} and list(parts["location"]["run"]) == ["views"]
    assert set(lbm.interval_rows(parts["location"], "country_accuracy")["unit"]) == {"location"}
    table = lbm.pivot(_lb(), "country_accuracy")
    assert table.loc["m1 · all-views (per location)", "must"] == 0.5
    assert table.loc["m1 · image", "must"] == 0.25  # not the mean of the three runs
    assert table.loc["m1 · description", "must"] == 0.125
