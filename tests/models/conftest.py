"""Reusable fixtures from tests.support (local OpenAI server, tiny offline models)."""

from tests.support.fixtures import openai_server, tiny_clip, tiny_llava  # noqa: F401
