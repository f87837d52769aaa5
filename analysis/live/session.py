"""A live session's guesses, kept per photo, and saved as runs of the small "live" dataset.

One run per (model preset, prompt strategy, answer form), as every other run in the store is one
model x one prompt; each photo with a known truth becomes a sample of the ``live`` dataset, so
the leaderboard, map and compare pages show live guesses like any benchmark. Photos without a
truth are not saved: the store needs a true location for every sample to score it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis.geo.countries import country_of
from analysis.live.bind import LivePrompt
from analysis.live.intake import LiveImage
from analysis.live.results import CallState, LiveResult
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import LatLon

LIVE_DATASET = "live"
# Calls that never reached a model say nothing about it: they are not stored as its errors.
_NOT_ASKED = frozenset({CallState.UNAVAILABLE, CallState.SKIPPED_BUDGET})
IMAGES_SUBDIR = "live/images"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class LiveRound:
    """The models' answers about one photo with one prompt."""

    image: LiveImage
    truth: LatLon | None
    prompt: LivePrompt
    results: tuple[LiveResult, ...]
    finished_at: datetime = field(default_factory=datetime.now)

    @property
    def sample_id(self) -> str:
        """Return the photo's id in the live dataset (from the uploaded bytes' hash)."""
        return sample_id_for(self.image)

    @property
    def answered(self) -> bool:
        """Return True when at least one model answered (now or from the cache)."""
        return any(r.state in (CallState.DONE, CallState.CACHED) for r in self.results)


@dataclass(frozen=True)
class SaveReport:
    """What ``save_rounds`` wrote and what it left out, and why."""

    runs: tuple[str, ...]
    predictions: int
    samples_added: int
    skipped_without_truth: int
    skipped_unanswered: int = 0  # photos where every call failed, timed out or was not made


def save_blocker(rounds: Sequence[LiveRound]) -> str | None:
    """Return why "Save as run" would store nothing, or None when it would store something."""
    if not rounds:
        return "nothing asked yet"
    if not any(r.answered for r in rounds):
        return "no model has answered yet in this session: there is nothing to save"
    if not any(r.answered and r.truth is not None for r in rounds):
        return (
            "no answered photo has a ground truth: a stored sample needs its true location "
            "to be scored"
        )
    return None


def sample_id_for(image: LiveImage) -> str:
    """Return the live dataset's sample id of a photo."""
    return f"live-{image.original_sha256[:16]}"


def run_name(session_id: str, preset: str, prompt: LivePrompt) -> str:
    """Return the run name of one preset and prompt within a live session."""
    parts = ("live", session_id, preset, prompt.strategy, prompt.form)
    return "-".join(_UNSAFE.sub("_", part) for part in parts)


def _saved_image_path(cache_dir: Path, image: LiveImage) -> Path:
    """Keep the metadata-free copy (never the upload: its EXIF may locate the user)."""
    path = cache_dir / IMAGES_SUBDIR / f"{image.model_sha256}.jpg"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(image.model_bytes)
        tmp.replace(path)
    return path


def save_rounds(
    store: Store, rounds: Sequence[LiveRound], session_id: str, cache_dir: Path
) -> SaveReport:
    """Save the session's rounds with a known truth as runs of the ``live`` dataset."""
    answered = [r for r in rounds if r.answered]
    unanswered = len({r.sample_id for r in rounds} - {r.sample_id for r in answered})
    known = [r for r in answered if r.truth is not None]
    skipped = len({r.sample_id for r in answered if r.truth is None} - {r.sample_id for r in known})
    if not known:
        return SaveReport((), 0, 0, skipped, unanswered)

    samples: dict[str, dict[str, object]] = {}
    for live_round in known:
        truth = live_round.truth
        assert truth is not None
        samples[live_round.sample_id] = {
            "sample_id": live_round.sample_id,
            "true_lat": truth.lat,
            "true_lon": truth.lon,
            "true_country": country_of(truth.lat, truth.lon),
            "image_path": str(_saved_image_path(cache_dir, live_round.image)),
            "image_sha256": live_round.image.original_sha256,
        }
    meta = DatasetMeta(
        name=LIVE_DATASET,
        kind="live",
        source="GeoScope live panel",
        description="Photos tried in the live panel, with the truth the user confirmed",
    )
    added = store.ingest_samples(meta, pd.DataFrame(list(samples.values())))

    by_run: dict[str, list[tuple[LiveRound, LiveResult]]] = {}
    for live_round in known:
        for result in live_round.results:
            if result.state in _NOT_ASKED:
                continue
            name = run_name(session_id, result.preset, live_round.prompt)
            by_run.setdefault(name, []).append((live_round, result))
    written = 0
    for name, pairs in by_run.items():
        first_round, first = pairs[0]
        store.create_run(
            RunMeta(
                name=name,
                dataset=LIVE_DATASET,
                model=first.model,
                adapter=first.adapter,
                prompt_strategy=first_round.prompt.strategy,
                prompt_version=first_round.prompt.version,
                prompt_hash=first_round.prompt.hash,
                prompt_text=first_round.prompt.text,
                params={"preset": first.preset, "answer_form": first_round.prompt.form},
                source="live",
                started_at=min(r.finished_at for r, _ in pairs),
                finished_at=max(r.finished_at for r, _ in pairs),
                notes=f"live session {session_id}",
            )
        )
        # The latest answer per photo wins when the same photo was asked twice.
        latest = {live_round.sample_id: result for live_round, result in pairs}
        written += store.add_predictions(
            name, [result.to_prediction(sid) for sid, result in latest.items()]
        )
    return SaveReport(tuple(by_run), written, added, skipped, unanswered)


def truth_or_none(lat: float | None, lon: float | None) -> LatLon | None:
    """Return a LatLon when both values are finite and in range, else None."""
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return LatLon(lat, lon)
