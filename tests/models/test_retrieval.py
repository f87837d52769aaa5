"""Retrieval baseline: LLMGeo's published neighbour lists, and an own CLIP index."""

from __future__ import annotations

import asyncio
import csv
import math
import statistics
from pathlib import Path

import pytest

from analysis.errors import ModelUnavailableError
from analysis.models import create_adapter
from analysis.models.base import ModelResponse
from analysis.models.presets import ModelPreset
from analysis.models.retrieval import query_image
from analysis.types import ParsedAnswer, Sample


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Independent of analysis.geo: the README's figures use R = 6371.0 km.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _h0_samples(shared_data: Path) -> list[Sample]:
    with open(shared_data / "llmgeo" / "test_manifest.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["heading"] == "0"]
    return [
        Sample(r["path"], float(r["lat"]), float(r["lon"]), r["country_iso3"], image_path=r["path"])
        for r in rows
    ]


def _parsed(response: ModelResponse) -> ParsedAnswer:
    assert response.parsed is not None, response.text  # retrieval answers come parsed
    return response.parsed


def _coords(answer: ParsedAnswer) -> tuple[float, float]:
    assert answer.lat is not None and answer.lon is not None, answer
    return answer.lat, answer.lon


def _run(preset: ModelPreset, samples: list[Sample]) -> list[ParsedAnswer]:
    adapter = create_adapter(preset)

    async def go() -> list[ModelResponse]:
        return [await adapter.complete(None, [], sample=s) for s in samples]

    return [_parsed(response) for response in asyncio.run(go())]


def test_neighbour_list_reproduces_the_published_figures(shared_data: Path) -> None:
    samples = _h0_samples(shared_data)
    assert len(samples) == 250
    csv_path = shared_data / "llmgeo" / "clip_knn5_h0.csv"
    preset = ModelPreset(
        name="knn", adapter="retrieval", model="knn", options={"neighbours_csv": str(csv_path)}
    )
    answers = _run(preset, samples)
    correct = sum(a.country_iso3 == s.true_country for a, s in zip(answers, samples, strict=False))
    distances = [
        _haversine_km(s.true_lat, s.true_lon, *_coords(a))
        for a, s in zip(answers, samples, strict=False)
    ]
    # Reference figures from ../shared/data/README.md
    assert correct / 250 == pytest.approx(0.328, abs=1e-9)
    assert statistics.median(distances) == pytest.approx(1963, abs=1.0)
    shares = [sum(d <= k for d in distances) / 250 for k in (1, 25, 200, 750, 2500)]
    assert shares == pytest.approx([0.000, 0.008, 0.068, 0.300, 0.552], abs=1e-9)
    assert all(a.coords_source == "model" for a in answers)


def test_majority_vote_reproduces_the_published_figure(shared_data: Path) -> None:
    samples = _h0_samples(shared_data)
    csv_path = shared_data / "llmgeo" / "clip_knn5_h0.csv"
    preset = ModelPreset(
        name="maj",
        adapter="retrieval",
        model="knn",
        options={"neighbours_csv": str(csv_path), "vote": "majority"},
    )
    answers = _run(preset, samples)
    correct = sum(a.country_iso3 == s.true_country for a, s in zip(answers, samples, strict=False))
    assert correct / 250 == pytest.approx(0.348, abs=1e-9)


def test_unknown_sample_is_a_clear_error(shared_data: Path) -> None:
    from analysis.models.base import PermanentModelError

    preset = ModelPreset(
        name="knn",
        adapter="retrieval",
        model="knn",
        options={"neighbours_csv": str(shared_data / "llmgeo" / "clip_knn5_h0.csv")},
    )
    with pytest.raises(PermanentModelError, match="not in the neighbour list"):
        _run(preset, [Sample("elsewhere.jpg", 0.0, 0.0, image_path="x/y/elsewhere.jpg")])


@pytest.mark.slow
def test_embedding_index_over_real_photos(tiny_clip: Path, shared_data: Path) -> None:
    photos = shared_data / "photos"
    with open(photos / "ground_truth.csv", newline="") as handle:
        truth = {r["filename"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}
    options = {
        "embedding_model": str(tiny_clip),
        "reference_csv": str(photos / "ground_truth.csv"),
        "reference_root": str(photos),
        "k": 3,
    }
    keep_self = create_adapter(
        ModelPreset(
            name="e",
            adapter="retrieval",
            model="clip",
            options={**options, "exclude_same_image": False},
        )
    )
    leave_out = create_adapter(
        ModelPreset(name="e2", adapter="retrieval", model="clip", options=options)
    )
    queries = sorted(truth)[:6]

    async def go() -> tuple[list[ModelResponse], list[ModelResponse]]:
        await keep_self.start()
        await leave_out.start()
        images = [query_image((photos / q).read_bytes()) for q in queries]
        return (
            [await keep_self.complete(None, [i]) for i in images],
            [await leave_out.complete(None, [i]) for i in images],
        )

    with_self, without_self = asyncio.run(go())
    for name, answer in zip(queries, with_self, strict=False):
        # A random network still maps identical pixels to identical embeddings: cosine 1.
        assert _coords(_parsed(answer)) == pytest.approx(truth[name])
        assert '"similarity": 1.0' in answer.text or '"similarity": 0.99999' in answer.text
    for name, answer in zip(queries, without_self, strict=False):
        assert _coords(_parsed(answer)) != pytest.approx(truth[name])


def test_geoclip_missing_package_message() -> None:
    import importlib.util

    if importlib.util.find_spec("geoclip") is not None:
        pytest.skip("geoclip is installed here")
    with pytest.raises(ModelUnavailableError, match="requirements-geoclip.txt"):
        create_adapter(ModelPreset(name="g", adapter="geoclip", model="geoclip"))


def test_cli_reproduces_the_published_baseline_on_the_h0_views(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a user types (docs/models.md): the neighbour list covers heading 0, so --heading 0
    import json

    from analysis.cli import main

    models = tmp_path / "models.toml"
    neighbours = (shared_data / "llmgeo" / "clip_knn5_h0.csv").as_posix()
    models.write_text(
        f'[models.knn]\nadapter = "retrieval"\nmodel = "llmgeo-clip-knn5"\n'
        f'options = {{ neighbours_csv = "{neighbours}", vote = "nn1" }}\n'
    )
    db = ["--db", str(tmp_path / "r.duckdb")]
    manifest = str(shared_data / "llmgeo" / "test_manifest.csv")
    assert main([*db, "import-dataset", manifest, "--name", "llmgeo-test"]) == 0
    run = ["run", "--dataset", "llmgeo-test", "--model", "knn", "--models", str(models),
           "--heading", "0", "--no-progress"]  # fmt: skip
    assert main([*db, *run]) == 0
    assert "250 answered now (ok 250)" in capsys.readouterr().out  # no image lacks neighbours
    assert (
        main([*db, "metrics", "--run", "llmgeo-test:knn:basic:country", "--json", "--no-ci"]) == 0
    )
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["n"] == 250 and metrics["country_accuracy"] == pytest.approx(0.328)
    assert metrics["median_km"] == pytest.approx(1963, abs=0.5)
    with pytest.raises(SystemExit) as usage:
        main([*db, *run[:-3], "--heading", "north", "--no-progress"])
    assert usage.value.code == 2 and "whole degrees" in capsys.readouterr().err
