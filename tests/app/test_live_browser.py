"""The Live page in a real browser: Debian chromium through Playwright against ``streamlit run``.

Upload through the file button, pick a model, ask, wait for the answer card and the deck.gl map,
check the map canvas really drew something, and keep a screenshot in test-artifacts/.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT
from analysis.store import Store
from tests.live.badinputs import SMALL_PHOTO
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout_s:.0f} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, OpenAIServer]]:
    """Start the model server and ``streamlit run app.py`` on 127.0.0.1 with temporary state."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing in CI")
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    server = OpenAIServer(
        default=Reply.answer('Tuscany.\n{"country": "Italy", "lat": 43.5, "lon": 11.9}')
    )
    server.script(
        lambda r: r.model == "test-vlm",
        Reply.answer('{"country": "France", "lat": 45.0, "lon": 5.0}'),
    )
    server.start()
    db = tmp_path / "geoscope.duckdb"
    Store(db).migrate()  # an existing database: no demo on first launch
    port = _free_port()
    env = {
        **os.environ,
        "GEOSCOPE_DB": str(db),
        "GEOSCOPE_CACHE": str(tmp_path / "cache"),
        "GEOSCOPE_MODELS": str(write_presets(tmp_path / "models.toml", server.base_url)),
        "GEOSCOPE_TEST_KEY": "sk-browser-test-0123456789",
    }
    log = (tmp_path / "streamlit.log").open("wb")
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
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/_stcore/health", process)
        yield f"http://127.0.0.1:{port}", server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        server.stop()


def _drawn_share(png: bytes) -> float:
    """Return the share of pixels that differ from the most common colour (the background)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L").resize((200, 100))
    histogram = grey.histogram()
    return 1.0 - max(histogram) / sum(histogram)


def test_upload_choose_ask_and_see_the_map(
    served: tuple[str, OpenAIServer], shared_data: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base_url, server = served
    photo = shared_data / SMALL_PHOTO
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(f"{base_url}/live", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="Live")).to_be_visible(timeout=45_000)

            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                str(photo)
            )
            expect(page.get_by_text("Ground truth")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Photo's GPS (EXIF)")).to_be_visible()

            for option in ("local (paid)", "local-free"):
                page.locator('[data-testid="stMultiSelect"]').first.click()
                page.get_by_role("option", name=option, exact=True).click()
                page.keyboard.press("Escape")
            page.get_by_role("button", name="Ask the models").click()

            expect(page.get_by_text("Italy (ITA)")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("France (FRA)")).to_be_visible(timeout=60_000)
            canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
            expect(canvas).to_be_visible(timeout=30_000)
            expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)
            page.wait_for_timeout(1500)  # let deck.gl finish its first frames (SwiftShader)
            map_png = page.locator('[data-testid="stDeckGlJsonChart"]').first.screenshot()
            page.screenshot(path=str(ARTIFACTS / "live_page.png"), full_page=True)
            (ARTIFACTS / "live_map.png").write_bytes(map_png)
        finally:
            browser.close()
    assert server.calls == 2 and server.images_with_metadata == 0
    server.assert_clean_images()
    # Land outlines, lines and markers, not a blank canvas (no tiles are fetched offline).
    assert _drawn_share(map_png) > 0.05
