"""Dashboard data plumbing: every streamlit cache, the store, URL state.

The only module in pages/ with ``st.cache_*``. Caches are keyed on the database path plus a
freshness token (file size/mtime), so a run imported from the CLI shows up on the next rerun or
refresh, and on a run's fingerprint for the expensive per-run metrics.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analysis.config import Settings
from analysis.dashboard import data as dd
from analysis.dashboard.leaderboard import RunSummary, summarize_run
from analysis.dashboard.state import PARAM_KEYS, ViewState
from analysis.dashboard.text import inert
from analysis.errors import GeoScopeError
from analysis.store import Store
from analysis.viz.prediction_map import MapBuild

LOG = logging.getLogger("geoscope.dashboard")
BOOTSTRAP_RESAMPLES = 1000


# -- store and freshness ---------------------------------------------------------------------
def settings() -> Settings:
    """Resolve settings from the environment (GEOSCOPE_DB / GEOSCOPE_CACHE)."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def _store_for(db_path: str) -> Store:
    return Store(db_path)


def store() -> Store:
    """Return the Store for this server (one object per path; connections stay per call)."""
    return _store_for(str(settings().db_path))


def db_key() -> tuple[str, str]:
    """Return (db path, freshness token): the cache key of everything read from the store."""
    path = str(settings().db_path)
    return path, dd.db_token(path)


@st.cache_resource(show_spinner=False)
def _bootstrap_lock() -> threading.Lock:
    return threading.Lock()


def ensure_database() -> None:
    """On first launch (no database file), create it and load the simulated demo."""
    cfg = settings()
    if cfg.db_path.exists():
        return
    with _bootstrap_lock():
        if cfg.db_path.exists():  # another session created it while we waited
            return
        from analysis.demo import load_demo

        try:
            with st.spinner("First launch: creating the database and loading the SIMULATED demo…"):
                load_demo(Store(cfg.db_path), cfg.cache_dir)
        except GeoScopeError as exc:
            st.error(f"Could not create the demo database at {inert(cfg.db_path)}: {inert(exc)}")
        st.cache_data.clear()


# -- cached reads ----------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def _list_runs(path: str, token: str) -> pd.DataFrame:
    return _store_for(path).list_runs()


@st.cache_data(show_spinner=False, max_entries=32)
def _list_datasets(path: str, token: str) -> pd.DataFrame:
    return _store_for(path).list_datasets()


def list_runs() -> pd.DataFrame:
    """Return every run (``Store.list_runs``), fresh after any write."""
    return _list_runs(*db_key())


def list_datasets() -> pd.DataFrame:
    """Return every dataset (``Store.list_datasets``), fresh after any write."""
    return _list_datasets(*db_key())


# cache_resource, not cache_data: a 1M-row frame is shared, not copied on every rerun. Callers
# must treat it as read-only (filters and builders return new frames).
@st.cache_resource(show_spinner="Loading predictions…", max_entries=12, ttl=3600)
def _runs_frame(path: str, token: str, runs: tuple[str, ...]) -> pd.DataFrame:
    from analysis.metrics import add_continents

    frame = _store_for(path).runs_frame(list(runs))
    return add_continents(frame) if not frame.empty else frame


