"""paired_comparison: exact McNemar, the 2x2 table, the paired bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

from analysis.errors import InputError
from analysis.metrics import bootstrap_ci, mcnemar_exact_p, paired_comparison
from tests.metrics.helpers import synthetic, ten_samples


def test_mcnemar_exact_p_by_hand() -> None:
    # 2 * P(X <= 1), X ~ Binomial(10, 1/2) = 2 * 11 / 1024
    assert mcnemar_exact_p(1, 9) == pytest.approx(0.021484375, rel=1e-12)
    assert mcnemar_exact_p(9, 1) == mcnemar_exact_p(1, 9)
    assert mcnemar_exact_p(0, 0) == 1.0
    assert mcnemar_exact_p(5, 5) == 1.0
    assert mcnemar_exact_p(0, 6) == pytest.approx(2 / 64)


@pytest.mark.parametrize(("b", "c"), [(3, 17), (40, 61), (0, 1), (12, 12)])
def test_mcnemar_matches_a_two_sided_binomial_test(b: int, c: int) -> None:
    assert mcnemar_exact_p(b, c) == pytest.approx(binomtest(b, b + c, 0.5).pvalue, rel=1e-9)


def test_two_by_two_table_and_join_by_hand() -> None:
    a = ten_samples()
    b = ten_samples()
    b.loc[0, "pred_country"] = "BEL"  # B wrong where A right
    b.loc[6, ["status", "pred_country"]] = ["ok", "CHN"]  # B right where A said unknown
    b.loc[7, ["status", "pred_country"]] = ["ok", "CHN"]
    b = b.drop(index=9)  # only in A: dropped
    b = b.iloc[::-1]  # order must not matter: the join is on sample_id
    r = paired_comparison(a, b, n_resamples=200)
    assert (r.n, r.dropped_a, r.dropped_b) == (9, 1, 0)
    assert (r.both_right, r.only_a, r.only_b, r.both_wrong) == (3, 1, 2, 3)
    assert r.mcnemar_p == pytest.approx(1.0)  # 2 * P(X <= 1 | n = 3) = 1
    assert r.accuracy_a == pytest.approx(4 / 9)
    assert r.accuracy_b == pytest.approx(5 / 9)
    assert r.diff_accuracy.estimate == pytest.approx(-1 / 9)
    assert r.diff_accuracy.low <= r.diff_accuracy.estimate <= r.diff_accuracy.high


def test_identical_runs_have_zero_difference_and_p_one() -> None:
    f = synthetic(50, seed=2)
    r = paired_comparison(f, f.copy(), n_resamples=100)
    assert r.mcnemar_p == 1.0 and r.only_a == r.only_b == 0
    for ci in (r.diff_accuracy, r.diff_median_km, r.diff_acc_25km, r.diff_acc_750km):
        assert (ci.estimate, ci.low, ci.high) == (0.0, 0.0, 0.0)


def test_paired_interval_is_narrower_than_unpaired_for_similar_runs() -> None:
    a = synthetic(300, seed=4)
    b = a.copy()
    flip = np.random.default_rng(0).random(len(b)) < 0.05
    b.loc[flip, "pred_country"] = "XXX"  # B = A with 5% of answers spoiled
    r = paired_comparison(a, b, n_resamples=400)
    ca, cb = bootstrap_ci(a, 400)["country_accuracy"], bootstrap_ci(b, 400)["country_accuracy"]
    unpaired_half_width = np.hypot(ca.high - ca.low, cb.high - cb.low) / 2
    assert (r.diff_accuracy.high - r.diff_accuracy.low) / 2 < unpaired_half_width / 2
    assert r.diff_accuracy.low > 0  # the spoiled run is detectably worse
    assert r.mcnemar_p < 1e-6


def test_same_seed_same_result() -> None:
    a, other = synthetic(60, seed=1), synthetic(60, seed=2)
    b = a.assign(pred_country=other["pred_country"], distance_km=other["distance_km"])
    assert paired_comparison(a, b, seed=3, n_resamples=50) == paired_comparison(
        a, b, seed=3, n_resamples=50
    )


def test_bad_inputs_raise() -> None:
    a = ten_samples()
    with pytest.raises(InputError, match="share no sample_id"):
        paired_comparison(a, a.assign(sample_id=[f"x{i}" for i in range(10)]))
    with pytest.raises(InputError, match="duplicate"):
        paired_comparison(a, a.assign(sample_id=["s0"] * 10))
    with pytest.raises(InputError, match="disagree on the true country"):
        paired_comparison(a, a.assign(true_country="FRA"))
    with pytest.raises(InputError, match="no 'sample_id'"):
        paired_comparison(a, a.drop(columns=["sample_id"]))
