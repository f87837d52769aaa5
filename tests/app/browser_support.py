"""Shared real-browser harness: `streamlit run app.py` on 127.0.0.1 plus Debian chromium.

Used by the browser tests (markers `browser`, `slow`). Playwright is imported lazily and is never
asked to download a browser: it drives the system chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from analysis.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
# offline, sandbox-less CI: no QUIC, no background traffic to Google services
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every page Playwright opens is a browser window, and for each window chromium 156 preloads the
# two WebUI pages of its omnibox popup (chrome://omnibox-popup.top-chrome) in a renderer of their
# own: about 0.6 CPU-s per page load here, for a popup that headless never shows. Chromium reads
# only the last --disable-features switch, so ours repeats the features Playwright's launch
# disables (test_browser_support checks, on a real launch, that it still holds all of them).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AimEnabled,AvoidCorsURLLoaderRestartOnRedirect,AvoidUnnecessaryBeforeUnloadCheckSync,"
    "DestroyProfileOnBrowserClose,HttpsFirstBalancedModeAutoEnable,HttpsUpgrades,LensOverlay,"
    "MediaRouter,NetworkTimeServiceQuerying,OptimizationHints,PaintHolding,PreconnectToSearch,"
    "TcpPortRandomizationWin,ThirdPartyStoragePartitioning,"
    "msEdgeUpdateLaunchServicesPreferredVersion,msForceBrowserSignIn"
)
CHROMIUM_ARGS.append(
    f"--disable-features={PLAYWRIGHT_DISABLED_FEATURES},WebUIOmniboxPopup,WebUIOmniboxAimPopup"
)
# WebGL without a GPU. Chromium's own software renderer (SwiftShader, behind --disable-gpu)
# spent about 4 CPU-s per deck.gl page load here; Mesa's llvmpipe, reached through ANGLE's
# OpenGL ES backend on surfaceless EGL, draws the same maps for about a third less CPU. It needs
# Debian's libegl-mesa0 and libgl1-mesa-dri (scripts/install.sh installs them with chromium).
# A probe at the first launch checks that WebGL really runs on it, else SwiftShader is used;
# GEOSCOPE_TEST_WEBGL=swiftshader forces SwiftShader. Only WebGL goes through llvmpipe: page
# compositing (and so rasterisation) stays in software, as under SwiftShader, because compositing
# every frame through llvmpipe cost the GPU process 2-5 CPU-s per page load against 0.1-0.9 s.
LLVMPIPE_ARGS = [
    "--use-gl=angle",
    "--use-angle=gl-egl",
    "--ignore-gpu-blocklist",
    "--enable-gpu",
    "--disable-gpu-compositing",
]
SWIFTSHADER_ARGS = ["--disable-gpu"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
VIEWPORT = {"width": 1400, "height": 1500}


def require_browser() -> None:
    """Skip when chromium or playwright is missing locally; fail when chromium is missing in CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI (apt-get install chromium)")
        pytest.skip(f"Debian chromium not installed at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout_s: float) -> str | None:
    """Poll streamlit's health endpoint; return why it never came up, or None once it answers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"streamlit exited early with code {process.returncode}"
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return None
        except OSError:
            time.sleep(0.3)
    return f"streamlit did not answer at {base_url} within {timeout_s:.0f} s"


@contextmanager
def streamlit_server(
    env: Mapping[str, str], log_path: Path, timeout_s: float = 60.0
) -> Iterator[str]:
    """Run `streamlit run app.py` headless with `env` added to os.environ; yield its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        problem = _wait_healthy(base_url, process, timeout_s)
        if problem is not None:
            log.flush()
            tail = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"{problem}; log: {tail}")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


