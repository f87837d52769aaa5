"""Reusable fixtures from tests.support (the local OpenAI-compatible server for judge mode)."""

from tests.support.fixtures import openai_server  # noqa: F401
