"""Fixtures for collector tests: the fake imagery APIs and the environment variables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.imagery_server import MLY_TOKEN, SV_KEY, ImageryServer


@pytest.fixture
def imagery() -> Iterator[ImageryServer]:
    """A running fake Street View + Mapillary server."""
    with ImageryServer() as server:
        yield server


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the test key and token where the collector reads them."""
    monkeypatch.setenv("GOOGLE_MAPS_API_KEY", SV_KEY)
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", MLY_TOKEN)
