"""Country-level metrics, with LLMGeo semantics: a non-answer counts as a wrong answer.

Every rate here has all samples (or all samples whose truth has a country) as denominator, so
country_accuracy + wrong_rate + unknown_rate + refusal_rate + error_rate = 1 when every sample
has a true country. answered_accuracy (correct / answered) is only meaningful beside
answered_rate, its coverage: a model that answers 10% of the time can be 100% "accurate".
"""

from __future__ import annotations

from analysis.metrics.data import EvalData
from analysis.metrics.spec import MetricSpec, register
from analysis.metrics.terms import Ratio, Term


def n_samples(d: EvalData) -> Term:
    """Count the samples."""
    return Ratio(d.ones)


def country_accuracy(d: EvalData) -> Term:
    """Share of all samples answered with the true country (no answer = wrong, as LLMGeo)."""
    return Ratio(d.correct, d.has_true_country)


def answered_rate(d: EvalData) -> Term:
    """Share of samples with a usable answer (status ok): the coverage."""
    return Ratio(d.ok, d.ones)


def answered_accuracy(d: EvalData) -> Term:
    """Share of answered samples (with a true country) that name the true country."""
    return Ratio(d.correct, d.ok_with_truth)


def wrong_rate(d: EvalData) -> Term:
    """Share of samples answered with a wrong country, or a point in no country."""
    return Ratio(d.wrong, d.has_true_country)


def unknown_rate(d: EvalData) -> Term:
    """Share of samples where the model said it cannot tell."""
    return Ratio(d.unknown, d.ones)


def refusal_rate(d: EvalData) -> Term:
    """Share of samples where the model declined to answer."""
    return Ratio(d.refused, d.ones)


def error_rate(d: EvalData) -> Term:
    """Share of samples lost to parse errors, invalid coordinates or API errors."""
    return Ratio(d.error, d.ones)


def continent_accuracy(d: EvalData) -> Term:
    """Share of all samples answered with a country on the true continent."""
    return Ratio(d.continent_correct, d.has_true_continent)


# group / order / short_label decide the leaderboard tables (see MetricSpec)
register(MetricSpec("n", "Samples", "count", None, n_samples, resample=False, group="detail"))
register(
    MetricSpec(
        "country_accuracy", "Country accuracy", "share", True, country_accuracy,
        short_label="Country",
    )
)  # fmt: skip
register(
    MetricSpec("answered_rate", "Answered", "share", True, answered_rate, group="coverage", order=1)
)
register(
    MetricSpec(
        "answered_accuracy", "Accuracy when answered", "share", True, answered_accuracy,
        group="coverage", order=2,
    )
)  # fmt: skip
register(MetricSpec("wrong_rate", "Wrong country", "share", False, wrong_rate, group="detail"))
register(
    MetricSpec("unknown_rate", "Unknown", "share", False, unknown_rate, group="coverage", order=5)
)
register(
    MetricSpec("refusal_rate", "Refused", "share", False, refusal_rate, group="coverage", order=4)
)
register(MetricSpec("error_rate", "Errors", "share", False, error_rate, group="coverage", order=6))
register(
    MetricSpec(
        "continent_accuracy", "Continent accuracy", "share", True, continent_accuracy,
        short_label="Continent",
    )
)  # fmt: skip
