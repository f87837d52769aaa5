"""HTTP helpers: redaction, backoff with jitter and Retry-After, the rate limit."""

from __future__ import annotations

import pytest

from analysis.collect.errors import QuotaExceededError, ServiceError
from analysis.collect.http import HttpClient, RateLimiter, RetryPolicy, redact_url
from tests.support.imagery_server import ImageryServer, Reply


def test_redact_url_masks_secrets_and_unknown_values_but_keeps_useful_ones() -> None:
    url = "https://u:pw@maps.example.com/api?location=48.1,2.2&key=SECRET&signature=S1&x=y"
    shown = redact_url(url)
    assert "SECRET" not in shown and "S1" not in shown and "pw" not in shown
    assert "location=48.1,2.2" in shown and "key=***" in shown and "x=***" in shown


def test_client_redacts_secrets_echoed_anywhere() -> None:
    client = HttpClient(secrets=("MLY|1|abc",))
    assert client.redact("token MLY|1|abc and MLY%7C1%7Cabc") == "token *** and ***"


def test_backoff_doubles_with_jitter_and_honours_retry_after(imagery: ImageryServer) -> None:
    imagery.enqueue("sv_meta", Reply.server_error(), Reply.server_error(),
                    Reply.rate_limited(3.0), Reply.json({"status": "OK"}))  # fmt: skip
    slept: list[float] = []
    client = HttpClient(policy=RetryPolicy(retries=4, backoff_s=1.0), sleep=slept.append)
    response = client.get(imagery.base_url + "/maps/api/streetview/metadata", {"key": "k"})
    assert response.status == 200 and len(slept) == 3
    assert 0.5 <= slept[0] <= 1.5 and 1.0 <= slept[1] <= 3.0  # base 1 s then 2 s, +-50 %
    assert slept[2] >= 3.0  # Retry-After wins over a shorter backoff


def test_retries_run_out_with_typed_errors(imagery: ImageryServer) -> None:
    client = HttpClient(policy=RetryPolicy(retries=1, backoff_s=0.0), sleep=lambda _s: None,
                        secrets=("topsecret",))  # fmt: skip
    url = imagery.base_url + "/maps/api/streetview/metadata"
    imagery.enqueue("sv_meta", Reply.server_error(), Reply.server_error())
    with pytest.raises(ServiceError, match="HTTP 500 after 2 tries") as info:
        client.get(url, {"key": "topsecret"})
    assert "topsecret" not in str(info.value) and "key=***" in str(info.value)
    imagery.enqueue("sv_meta", Reply.rate_limited(), Reply.rate_limited())
    with pytest.raises(QuotaExceededError, match="--rpm"):
        client.get(url, {"key": "topsecret"})
    dead = "http://127.0.0.1:9/nothing"  # port 9 (discard): connection refused
    with pytest.raises(ServiceError, match="network error"):
        client.get(dead)


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(120, clock=lambda: now[0], sleep=sleep)  # one per 0.5 s
    for _ in range(4):
        limiter.acquire()
    assert slept == [0.5, 0.5, 0.5]
    RateLimiter(0).acquire()  # no limit: returns at once
