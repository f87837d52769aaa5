"""Target plan: seeded random points inside each requested country's Natural Earth polygon.

Each country draws from its own random stream (seed, country code), so adding a country or
raising ``per_country`` leaves the other targets where they were: a collection can be extended
and resumed without moving what is already done.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from analysis.errors import InputError

_BATCH_MIN = 64
# Points are drawn one at a time (~25 us each) so that plans stay prefix-stable; these caps keep
# planning within seconds and refuse what no imagery budget would pay for anyway
MAX_PER_COUNTRY = 10_000
MAX_PLAN_POINTS = 500_000  # countries x per_country x tries (about 12 s)


@dataclass(frozen=True, slots=True)
class Target:
    """One place to look for imagery; ``points`` are (lat, lon) tried in order until one hits."""

    target_id: str
    iso3: str
    points: tuple[tuple[float, float], ...]

    @property
    def lat(self) -> float:
        """Latitude of the first point."""
        return self.points[0][0]

    @property
    def lon(self) -> float:
        """Longitude of the first point."""
        return self.points[0][1]


@lru_cache(maxsize=1)
def _known_iso3() -> frozenset[str]:
    from analysis.geo.naturalearth import attributes_and_wkb

    frame, _wkb = attributes_and_wkb()
    return frozenset(str(c) for c in frame["iso3"])


def all_countries() -> list[str]:
    """Return every ISO3 code that has a polygon, sorted."""
    return sorted(_known_iso3())


def resolve_countries(items: Iterable[str]) -> list[str]:
    """Turn ISO3 codes or country names into ISO3 codes with a polygon (order kept, no repeats)."""
    from analysis.geo.naturalearth import MERGED_INTO_POLYGON
    from analysis.geo.names import to_iso3

    known = _known_iso3()
    found: list[str] = []
    problems: list[str] = []
    for raw in items:
        text = raw.strip()
        if not text:
            continue
        # the name resolver folds territories into their polygon (Réunion -> FRA); here that
        # would silently sample all of France, so a territory's own code is refused instead
        code = text.upper() if text.upper() in known | MERGED_INTO_POLYGON.keys() else None
        code = code or to_iso3(text)
        if code in MERGED_INTO_POLYGON:
            problems.append(
                f"{text!r} ({code}) is drawn inside {MERGED_INTO_POLYGON[code]} in Natural "
                f"Earth; ask for {MERGED_INTO_POLYGON[code]} instead"
            )
        elif code is None or code not in known:
            problems.append(f"{text!r} is not a country with a polygon (use ISO3 like FRA)")
        elif code not in found:
            found.append(code)
    if problems:
        raise InputError("; ".join(problems))
    if not found:
        raise InputError("no country given: use --countries FRA,DEU or --all-countries")
    return found


@lru_cache(maxsize=512)
def country_shape(iso3: str) -> Any:
    """Return the (multi)polygon of one country, all its Natural Earth rows together."""
    import shapely

    from analysis.geo.naturalearth import attributes_and_wkb

    frame, wkb = attributes_and_wkb()
    rows = np.flatnonzero(frame["iso3"].to_numpy(dtype=object) == iso3)
    if rows.size == 0:
        raise InputError(f"no polygon for country {iso3!r}")
    geoms = shapely.from_wkb(wkb[rows])
    shape = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
    shapely.prepare(shape)
    return shape


def _rng(seed: int, iso3: str) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(iso3.encode())])


def sample_points(iso3: str, n: int, seed: int) -> list[tuple[float, float]]:
    """Draw ``n`` seeded (lat, lon) points uniformly (by area) inside a country (prefix-stable)."""
    import shapely

    if n <= 0:
        return []
    parts = shapely.get_parts(country_shape(iso3))
    for part in parts:
        shapely.prepare(part)
    bounds = shapely.bounds(parts)
    # area in degrees shrinks with cos(latitude): weight by it so big northern islands
    # do not win over the mainland, and tiny parts are drawn as often as their area says
    mid_lat = np.radians((bounds[:, 1] + bounds[:, 3]) / 2.0)
    weights = shapely.area(parts) * np.cos(mid_lat)
    weights = weights / weights.sum()
    rng = _rng(seed, iso3)
    points: list[tuple[float, float]] = []
    for _ in range(n):  # one point at a time: the first k points never depend on n
        part_index = int(rng.choice(len(parts), p=weights))
        points.append(_point_in(parts[part_index], bounds[part_index], rng))
    return points


def _point_in(part: Any, box: Sequence[float], rng: np.random.Generator) -> tuple[float, float]:
    import shapely

    xmin, ymin, xmax, ymax = (float(v) for v in box)
    # rejection inside the part's box, uniform in sin(lat) so equal areas get equal odds
    s_lo, s_hi = np.sin(np.radians(ymin)), np.sin(np.radians(ymax))
    for _ in range(10_000):
        lon = rng.uniform(xmin, xmax, _BATCH_MIN)
        lat = np.degrees(np.arcsin(rng.uniform(s_lo, s_hi, _BATCH_MIN)))
        inside = np.flatnonzero(shapely.contains_xy(part, lon, lat))
        if inside.size:
            i = int(inside[0])
            return round(float(lat[i]), 6), round(float(lon[i]), 6)
    point = shapely.point_on_surface(part)  # a sliver no random draw hits: its surface point
    return round(float(shapely.get_y(point)), 6), round(float(shapely.get_x(point)), 6)


def plan_targets(
    countries: Sequence[str], per_country: int, seed: int = 0, tries: int = 3
) -> list[Target]:
    """Plan ``per_country`` targets per country, each with ``tries`` candidate points."""
    if not 1 <= per_country <= MAX_PER_COUNTRY:
        raise InputError(
            f"--per-country must be 1..{MAX_PER_COUNTRY:,} targets per country, got "
            f"{per_country:,}; for a bigger dataset add countries or run several collections"
        )
    if tries < 1:
        raise InputError(f"--tries must be >= 1, got {tries}")
    n_points = len(countries) * per_country * tries
    if n_points > MAX_PLAN_POINTS:
        raise InputError(
            f"the plan would draw {n_points:,} candidate points ({len(countries)} countries x "
            f"{per_country:,} targets x {tries} tries), over the limit of {MAX_PLAN_POINTS:,}: "
            "lower --per-country or --tries, or collect fewer countries per run"
        )
    targets: list[Target] = []
    for iso3 in countries:
        points = sample_points(iso3, per_country * tries, seed)
        for i in range(per_country):
            # each target's points are contiguous, so raising per_country appends targets
            chunk = tuple(points[i * tries : (i + 1) * tries])
            targets.append(Target(f"{iso3}-{i:04d}", iso3, chunk))
    return targets
