"""Score one guess against the truth: the per-sample definitions every metric aggregates.

The live panel scores each card with ``score_guess``; the metrics compute the same quantities
vectorised over a frame (``data.EvalData``: ``distance_km`` from the same haversine, points
``geoguessr_score`` with 0 for a sample without coordinates), so a guess shown live and the
same guess in a benchmark cannot score differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.geo.distance import geoguessr_score, haversine_km
from analysis.types import LatLon, PredictionStatus


@dataclass(frozen=True)
class GuessScore:
    """Distance to the truth (None without a located guess) and GeoGuessr points (0 then)."""

    distance_km: float | None
    points: float


def score_guess(
    truth: LatLon, status: PredictionStatus | str, lat: float | None, lon: float | None
) -> GuessScore:
    """Score one prediction: an answer with coordinates by distance, anything else 0 points.

    Args:
        truth: the true location (degrees).
        status: the prediction's status; only ``ok`` answers count as guesses.
        lat: guessed latitude in degrees, or None.
        lon: guessed longitude in degrees, or None.
    """
    if lat is None or lon is None or str(status) != PredictionStatus.OK:
        return GuessScore(distance_km=None, points=0.0)  # no guess scores zero, as LLMGeo
    distance_km = float(haversine_km(truth.lat, truth.lon, lat, lon))
    return GuessScore(distance_km=distance_km, points=float(geoguessr_score(distance_km)))
