"""Dashboard UI helpers: the error guard, badges, legends, exports, presentation style.

Caching lives in ``_shared``; this module draws. ``guarded`` also hands a page started by
Streamlit's legacy multipage mode over to app.py (see the note below).
"""

from __future__ import annotations

import logging
import runpy
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.dashboard.finetune_view import leakage_warnings
from analysis.dashboard.simulated import simulated_notice
from analysis.dashboard.state import ViewState, resolve_names
from analysis.dashboard.text import inert, legend_html
from analysis.errors import CorruptDatabaseError, GeoScopeError, StoreError
from pages._map_fit import fitted_deck_chart, measure_maps
from pages._shared import exit_presentation, presentation_mode, settings, store

LOG = logging.getLogger("geoscope.dashboard")
APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"

# Streamlit treats an app beside a folder named pages/ as a legacy (v1) multipage app until a run
# calls st.navigation (documented: once st.navigation is used, pages/ is ignored). Only one case
# runs a page file before any st.navigation call: a deep link (/map) as the server's very first
# request (and every AppTest run, which starts each run afresh). Then v1 runs pages/map.py by
# itself; ``guarded`` notices that app.py did not start this run and runs app.py in its place,
# whose st.navigation switches the legacy mode off for good and routes to the same page. Only
# public API: no Streamlit internals are touched.
_RUN = threading.local()


def mark_app_run() -> None:
    """Record that app.py (and so st.navigation) drives the current run."""
    _RUN.via_app = True


def _started_by_app() -> bool:
    via_app = bool(getattr(_RUN, "via_app", False))
    _RUN.via_app = False
    return via_app


PRESENT_CSS = """
<style>
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stCaptionContainer"] { font-size: 1.3rem !important; }
/* metric values: at least as large as in normal mode (2.25rem), never shrunk by the rule above */
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"],
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"] * {
  font-size: 2.8rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
h1 { font-size: 3.2rem !important; line-height: 1.25 !important; padding-top: 0.5rem !important; }
h2, h3 { font-size: 2.1rem !important; line-height: 1.3 !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
/* the header bar is empty here; below it the h1 was clipped by the container's top edge */
[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; max-width: 96vw; }
[data-testid="stDataFrame"] { font-size: 1.2rem; }
/* the controls a page keeps (the live panel's photo, models, prompt): their values and hints */
[data-testid="stMainBlockContainer"] [data-testid="stSelectbox"] input,
[data-testid="stMainBlockContainer"] [data-testid="stMultiSelect"] input,
[data-testid="stMultiSelectTagsContainer"] [data-tag], [data-testid="stMultiSelectTagsContainer"] [data-tag] *,
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 1.2rem !important; }
/* a map leaves room on screen for the title and captions above it and its legend below
   (about 460 px in all at 1440x900): deck.gl redraws at the new size; the floor is
   analysis.viz.deck.PRESENT_MAP_MIN_HEIGHT_PX, the height its presentation view fits */
[data-testid="stElementContainer"]:has(> * > [data-testid="stDeckGlJsonChart"]),
[data-testid="stFullScreenFrame"]:has(> [data-testid="stDeckGlJsonChart"]),
[data-testid="stDeckGlJsonChart"], [data-testid="stDeckGlJsonChart"] > div:not([data-testid]) {
  max-height: max(420px, calc(100vh - 460px)) !important; }
.geoscope-legend { font-size: 1.1rem !important; }
/* a model's answer with its clues marked (analysis.dashboard.clues.ANSWER_CLASS) */
.geoscope-answer { font-size: 1.15rem !important; }
/* plain text (st.text: untrusted names, e.g. the gallery cards' truth and guesses) */
[data-testid="stText"], [data-testid="stText"] * { font-size: 1.2rem !important; }
/* the static tables drawn instead of grids (the leaderboard's headline table) */
[data-testid="stTable"] th, [data-testid="stTable"] td,
[data-testid="stTable"] th *, [data-testid="stTable"] td * { font-size: 1.25rem !important; }
</style>
"""
PRESENT_FONT_PX = 20


