"""bootstrap_ci: a naive reference implementation, and the properties a CI must have."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics import bootstrap_ci, compute_metrics, resample
from analysis.metrics.compute import metric_specs, metric_terms
from analysis.metrics.data import prepare
from tests.metrics.helpers import synthetic

CHECKED = [
    "country_accuracy",
    "answered_accuracy",
    "acc_25km",
    "median_km",
    "mean_km",
    "geoguessr_mean",
    "continent_accuracy",
    "n",
]


def _naive_resamples(f: pd.DataFrame, n_resamples: int, seed: int) -> list[dict[str, float]]:
    """Resample locations the slow, obvious way: copy each drawn location's rows, recompute.

    The documented stream: clusters numbered by first appearance of location_id, and resample
    r draws C cluster indices with rng.integers(0, C, size=C) from default_rng(seed).
    """
    codes, uniques = pd.factorize(f["location_id"])
    rows_of = [np.flatnonzero(codes == c) for c in range(len(uniques))]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_resamples):
        drawn = rng.integers(0, len(uniques), size=len(uniques), dtype=np.intp)
        rows = np.concatenate([rows_of[c] for c in drawn])
        out.append(compute_metrics(f.iloc[rows].reset_index(drop=True), CHECKED))
    return out


def _engine_resamples(f: pd.DataFrame, n_resamples: int, seed: int) -> np.ndarray:
    data = prepare(f)
    terms = metric_terms(data, metric_specs(CHECKED))
    return resample.resample_terms(terms, data.cluster, data.n_clusters, n_resamples, seed)


def _window_size(f: pd.DataFrame) -> tuple[int, int]:
    data = prepare(f)
    plan = resample._plan_quantile(
        metric_terms(data, metric_specs(["median_km"]))[0],  # type: ignore[arg-type]
        data.cluster,
        data.n_clusters,
        resample._Columns(),
    )
    return plan.window_values.size, plan.values.size


@pytest.mark.parametrize(("n_locations", "windowed"), [(60, False), (1500, True)])
def test_engine_equals_naive_location_resampling(n_locations: int, windowed: bool) -> None:
    f = synthetic(n_locations, seed=3)
    f.loc[f.index % 7 == 0, "status"] = "unknown"  # some samples without an answer
    in_window, finite = _window_size(f)
    assert (in_window < finite) is windowed  # both median paths are exercised
    naive = _naive_resamples(f, 25, seed=11)
    engine = _engine_resamples(f, 25, seed=11)
    for r, expected in enumerate(naive):
        for j, name in enumerate(CHECKED):
            assert engine[r, j] == pytest.approx(expected[name], rel=1e-12), (r, name)


def test_median_outside_the_window_falls_back_to_the_exact_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    f = synthetic(1500, seed=5)
    monkeypatch.setattr(resample, "WINDOW_Z", 0.0)
    monkeypatch.setattr(resample, "WINDOW_MIN_SAMPLES", 1)  # window of ~3 values: mostly missed
    naive = _naive_resamples(f, 20, seed=2)
    engine = _engine_resamples(f, 20, seed=2)
    j = CHECKED.index("median_km")
    assert engine[:, j] == pytest.approx([m["median_km"] for m in naive], rel=1e-12)


def test_same_seed_same_intervals_other_seed_differs() -> None:
    f = synthetic(80, seed=1)
    a = bootstrap_ci(f, n_resamples=200, seed=7)
    assert bootstrap_ci(f, n_resamples=200, seed=7) == a
    assert bootstrap_ci(f, n_resamples=200, seed=8) != a


def test_intervals_contain_the_estimate_and_estimate_matches_compute_metrics() -> None:
    f = synthetic(300, seed=2)
    point = compute_metrics(f)
    for name, ci in bootstrap_ci(f, n_resamples=300).items():
        if math.isnan(point[name]):
            continue
        assert ci.estimate == pytest.approx(point[name])
        assert ci.low <= ci.estimate <= ci.high, name


def test_more_data_gives_narrower_intervals() -> None:
    small = bootstrap_ci(synthetic(50, headings=1, seed=1), n_resamples=400)
    large = bootstrap_ci(synthetic(2000, headings=1, seed=1), n_resamples=400)
    for name in ("country_accuracy", "median_km", "acc_750km"):
        small_width = small[name].high - small[name].low
        large_width = large[name].high - large[name].low
        assert large_width < small_width / 3, name  # sqrt(40) ~ 6.3 expected


def test_clustered_interval_is_wider_when_headings_share_the_outcome() -> None:
    # 4 headings of a location are all right or all wrong: 200 independent units, not 800
    f = synthetic(200, headings=4, seed=4, correlated=True)
    clustered = bootstrap_ci(f, n_resamples=500, metrics=["country_accuracy"])
    iid = bootstrap_ci(f, n_resamples=500, cluster=None, metrics=["country_accuracy"])
    c, i = clustered["country_accuracy"], iid["country_accuracy"]
    assert (c.high - c.low) > 1.5 * (i.high - i.low)  # sqrt(4) = 2 expected


def test_missing_location_ids_make_each_sample_its_own_cluster() -> None:
    f = synthetic(40, seed=6)
    iid = bootstrap_ci(f, n_resamples=100, cluster=None)
    assert bootstrap_ci(f.drop(columns=["location_id"]), n_resamples=100) == iid
    assert bootstrap_ci(f.assign(location_id=None), n_resamples=100) == iid


def test_n_gets_a_degenerate_interval() -> None:
    ci = bootstrap_ci(synthetic(10, seed=0), n_resamples=50)["n"]
    assert (ci.estimate, ci.low, ci.high) == (40, 40, 40)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_resamples": 0}, "n_resamples"),
        ({"level": 1.0}, "level"),
        ({"cluster": "no_such_column"}, "no cluster column"),
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        bootstrap_ci(synthetic(5), **kwargs)  # type: ignore[arg-type]


def test_empty_frame_gives_nan_intervals() -> None:
    ci = bootstrap_ci(synthetic(5).iloc[0:0], n_resamples=10)
    assert math.isnan(ci["country_accuracy"].low)
