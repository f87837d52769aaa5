"""``python -m analysis report`` on real data: offline index.html, PNGs with legends, zip."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from analysis.cli import main
from analysis.errors import InputError
from analysis.report import build_report, report_zip
from analysis.store import Store

URL_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _needs_no_network(index: Path) -> None:
    text = index.read_text(encoding="utf-8")
    assert not URL_ATTR.findall(text), URL_ATTR.findall(text)[:3]  # no src/href to the web
    for ref in re.findall(r"""\b(?:src|href)=['"]([^'"]+)""", text):
        assert (index.parent / ref).is_file(), ref  # everything it loads lies beside it


def test_report_of_two_osv5m_runs(real_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "osv"
    assert main(["--db", str(real_store.path), "report", "--runs", "osv-best,osv-base",
                 "--out", str(out)]) == 0  # fmt: skip
    index = out / "index.html"
    _needs_no_network(index)
    text = index.read_text(encoding="utf-8")
    for heading in ("Leaderboard", "Worst failures", "Countries", "Comparison", "McNemar"):
        assert heading in text, heading
    # coordinates only: the "why" section names the runs instead of charting rows of zeros
    assert "Cites no clue: osv5m" in text and "fig-clues-" not in text
    pngs = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert {"failure-map.png", "compare-map.png", "countries-osv-best.png"} <= set(pngs)
    for png in (out / "figures").glob("*.png"):
        assert Image.open(png).width >= 1600, png.name


def test_report_of_the_llmgeo_clip_baseline(real_store: Store, tmp_path: Path) -> None:
    result = build_report(real_store, ["llmgeo-clip-nn1"], tmp_path / "clip", png=True)
    _needs_no_network(result.index)
    text = result.index.read_text(encoding="utf-8")
    assert "all 52 true countries" in text  # h0 covers 52 of the 82 countries: every one shown
    assert "Comparison" not in text  # one run: no comparison
    choropleth = Image.open(tmp_path / "clip" / "figures" / "countries-llmgeo-clip-nn1.png")
    legend = np.asarray(choropleth.convert("RGB"))[-120:]
    assert (legend.std(axis=(0, 2)) > 0).sum() > 300  # a colour bar with ticks, not blank
    assert "32.8%" in text  # the README's reference country accuracy of nn1


def test_report_refuses_unknown_runs(real_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown run"):
        build_report(real_store, ["osv-best", "nope"], tmp_path / "x", png=False)


def test_report_zip_holds_the_page_and_plotly(real_store: Store) -> None:
    data = report_zip(real_store, ["osv-best"], png=False)
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"report/index.html", "report/plotly.min.js"} <= names


def test_report_says_why_with_the_clues_and_false_claims_of_answers(tmp_path: Path) -> None:
    """A run whose answers reason: the clue heatmaps and its false claims, every name escaped."""
    from analysis.demo import load_demo
    from analysis.store import RunMeta
    from analysis.types import Prediction, PredictionStatus

    store = Store(tmp_path / "db.duckdb")
    load_demo(store, tmp_path / "cache", n_locations=12, seed=3)
    demo = store.run_frame("sim-faroff-basic")
    sample = str(demo.loc[demo["true_country"] != "FRA", "sample_id"].iloc[0])
    hostile = "<img src=x>"
    store.create_run(RunMeta(name="m2", dataset="sim-demo", model=hostile, prompt_strategy="b"))
    answer = "The Eiffel Tower stands behind the trees."
    store.add_predictions("m2", [Prediction(sample, answer, PredictionStatus.OK, "FRA", 48.9, 2.3)])
    result = build_report(store, ["sim-faroff-basic", "m2"], tmp_path / "out", png=False)
    text = result.index.read_text(encoding="utf-8")
    assert "Why: the clues the answers cite" in text
    assert "fig-clues-citation_rate" in text and "fig-clues-lift" in text
    assert "False claims, most frequent first" in text
    assert "landmark&#x27;s country: FRA" in text  # the image is not in France: a false claim
    assert "<img src=x>" not in text and "&lt;img src=x&gt;" in text
