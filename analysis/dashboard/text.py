"""Small wording helpers for captions shown on the pages."""

from __future__ import annotations


def count_noun(n: int, noun: str, plural: str | None = None) -> str:
    """Return "1 run" / "3 runs" with thousands separators ("1,204 images")."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"
