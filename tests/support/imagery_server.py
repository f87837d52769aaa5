"""A real HTTP server on 127.0.0.1 that emulates the Street View Static and Mapillary v4 APIs.

Standard library only, so the collector's real urllib client talks to it as to Google or Meta.

Street View: panoramas are scripted with ``add_pano(pano_id, lat, lon)``; ``/maps/api/streetview
/metadata`` snaps ``location`` to the nearest panorama within ``radius`` metres (ZERO_RESULTS
otherwise) and answers ``REQUEST_DENIED`` for a wrong key; ``/maps/api/streetview`` serves a real
JPEG per (pano, heading) drawn with Pillow, 403 for a wrong key, 404 for an unknown pano.
Mapillary: images are scripted with ``add_mapillary(image_id, lat, lon, creator)``; ``/images``
filters them by ``bbox`` (401 with an OAuth error for a wrong token); ``/<id>`` returns one
image; ``/thumbs/<id>.jpg`` serves its JPEG (the "CDN": it must never see the token).

Faults: ``server.enqueue(route, Reply(...), ...)`` answers the next requests of a route
(``sv_meta``, ``sv_image``, ``mly_search``, ``mly_entity``, ``mly_thumb``) with canned replies
(429 with Retry-After, 500, a non-image body, a truncated JPEG, a slow answer...). ``server.hold(route, after=k)``
blocks every request of that route after the first ``k`` until the server stops (to kill a client
mid-download). Every request is recorded (path, query, headers) for assertions.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import threading
import urllib.parse
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image, ImageDraw

from tests.support.background_server import BackgroundServer

SV_KEY = "sv-test-key-7f3a9c"
MLY_TOKEN = "MLY|4242|test-token-b81e"
EARTH_RADIUS_M = 6_371_000.0


def jpeg_bytes(seed: str, size: tuple[int, int] = (64, 64)) -> bytes:
    """Return a real JPEG whose colours depend on ``seed`` (distinct images stay distinct)."""
    digest = hashlib.sha256(seed.encode()).digest()
    image = Image.new("RGB", size, (digest[0], digest[1], digest[2]))
    ImageDraw.Draw(image).rectangle((4, 4, size[0] // 2, size[1] // 2), fill=(digest[3], 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Reply:
    """A canned answer for one request."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    retry_after_s: float | None = None
    delay_s: float = 0.0

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Reply:
        """Answer with a JSON document."""
        return cls(status=status, body=json.dumps(payload).encode())

    @classmethod
    def rate_limited(cls, retry_after_s: float = 0.0) -> Reply:
        """HTTP 429 with a Retry-After header."""
        return cls(status=429, body=b'{"error": "rate"}', retry_after_s=retry_after_s)

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        """An HTTP 5xx answer."""
        return cls(status=status, body=b"<html>oops</html>", content_type="text/html")

    @classmethod
    def not_image(cls) -> Reply:
        """HTTP 200 whose body is an HTML page, though an image was asked for."""
        return cls(body=b"<html><body>captcha</body></html>", content_type="image/jpeg")

    @classmethod
    def truncated_image(cls, seed: str = "cut") -> Reply:
        """HTTP 200 with the first half of a real JPEG (a body cut short by a proxy or a drop)."""
        whole = jpeg_bytes(seed, (96, 96))
        return cls(body=whole[: len(whole) // 2], content_type="image/jpeg")

    @classmethod
    def metadata_status(cls, status: str) -> Reply:
        """A Street View metadata answer with only a status (e.g. OVER_QUERY_LIMIT)."""
        return cls.json({"status": status})


@dataclass
class Pano:
    pano_id: str
    lat: float
    lon: float
    date: str = "2021-06"
    copyright: str = "© Google"


@dataclass
class MlyImage:
    image_id: str
    lat: float
    lon: float
    creator: str = "alice"
    gps_offset_deg: float = 0.001  # raw GPS differs from computed_geometry, as in real data
    captured_at_ms: int = 1_600_000_000_000


@dataclass
class Recorded:
    """One request as the server saw it."""

    route: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: str  # the request line's target, query included


@dataclass
class _Hold:
    after: int
    seen: int = 0


@dataclass
class ImageryServer(BackgroundServer):
    """The fake APIs; use as a context manager."""

    sv_key: str = SV_KEY
    mly_token: str = MLY_TOKEN
    panos: list[Pano] = field(default_factory=list)
    mly_images: list[MlyImage] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queues: dict[str, deque[Reply]] = defaultdict(deque)
        self._holds: dict[str, _Hold] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._released = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- scripting ---------------------------------------------------------------------------
    def add_pano(self, pano_id: str, lat: float, lon: float, **extra: Any) -> None:
        """Add a Street View panorama."""
        self.panos.append(Pano(pano_id, lat, lon, **extra))

    def add_mapillary(self, image_id: str, lat: float, lon: float, **extra: Any) -> None:
        """Add a Mapillary image (its computed position is ``lat, lon``)."""
        self.mly_images.append(MlyImage(image_id, lat, lon, **extra))

    def enqueue(self, route: str, *replies: Reply) -> None:
        """Answer the next requests of ``route`` with these replies, in order."""
        with self._lock:
            self._queues[route].extend(replies)

    def hold(self, route: str, after: int) -> None:
        """Block requests of ``route`` after the first ``after`` until released or stopped."""
        with self._lock:
            self._released.clear()
            self._holds[route] = _Hold(after)

    def release_holds(self) -> None:
        """Stop holding: blocked requests are dropped (their client already gave up)."""
        with self._lock:
            self._holds.clear()
        self._released.set()

    # -- observations ------------------------------------------------------------------------
    def calls(self, route: str) -> list[Recorded]:
        """Return the recorded requests of one route."""
        with self._lock:
            return [r for r in self.requests if r.route == route]

    @property
    def base_url(self) -> str:
        """The base URL for both APIs."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- lifecycle (start / stop / with: BackgroundServer) -----------------------------------
    def _release(self) -> None:
        self._released.set()

    # -- behaviour ---------------------------------------------------------------------------
    def _route(self, path: str) -> str:
        if path == "/maps/api/streetview/metadata":
            return "sv_meta"
        if path == "/maps/api/streetview":
            return "sv_image"
        if path == "/images":
            return "mly_search"
        if path.startswith("/thumbs/"):
            return "mly_thumb"
        if path.strip("/").isdigit():
            return "mly_entity"
        return "unknown"

    def _scripted(self, route: str) -> tuple[Reply | None, bool]:
        with self._lock:
            hold = self._holds.get(route)
            held = False
            if hold is not None:
                hold.seen += 1
                held = hold.seen > hold.after
            queue = self._queues.get(route)
            return (queue.popleft() if queue else None), held

    def _answer(self, route: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        if route == "sv_meta":
            return self._sv_meta(query)
        if route == "sv_image":
            return self._sv_image(query)
        if route == "mly_search" and not self._mly_authorised(query, headers):
            return Reply.json(
                {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                           "code": 190}}, status=401)  # fmt: skip
        if route == "mly_search":
            return self._mly_search(query)
        return Reply.json({"error": "not found"}, status=404)

    def _sv_meta(self, query: dict[str, str]) -> Reply:
        if query.get("key") != self.sv_key:
            return Reply.json({"status": "REQUEST_DENIED",
                               "error_message": "The provided API key is invalid."})  # fmt: skip
        try:
            lat, lon = (float(v) for v in query["location"].split(","))
            radius = float(query.get("radius", "50"))
        except (KeyError, ValueError):
            return Reply.metadata_status("INVALID_REQUEST")
        best = min(self.panos, key=lambda p: _distance_m(lat, lon, p.lat, p.lon), default=None)
        if best is None or _distance_m(lat, lon, best.lat, best.lon) > radius:
            return Reply.metadata_status("ZERO_RESULTS")
        return Reply.json({"copyright": best.copyright, "date": best.date,
                           "location": {"lat": best.lat, "lng": best.lon},
                           "pano_id": best.pano_id, "status": "OK"})  # fmt: skip

    def _sv_image(self, query: dict[str, str]) -> Reply:
        if query.get("key") != self.sv_key:
            return Reply(status=403, body=b"The Google Maps Platform server rejected your request.",
                         content_type="text/plain")  # fmt: skip
        pano = query.get("pano")
        if pano not in {p.pano_id for p in self.panos}:
            return Reply(status=404, body=b"", content_type="text/plain")
        width, height = (int(v) for v in query.get("size", "64x64").split("x"))
        seed = f"{pano}:{query.get('heading')}"
        return Reply(body=jpeg_bytes(seed, (min(width, 96), min(height, 96))),
                     content_type="image/jpeg")  # fmt: skip

    def _mly_authorised(self, query: dict[str, str], headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        return auth == f"OAuth {self.mly_token}" or query.get("access_token") == self.mly_token

    def _mly_json(self, image: MlyImage, fields: set[str]) -> dict[str, Any]:
        full = {
            "id": image.image_id,
            "computed_geometry": {"type": "Point", "coordinates": [image.lon, image.lat]},
            "geometry": {"type": "Point", "coordinates": [image.lon + image.gps_offset_deg,
                                                          image.lat + image.gps_offset_deg]},
            "compass_angle": 123.4,
            "captured_at": image.captured_at_ms,
            "thumb_1024_url": f"{self.base_url}/thumbs/{image.image_id}.jpg?stp=dst&oh=SIGNED",
            "creator": {"username": image.creator, "id": "1001"},
        }  # fmt: skip
        return {k: v for k, v in full.items() if k in fields or k == "id"}

    def _mly_search(self, query: dict[str, str]) -> Reply:
        try:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in query["bbox"].split(","))
        except (KeyError, ValueError):
            return Reply.json({"error": {"message": "bad bbox"}}, status=400)
        if (max_lon - min_lon) * (max_lat - min_lat) > 0.01:
            return Reply.json({"error": {"message": "bbox too large"}}, status=400)
        fields = set(query.get("fields", "id").split(","))
        limit = int(query.get("limit", "2000"))
        found = [
            self._mly_json(i, fields) for i in self.mly_images
            if min_lon <= i.lon <= max_lon and min_lat <= i.lat <= max_lat
        ][:limit]  # fmt: skip
        return Reply.json({"data": found})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
                headers = {k.lower(): v for k, v in self.headers.items()}
                route = server._route(parts.path)
                with server._lock:
                    server.requests.append(Recorded(route, parts.path, query, headers, self.path))
                reply, held = server._scripted(route)
                if held:
                    server._released.wait()
                    self.close_connection = True
                    return
                if reply is None:
                    if route == "mly_thumb":
                        image_id = parts.path.rsplit("/", 1)[-1].removesuffix(".jpg")
                        reply = Reply(body=jpeg_bytes(f"mly:{image_id}"), content_type="image/jpeg")
                    elif route == "mly_entity":
                        reply = server._entity(parts.path.strip("/"), query, headers)
                    else:
                        reply = server._answer(route, query, headers)
                if reply.delay_s and server._stopping.wait(reply.delay_s):
                    return
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    if reply.retry_after_s is not None:
                        self.send_header("Retry-After", f"{reply.retry_after_s:g}")
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def _entity(self, image_id: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        if not self._mly_authorised(query, headers):
            return Reply.json({"error": {"message": "Invalid OAuth access token."}}, status=401)
        for image in self.mly_images:
            if image.image_id == image_id:
                return Reply.json(self._mly_json(image, set(query.get("fields", "id").split(","))))
        return Reply.json({"error": {"message": "not found"}}, status=404)