def runs_frame(runs: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Return the stacked evaluation frames of ``runs`` with continents added."""
    return _runs_frame(*db_key(), tuple(runs))


@st.cache_data(show_spinner="Computing metrics and 95% intervals…", max_entries=512)
def _summary(path: str, run: str, fingerprint: str, n_resamples: int) -> RunSummary:
    frame = _store_for(path).run_frame(run)
    return summarize_run(frame, run, n_resamples=n_resamples)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _filter_options(path: str, token: str, runs: tuple[str, ...]) -> dict[str, list[object]]:
    from analysis.dashboard.filters import filter_options

    return filter_options(_runs_frame(path, token, runs))


def filter_options(runs: list[str] | tuple[str, ...]) -> dict[str, list[object]]:
    """Return the values each map filter can take for these runs."""
    return _filter_options(*db_key(), tuple(runs))


@st.cache_resource(show_spinner="Computing accuracy curves…", max_entries=16, ttl=3600)
def _curves(path: str, token: str, runs: tuple[str, ...]) -> pd.DataFrame:
    frame = _runs_frame(path, token, runs)
    return dd.accuracy_curves({str(r): part for r, part in frame.groupby("run", sort=False)})


def accuracy_curves(runs: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Return run, threshold_km, share for each run."""
    return _curves(*db_key(), tuple(runs))


def run_summaries(runs: pd.DataFrame) -> dict[str, RunSummary]:
    """Return metrics + CIs per run, cached per run fingerprint (new runs computed on demand)."""
    path = str(settings().db_path)
    return {
        str(row["name"]): _summary(
            path, str(row["name"]), dd.run_fingerprint(row), BOOTSTRAP_RESAMPLES
        )
        for row in runs.to_dict("records", into=dict[str, Any]())
    }


@st.cache_data(show_spinner=False, max_entries=256)
def _sample_predictions(path: str, token: str, dataset: str, sample_id: str) -> pd.DataFrame:
    return _store_for(path).sample_predictions(dataset, sample_id)


def sample_predictions(dataset: str, sample_id: str) -> pd.DataFrame:
    """Return every run's answer for one image (raw responses included)."""
    return _sample_predictions(*db_key(), dataset, sample_id)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)  # read-only; cache_data: ~1 s/call
def _dataset_samples(path: str, token: str, dataset: str) -> pd.DataFrame:
    return _store_for(path).dataset_samples(dataset)


def dataset_samples(dataset: str) -> pd.DataFrame:
    """Return the samples of a dataset."""
    return _dataset_samples(*db_key(), dataset)


@st.cache_data(show_spinner="Comparing the two runs…", max_entries=32)
def _paired(path: str, token: str, run_a: str, run_b: str) -> Any:
    from analysis.metrics import paired_comparison

    store = _store_for(path)
    return paired_comparison(
        store.run_frame(run_a), store.run_frame(run_b), n_resamples=BOOTSTRAP_RESAMPLES
    )


def paired(run_a: str, run_b: str) -> Any:
    """Return the PairedComparison of two runs (A minus B)."""
    return _paired(*db_key(), run_a, run_b)


@st.cache_data(show_spinner="Ranking where the two runs differ…", max_entries=32)
def _slices(path: str, token: str, run_a: str, run_b: str, by: str) -> pd.DataFrame:
    from analysis.metrics.slices import rank_slices

    frame = _runs_frame(path, token, (run_a, run_b))
    return rank_slices(frame[frame["run"] == run_a], frame[frame["run"] == run_b], by)


def slices(run_a: str, run_b: str, by: str) -> pd.DataFrame:
    """Return the slices of ``by`` ranked by the paired difference A minus B (with CIs)."""
    return _slices(*db_key(), run_a, run_b, by)


def clear_caches() -> None:
    """Forget cached data (after the dashboard itself wrote to the database)."""
    st.cache_data.clear()
    st.cache_resource.clear()


@st.cache_resource(show_spinner="Reading country polygons…")
def country_shapes() -> pd.DataFrame:
    """Return simplified country rings for drawing (read once per server)."""
    from analysis.geo.countries import DRAWING_SIMPLIFY_DEG, world_polygons
    from analysis.viz.deck import polygon_records

    drawn = world_polygons(DRAWING_SIMPLIFY_DEG, shared_edges=True, cache_dir=settings().cache_dir)
    return polygon_records(drawn)


@st.cache_resource(show_spinner=False)
def country_names() -> dict[str, str]:
    """Return iso3 -> country name."""
    return dd.name_lookup()


