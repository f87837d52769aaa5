"""Real browser: a downloaded chart or map HTML file draws from disk with the network blocked.

The file carries plotly.js gzip-packed and unpacks it in the page (``figure_html``); only a
browser can show that this works, that nothing is fetched and that no console error appears.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.viz import charts
from analysis.viz.colors import run_colors
from analysis.viz.export import figure_html, map_figure
from tests.app.browser_support import (
    ARTIFACTS,
    chromium_browser,
    offline_page,
    require_browser,
    screenshot,
)

pytestmark = [pytest.mark.browser]

HOSTILE = 'B</script><script>document.title="owned"</script><img src=http://127.0.0.1:9/x>'


def _open_offline(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page, blocked, errors = offline_page(browser, {"width": 1440, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('#geoscope-figure .main-svg').length > 0", timeout=30_000
    )
    return page, blocked, errors


@pytest.mark.parametrize("kind", ["chart", "map"])
def test_html_export_draws_offline_at_under_half_the_old_size(
    kind: str, tmp_path: Path, toy_shapes: pd.DataFrame, small_frame: pd.DataFrame
) -> None:
    require_browser()
    fig: go.Figure
    if kind == "chart":
        fig = charts.paired_table_figure([[3, 1], [2, 4]], ("A", HOSTILE))
    else:
        fig = map_figure(toy_shapes, small_frame, run_colors(["r1", "r2"]), title=HOSTILE)
    path = tmp_path / f"{kind}.html"
    path.write_text(figure_html(fig), encoding="utf-8")
    # plotly.js alone is 4.8 MB: the old inlined exports were ~5 MB whatever the figure
    assert path.stat().st_size < 2_300_000
    with chromium_browser() as browser:
        page, blocked, errors = _open_offline(browser, path)
        page.wait_for_timeout(500)
        screenshot(page, ARTIFACTS / "exports", f"html-{kind}")
        text = page.inner_text("body")
        title = page.title()
        images = page.locator("img").count()
    assert not errors, errors
    assert not blocked, blocked
    assert title != "owned" and images == 0  # the hostile name stayed data
    if kind == "chart":
        assert "Could not" not in text and "could not draw" not in text
