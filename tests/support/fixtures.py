"""Pytest fixtures for reuse: import them into a conftest.py, e.g.::

    # tests/app/conftest.py
    from tests.support.fixtures import openai_server, tiny_llava, tiny_clip  # noqa: F401

``openai_server`` is a running ``OpenAIServer`` (function scope: fresh script and counters per
test); ``tiny_llava`` / ``tiny_clip`` are folders with tiny random models (built once per process).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.openai_server import OpenAIServer
from tests.support.tiny_models import tiny_clip_dir, tiny_llava_dir


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A scriptable OpenAI-compatible server on 127.0.0.1; asserts no image carried EXIF."""
    with OpenAIServer() as server:
        yield server
        server.assert_clean_images()


@pytest.fixture(scope="session")
def tiny_llava() -> Path:
    """Folder of a tiny random LLaVA loadable with AutoModelForImageTextToText (~5 s once)."""
    return tiny_llava_dir()


@pytest.fixture(scope="session")
def tiny_clip() -> Path:
    """Folder of a tiny random CLIP (for image embeddings)."""
    return tiny_clip_dir()
