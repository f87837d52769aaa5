"""The report's figures and tables, computed from the store (no streamlit, no files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.dashboard import data as dd
from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.names import display_names
from analysis.errors import InputError
from analysis.store import Store
from analysis.viz.charts import confusion_heatmap, interval_figure, paired_table_figure
from analysis.viz.choropleth import color_scale
from analysis.viz.colors import ONLY_A_COLOR, ONLY_B_COLOR, RGB, palette
from analysis.viz.export import choropleth_figure, fills_from_stats, map_figure
from analysis.viz.static_map import map_png

WORST_PER_RUN = 30  # failure map: the longest errors of each run (a slide reads ~30 lines each)
BOOTSTRAP_RESAMPLES = 1000


@dataclass
class Figure:
    """One report figure: an id (file name), a heading, the plotly figure, optional map PNG."""

    slug: str
    heading: str
    fig: go.Figure
    map_png: bytes | None = None  # maps are drawn by Pillow, charts by kaleido
    caption: str = ""


@dataclass
class Section:
    """A report section: heading, intro text, tables (DataFrames) and figures."""

    heading: str
    intro: str = ""
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def _shapes() -> pd.DataFrame:
    from analysis.geo.countries import DRAWING_SIMPLIFY_DEG, world_polygons
    from analysis.viz.deck import polygon_records

    return polygon_records(world_polygons(DRAWING_SIMPLIFY_DEG, shared_edges=True))


def check_runs(store: Store, runs: Sequence[str]) -> pd.DataFrame:
    """Return the ``list_runs`` rows of ``runs`` in the order given; raise on unknown names."""
    listed = store.list_runs()
    missing = [r for r in runs if r not in set(listed["name"].astype(str))]
    if missing:
        raise InputError(f"unknown run(s): {', '.join(missing)} (see python -m analysis runs)")
    if not runs:
        raise InputError("name at least one run (--runs A,B)")
    by_name = listed.set_index(listed["name"].astype(str))
    return by_name.loc[list(runs)].reset_index(drop=True)


def leaderboard_section(meta: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> Section:
    """Leaderboard table with 95% CIs and one interval chart per dataset."""
    summaries = {
        run: lbm.summarize_run(frame, run, n_resamples=BOOTSTRAP_RESAMPLES)
        for run, frame in frames.items()
    }
    lb = lbm.leaderboard_frame(meta, summaries)
    lb = lbm.rank_runs(lb, "country_accuracy", sorted(lb["dataset"].astype(str).unique()))
    table = lbm.display_table(lb, lbm.headline_metrics())
    table.insert(0, "label", lb["label"].astype(str).to_numpy())
    section = Section(
        "Leaderboard",
        "Values with 95% intervals from a bootstrap over locations. Accuracy counts unknown, "
        "refused and failed answers as wrong. Runs on different datasets are charted apart.",
        tables=[("Headline metrics", table)],
    )
    spec = lbm.metric_specs(["country_accuracy"])[0]
    for dataset, part in lb.groupby("dataset", sort=True):
        n = int(part["n"].max()) if "n" in part else 0
        fig = interval_figure(
            lbm.interval_rows(part, "country_accuracy"),
            title=f"{spec.label} with 95% CI on {dataset} (n = {n:,} images)",
            x_title=spec.label,
        )
        section.figures.append(Figure(f"leaderboard-{dataset}", str(dataset), fig))
    return section


def failure_section(
    frames: Mapping[str, pd.DataFrame],
    labels: Mapping[str, str],
    colors: Mapping[str, RGB],
    shapes: pd.DataFrame,
) -> Section:
    """The failure map of each run's worst guesses (longest errors)."""
    worst = [
        frame.dropna(subset=["distance_km"]).nlargest(WORST_PER_RUN, "distance_km")
        for frame in frames.values()
    ]
    rows = pd.concat(worst, ignore_index=True) if worst else pd.DataFrame()
    title = f"The {WORST_PER_RUN} worst guesses of each run"
    fig = map_figure(shapes, rows, colors, title=title, labels=labels)
    png = map_png(shapes, rows, colors, title=title, labels=labels)
    return Section(
        "Worst failures",
        "Black dots: true locations; coloured dots: guesses; lines coloured by error class.",
        figures=[Figure("failure-map", title, fig, png)],
    )


