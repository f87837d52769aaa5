"""Fixtures for fine-tuning tests: tiny offline models and a store with train/test splits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.store import Store
from tests.support.datasets import SyntheticSample, ingest, make_samples
from tests.support.fixtures import tiny_clip, tiny_llava  # noqa: F401


@dataclass(frozen=True)
class SplitStore:
    """A temporary store with dataset ``syn``: 4 train and 2 test samples."""

    db: Path
    store: Store
    train: list[SyntheticSample]
    test: list[SyntheticSample]


@pytest.fixture
def split_store(tmp_path: Path) -> SplitStore:
    """Build a store with dataset ``syn`` (4 train, 2 test) and real JPEG files."""
    samples = make_samples(tmp_path / "images", 6)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples[:4], split="train")
    ingest(store, "syn", samples[4:], split="test")
    return SplitStore(tmp_path / "db.duckdb", store, samples[:4], samples[4:])
