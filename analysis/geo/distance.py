"""Great-circle distances, GeoGuessr scores and great-circle paths on a spherical Earth.

One formula serves numpy (``haversine_km``) and DuckDB (``haversine_sql``) so that distances
stored by the database and those computed in Python agree to ~1e-12 km.
"""

from __future__ import annotations

import itertools
import math
from typing import overload

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0  # mean radius (IUGG); the value LLMGeo and OSV-5M use
GEOGUESSR_SCALE_KM = 1492.7  # GeoGuessr world-map decay: 5000 * exp(-d / 1492.7)
GEOGUESSR_MAX_POINTS = 5000.0

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | int | npt.ArrayLike


@overload
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...
@overload
def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> float | FloatArray: ...
def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> float | FloatArray:
    """Compute the great-circle distance in kilometres between points given in degrees.

    Args:
        lat1, lon1, lat2, lon2: decimal degrees, scalars or broadcastable arrays (latitude in
            [-90, 90]; any longitude, it wraps). NaN (or None in an object array) in any input
            gives NaN for that element.

    Returns:
        A float for scalar input, else a float64 array of the broadcast shape, in [0, pi * R].
    """
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = np.radians(np.asarray(lat2, dtype=np.float64) - np.asarray(lat1, dtype=np.float64))
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2.0) ** 2
    # atan2 form rather than asin(sqrt(a)): it needs no clamp when rounding pushes a past 1
    # (antipodes), and no clamp means NaN/NULL propagate identically here and in SQL, where
    # least()/greatest() would silently skip NULLs and order NaN above every number.
    d: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arctan2(np.sqrt(a), np.sqrt(np.abs(1.0 - a)))
    if d.ndim == 0:
        return float(d)
    return d


def haversine_sql(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """Return a DuckDB SQL expression computing ``haversine_km`` from four column expressions.

    The arguments are inserted verbatim (column names or expressions such as ``s.true_lat``);
    pass trusted identifiers only, never user text. NULL or NaN in any column gives NULL/NaN.
    """
    for arg in (lat1, lon1, lat2, lon2):
        if not arg or ";" in arg or "--" in arg:
            raise ValueError(f"not a column expression: {arg!r}")
    a = (
        f"(pow(sin(radians(({lat2}) - ({lat1})) / 2.0), 2)"
        f" + cos(radians({lat1})) * cos(radians({lat2}))"
        f" * pow(sin(radians(({lon2}) - ({lon1})) / 2.0), 2))"
    )
    return f"(2.0 * {EARTH_RADIUS_KM!r} * atan2(sqrt({a}), sqrt(abs(1.0 - {a}))))"


@overload
def geoguessr_score(distance_km: float) -> float: ...
@overload
def geoguessr_score(distance_km: ArrayLike) -> float | FloatArray: ...
def geoguessr_score(distance_km: ArrayLike) -> float | FloatArray:
    """Convert a distance in kilometres to GeoGuessr points: 5000 * exp(-d / 1492.7).

    NaN (no guess) stays NaN; callers that count a missing guess as 0 points fill it themselves.
    """
    d = np.asarray(distance_km, dtype=np.float64)
    score = GEOGUESSR_MAX_POINTS * np.exp(-d / GEOGUESSR_SCALE_KM)
    if score.ndim == 0:
        return float(score)
    return score


def _check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"point ({lat}, {lon}) is not finite")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} outside [-90, 90]")


