"""Real browser: `streamlit run app.py` on 127.0.0.1, Debian chromium through Playwright.

One server for the module, pages visited in sequence. The first request is a deep link (the case
where Streamlit used to fall back to its legacy sidebar). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from pages._registry import PAGES
from tests.app.browser_support import (
    ARTIFACTS,
    VIEWPORT,
    chromium_browser,
    require_browser,
    screenshot,
    settle,
    streamlit_server,
)
from tests.app.conftest import REAL_RUN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ARTIFACTS / "browser"


@pytest.fixture(scope="module")
def server(demo_db: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A streamlit server on a copy of the demo database; yields its base URL."""
    require_browser()
    root = tmp_path_factory.mktemp("browser")
    db = root / "geoscope.duckdb"
    shutil.copy(demo_db[0], db)
    env = {"GEOSCOPE_DB": str(db), "GEOSCOPE_CACHE": str(demo_db[1])}
    with streamlit_server(env, root / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[tuple[Any, list[str]]]:
    """One chromium page; also collects every request that left 127.0.0.1."""
    outside: list[str] = []
    with chromium_browser() as browser:
        page = browser.new_page(viewport=VIEWPORT)

        def record(request: Any) -> None:
            host = urlparse(request.url).hostname
            if request.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in (
                "127.0.0.1",
                "localhost",
            ):
                outside.append(request.url)

        page.on("request", record)
        yield page, outside


def _visit(page: Any, url: str, name: str) -> None:
    page.goto(url)
    settle(page)
    screenshot(page, SHOTS, name)
    assert page.locator('[data-testid="stException"]').count() == 0, name
    body = page.inner_text("body")
    assert "Unexpected error" not in body, name
    assert "Page not found" not in body, name  # every registered url_path is a real deep link


# ordered: the deep link must be the server's very first page load
DEEP_LINK = (
    "map?dataset=sim-demo&runs=sim-faroff-basic&runs=sim-neighbour-basic&sample=sim-0003-h090"
)


def test_deep_link_first_gets_app_navigation(
    server: str, browser_page: tuple[Any, list[str]]
) -> None:
    page, _ = browser_page
    _visit(page, f"{server}/{DEEP_LINK}", "map-deep-link")
    nav = page.locator('[data-testid="stSidebarNavLink"]')
    # each link's text is "<icon name>\n\n<title>": keep the title
    labels = [nav.nth(i).inner_text().strip().splitlines()[-1] for i in range(nav.count())]
    assert labels == [p.title for p in PAGES]  # not the legacy list of files (app, shared, ...)
    assert page.locator("canvas").count() > 0  # deck.gl drew
    assert "Selected image" in page.inner_text("body")
    assert page.locator('[data-testid="stImage"] img').count() >= 1


@pytest.mark.parametrize("page_spec", PAGES, ids=[p.url_path for p in PAGES])
def test_each_page_by_url(server: str, browser_page: tuple[Any, list[str]], page_spec: Any) -> None:
    page, _ = browser_page
    query = "?dataset=sim-demo&runs=sim-neighbour-basic&runs=sim-refuser-basic"
    _visit(page, f"{server}/{page_spec.url_path}{query}", page_spec.url_path)
    assert (
        page.title() == page_spec.title
        or "GeoScope" in page.title()
        or page_spec.title in page.title()
    )
    if page_spec.url_path in ("map", "countries", "compare"):
        assert page.locator("canvas").count() > 0, "no map canvas"
    if page_spec.url_path in ("leaderboard", "countries", "compare"):
        assert page.locator('[data-testid="stPlotlyChart"]').count() > 0, "no plotly chart"
    if page_spec.url_path != "live":
        assert "SIMULATED" in page.inner_text("body")


def test_presentation_mode_has_no_sidebar(server: str, browser_page: tuple[Any, list[str]]) -> None:
    page, _ = browser_page
    _visit(
        page,
        f"{server}/countries?present=1&dataset=sim-demo&runs=sim-neighbour-basic",
        "countries-present",
    )
    assert page.locator('[data-testid="stSidebar"]:visible').count() == 0
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    assert page.locator("canvas").count() > 0


def test_real_run_link_reproduces_view(server: str, browser_page: tuple[Any, list[str]]) -> None:
    page, _ = browser_page
    _visit(page, f"{server}/map?dataset=real-mini&runs={REAL_RUN}&sample=r1", "map-real-sample")
    body = page.inner_text("body")
    assert "<script>alert(1)</script>" in body  # raw response shown as text, not executed
    assert "Truth: France (FRA)" in body
    assert "sample=r1" in page.url and f"runs={REAL_RUN}" in page.url


def _screen_xy(lat: float, lon: float, box: dict[str, float]) -> tuple[float, float]:
    """Where the map's initial view (analysis.viz.deck.DEFAULT_VIEW) draws a point, in pixels."""
    import math

    from analysis.viz.deck import DEFAULT_VIEW

    scale = 512 * 2 ** DEFAULT_VIEW["zoom"]  # web-mercator world width in pixels at this zoom

    def merc(lat_deg: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat_deg) / 2))

    x = box["x"] + box["width"] / 2 + (lon - DEFAULT_VIEW["longitude"]) / 360 * scale
    y = (
        box["y"]
        + box["height"] / 2
        - (merc(lat) - merc(DEFAULT_VIEW["latitude"])) / (2 * math.pi) * scale
    )
    return x, y


def test_clicking_the_map_opens_that_image(
    server: str, browser_page: tuple[Any, list[str]]
) -> None:
    page, _ = browser_page
    _visit(page, f"{server}/map?dataset=real-mini&runs={REAL_RUN}", "map-before-click")
    box = page.locator('[data-testid="stDeckGlJsonChart"]').first.bounding_box()
    # deck.gl picks from its last drawn frame: on a loaded machine (SwiftShader) the first click
    # can land before the points are drawn, so click again until the pick registers
    for _ in range(4):
        page.mouse.click(*_screen_xy(-33.87, 151.21, box))  # sample r4, alone in Sydney
        settle(page)
        if "sample=r4" in page.url:
            break
        page.wait_for_timeout(1500)
    assert "sample=r4" in page.url
    assert "Truth: Australia (AUS)" in page.inner_text("body")
    screenshot(page, SHOTS, "map-after-click")


def test_clicking_a_failure_row_opens_that_image(
    server: str, browser_page: tuple[Any, list[str]]
) -> None:
    page, _ = browser_page
    _visit(page, f"{server}/map?dataset=sim-demo&runs=sim-faroff-basic", "map-table")
    grid = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(grid["x"] + 14, grid["y"] + 52)  # the first row's selection box
    settle(page)
    assert "sample=" in page.url
    sample = page.url.split("sample=")[1].split("&")[0]
    assert f"{sample}" in page.inner_text("body") and "Selected image" in page.inner_text("body")


def test_nothing_was_fetched_from_the_internet(browser_page: tuple[Any, list[str]]) -> None:
    _, outside = browser_page
    assert outside == []
