"""Google Street View Static API: free metadata lookups snap targets to panoramas, then one
billable image per heading.

Endpoints (developers.google.com/maps/documentation/streetview): ``/maps/api/streetview/metadata``
(``location``, ``radius``, ``source``, ``key``; answers JSON with ``status``, ``pano_id``,
``location.lat/lng``, ``date``, ``copyright``) and ``/maps/api/streetview`` (``size`` up to
640x640, ``pano``, ``heading``, ``fov``, ``pitch``; ``return_error_code=true`` turns "no imagery"
into HTTP 404 instead of a grey placeholder image that would pass as a photo).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, ClassVar

from analysis.collect.errors import CredentialsError, QuotaExceededError, ServiceError
from analysis.collect.http import HttpClient, HttpResponse
from analysis.collect.source import Download, NoPlace, Place
from analysis.collect.writer import LocationRecord
from analysis.errors import InputError

DEFAULT_BASE_URL = "https://maps.googleapis.com"
DEFAULT_KEY_ENV = "GOOGLE_MAPS_API_KEY"
DEFAULT_HEADINGS: tuple[int, ...] = (0, 90, 180, 270)  # four views per panorama, as LLMGeo
MAX_SIZE_PX = 640
# List price of the "Static Street View" SKU (Google Maps Platform, global pricing list, checked
# 2025): USD per 1000 panoramas by monthly volume; metadata requests are not billed
LIST_PRICE_TIERS: tuple[tuple[int, float], ...] = ((100_000, 7.00), (500_000, 5.60))
PRICE_SOURCE = "https://developers.google.com/maps/documentation/streetview/usage-and-billing"
_NO_COVERAGE = {"ZERO_RESULTS", "NOT_FOUND"}
_RETRY_STATUSES = {"OVER_QUERY_LIMIT", "UNKNOWN_ERROR"}


@dataclass(frozen=True)
class StreetViewOptions:
    """Image settings; ``radius_m`` is how far from a target the metadata search may snap."""

    headings: tuple[int, ...] = DEFAULT_HEADINGS
    radius_m: int = 1000
    size_px: int = MAX_SIZE_PX
    fov_deg: int = 90
    pitch_deg: int = 0
    outdoor_only: bool = True
    base_url: str = DEFAULT_BASE_URL
    key_env: str = DEFAULT_KEY_ENV
    price_per_1000_usd: float | None = None  # None: the list price tiers above

    def __post_init__(self) -> None:
        if self.price_per_1000_usd is not None and not 0 <= self.price_per_1000_usd < 1e6:
            raise InputError(
                f"--price-per-1000 must be a price in USD >= 0, got {self.price_per_1000_usd}"
            )
        if not self.headings or any(not 0 <= h < 360 for h in self.headings):
            raise InputError(f"--headings must be degrees in [0, 360), got {self.headings}")
        if len(set(self.headings)) != len(self.headings):
            raise InputError(f"--headings repeats a value: {self.headings}")
        if not 1 <= self.size_px <= MAX_SIZE_PX:
            raise InputError(f"--size must be 1..{MAX_SIZE_PX} pixels, got {self.size_px}")
        if not 10 <= self.fov_deg <= 120:
            raise InputError(f"--fov must be 10..120 degrees, got {self.fov_deg}")
        if not -90 <= self.pitch_deg <= 90:
            raise InputError(f"--pitch must be -90..90 degrees, got {self.pitch_deg}")
        if self.radius_m < 1:
            raise InputError(f"--radius-m must be >= 1, got {self.radius_m}")


class StreetViewSource:
    """Street View Static API as a collector source."""

    name: ClassVar[str] = "streetview"
    prefix: ClassVar[str] = "sv"
    licence: ClassVar[str] = (
        "Google Street View imagery, (c) Google and contributors (see each image's attribution); "
        "not openly licensed: Google Maps Platform Terms of Service apply (research use, no "
        "redistribution of the images)"
    )
    default_key_env: ClassVar[str] = DEFAULT_KEY_ENV
    default_base_url: ClassVar[str] = DEFAULT_BASE_URL

    def __init__(self, options: StreetViewOptions, key: str | None = None) -> None:
        self.options = options
        self._key = key

    @classmethod
    def from_env(cls, options: StreetViewOptions) -> StreetViewSource:
        """Build the source with the key read from ``options.key_env``."""
        key = os.environ.get(options.key_env, "").strip()
        if not key:
            raise CredentialsError(
                f"no Google Maps API key: set the environment variable {options.key_env} "
                "(a key with the Street View Static API enabled), or name another variable "
                "with --key-env"
            )
        return cls(options, key)

    def identity(self) -> dict[str, Any]:
        """Return the settings that shape the images."""
        o = self.options
        return {"headings": list(o.headings), "radius_m": o.radius_m, "size_px": o.size_px,
                "fov_deg": o.fov_deg, "pitch_deg": o.pitch_deg, "outdoor_only": o.outdoor_only}  # fmt: skip

    def secrets(self) -> tuple[str, ...]:
        """Return the key (never written or printed)."""
        return (self._key,) if self._key else ()

    def _url(self, path: str) -> str:
        return self.options.base_url.rstrip("/") + path

    def credentials_error(self, detail: str) -> CredentialsError:
        """Return the error for a refused key."""
        return CredentialsError(
            f"Google refused the API key in ${self.options.key_env} ({detail}): check that the "
            "key is valid, billing is enabled and the Street View Static API is allowed for it"
        )

    def locate(
        self, lat: float, lon: float, http: HttpClient, taken: frozenset[str]
    ) -> Place | NoPlace:
        """Snap (lat, lon) to the nearest panorama with the free metadata endpoint."""
        params = {"location": f"{lat:.6f},{lon:.6f}", "radius": str(self.options.radius_m)}
        if self.options.outdoor_only:
            params["source"] = "outdoor"
        params["key"] = self._key or ""
        response = http.get(
            self._url("/maps/api/streetview/metadata"), params, retry_if=_retry_metadata
        )
        if response.status in (401, 403):
            raise self.credentials_error(f"HTTP {response.status}")
        body = response.json()
        if response.status != 200 or not isinstance(body, dict):
            return NoPlace(f"metadata_error: HTTP {response.status}, not a metadata answer")
        status = str(body.get("status", ""))
        if status == "REQUEST_DENIED":
            raise self.credentials_error("metadata status REQUEST_DENIED")
        if status == "OVER_QUERY_LIMIT":
            raise QuotaExceededError(
                "Street View metadata says OVER_QUERY_LIMIT after every retry: lower --rpm or "
                "check the project's quota; re-run later to resume"
            )
        if status in _NO_COVERAGE:
            return NoPlace(f"no_coverage: {status} within {self.options.radius_m} m")
        if status != "OK":
            return NoPlace(f"metadata_error: status {status or 'missing'}")
        try:
            pano_id = str(body["pano_id"])
            where = body["location"]
            pano_lat, pano_lon = float(where["lat"]), float(where["lng"])
        except (KeyError, TypeError, ValueError):
            raise ServiceError("Street View metadata status OK without pano_id/location") from None
        if pano_id in taken:
            return NoPlace(f"duplicate: panorama {pano_id} already collected")
        return Place(
            source_id=pano_id, lat=pano_lat, lon=pano_lon, captured=str(body.get("date", "")),
            attribution=str(body.get("copyright", "")), downloads=self._downloads(pano_id),
        )  # fmt: skip

    def _downloads(self, pano_id: str) -> tuple[Download, ...]:
        o = self.options
        url = self._url("/maps/api/streetview")
        return tuple(
            Download(
                url=url,
                suffix=f"h{heading}",
                heading=heading,
                params={
                    "size": f"{o.size_px}x{o.size_px}",
                    "pano": pano_id,
                    "heading": str(heading),
                    "fov": str(o.fov_deg),
                    "pitch": str(o.pitch_deg),
                    "return_error_code": "true",
                    "key": self._key or "",
                },
            )  # fmt: skip
            for heading in o.headings
        )

    def downloads_for(self, location: LocationRecord, http: HttpClient) -> tuple[Download, ...]:
        """Rebuild the heading requests of a recorded panorama (no request needed)."""
        return self._downloads(location.source_id)

    def dry_run_lines(self, n_targets: int, n_points: int) -> list[str]:
        """Describe the requests of a real run and what they cost at the price in force."""
        n_head = len(self.options.headings)
        n_images = n_targets * n_head
        size = f"{self.options.size_px}x{self.options.size_px} px"
        return [
            f"billable image requests: at most {n_images} ({n_targets} targets x "
            f"{n_head} headings, {size}); fewer where a target finds no panorama",
            f"free metadata requests: {n_targets} to {n_points} (one per candidate point tried; "
            "Google does not bill Street View metadata)",
            f"estimated cost: at most {image_cost_usd(n_images, self.options.price_per_1000_usd):,.2f}"
            f" USD for {n_images} images at {price_text(self.options.price_per_1000_usd)}; "
            "before any monthly free usage your billing account gets",
        ]


def image_cost_usd(n_images: int, price_per_1000_usd: float | None = None) -> float:
    """Return the cost of ``n_images`` panoramas in one month: a flat price, or the list tiers."""
    if price_per_1000_usd is not None:
        return n_images * price_per_1000_usd / 1000.0
    cost, below = 0.0, 0
    for ceiling, price in LIST_PRICE_TIERS:
        in_tier = max(0, min(n_images, ceiling) - below)
        cost += in_tier * price / 1000.0
        below = ceiling
    # past the last tier Google quotes volume prices on request: count it at the last one
    cost += max(0, n_images - below) * LIST_PRICE_TIERS[-1][1] / 1000.0
    return cost


def price_text(price_per_1000_usd: float | None) -> str:
    """Describe the price used for an estimate, with where it comes from."""
    if price_per_1000_usd is not None:
        return f"{price_per_1000_usd:g} USD per 1000 (--price-per-1000)"
    (first, p1), (_second, p2) = LIST_PRICE_TIERS
    return (f"Google's list price, {p1:.2f} USD per 1000 up to {first:,} a month and {p2:.2f} "
            f"above (2025, {PRICE_SOURCE}; override with --price-per-1000)")  # fmt: skip


def _retry_metadata(response: HttpResponse) -> bool:
    body = response.json()
    return isinstance(body, dict) and body.get("status") in _RETRY_STATUSES
