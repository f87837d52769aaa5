"""A SIMULATED demo: plausible truth points, three fake models, placeholder images.

Nothing here is a real model result, and no model wrote the reasoning texts before each guess
(``analysis.demo_reasoning``). The dataset and every run are stored with
``is_simulated=True`` and named ``sim-...``, images say SIMULATED across them, and
``remove_demo`` (``python -m analysis demo --remove``, or the dashboard button) deletes it all.

The three models differ in failure *style*, so every dashboard view has something to show:
``sim-neighbour`` is good but confuses neighbouring countries, ``sim-refuser`` is accurate when it
answers but often declines, ``sim-faroff`` always answers and is often on the wrong continent.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from analysis.demo_reasoning import reasoning_text
from analysis.geo.distance import destination_point, haversine_km
from analysis.types import CoordsSource, Prediction, PredictionStatus

if TYPE_CHECKING:
    from analysis.store import Store

DEMO_DATASET = "sim-demo"
DEMO_IMAGE_DIR = "demo_images"
HEADINGS = (0, 90, 180, 270)


@dataclass(frozen=True)
class SimModel:
    """How one simulated model behaves (rates are per image, before prompt adjustments)."""

    name: str
    description: str
    p_refuse: float
    p_unknown: float
    p_api_error: float
    p_correct: float  # given that it answers
    near_err_km: float  # median error when the country is right
    p_other_continent: float  # given a wrong country: pick one on another continent
    usd_per_call: float
    latency_ms: float


@dataclass(frozen=True)
class SimPrompt:
    """How a prompt strategy shifts a simulated model's behaviour."""

    name: str
    refuse_factor: float
    correct_shift: float


SIM_MODELS: tuple[SimModel, ...] = (
    SimModel(
        "sim-neighbour",
        "good, but confuses neighbouring countries",
        0.02,
        0.03,
        0.0,
        0.72,
        120.0,
        0.05,
        0.004,
        2100.0,
    ),
    SimModel(
        "sim-refuser",
        "accurate when it answers, refuses often",
        0.38,
        0.12,
        0.0,
        0.80,
        90.0,
        0.10,
        0.006,
        2900.0,
    ),
    SimModel(
        "sim-faroff",
        "always answers, often on the wrong continent",
        0.0,
        0.0,
        0.01,
        0.30,
        450.0,
        0.60,
        0.0005,
        700.0,
    ),
)
SIM_PROMPTS: tuple[SimPrompt, ...] = (
    SimPrompt("basic", 1.0, 0.0),
    SimPrompt("must", 0.25, -0.04),
    SimPrompt("tips", 0.9, 0.05),
)


@dataclass(frozen=True)
class DemoResult:
    """What ``load_demo`` wrote."""

    dataset: str
    n_samples: int
    runs: tuple[str, ...]
    n_predictions: int
    image_dir: Path


def _seed_of(*parts: object) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def demo_locations(
    countries: pd.DataFrame, polygons: Any, n_locations: int, seed: int
) -> pd.DataFrame:
    """Draw truth locations inside real country polygons (more in larger, populous-ish places).

    Args:
        countries: ``countries_frame()`` (iso3, name, continent, rep_lat, rep_lon).
        polygons: ``world_polygons()`` GeoDataFrame (iso3, geometry).
        n_locations: how many distinct places to draw.
    """
    import shapely

    rng = np.random.default_rng(seed)
    gdf = polygons[polygons["iso3"].notna() & polygons["iso3"].isin(countries["iso3"])]
    gdf = gdf[~gdf["continent"].isin(["Antarctica", "Seven seas (open ocean)"])]
    area = shapely.area(np.asarray(gdf.geometry.values)).astype(
        float
    )  # in square degrees: a weight only
    # square root of area: big countries get more points without drowning the small ones
    weight = np.sqrt(np.clip(area, 0.05, None))
    weight /= weight.sum()
    picks = rng.choice(len(gdf), size=n_locations, p=weight)
    rows = []
    for loc, idx in enumerate(picks):
        geom = gdf.geometry.iloc[idx]
        minx, miny, maxx, maxy = geom.bounds
        for _ in range(200):  # rejection sampling inside the polygon
            xs = rng.uniform(minx, maxx, 32)
            ys = rng.uniform(miny, maxy, 32)
            inside = shapely.contains_xy(geom, xs, ys)
            if inside.any():
                k = int(np.argmax(inside))
                lat, lon = float(ys[k]), float(xs[k])
                break
        else:
            point = geom.representative_point()
            lat, lon = float(point.y), float(point.x)
        rows.append(
            {
                "location_id": f"sim-{loc:04d}",
                "true_lat": lat,
                "true_lon": lon,
                "true_country": str(gdf["iso3"].iloc[idx]),
            }
        )
    return pd.DataFrame(rows)


