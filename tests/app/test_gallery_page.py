"""AppTest of the failure gallery: cards, filters, sort, thumbnails, links to the map detail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pages._registry import page_by_url
from tests.app.conftest import assert_clean, new_app, texts
from tests.app.test_map_page import LONG_RUN, rich_db, rich_env  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("rich_env")]


def _gallery(params: dict[str, object]) -> AppTest:
    at = new_app()
    at.query_params.update(params)
    at.switch_page(page_by_url("gallery").file)
    at.run()
    assert_clean(at)
    return at


def _links(at: AppTest) -> list[str]:
    return [e.proto.query_string for e in at.get("page_link") if "sample=" in e.proto.query_string]


def test_gallery_shows_thumbnails_guesses_and_detail_links() -> None:
    at = _gallery({"dataset": "sim-demo", "runs": ["sim-faroff-basic"], "n": "8"})
    assert len(at.get("image")) == 8  # placeholder images thumbnailed locally
    links = _links(at)
    assert len(links) == 8 and all("runs=sim-faroff-basic" in q for q in links)
    assert "sim-faroff · basic: " in texts(at)


def test_missing_image_files_say_so_and_controls_reach_the_url() -> None:
    at = _gallery({"dataset": "csv-set", "runs": [LONG_RUN, "csv-b"]})
    assert "No image file stored for this sample" in texts(at)
    assert "gpt-4o · basic: NOR, 2,075 km" in texts(at) or "gpt-4o · basic: NOR" in texts(at)
    at.radio(key="gal_sort").set_value("best").run()
    at.multiselect(key="gal_country").set_value(["DEU"]).run()
    assert_clean(at)
    assert at.query_params.get("sort") in ("best", ["best"])
    assert at.query_params.get("country") in ("DEU", ["DEU"])
    assert len(_links(at)) == 1 and "sample=c2" in _links(at)[0]


def test_gallery_controls_are_read_from_a_link() -> None:
    at = _gallery(
        {"dataset": "sim-demo", "runs": ["sim-refuser-basic"], "sort": "best", "n": "12",
         "outcome": "wrong", "continent": ["Asia"]}
    )  # fmt: skip
    assert at.radio(key="gal_sort").value == "best"
    assert at.number_input(key="gal_n").value == 12
    assert at.radio(key="gal_outcome").value == "wrong"
    assert at.multiselect(key="gal_continent").value == ["Asia"]
