"""Small wording helpers for captions shown on the pages, and the escaping of untrusted text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler
    from pandas.io.formats.style_render import CSSDict


# what a table shows for a missing value (no fine-tuning source, a metric a run lacks)
MISSING_CELL = "–"


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


def legend_html(items: Iterable[tuple[str, tuple[int, int, int]]], title: str = "") -> str:
    """Return a one-line colour legend as HTML, every label escaped (run names are untrusted).

    ``title`` names what the colours stand for once, before the chips (a colour scale's stops
    are then just "0%", "25%"...).
    """
    chips = "".join(
        '<span style="display:inline-flex;align-items:center;margin-right:14px;">'
        '<span style="width:12px;height:12px;border-radius:2px;margin-right:5px;'
        f'background:rgb({int(r)},{int(g)},{int(b)});display:inline-block"></span>'
        f"{html.escape(str(label))}</span>"
        for label, (r, g, b) in items
    )
    heading = f'<span style="margin-right:10px">{html.escape(title)}:</span>' if title else ""
    # the class lets presentation mode enlarge the legend with its map
    return (
        '<div class="geoscope-legend" style="font-size:0.85rem;line-height:1.8">'
        f"{heading}{chips}</div>"
    )


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose headers and text cells went through ``inert``.

    Numeric columns (booleans excepted) are left as numbers; a missing text cell becomes
    ``MISSING_CELL``.
    """
    out = frame.copy()
    for column in frame.columns:
        if not _is_number(frame[column]):
            out[column] = [
                MISSING_CELL if pd.api.types.is_scalar(v) and pd.isna(v) else inert(v)
                for v in frame[column]
            ]
    out.columns = [inert(column) for column in frame.columns]
    return out


def inert_table(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    right: Collection[str] = (),
) -> Styler:
    """Return ``frame`` styled for ``st.table``, every header and text cell made text by ``inert``.

    ``st.table`` renders each cell and header as Markdown, so a table that holds run, model or
    dataset names goes through here (``inert_frame``). Numeric columns stay numbers, so the
    table right-aligns them and their digits line up (their headers too); ``formats`` maps a
    column to the function that prints its values ("32.8%", "1963 km"); a missing value shows
    as ``MISSING_CELL``. Columns named in ``right`` hold text that reads as figures ("+1.2 pts",
    "32.8% [30.1, 35.2]"): they are right-aligned like numbers.
    """
    number = [_is_number(frame[column]) or column in right for column in frame.columns]
    styler = inert_frame(frame).style.format(
        {inert(column): fmt for column, fmt in (formats or {}).items()}, na_rep=MISSING_CELL
    )
    # a long name without spaces (a URL, a path) wraps inside its cell instead of pushing the
    # table's last columns off the screen (the cell's Markdown paragraph sets its own wrapping);
    # the table's inline style left-aligns every header: only !important outranks it
    styles: list[CSSDict] = []
    for index, is_number in enumerate(number):
        if is_number:
            styles += [
                {"selector": f"{cell}.col{index}", "props": "text-align: right !important"}
                for cell in ("th", "td")
            ]
        else:
            styles.append({"selector": f"td.col{index} p", "props": "overflow-wrap: anywhere"})
    return styler.set_table_styles(styles)


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
