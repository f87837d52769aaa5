"""Distance-based metrics: accuracy within k km, median and mean error, GeoGuessr points.

acc_<k>km and geoguessr_mean are over ALL samples (no coordinates = miss / 0 points), so they
compare models fairly whatever their coverage. median_km and mean_km can only be taken over
samples that have coordinates: read them with coords_coverage beside them.
"""

from __future__ import annotations

from analysis.metrics.data import EvalData
from analysis.metrics.spec import MetricFn, MetricSpec, register
from analysis.metrics.terms import Quantile, Ratio, Term

ACCURACY_THRESHOLDS_KM: tuple[int, ...] = (1, 25, 200, 750, 2500)  # street .. continent (OSV-5M)


def coords_coverage(d: EvalData) -> Term:
    """Share of samples with usable predicted coordinates."""
    return Ratio(d.has_coords, d.ones)


def accuracy_within(threshold_km: float) -> MetricFn:
    """Return a metric: share of all samples predicted within ``threshold_km`` of the truth."""

    def acc(d: EvalData) -> Term:
        return Ratio(d.hit(threshold_km), d.ones)

    acc.__name__ = f"acc_{threshold_km:g}km"
    acc.__doc__ = f"Share of all samples within {threshold_km:g} km (no coordinates = miss)."
    return acc


def median_km(d: EvalData) -> Term:
    """Median great-circle error over samples with coordinates."""
    return Quantile(d.distance_km, 0.5)


def mean_km(d: EvalData) -> Term:
    """Mean great-circle error over samples with coordinates."""
    return Ratio(d.distance_or_zero, d.has_coords)


def geoguessr_mean(d: EvalData) -> Term:
    """Mean GeoGuessr points (5000 exp(-d/1492.7)) over all samples; no guess = 0 points."""
    return Ratio(d.score_or_zero, d.ones)


# group / order / short_label decide the leaderboard tables (see MetricSpec)
register(
    MetricSpec(
        "coords_coverage", "Coordinates given", "share", True, coords_coverage,
        group="coverage", order=3,
    )
)  # fmt: skip
for _k in ACCURACY_THRESHOLDS_KM:
    # street scale (1 km) is too rare for LLMs to earn a headline column
    register(
        MetricSpec(
            f"acc_{_k}km", f"Within {_k} km", "share", True, accuracy_within(_k),
            group="detail" if _k == 1 else "headline", short_label=f"≤{_k} km",
        )
    )  # fmt: skip
register(
    MetricSpec("median_km", "Median error", "km", False, median_km, short_label="Median error")
)
register(MetricSpec("mean_km", "Mean error", "km", False, mean_km, group="detail"))
register(
    MetricSpec(
        "geoguessr_mean", "GeoGuessr points", "points", True, geoguessr_mean,
        short_label="GeoGuessr",
    )
)  # fmt: skip
