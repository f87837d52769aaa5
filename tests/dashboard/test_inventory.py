"""The Data page's presentation tables: chosen columns, plain titles, short flags and times."""

from __future__ import annotations

import pandas as pd

from analysis.dashboard.inventory import SIMULATED_MARK, dataset_summary, run_summary
from analysis.dashboard.text import inert_table


def test_run_summary_keeps_few_columns_and_prints_flags_and_times_short() -> None:
    runs = pd.DataFrame(
        {
            "name": ["gpt-4o-basic", "sim-a"],
            "label": ["gpt-4o · basic", "sim-a"],
            "dataset": ["llmgeo-test", "sim-demo"],
            "model": ["gpt-4o", "sim"],
            "prompt_strategy": ["basic", None],
            "params_json": ["{}", "{}"],
            "is_simulated": [False, True],
            "n_predictions": [998, 222],
            "n_ok": [990, 104],
            "finished_at": pd.to_datetime(pd.Series(["2026-12-06 21:41:03", None])),
        }
    )
    shown = run_summary(runs)
    assert list(shown.columns) == [
        "Run", "Dataset", "Model", "Prompt", "Predictions", "Answered", "Finished", "Simulated",
    ]  # fmt: skip
    assert shown.iloc[0].tolist() == [
        "gpt-4o · basic", "llmgeo-test", "gpt-4o", "basic", 998, 990, "2026-12-06 21:41", "",
    ]  # fmt: skip
    assert shown["Simulated"].tolist() == ["", SIMULATED_MARK]
    # what is missing prints as the tables' dash; counts stay numbers (right-aligned)
    printed = inert_table(shown).to_html()
    assert printed.count(">–<") == 2  # no prompt, not finished
    assert shown["Answered"].dtype.kind == "i"


def test_dataset_summary_skips_columns_an_older_store_lacks() -> None:
    datasets = pd.DataFrame(
        {"name": ["osv-best"], "kind": ["csv"], "n_samples": [50], "is_simulated": [None]}
    )
    shown = dataset_summary(datasets)
    assert list(shown.columns) == ["Dataset", "Kind", "Images", "Simulated"]
    assert shown.iloc[0].tolist() == ["osv-best", "csv", 50, ""]
