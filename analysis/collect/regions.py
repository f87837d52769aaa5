"""Continents and sub-regions as country lists, and a total of targets shared among countries.

Region names are Natural Earth's own columns: CONTINENT ("Europe", "South America"), SUBREGION
("Western Europe", "Caribbean") and REGION_UN ("Americas"), matched without regard to case.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

from analysis.errors import InputError

WEIGHTS = ("area", "equal")


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, list[str]]]:
    from analysis.geo.countries import countries_frame

    frame = countries_frame()
    found: dict[str, tuple[str, list[str]]] = {}
    # continent first: "Europe" is both a continent and a UN region, and the continent is what
    # people mean (the two differ only in a few transcontinental countries)
    for column, label in (("continent", "continent"), ("subregion", "sub-region"),
                          ("region", "UN region")):  # fmt: skip
        for name, rows in frame.dropna(subset=[column]).groupby(column):
            key = str(name).casefold()
            if key not in found:
                found[key] = (f"{label} {name}", sorted(str(c) for c in rows["iso3"]))
    return found


def region_members(text: str) -> tuple[str, list[str]] | None:
    """Return (what matched, its ISO3 codes) when ``text`` names a region, else None."""
    return _regions().get(text.strip().casefold())


def area_km2(iso3: str) -> float:
    """Return a country's polygon area in square kilometres (exact on the sphere)."""
    import shapely

    from analysis.collect.plan import country_shape
    from analysis.geo.distance import EARTH_RADIUS_KM

    def to_equal_area(xy: object) -> object:
        import numpy as np

        arr = np.asarray(xy, dtype=float)
        # Lambert cylindrical equal-area: (lon in radians, sin lat) keeps areas, so a planar
        # area times R^2 is the area on the sphere without a projection library
        return np.column_stack([np.radians(arr[:, 0]), np.sin(np.radians(arr[:, 1]))])

    projected = shapely.transform(country_shape(iso3), to_equal_area)
    return float(shapely.area(projected)) * EARTH_RADIUS_KM**2


def share_total(countries: Sequence[str], total: int, weight: str) -> dict[str, int]:
    """Share ``total`` targets among countries by area or equally (largest remainders)."""
    if weight not in WEIGHTS:
        raise InputError(f"--weight must be one of {', '.join(WEIGHTS)}, got {weight!r}")
    if total < 1:
        raise InputError(f"--total must be >= 1, got {total}")
    if weight == "equal":
        raw = {c: total / len(countries) for c in countries}
    else:
        areas = {c: area_km2(c) for c in countries}
        whole = sum(areas.values())
        raw = {c: total * a / whole for c, a in areas.items()}
    counts = {c: math.floor(v) for c, v in raw.items()}
    left = total - sum(counts.values())
    # largest remainders, ties by the order given, so the sum is exactly ``total``
    order = sorted(countries, key=lambda c: (-(raw[c] - counts[c]), countries.index(c)))
    for country in order[:left]:
        counts[country] += 1
    return counts


def describe_share(counts: Mapping[str, int], limit: int = 12) -> str:
    """Return 'FRA 12, DEU 8, ...' for the biggest shares (to print with a plan)."""
    biggest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{c} {n}" for c, n in biggest[:limit])
    more = len(biggest) - limit
    return shown + (f", ... ({more} more)" if more > 0 else "")