def demo_samples(locations: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Expand locations into images: four headings each, a few missing (as in LLMGeo)."""
    rng = np.random.default_rng(seed + 1)
    rows = []
    for location_id, true_lat, true_lon, true_country in zip(
        locations["location_id"].astype(str),
        locations["true_lat"].astype(float),
        locations["true_lon"].astype(float),
        locations["true_country"].astype(str),
        strict=True,
    ):
        for heading in HEADINGS:
            if heading and rng.random() < 0.08:
                continue
            rows.append(
                {
                    "sample_id": f"{location_id}-h{heading:03d}",
                    "location_id": location_id,
                    "true_lat": round(true_lat, 5),
                    "true_lon": round(true_lon, 5),
                    "true_country": true_country,
                    "heading": heading,
                    "split": "test",
                }
            )
    return pd.DataFrame(rows)


def _neighbours(countries: pd.DataFrame, k: int = 4) -> dict[str, list[str]]:
    """Map each country to its k nearest other countries by representative point."""
    c = countries.dropna(subset=["rep_lat", "rep_lon"]).reset_index(drop=True)
    lat, lon = c["rep_lat"].to_numpy(float), c["rep_lon"].to_numpy(float)
    # arrays in, so an array out (asarray only narrows the float | array return type)
    d = np.asarray(haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]))
    np.fill_diagonal(d, np.inf)
    order = np.argsort(d, axis=1)[:, :k]
    iso = c["iso3"].tolist()
    return {iso[i]: [iso[j] for j in order[i]] for i in range(len(iso))}


def _answer_text(rng: np.random.Generator, name: str, lat: float, lon: float) -> str:
    style = int(rng.integers(0, 3))
    if style == 0:
        return f"Country: {name}\nCoordinates: {lat:.4f}, {lon:.4f}"
    if style == 1:
        return (
            f"The vegetation, road markings and architecture suggest {name}. "
            f"My best estimate is ({lat:.3f}, {lon:.3f})."
        )
    return f'{{"country": "{name}", "lat": {lat:.4f}, "lon": {lon:.4f}}}'


class _Usage(TypedDict):
    """What every simulated answer that reached the model carries (Prediction's keywords)."""

    sample_id: str
    latency_ms: float
    input_tokens: int
    output_tokens: int
    cost_usd: float


def simulate_run(
    samples: pd.DataFrame, countries: pd.DataFrame, model: SimModel, prompt: SimPrompt, seed: int
) -> list[Prediction]:
    """Simulate one model x prompt strategy over the samples (deterministic for a seed)."""
    rng = np.random.default_rng(_seed_of(seed, model.name, prompt.name))
    known = countries.dropna(subset=["iso3", "rep_lat", "rep_lon"])
    continent = dict(zip(known["iso3"], known["continent"], strict=True))
    rep = dict(
        zip(known["iso3"], zip(known["rep_lat"], known["rep_lon"], strict=True), strict=True)
    )
    names = dict(zip(known["iso3"], known["name"], strict=True))
    neighbours = _neighbours(known)
    all_iso = sorted(continent)
    elsewhere = {c: [i for i in all_iso if continent[i] != c] for c in set(continent.values())}
    # a location is easy or hard for every heading alike: images of one place are correlated
    difficulty = {loc: rng.normal(0.0, 0.12) for loc in samples["location_id"].unique()}
    out: list[Prediction] = []
    for sample_id, location_id, true_lat, true_lon, true_country in zip(
        samples["sample_id"].astype(str),
        samples["location_id"].astype(str),
        samples["true_lat"].astype(float),
        samples["true_lon"].astype(float),
        samples["true_country"].astype(str),
        strict=True,
    ):
        latency = float(rng.gamma(4.0, model.latency_ms / 4.0))
        tokens_in, tokens_out = 900 + int(rng.integers(0, 200)), int(rng.integers(20, 120))
        common: _Usage = {
            "sample_id": sample_id,
            "latency_ms": round(latency, 1),
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
            "cost_usd": model.usd_per_call,
        }
        u = rng.random()
        p_refuse = model.p_refuse * prompt.refuse_factor
        p_unknown = model.p_unknown * prompt.refuse_factor
        if u < model.p_api_error:
            out.append(
                Prediction(
                    sample_id,
                    None,
                    PredictionStatus.API_ERROR,
                    error="simulated timeout after 3 retries",
                    latency_ms=30000.0,
                )
            )
            continue
        if u < model.p_api_error + p_refuse:
            text = "I'm sorry, but I can't help with identifying where this photo was taken."
            out.append(Prediction(raw_response=text, status=PredictionStatus.REFUSED, **common))
            continue
        if u < model.p_api_error + p_refuse + p_unknown:
            text = "Country: unknown\nThere are not enough clues in this image to tell."
            out.append(Prediction(raw_response=text, status=PredictionStatus.UNKNOWN, **common))
            continue
        p_ok = np.clip(model.p_correct + prompt.correct_shift + difficulty[location_id], 0.02, 0.98)
        if rng.random() < p_ok:
            guess = true_country
            err = float(rng.lognormal(np.log(model.near_err_km), 0.9))
            lat, lon = destination_point(true_lat, true_lon, float(rng.uniform(0, 360)), err)
        else:
            true_cont = continent.get(true_country)
            if rng.random() < model.p_other_continent:
                pool = elsewhere.get(true_cont, all_iso) if true_cont else all_iso
            else:
                pool = neighbours.get(true_country, all_iso)
            guess = str(pool[int(rng.integers(0, len(pool)))])
            lat, lon = destination_point(
                float(rep[guess][0]),
                float(rep[guess][1]),
                float(rng.uniform(0, 360)),
                float(rng.exponential(150.0)),
            )
        name = names.get(guess, guess)
        # own generator per answer: the reasoning never shifts the guesses drawn above
        words = np.random.default_rng(_seed_of(seed, model.name, prompt.name, sample_id))
        reasoning = reasoning_text(
            words,
            guess,
            continent.get(guess),
            float(rep[guess][0]),
            correct=guess == true_country,
            extra_clues=int(prompt.name == "tips"),
        )
        out.append(
            Prediction(
                raw_response=f"{reasoning}\n\n{_answer_text(rng, name, lat, lon)}",
                status=PredictionStatus.OK,
                pred_country=guess,
                pred_lat=round(lat, 5),
                pred_lon=round(lon, 5),
                coords_source=CoordsSource.MODEL,
                **common,
            )
        )
    return out


def write_placeholder(image_dir: Path, sample_id: str, heading: int) -> Path:
    """Draw a 384x256 JPEG placeholder (sky, hills, a big SIMULATED label); reuse if present."""
    path = image_dir / f"{sample_id}.jpg"
    if path.exists():
        return path
    rng = np.random.default_rng(_seed_of("image", sample_id))
    width, height = 384, 256
    sky = tuple(int(v) for v in rng.integers(150, 225, 3))
    ground = tuple(int(v) for v in rng.integers(60, 150, 3))
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.65))
    xs = np.linspace(0, width, 9)
    ys = horizon + rng.normal(0, 18, xs.size)
    draw.polygon(
        [(0, height), *zip(xs.tolist(), ys.tolist(), strict=False), (width, height)], fill=ground
    )
    draw.rectangle([0, 96, width, 160], fill=(30, 30, 30))
    draw.text(
        (width / 2, 128),
        "SIMULATED",
        fill=(255, 214, 0),
        anchor="mm",
        font=ImageFont.load_default(size=44),
    )
    draw.text(
        (8, height - 22),
        f"demo placeholder · {sample_id} · heading {heading}°",
        fill=(255, 255, 255),
        font=ImageFont.load_default(size=13),
    )
    image.save(path, format="JPEG", quality=80)
    return path


