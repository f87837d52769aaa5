"""Real browser: the chromium the browser tests launch keeps Playwright's settings and drops the
omnibox popup's preloaded WebUI (see ``browser_support.CHROMIUM_ARGS``); screenshots wait for
maps whose code is still loading."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.browser_support import MAPS_SIZED_JS, chromium_browser, require_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    with chromium_browser() as chromium:
        yield chromium


def test_the_last_feature_switch_keeps_every_feature_disabled_before_it(browser: Any) -> None:
    """Chromium reads only the last --disable-features; none that Playwright passes may be lost.

    chrome://version prints the browser's whole command line: Playwright's switch comes first,
    ours after it, so a Playwright upgrade that disables one more feature fails here by name.
    """
    page = browser.new_page()
    page.goto("chrome://version")
    command_line = page.inner_text("body")
    page.close()
    switches = [
        set(value.split(",")) for value in re.findall(r"--disable-features=(\S+)", command_line)
    ]
    assert len(switches) >= 2, "expected Playwright's --disable-features and ours"
    missing = set().union(*switches[:-1]) - switches[-1]
    assert not missing, f"add to PLAYWRIGHT_DISABLED_FEATURES: {sorted(missing)}"
    assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= switches[-1]


def test_a_page_brings_no_omnibox_popup_renderer(browser: Any) -> None:
    page = browser.new_page()
    page.goto("data:text/html,<p>one page</p>")
    session = browser.browser.new_browser_cdp_session()
    targets = session.send("Target.getTargets")["targetInfos"]
    session.detach()
    page.close()
    urls = [target["url"] for target in targets]
    assert "data:text/html,<p>one page</p>" in urls
    assert not [url for url in urls if "omnibox-popup" in url], urls


def test_maps_are_not_ready_while_a_placeholder_waits_for_their_code(browser: Any) -> None:
    """A map whose code is still loading is a placeholder with no chart in it (stop 21's CI)."""
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.set_content('<div data-testid="stSkeleton" style="height:300px"></div>')
    placeholder_only = page.evaluate(MAPS_SIZED_JS)
    page.set_content(
        '<div data-testid="stDeckGlJsonChart" style="width:400px;height:300px">'
        '<canvas id="deckgl-overlay" style="width:400px;height:300px"></canvas></div>'
    )
    page.evaluate(
        "() => { const c = document.querySelector('canvas');"
        " c.width = 400 * devicePixelRatio; c.height = 300 * devicePixelRatio; }"
    )
    drawn_map = page.evaluate(MAPS_SIZED_JS)
    page.close()
    assert (placeholder_only, drawn_map) == (False, True)
