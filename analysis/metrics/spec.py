"""MetricSpec and the METRICS registry; metric families register themselves on import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.errors import RegistryError
from analysis.metrics.data import EvalData
from analysis.metrics.terms import Term
from analysis.registry import Registry

MetricFn = Callable[[EvalData], Term]

# Where a metric is shown. "headline": the leaderboard's compact table, its interval table and
# the report's leaderboard; "coverage": the coverage / answered-only table; "detail": only the
# CSV export, `metrics` output and the "Rank by" choice (every metric is in those).
METRIC_GROUPS: tuple[str, ...] = ("headline", "coverage", "detail")
# printf formats of the compact numeric columns (shares are shown as 0-100 there)
UNIT_FORMATS: dict[str, str] = {"share": "%.1f%%", "km": "%.0f km"}


@dataclass(frozen=True)
class MetricSpec:
    """One metric: how to show it (label, unit, direction, group) and how to compute it (fn).

    ``fn`` maps prepared data to a Term (Ratio or Quantile) built from per-sample arrays, so the
    same definition serves overall values, breakdowns and the cluster bootstrap.
    ``higher_is_better`` is None for counts that rank nothing (n). ``unit`` is one of "count",
    "share" (a fraction in [0, 1]), "km", "points". ``resample`` False means the bootstrap
    reports the estimate itself as its interval (n is fixed by the data, not estimated).
    ``group`` (one of METRIC_GROUPS) picks the tables that show the metric; ``order`` places it
    within its group (ties keep registration order). ``short_label`` titles the compact headline
    column (default: ``label``); ``fmt`` is that column's printf format (default: by unit).
    """

    name: str
    label: str
    unit: str
    higher_is_better: bool | None
    fn: MetricFn
    description: str = ""  # default: the first line of fn's docstring
    resample: bool = True
    group: str = "headline"
    order: int = 100
    short_label: str = ""
    fmt: str = ""

    def __post_init__(self) -> None:
        if self.group not in METRIC_GROUPS:
            known = ", ".join(METRIC_GROUPS)
            raise RegistryError(f"metric {self.name!r}: group {self.group!r} is not one of {known}")
        if not self.description:
            doc = (self.fn.__doc__ or "").strip().splitlines()
            object.__setattr__(self, "description", doc[0] if doc else "")
        if not self.short_label:
            object.__setattr__(self, "short_label", self.label)
        if not self.fmt:
            object.__setattr__(self, "fmt", UNIT_FORMATS.get(self.unit, "%.0f"))


METRICS: Registry[MetricSpec] = Registry("metric")


def register(spec: MetricSpec) -> MetricSpec:
    """Register ``spec`` in METRICS under its name and return it."""
    METRICS.register(spec.name, spec)
    return spec


def group_metrics(group: str) -> tuple[str, ...]:
    """Return the names of the registered metrics in ``group``, by ``order`` then registration."""
    if group not in METRIC_GROUPS:
        raise RegistryError(f"unknown metric group {group!r}; known: {', '.join(METRIC_GROUPS)}")
    specs = [METRICS.get(name) for name in METRICS.names()]
    ranked = sorted(
        (spec.order, i, spec.name) for i, spec in enumerate(specs) if spec.group == group
    )
    return tuple(name for _, _, name in ranked)