def deck_chart(deck: Any, present: bool, key: str, **kwargs: Any) -> Any:
    """Draw a pydeck map; in presentation mode it opens on the view that fills its screen."""
    if present:
        return fitted_deck_chart(deck, key=key, **kwargs)
    return st.pydeck_chart(deck, key=key, **kwargs)


def presentation_link(page: Any) -> None:
    """Offer the current view in presentation mode (same URL plus ``present=1``)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    params["present"] = ["1"]
    st.sidebar.page_link(
        page,
        label="Presentation mode",
        icon=":material/slideshow:",
        query_params=params,
        help="Large type, no controls; the link keeps this view. Leave it with the Exit button.",
    )


def apply_presentation_style() -> None:
    """Enlarge type and hide chrome in presentation mode."""
    st.html(PRESENT_CSS)


def exit_control() -> None:
    """Draw the control that leaves presentation mode (top right of the page)."""
    left, right = st.columns([10, 3])
    with left:
        measure_maps()  # draws nothing: sizes this page's map to the screen (pages/_map_fit.py)
    with right:
        st.button(
            "Exit presentation",
            icon=":material/close_fullscreen:",
            key="exit_present",
            on_click=exit_presentation,
            help="Back to the dashboard with its controls (same view).",
        )


# -- guard, badges ---------------------------------------------------------------------------
def guarded(body: Callable[[], None]) -> None:
    """Run a page body; show user errors as messages, never as a traceback."""
    if not _started_by_app():
        # legacy v1 start (see the note at the top): let app.py and its st.navigation drive it
        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        return
    try:
        body()
    except CorruptDatabaseError as exc:  # not transient: waiting and refreshing cannot help
        st.error(inert(exc))
    except StoreError as exc:
        st.warning(
            f"The database is busy or unavailable right now: {inert(exc)}\n\n"
            "If a CLI import or run is writing, wait a moment and refresh the page."
        )
    except GeoScopeError as exc:
        st.error(inert(exc))  # messages quote file names, run names and provider errors
    except Exception as exc:  # a bug: keep the page alive, put the traceback in the server log
        LOG.exception("page failed")
        st.error(
            f"Unexpected error ({inert(type(exc).__name__)}): {inert(exc)}. The full traceback is in the "
            "terminal running streamlit; please report it."
        )


_FLASH_KEY = "_geoscope_flash"


def flash(message: str) -> None:
    """Keep a success message for the next run (``st.rerun`` would wipe one shown now)."""
    st.session_state[_FLASH_KEY] = message


def show_flash() -> None:
    """Show, once, the message a previous run left with ``flash``."""
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(inert(message))


def simulated_badge(flags: bool | Iterable[object], where: str = "") -> None:
    """Show a visible SIMULATED badge and note when simulated data is on screen.

    ``flags``: the shown runs' ``is_simulated`` flags (or one flag for them all). The note says
    whether all of them or only some are simulated (``analysis.dashboard.simulated``); ``where``
    is a sentence that follows it ("See the rows marked SIMULATED below.").
    """
    note = simulated_notice([flags] if isinstance(flags, bool) else flags, presentation_mode())
    if not note:
        return
    st.badge("SIMULATED DATA", icon=":material/science:", color="orange")
    st.caption(note + (f" {inert(where)}" if where else ""))


def run_warnings(runs: pd.DataFrame, names: list[str] | tuple[str, ...]) -> None:
    """Warn on every view that a shown run was scored on places its model was trained on."""
    for line in leakage_warnings(runs, names):
        st.warning(inert(line), icon=":material/warning:")


def simulated_flags(runs: pd.DataFrame, names: list[str] | tuple[str, ...]) -> pd.Series:
    """Return the named runs' ``is_simulated`` flags (unknown counts as real)."""
    flags = runs.loc[runs["name"].isin(list(names)), "is_simulated"]
    return flags.fillna(False).astype(bool)


def runs_are_simulated(runs: pd.DataFrame, names: list[str] | tuple[str, ...]) -> bool:
    """Return True when any of the named runs is simulated."""
    return bool(simulated_flags(runs, names).any())


