"""Metrics of an evaluation frame: registry, overall values, clustered bootstrap, breakdowns.

See docs/metrics.md for every definition, its denominator and why.
"""

from analysis.metrics.breakdown import accuracy_curve, breakdown
from analysis.metrics.compute import (
    ConfidenceInterval,
    bootstrap_ci,
    compute_metrics,
    metric_specs,
)
from analysis.metrics.confusion import NONE_LABEL, OTHER_LABEL, confusion_matrix, top_confusions
from analysis.metrics.data import EvalData, prepare
from analysis.metrics.distance_metrics import ACCURACY_THRESHOLDS_KM
from analysis.metrics.frame import add_continents, evaluation_frame
from analysis.metrics.paired import PairedComparison, mcnemar_exact_p, paired_comparison
from analysis.metrics.spec import METRIC_GROUPS, METRICS, MetricSpec, group_metrics, register
from analysis.metrics.terms import Quantile, Ratio, Term
from analysis.types import FRAME_COLUMNS

__all__ = [
    "ACCURACY_THRESHOLDS_KM",
    "FRAME_COLUMNS",
    "METRICS",
    "METRIC_GROUPS",
    "NONE_LABEL",
    "OTHER_LABEL",
    "ConfidenceInterval",
    "EvalData",
    "MetricSpec",
    "PairedComparison",
    "Quantile",
    "Ratio",
    "Term",
    "accuracy_curve",
    "add_continents",
    "bootstrap_ci",
    "breakdown",
    "compute_metrics",
    "confusion_matrix",
    "evaluation_frame",
    "group_metrics",
    "mcnemar_exact_p",
    "metric_specs",
    "paired_comparison",
    "prepare",
    "register",
    "top_confusions",
]
