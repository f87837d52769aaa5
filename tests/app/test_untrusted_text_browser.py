"""Hostile names, links and provider errors are shown as text in a real browser, never rendered.

A dataset, runs, models, prompt strategies and sample ids whose names carry Markdown images,
links, raw HTML, Streamlit colour directives and bare URLs, all pointing at a local "tracker"
server; every page is opened with them selected and in its URL, and the Live page gets an HTTP
400 whose message is Markdown. The tracker must see no request, the DOM must hold no ``<img>`` /
``<a>`` aimed at it, and the hostile text must be visible literally.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import pytest

from analysis.dashboard.names import display_names
from analysis.dashboard.text import WORD_JOINER
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import CoordsSource, Prediction, PredictionStatus
from tests.app import browser_support as harness
from tests.live.badinputs import SMALL_PHOTO
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# every element attribute through which a browser would fetch or link to the tracker
FIND_LINKS = """(host) => {
  const bad = [];
  for (const el of document.querySelectorAll('img, a, image, iframe, source, video, link')) {
    for (const attr of ['src', 'href', 'xlink:href', 'srcset']) {
      const value = el.getAttribute(attr);
      if (value && value.includes(host)) bad.push(el.outerHTML.slice(0, 200));
    }
  }
  return bad;
}"""


class Tracker:
    """A server on 127.0.0.1 that counts every request (a hostile name's image or link host)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                tracker.paths.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Stay quiet."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        self.host = f"127.0.0.1:{self._httpd.server_address[1]}"

    def close(self) -> None:
        """Stop serving."""
        self._httpd.shutdown()
        self._httpd.server_close()


@dataclass(frozen=True)
class Hostile:
    """The hostile names, all aimed at one tracker host."""

    host: str

    @property
    def dataset(self) -> str:
        return f"d![p](http://{self.host}/pixel-dataset)"

    @property
    def run_a(self) -> str:
        return f"x![p](http://{self.host}/pixel) [link](http://{self.host}/a)"

    @property
    def run_b(self) -> str:
        return f"<img src=http://{self.host}/x> :red[x] http://{self.host}/auto"

    @property
    def missing(self) -> str:
        return f"![p](http://{self.host}/pixel-missing)"

    @property
    def sample(self) -> str:
        return f"s<img src=http://{self.host}/sample>"

    @property
    def model(self) -> str:
        return f"m[m](http://{self.host}/model)"

    @property
    def strategy(self) -> str:
        return f'p<a href="http://{self.host}/prompt">p</a>'  # quoted: plotly makes a link

    @property
    def provider_error(self) -> str:
        return f"![p](http://{self.host}/pixel-error) [click](http://{self.host}/error-link)"


def _fill_store(db: Path, names: Hostile) -> None:
    """Write the hostile dataset (3 images) and its two runs."""
    store = Store(db)
    samples = pd.DataFrame(
        {
            "sample_id": [names.sample, "s2", "s3"],
            "location_id": ["L1", "L2", "L3"],
            "true_lat": [48.85, 52.52, -33.87],
            "true_lon": [2.35, 13.40, 151.21],
            "true_country": ["FRA", "DEU", "AUS"],
            "heading": [0, 0, 0],
        }
    )
    store.ingest_samples(DatasetMeta(name=names.dataset, kind="csv"), samples)
    for run, guess in ((names.run_a, "FRA"), (names.run_b, "DEU")):
        store.create_run(
            RunMeta(
                name=run, dataset=names.dataset, model=names.model, prompt_strategy=names.strategy
            )
        )
        store.add_predictions(
            run,
            [
                Prediction(
                    names.sample,
                    names.provider_error,
                    PredictionStatus.OK,
                    guess,
                    48.0,
                    3.0,
                    CoordsSource.MODEL,
                ),
                Prediction("s2", "Germany", PredictionStatus.OK, "DEU", 51.0, 10.0),
                Prediction("s3", "no idea", PredictionStatus.REFUSED),
            ],
        )


@pytest.fixture(scope="module")
def hostile_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Hostile, Tracker, OpenAIServer]]:
    """Tracker, a model server answering HTTP 400 with Markdown, and streamlit on the store."""
    harness.require_browser()
    root = tmp_path_factory.mktemp("hostile")
    tracker = Tracker()
    names = Hostile(tracker.host)
    models = OpenAIServer(default=Reply.http_error(400, names.provider_error)).start()
    db = root / "geoscope.duckdb"
    _fill_store(db, names)
    extra = f'\n[models.hostile]\nadapter = "openai_compat"\nmodel = "{names.model}"\n'
    extra += f'base_url = "{models.base_url}"\nmax_side = 256\n'
    env = {
        "GEOSCOPE_DB": str(db),
        "GEOSCOPE_CACHE": str(root / "cache"),
        "GEOSCOPE_MODELS": str(write_presets(root / "models.toml", models.base_url, extra=extra)),
    }
    try:
        with harness.streamlit_server(env, root / "streamlit.log") as base_url:
            yield base_url, names, tracker, models
    finally:
        models.stop()
        tracker.close()


