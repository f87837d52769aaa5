"""The Clues page in a real browser: the demo's heatmap, highlighted spans, hostile answers as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import pytest

from analysis.clues import category_ids
from analysis.clues.judge import answer_sha256
from analysis.dashboard.names import base_label
from analysis.demo import load_demo
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.store.clues import Judgement, save_judgements
from analysis.types import CoordsSource, Prediction, PredictionStatus
from tests.app import browser_support as harness
from tests.app.test_untrusted_text_browser import FIND_LINKS, Tracker

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DATASET = "hostile-answers"
RUN = "hostile-run"


def _hostile_answer(host: str) -> str:
    return (
        f"![p](http://{host}/pixel) <img src=http://{host}/img> [link](http://{host}/a)\n"
        "Traffic drives on the left and the signs are written in Thai.\n"
        '{"country": "Thailand"}'
    )


# the run's label is built from its model (the part after the last "/"): drawn as text
HOSTILE_MODEL = "m<b>b</b> :red[r] **s** <img src=x>"


def _hostile_judge(host: str) -> str:
    return f"j<img src=http://{host}/judge> **b** :red[r]"


@pytest.fixture(scope="module")
def tracker() -> Iterator[Tracker]:
    server = Tracker()
    yield server
    server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tracker: Tracker) -> Iterator[str]:
    harness.require_browser()
    root = tmp_path_factory.mktemp("clues-browser")
    store = Store(root / "db.duckdb")
    load_demo(store, root / "cache", n_locations=30, seed=2)
    samples = pd.DataFrame(
        {
            "sample_id": ["h1"],
            "location_id": ["L1"],
            "true_lat": [13.75],
            "true_lon": [100.5],
            "true_country": ["THA"],
        }
    )
    store.ingest_samples(DatasetMeta(name=DATASET, kind="csv"), samples)
    # the model is shown in the run's label: heatmap row, selectbox
    store.create_run(
        RunMeta(name=RUN, dataset=DATASET, model=HOSTILE_MODEL, prompt_strategy="basic")
    )
    answer = _hostile_answer(tracker.host)
    store.add_predictions(
        RUN,
        [Prediction("h1", answer, PredictionStatus.OK, "THA", 13.75, 100.5, CoordsSource.MODEL)],
    )
    evidence = [  # the judge quotes one clue and paraphrases the other (with markup)
        {
            "category": "driving_side",
            "evidence": "drives on the left",
            "claim": "drive on the left",
        },
        {
            "category": "text",
            "evidence": f"<img src=http://{tracker.host}/evidence>",
            "claim": None,
        },
    ]
    judged = Judgement("h1", answer_sha256(answer), json.dumps(evidence))
    save_judgements(store, RUN, _hostile_judge(tracker.host), [judged])
    env = {"GEOSCOPE_DB": str(root / "db.duckdb"), "GEOSCOPE_CACHE": str(root / "cache")}
    with harness.streamlit_server(env, root / "streamlit.log") as base_url:
        yield base_url


def _open(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    harness.settle(page)
    return page


def test_demo_heatmap_and_highlighted_spans(server: str) -> None:
    params = {"dataset": "sim-demo", "runs": ["sim-neighbour-basic", "sim-faroff-tips"]}
    with harness.chromium_browser() as browser:
        page = _open(browser, f"{server}/clues?{urlencode(params, doseq=True)}")
        harness.screenshot(page, harness.ARTIFACTS, "clues-demo")
        assert page.locator('[data-testid="stException"]').count() == 0
        plot = page.locator(".js-plotly-plot").first
        plot.wait_for(timeout=30_000)
        assert plot.locator(".xtick").count() == len(category_ids())  # one column per category
        assert plot.locator(".ytick").count() == 2
        marks = page.locator("mark")
        assert marks.count() > 0
        assert marks.first.inner_text().strip()
        # choosing another cell lists that category's spans
        harness.pick(page, "Clue category", "Driving side")
        page.locator("mark").first.scroll_into_view_if_needed()
        harness.screenshot(page, harness.ARTIFACTS, "clues-demo-cell")
        assert "clue=driving_side" in page.url
        titles = [page.locator("mark").nth(i).get_attribute("title") or "" for i in range(3)]
        assert any("Driving side" in t for t in titles)


def test_hostile_answer_shows_as_text_and_loads_nothing(server: str, tracker: Tracker) -> None:
    params = {"dataset": DATASET, "runs": [RUN], "clue": "driving_side"}
    with harness.chromium_browser() as browser:
        page = _open(browser, f"{server}/clues?{urlencode(params, doseq=True)}")
        harness.screenshot(page, harness.ARTIFACTS, "clues-hostile")
        assert page.evaluate(FIND_LINKS, tracker.host) == []
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert f"![p](http://{tracker.host}/pixel)" in shown
        assert f"<img src=http://{tracker.host}/img>" in shown
        label = base_label({"name": RUN, "model": HOSTILE_MODEL, "prompt_strategy": "basic"})
        assert "<img src=x>" in label and label in shown  # in the cell's selectbox
        marks = page.locator("mark")
        texts = [marks.nth(i).inner_text() for i in range(marks.count())]
        assert "Traffic drives on the left" in texts
        verdicts = page.locator('[data-testid="stDataFrame"]').first.inner_text()
        assert "consistent with the truth" in verdicts or marks.count() >= 2
    assert tracker.paths == []


_FONT_PX_JS = (
    "els => els.map(e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize))"
)


def test_presentation_shows_the_checked_claims_large_and_as_text(
    server: str, tracker: Tracker
) -> None:
    """Presentation mode: the answer and its checked claims in large type, in a static table."""
    params = {"dataset": DATASET, "runs": [RUN], "clue": "driving_side", "present": "1"}
    with harness.chromium_browser() as browser:
        page = _open(browser, f"{server}/clues?{urlencode(params, doseq=True)}")
        harness.screenshot(page, harness.ARTIFACTS, "clues-hostile-present")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.evaluate(FIND_LINKS, tracker.host) == []
        # no small-print grid: the claims are a static table (detail tables stay in expanders)
        assert page.locator('[data-testid="stDataFrame"]:visible').count() == 0
        claims = page.locator('[data-testid="stTable"]').first
        text = claims.inner_text()
        assert "driving side: left" in text and "language: Thai" in text
        assert "consistent with the truth" in text
        cells = claims.locator("th, td").evaluate_all(_FONT_PX_JS)
        assert cells and min(cells) >= 18, sorted(cells)[:3]
        answer = page.locator(".geoscope-answer").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert f"![p](http://{tracker.host}/pixel)" in shown
    assert tracker.paths == []
    assert answer >= 18


def test_a_judges_reading_with_a_hostile_name_is_text_and_marks_its_quote(
    server: str, tracker: Tracker
) -> None:
    judge = _hostile_judge(tracker.host)
    params = {"dataset": DATASET, "runs": [RUN], "clue": "driving_side", "judge": judge}
    with harness.chromium_browser() as browser:
        page = _open(browser, f"{server}/clues?{urlencode(params, doseq=True)}")
        harness.screenshot(page, harness.ARTIFACTS, "clues-judge")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.evaluate(FIND_LINKS, tracker.host) == []
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 2  # judge, agreement
        # the name, as typed (inert() puts an invisible word joiner into "://": no autolink)
        shown = page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")
        assert f"the judge {judge} listed them" in shown
        assert "Where the judge and the rules agree" in shown
        reader = page.locator('[data-testid="stSelectbox"]').filter(has_text="Clues read by")
        chosen = reader.evaluate(
            "e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value)"
            ".join(' ') + ' ' + [...e.querySelectorAll('[title]')].map(t => t.title).join(' ')"
        )
        assert f"the judge {judge}" in chosen, chosen
        marks = page.locator("mark")
        assert [marks.nth(i).inner_text() for i in range(marks.count())] == ["drives on the left"]
    assert tracker.paths == []
