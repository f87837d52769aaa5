"""Presentation maps that fill their screen: the browser measures the map, the view is fitted.

deck.gl's JSON view state cannot fit bounds in the browser, and the server never learns the
screen's size, so a presentation map used to open on a view fitted to its smallest height:
on a 1920x1080 projector the world filled two thirds of the map. A small script (a
``st.components.v2`` component, no iframe) measures the fitted map on the page and reports its
size when it differs from the one the server knows (first page load, a window resized or made
full screen); the rerun that report starts draws the map on the fitted view. The size is kept
for the session, so moving to another page with a map of the same size costs no rerun.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from analysis.viz.deck import (
    PRESENT_CONTROLLER,
    MapSize,
    parse_map_size,
    present_view,
    with_view,
)

_SIZE_KEY = "_geoscope_map_size"  # the last size reported, validated ([width, height] px)
_PROBE_KEY = "geoscope_map_probe"  # the component's widget key
# maps drawn by `fitted_deck_chart` sit in a container whose key starts with this: the class
# streamlit gives it (st-key-...) is what the script looks for, so other maps (the live
# panel's, zoomed to its guesses) are never measured
_FIT_PREFIX = "geoscope_fit_"

# Trusted constant code (nothing in it comes from a user or the database). It polls, because the
# map is drawn after the script run that mounts this ends and is redrawn by later runs; a poll
# reads two numbers from one element, four times a second. Streamlit may mount the function
# again on a rerun without stopping the old instance: one timer per page, the newest.
_MEASURE_JS = f"""
export default function (component) {{
  const {{ data, setStateValue }} = component;
  let last = Array.isArray(data && data.known) ? data.known.join('x') : '';
  const measure = () => {{
    const map = document.querySelector(
      '[class*="st-key-{_FIT_PREFIX}"] [data-testid="stDeckGlJsonChart"]');
    if (!map || map.clientWidth < 1 || map.clientHeight < 1) return;
    const size = [Math.round(map.clientWidth), Math.round(map.clientHeight)];
    if (size.join('x') === last) return;
    last = size.join('x');
    setStateValue('size', size);
  }};
  const shared = window.__geoscopeMapFit || (window.__geoscopeMapFit = {{}});
  clearInterval(shared.timer);
  const timer = setInterval(measure, 250);
  shared.timer = timer;
  measure();
  return () => clearInterval(timer);
}}
"""


def known_map_size() -> MapSize | None:
    """The size the browser last reported for a fitted map in this session (None before)."""
    return parse_map_size(st.session_state.get(_SIZE_KEY))


def _remember_reported_size() -> None:
    reported = st.session_state.get(_PROBE_KEY)
    size = parse_map_size(reported.get("size") if isinstance(reported, Mapping) else None)
    if size is not None:
        st.session_state[_SIZE_KEY] = list(size)


def measure_maps() -> None:
    """Mount the script that reports the fitted map's size (once per page, presentation mode).

    It draws nothing; the report reruns the page, and `fitted_deck_chart` then reads it.
    """
    probe = st.components.v2.component("geoscope_map_fit", js=_MEASURE_JS)
    known = known_map_size()
    probe(
        key=_PROBE_KEY,
        data={"known": list(known) if known else None},
        on_size_change=_remember_reported_size,
        height=0,
    )


def fitted_deck_chart(deck: Any, key: str, **kwargs: Any) -> Any:
    """Draw a presentation map on the view that fills its measured size (see the module).

    The mouse wheel scrolls the page there rather than zooming the map (``PRESENT_CONTROLLER``).
    """
    with st.container(key=f"{_FIT_PREFIX}{key}"):
        fitted = with_view(deck, present_view(known_map_size()), PRESENT_CONTROLLER)
        return st.pydeck_chart(fitted, key=key, **kwargs)
