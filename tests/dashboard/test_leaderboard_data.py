"""Leaderboard tables (direction from the metric registry), curves, pairing, freshness token."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.data import accuracy_curves, db_token, paired_outcomes, run_fingerprint
from tests.support.frames import float_at


def _objects(*values: str | None) -> np.ndarray:
    """A column of text with gaps (None), as pandas stores it: an object array."""
    return np.array(values, dtype=object)


def _eval(correct: list[bool], distance: list[float]) -> pd.DataFrame:
    n = len(correct)
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "location_id": [f"l{i}" for i in range(n)],
            "heading": 0,
            "true_lat": 0.0,
            "true_lon": 0.0,
            "true_country": "FRA",
            "pred_lat": [np.nan if math.isnan(d) else 0.0 for d in distance],
            "pred_lon": [np.nan if math.isnan(d) else 0.0 for d in distance],
            "pred_country": ["FRA" if c else "DEU" for c in correct],
            "status": "ok",
            "distance_km": distance,
        }
    )


def _runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "dataset": ["d", "d", "d"],
            "model": ["m1", "m1", "m2"],
            "prompt_strategy": ["basic", "tips", "basic"],
            "is_simulated": [True, False, False],
        }
    )


def _summaries() -> dict[str, lbm.RunSummary]:
    frames = {
        "a": _eval([True, True, False, False], [10, 20, 3000, 4000]),
        "b": _eval([True, True, True, False], [5, 5, 5, 9000]),
        "c": _eval([True, False, False, False], [1, 800, 900, 1000]),
    }
    return {run: lbm.summarize_run(f, run, n_resamples=50) for run, f in frames.items()}


def test_summary_values_match_hand_computation() -> None:
    s = _summaries()
    assert s["a"].metrics["country_accuracy"] == pytest.approx(0.5)
    assert s["b"].metrics["country_accuracy"] == pytest.approx(0.75)
    assert s["a"].metrics["median_km"] == pytest.approx((20 + 3000) / 2)
    assert s["a"].low["country_accuracy"] <= 0.5 <= s["a"].high["country_accuracy"]


def test_rank_uses_registered_direction() -> None:
    lb = lbm.leaderboard_frame(_runs(), _summaries())
    assert lbm.rank_runs(lb, "country_accuracy")["run"].tolist() == ["b", "a", "c"]
    # median error: lower is better (a 1510 km, b 5 km, c 850 km)
    assert lbm.rank_runs(lb, "median_km")["run"].tolist() == ["b", "c", "a"]
    assert lb.loc[lbm.best_mask(lb, "median_km"), "run"].tolist() == ["b"]
    other = lb.assign(dataset=["d2", "d1", "d1"])
    assert lbm.rank_runs(other, "country_accuracy", ["d1", "d2"])["run"].tolist() == ["b", "c", "a"]


def test_display_table_marks_simulated_and_formats_units() -> None:
    lb = lbm.leaderboard_frame(_runs(), _summaries())
    table = lbm.display_table(lb, ["country_accuracy", "median_km"])
    assert table["data"].tolist() == ["SIMULATED", "real", "real"]
    label = lbm.metric_specs(["country_accuracy"])[0].label
    assert table[label].iloc[0].startswith("50.0% [")
    assert lbm.format_value(1510.0, "km") == "1,510 km"
    assert lbm.format_value(float("nan"), "share") == "–"
    assert lbm.format_interval(0.1, 0.25, "share") == "[10.0, 25.0]"


def test_pivot_models_by_prompt_strategy() -> None:
    lb = lbm.leaderboard_frame(_runs(), _summaries())
    table = lbm.pivot(lb, "country_accuracy")
    assert table.loc["m1", "basic"] == pytest.approx(0.5)
    assert table.loc["m1", "tips"] == pytest.approx(0.75)
    assert math.isnan(float_at(table, "m2", "tips"))


def test_accuracy_curves_are_monotone_shares() -> None:
    curves = accuracy_curves({"a": _eval([True] * 4, [1, 10, 100, float("nan")])})
    shares = curves["share"].to_numpy()
    assert np.all(np.diff(shares) >= 0)
    assert shares[-1] == pytest.approx(0.75)  # the guess without coordinates never counts


def test_paired_outcomes_labels() -> None:
    a = _eval([True, True, False, False], [1, 1, 1, 1])
    b = _eval([True, False, True, False], [1, 1, 1, 1])
    out = paired_outcomes(a, b)
    assert out["outcome"].tolist() == ["both_right", "only_a", "only_b", "both_wrong"]


def test_db_token_changes_on_write(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    assert db_token(path) == "-|-"
    path.write_bytes(b"1")
    first = db_token(path)
    time.sleep(0.01)
    path.write_bytes(b"12")
    assert db_token(path) != first


def test_run_fingerprint_changes_with_counts() -> None:
    row = {"name": "a", "n_predictions": 10, "n_ok": 5}
    assert run_fingerprint(row) != run_fingerprint({**row, "n_ok": 6})
    assert run_fingerprint(row) == run_fingerprint(dict(row))


def test_side_by_side_differences() -> None:
    s = _summaries()
    table = lbm.side_by_side(s["b"], s["a"]).set_index("metric")
    acc = lbm.metric_specs(["country_accuracy"])[0].label
    med = lbm.metric_specs(["median_km"])[0].label
    assert table.loc[acc, "A − B"] == "+25.0 pts"  # 75% vs 50%
    assert table.loc[med, "A − B"] == "-1,505 km"  # 5 km vs 1510 km
    assert table.loc[acc, "A"].startswith("75.0% [")


def test_fields_nobody_recorded_read_none_not_python_none() -> None:
    runs = _runs().assign(
        prompt_strategy=_objects("basic", None, "basic"), model=_objects("m1", "m1", None)
    )
    table = lbm.display_table(lbm.leaderboard_frame(runs, _summaries()), ["country_accuracy"])
    by_run = table.set_index("run")
    assert by_run.loc["b", "prompt_strategy"] == "(none)" and by_run.loc["c", "model"] == "(none)"
    assert by_run.loc["a", "prompt_strategy"] == "basic"
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("/home/lab/models/smolvlm-ft", "smolvlm-ft"),  # a local fine-tuned folder
        ("/home/lab/models/smolvlm-ft/", "smolvlm-ft"),
        ("~/ckpt/qwen-geo", "qwen-geo"),
        ("C:\\models\\llava-geo", "llava-geo"),
        ("HuggingFaceTB/SmolVLM-256M-Instruct", "HuggingFaceTB/SmolVLM-256M-Instruct"),  # hub id
        ("gpt-4o", "gpt-4o"),
    ],
)
def test_local_model_paths_are_shown_by_folder_name(stored: str, shown: str) -> None:
    assert lbm.model_label(stored) == shown
    runs = _runs().assign(model=[stored, "m1", "m2"])
    lb = lbm.leaderboard_frame(runs, _summaries())
    assert lb.set_index("run").loc["a", "model"] == shown
    assert shown in lbm.run_field(runs, "model").tolist()


def test_fine_tuned_runs_say_what_they_were_trained_on() -> None:
    import json

    card = {"base_model": "HuggingFaceTB/SmolVLM", "dataset": "sv1", "split": "train",
            "method": "lora"}  # fmt: skip
    runs = _runs().assign(
        params_json=_objects(
            json.dumps({"preset": "x", "finetune": card}),
            json.dumps({"preset": "y"}),
            None,
        )
    )
    table = lbm.display_table(lbm.leaderboard_frame(runs, _summaries()), ["country_accuracy"])
    by_run = table.set_index("run")
    assert by_run.loc["a", "fine-tuned on"] == "sv1/train (lora)"
    assert by_run.loc["b", "fine-tuned on"] == "–" and by_run.loc["c", "fine-tuned on"] == "–"
    plain = lbm.display_table(lbm.leaderboard_frame(_runs(), _summaries()), ["country_accuracy"])
    assert "fine-tuned on" not in plain.columns  # no column when no run is fine-tuned
    assert lbm.finetune_label('{"finetune": "broken"}') is None
    assert lbm.finetune_label('not json but has "finetune"') is None


def test_every_run_says_where_it_was_evaluated_and_flags_an_allowed_leak() -> None:
    import json

    from analysis.dashboard.finetune_view import LEAKAGE_MARK, leakage_notes

    leak = {"override": True, "overlapping_samples": 2, "checked_samples": 5}
    card = {"base_model": "b", "method": "full",
            "lineage": {"sources": [{"source": "d/train"}, {"source": "d/extra"}]}}  # fmt: skip
    runs = _runs().assign(
        params_json=_objects(
            json.dumps({"split": "test", "finetune": {**card, "leakage": leak}}),
            json.dumps({"split": None}),
            None,
        )
    )
    lb = lbm.leaderboard_frame(runs, _summaries())
    cells = lbm.display_table(lb, ["country_accuracy"]).set_index("run")["evaluated on"]
    assert cells["a"] == f"d/test {LEAKAGE_MARK}" and cells["b"] == "d/all"
    assert cells["c"] == "d/all"
    headline = lbm.headline_frame(lb, ["country_accuracy"])
    assert list(headline["evaluated on"]) == list(cells[lb["run"]])
    same = lbm.leaderboard_frame(_runs(), _summaries())  # one split, no leak: stays compact
    assert "evaluated on" not in lbm.headline_frame(same, ["country_accuracy"])
    (note,) = leakage_notes(lb)
    assert note.startswith("run a: ") and "2 of 5 samples" in note
    assert lbm.finetune_label(runs["params_json"][0]) == "d/train+d/extra (full)"
