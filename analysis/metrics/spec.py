"""MetricSpec and the METRICS registry; metric families register themselves on import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.metrics.data import EvalData
from analysis.metrics.terms import Term
from analysis.registry import Registry

MetricFn = Callable[[EvalData], Term]


@dataclass(frozen=True)
class MetricSpec:
    """One metric: how to show it (label, unit, direction) and how to compute it (fn).

    ``fn`` maps prepared data to a Term (Ratio or Quantile) built from per-sample arrays, so the
    same definition serves overall values, breakdowns and the cluster bootstrap.
    ``higher_is_better`` is None for counts that rank nothing (n). ``unit`` is one of "count",
    "share" (a fraction in [0, 1]), "km", "points". ``resample`` False means the bootstrap
    reports the estimate itself as its interval (n is fixed by the data, not estimated).
    """

    name: str
    label: str
    unit: str
    higher_is_better: bool | None
    fn: MetricFn
    description: str = ""  # default: the first line of fn's docstring
    resample: bool = True

    def __post_init__(self) -> None:
        if not self.description:
            doc = (self.fn.__doc__ or "").strip().splitlines()
            object.__setattr__(self, "description", doc[0] if doc else "")


METRICS: Registry[MetricSpec] = Registry("metric")


def register(spec: MetricSpec) -> MetricSpec:
    """Register ``spec`` in METRICS under its name and return it."""
    METRICS.register(spec.name, spec)
    return spec
