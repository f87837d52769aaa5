"""Where an image goes inside a collection folder: the collector's own layout or LLMGeo's.

``collector``: ``images/{iso3 lower}/{sample_id}.jpg``. ``llmgeo``: the study's layout,
``dataset/{split}/h{heading}/{iso3 lower}/{LON}_{LAT}_h{H}_p{pitch}_f{fov}.jpg`` with longitude
first, so a folder built here can be shared as the study's data and read back by
``import-dataset --format llmgeo``. Coordinates are written as Python's shortest round-trip text
so that the file name gives back exactly the truth in the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.errors import InputError

LAYOUTS = ("collector", "llmgeo")
LLMGEO_ROOT = "dataset"


def check_layout(layout: str, identity: Mapping[str, Any], split: str | None,
                 test_share: float | None) -> None:  # fmt: skip
    """Refuse a layout the source or the split settings cannot fill."""
    if layout not in LAYOUTS:
        raise InputError(f"--layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if layout != "llmgeo":
        return
    if "headings" not in identity:
        raise InputError(
            "the LLMGeo layout files images under h<heading> folders: it needs a source with "
            "fixed camera headings (streetview)"
        )
    if not split and test_share is None:
        raise InputError(
            "the LLMGeo layout starts with a split folder: give --split (e.g. test) or "
            "--test-share"
        )


def llmgeo_path(
    split: str, heading: int, iso3: str, lat: float, lon: float, pitch_deg: int, fov_deg: int
) -> str:
    """Return the LLMGeo relative path of one image (longitude first in the file name)."""
    name = f"{lon!r}_{lat!r}_h{heading}_p{pitch_deg}_f{fov_deg}.jpg"
    return f"{LLMGEO_ROOT}/{split}/h{heading}/{iso3.lower()}/{name}"


def collector_path(iso3: str, sample_id: str, suffix: str = ".jpg") -> str:
    """Return the collector's own relative path of one image."""
    return f"images/{iso3.lower()}/{sample_id}{suffix}"
