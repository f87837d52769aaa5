"""Real browser: screens in normal and presentation mode at 1440x900 and 1920x1080, readable
sizes, the headline table without horizontal scroll, every confusion label, the exit control,
and the static report rendering offline.

One streamlit server for the module on the demo plus real runs (LLMGeo CLIP baseline, two
OSV-5M runs, and a run over all 998 LLMGeo test images: 82 true countries).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis.store import Store
from pages._registry import PAGES
from tests.app.browser_support import (
    ARTIFACTS,
    SIDEWAYS_JS,
    assert_map_and_legend_on_screen,
    chromium_browser,
    offline_page,
    require_browser,
    resized_screenshot,
    screenshot,
    settle,
    streamlit_server,
)
from tests.report.conftest import load_real_runs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ARTIFACTS / "presentation"
SIZES = {"1440": {"width": 1440, "height": 900}, "1920": {"width": 1920, "height": 1080}}
EVERY = "countries?dataset=llmgeo-test&runs=llmgeo-every"


@pytest.fixture(scope="module")
def db(
    demo_db: tuple[Path, Path], shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    require_browser()
    root = tmp_path_factory.mktemp("present")
    path = root / "geoscope.duckdb"
    shutil.copy(demo_db[0], path)
    load_real_runs(Store(path), shared_data, root, full_manifest=True)
    return path


@pytest.fixture(scope="module")
def server(db: Path, demo_db: tuple[Path, Path]) -> Iterator[str]:
    env = {"GEOSCOPE_DB": str(db), "GEOSCOPE_CACHE": str(demo_db[1])}
    with streamlit_server(env, db.parent / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as launched:
        yield launched


def _open(browser: Any, url: str, size: str, name: str) -> Any:
    page = browser.new_page(viewport=SIZES[size])
    page.goto(url)
    settle(page)
    screenshot(page, SHOTS, f"{name}-{size}")
    assert page.locator('[data-testid="stException"]').count() == 0, name
    assert "Unexpected error" not in page.inner_text("body"), name
    return page


def _widen(page: Any, name: str) -> None:
    """Resize an open 1440x900 page to 1920x1080 and screenshot it as `name`-1920."""
    resized_screenshot(page, SIZES["1920"], SHOTS, f"{name}-1920")


_TICKS = ".js-plotly-plot .xtick text, .js-plotly-plot .ytick text"


def _tick_sizes(page: Any) -> list[float]:
    sizes: list[float] = page.eval_on_selector_all(
        _TICKS,
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    return sizes


def test_leaderboard_headline_fits_1440_without_scrolling(server: str, browser: Any) -> None:
    page = _open(browser, f"{server}/leaderboard", "1440", "leaderboard-normal")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    widths = grid.evaluate(
        """el => { const s = el.querySelector('.dvn-scroller') || el;
                   return [s.scrollWidth, s.clientWidth]; }"""
    )
    assert widths[0] <= widths[1] + 2, widths  # every headline column visible at once
    _widen(page, "leaderboard-normal")
    page.close()


def test_presentation_text_is_large_and_unclipped(server: str, browser: Any) -> None:
    page = _open(browser, f"{server}/leaderboard?present=1", "1440", "leaderboard-present")
    for widened in (False, True):
        if widened:
            _widen(page, "leaderboard-present")
        # on a loaded machine plotly may still be redrawing its axes after the resize
        page.wait_for_function(f"() => document.querySelector({_TICKS!r}) !== null")
        sizes = _tick_sizes(page)
        assert sizes and min(sizes) >= 18, (widened, sorted(sizes)[:5])
        fills = page.eval_on_selector_all(
            ".js-plotly-plot .xtick text", "els => els.map(e => getComputedStyle(e).fill)"
        )
        assert all(f in ("rgb(17, 17, 17)",) for f in fills), set(fills)
        h1 = page.locator("h1").first.bounding_box()
        assert h1 is not None and h1["y"] >= 0  # the title is not cut by the top edge
        _check_static_tables(page, widened, must_show=("clip", "Country"))
    page.close()
    page = _open(browser, f"{server}/{EVERY}&present=1", "1440", "countries-present")
    _widen(page, "countries-present")
    page.close()


# per static table: the smallest font of its cells and headers, its widths, and the alignment
# of its cells (number cells are right-aligned)
_TABLE_FACTS_JS = """els => els.map(el => {
    const cells = [...el.querySelectorAll('th, td')];
    const sizes = cells.map(c => parseFloat(getComputedStyle(c.querySelector('p') || c).fontSize));
    const aligned = [...el.querySelectorAll('td')].map(c => [c.innerText, getComputedStyle(c).textAlign]);
    return {min_px: Math.min(...sizes), cells: cells.length, text: el.innerText, aligned};
})"""
_NUMBER = re.compile(r"^[+-]?[\d,.]+( ?(%|km|pts))?$")


def _check_static_tables(page: Any, widened: bool, must_show: tuple[str, ...]) -> None:
    """Presentation mode's tables: static, large type, every column visible, numbers right-aligned."""
    tables = page.eval_on_selector_all('[data-testid="stTable"]', _TABLE_FACTS_JS)
    assert tables, "presentation mode draws its tables as static tables"
    # no small-print grid on screen (the expanders' detail tables stay closed until asked for)
    assert page.locator('[data-testid="stDataFrame"]:visible').count() == 0
    sideways = page.eval_on_selector_all('[data-testid="stTable"]', SIDEWAYS_JS)
    assert all(extra <= 2 for extra in sideways), (widened, sideways)  # every column on screen
    numbers = []
    for facts in tables:
        assert facts["cells"] > 0 and facts["min_px"] >= 18, (widened, facts)
        numbers += [align for text, align in facts["aligned"] if _NUMBER.match(text)]
    # a table may hold only text (a metric with its interval): the numbers there are, are right
    assert numbers and set(numbers) == {"right"}, (widened, numbers)
    text = " ".join(facts["text"] for facts in tables)
    assert all(word in text for word in must_show), text


