"""The metric registry decides the leaderboard tables, the CSV, the report and `metrics --json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.text import inert_table
from analysis.errors import RegistryError
from analysis.metrics import METRICS, EvalData, MetricSpec, Ratio, Term, register
from analysis.report import figures

HEADLINE = ("country_accuracy", "continent_accuracy", "acc_25km", "acc_200km", "acc_750km",
            "acc_2500km", "median_km", "geoguessr_mean")  # fmt: skip
COVERAGE = ("answered_rate", "answered_accuracy", "coords_coverage", "refusal_rate",
            "unknown_rate", "error_rate")  # fmt: skip
HEADLINE_TITLES = ["n", "Country", "Continent", "≤25 km", "≤200 km", "≤750 km", "≤2500 km",
                   "Median error", "GeoGuessr"]  # fmt: skip
HEADLINE_FORMATS = ["%d", *["%.1f%%"] * 6, "%.0f km", "%.0f"]
RUN_CELLS = ["run", "model", "prompt_strategy", "mode", "unit", "dataset", "evaluated on", "data",
             "n"]  # fmt: skip
HEADLINE_LABELS = ["Country accuracy", "Continent accuracy", "Within 25 km", "Within 200 km",
                   "Within 750 km", "Within 2500 km", "Median error", "GeoGuessr points", "cost"]  # fmt: skip
COVERAGE_LABELS = ["Answered", "Accuracy when answered", "Coordinates given", "Refused",
                   "Unknown", "Errors", "cost"]  # fmt: skip

CSV = """sample_id,true_lat,true_lon,pred_lat,pred_lon,pred_country
paris,48.8566,2.3522,48.8566,2.3522,France
lyon,45.7640,4.8357,48.8566,2.3522,France
nyc,40.7128,-74.0060,51.5074,-0.1278,United Kingdom
"""


def _frame(n: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "location_id": [f"l{i // 2}" for i in range(n)],
            "true_lat": 0.0,
            "true_lon": 0.0,
            "true_country": "FRA",
            "pred_country": ["FRA", "DEU"] * (n // 2),
            "pred_lat": 0.0,
            "pred_lon": 0.0,
            "status": "ok",
            "distance_km": rng.uniform(0, 3000, n),
        }
    )


def _lb() -> pd.DataFrame:
    runs = pd.DataFrame(
        {
            "name": ["a"],
            "dataset": ["d"],
            "model": ["m"],
            "prompt_strategy": ["basic"],
            "is_simulated": [False],
        }  # fmt: skip
    )
    return lbm.leaderboard_frame(runs, {"a": lbm.summarize_run(_frame(), "a", n_resamples=20)})


def test_built_in_tables_keep_their_columns_order_and_titles() -> None:
    assert lbm.headline_metrics() == HEADLINE
    assert lbm.coverage_metrics() == COVERAGE
    columns = lbm.headline_columns(lbm.headline_metrics())
    assert [c.title for c in columns.values()] == HEADLINE_TITLES
    assert [c.fmt for c in columns.values()] == HEADLINE_FORMATS
    lb = _lb()
    assert list(lbm.headline_frame(lb, lbm.headline_metrics())) == [
        "run", "model", "prompt", "n", *HEADLINE,
    ]  # fmt: skip
    assert list(lbm.display_table(lb, lbm.headline_metrics())) == RUN_CELLS + HEADLINE_LABELS
    assert list(lbm.display_table(lb, lbm.coverage_metrics())) == RUN_CELLS + COVERAGE_LABELS
    exported = lbm.export_frame(lb)
    assert [c for c in exported if c in METRICS] == METRICS.names()


def test_a_bad_group_is_refused() -> None:
    with pytest.raises(RegistryError, match="group"):
        MetricSpec("x", "X", "share", True, lambda d: Ratio(d.ones), group="sidebar")


def within_100km(d: EvalData) -> Term:
    """Share of all samples within 100 km (no coordinates = miss)."""
    return Ratio(d.hit(100.0), d.ones)


@pytest.fixture
def new_metrics() -> Iterator[None]:
    """Register a headline and a coverage metric for one test, then remove them."""
    register(MetricSpec("acc_100km", "Within 100 km", "share", True, within_100km,
                        short_label="≤100 km"))  # fmt: skip
    register(MetricSpec("ok_share", "Answered (again)", "share", True,
                        lambda d: Ratio(d.ok, d.ones), group="coverage"))  # fmt: skip
    try:
        yield
    finally:
        METRICS.unregister("acc_100km")
        METRICS.unregister("ok_share")


@pytest.mark.usefixtures("new_metrics")
def test_a_registered_metric_reaches_every_table_and_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lb = _lb()
    assert lbm.headline_metrics()[-1] == "acc_100km"
    assert "ok_share" in lbm.coverage_metrics() and "ok_share" not in lbm.headline_metrics()
    headline = lbm.headline_frame(lb, lbm.headline_metrics())
    assert "acc_100km" in headline
    assert lbm.headline_columns(lbm.headline_metrics())["acc_100km"].title == "≤100 km"
    assert "Within 100 km" in lbm.display_table(lb, lbm.headline_metrics())
    assert "Answered (again)" in lbm.display_table(lb, lbm.coverage_metrics())
    exported = lbm.export_frame(lb)
    assert {"acc_100km", "acc_100km_ci95_low", "ok_share"} <= set(exported)
    section = figures.leaderboard_section(lb.assign(name=lb["run"]), {"a": _frame()})
    assert "Within 100 km" in section.tables[0][1]

    csv = tmp_path / "mine.csv"
    csv.write_text(CSV, encoding="utf-8")
    db = str(tmp_path / "g.duckdb")
    assert main(["--db", db, "import", str(csv), "--run", "mine"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "metrics", "--run", "mine", "--json", "--resamples", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["acc_100km"] == pytest.approx(1 / 3)  # Paris only; Lyon is 392 km off
    assert "acc_100km" in out["ci"] and "ok_share" in out


def test_headline_display_prints_each_column_in_its_format() -> None:
    """Presentation mode's static table: hand-computed cells, titles as in the grid."""
    table = pd.DataFrame(
        {
            "run": ["clip"],
            "model": ["m"],
            "prompt": ["basic"],
            "n": [250.0],
            "country_accuracy": [32.8],  # headline_frame's shares are already percentages
            "median_km": [1963.4],
            "geoguessr_mean": [float("nan")],
        }
    )
    columns = lbm.headline_columns(["country_accuracy", "median_km", "geoguessr_mean"])
    shown, formats = lbm.headline_display(table, columns)
    assert list(shown.columns) == [
        "Run", "Model", "Prompt", "n", columns["country_accuracy"].title,
        columns["median_km"].title, columns["geoguessr_mean"].title,
    ]  # fmt: skip
    printed = inert_table(shown, formats).to_html()
    for cell in ["clip", "basic", ">250<", "32.8%", "1963 km", "–"]:
        assert cell in printed, cell
    # metric columns stay numbers: the static table right-aligns them
    assert shown[columns["median_km"].title].tolist() == [1963.4]