class SharedContextBrowser:
    """The part of Playwright's Browser the tests use, with every page in one browser context.

    ``Browser.new_page`` opens a fresh context per page: an empty HTTP cache and V8 code cache,
    so each page downloaded and compiled Streamlit's JavaScript bundle again (about 0.5 s of
    CPU per page load here). Pages of one shared context reuse both. Streamlit's state lives in
    each page's own websocket session, so pages still start from a clean session.
    """

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.context = browser.new_context()

    def new_page(self, viewport: Mapping[str, int] | None = None) -> Any:
        """Open a page in the shared context, sized to `viewport` when given."""
        page = self.context.new_page()
        if viewport is not None:
            page.set_viewport_size(dict(viewport))
        return page


_WEBGL_RENDERER_JS = """() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return '';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
}"""
_llvmpipe_works: bool | None = None  # decided by the first launch in this process


def webgl_renderer(browser: Any) -> str:
    """Return the WebGL 2 renderer string of `browser` ('' when WebGL 2 is missing)."""
    context = browser.new_context()
    try:
        return str(context.new_page().evaluate(_WEBGL_RENDERER_JS))
    finally:
        context.close()


def _launch(pw: Any) -> Any:
    """Launch chromium on llvmpipe when it draws WebGL here, else on SwiftShader."""
    global _llvmpipe_works
    chromium = pw.chromium
    if os.environ.get("GEOSCOPE_TEST_WEBGL") == "swiftshader" or _llvmpipe_works is False:
        return chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + SWIFTSHADER_ARGS)
    browser = chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + LLVMPIPE_ARGS)
    if _llvmpipe_works is None:
        _llvmpipe_works = "llvmpipe" in webgl_renderer(browser)
        if not _llvmpipe_works:
            browser.close()
            return _launch(pw)
    return browser


_PROCESS: dict[str, Any] = {}  # this test process's Playwright driver and chromium


def _process_browser() -> Any:
    """Return this process's chromium, launching it (and Playwright's driver) on first use.

    The browser-test blocks that run one after another on a pytest worker share it instead of
    launching one each. Each block still gets its own context (``chromium_browser``), so no
    cookie, cache or page leaks from one to the next.
    """
    browser = _PROCESS.get("browser")
    if browser is not None and browser.is_connected():
        return browser
    if "playwright" not in _PROCESS:
        from playwright.sync_api import sync_playwright

        _PROCESS["playwright"] = sync_playwright().start()
    browser = _PROCESS["browser"] = _launch(_PROCESS["playwright"])
    return browser


def close_process_browser() -> None:
    """Close this process's chromium and Playwright's driver, if they were started."""
    browser = _PROCESS.pop("browser", None)
    playwright = _PROCESS.pop("playwright", None)
    if browser is not None and browser.is_connected():
        browser.close()
    if playwright is not None:
        playwright.stop()


@contextmanager
def chromium_browser() -> Iterator[SharedContextBrowser]:
    """Yield the system chromium (through Playwright) behind a context of this block's own.

    The browser is this process's shared one (see ``_process_browser``); the block's pages
    share the context, which is closed, with them, when the block ends.
    """
    shared = SharedContextBrowser(_process_browser())
    try:
        yield shared
    finally:
        shared.context.close()


# The app root carries the script's run state and the websocket's state as data attributes (the
# frontend sets them for Streamlit's own end-to-end tests): idle means connected, a script run
# that has finished ("initial" before the first run is not idle), and no running indicator.
# Nor is a page idle while an element waits for its code (a map or a chart is a placeholder,
# stSkeleton, until then): a check right after `settle` would find no map and no chart.
_IDLE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]');
}"""
SETTLE_QUIET_S = 1.2  # idle this long in a row: a rerun that a widget or a query-param write
SETTLE_POLL_S = 0.2  # asks for right after a run has started by then


def settle(page: Any, timeout_s: float = 150) -> None:
    """Wait until the app has been idle (see `_IDLE_JS`) for `SETTLE_QUIET_S` in a row.

    Reading the run state beats watching the running indicator alone: the indicator appears
    only a moment after a run starts, so the quiet window had to be long (3 s) to be safe.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    start = time.monotonic()
    idle_since: float | None = None
    while True:
        now = time.monotonic()
        if now - start > timeout_s:
            raise AssertionError("the page never finished running")
        if page.evaluate(_IDLE_JS):
            idle_since = now if idle_since is None else idle_since
            if now - idle_since >= SETTLE_QUIET_S:
                return
        else:
            idle_since = None
        time.sleep(SETTLE_POLL_S)