def _links_to(page: Any, host: str) -> list[str]:
    found: list[str] = page.evaluate(FIND_LINKS, host)
    return found


def _main_text(page: Any) -> str:
    """Every character the page holds as text (SVG chart labels included), as a reader sees it."""
    text: str = page.evaluate("document.body.textContent")
    return text.replace(WORD_JOINER, "")


def test_every_page_shows_hostile_names_as_text(
    hostile_site: tuple[str, Hostile, Tracker, OpenAIServer],
) -> None:
    base_url, names, tracker, _ = hostile_site
    runs = [names.run_a, names.run_b, names.missing]
    # the map names runs by their display label (model · strategy, then the run name's tail)
    labels = display_names(
        pd.DataFrame(
            {
                "name": [names.run_a, names.run_b],
                "model": [names.model] * 2,
                "prompt_strategy": [names.strategy] * 2,
                "params_json": [None, None],
            }
        )
    )
    label_a = labels[names.run_a]
    common: dict[str, object] = {"dataset": names.dataset, "runs": runs}
    visits: dict[str, tuple[dict[str, object], list[str]]] = {
        "leaderboard": (
            {**common, "metric": names.missing},
            [names.run_a, names.run_b, names.strategy, names.model],
        ),
        "map": (
            {**common, "sample": names.sample, "predicted": names.missing},
            [names.missing, f"{label_a}: raw response", names.sample],
        ),
        "countries": (common, [names.missing, f"per true country: {label_a}"]),
        "compare": (
            {"dataset": names.dataset, "a": names.run_a, "b": names.run_b},
            [f"({names.run_a}), B = ", f"({names.run_b}): "],
        ),
        "data": ({"dataset": names.missing}, []),
        # presentation mode draws its tables as static (Markdown) tables: the headline table
        "leaderboard-present": (  # here runs are named by their labels only
            {**common, "present": "1"},
            [label_a, labels[names.run_b], names.strategy, names.model],
        ),
        # and the Data page's datasets and runs tables
        "data-present": (
            {"present": "1"},
            [names.dataset, label_a, labels[names.run_b], names.strategy, names.model],
        ),
    }
    with harness.chromium_browser() as browser:
        page = browser.new_page(viewport=harness.VIEWPORT)
        for shot, (params, literals) in visits.items():
            url_path = shot.removesuffix("-present")
            page.goto(f"{base_url}/{url_path}?{urlencode(params, doseq=True)}")
            harness.settle(page)
            harness.screenshot(page, harness.ARTIFACTS / "untrusted", shot)
            assert page.locator('[data-testid="stException"]').count() == 0, shot
            assert _links_to(page, names.host) == [], shot
            text = _main_text(page)
            missing = [literal for literal in literals if literal not in text]
            assert not missing, (shot, missing)
            assert tracker.paths == [], (shot, tracker.paths)
            # a long name without spaces wraps in its cell: no table runs off the screen
            widths = page.eval_on_selector_all('[data-testid="stTable"]', harness.SIDEWAYS_JS)
            assert all(extra <= 2 for extra in widths), (shot, widths)


def test_live_failure_card_shows_provider_markdown_as_text(
    hostile_site: tuple[str, Hostile, Tracker, OpenAIServer], shared_data: Path
) -> None:
    from playwright.sync_api import expect

    base_url, names, tracker, models = hostile_site
    with harness.chromium_browser() as browser:
        page = browser.new_page(viewport=harness.VIEWPORT)
        page.goto(f"{base_url}/live", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Live")).to_be_visible(timeout=45_000)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(shared_data / SMALL_PHOTO)
        )
        expect(page.get_by_text("Ground truth")).to_be_visible(timeout=30_000)
        for option in ("local-free", "hostile"):
            harness.choose(page, option)
        page.get_by_role("button", name="Ask the models").click()
        expect(page.locator('[data-testid="stAlertContentError"]').nth(1)).to_be_visible(
            timeout=60_000
        )
        harness.settle(page, timeout_s=35)
        harness.screenshot(page, harness.ARTIFACTS / "untrusted", "live")
        text = _main_text(page)
        assert names.provider_error in text, text
        assert f"model {names.model}" in text
        assert _links_to(page, names.host) == []
    assert models.calls >= 2  # both presets really asked, and both got the 400
    assert tracker.paths == []
