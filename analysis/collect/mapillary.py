"""Mapillary Graph API v4: search images in a small box around each target, growing it until
something is found, then download the image's 1024 px thumbnail.

``GET https://graph.mapillary.com/images?fields=...&bbox=minLon,minLat,maxLon,maxLat&limit=N``
answers ``{"data": [...]}``; ``computed_geometry`` (GeoJSON point, ``[lon, lat]``, corrected by
structure-from-motion) is preferred over the raw GPS ``geometry``. The token travels in an
``Authorization: OAuth ...`` header (Mapillary's recommended way), never in a URL, and only to the
API host: thumbnail URLs are pre-signed CDN links, fetched without it. Imagery is CC BY-SA 4.0.
"""

from __future__ import annotations

import math
import os
import urllib.parse
from dataclasses import dataclass
from typing import Any, ClassVar

from analysis.collect.errors import CredentialsError, ServiceError
from analysis.collect.http import HttpClient
from analysis.collect.source import Download, NoPlace, Place
from analysis.collect.writer import LocationRecord
from analysis.errors import InputError
from analysis.geo.distance import haversine_km

DEFAULT_BASE_URL = "https://graph.mapillary.com"
DEFAULT_KEY_ENV = "MAPILLARY_ACCESS_TOKEN"
FIELDS = "id,computed_geometry,geometry,compass_angle,captured_at,thumb_1024_url,creator"
LICENCE = "CC BY-SA 4.0 (Mapillary street-level imagery; attribute each image's creator)"
_M_PER_DEG_LAT = 111_195.0
_MAX_BBOX_AREA_DEG2 = 0.01  # the images search refuses larger boxes


@dataclass(frozen=True)
class MapillaryOptions:
    """Search box: starts at ``start_m`` half-width, doubles up to ``max_radius_m``."""

    start_m: int = 100
    max_radius_m: int = 1000
    limit: int = 50
    base_url: str = DEFAULT_BASE_URL
    key_env: str = DEFAULT_KEY_ENV

    def __post_init__(self) -> None:
        if not 1 <= self.start_m <= self.max_radius_m:
            raise InputError(
                f"search radius must satisfy 1 <= start ({self.start_m}) <= --radius-m "
                f"({self.max_radius_m})"
            )
        if self.max_radius_m > 5000:
            raise InputError(
                f"--radius-m {self.max_radius_m} makes a box over Mapillary's 0.01 square degree "
                "limit; use at most 5000"
            )
        if not 1 <= self.limit <= 2000:
            raise InputError(f"--limit must be 1..2000, got {self.limit}")


def bbox_around(lat: float, lon: float, half_m: float) -> tuple[float, float, float, float]:
    """Return (min_lon, min_lat, max_lon, max_lat) of a box ``half_m`` metres around a point."""
    dlat = half_m / _M_PER_DEG_LAT
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    # the area cap is in degrees: near the poles a box in metres gets too wide in longitude
    if (2 * dlat) * (2 * dlon) > _MAX_BBOX_AREA_DEG2:
        dlon = _MAX_BBOX_AREA_DEG2 / (4 * dlat) * 0.999
    return (max(lon - dlon, -180.0), max(lat - dlat, -90.0),
            min(lon + dlon, 180.0), min(lat + dlat, 90.0))  # fmt: skip


def _point(image: dict[str, Any]) -> tuple[float, float] | None:
    for key in ("computed_geometry", "geometry"):
        geometry = image.get(key)
        if isinstance(geometry, dict):
            coords = geometry.get("coordinates")
            if isinstance(coords, list) and len(coords) >= 2:
                try:
                    lon, lat = float(coords[0]), float(coords[1])  # GeoJSON: lon first
                except (TypeError, ValueError):
                    continue
                if -90 <= lat <= 90 and -180 <= lon <= 180:
                    return lat, lon
    return None


