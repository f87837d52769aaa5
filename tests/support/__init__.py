"""Reusable test support (importable as ``tests.support``).

- ``openai_server``: ``OpenAIServer`` / ``Reply`` — a real, scriptable OpenAI-compatible HTTP
  server on 127.0.0.1 that decodes every image it receives and records whether it carried EXIF.
- ``tiny_models``: ``tiny_llava_dir()`` / ``tiny_clip_dir()`` — tiny random transformers models
  built offline (no download), cached per process.
- ``fixtures``: pytest fixtures ``openai_server``, ``tiny_llava``, ``tiny_clip``; import them in a
  conftest.py (see that module's docstring).
- ``imagebytes``: JPEG metadata inspection and synthetic bad files (bomb PNG, 16-bit RGB PNG).
- ``datasets``: synthetic GPS-tagged image datasets ingested into a store.
- ``presets``: write a models.toml pointing at a test server.
"""
