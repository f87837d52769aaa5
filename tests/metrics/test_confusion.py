"""confusion_matrix and top_confusions on a hand-checked frame."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from analysis.errors import InputError
from analysis.metrics import NONE_LABEL, OTHER_LABEL, confusion_matrix, top_confusions
from tests.metrics.helpers import synthetic, ten_samples
from tests.support.frames import row_values


def test_counts_with_other_and_unknown_buckets_by_hand() -> None:
    cm = confusion_matrix(ten_samples(), top_n=3, normalize=False)
    # true counts: CHN 2, FRA 2, USA 2 (top 3, ties alphabetical), then four singletons
    assert cm.index.tolist() == ["CHN", "FRA", "USA", OTHER_LABEL]
    assert cm.columns.tolist() == ["CHN", "FRA", "USA", OTHER_LABEL, NONE_LABEL]
    assert row_values(cm.loc["CHN"]) == [0, 0, 0, 0, 2]  # two 'unknown' answers
    assert row_values(cm.loc["FRA"]) == [0, 2, 0, 0, 0]
    assert row_values(cm.loc["USA"]) == [0, 0, 0, 0, 2]  # refusal + API error
    # BRA->BRA, JPN->JPN (other column), DEU->FRA, ARG->CHN
    assert row_values(cm.loc[OTHER_LABEL]) == [1, 1, 0, 2, 0]
    assert cm.index.name == "true" and cm.columns.name == "predicted"


def test_normalised_rows_sum_to_one() -> None:
    cm = confusion_matrix(synthetic(200, seed=1), top_n=4)
    assert np.allclose(cm.sum(axis=1), 1.0)
    hand = confusion_matrix(ten_samples(), top_n=3)
    assert row_values(hand.loc[OTHER_LABEL]) == pytest.approx([0.25, 0.25, 0.0, 0.5, 0.0])


def test_no_other_row_when_top_n_covers_every_true_label() -> None:
    cm = confusion_matrix(ten_samples(), top_n=20, normalize=False)
    assert OTHER_LABEL not in cm.index
    assert cm.values.sum() == 10


def test_continent_level() -> None:
    cm = confusion_matrix(ten_samples(), level="continent", normalize=False)
    assert cm.loc["Europe", "Europe"] == 3  # FRA, FRA, DEU->FRA
    assert cm.loc["South America", "Asia"] == 1  # ARG -> CHN
    assert cm.loc["North America", NONE_LABEL] == 2


def test_top_confusions_ranked_with_share_of_true_country() -> None:
    f = ten_samples()
    f.loc[1, "pred_country"] = "BEL"  # one of two FRA images now taken for Belgium
    top = top_confusions(f, k=2)
    assert list(top.columns) == ["true", "predicted", "count", "share"]
    # three mistakes of count 1; ties ordered by true, then predicted name
    assert top[["true", "predicted"]].values.tolist() == [["ARG", "CHN"], ["DEU", "FRA"]]
    full = top_confusions(f).set_index(["true", "predicted"])
    assert full.loc[("FRA", "BEL"), "share"] == 0.5
    assert full["count"].sum() == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: confusion_matrix(ten_samples(), level="city"), "level must be"),
        (lambda: confusion_matrix(ten_samples(), top_n=0), "top_n"),
        (lambda: top_confusions(ten_samples(), k=0), "k must be"),
    ],
)
def test_bad_arguments_raise(call: Callable[[], object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()
