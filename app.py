"""GeoScope dashboard entry point: page config, first-launch demo, navigation.

Run: ``streamlit run app.py``. Pages are listed in ``pages/_registry.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages._registry import PAGES
from pages._shared import ensure_database, presentation_mode
from pages._ui import apply_presentation_style, exit_control, mark_app_run, presentation_link

# a local file: a material icon here makes the browser fetch the favicon from Google Fonts
FAVICON = Path(__file__).parent / "static" / "favicon.png"
st.set_page_config(page_title="GeoScope", page_icon=str(FAVICON), layout="wide")

present = presentation_mode()
if present:
    apply_presentation_style()
ensure_database()

sections: dict[str, list[st.Page]] = {}
for spec in PAGES:
    # the default page lives at "/"; a hidden twin keeps its own deep link (/leaderboard) working
    url = f"{spec.url_path}-home" if spec.default else spec.url_path
    sections.setdefault(spec.section, []).append(
        st.Page(spec.file, title=spec.title, icon=spec.icon, url_path=url, default=spec.default)
    )
    if spec.default:
        sections[spec.section].append(
            st.Page(
                spec.file,
                title=spec.title,
                icon=spec.icon,
                url_path=spec.url_path,
                visibility="hidden",
            )
        )
# hidden navigation in presentation mode: the page alone fills the screen
page = st.navigation(sections, position="hidden" if present else "sidebar")
if present:
    exit_control()  # the only way back: the sidebar and its link are hidden
mark_app_run()
page.run()
if not present:
    presentation_link(page)
