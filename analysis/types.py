"""Named, frozen types shared across the core. Coordinates are (lat, lon) in decimal degrees."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PredictionStatus(StrEnum):
    """Outcome of one model answer; only OK carries a usable country and/or coordinates."""

    OK = "ok"
    UNKNOWN = "unknown"  # the model said it cannot tell (counted wrong, as in LLMGeo)
    REFUSED = "refused"  # the model declined to answer
    PARSE_ERROR = "parse_error"  # text we could not read a location from
    INVALID_COORDINATES = "invalid_coordinates"  # coordinates out of range or nonsensical
    API_ERROR = "api_error"  # the call itself failed (timeout, 5xx after retries, ...)


class CoordsSource(StrEnum):
    """Where a prediction's coordinates came from (a country-only answer gets its centroid)."""

    MODEL = "model"
    COUNTRY_POINT = "country_point"


@dataclass(frozen=True, slots=True)
class LatLon:
    """A point on Earth in decimal degrees; lat in [-90, 90], lon in [-180, 180]."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Sample:
    """One benchmark image with its ground truth."""

    sample_id: str
    true_lat: float
    true_lon: float
    true_country: str | None = None  # ISO3 (Natural Earth ADM0_A3 convention)
    location_id: str | None = None  # images of one place share it (LLMGeo headings)
    heading: int | None = None
    split: str | None = None
    image_path: str | None = None
    image_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    """Structured reading of a model's raw text."""

    status: PredictionStatus
    country_iso3: str | None = None
    lat: float | None = None
    lon: float | None = None
    coords_source: CoordsSource | None = None
    detail: str = ""  # why this status (shown to users debugging prompts)


@dataclass(frozen=True, slots=True)
class Prediction:
    """One model answer for one sample, as stored."""

    sample_id: str
    raw_response: str | None
    status: PredictionStatus
    pred_country: str | None = None
    pred_lat: float | None = None
    pred_lon: float | None = None
    coords_source: CoordsSource | None = None
    latency_ms: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    error: str | None = None


# The evaluation frame (one row per run x sample) that the store produces and the metrics read:
# its columns, in order, defined here so that neither layer has to import the other.
FRAME_COLUMNS: tuple[str, ...] = (
    "sample_id",
    "location_id",
    "heading",
    "true_lat",
    "true_lon",
    "true_country",
    "pred_lat",
    "pred_lon",
    "pred_country",
    "status",
    "distance_km",
)