# -- exports ---------------------------------------------------------------------------------
def show_chart(
    fig: Any,
    name: str,
    present: bool,
    key: str | None = None,
    simulated: bool | pd.Series = False,
    grow: bool = True,
    wide: bool = False,
    **kwargs: Any,
) -> Any:
    """Draw a plotly figure; offer PNG (slide look, >= 1600 px) and standalone HTML exports.

    ``simulated`` (one flag, or the drawn runs' ``is_simulated`` flags) puts "(SIMULATED data)"
    or, for a mix of real and simulated runs, "(includes SIMULATED runs)" in the title, so
    exported PNG/HTML keep the label. In presentation mode the figure gets the presentation
    theme (``analysis.viz.theme``: >= 18 px dark text); ``grow=False`` keeps its height.
    Titles wrap at a width fit for half the page; ``wide`` (a chart across the page) lets
    them run twice as long.
    """
    from analysis.dashboard.simulated import simulated_note
    from analysis.viz.charts import plotly_config
    from analysis.viz.theme import (
        NORMAL_TITLE_CHARS,
        PRESENT_TITLE_CHARS,
        fit_title,
        presentation,
    )

    note = simulated_note([simulated] if isinstance(simulated, bool) else simulated.tolist())
    if note:
        fig.update_layout(title_text=f"{fig.layout.title.text or ''} {note}".strip())
    if present:
        presentation(fig, PRESENT_FONT_PX, grow=grow)
    chars = PRESENT_TITLE_CHARS if present else NORMAL_TITLE_CHARS
    fit_title(fig, 2 * chars if wide else chars)
    event = st.plotly_chart(fig, config=plotly_config(name), key=key, **kwargs)
    if not present:
        chart_exports(fig, name, key or name)
    return event


def chart_exports(fig: Any, name: str, key: str) -> None:
    """Offer one chart as PNG (rendered on the server, slide look) and standalone HTML."""
    from analysis.viz.export import figure_html, figure_png, static_export_problem

    left, right, _ = st.columns([1, 1, 6])
    problem = static_export_problem()
    with left:
        if problem is None:
            _download(
                "PNG",
                lambda: figure_png(fig),
                f"{name}.png",
                key=f"dl-png-{key}",
                help_text="1600 px wide, large dark text for slides (rendered by kaleido with "
                "the local Chrome/Chromium).",
            )
        else:
            st.caption(inert(f"PNG: {problem}; use the chart's camera icon."))
    with right:
        _download(
            "HTML",
            lambda: figure_html(fig),
            f"{name}.html",
            key=f"dl-html-{key}",
            help_text="Standalone HTML with plotly.js packed inside (~2 MB, opens offline from disk).",
        )


_MIME_BY_SUFFIX = {".html": "text/html", ".csv": "text/csv", ".png": "image/png"}


