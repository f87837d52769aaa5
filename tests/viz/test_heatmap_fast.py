"""The confusion heatmap's hover data, filled by broadcasting, equals the cell-by-cell build."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.viz.charts import confusion_heatmap
from analysis.viz.labels import plotly_text


@pytest.mark.parametrize("with_counts", [True, False])
def test_customdata_matches_cell_by_cell(with_counts: bool) -> None:
    labels = ["FRA", "DEU", "<b>X</b>", "USA"]
    rng = np.random.default_rng(0)
    counts = pd.DataFrame(rng.integers(0, 3000, (4, 4)).astype(float), labels, labels)
    counts.iloc[1, 2] = np.nan
    names = {"FRA": "France", "DEU": "Germany"}
    fig = confusion_heatmap(counts / 3000, counts=counts if with_counts else None, names=names)
    n = counts.to_numpy() if with_counts else np.full((4, 4), np.nan)
    expected = [
        [
            (
                plotly_text(names.get(r, r)),
                plotly_text(names.get(c, c)),
                "" if not np.isfinite(n[i, j]) else f", {int(n[i, j]):,} images",
            )
            for j, c in enumerate(labels)
        ]
        for i, r in enumerate(labels)
    ]
    got = np.asarray(fig.data[0].customdata).tolist()
    assert [[tuple(cell) for cell in row] for row in got] == expected
    assert fig.data[0].text is not None  # 4 labels: values printed in the cells