class MapillarySource:
    """Mapillary API v4 as a collector source."""

    name: ClassVar[str] = "mapillary"
    prefix: ClassVar[str] = "mly"
    licence: ClassVar[str] = LICENCE
    default_key_env: ClassVar[str] = DEFAULT_KEY_ENV
    default_base_url: ClassVar[str] = DEFAULT_BASE_URL

    def __init__(self, options: MapillaryOptions, token: str | None = None) -> None:
        self.options = options
        self._token = token
        self._api_host = urllib.parse.urlsplit(options.base_url).netloc

    @classmethod
    def from_env(cls, options: MapillaryOptions) -> MapillarySource:
        """Build the source with the token read from ``options.key_env``."""
        token = os.environ.get(options.key_env, "").strip()
        if not token:
            raise CredentialsError(
                f"no Mapillary access token: set the environment variable {options.key_env} "
                "(a client token from mapillary.com/dashboard/developers), or name another "
                "variable with --key-env"
            )
        return cls(options, token)

    def identity(self) -> dict[str, Any]:
        """Return the settings that shape the choice of images."""
        return {"start_m": self.options.start_m, "max_radius_m": self.options.max_radius_m}

    def secrets(self) -> tuple[str, ...]:
        """Return the token (never written or printed)."""
        return (self._token,) if self._token else ()

    def _auth(self, url: str) -> dict[str, str]:
        # only the API host gets the token, even if a base URL and a link disagree
        if urllib.parse.urlsplit(url).netloc == self._api_host and self._token:
            return {"Authorization": f"OAuth {self._token}"}
        return {}

    def credentials_error(self, detail: str) -> CredentialsError:
        """Return the error for a refused token."""
        return CredentialsError(
            f"Mapillary refused the access token in ${self.options.key_env} ({detail}): check "
            "that it is a valid client token (MLY|...)"
        )

    def _search(self, lat: float, lon: float, half_m: float, http: HttpClient) -> list[Any]:
        url = self.options.base_url.rstrip("/") + "/images"
        box = bbox_around(lat, lon, half_m)
        params = {"fields": FIELDS, "bbox": ",".join(f"{v:.6f}" for v in box),
                  "limit": str(self.options.limit)}  # fmt: skip
        response = http.get(url, params, self._auth(url))
        if response.status in (401, 403):
            raise self.credentials_error(f"HTTP {response.status}")
        body = response.json()
        if response.status != 200 or not isinstance(body, dict):
            raise ServiceError(
                f"Mapillary search answered HTTP {response.status} on {response.url}"
            )
        data = body.get("data")
        return data if isinstance(data, list) else []

    def locate(
        self, lat: float, lon: float, http: HttpClient, taken: frozenset[str]
    ) -> Place | NoPlace:
        """Pick the image nearest (lat, lon) not yet collected, widening the box as needed."""
        half_m = float(self.options.start_m)
        seen_any = False
        while True:
            candidates = []
            for image in self._search(lat, lon, half_m, http):
                point = _point(image) if isinstance(image, dict) else None
                if point is None or not image.get("thumb_1024_url") or image.get("id") is None:
                    continue
                seen_any = True
                if str(image["id"]) in taken:
                    continue
                distance = float(haversine_km(lat, lon, point[0], point[1]))
                candidates.append((distance, str(image["id"]), point, image))
            if candidates:
                _d, image_id, (img_lat, img_lon), image = min(candidates, key=lambda c: c[:2])
                return Place(
                    source_id=image_id, lat=img_lat, lon=img_lon,
                    captured=_captured(image.get("captured_at")),
                    attribution=_attribution(image.get("creator")),
                    downloads=(self._download(str(image["thumb_1024_url"])),),
                )  # fmt: skip
            if half_m >= self.options.max_radius_m:
                why = "every image found is already collected" if seen_any else "no image"
                return NoPlace(f"no_coverage: {why} within {self.options.max_radius_m} m")
            half_m = min(half_m * 2, float(self.options.max_radius_m))

    def _download(self, thumb_url: str) -> Download:
        # no token: thumbnail URLs are pre-signed CDN links that need none, so the token never
        # leaves for another host. No heading: a free camera angle is not the fixed-heading
        # protocol (0/90/180/270) that the heading breakdown compares
        return Download(url=thumb_url)

    def downloads_for(self, location: LocationRecord, http: HttpClient) -> tuple[Download, ...]:
        """Fetch a fresh thumbnail URL for a recorded image (CDN URLs expire)."""
        url = f"{self.options.base_url.rstrip('/')}/{location.source_id}"
        response = http.get(url, {"fields": "id,thumb_1024_url"}, self._auth(url))
        if response.status in (401, 403):
            raise self.credentials_error(f"HTTP {response.status}")
        body = response.json()
        if response.status != 200 or not isinstance(body, dict) or not body.get("thumb_1024_url"):
            return ()
        return (self._download(str(body["thumb_1024_url"])),)

    def dry_run_lines(self, n_targets: int, n_points: int) -> list[str]:
        """Describe the requests of a real run."""
        steps = max(1, math.ceil(math.log2(self.options.max_radius_m / self.options.start_m)) + 1)
        return [
            "billable requests: none (the Mapillary API is free; it is rate-limited per app)",
            "estimated cost: 0.00 USD (Mapillary charges nothing for API calls or images)",
            f"image downloads: at most {n_targets} (one thumbnail per target)",
            f"search requests: {n_targets} to {n_points * steps} (box grows {steps} times at most)",
        ]


def _captured(value: Any) -> str:
    if isinstance(value, (int, float)) and value > 0:  # epoch milliseconds
        from datetime import UTC, datetime

        return datetime.fromtimestamp(value / 1000.0, UTC).strftime("%Y-%m-%d")
    return str(value or "")


def _attribution(creator: Any) -> str:
    username = creator.get("username") if isinstance(creator, dict) else None
    who = f"{username} " if username else "a Mapillary contributor "
    return f"(c) {who}via Mapillary, CC BY-SA 4.0"