def great_circle_paths(
    lat1: npt.ArrayLike,
    lon1: npt.ArrayLike,
    lat2: npt.ArrayLike,
    lon2: npt.ArrayLike,
    n_points: int = 64,
) -> FloatArray:
    """Return an (m, n_points, 2) array of (lat, lon) along m shorter great circles.

    The one implementation of great-circle interpolation (``great_circle_path`` is its scalar
    face). Points are spaced evenly in arc length (spherical linear interpolation); endpoints are
    exactly as given. Longitudes are in (-180, 180]: a path crossing the antimeridian jumps from
    ~180 to ~-180 (see ``split_at_antimeridian``). For antipodal endpoints every great circle is
    shortest; the one in the plane of the north pole is chosen (the x axis for polar points).
    Inputs must be finite with latitudes in [-90, 90] (``great_circle_path`` checks).
    """
    if n_points < 2:
        raise ValueError(f"n_points must be >= 2, got {n_points}")
    la1, lo1, la2, lo2 = (
        np.atleast_1d(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2)
    )
    a, b = _unit_vectors(la1, lo1), _unit_vectors(la2, lo2)
    # angle by atan2(|a x b|, a.b): accurate for tiny and near-pi angles, unlike acos
    omega = np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), np.einsum("ij,ij->i", a, b))
    u = b - np.cos(omega)[:, None] * a
    antipodal = np.pi - omega < 1e-9
    if antipodal.any():  # b is -a, useless as a direction: take the pole's plane instead
        pole = np.where(
            (np.abs(a[:, 2]) < 0.9)[:, None], np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0])
        )
        towards = pole - np.einsum("ij,ij->i", pole, a)[:, None] * a
        u[antipodal] = towards[antipodal]
    norm = np.linalg.norm(u, axis=-1)
    safe = norm > 1e-15
    u[safe] /= norm[safe][:, None]
    theta = np.linspace(0.0, 1.0, n_points)[None, :] * omega[:, None]
    xyz = np.cos(theta)[..., None] * a[:, None, :] + np.sin(theta)[..., None] * u[:, None, :]
    horizontal = np.hypot(xyz[..., 0], xyz[..., 1])
    lat = np.degrees(np.arctan2(xyz[..., 2], horizontal))
    lon = np.where(horizontal > 1e-15, np.degrees(np.arctan2(xyz[..., 1], xyz[..., 0])), 0.0)
    out: FloatArray = np.stack([lat, lon], axis=-1)
    out[:, 0] = np.column_stack([la1, lo1])
    out[:, -1] = np.column_stack([la2, lo2])
    same = omega < 1e-12  # one point: every vertex is the start, the last the end
    out[same, 1:-1] = out[same, :1]
    return out


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def great_circle_path(
    lat1: float, lon1: float, lat2: float, lon2: float, n_points: int = 64
) -> list[tuple[float, float]]:
    """Return ``n_points`` (lat, lon) points along the shorter great circle, endpoints included.

    One path of ``great_circle_paths`` (see there), with the inputs checked.
    """
    if n_points < 2:
        raise ValueError(f"n_points must be >= 2, got {n_points}")
    _check_point(lat1, lon1)
    _check_point(lat2, lon2)
    path = great_circle_paths([lat1], [lon1], [lat2], [lon2], n_points=n_points)[0]
    points = [(float(la), float(lo)) for la, lo in path]
    points[0], points[-1] = (float(lat1), float(lon1)), (float(lat2), float(lon2))
    return points


def split_at_antimeridian(
    path: list[tuple[float, float]],
) -> list[list[tuple[float, float]]]:
    """Split a (lat, lon) path into segments that never jump across the antimeridian.

    Where consecutive longitudes differ by more than 180 degrees the path crossed +/-180: the
    crossing latitude is interpolated and each side ends/starts exactly on the line, so a map
    draws two pieces instead of a stripe across the whole world.
    """
    if not path:
        return []
    segments: list[list[tuple[float, float]]] = [[path[0]]]
    for (lat_a, lon_a), (lat_b, lon_b) in itertools.pairwise(path):
        if abs(lon_b - lon_a) > 180.0:
            # unwrap b next to a, find where the segment meets +/-180
            edge = 180.0 if lon_a > 0 else -180.0
            lon_b_unwrapped = lon_b + (360.0 if lon_a > 0 else -360.0)
            span = lon_b_unwrapped - lon_a
            frac = (edge - lon_a) / span if span != 0 else 0.5
            lat_cross = lat_a + frac * (lat_b - lat_a)
            segments[-1].append((lat_cross, edge))
            segments.append([(lat_cross, -edge)])
        segments[-1].append((lat_b, lon_b))
    return segments


def destination_point(
    lat: float, lon: float, bearing_deg: float, distance_km: float
) -> tuple[float, float]:
    """Return the (lat, lon) reached from a point along an initial bearing over a distance."""
    _check_point(lat, lon)
    delta = distance_km / EARTH_RADIUS_KM
    phi, lam, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    sin_phi2 = math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * sin_phi2,
    )
    lon2 = (math.degrees(lam2) + 540.0) % 360.0 - 180.0
    return math.degrees(phi2), lon2
