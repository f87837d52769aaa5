"""Fixtures of the batch tests: the batch server, the real photos as a dataset, presets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis.store import DatasetMeta, Store
from tests.support.batch_server import BatchServer
from tests.support.openai_server import RecordedRequest, Reply
from tests.support.presets import write_presets

# Answers varied enough to give non-trivial figures: right and wrong countries, with and
# without coordinates, one refusal. Which one a photo gets depends on the image bytes sent.
ANSWERS = (
    {"country": "Italy", "lat": 41.9, "lon": 12.5},
    {"country": "France", "lat": 48.85, "lon": 2.35},
    {"country": "Malaysia", "lat": 3.14, "lon": 101.69},
    {"country": "United States", "lat": 38.9, "lon": -77.0},
    {"country": "Brazil"},
    {"country": "Japan", "lat": 35.68, "lon": 139.69},
)
BATCH_PRESETS = """
[models.local-batch]
adapter = "openai_compat"
model = "test-vlm"
base_url = "{base_url}"
api_key_env = "GEOSCOPE_TEST_KEY"
batch_api = "openai"  # a local server: say it has the Batch API
price_in_per_mtok = 2.5
price_out_per_mtok = 10.0
batch_discount = 0.5
max_side = 256
params = {{ temperature = 0.0, max_tokens = 200 }}

[models.claude-batch]
adapter = "openai_compat"
model = "claude-test"
base_url = "{base_url}"
api_key_env = "GEOSCOPE_TEST_KEY"
batch_api = "anthropic"
price_in_per_mtok = 3.0
price_out_per_mtok = 15.0
batch_price_in_per_mtok = 1.5
batch_price_out_per_mtok = 7.5
max_side = 256
params = {{ temperature = 0.0, max_tokens = 200 }}
"""


def by_image(request: RecordedRequest) -> Reply:
    """Answer according to the first image's SHA-256: the same photo gets the same answer."""
    if request.image_count and "refuse" in request.text:
        return Reply.refuse()
    digest = request.image_sha256s[0] if request.image_sha256s else hashlib.sha256(b"").hexdigest()
    return Reply.answer(json.dumps(ANSWERS[int(digest[:8], 16) % len(ANSWERS)]))


@pytest.fixture
def batch_server() -> Iterator[BatchServer]:
    """A running batch server answering by image."""
    with BatchServer(default=by_image) as server:
        yield server


def photos_frame(shared_data: Path) -> pd.DataFrame:
    """Return the real photos with truth as a samples frame (paths absolute, read in place)."""
    folder = shared_data / "photos"
    truth = pd.read_csv(folder / "ground_truth.csv")
    return pd.DataFrame(
        {
            "sample_id": truth["filename"].str.replace("/", "_"),
            "true_lat": truth["lat"],
            "true_lon": truth["lon"],
            "true_country": truth["country_iso3"],
            "split": "test",
            "image_path": [str(folder / name) for name in truth["filename"]],
        }
    )


@pytest.fixture
def photo_setup(
    tmp_path: Path,
    shared_data: Path,
    batch_server: BatchServer,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Path, Path, int]:
    """Database with the photos as dataset ``photos``, presets at the server: (db, models, n)."""
    monkeypatch.setenv("GEOSCOPE_TEST_KEY", "sk-test-batch-key-0123456789")
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "db.duckdb"
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    frame = photos_frame(shared_data)
    Store(db).ingest_samples(DatasetMeta(name="photos", kind="photos"), frame)
    models = write_presets(
        tmp_path / "models.toml",
        batch_server.base_url,
        extra=BATCH_PRESETS.format(base_url=batch_server.base_url),
    )
    return db, models, len(frame)