def test_presentation_metrics_not_smaller_than_normal(server: str, browser: Any) -> None:
    query = "compare?dataset=osv-best&a=osv-best&b=osv-base"
    sizes = []
    for present in ("", "&present=1"):
        page = _open(browser, f"{server}/{query}{present}", "1440", f"compare{present[1:8]}")
        # the size of the text itself: the value is a paragraph inside the metric's box
        values = page.eval_on_selector_all(
            '[data-testid="stMetricValue"]',
            "els => els.map(e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize))",
        )
        sizes.append(min(values) if values else None)
        if present:  # the slice table and every metric: static, large, differences in points
            _check_static_tables(page, False, must_show=("A − B", "pts", "Country accuracy"))
        page.close()
    if sizes[0] is None:
        pytest.skip("the compare page shows no st.metric")
    assert sizes[1] is not None and sizes[1] >= sizes[0], sizes


def test_presentation_survives_a_click_and_can_be_left(server: str, browser: Any) -> None:
    url = f"{server}/countries?present=1&dataset=sim-demo&runs=sim-faroff-basic"
    page = _open(browser, url, "1440", "countries-present-sim")
    # with the simulated-data badge and note above it, the map and its legend still fit
    assert_map_and_legend_on_screen(page, SIZES["1440"])
    page.locator('[data-testid="stPageLink"] a').first.click()  # a confusion -> the map
    settle(page)
    assert "present=1" in page.url
    assert page.locator('[data-testid="stSidebar"]:visible').count() == 0
    page.get_by_role("button", name="Exit presentation").click()
    settle(page)
    assert "present=1" not in page.url
    assert page.locator('[data-testid="stSidebar"]:visible').count() == 1
    page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_confusion_matrix_labels_every_llmgeo_country(server: str, browser: Any, size: str) -> None:
    page = _open(browser, f"{server}/{EVERY}", size, "countries-normal")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Confusion matrix")
    chart.scroll_into_view_if_needed()
    boxes = chart.first.evaluate(
        """el => Array.from(el.querySelectorAll('.xtick text')).map(t => {
             const r = t.getBoundingClientRect();
             return [t.textContent, (r.left + r.right) / 2, r.width,
                     parseFloat(getComputedStyle(t).fontSize)]; })"""
    )
    labels = [b[0] for b in boxes]
    assert len(labels) == 82 + 2 and len(set(labels)) == 84  # 82 countries + other + none
    assert all(b[2] > 0 for b in boxes)  # drawn, not hidden
    # rotated upper-case codes are ~0.75 em wide on screen: centres that far apart never touch
    centres = sorted(b[1] for b in boxes)
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    assert min(gaps) >= 0.75 * boxes[0][3], (min(gaps), boxes[0][3])
    chart.first.screenshot(path=str(SHOTS / f"confusion-82-{size}.png"))
    page.close()


# the text inside the controls a page keeps in presentation mode (select values, upload hints)
_CONTROL_TEXT = (
    '[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input, '
    '[data-testid="stFileUploaderDropzoneInstructions"] span'
)
_FONT_PX_JS = "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"


def test_quick_pass_over_the_other_pages(server: str, browser: Any) -> None:
    """Every page not screenshotted elsewhere, normal and presentation, at 1440x900 and 1920x1080.

    Leaderboard and Countries are above; Map, Gallery and Compare are in test_map_browser.
    """
    for spec in PAGES:
        if spec.url_path in ("leaderboard", "countries", "map", "gallery", "compare"):
            continue
        for present in ("", "&present=1"):
            url = f"{server}/{spec.url_path}?dataset=osv-best&runs=osv-best&a=osv-best&b=osv-base"
            name = f"{spec.url_path}-{'present' if present else 'normal'}"
            page = _open(browser, url + present, "1440", name)
            if spec.url_path == "data" and present:
                _check_static_tables(page, False, must_show=("osv-best", "Images", "Answered"))
            if spec.url_path == "live" and present:  # the controls the demo is run with
                sizes = page.eval_on_selector_all(_CONTROL_TEXT, _FONT_PX_JS)
                assert len(sizes) >= 3 and min(sizes) >= 18, sizes
                # and the button that runs it, on the first screen with them
                ask = page.get_by_role("button", name="Ask the models").bounding_box()
                assert ask is not None and ask["y"] + ask["height"] <= SIZES["1440"]["height"]
            _widen(page, name)
            page.close()


@pytest.mark.parametrize("runs", [["llmgeo-clip-nn1"], ["osv-best", "osv-base"]])
def test_report_renders_offline(db: Path, browser: Any, tmp_path: Path, runs: list[str]) -> None:
    from analysis.report import build_report

    # the PNGs are tests/report's concern (same two reports): this test is about the page
    result = build_report(Store(db), runs, tmp_path / "report", png=False)
    page, blocked, errors = offline_page(browser, SIZES["1440"])
    page.goto(result.index.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
    page.wait_for_timeout(1500)
    screenshot(page, SHOTS, f"report-{'-'.join(runs)}")
    n_divs = page.locator(".js-plotly-plot").count()
    assert n_divs == result.index.read_text().count("class='figure'")
    assert not errors, errors
    assert not blocked, blocked
    page.close()
