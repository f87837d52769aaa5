"""The collector's docs state each source's terms, with links, and the README points there."""

from __future__ import annotations

import re

import pytest

from analysis.cli import main
from analysis.config import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "collect.md"
TERMS_ANCHOR = "terms-storing-sharing-and-training-on-the-images"


def _section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 3)
    return text[start : end if end > 0 else None]


def _slug(heading: str) -> str:
    # GitHub's anchor: lower case, punctuation dropped, spaces to hyphens
    return re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")


def test_the_terms_section_covers_each_source_with_links_and_no_legal_advice() -> None:
    text = DOC.read_text(encoding="utf-8")
    terms = _section(text, "Terms: storing, sharing and training on the images")
    assert _slug("Terms: storing, sharing and training on the images") == TERMS_ANCHOR
    assert "does not give legal advice" in terms
    for link in ("https://cloud.google.com/maps-platform/terms",
                 "https://cloud.google.com/maps-platform/terms/maps-service-terms",
                 "https://creativecommons.org/licenses/by-sa/4.0/",
                 "https://www.mapillary.com/terms"):  # fmt: skip
        assert f"({link})" in terms, link
    for source in ("Google Street View", "Mapillary", "Your own photos"):
        assert f"**{source}" in terms, source
    for use in ("caching or storing", "train", "redistribute", "attribute", "same terms"):
        assert use in terms, use


def test_the_cost_section_gives_the_list_prices_with_source_and_date() -> None:
    cost = _section(DOC.read_text(encoding="utf-8"), "Cost")
    assert "| 0 – 100,000 | 7.00 |" in cost and "| 100,001 – 500,000 | 5.60 |" in cost
    assert "2025" in cost and "--price-per-1000" in cost and "not billed" in cost
    assert "https://developers.google.com/maps/documentation/streetview/usage-and-billing" in cost
    assert "Mapillary charges nothing" in cost


def test_the_readme_collector_line_points_to_the_terms() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith("| Collector |"))
    assert f"docs/collect.md#{TERMS_ANCHOR}" in line and "not legal advice" in line
    assert "own geotagged photos" in line


def test_the_streetview_help_warns_about_the_terms(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["collect", "streetview", "--help"])
    text = capsys.readouterr().out
    assert "terms limit storing Street View images" in text and "docs/collect.md" in text
