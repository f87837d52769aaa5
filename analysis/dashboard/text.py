"""Small wording helpers for captions shown on the pages, and the escaping of untrusted text."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd


def count_noun(n: int, noun: str, plural: str | None = None) -> str:
    """Return "1 run" / "3 runs" with thousands separators ("1,204 images")."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"


# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped one is
# always shown literally. Escaping all of them (not a hand-picked few) also disarms what
# Streamlit adds on top of Markdown: `:red[..]` colours, `:material/..:` icons, `$..$` maths.
_MARKDOWN_ESCAPES = {ord(ch): "\\" + ch for ch in "\\`*_{}[]()#+-.!|<>~:$&@%=\"'/;?^,"}
# Escapes do not stop GFM autolink literals: Streamlit's renderer finds `http://`, `www.` and
# `name@host` in the text after escapes are resolved. An invisible WORD JOINER breaks each trigger.
WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)|(?=@)")


def inert(text: object) -> str:
    """Return ``text`` escaped so Streamlit's Markdown shows it literally: no link, image or HTML.

    This is the one way untrusted text (run and dataset names, model answers, URL parameters,
    provider errors) reaches a Markdown-rendering call (``st.error``, ``st.caption``, expander
    labels...). Newlines become Markdown line breaks so a multi-line message keeps its shape;
    an invisible word joiner goes into ``://``, ``www.`` and before ``@`` (no autolink).
    """
    escaped = _AUTOLINK_TRIGGERS.sub(WORD_JOINER, str(text)).translate(_MARKDOWN_ESCAPES)
    return "  \n".join(escaped.splitlines()) if "\n" in escaped else escaped


def legend_html(items: Iterable[tuple[str, tuple[int, int, int]]]) -> str:
    """Return a one-line colour legend as HTML, every label escaped (run names are untrusted)."""
    chips = "".join(
        '<span style="display:inline-flex;align-items:center;margin-right:14px;">'
        '<span style="width:12px;height:12px;border-radius:2px;margin-right:5px;'
        f'background:rgb({int(r)},{int(g)},{int(b)});display:inline-block"></span>'
        f"{html.escape(str(label))}</span>"
        for label, (r, g, b) in items
    )
    # the class lets presentation mode enlarge the legend with its map
    return f'<div class="geoscope-legend" style="font-size:0.85rem;line-height:1.8">{chips}</div>'


def inert_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every header and cell made text through ``inert`` (for ``st.table``).

    ``st.table`` renders each cell and header as Markdown, so a table that holds run, model or
    dataset names goes through here; numbers should be formatted as strings first.
    """
    out = frame.map(inert)
    out.columns = [inert(column) for column in frame.columns]
    return out
