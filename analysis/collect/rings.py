"""Fallback points around a target without coverage: one per ring, widening, inside the country.

A target whose point finds no imagery is tried again nearby before it is given up, at 1, 2, 5,
10, 25 and 50 km by default: the place moves as little as coverage requires and keeps its
country, instead of jumping to a fresh random point hundreds of kilometres away.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterator, Sequence

from analysis.geo.distance import EARTH_RADIUS_KM

_BEARINGS_PER_RING = 8  # tried in turn until one lands inside the country polygon


def destination(
    lat: float, lon: float, bearing_deg: float, distance_km: float
) -> tuple[float, float]:
    """Return the (lat, lon) reached from a point along a great circle (bearing from north)."""
    phi1, lam1 = math.radians(lat), math.radians(lon)
    theta, delta = math.radians(bearing_deg), distance_km / EARTH_RADIUS_KM
    sin_phi2 = math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * sin_phi2,
    )
    lon2 = (math.degrees(lam2) + 540.0) % 360.0 - 180.0  # wrap across the antimeridian
    return round(math.degrees(phi2), 6), round(lon2, 6)


def ring_points(
    iso3: str, lat: float, lon: float, rings_km: Sequence[float], key: str
) -> Iterator[tuple[float, float]]:
    """Yield one point per ring around (lat, lon), each inside ``iso3``; rings with none are skipped.

    The first bearing is drawn from ``key`` (the target id): a re-run tries the same points, and
    neighbouring targets do not all search in the same direction.
    """
    import shapely

    from analysis.collect.plan import country_shape

    shape = country_shape(iso3)
    start = zlib.crc32(key.encode("utf-8")) % 360
    step = 360.0 / _BEARINGS_PER_RING
    for radius_km in rings_km:
        for k in range(_BEARINGS_PER_RING):
            point = destination(lat, lon, (start + k * step) % 360.0, radius_km)
            if shapely.contains_xy(shape, point[1], point[0]):
                yield point
                break
