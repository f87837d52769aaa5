"""Data: what the database holds, and one-click removal (or reload) of the simulated demo."""

from __future__ import annotations

import streamlit as st

from analysis.dashboard.inventory import dataset_summary, run_summary
from analysis.dashboard.leaderboard import run_field
from analysis.dashboard.names import alias_of, display_names, set_alias
from analysis.dashboard.simulated import any_simulated
from analysis.dashboard.text import count_noun, inert_table
from analysis.demo import load_demo, remove_demo
from pages import _shared as sh
from pages import _ui as ui


def _alias_form(runs: object) -> None:
    """Let the user set a run's short display name (shown in every table, legend and title)."""
    import pandas as pd

    assert isinstance(runs, pd.DataFrame)
    if runs.empty:
        return
    with st.expander("Rename a run for display", icon=":material/label:"):
        st.caption(
            "A short name shown in every table, legend, title and export; the full run name "
            "stays on hover and in CSV files. Empty removes it. "
            'Command line: `python -m analysis alias RUN "Label"`.'
        )
        names = runs["name"].astype(str).tolist()
        run = st.selectbox("Run", names, key="alias_run")
        current = alias_of(runs.loc[runs["name"] == run, "params_json"].iloc[0])
        with st.form("alias_form", border=False):
            label = st.text_input(
                "Display name", value=current or "", max_chars=48, key=f"alias_text_{run}"
            )
            if st.form_submit_button("Save", icon=":material/save:"):
                stored = set_alias(sh.store(), str(run), label)
                sh.clear_caches()
                ui.flash(
                    f"Run {run} is now shown as {stored}" if stored else f"Alias of {run} removed"
                )
                st.rerun()


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    st.title("Data")
    ui.show_flash()
    ui.db_path_caption()
    datasets = sh.list_datasets()
    runs = sh.list_runs()
    flags = [*runs["is_simulated"].tolist(), *datasets["is_simulated"].tolist()]
    simulated = any_simulated(flags)
    ui.simulated_badge(flags, "See the rows marked SIMULATED below.")
    st.subheader("Datasets")
    # presentation mode: static tables, as large as the rest of the text (the grid's is small)
    if present:
        st.table(inert_table(dataset_summary(datasets)), hide_index=True)
    else:
        st.dataframe(datasets, hide_index=True, width="stretch")
    st.subheader("Runs")
    runs = runs.assign(label=runs["name"].astype(str).map(display_names(runs)))
    cols = [
        c
        for c in (
            "label",
            "name",
            "dataset",
            "model",
            "prompt_strategy",
            "is_simulated",
            "n_predictions",
            "n_ok",
            "started_at",
            "finished_at",
            "source",
        )
        if c in runs
    ]
    runs = runs.assign(**{c: run_field(runs, c) for c in ("model", "prompt_strategy") if c in runs})
    if present:
        st.table(inert_table(run_summary(runs)), hide_index=True)
        ui.csv_button(runs[cols], "runs", present)
        return
    st.dataframe(runs[cols], hide_index=True, width="stretch")
    ui.csv_button(runs[cols], "runs", present)
    _alias_form(runs)
    st.subheader("Simulated demo")
    if simulated:
        st.write(
            "Delete every simulated dataset and run (real data is not touched). "
            "Command line: `python -m analysis demo --remove`."
        )
        if st.button(
            "Remove simulated data", type="primary", icon=":material/delete:", key="rm_demo"
        ):
            cfg = sh.settings()
            removed = remove_demo(sh.store(), cfg.cache_dir)
            sh.clear_caches()
            ui.flash(
                f"Removed the simulated demo ({count_noun(removed, 'dataset or run', 'datasets and runs')}); real data is untouched."
            )
            st.rerun()
    else:
        st.write(
            "No simulated data is loaded. Load it to explore the dashboard without real "
            "runs (`python -m analysis demo`)."
        )
        if st.button("Load simulated demo", icon=":material/science:", key="load_demo"):
            cfg = sh.settings()
            with st.spinner("Generating the simulated demo…"):
                loaded = load_demo(sh.store(), cfg.cache_dir)
            sh.clear_caches()
            ui.flash(
                f"Loaded the simulated demo: {count_noun(len(loaded.runs), 'run')} on "
                f"{count_noun(loaded.n_samples, 'sample')}, every one labelled SIMULATED."
            )
            st.rerun()
    st.subheader("Add real runs")
    st.code(
        "python -m analysis collect streetview ...  # build a dataset (or: collect mapillary)\n"
        "python -m analysis import-dataset ...      # a benchmark's images and truth\n"
        "python -m analysis import ...              # predictions from a JSONL/CSV/LLMGeo file\n"
        "python -m analysis run ...                 # run a model with a prompt strategy\n"
        "python -m analysis sweep ...               # models x prompt strategies, as in LLMGeo\n"
        "python -m analysis finetune ... --evaluate test  # train an open model, benchmark it",
        language="bash",
    )
    st.caption("New runs appear here and on every page after a refresh of the browser tab.")


ui.guarded(body)
