"""Text for plotly labels: plotly parses a subset of HTML (``<a href>``, ``<b>``, ``<br>``) in
titles, legend names, tick labels and hover text, so names GeoScope did not write are escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


def plotly_text(value: object) -> str:
    """Return ``value`` as plotly label text: its ``<``, ``>`` and ``&`` shown, never parsed.

    Plotly splits a label at tags first and decodes entities in the text between them, so
    ``&lt;a href=..&gt;`` is drawn as the literal ``<a href=..>`` and never becomes a link.
    """
    return html.escape(str(value), quote=False)


def plotly_texts(values: Iterable[object]) -> list[str]:
    """Return every value as plotly label text (category axes, per-point hover text)."""
    return [plotly_text(v) for v in values]