def country_section(
    run: str, label: str, frame: pd.DataFrame, shapes: pd.DataFrame, names: Mapping[str, str]
) -> Section:
    """Per-country choropleth (with its colour scale) and the full confusion matrix of one run."""
    from analysis.metrics import confusion_matrix

    spec = lbm.metric_specs(["country_accuracy"])[0]
    scale = color_scale(spec.label, spec.unit, spec.higher_is_better)
    stats = dd.country_stats(frame, "country_accuracy")
    fills = fills_from_stats(stats.rename(columns={"value": "accuracy"}), scale=scale)
    tips = {
        iso: f"{names.get(iso, iso)}: {scale.format(v)}, {n:,} image{'s' if n != 1 else ''}"
        for iso, v, n in zip(stats["iso3"], stats["value"], stats["n"], strict=True)
    }
    title = f"{spec.label} per true country: {label}"
    choro = Figure(
        f"countries-{run}",
        title,
        choropleth_figure(shapes, fills, tips, title=title, scale=scale),
        map_png(shapes, pd.DataFrame(), {}, title=title, fills=fills, scale=scale),
    )
    counts = confusion_matrix(frame, top_n=None, normalize=False, order="continent")
    shares = counts.div(counts.sum(axis=1).replace(0, 1), axis=0)
    n_countries = len(shares.index)
    matrix = confusion_heatmap(
        shares,
        counts=counts,
        names=names,
        title=f"Confusion matrix, all {n_countries} true countries (by continent): {label}",
        plot_px=1400,
    )
    return Section(
        f"Countries: {label}",
        "Countries are grouped by continent; rows are true countries, columns the guesses "
        "(ISO 3166 alpha-3 codes; hover for names and counts).",
        figures=[choro, Figure(f"confusion-{run}", "Confusion matrix", matrix)],
    )


def compare_section(
    a: str,
    b: str,
    frames: Mapping[str, pd.DataFrame],
    labels: Mapping[str, str],
    shapes: pd.DataFrame,
) -> Section:
    """Two runs side by side: every metric, the paired table and where only one was right."""
    from analysis.metrics import paired_comparison

    fa, fb = frames[a], frames[b]
    pair = paired_comparison(fa, fb, n_resamples=BOOTSTRAP_RESAMPLES)
    la, lb_ = labels.get(a, a), labels.get(b, b)
    side = lbm.side_by_side(
        lbm.summarize_run(fa, a, n_resamples=BOOTSTRAP_RESAMPLES),
        lbm.summarize_run(fb, b, n_resamples=BOOTSTRAP_RESAMPLES),
    ).rename(columns={"A": la, "B": lb_, "A − B": f"{la} − {lb_}"})
    table = paired_table_figure(
        [[pair.both_right, pair.only_a], [pair.only_b, pair.both_wrong]], (la, lb_)
    )
    outcomes = dd.paired_outcomes(fa, fb)
    shown = outcomes[outcomes["outcome"].isin(["only_a", "only_b"])]
    points = shown.assign(
        run=shown["outcome"].map({"only_a": a, "only_b": b}),
        pred_lat=shown["true_lat"],
        pred_lon=shown["true_lon"],
        distance_km=0.0,
    )
    colors: dict[str, RGB] = {a: ONLY_A_COLOR, b: ONLY_B_COLOR}
    title = f"Images only one run got right: {la} vs {lb_}"
    disagree = Figure(
        "compare-map",
        title,
        map_figure(shapes, points, colors, title=title, labels=labels),
        map_png(shapes, points, colors, title=title, labels=labels),
    )
    intro = (
        f"{pair.n:,} common images: both right {pair.both_right:,}, only {la} {pair.only_a:,}, "
        f"only {lb_} {pair.only_b:,}, both wrong {pair.both_wrong:,}; McNemar exact "
        f"p = {pair.mcnemar_p:.3g}."
    )
    return Section(
        f"Comparison: {la} vs {lb_}",
        intro,
        tables=[("Every metric", side)],
        figures=[Figure("compare-table", "Paired outcomes", table), disagree],
    )


def report_sections(store: Store, runs: Sequence[str]) -> tuple[list[Section], dict[str, Any]]:
    """Compute every section of the report for ``runs`` (first run: countries; two: compare)."""
    meta = check_runs(store, runs)
    frames = {run: store.run_frame(run).assign(run=run) for run in runs}
    stored = store.list_runs()
    colors = palette(dict(zip(stored["name"], stored["dataset"], strict=True)), list(runs))
    labels = display_names(stored)
    shapes = _shapes()
    names = dd.name_lookup()
    sections = [
        leaderboard_section(meta, frames),
        failure_section(frames, labels, colors, shapes),
        country_section(runs[0], labels.get(runs[0], runs[0]), frames[runs[0]], shapes, names),
    ]
    if len(runs) == 2:
        sections.append(compare_section(runs[0], runs[1], frames, labels, shapes))
    info = {
        "runs": list(runs),
        "labels": {r: labels.get(r, r) for r in runs},
        "datasets": sorted(set(meta["dataset"].astype(str))),
        "simulated": bool(meta["is_simulated"].fillna(False).astype(bool).any()),
    }
    return sections, info
