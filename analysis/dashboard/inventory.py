"""What the database holds, as compact tables for a room: the Data page in presentation mode.

The Data page's grids show every stored column at the grid's small fixed type; presentation
mode draws these summaries as static tables (``text.inert_table``) instead: a few columns under
plain titles, counts as numbers, flags and times as short text.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

# stored column -> title, in the order shown
DATASET_SUMMARY: Mapping[str, str] = {
    "name": "Dataset",
    "kind": "Kind",
    "n_samples": "Images",
    "n_locations": "Places",
    "n_countries": "Countries",
    "n_runs": "Runs",
    "is_simulated": "Simulated",
}
RUN_SUMMARY: Mapping[str, str] = {
    "label": "Run",
    "dataset": "Dataset",
    "model": "Model",
    "prompt_strategy": "Prompt",
    "n_predictions": "Predictions",
    "n_ok": "Answered",
    "finished_at": "Finished",
    "is_simulated": "Simulated",
}
SIMULATED_MARK = "SIMULATED"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def dataset_summary(datasets: pd.DataFrame) -> pd.DataFrame:
    """Return the datasets (``Store.list_datasets``) as a short table under plain titles."""
    return _summary(datasets, DATASET_SUMMARY)


def run_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Return the runs (``Store.list_runs`` plus a display ``label``) as a short table."""
    return _summary(runs, RUN_SUMMARY)


def _summary(frame: pd.DataFrame, titles: Mapping[str, str]) -> pd.DataFrame:
    """Keep the titled columns that exist; flags become a word, times a minute-precise string."""
    out = pd.DataFrame(index=frame.index)
    for column, title in titles.items():
        if column not in frame:
            continue
        values = frame[column]
        if column == "is_simulated":
            out[title] = values.fillna(False).astype(bool).map({True: SIMULATED_MARK, False: ""})
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[title] = values.dt.strftime(TIME_FORMAT).astype(object).where(values.notna(), None)
        else:
            out[title] = values
    return out.reset_index(drop=True)
