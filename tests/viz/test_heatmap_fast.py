"""The confusion heatmap's hover: names on the category axes, counts in the cells.

A 250 x 250 matrix sent ~3 MB of per-cell hover strings; the hover now reads the row and column
names from the axes and only the count from each cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.viz.charts import confusion_heatmap
from analysis.viz.labels import plotly_text


@pytest.mark.parametrize("with_counts", [True, False])
def test_hover_gives_each_cell_its_names_and_count(with_counts: bool) -> None:
    labels = ["FRA", "DEU", "<b>X</b>", "USA"]
    rng = np.random.default_rng(0)
    counts = pd.DataFrame(rng.integers(0, 3000, (4, 4)).astype(float), labels, labels)
    counts.iloc[1, 2] = np.nan
    names = {"FRA": "France", "DEU": "Germany"}
    fig = confusion_heatmap(counts / 3000, counts=counts if with_counts else None, names=names)
    trace = fig.data[0]
    expected_names = ["France (FRA)", "Germany (DEU)", plotly_text("<b>X</b>"), "USA"]
    assert list(trace.x) == expected_names and list(trace.y) == expected_names
    assert "<b>" not in "".join(trace.x)  # an untrusted label stays text in the hover
    assert fig.layout.xaxis.type == "category" and fig.layout.yaxis.type == "category"
    # one tick per category, labelled with the short code (names only in the hover)
    assert list(fig.layout.xaxis.tickvals) == expected_names
    if with_counts:
        got = np.asarray(trace.customdata)
        want = counts.fillna(0).to_numpy().astype(int)
        assert got.tolist() == want.tolist()
        assert "%{customdata:,d} images" in trace.hovertemplate
    else:
        assert trace.customdata is None and "images" not in trace.hovertemplate
    assert "%{y}" in trace.hovertemplate and "%{x}" in trace.hovertemplate
    assert trace.text is not None  # 4 labels: values printed in the cells


def test_a_large_matrix_sends_little_hover_data() -> None:
    codes = [f"C{i:03d}" for i in range(230)]
    rng = np.random.default_rng(1)
    matrix = pd.DataFrame(rng.random((230, 230)), codes, codes)
    counts = pd.DataFrame(rng.integers(0, 1000, (230, 230)), codes, codes)
    names = {c: f"Country number {c}" for c in codes}
    fig = confusion_heatmap(matrix, counts=counts, names=names)
    # 52,900 cells: the old per-cell hover strings alone were ~3 MB of JSON
    assert len(fig.to_json()) < 1_200_000