def choose(page: Any, option: str, select: int = 0, attempts: int = 4) -> None:
    """Pick `option` in the `select`-th multiselect, retrying when a rerun closed its list.

    After an upload Streamlit reruns the page and may redraw the widget while its list is
    open; on a loaded machine the click then lands on a list that is gone. Wait for the
    page to be idle, open the list, click the option and check that its tag appeared; return
    once the rerun the choice starts is over.
    """
    from playwright.sync_api import Error as PlaywrightError

    widget = page.locator('[data-testid="stMultiSelect"]').nth(select)
    tag = widget.locator(
        f'[data-testid="stMultiSelectTagsContainer"] [data-tag][aria-label="{option}"]'
    )
    for attempt in range(attempts):
        settle(page, timeout_s=60)
        try:
            widget.click()
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            page.keyboard.press("Escape")
            tag.wait_for(state="visible", timeout=10_000)
        except PlaywrightError:
            page.keyboard.press("Escape")
            if tag.count() == 0:
                if attempt == attempts - 1:
                    raise
                continue
        # the choice reruns the page: return once that rerun is over, or a click the caller
        # makes next (a button) can be lost to it
        settle(page, timeout_s=60)
        return


def pick(page: Any, label: str, option: str, attempts: int = 3) -> None:
    """Choose `option` in the selectbox labelled `label`, then wait for the rerun to end.

    A click that first has to scroll the page to the selectbox opens its list and the scroll
    closes it again (seen once a table above pushed it off the first screen): the box is
    scrolled into view before each click, and the click is tried again if no list opened.
    """
    from playwright.sync_api import Error as PlaywrightError

    box = page.get_by_label(label)
    for attempt in range(attempts):
        box.scroll_into_view_if_needed()
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except PlaywrightError:
            page.keyboard.press("Escape")
            if attempt == attempts - 1:
                raise
    settle(page)


def offline_page(
    browser: SharedContextBrowser, viewport: Mapping[str, int]
) -> tuple[Any, list[str], list[str]]:
    """Open a page that may load only file:// URLs; return it with the blocked URLs and errors.

    Every other request is aborted and recorded, console errors and uncaught page errors are
    collected: a file that opens from disk with the network off leaves both lists empty.
    """
    page = browser.new_page(viewport=dict(viewport))
    blocked: list[str] = []
    errors: list[str] = []

    def route(request: Any) -> None:
        if request.request.url.startswith("file://"):
            request.continue_()
        else:
            blocked.append(request.request.url)
            request.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, blocked, errors


# every deck.gl map on screen has sized its canvas to its box: streamlit loads the map component
# after the script run has ended, so a screenshot right after `settle` could show a blank map.
# Until its code has loaded, a map is a placeholder (stSkeleton) with no stDeckGlJsonChart in it:
# a loaded machine once passed this check with the map still a placeholder, and no map drawn
MAPS_SIZED_JS = """() => !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')]
    .filter(chart => chart.getClientRects().length > 0)
    .every(chart => {
        const canvas = chart.querySelector('canvas#deckgl-overlay');
        return !!canvas && canvas.clientWidth > 0
            && Math.abs(canvas.width - canvas.clientWidth * devicePixelRatio) <= 2;
    })"""
_TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def wait_for_maps(page: Any, timeout_ms: int = 30_000) -> None:
    """Wait until every visible deck.gl map has sized its canvas and drawn something on it.

    A sized canvas and two animation frames were not enough on a loaded machine: deck.gl
    was still reading a large layer (the country map) and the screenshot showed a blank map.
    A map is drawn once its middle is no longer one flat colour.
    """
    page.wait_for_function(MAPS_SIZED_JS, timeout=timeout_ms)
    page.evaluate(_TWO_FRAMES_JS)
    charts = page.locator('[data-testid="stDeckGlJsonChart"]:visible')
    deadline = time.monotonic() + timeout_ms / 1000
    scrolled = page.evaluate("[window.scrollX, window.scrollY]")  # a shot scrolls to its map
    for index in range(charts.count()):
        while _is_blank(charts.nth(index).screenshot()):
            if time.monotonic() > deadline:
                raise AssertionError(f"map {index} stayed blank for {timeout_ms} ms")
            page.wait_for_timeout(250)
    page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)


