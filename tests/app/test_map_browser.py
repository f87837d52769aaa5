"""Real browser: every control of map, gallery and compare survives a copied link; screenshots.

A link is opened, the page's widgets are read back from the rendered DOM (what a user sees), and
the URL the page writes back must carry every key it was given. Screenshots of the three pages
in normal and presentation mode at 1440x900 and 1920x1080 go to test-artifacts/pages-h8/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.app.browser_support import (
    ARTIFACTS,
    assert_map_and_legend_on_screen,
    chromium_browser,
    middle_of,
    require_browser,
    resized_screenshot,
    screenshot,
    settle,
    streamlit_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ARTIFACTS / "pages-h8"
SIZES = ({"width": 1440, "height": 900}, {"width": 1920, "height": 1080})
RUNS = ["sim-faroff-basic", "sim-neighbour-basic"]
LINKS: dict[str, dict[str, Any]] = {
    "map": {
        "dataset": "sim-demo", "runs": RUNS, "continent": ["Europe", "Asia"], "status": ["ok"],
        "outcome": "wrong", "min_km": "200", "max_km": "5000", "heading": ["90"],
        "lines": "country", "line_country": "DEU", "worst": "7", "predicted": "RUS",
        "country": ["DEU"],
    },
    "gallery": {
        "dataset": "sim-demo", "runs": RUNS, "sort": "best", "n": "8", "outcome": "wrong",
        "continent": ["Asia"],
    },
    "compare": {
        "dataset": "sim-demo", "a": "sim-neighbour-basic", "b": "sim-faroff-basic",
        "slice": "true_continent",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def server(demo_db: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    root = tmp_path_factory.mktemp("h8browser")
    db = root / "geoscope.duckdb"
    shutil.copy(demo_db[0], db)
    env = {"GEOSCOPE_DB": str(db), "GEOSCOPE_CACHE": str(demo_db[1])}
    with streamlit_server(env, root / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


def _open(browser: Any, url: str, size: dict[str, int]) -> Any:
    page = browser.new_page(viewport=size)
    page.goto(url)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Unexpected error" not in page.inner_text("body")
    return page


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


@pytest.mark.parametrize("path", list(LINKS))
def test_a_copied_link_reproduces_every_control(server: str, browser: Any, path: str) -> None:
    wanted = LINKS[path]
    page = _open(browser, f"{server}/{path}?{urlencode(wanted, doseq=True)}", SIZES[0])
    got = _params(page.url)
    for key, value in wanted.items():
        assert got.get(key) == ([value] if isinstance(value, str) else value), (key, got)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    if path == "map":
        assert "one country" in sidebar and "Europe" in sidebar and "Germany (DEU)" in sidebar
        assert page.locator('[data-testid="stSidebar"] input[type="number"]').input_value() == "7"
    if path == "gallery":
        assert page.locator('[data-testid="stSidebar"] input[type="number"]').input_value() == "8"
        assert "Asia" in sidebar
    if path == "compare":
        assert "sim-neighbour · basic − sim-faroff · basic" in page.inner_text("body")
    # the URL the page wrote is itself a link: opening it gives the same URL back
    again = _open(browser, page.url, SIZES[0])
    assert _params(again.url) == got
    again.close()
    page.close()


def test_changing_a_control_updates_the_link(server: str, browser: Any) -> None:
    page = _open(browser, f"{server}/map?dataset=sim-demo&runs=sim-faroff-basic", SIZES[0])
    page.get_by_role("radiogroup", name="Lines for").get_by_text("all", exact=True).click()
    settle(page)
    assert _params(page.url).get("lines") == ["all"]
    copied = page.url
    page.close()
    page = _open(browser, copied, SIZES[0])
    group = page.get_by_role("radiogroup", name="Lines for")
    checked = group.locator('input[type="radio"]:checked')
    assert checked.evaluate("e => e.closest('label').innerText").strip() == "all"
    page.close()


@pytest.mark.parametrize("present", [False, True], ids=["normal", "present"])
def test_screenshots(server: str, browser: Any, present: bool) -> None:
    """Each page at 1440x900, then the same page widened to 1920x1080 (see resized_screenshot)."""
    for path in LINKS:
        params = dict(LINKS[path])
        if path == "map":
            params = {"dataset": "sim-demo", "runs": RUNS, "sample": "sim-0003-h090"}
        if present:
            params["present"] = "1"
        page = _open(browser, f"{server}/{path}?{urlencode(params, doseq=True)}", SIZES[0])
        mode = "present" if present else "normal"
        for number, size in enumerate(SIZES):
            name = f"{path}-{mode}-{size['width']}x{size['height']}"
            if number:
                resized_screenshot(page, size, SHOTS, name)
            else:
                screenshot(page, SHOTS, name)
            if path in ("map", "compare"):
                assert page.locator("canvas").count() > 0
            if present and path == "map":
                assert_map_and_legend_on_screen(page, size)
                _assert_tables_are_static_and_large(page, size)
                if not number:
                    _assert_the_wheel_scrolls_the_page_not_the_map(page)
            if present and path == "compare":
                _assert_the_world_fills_the_map(page, size)
            if present and path == "gallery":  # the cards' truth and guesses (st.text)
                sizes = page.eval_on_selector_all(
                    '[data-testid="stText"]',
                    "els => els.map(e => parseFloat(getComputedStyle(e.firstElementChild || e)"
                    ".fontSize))",
                )
                assert sizes and min(sizes) >= 18, sorted(sizes)[:3]
        page.close()


def _assert_the_world_fills_the_map(page: Any, size: dict[str, int]) -> None:
    """Presentation mode: the land runs from the map's top to its bottom, at every screen size.

    The map on this page (points on land, no error lines) is fitted to the size the browser
    measured (pages/_map_fit.py). Fitted to the smallest map height instead, the world filled
    only 420 of the 620 px a 1920x1080 screen gives it.
    """
    import io

    import numpy as np
    from PIL import Image

    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    image = Image.open(io.BytesIO(chart.screenshot())).convert("L")
    inner = np.asarray(image)[4:-4, 4:-4]  # inside the chart's border and rounded corners
    rows = np.flatnonzero((inner < 245).any(axis=1))  # rows where anything is drawn on white
    share = (rows[-1] - rows[0] + 1) / inner.shape[0] if rows.size else 0.0
    assert share >= 0.93, (size, image.size, round(float(share), 3))


_CELL_PX_JS = (
    "els => els.map(e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize))"
)


def _assert_tables_are_static_and_large(page: Any, size: dict[str, int]) -> None:
    """Presentation mode: the worst failures and the open image's guesses, in large type.

    The interactive grid draws its text on a canvas at a fixed small size; the static tables
    that replace it grow with the page's other text.
    """
    assert page.locator('[data-testid="stDataFrame"]:visible').count() == 0, size
    tables = page.locator('[data-testid="stTable"]')
    assert tables.count() >= 2, size  # the worst failures, and the selected image's guesses
    worst = tables.first.inner_text()
    assert "error" in worst and " km" in worst, worst[:200]
    sizes = page.eval_on_selector_all('[data-testid="stTable"] td', _CELL_PX_JS)
    assert sizes and min(sizes) >= 18, (size, sorted(sizes)[:3])


_MAIN_SCROLL_JS = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"


def _assert_the_wheel_scrolls_the_page_not_the_map(page: Any) -> None:
    """Presentation mode: the wheel over the map (most of the screen there) scrolls the page.

    In normal mode the wheel zooms the map; a presenter scrolling down to the table below it
    would zoom the map out of its fitted view instead.
    """
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    box = chart.bounding_box()
    assert box is not None
    before = list(middle_of(chart.screenshot()).tobytes())
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(600)
    assert page.evaluate(_MAIN_SCROLL_JS) > 0  # the page moved
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop = 0")
    page.mouse.move(2, 2)  # no hover highlight or tooltip on the map
    page.wait_for_timeout(300)
    after = list(middle_of(chart.screenshot()).tobytes())
    # and the map did not zoom: a zoom moves nearly every pixel, a hover fades a point or two
    changed = sum(1 for a, b in zip(before, after, strict=True) if a != b) / len(before)
    assert changed < 0.02, changed
