"""The dashboard's page list: adding a page is one file in pages/ plus one entry here.

Kept free of streamlit imports so tests can iterate it. ``url_path`` is explicit for every page:
deep links (``/map?runs=...``) rely on it, and it must not change once links are shared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its script (relative to the project root), title, URL path and sidebar group."""

    file: str
    title: str
    url_path: str
    icon: str
    section: str = "Explore"
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/leaderboard.py", "Leaderboard", "leaderboard", ":material/leaderboard:", default=True
    ),
    PageSpec("pages/map.py", "Map", "map", ":material/public:"),
    PageSpec("pages/gallery.py", "Gallery", "gallery", ":material/photo_library:"),
    PageSpec("pages/countries.py", "Countries", "countries", ":material/flag:"),
    PageSpec("pages/compare.py", "Compare", "compare", ":material/compare_arrows:"),
    PageSpec("pages/clues.py", "Clues", "clues", ":material/manage_search:"),
    PageSpec("pages/live.py", "Live", "live", ":material/photo_camera:"),
    PageSpec("pages/data.py", "Data", "data", ":material/database:", section="Manage"),
)


def page_by_url(url_path: str) -> PageSpec:
    """Return the page registered under ``url_path`` (KeyError when none is)."""
    for page in PAGES:
        if page.url_path == url_path:
            return page
    raise KeyError(url_path)
