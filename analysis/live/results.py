"""Types of the live panel: one planned call per model preset, one result per call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from analysis.models.calls import CallCore
from analysis.types import CoordsSource, LatLon, ParsedAnswer, Prediction, PredictionStatus


class CallState(StrEnum):
    """What happened to one model's call (finer than the stored PredictionStatus)."""

    DONE = "done"  # the model answered now
    CACHED = "cached"  # the same image, preset and prompt were answered before: no call made
    FAILED = "failed"  # the call raised (HTTP error, bad response, ...)
    TIMED_OUT = "timed_out"  # no answer within the per-call timeout
    SKIPPED_BUDGET = "skipped_budget"  # the session's spending cap stopped this paid call
    UNAVAILABLE = "unavailable"  # the preset cannot run here (missing key, package, weights)


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """What a model call returns before parsing."""

    text: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    latency_ms: float | None = None
    cost_usd: float | None = None
    # Structured adapters (retrieval, GeoCLIP) know their answer exactly: no parsing then.
    parsed: ParsedAnswer | None = None
    truncated: bool = False  # the text was cut to the answer size cap


@dataclass(frozen=True)
class ModelCall:
    """One preset ready to be called on the session's image with the chosen prompt.

    ``invoke(jpeg_bytes, timeout_s)`` makes the call; it must be thread-safe and honour the
    timeout itself where it can (the orchestrator stops waiting either way). ``core`` keys,
    cleans, caches and prices the answers exactly as benchmark runs do.
    """

    preset: str
    model: str
    adapter: str
    core: CallCore  # the shared call core of this preset (cache key, scrubbing, prices)
    prompt_hash: str  # the rendered prompt's hash (``PromptMessages.hash``), a cache key part
    is_paid: bool
    max_cost_usd: float  # reserved against the cap before a paid call
    invoke: Callable[[bytes, float], RawAnswer]
    unavailable_reason: str | None = None  # e.g. "set OPENAI_API_KEY"
    secret_env: tuple[str, ...] = ()  # env var names whose values are scrubbed from errors


@dataclass(frozen=True)
class LiveResult:
    """One model's outcome for the session's image, ready to show and to store."""

    preset: str
    model: str
    state: CallState
    status: PredictionStatus
    message: str  # one line for the card: why it failed/was skipped, or the parse detail
    raw_text: str | None = None
    country_iso3: str | None = None
    lat: float | None = None
    lon: float | None = None
    coords_source: CoordsSource | None = None
    latency_ms: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    distance_km: float | None = None  # to the truth, when known and the model gave a location
    points: float | None = None  # GeoGuessr points, when the truth is known (0 for no guess)
    adapter: str | None = None

    @property
    def has_location(self) -> bool:
        """Return True when the result carries coordinates usable on the map."""
        return self.status == PredictionStatus.OK and self.lat is not None and self.lon is not None

    @property
    def location(self) -> LatLon | None:
        """Return the guessed point, if any."""
        if self.has_location and self.lat is not None and self.lon is not None:
            return LatLon(self.lat, self.lon)
        return None

    def to_prediction(self, sample_id: str) -> Prediction:
        """Convert to the stored prediction row for ``sample_id``."""
        return Prediction(
            sample_id=sample_id,
            raw_response=self.raw_text,
            status=self.status,
            pred_country=self.country_iso3,
            pred_lat=self.lat,
            pred_lon=self.lon,
            coords_source=self.coords_source,
            latency_ms=self.latency_ms,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cost_usd=self.cost_usd,
            error=None if self.state in (CallState.DONE, CallState.CACHED) else self.message,
        )


def parsed_fields(parsed: ParsedAnswer) -> dict[str, object]:
    """Return the LiveResult fields taken from a parsed answer."""
    return {
        "status": parsed.status,
        "country_iso3": parsed.country_iso3,
        "lat": parsed.lat,
        "lon": parsed.lon,
        "coords_source": parsed.coords_source,
    }
