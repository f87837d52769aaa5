"""Target plan: seeded random points inside each requested country's Natural Earth polygon.

Each country draws from its own random stream (seed, country code), so adding a country or
raising its number of targets leaves the other targets where they were: a collection can be
extended and resumed without moving what is already done. Targets of one country are kept at
least ``spacing_km`` apart (a draw too close to an earlier target is dropped), so two targets
do not snap to the same panorama; a country too small for the number asked gets fewer.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from analysis.errors import InputError

_BATCH_MIN = 64
# Points are drawn one at a time (~25 us each) so that plans stay prefix-stable; these caps keep
# planning within seconds and refuse what no imagery budget would pay for anyway
MAX_PER_COUNTRY = 10_000
MAX_PLAN_TARGETS = 500_000  # about 15 s of drawing
DEFAULT_RINGS_KM: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 25.0, 50.0)
DEFAULT_SPACING_KM = 1.0  # the default snap radius of both sources
# after this many draws in a row land too close to earlier targets, the country is full
_FULL_AFTER_REJECTS = 500


@dataclass(frozen=True, slots=True)
class Target:
    """One place to look for imagery: ``points`` are tried in order, then rings around the first.

    ``rings_km`` are the distances of the fallback points, one per ring, each inside the
    country (see ``analysis.collect.rings``): a target without coverage moves as little as it
    must instead of jumping to a random point hundreds of km away.
    """

    target_id: str
    iso3: str
    points: tuple[tuple[float, float], ...]
    rings_km: tuple[float, ...] = field(default=())

    def candidates(self) -> Iterator[tuple[float, float]]:
        """Yield the points to try in order; ring points are computed only when reached."""
        yield from self.points
        if self.rings_km:
            from analysis.collect.rings import ring_points

            yield from ring_points(self.iso3, self.lat, self.lon, self.rings_km, self.target_id)

    @property
    def max_points(self) -> int:
        """Return how many points a run may try for this target at most."""
        return len(self.points) + len(self.rings_km)

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
    """Turn ISO3 codes, country names, continents or sub-regions into ISO3 codes with a polygon.

    Order is kept and repeats dropped; a region adds its member countries in code order.
    """
    from analysis.collect.regions import region_members
    from analysis.geo.names import to_iso3
    from analysis.geo.naturalearth import MERGED_INTO_POLYGON

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
        region = None if code else region_members(text)
        if region is not None:
            found.extend(c for c in region[1] if c in known and c not in found)
            continue
        code = code or to_iso3(text)
        if code in MERGED_INTO_POLYGON:
            problems.append(
                f"{text!r} ({code}) is drawn inside {MERGED_INTO_POLYGON[code]} in Natural "
                f"Earth; ask for {MERGED_INTO_POLYGON[code]} instead"
            )
        elif code is None or code not in known:
            problems.append(
                f"{text!r} is not a country with a polygon nor a continent or sub-region "
                "(use ISO3 like FRA, a name like Peru, or a region like Europe or Western Africa)"
            )
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
    if n <= 0:
        return []
    draws = _draws(iso3, seed)
    return [next(draws) for _ in range(n)]


def spaced_points(
    iso3: str, n: int, seed: int, spacing_km: float
) -> tuple[list[tuple[float, float]], bool]:
    """Draw up to ``n`` seeded points at least ``spacing_km`` apart; say whether the country filled.

    Draws come from the same stream as ``sample_points`` and a draw is kept only when no kept
    point is closer than the spacing, so the first k points never depend on ``n``.
    """
    from analysis.collect.spatial import PointGrid

    if spacing_km <= 0:
        return sample_points(iso3, n, seed), False
    grid = PointGrid(spacing_km)
    kept: list[tuple[float, float]] = []
    rejects = 0
    draws = _draws(iso3, seed)
    while len(kept) < n:
        lat, lon = next(draws)
        if grid.any_closer(lat, lon):
            rejects += 1
            if rejects >= _FULL_AFTER_REJECTS:
                return kept, True
            continue
        rejects = 0
        grid.add(len(kept), lat, lon)
        kept.append((lat, lon))
    return kept, False


def _draws(iso3: str, seed: int) -> Iterator[tuple[float, float]]:
    import shapely

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
    while True:  # one point at a time: the first k points never depend on how many are taken
        part_index = int(rng.choice(len(parts), p=weights))
        yield _point_in(parts[part_index], bounds[part_index], rng)


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


@dataclass(frozen=True)
class TargetPlan:
    """The targets, and the countries that could not hold as many spaced targets as asked."""

    targets: list[Target]
    shortfalls: dict[str, tuple[int, int]]  # iso3 -> (asked, planned)

    def shortfall_lines(self, spacing_km: float) -> list[str]:
        """Describe each country that got fewer targets than asked, and why."""
        return [
            f"{iso3}: only {got} of {asked} targets fit at least {spacing_km:g} km apart; "
            f"planned {got} (lower --spacing-km to plan more)"
            for iso3, (asked, got) in self.shortfalls.items()
        ]


def make_plan(
    countries: Sequence[str],
    per_country: int | Mapping[str, int],
    seed: int = 0,
    *,
    spacing_km: float = DEFAULT_SPACING_KM,
    rings_km: Sequence[float] = DEFAULT_RINGS_KM,
) -> TargetPlan:
    """Plan targets per country (a number for all, or one per country), spaced, with rings."""
    counts = (
        {c: per_country for c in countries} if isinstance(per_country, int) else dict(per_country)
    )
    for iso3 in countries:
        n = counts.get(iso3, 0)
        if not 0 <= n <= MAX_PER_COUNTRY or (isinstance(per_country, int) and n < 1):
            how = "--per-country" if isinstance(per_country, int) else "the share of --total"
            raise InputError(
                f"{how} must be 1..{MAX_PER_COUNTRY:,} targets per country, got {n:,} for "
                f"{iso3}; for a bigger dataset add countries or run several collections"
            )
    if spacing_km < 0:
        raise InputError(f"--spacing-km must be >= 0, got {spacing_km:g}")
    if any(r <= 0 for r in rings_km):
        raise InputError(f"--rings-km must be positive distances, got {list(rings_km)}")
    n_targets = sum(counts.get(c, 0) for c in countries)
    if n_targets > MAX_PLAN_TARGETS:
        raise InputError(
            f"the plan would hold {n_targets:,} targets ({len(countries)} countries), over the "
            f"limit of {MAX_PLAN_TARGETS:,}: lower the number of targets, or collect fewer "
            "countries per run"
        )
    rings = tuple(float(r) for r in sorted(rings_km))
    targets: list[Target] = []
    shortfalls: dict[str, tuple[int, int]] = {}
    for iso3 in countries:
        asked = counts.get(iso3, 0)
        points, full = spaced_points(iso3, asked, seed, spacing_km)
        if full:
            shortfalls[iso3] = (asked, len(points))
        targets.extend(
            Target(f"{iso3}-{i:04d}", iso3, (point,), rings) for i, point in enumerate(points)
        )
    return TargetPlan(targets, shortfalls)


def plan_targets(
    countries: Sequence[str],
    per_country: int | Mapping[str, int],
    seed: int = 0,
    *,
    spacing_km: float = DEFAULT_SPACING_KM,
    rings_km: Sequence[float] = DEFAULT_RINGS_KM,
) -> list[Target]:
    """Plan the targets of ``make_plan`` (fewer in a country too small for the spacing)."""
    return make_plan(countries, per_country, seed, spacing_km=spacing_km, rings_km=rings_km).targets
