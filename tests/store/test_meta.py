"""Secrets never reach the runs table; ordinary parameters stay readable."""

from __future__ import annotations

import json

from analysis.store.meta import REDACTED, params_to_json


def test_secret_keys_are_redacted_at_any_depth() -> None:
    params = {
        "api_key": "sk-live-123",
        "headers": {"Authorization": "Bearer sk-live-123", "X-Request": "ok"},
        "hf_token": "hf_abc",
        "access-token": "xyz",
        "extra": [{"client_secret": "s3"}],
    }
    stored = json.loads(params_to_json(params))
    assert "sk-live-123" not in json.dumps(stored)
    assert stored["api_key"] == REDACTED
    assert stored["headers"]["Authorization"] == REDACTED
    assert stored["headers"]["X-Request"] == "ok"
    assert stored["hf_token"] == REDACTED
    assert stored["access-token"] == REDACTED
    assert stored["extra"][0]["client_secret"] == REDACTED


def test_token_counts_are_not_mistaken_for_secrets() -> None:
    stored = json.loads(params_to_json({"max_tokens": 256, "max_new_tokens": 64, "temperature": 0}))
    assert stored == {"max_new_tokens": 64, "max_tokens": 256, "temperature": 0}