def middle_of(png: bytes) -> Any:
    """The middle half of a chart's screenshot in grey levels (a PIL image).

    The chart's border and rounded corners are left out: they are there before any draw.
    """
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    return image.crop((width // 4, height // 4, width * 3 // 4, height * 3 // 4))


def _is_blank(png: bytes) -> bool:
    """Whether a map's middle is one flat colour (a deck.gl canvas before its first draw)."""
    return sum(1 for count in middle_of(png).histogram() if count) <= 2


_MAP_AND_LEGEND_JS = """() => {
    const box = s => { const e = document.querySelector(s); return e && e.getBoundingClientRect(); };
    const map = box('[data-testid="stDeckGlJsonChart"]'), legend = box('.geoscope-legend');
    const canvas = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
    return {map_top: map.top, map_bottom: map.bottom, legend_bottom: legend.bottom,
            canvas_px: canvas.clientHeight};
}"""


def assert_map_and_legend_on_screen(page: Any, size: Mapping[str, int]) -> None:
    """Presentation mode: the whole map (the first on the page) and its legend fit the first screen."""
    facts = page.evaluate(_MAP_AND_LEGEND_JS)
    assert facts["legend_bottom"] <= size["height"], (size, facts)
    assert facts["map_bottom"] - facts["map_top"] >= 400, (size, facts)  # still a real map
    assert abs(facts["canvas_px"] - (facts["map_bottom"] - facts["map_top"])) <= 2, facts


# per plotly chart: how far its title runs past the chart's right and top edges (px)
_TITLE_OVERFLOW_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
    const title = plot.querySelector('.gtitle'), svg = plot.querySelector('svg.main-svg');
    if (!title || !svg) return [0, 0];
    const t = title.getBoundingClientRect(), s = svg.getBoundingClientRect();
    return [t.right - s.right, s.top - t.top];
})"""


# per element: how far its widest part scrolls sideways (px); a static table scrolls inside a
# wrapper of its own, so the element's own scroll width says nothing
SIDEWAYS_JS = """els => els.map(el => Math.max(
    0, ...[el, ...el.querySelectorAll('div')].map(part => part.scrollWidth - part.clientWidth)))"""


def assert_chart_titles_inside(page: Any, name: str) -> None:
    """Fail when a chart's title runs past its chart's right or top edge (a long run name)."""
    overflow = page.evaluate(_TITLE_OVERFLOW_JS)
    assert all(right <= 1 and top <= 1 for right, top in overflow), (name, overflow)


def screenshot(page: Any, folder: Path, name: str) -> Path:
    """Save a full-page screenshot as `folder/name.png` (folder created) and return its path.

    Visible maps are drawn first (``wait_for_maps``), so no screenshot shows a blank map, and
    every screen that is screenshotted is also checked for cut chart titles.
    """
    wait_for_maps(page)
    assert_chart_titles_inside(page, name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def resized_screenshot(page: Any, viewport: Mapping[str, int], folder: Path, name: str) -> Path:
    """Resize an open page to `viewport`, screenshot it as `folder/name.png`, check no exception.

    A resize reflows the page and redraws its charts and maps, so one page load serves several
    screen sizes. In presentation mode it also reruns the script once (the map is fitted to its
    new size: pages/_map_fit.py), so the page is settled again before the screenshot; the quiet
    second that takes also lets plotly and deck.gl redraw.
    """
    page.set_viewport_size(dict(viewport))
    settle(page)
    path = screenshot(page, folder, name)
    assert page.locator('[data-testid="stException"]').count() == 0, name
    return path