@st.cache_resource(show_spinner=False)
def country_points() -> pd.DataFrame:
    """Return iso3, rep_lat, rep_lon of every country (for labels on maps)."""
    from analysis.geo.countries import countries_frame

    return countries_frame()[["iso3", "rep_lat", "rep_lon"]]


def _state_key(state: ViewState) -> tuple[tuple[str, tuple[str, ...]], ...]:
    fresh = ViewState()  # fields the map does not read are reset: they must not split its cache
    unread = ("sample", "present", "metric", "run_a", "run_b", "lb_datasets", "level")
    kept = state.with_(**{f: getattr(fresh, f) for f in (*unread, "matrix_top", "matrix_order")})
    params = kept.to_params()
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in params.items()))


@dataclass(frozen=True)
class MapView:
    """Everything the map page draws for one state: the map, counts and the failure table."""

    build: MapBuild
    n_filtered: int
    n_images: int
    worst: pd.DataFrame
    export_rows: pd.DataFrame


@st.cache_resource(show_spinner="Drawing the map…", max_entries=8, ttl=3600)
def _map_view(path: str, token: str, key: tuple[Any, ...], aggregate: bool) -> MapView:
    from analysis.dashboard.filters import apply_filters, line_mask, worst_failures
    from analysis.dashboard.names import display_names
    from analysis.viz.colors import palette
    from analysis.viz.prediction_map import MAX_POINTS, prediction_map

    state = ViewState.from_params({k: list(v) for k, v in key})
    frame = apply_filters(_runs_frame(path, token, state.runs), state)
    names = _list_runs(path, token)
    colors = palette(_dataset_of(names), state.runs)
    build = prediction_map(
        frame,
        colors,
        country_shapes(),
        aggregate=aggregate,
        line_mask=line_mask(frame, state),
        labels=display_names(names),
    )
    rows = build.drawn
    if rows.empty and not frame.empty:  # aggregated: exports get a seeded sample instead
        rows = frame.sample(n=min(len(frame), MAX_POINTS), random_state=0).assign(line=False)
    return MapView(
        build, len(frame), int(frame["sample_id"].nunique()), worst_failures(frame, k=200), rows
    )


def _dataset_of(runs: pd.DataFrame) -> dict[str, str]:
    return dict(zip(runs["name"].astype(str), runs["dataset"].astype(str), strict=True))


def run_palette(runs: pd.DataFrame, shown: Sequence[str]) -> dict[str, Any]:
    """Colours of the shown runs: the same on every page and export, never two alike on one chart."""
    from analysis.viz.colors import palette

    return palette(_dataset_of(runs), shown)


def map_view(state: ViewState, aggregate: bool) -> MapView:
    """Return the (cached) failure map, counts and worst failures for the state's filters."""
    return _map_view(*db_key(), _state_key(state), aggregate)


def with_highlight(build: MapBuild, runs: tuple[str, ...], sample_id: str) -> MapBuild:
    """Add the selected image's highlight (every selected run's line) to a built map."""
    from analysis.viz.prediction_map import with_highlight as add

    frame = runs_frame(runs)
    return add(build, frame[frame["sample_id"] == sample_id])


@dataclass(frozen=True)
class CompareView:
    """The compare page's disagreement data: outcomes per image and their map."""

    outcomes: pd.DataFrame
    shown: pd.DataFrame
    deck: Any
    note: str


@st.cache_resource(show_spinner="Pairing the two runs…", max_entries=8, ttl=3600)
def _compare_view(path: str, token: str, run_a: str, run_b: str) -> CompareView:
    from analysis.viz.prediction_map import MAX_POINTS, disagreement_map

    frame = _runs_frame(path, token, (run_a, run_b))
    outcomes = dd.paired_outcomes(frame[frame["run"] == run_a], frame[frame["run"] == run_b])
    shown = outcomes[outcomes["outcome"].isin(["only_a", "only_b"])]
    note = ""
    if len(shown) > MAX_POINTS:
        note = (
            f"Showing a random sample of {MAX_POINTS:,} of the {len(shown):,} images where "
            "exactly one run is right (seed 0)."
        )
        shown = shown.sample(n=MAX_POINTS, random_state=0)
    deck = disagreement_map(shown, country_shapes(), labels=(run_a, run_b))
    return CompareView(outcomes, shown, deck, note)


