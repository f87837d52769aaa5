"""A grid of points on the sphere for "is anything within d km?" in constant time per query.

Points are stored as unit vectors bucketed in cubes whose side is the chord of ``radius_km``:
every neighbour within the radius lies in one of the 27 cubes around a point's own, at the
poles and across the antimeridian alike (no special cases in degrees).
"""

from __future__ import annotations

import math
from collections import defaultdict

from analysis.geo.distance import EARTH_RADIUS_KM


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord_of_km(distance_km: float) -> float:
    """Return the straight-line distance on the unit sphere for a great-circle distance."""
    half_angle = min(distance_km / EARTH_RADIUS_KM, math.pi) / 2.0
    return 2.0 * math.sin(half_angle)


class PointGrid:
    """Answer which stored points lie within ``radius_km`` of a query point."""

    def __init__(self, radius_km: float) -> None:
        if radius_km <= 0:
            raise ValueError(f"radius_km must be > 0, got {radius_km}")
        self.radius_km = radius_km
        self._chord = chord_of_km(radius_km)
        self._cells: dict[tuple[int, int, int], list[tuple[int, tuple[float, float, float]]]] = (
            defaultdict(list)
        )

    def _key(self, xyz: tuple[float, float, float]) -> tuple[int, int, int]:
        c = self._chord
        return math.floor(xyz[0] / c), math.floor(xyz[1] / c), math.floor(xyz[2] / c)

    def add(self, item: int, lat: float, lon: float) -> None:
        """Store point ``item`` at (lat, lon)."""
        xyz = _unit(lat, lon)
        self._cells[self._key(xyz)].append((item, xyz))

    def near(self, lat: float, lon: float) -> list[int]:
        """Return the stored items within ``radius_km`` of (lat, lon) (inclusive)."""
        xyz = _unit(lat, lon)
        kx, ky, kz = self._key(xyz)
        limit = self._chord**2 * (1 + 1e-12)
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    for item, (x, y, z) in self._cells.get((kx + dx, ky + dy, kz + dz), ()):
                        if (x - xyz[0]) ** 2 + (y - xyz[1]) ** 2 + (z - xyz[2]) ** 2 <= limit:
                            found.append(item)
        return found

    def any_closer(self, lat: float, lon: float) -> bool:
        """Return whether a stored point lies strictly closer than ``radius_km``."""
        xyz = _unit(lat, lon)
        kx, ky, kz = self._key(xyz)
        limit = self._chord**2 * (1 - 1e-12)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    for _item, (x, y, z) in self._cells.get((kx + dx, ky + dy, kz + dz), ()):
                        if (x - xyz[0]) ** 2 + (y - xyz[1]) ** 2 + (z - xyz[2]) ** 2 < limit:
                            return True
        return False