def _download(
    label: str, data: Callable[[], bytes | str], file_name: str, key: str, help_text: str = ""
) -> None:
    """Offer a file built lazily on click, without rerunning the page."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=_MIME_BY_SUFFIX.get(Path(file_name).suffix, "application/octet-stream"),
        on_click="ignore",
        icon=":material/download:",
        key=key,
        help=help_text or None,
    )


def csv_button(frame: pd.DataFrame, name: str, present: bool, key: str | None = None) -> None:
    """Offer a table as CSV."""
    from analysis.viz.export import frame_csv

    if not present:
        _download("CSV", lambda: frame_csv(frame), f"{name}.csv", key=f"dl-csv-{key or name}")


def map_exports(
    make_png: Callable[[], bytes], make_html: Callable[[], str], name: str, present: bool
) -> None:
    """Offer a map as PNG (rendered here) and standalone HTML (offline-capable)."""
    if present:
        return
    left, right, _ = st.columns([1, 1, 6])
    with left:
        _download("PNG", make_png, f"{name}.png", key=f"dl-png-{name}")
    with right:
        _download(
            "HTML",
            make_html,
            f"{name}.html",
            key=f"dl-maphtml-{name}",
            help_text="Standalone plotly page (outlines, points, error lines); opens offline.",
        )


def legend(items: list[tuple[str, tuple[int, int, int]]], title: str = "") -> None:
    """Draw a one-line colour legend, `title` first when given (labels are escaped)."""
    st.html(legend_html(items, title))


def empty_state() -> None:
    """Explain what to do when the database holds no runs."""
    st.info(
        "No runs in the database yet. Import one with `python -m analysis import ...`, run a "
        "benchmark with `python -m analysis run ...`, or load the simulated demo from the Data "
        "page (`python -m analysis demo`)."
    )


def db_path_caption() -> None:
    """Show which database the dashboard reads."""
    st.caption(f"Database: {inert(Path(settings().db_path))}")


def dataset_names(runs: pd.DataFrame) -> list[str]:
    """Datasets that have runs: real ones first (alphabetical), then simulated ones."""
    flags = runs.groupby("dataset")["is_simulated"].agg(
        lambda s: bool(s.fillna(False).astype(bool).all())
    )
    return sorted(flags.index.astype(str), key=lambda name: (bool(flags[name]), name))


def pick_dataset(datasets: list[str], state: ViewState, key: str = "dataset") -> str:
    """Dataset selector defaulting to the URL's dataset."""
    index = datasets.index(state.dataset) if state.dataset in datasets else 0
    return str(st.selectbox("Dataset", datasets, index=index, key=key))


def default_runs(runs: pd.DataFrame, state: ViewState, dataset: str, limit: int = 3) -> list[str]:
    """Runs from the URL when valid for the dataset, else the first ``limit`` runs of it."""
    names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
    chosen, missing = resolve_names(state.runs, names)
    if missing:
        ignored = ", ".join(inert(name) for name in missing)
        st.warning(f"Not in dataset {inert(repr(dataset))}, ignored: {ignored}")
    return chosen or names[:limit]


def frames_by_run(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split a stacked runs frame into one frame per run (order kept)."""
    return {str(run): part for run, part in frame.groupby("run", sort=False)}


def pick_runs(
    runs: pd.DataFrame,
    state: ViewState,
    dataset: str,
    key: str,
    labels: Mapping[str, str],
    label: str = "Runs",
) -> list[str]:
    """Run multiselect for one dataset, seeded from the URL and pruned to that dataset's runs.

    Options are run names (what the URL carries) shown by their display labels, so every page
    names a run the same way.
    """
    names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
    widget_state(key, default_runs(runs, state, dataset))
    st.session_state[key] = [r for r in st.session_state[key] if r in names]
    shown = lambda r: labels.get(r, r)  # noqa: E731
    return list(st.multiselect(inert(label), names, key=key, format_func=shown))


def widget_state(key: str, default: Any) -> Any:
    """Seed a widget's session value from the URL once, then let the widget own it."""
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


def as_mapping(obj: Any) -> Mapping[str, Any]:
    """Return a widget event's selection as a plain mapping (AppTest and browser differ)."""
    if obj is None:
        return {}
    if isinstance(obj, Mapping):
        return obj
    try:
        return dict(obj)
    except (TypeError, ValueError):
        return {}


def report_button(runs: list[str], key: str) -> None:
    """Offer the static report of some runs as a zip (built on click, like ``report``)."""
    st.subheader("Static report")
    choice = st.multiselect(
        "Runs in the report (the first gets the country pages; two: a comparison)",
        runs,
        default=runs[:2],
        key=f"{key}_runs",
        max_selections=8,
    )
    if not choice:
        st.caption("Choose at least one run.")
        return

    def build() -> bytes:
        from analysis.report import report_zip

        return report_zip(store(), choice)

    _download(
        "Report (zip)",
        build,
        "geoscope-report.zip",
        key=f"dl-{key}",
        help_text="index.html (opens offline from disk) with the leaderboard, failure map, "
        "country map, full confusion matrix, for two runs the comparison, and the clues the "
        "answers cite with their false claims; figures/*.png for slides. Same as "
        "`python -m analysis report`.",
    )
