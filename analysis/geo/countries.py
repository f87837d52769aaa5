"""Countries from Natural Earth 10m admin-0 polygons: facts, point -> country, shapes to draw.

Polygons, not a nearest-town reverse geocoder: a geocoder snaps a mid-ocean point to some coast,
while here a point belongs to a country only if a polygon contains it or lies within
``tolerance_km`` of it (GPS jitter, piers and beaches drawn slightly inside the sea at 10m scale).
Everything loads lazily on first use and is cached for the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import InputError, NotFoundError
from analysis.geo.coverage_cache import simplified_coverage
from analysis.geo.distance import EARTH_RADIUS_KM
from analysis.geo.naturalearth import MERGED_INTO_POLYGON, MISSING, attributes, attributes_and_wkb

if TYPE_CHECKING:
    import geopandas

KM_PER_DEGREE = np.pi * EARTH_RADIUS_KM / 180.0  # 111.19 km per degree of latitude
DEFAULT_TOLERANCE_KM = 25.0
_CHUNK_VERTICES = 64  # coastline pieces for the nearest search: bounded cost per candidate

# GEOS builds a prepared polygon's point locator lazily on first query; Streamlit serves each
# session on its own thread, so queries against the shared prepared shapes are serialised
_QUERY_LOCK = threading.RLock()

COUNTRY_COLUMNS = ["iso3", "iso2", "name", "continent", "subregion", "region", "rep_lat", "rep_lon"]


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """Facts about one country; ``rep_lat``/``rep_lon`` is a point inside its main territory.

    The representative point is Natural Earth's label point (LABEL_Y/LABEL_X: inside the
    mainland, not the centroid of France plus its overseas parts); where that point lies in
    the sea (New Zealand, Equatorial Guinea...) a point on the largest landmass replaces it.
    """

    iso3: str
    iso2: str | None
    name: str
    continent: str
    subregion: str | None
    region: str | None
    rep_lat: float
    rep_lon: float


def _primary_rows() -> pd.DataFrame:
    rows = attributes()
    rows = rows[rows["iso3"].notna()].copy()
    # several rows can share a code (Australia and its external territories): the row whose
    # own ADM0_A3 is the code is the country proper and provides name and label point
    rows["_secondary"] = rows["ADM0_A3"] != rows["iso3"]
    return rows.sort_values(["_secondary", "POP_EST"], ascending=[True, False]).drop_duplicates(
        "iso3"
    )


@lru_cache(maxsize=1)
def _countries_frame() -> pd.DataFrame:
    rows = _primary_rows()
    iso2 = [
        a2 if a2 != MISSING else (eh if eh != MISSING else None)
        for a2, eh in zip(rows["ISO_A2"], rows["ISO_A2_EH"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "iso3": rows["iso3"].astype(str),
            "iso2": iso2,
            "name": rows["NAME_EN"].astype(str),
            "continent": rows["continent"].astype(str),
            "subregion": rows["subregion"],
            "region": rows["REGION_UN"],
            "rep_lat": rows["LABEL_Y"].astype(float),
            "rep_lon": rows["LABEL_X"].astype(float),
        }
    )
    return _rep_points_on_land(frame.sort_values("iso3").reset_index(drop=True))


def _rep_points_on_land(frame: pd.DataFrame) -> pd.DataFrame:
    """Move label points that fall in the sea (NZ, Equatorial Guinea...) onto the country."""
    import shapely

    poly = _polygons()
    owner = _contained(poly, frame["rep_lat"].to_numpy(), frame["rep_lon"].to_numpy())
    got = poly.iso3[np.maximum(owner, 0)].copy()
    got[owner < 0] = None
    for i in np.flatnonzero(got != frame["iso3"].to_numpy()):
        iso3 = frame.at[i, "iso3"]
        parts = shapely.get_parts(poly.geoms[poly.iso3 == iso3])
        largest = parts[np.argmax(shapely.area(parts))]
        point = shapely.point_on_surface(largest)
        frame.at[i, "rep_lat"], frame.at[i, "rep_lon"] = shapely.get_y(point), shapely.get_x(point)
    return frame


def countries_frame() -> pd.DataFrame:
    """Return one row per country: iso3, iso2, name, continent, subregion, region, rep_lat/lon."""
    return _countries_frame().copy()


@lru_cache(maxsize=1)
def _info_by_iso3() -> dict[str, CountryInfo]:
    frame = _countries_frame()
    columns = zip(
        frame["iso3"].astype(str),
        frame["iso2"],
        frame["name"].astype(str),
        frame["continent"].astype(str),
        frame["subregion"],
        frame["region"],
        frame["rep_lat"].astype(float),
        frame["rep_lon"].astype(float),
        strict=True,
    )
    return {
        iso3: CountryInfo(
            iso3=iso3,
            iso2=None if pd.isna(iso2) else str(iso2),
            name=name,
            continent=continent,
            subregion=None if pd.isna(subregion) else str(subregion),
            region=None if pd.isna(region) else str(region),
            rep_lat=rep_lat,
            rep_lon=rep_lon,
        )
        for iso3, iso2, name, continent, subregion, region, rep_lat, rep_lon in columns
    }


def _lookup_code(iso3: str) -> str:
    code = iso3.strip().upper()
    return MERGED_INTO_POLYGON.get(code, code)


def country_info(iso3: str) -> CountryInfo:
    """Return the facts about a country by ISO3 (REU and other merged codes give FRA's)."""
    info = _info_by_iso3().get(_lookup_code(iso3)) if isinstance(iso3, str) else None
    if info is None:
        raise NotFoundError(
            f"no country with ISO3 code {iso3!r} in Natural Earth admin-0 "
            f"({len(_info_by_iso3())} codes known, e.g. FRA, XKX, PSE)"
        )
    return info


def continent_of(iso3: str | None) -> str | None:
    """Return the continent of an ISO3 code, or None for None or an unknown code."""
    if not iso3 or not isinstance(iso3, str):
        return None
    info = _info_by_iso3().get(_lookup_code(iso3))
    return info.continent if info else None


@dataclass(frozen=True)
class _Polygons:
    iso3: npt.NDArray[np.object_]
    geoms: npt.NDArray[np.object_]  # prepared shapely geometries
    bounds: npt.NDArray[np.float64]
    chunks: npt.NDArray[np.object_]  # boundary pieces of <= _CHUNK_VERTICES vertices
    chunk_owner: npt.NDArray[np.intp]  # index into iso3 of each chunk
    chunk_tree: Any  # shapely.STRtree over chunks


@lru_cache(maxsize=1)
def _polygons() -> _Polygons:
    import shapely

    frame, wkb = attributes_and_wkb()
    geoms = shapely.from_wkb(wkb)
    shapely.prepare(geoms)
    # boundaries cut into short pieces so a nearest-edge query touches few vertices
    rings = shapely.get_parts(shapely.get_rings(shapely.get_parts(geoms)), return_index=False)
    part_owner = np.repeat(np.arange(len(geoms)), shapely.get_num_geometries(geoms))
    ring_counts = shapely.get_num_interior_rings(shapely.get_parts(geoms)) + 1
    ring_owner = np.repeat(part_owner, ring_counts)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    starts = np.r_[0, np.flatnonzero(np.diff(ring_idx)) + 1]
    pieces: list[npt.NDArray[np.float64]] = []
    owners: list[int] = []
    for start, end in zip(starts, np.r_[starts[1:], len(coords)], strict=True):
        for a in range(start, end - 1, _CHUNK_VERTICES - 1):
            b = min(a + _CHUNK_VERTICES, end)
            if b - a >= 2:
                pieces.append(coords[a:b])
                owners.append(int(ring_owner[ring_idx[start]]))
    chunks = np.array([shapely.linestrings(p) for p in pieces], dtype=object)
    return _Polygons(
        iso3=frame["iso3"].to_numpy(dtype=object),
        geoms=geoms,
        bounds=shapely.bounds(geoms),
        chunks=chunks,
        chunk_owner=np.asarray(owners, dtype=np.intp),
        chunk_tree=shapely.STRtree(chunks),
    )


def _validated(lats: Any, lons: Any) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    lat = np.atleast_1d(np.asarray(lats, dtype=np.float64))
    lon = np.atleast_1d(np.asarray(lons, dtype=np.float64))
    if lat.shape != lon.shape or lat.ndim != 1:
        raise InputError(
            f"lats and lons must be 1-d of equal length, got {lat.shape} and {lon.shape}"
        )
    bad = np.abs(lat) > 90.0
    if bad.any():
        raise InputError(
            f"{int(bad.sum())} latitude(s) outside [-90, 90], first {lat[bad][0]!r}: "
            "degrees expected (radians or swapped lat/lon?)"
        )
    finite_lon = np.isfinite(lon)
    lon = np.where(finite_lon, (lon + 180.0) % 360.0 - 180.0, lon)  # wrap 190 -> -170
    return lat, lon


def _contained(
    poly: _Polygons, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]
) -> npt.NDArray[np.intp]:
    owner = np.full(lat.shape, -1, dtype=np.intp)
    ok = np.isfinite(lat) & np.isfinite(lon)
    with _QUERY_LOCK:
        _fill_contained(poly, lat, lon, ok, owner)
    return owner