def compare_view(run_a: str, run_b: str) -> CompareView:
    """Return the (cached) disagreement data and map of two runs."""
    return _compare_view(*db_key(), run_a, run_b)


@dataclass(frozen=True)
class CountryTables:
    """The countries page's tables for one run (and the per-continent CIs of several)."""

    stats: pd.DataFrame
    matrix: pd.DataFrame
    counts: pd.DataFrame
    confusions: pd.DataFrame
    continents: pd.DataFrame


@st.cache_resource(show_spinner="Computing per-country figures…", max_entries=16, ttl=3600)
def _country_tables(
    path: str,
    token: str,
    runs: tuple[str, ...],
    metric: str,
    level: str,
    top_n: int | None,
    order: str,
) -> CountryTables:
    from analysis.metrics import confusion_matrix, top_confusions
    from analysis.metrics.data import prepare

    frame = _runs_frame(path, token, runs)
    frames = {str(r): part for r, part in frame.groupby("run", sort=False)}
    focus = frames.get(runs[0], frame.iloc[0:0])
    data = prepare(focus, cluster=None)  # factorised once for both matrices
    counts = confusion_matrix(data, top_n=top_n, level=level, normalize=False, order=order)
    totals = counts.sum(axis=1).replace(0, 1)
    return CountryTables(
        dd.country_stats(focus, metric),
        counts.div(totals, axis=0),
        counts,
        top_confusions(data, k=15, level="country"),
        dd.continent_intervals({r: frames[r] for r in runs if r in frames}, metric),
    )


def country_tables(
    runs: tuple[str, ...], metric: str, level: str, top_n: int | None, order: str = "continent"
) -> CountryTables:
    """Return the (cached) per-country stats, confusions (None: all labels), continent CIs."""
    return _country_tables(*db_key(), tuple(runs), metric, level, top_n, order)


@st.cache_resource(show_spinner=False)
def map_label_points() -> pd.DataFrame:
    """Return label points of the countries large enough on the map to carry a count."""
    from analysis.viz.choropleth import label_points

    return label_points(country_shapes(), country_points())


# -- URL state -------------------------------------------------------------------------------
_LAST_STATE = "_geoscope_last_state"


def view_state() -> ViewState:
    """Read the page state from the URL; dataset and runs carry over from the last page."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state = ViewState.from_params(params)
    last = st.session_state.get(_LAST_STATE)
    # sidebar navigation drops the query string: keep the user's dataset and runs across pages
    if isinstance(last, ViewState) and "dataset" not in params and "runs" not in params:
        state = state.with_(dataset=last.dataset, runs=last.runs)
    return state


def write_url(state: ViewState) -> None:
    """Put the page state into the URL (only keys that changed are rewritten)."""
    if st.session_state.get(_PRESENT_KEY):  # every page keeps the mode in the link it writes
        state = state.with_(present=True)
    st.session_state[_LAST_STATE] = state
    wanted = state.to_params()
    current = {k: st.query_params.get_all(k) for k in st.query_params if k in PARAM_KEYS}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)


_PRESENT_KEY = "_geoscope_present"


def presentation_mode() -> bool:
    """Return True in presentation mode: asked by the URL (``?present=1``), kept for the session.

    Sticky: a link or widget that rewrites the URL without ``present`` keeps it (exit_control).
    """
    if view_state().present:
        st.session_state[_PRESENT_KEY] = True
    return bool(st.session_state.get(_PRESENT_KEY, False))


def exit_presentation() -> None:
    """Leave presentation mode: forget the session flag and drop ``present`` from the URL."""
    st.session_state[_PRESENT_KEY] = False
    if "present" in st.query_params:
        del st.query_params["present"]
