"""Fine-tuned runs: evaluated-on, leakage warnings, pairing with the base run, before/after table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.dashboard import finetune_view as ftv
from analysis.metrics import paired_comparison
from tests.support.frames import cell, is_missing, text_at


def _frame(right: list[int]) -> pd.DataFrame:
    """Ten samples at ten places; ``right`` lists the indices answered with the right country."""
    n = 10
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "location_id": [f"l{i}" for i in range(n)],
            "heading": 0,
            "true_lat": 0.0,
            "true_lon": 0.0,
            "true_country": "FRA",
            "pred_lat": 0.0,
            "pred_lon": 0.0,
            "pred_country": ["FRA" if i in right else "DEU" for i in range(n)],
            "status": "ok",
            "distance_km": 1.0,
        }
    )


def _params(
    form: str = "coords", split: str | None = "test", card: dict[str, object] | None = None
) -> str:
    params: dict[str, object] = {"form": form, "split": split}
    if card:
        params["finetune"] = card
    return json.dumps(params)


LINEAGE = {"sources": [{"source": "d/train", "n_samples": 8},
                       {"source": "d/extra", "n_samples": 20}]}  # fmt: skip
LEAK = {"override": True, "overlapping_samples": 3, "checked_samples": 10}


def _runs() -> pd.DataFrame:
    rows = [
        ("base-old", "org/base", "basic", _params(), 0),
        ("base-basic", "org/base", "basic", _params(), 1),  # the latest base run wins
        ("base-tips", "org/base", "tips", _params(), 2),
        ("base-train", "org/base", "basic", _params(split="train"), 3),  # other split
        ("other", "org/other", "basic", _params(), 4),  # another model
        ("ft-basic", "/m/ft", "basic",
         _params(card={"base_model": "org/base", "lineage": LINEAGE, "method": "lora-merged"}), 5),
        ("ft-tips", "/m/ft", "tips",
         _params(card={"base_model": "org/base", "dataset": "d", "split": "train",
                       "method": "full", "leakage": LEAK}), 6),
        ("ft-country", "/m/ft", "basic", _params("country", card={"base_model": "org/base"}), 7),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "name": [r[0] for r in rows],
            "dataset": "d",
            "model": [r[1] for r in rows],
            "prompt_strategy": [r[2] for r in rows],
            "params_json": [r[3] for r in rows],
            "started_at": pd.to_datetime([r[4] for r in rows], unit="s"),
        }
    ).sample(frac=1.0, random_state=3)  # stored order must not matter


def test_each_finetuned_run_is_paired_with_its_base_model_on_the_same_split_and_prompt() -> None:
    pairs = ftv.pair_finetuned_runs(_runs()).set_index("finetuned_run")
    assert pairs.loc["ft-basic", "base_run"] == "base-basic"
    assert pairs.loc["ft-tips", "base_run"] == "base-tips"
    assert is_missing(cell(pairs, "ft-country", "base_run"))  # no base run answered in that form
    assert pairs.loc["ft-basic", "trained_on"] == "d/train+d/extra (lora-merged)"
    assert pairs.loc["ft-tips", "trained_on"] == "d/train (full)"
    assert pairs.loc["ft-tips", "leakage"] and not pairs.loc["ft-basic", "leakage"]
    assert set(pairs["evaluated_on"]) == {"d/test"}


def test_table_figures_match_hand_computation() -> None:
    base = _frame([0, 1, 2, 3])  # 4 of 10 right
    tuned = _frame([0, 1, 2, 4, 5, 6, 7])  # 7 of 10: 4 gained (s4-s7), 1 lost (s3)
    frames = {"base-basic": base, "base-tips": base, "ft-basic": tuned, "ft-tips": base}

    def compare(a: str, b: str) -> object:
        return paired_comparison(frames[a], frames[b], n_resamples=200, seed=1)

    table = ftv.finetune_table(ftv.pair_finetuned_runs(_runs()), compare)
    row = table.set_index("finetuned_run").loc["ft-basic"]
    assert (row["base_accuracy"], row["finetuned_accuracy"]) == pytest.approx((0.4, 0.7))
    assert row["gain"] == pytest.approx(0.3) and row["n"] == 10
    assert (row["only_finetuned"], row["only_base"]) == (4, 1)
    assert row["mcnemar_p"] == pytest.approx(2 * (1 + 5) / 32)  # exact: 2 P(X <= 1), X~B(5, .5)
    assert row["gain_low"] <= 0.3 <= row["gain_high"]
    same = table.set_index("finetuned_run").loc["ft-tips"]
    assert same["gain"] == 0 and same["mcnemar_p"] == 1.0
    missing = table.set_index("finetuned_run").loc["ft-country"]
    assert np.isnan(missing["gain"]) and missing["n"] == 0

    cells = ftv.display_finetune_table(table)
    assert "+30.0 pts [" in " ".join(cells["gain (95% CI)"]) and "no base run" in set(
        cells["gain (95% CI)"]
    )
    assert set(cells["base model"]) == {"org/base"} and set(cells["fine-tuned"]) == {"ft"}
    assert "0.375" in set(cells["McNemar p"]) and "⚠" in set(cells["leakage"])
    assert len(cells) == 3


def test_evaluated_on_and_leakage_warning_come_from_the_params() -> None:
    context = ftv.run_context(_runs()).set_index("run")
    assert context.loc["base-train", "evaluated_on"] == "d/train"
    assert is_missing(cell(context, "ft-basic", "leakage_warning"))
    warning = text_at(context, "ft-tips", "leakage_warning")
    assert warning.startswith(ftv.LEAKAGE_MARK) and "3 of 10 samples" in warning
    assert ftv.evaluated_on("d", json.dumps({"split": None})) == "d/all"
    assert ftv.evaluated_on("d", None) == "d/all" and ftv.leakage_warning("not json") is None
    not_overridden = _params(card={"base_model": "b", "leakage": {**LEAK, "override": False}})
    assert ftv.leakage_warning(not_overridden) is None
