"""Captions count things in correct English."""

from __future__ import annotations

from analysis.dashboard.text import count_noun


def test_singular_plural_and_separators() -> None:
    assert count_noun(1, "run") == "1 run"
    assert count_noun(0, "run") == "0 runs"
    assert count_noun(2, "run") == "2 runs"
    assert count_noun(12345, "image") == "12,345 images"
    assert count_noun(2, "country", "countries") == "2 countries"
