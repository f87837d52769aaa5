"""HTTP for the collector: retries with backoff and jitter, a requests-per-minute limit, redaction.

Standard library only (urllib): two small GET-only APIs do not justify another dependency.
Secrets travel in query strings (Google) or headers (Mapillary); every URL or message that leaves
this module for a log, an error or a file goes through ``redact`` first.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.collect.errors import QuotaExceededError, ServiceError

RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
MAX_BODY_BYTES = 25 * 1024 * 1024  # a 640 px JPEG is ~100 KB; anything this big is not one
USER_AGENT = "GeoScope-collector/0.1 (geolocation research dataset builder)"
# query parameters whose values are safe to show; any other value is masked in printed URLs
_SHOWN_PARAMS = frozenset(
    {"location", "radius", "source", "size", "heading", "fov", "pitch", "pano", "bbox",
     "limit", "fields", "return_error_code"}
)  # fmt: skip
_MASK = "***"


def redact_url(url: str) -> str:
    """Return ``url`` with user info and every query value not known to be harmless masked."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]  # drop user:password@
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = "&".join(
        f"{k}={urllib.parse.quote(v, safe=',.-') if k in _SHOWN_PARAMS else _MASK}"
        for k, v in pairs
    )
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


@dataclass(frozen=True)
class HttpResponse:
    """A finished HTTP exchange (any status); ``url`` is already redacted."""

    status: int
    content_type: str
    body: bytes
    url: str
    retry_after_s: float | None = None

    def json(self) -> Any:
        """Decode the body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to insist: ``retries`` extra tries, delays ``backoff_s * 2**n`` with jitter."""

    retries: int = 4
    backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    timeout_s: float = 30.0


class RateLimiter:
    """Space requests at least ``60 / rpm`` seconds apart (0 = no limit); thread-safe."""

    def __init__(
        self,
        rpm: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rpm < 0:
            raise ValueError(f"rpm must be >= 0, got {rpm}")
        self.interval_s = 60.0 / rpm if rpm > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Wait until the next request may start."""
        if self.interval_s <= 0:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval_s
        if start > now:
            self._sleep(start - now)


@dataclass
class HttpClient:
    """GET with retries on 429/5xx/timeouts, a rate limit and secret redaction.

    ``secrets`` are scrubbed from every message this client produces, in case a server echoes
    them (some error pages repeat the request URL).
    """

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0))
    secrets: Sequence[str] = ()
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    requests_sent: int = 0

    def redact(self, text: str) -> str:
        """Mask every known secret inside ``text``."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, _MASK)
                text = text.replace(urllib.parse.quote(secret, safe=""), _MASK)
                text = text.replace(urllib.parse.quote_plus(secret), _MASK)
        return text

    def shown(self, url: str) -> str:
        """Return a URL fit for printing: query values masked, secrets removed."""
        return self.redact(redact_url(url))

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry_if: Callable[[HttpResponse], bool] | None = None,
    ) -> HttpResponse:
        """GET ``url``; retry 429/5xx/timeouts (and ``retry_if`` answers), return the last answer.

        Raises ServiceError when the network keeps failing and QuotaExceededError when the
        service still says 429 after the last retry; other statuses are returned to the caller.
        """
        full = f"{url}?{urllib.parse.urlencode(dict(params))}" if params else url
        shown = self.shown(full)
        attempt = 0
        while True:
            self.limiter.acquire()
            self.requests_sent += 1
            try:
                response: HttpResponse | None = self._once(full, shown, headers or {})
                problem = ""
            except TimeoutError:
                response, problem = None, f"timed out after {self.policy.timeout_s:g} s"
            except (urllib.error.URLError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                response, problem = None, f"network error ({self.redact(str(reason))})"
            retryable = response is None or response.status in RETRY_STATUSES
            if response is not None and not retryable and retry_if is not None:
                retryable = retry_if(response)
            if not retryable:
                assert response is not None
                return response
            if attempt >= self.policy.retries:
                return self._give_up(shown, response, problem)
            self.sleep(self._delay(attempt, response))
            attempt += 1

    def _delay(self, attempt: int, response: HttpResponse | None) -> float:
        base = min(self.policy.max_backoff_s, self.policy.backoff_s * (2.0**attempt))
        delay = base * (0.5 + self.rng.random())  # jitter: parallel clients do not line up
        if response is not None and response.retry_after_s is not None:
            delay = max(delay, min(response.retry_after_s, self.policy.max_backoff_s))
        return delay

    def _give_up(self, shown: str, response: HttpResponse | None, problem: str) -> HttpResponse:
        tries = self.policy.retries + 1
        if response is None:
            raise ServiceError(f"GET {shown}: {problem}, {tries} tries; re-run later to resume")
        if response.status == 429:
            raise QuotaExceededError(
                f"GET {shown}: still rate-limited (HTTP 429) after {tries} tries; lower --rpm "
                "or re-run later (finished images are kept and skipped)"
            )
        if response.status in RETRY_STATUSES:
            raise ServiceError(
                f"GET {shown}: HTTP {response.status} after {tries} tries; re-run later to resume"
            )
        return response  # a retry_if answer that never cleared: the caller decides

    def _once(self, full: str, shown: str, headers: Mapping[str, str]) -> HttpResponse:
        request = urllib.request.Request(full, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with urllib.request.urlopen(request, timeout=self.policy.timeout_s) as reply:  # noqa: S310
                body = reply.read(MAX_BODY_BYTES + 1)
                status, reply_headers = int(reply.status), reply.headers
        except urllib.error.HTTPError as exc:  # an HTTP answer with an error status
            body = exc.read(MAX_BODY_BYTES + 1) if exc.fp is not None else b""
            status, reply_headers = int(exc.code), exc.headers
        if len(body) > MAX_BODY_BYTES:
            raise ServiceError(f"GET {shown}: answer larger than {MAX_BODY_BYTES} bytes")
        retry_after = _retry_after_s(reply_headers.get("Retry-After") if reply_headers else None)
        content_type = (reply_headers.get("Content-Type") or "") if reply_headers else ""
        return HttpResponse(status, content_type, body, shown, retry_after)


def _retry_after_s(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare for these APIs; the backoff applies
