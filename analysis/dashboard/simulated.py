"""Saying which of the runs on screen are the simulated demo, in page notes and chart titles.

Demo runs carry ``is_simulated``. A page or chart that holds only demo runs says so plainly;
one that mixes them with real runs says that only some are simulated, so that real results are
never dismissed as fake (nor fake ones taken for real).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def _marks(flags: Iterable[object]) -> list[bool]:
    """Read ``is_simulated`` flags: only a true flag counts (unknown is not simulated)."""
    return [f is True or (isinstance(f, np.bool_) and bool(f)) for f in flags]


def any_simulated(flags: Iterable[object]) -> bool:
    """Whether any of these ``is_simulated`` flags is set."""
    return any(_marks(flags))


def simulated_note(flags: Iterable[object]) -> str:
    """Return the chart-title note for a chart's runs: "", all SIMULATED, or a real/simulated mix."""
    marks = _marks(flags)
    if not any(marks):
        return ""
    # a real run under a plain "SIMULATED data" title would be mistaken for fake results
    return "(SIMULATED data)" if all(marks) else "(includes SIMULATED runs)"


SIMULATED_WHAT = "Simulated demo data: placeholder images and fake models, not real results."
SIMULATED_MIX = (
    "Some of the runs here are simulated demo data (placeholder images, fake models); charts "
    "and tables that hold them say so. The others are real results."
)
SIMULATED_REMOVE = "Remove it on the Data page or with `python -m analysis demo --remove`."


def simulated_notice(flags: Iterable[object], for_audience: bool = False) -> str:
    """Return the page's note on simulated data among the runs shown ("" when there is none).

    A page that shows only the demo says so plainly; one that mixes it with real runs says
    that only some are simulated, so the real results are not dismissed as fake. How to remove
    the demo is for whoever drives the dashboard: ``for_audience`` (presentation mode) drops it.
    """
    marks = _marks(flags)
    if not any(marks):
        return ""
    what = SIMULATED_WHAT if all(marks) else SIMULATED_MIX
    return what if for_audience else f"{what} {SIMULATED_REMOVE}"
