"""The Live page in a real browser: Debian chromium through Playwright against ``streamlit run``.

Upload through the file button, pick a model, ask, wait for the answer card and the deck.gl map,
check the map canvas really drew something, and keep a screenshot in test-artifacts/.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from analysis.store import Store
from tests.app import browser_support as harness
from tests.live.badinputs import SMALL_PHOTO
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@contextmanager
def _serve(tmp_path: Path, extra_env: dict[str, str]) -> Iterator[tuple[str, OpenAIServer]]:
    """Start the model server and ``streamlit run app.py`` on 127.0.0.1 with temporary state."""
    harness.require_browser()
    server = OpenAIServer(
        default=Reply.answer(
            'Cypresses, and the signs are in Italian.\n{"country": "Italy", "lat": 43.5, '
            '"lon": 11.9}'
        )
    )
    server.script(
        lambda r: r.model == "test-vlm",
        Reply.answer('{"country": "France", "lat": 45.0, "lon": 5.0}'),
    )
    server.start()
    db = tmp_path / "geoscope.duckdb"
    Store(db).migrate()  # an existing database: no demo on first launch
    env = {
        "GEOSCOPE_DB": str(db),
        "GEOSCOPE_CACHE": str(tmp_path / "cache"),
        "GEOSCOPE_MODELS": str(write_presets(tmp_path / "models.toml", server.base_url)),
        "GEOSCOPE_TEST_KEY": "sk-browser-test-0123456789",
        **extra_env,
    }
    try:
        with harness.streamlit_server(env, tmp_path / "streamlit.log") as base_url:
            yield base_url, server
    finally:
        server.stop()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, OpenAIServer]]:
    """The live page with the default caps."""
    with _serve(tmp_path, {}) as running:
        yield running


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
    from playwright.sync_api import expect

    base_url, server = served
    photo = shared_data / SMALL_PHOTO
    with harness.chromium_browser() as browser:
        page = browser.new_page(viewport=harness.VIEWPORT)
        page.goto(f"{base_url}/live", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Live")).to_be_visible(timeout=45_000)

        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(photo)
        )
        expect(page.get_by_text("Ground truth")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Photo's GPS (EXIF)")).to_be_visible()

        for option in ("local (paid)", "local-free"):
            harness.choose(page, option)
        page.get_by_role("button", name="Ask the models").click()

        expect(page.get_by_text("Italy (ITA)")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("France (FRA)")).to_be_visible(timeout=60_000)
        canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
        expect(canvas).to_be_visible(timeout=30_000)
        harness.settle(page, timeout_s=35)  # idle for ~3 s: deck.gl has drawn its first frames too
        map_png = page.locator('[data-testid="stDeckGlJsonChart"]').first.screenshot()
        harness.screenshot(page, harness.ARTIFACTS, "live_page")
        (harness.ARTIFACTS / "live_map.png").write_bytes(map_png)
        # the reasoning opens with its clues marked, and its claim checked against the EXIF truth
        reasons = page.get_by_text("Reasoning, with the clues it cites")
        for index in range(reasons.count()):  # one per card
            reasons.nth(index).click()
        mark = page.locator("mark", has_text="signs are in Italian")
        expect(mark).to_be_visible()
        expect(mark).to_have_attribute("title", re.compile(r"Italian, consistent with the truth"))
        harness.screenshot(page, harness.ARTIFACTS, "live_reasoning")
    assert server.calls == 2 and server.images_with_metadata == 0
    server.assert_clean_images()
    # Land outlines, lines and markers, not a blank canvas (no tiles are fetched offline).
    assert _drawn_share(map_png) > 0.05


OTHER_PHOTO = Path("photos") / "exif_gps" / "DSCN0021.jpg"


def _chosen_tags(page: Any) -> list[str]:
    """Return the labels shown as chosen in the Models multiselect."""
    models = page.locator('[data-testid="stMultiSelect"]').first
    tags = models.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
    return sorted(str(tags.nth(i).get_attribute("aria-label")) for i in range(tags.count()))


def test_choices_survive_replacing_the_photo_and_the_button_says_why_it_is_off(
    tmp_path: Path, shared_data: Path
) -> None:
    from playwright.sync_api import expect

    photos = [shared_data / SMALL_PHOTO, shared_data / OTHER_PHOTO]
    # below one paid call's worst case: the paid preset alone cannot be asked
    with (
        _serve(tmp_path, {"GEOSCOPE_LIVE_BUDGET_USD": "0.0001"}) as (base_url, server),
        harness.chromium_browser() as browser,
    ):
        page = browser.new_page(viewport=harness.VIEWPORT)
        page.goto(f"{base_url}/live", wait_until="domcontentloaded")
        ask = page.get_by_role("button", name="Ask the models")
        expect(ask).to_be_disabled(timeout=45_000)
        expect(page.get_by_text("Cannot ask: no photo yet")).to_be_visible()
        upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        upload.set_input_files(str(photos[0]))
        expect(page.get_by_text("Ground truth")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Cannot ask: no model chosen")).to_be_visible(timeout=30_000)
        expect(ask).to_be_disabled()

        harness.choose(page, "local (paid)")
        expect(page.get_by_text("Cannot ask: spending cap reached")).to_be_visible(timeout=30_000)
        expect(ask).to_be_disabled()
        harness.choose(page, "local-free")
        expect(ask).to_be_enabled(timeout=30_000)
        harness.settle(page, timeout_s=35)
        chosen = _chosen_tags(page)
        assert chosen == ["local (paid)", "local-free"]

        for step in range(6):
            if step == 3:  # remove the file with its own button, then upload again
                page.locator('[data-testid="stFileChipDeleteBtn"] button').first.click()
                expect(page.get_by_text("Cannot ask: no photo yet")).to_be_visible(timeout=30_000)
            photo = photos[(step + 1) % 2]
            upload.set_input_files(str(photo))
            # The caption under the photo names the new file once the rerun has drawn it; the
            # old photo's widgets may linger a moment beside the new ones until then.
            caption = re.compile(re.escape(photo.name) + r" - \d+x\d+")
            expect(page.get_by_text(caption)).to_be_visible(timeout=30_000)
            harness.settle(page, timeout_s=35)
            expect(page.get_by_text("Ground truth", exact=True)).to_have_count(1)
            expect(page.get_by_text("Ground truth", exact=True)).to_be_visible()
            assert _chosen_tags(page) == chosen, step
            expect(ask).to_be_enabled()

        ask.click()
        expect(page.get_by_text("Italy (ITA)")).to_be_visible(timeout=60_000)  # the free model
        expect(page.get_by_text("spending cap reached").first).to_be_visible(timeout=60_000)
        harness.screenshot(page, harness.ARTIFACTS, "live_choices_kept")
    assert [r.model for r in server.requests] == ["test-vlm-free"]