def load_demo(
    store: Store,
    cache_dir: Path,
    *,
    n_locations: int = 240,
    seed: int = 7,
    with_images: bool = True,
) -> DemoResult:
    """Write the simulated dataset, its images and nine simulated runs (replacing an old demo)."""
    from analysis.geo.countries import countries_frame, world_polygons

    countries = countries_frame()
    locations = demo_locations(countries, world_polygons(), n_locations, seed)
    samples = demo_samples(locations, seed)
    image_dir = Path(cache_dir) / DEMO_IMAGE_DIR
    if with_images:
        image_dir.mkdir(parents=True, exist_ok=True)
        paths = [
            write_placeholder(image_dir, sample_id, heading)
            for sample_id, heading in zip(
                samples["sample_id"].astype(str), samples["heading"].astype(int), strict=True
            )
        ]
        samples["image_path"] = [str(p.resolve()) for p in paths]
    with store.session(write=True):  # about 30 writes: one open of the file, not 30
        return _write_demo(store, cache_dir, samples, countries, seed, image_dir)


def _write_demo(
    store: Store,
    cache_dir: Path,
    samples: pd.DataFrame,
    countries: pd.DataFrame,
    seed: int,
    image_dir: Path,
) -> DemoResult:
    """Replace the demo's dataset and runs in ``store`` (inside ``load_demo``'s session)."""
    from analysis.store import DatasetMeta, RunMeta

    remove_demo(store, cache_dir, keep_images=True)
    meta = DatasetMeta(
        name=DEMO_DATASET,
        kind="simulated",
        source="analysis.demo",
        description="SIMULATED demo data: random points in real countries; "
        "no real images and no real model results.",
        is_simulated=True,
    )
    store.ingest_samples(meta, samples)
    runs: list[str] = []
    n_predictions = 0
    for model in SIM_MODELS:
        for prompt in SIM_PROMPTS:
            run = f"{model.name}-{prompt.name}"
            store.create_run(
                RunMeta(
                    name=run,
                    dataset=DEMO_DATASET,
                    model=model.name,
                    adapter="simulated",
                    prompt_strategy=prompt.name,
                    prompt_version="sim",
                    source="analysis.demo",
                    is_simulated=True,
                    params={"seed": seed, "behaviour": model.description},
                    notes=f"SIMULATED: {model.description}",
                )
            )
            preds = simulate_run(samples, countries, model, prompt, seed)
            n_predictions += store.add_predictions(run, preds)
            store.finish_run(run)
            runs.append(run)
    return DemoResult(DEMO_DATASET, len(samples), tuple(runs), n_predictions, image_dir)


def remove_demo(store: Store, cache_dir: Path, *, keep_images: bool = False) -> int:
    """Delete every simulated dataset and run, and the demo images; return rows removed."""
    removed = int(store.delete_simulated())
    image_dir = Path(cache_dir) / DEMO_IMAGE_DIR
    if not keep_images and image_dir.is_dir():
        shutil.rmtree(image_dir)
    return removed