def _fill_contained(
    poly: _Polygons,
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    ok: npt.NDArray[np.bool_],
    owner: npt.NDArray[np.intp],
) -> None:
    import shapely

    # per polygon, bounding-box filter then vectorised point-in-polygon on the prepared shape:
    # measured ~10x faster than an STRtree "intersects" query with unprepared polygons
    for j, (xmin, ymin, xmax, ymax) in enumerate(poly.bounds):
        in_box = (lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax)
        cand = np.flatnonzero(ok & (owner < 0) & in_box)
        if cand.size:
            inside = shapely.contains_xy(poly.geoms[j], lon[cand], lat[cand])
            owner[cand[inside]] = j


def _nearest_within(
    poly: _Polygons,
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    tolerance_km: float,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Return, per point, the polygon whose edge is nearest within the tolerance, and its km."""
    import shapely

    n = lat.size
    best = np.full(n, -1, dtype=np.intp)
    best_km = np.full(n, np.inf)
    if n == 0:
        return best, best_km
    # a box in degrees that surely holds the tolerance circle: longitude degrees shrink by
    # cos(lat); near the poles the box spans every longitude
    dlat = tolerance_km / KM_PER_DEGREE
    cos_lat = np.cos(np.radians(np.clip(np.abs(lat) + dlat, 0.0, 90.0)))
    dlon = np.where(cos_lat > 1e-9, dlat / np.maximum(cos_lat, 1e-9), 360.0)
    dlon = np.minimum(dlon, 180.0)
    ymin, ymax = np.maximum(lat - dlat, -90.0), np.minimum(lat + dlat, 90.0)
    boxes_pt: list[npt.NDArray[np.intp]] = []
    boxes: list[Any] = []
    for shift in (0.0, -360.0, 360.0):  # the parts of a box that wrap over the antimeridian
        xmin, xmax = np.maximum(lon - dlon + shift, -180.0), np.minimum(lon + dlon + shift, 180.0)
        keep = np.flatnonzero(xmin < xmax)
        boxes_pt.append(keep)
        boxes.append(shapely.box(xmin[keep], ymin[keep], xmax[keep], ymax[keep]))
    box_pt = np.concatenate(boxes_pt)
    with _QUERY_LOCK:
        box_idx, chunk_idx = poly.chunk_tree.query(np.concatenate(boxes), predicate="intersects")
    if box_idx.size == 0:
        return best, best_km
    pt = box_pt[box_idx]
    # distance in a local equirectangular frame (km) centred on each point: accurate to well
    # under 1% within tens of km, unlike raw degrees where a degree of longitude shrinks
    coords, pair = shapely.get_coordinates(poly.chunks[chunk_idx], return_index=True)
    lat0, lon0 = lat[pt][pair], lon[pt][pair]
    dx = ((coords[:, 0] - lon0 + 180.0) % 360.0 - 180.0) * np.cos(np.radians(lat0)) * KM_PER_DEGREE
    dy = (coords[:, 1] - lat0) * KM_PER_DEGREE
    lines = shapely.linestrings(np.column_stack([dx, dy]), indices=pair)
    km = shapely.distance(lines, shapely.points(0.0, 0.0))
    order = np.lexsort((km, pt))  # per point, nearest first
    first = order[np.r_[True, pt[order][1:] != pt[order][:-1]]]
    within = km[first] <= tolerance_km
    best[pt[first][within]] = poly.chunk_owner[chunk_idx[first][within]]
    best_km[pt[first]] = km[first]
    return best, best_km


def country_of_points(
    lats: Any, lons: Any, tolerance_km: float = DEFAULT_TOLERANCE_KM
) -> npt.NDArray[np.object_]:
    """Return the ISO3 of the country at each point (dtype object; None at sea or for NaN).

    Args:
        lats, lons: decimal degrees, equal-length sequences (longitudes wrap).
        tolerance_km: a point inside no polygon takes the nearest country whose border lies
            within this many kilometres (coastal points); 0 disables it.
    """
    if tolerance_km < 0 or not np.isfinite(tolerance_km):
        raise InputError(f"tolerance_km must be a finite number >= 0, got {tolerance_km!r}")
    lat, lon = _validated(lats, lons)
    poly = _polygons()
    owner = _contained(poly, lat, lon)
    if tolerance_km > 0:
        todo = np.flatnonzero((owner < 0) & np.isfinite(lat) & np.isfinite(lon))
        near, _km = _nearest_within(poly, lat[todo], lon[todo], tolerance_km)
        owner[todo] = near
    out = np.full(lat.shape, None, dtype=object)
    found = owner >= 0
    out[found] = poly.iso3[owner[found]]
    return out


def country_of(lat: float, lon: float, tolerance_km: float = DEFAULT_TOLERANCE_KM) -> str | None:
    """Return the ISO3 of the country at one point, or None at sea."""
    result = country_of_points([lat], [lon], tolerance_km)[0]
    return None if result is None else str(result)


def distance_to_country_km(lats: Any, lons: Any, max_km: float = 200.0) -> npt.NDArray[np.float64]:
    """Return km from each point to the nearest country border (0 inside, inf beyond max_km)."""
    lat, lon = _validated(lats, lons)
    poly = _polygons()
    owner = _contained(poly, lat, lon)
    out = np.where(owner >= 0, 0.0, np.inf)
    todo = np.flatnonzero((owner < 0) & np.isfinite(lat) & np.isfinite(lon))
    _near, km = _nearest_within(poly, lat[todo], lon[todo], max_km)
    out[todo] = np.where(km <= max_km, km, np.inf)
    out[~(np.isfinite(lat) & np.isfinite(lon))] = np.nan
    return out


@lru_cache(maxsize=8)
def _world_polygons(
    simplify_deg: float, shared_edges: bool, cache_dir: Path | None
) -> geopandas.GeoDataFrame:
    import geopandas
    import shapely

    frame, wkb = attributes_and_wkb()
    if simplify_deg > 0 and shared_edges:
        # the polygons form a coverage (no overlaps, matched vertices on shared borders):
        # simplified together, neighbours keep one common border
        geoms = simplified_coverage(list(wkb), simplify_deg, cache_dir)
    elif simplify_deg > 0:
        geoms = shapely.simplify(shapely.from_wkb(wkb), simplify_deg, preserve_topology=True)
    else:
        geoms = shapely.from_wkb(wkb)
    names = _countries_frame().set_index("iso3")["name"]
    return geopandas.GeoDataFrame(
        {
            "iso3": frame["iso3"].astype(str),
            "name": frame["iso3"].map(names).astype(str),
            "continent": frame["continent"].astype(str),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


# what the maps draw: neighbours simplified together (coverage simplification), about 43,000
# points in all, against 547,000 at full detail
DRAWING_SIMPLIFY_DEG = 0.12


def world_polygons(
    simplify_deg: float = 0.05, shared_edges: bool = False, cache_dir: Path | None = None
) -> geopandas.GeoDataFrame:
    """Return country shapes: iso3, name, continent, geometry (EPSG:4326).

    One row per Natural Earth polygon group, so a code can repeat (Australia and its external
    territories are all AUS). Simplified by ``simplify_deg`` degrees (0 keeps full detail);
    cached per value, and a copy is returned so callers may modify it.

    Each polygon is simplified on its own (Douglas-Peucker) unless ``shared_edges``: then all
    are simplified together as one coverage (Visvalingam-Whyatt; ``simplify_deg`` is about the
    square root of the smallest triangle kept), so two neighbours keep one common border. Maps
    draw those: simplified one by one, neighbours left white slivers between them, which show
    as soon as a map is zoomed in (the live panel's map always is). Given a ``cache_dir``, that
    simplification (about 1.8 s) is kept there (``analysis.geo.coverage_cache``).
    """
    if simplify_deg < 0 or not np.isfinite(simplify_deg):
        raise InputError(f"simplify_deg must be a finite number >= 0, got {simplify_deg!r}")
    return _world_polygons(float(simplify_deg), bool(shared_edges), cache_dir).copy()
