"""Consensus point of several models' guesses: the geometric median on the sphere.

The geometric median is the point that minimises the *sum of great-circle distances* to the
guesses, i.e. the single answer with the least total error in km if the guesses were the truth.
Unlike the mean it is robust: one wild guess cannot drag it across an ocean, and a point held by at
least half of the guesses is the median itself.

Method (Weiszfeld's algorithm, Riemannian form on the unit sphere, after Fletcher, Venkatasubramanian
and Joshi 2009): points are unit vectors in R^3; from the current estimate ``x`` each guess ``p``
is mapped to the tangent plane at ``x`` by the log map (direction towards ``p``, length = the
angle between them); the next estimate moves along the weighted average of those vectors with
weights ``1 / angle`` (the exp map brings it back onto the sphere). Before iterating, each distinct
guess is tested with the exact optimality condition for a data point (the pull of the other
guesses does not exceed the point's own weight), because Weiszfeld's weights divide by zero
there. Iteration starts from the normalised 3D mean (or, when the guesses cancel out, from the
guess with the least total distance). The median is unique when the guesses lie in an open
hemisphere; otherwise one of the minimisers is returned. With two guesses every point of the arc
between them is a median: the midpoint is returned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

# Angles below this (radians, ~6 mm on Earth) count as "the same point".
_SAME_POINT_RAD = 1e-9
_MAX_ITERATIONS = 2000
_STRETCHES = (2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
_TOLERANCE_RAD = 1e-11

FloatArray = npt.NDArray[np.float64]


def _to_unit_vectors(lats_deg: FloatArray, lons_deg: FloatArray) -> FloatArray:
    lat = np.radians(lats_deg)
    lon = np.radians(lons_deg)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _to_lat_lon(vector: FloatArray) -> tuple[float, float]:
    x, y, z = (float(c) for c in vector / np.linalg.norm(vector))
    lat = float(np.degrees(np.arcsin(np.clip(z, -1.0, 1.0))))
    # At a pole the longitude is arbitrary; report 0 rather than floating-point noise.
    lon = 0.0 if abs(lat) > 90.0 - 1e-9 else float(np.degrees(np.arctan2(y, x)))
    return lat, lon


def _angles(x: FloatArray, points: FloatArray) -> FloatArray:
    """Return the angles (radians) between unit vector ``x`` and each point."""
    # atan2(|a x b|, a . b), not arccos(a . b): arccos loses all precision near 0 (1e-16 of
    # rounding becomes 1e-8 rad, ~10 cm), exactly where a median meets a guess.
    cross = np.linalg.norm(np.cross(points, x), axis=-1)
    return np.arctan2(cross, points @ x)  # type: ignore[no-any-return]


def _log_map(x: FloatArray, points: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return tangent vectors at ``x`` towards each point and the angles to them (radians)."""
    cos_angle = points @ x
    # The component of each point orthogonal to x, scaled to the geodesic length.
    ortho = points - np.outer(cos_angle, x)
    norms = np.linalg.norm(ortho, axis=1)
    angles = np.arctan2(norms, cos_angle)
    safe = np.where(norms > 0.0, norms, 1.0)
    tangents = ortho * (angles / safe)[:, None]
    return tangents, angles


def _exp_map(x: FloatArray, tangent: FloatArray) -> FloatArray:
    length = float(np.linalg.norm(tangent))
    if length == 0.0:
        return x
    moved: FloatArray = np.cos(length) * x + np.sin(length) * (tangent / length)
    unit: FloatArray = moved / float(np.linalg.norm(moved))
    return unit


def _dedupe(vectors: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Merge coincident points; return distinct unit vectors and their multiplicities."""
    distinct: list[FloatArray] = []
    weights: list[float] = []
    for vector in vectors:
        for index, kept in enumerate(distinct):
            if float(_angles(kept, vector[None, :])[0]) < _SAME_POINT_RAD:
                weights[index] += 1.0
                break
        else:
            distinct.append(vector)
            weights.append(1.0)
    return np.array(distinct), np.array(weights)


def _total_angle(x: FloatArray, points: FloatArray, weights: FloatArray) -> float:
    return float(weights @ _angles(x, points))


def _optimal_data_point(points: FloatArray, weights: FloatArray) -> int | None:
    """Return the index of a guess that is itself the median, if one is."""
    for k in range(len(points)):
        tangents, angles = _log_map(points[k], points)
        others = np.arange(len(points)) != k
        directions = tangents[others] / angles[others][:, None]
        pull = float(np.linalg.norm(weights[others] @ directions))
        # Strictly smaller only: on a tie (two equal guesses) every point of the arc between them
        # is a median, and iterating from the mean returns the midpoint, the natural choice.
        if pull < weights[k] - 1e-12:
            return k
    return None


def geometric_median(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Return the (lat, lon) minimising the summed great-circle distance to ``points``.

    Args:
        points: guesses as (lat, lon) in decimal degrees; pairs containing NaN are ignored.

    Returns:
        The median as (lat, lon) in degrees, lon in (-180, 180]; ``None`` when no usable point.
    """
    usable = [(lat, lon) for lat, lon in points if np.isfinite(lat) and np.isfinite(lon)]
    if not usable:
        return None
    coords = np.array(usable, dtype=np.float64)
    vectors, weights = _dedupe(_to_unit_vectors(coords[:, 0], coords[:, 1]))
    if len(vectors) == 1:
        return _to_lat_lon(vectors[0])
    winner = _optimal_data_point(vectors, weights)
    if winner is not None:
        return _to_lat_lon(vectors[winner])

    mean = weights @ vectors
    if float(np.linalg.norm(mean)) > 1e-9:
        x = mean / np.linalg.norm(mean)
    else:  # the guesses cancel out (e.g. evenly around the equator): start at the best guess
        totals = [_total_angle(v, vectors, weights) for v in vectors]
        x = vectors[int(np.argmin(totals))]

    for _ in range(_MAX_ITERATIONS):
        tangents, angles = _log_map(x, vectors)
        if float(angles.min()) < _SAME_POINT_RAD:
            # No guess is optimal (checked above), so step off it along the pull of the others.
            angles = np.maximum(angles, _SAME_POINT_RAD)
        inverse = weights / angles
        step = (inverse @ tangents) / float(inverse.sum())
        x_next = _exp_map(x, step)
        # Plain Weiszfeld crawls when the median is near a guess (sublinear convergence);
        # stretching the step while the total distance keeps falling fixes that, and the
        # plain step remains the fallback, so every iteration still descends.
        cost_next = _total_angle(x_next, vectors, weights)
        for stretch in _STRETCHES:
            trial = _exp_map(x, step * stretch)
            cost_trial = _total_angle(trial, vectors, weights)
            if cost_trial >= cost_next:
                break
            x_next, cost_next = trial, cost_trial
        moved = float(_angles(x, x_next[None, :])[0])
        x = x_next
        if moved < _TOLERANCE_RAD:
            break
    # Weiszfeld converges slowly when the median sits next to a guess; a guess that is at
    # better than the iterate is the better answer. On a tie the iterate stays (two guesses:
    # the midpoint), hence the relative margin above rounding noise.
    totals = [_total_angle(v, vectors, weights) for v in vectors]
    best = int(np.argmin(totals))
    if totals[best] < _total_angle(x, vectors, weights) * (1.0 - 1e-12):
        x = vectors[best]
    return _to_lat_lon(x)
