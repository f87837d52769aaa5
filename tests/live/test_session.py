"""Saving live rounds as runs of the ``live`` dataset in a real DuckDB store."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.live.bind import live_prompt
from analysis.live.intake import LiveConfig, prepare_image
from analysis.live.orchestrator import rescore
from analysis.live.results import CallState, LiveResult
from analysis.live.session import (
    LIVE_DATASET,
    LiveRound,
    run_name,
    save_blocker,
    save_rounds,
    truth_or_none,
)
from analysis.store import Store
from analysis.types import LatLon, PredictionStatus
from tests.live.badinputs import SMALL_PHOTO
from tests.support.imagebytes import carries_metadata


def _result(preset: str, lat: float, lon: float, country: str) -> LiveResult:
    return LiveResult(
        preset=preset, model=f"m-{preset}", state=CallState.DONE, status=PredictionStatus.OK,
        message="", raw_text=f"{country} {lat},{lon}", country_iso3=country, lat=lat, lon=lon,
        adapter="openai_compat",
    )  # fmt: skip


def test_rounds_become_runs_and_only_photos_with_truth_are_saved(
    shared_data: Path, tmp_path: Path
) -> None:
    exif_photo = prepare_image((shared_data / SMALL_PHOTO).read_bytes(), "a.jpg", LiveConfig())
    other = prepare_image(
        (shared_data / "photos" / "exif_gps" / "Kodak_CX7530.jpg").read_bytes(),
        "k.jpg",
        LiveConfig(),
    )
    prompt = live_prompt("basic", "coords", exif_photo.original_sha256)
    truth = LatLon(43.4674483, 11.8851267)
    rounds = [
        LiveRound(exif_photo, truth, prompt, (_result("a", 40.0, 10.0, "ITA"),)),
        # asked again: the later answer replaces the earlier one for that photo
        LiveRound(
            exif_photo,
            truth,
            prompt,
            (_result("a", 43.5, 11.9, "ITA"), _result("b", 45.0, 5.0, "FRA")),
        ),
        LiveRound(other, None, prompt, (_result("a", 0.0, 36.0, "KEN"),)),
    ]
    store = Store(tmp_path / "db.duckdb")
    report = save_rounds(store, rounds, "s1", tmp_path / "cache")
    assert report.skipped_without_truth == 1 and report.samples_added == 1
    assert set(report.runs) == {run_name("s1", "a", prompt), run_name("s1", "b", prompt)}
    assert report.predictions == 2
    frame = store.run_frame(run_name("s1", "a", prompt))
    assert len(frame) == 1 and frame["pred_lat"].item() == 43.5
    assert frame["true_country"].item() == "ITA"  # from the polygons, not typed by anyone
    sample = store.dataset_samples(LIVE_DATASET)
    saved = Path(sample["image_path"].item())
    assert saved.is_file() and not carries_metadata(saved.read_bytes())
    info = store.list_runs(dataset=LIVE_DATASET)
    assert set(info["prompt_strategy"]) == {"basic"} and set(info["model"]) == {"m-a", "m-b"}
    # Saving again is idempotent: no duplicate samples or predictions.
    again = save_rounds(store, rounds, "s1", tmp_path / "cache")
    assert again.samples_added == 0 and len(store.run_frame(run_name("s1", "a", prompt))) == 1


def test_nothing_to_save_without_truth(shared_data: Path, tmp_path: Path) -> None:
    photo = prepare_image((shared_data / SMALL_PHOTO).read_bytes(), "a.jpg", LiveConfig())
    prompt = live_prompt("basic", "country", photo.original_sha256)
    report = save_rounds(
        Store(tmp_path / "db.duckdb"),
        [LiveRound(photo, None, prompt, (_result("a", 1.0, 2.0, "GAB"),))],
        "s",
        tmp_path,
    )
    assert report.runs == () and report.skipped_without_truth == 1


def _failed(preset: str, state: CallState) -> LiveResult:
    return LiveResult(
        preset=preset, model=f"m-{preset}", state=state, status=PredictionStatus.API_ERROR,
        message=f"{preset} {state.value}", adapter="openai_compat",
    )  # fmt: skip


def test_rounds_where_no_model_answered_are_neither_offered_nor_saved(
    shared_data: Path, tmp_path: Path
) -> None:
    photo = prepare_image((shared_data / SMALL_PHOTO).read_bytes(), "a.jpg", LiveConfig())
    prompt = live_prompt("basic", "coords", photo.original_sha256)
    truth = LatLon(43.4674483, 11.8851267)
    all_failed = LiveRound(
        photo,
        truth,
        prompt,
        (
            _failed("a", CallState.FAILED),
            _failed("b", CallState.TIMED_OUT),
            _failed("c", CallState.SKIPPED_BUDGET),
        ),
    )
    assert save_blocker([]) is not None
    assert "no model has answered" in str(save_blocker([all_failed]))
    store = Store(tmp_path / "db.duckdb")
    report = save_rounds(store, [all_failed], "s", tmp_path)
    assert report.runs == () and report.skipped_unanswered == 1
    assert store.list_runs(dataset=LIVE_DATASET).empty

    unknown_truth = LiveRound(photo, None, prompt, (_result("a", 1.0, 2.0, "GAB"),))
    assert "ground truth" in str(save_blocker([all_failed, unknown_truth]))
    # One answer is enough to save; a call that never reached its model is no run of it.
    mixed = LiveRound(
        photo,
        truth,
        prompt,
        (
            _result("a", 43.5, 11.9, "ITA"),
            _failed("b", CallState.FAILED),
            _failed("c", CallState.SKIPPED_BUDGET),
            _failed("d", CallState.UNAVAILABLE),
        ),
    )
    assert save_blocker([all_failed, mixed]) is None
    report = save_rounds(store, [mixed], "s", tmp_path)
    assert set(report.runs) == {run_name("s", "a", prompt), run_name("s", "b", prompt)}
    failed = store.run_frame(run_name("s", "b", prompt))
    assert failed["status"].item() == "api_error"


def test_run_names_are_safe_identifiers() -> None:
    prompt = live_prompt("must", "country", "0" * 64)
    assert run_name("2026 01", "my/preset", prompt) == "live-2026_01-my_preset-must-country"


def test_rescoring_for_another_truth_needs_no_call() -> None:
    [moved] = rescore([_result("a", 0.0, 1.0, "GAB")], LatLon(0.0, 0.0))
    assert moved.distance_km == pytest.approx(111.195, abs=1e-3)
    [unknown] = rescore([moved], None)
    assert unknown.distance_km is None and unknown.points is None


def test_truth_or_none_refuses_out_of_range_values() -> None:
    assert truth_or_none(10.0, 20.0) == LatLon(10.0, 20.0)
    assert truth_or_none(None, 20.0) is None
    assert truth_or_none(91.0, 0.0) is None and truth_or_none(0.0, float("nan")) is None
