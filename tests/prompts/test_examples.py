"""Example providers: stratified static choice, neighbour lists, LLMGeo's published file."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from analysis.errors import InputError, NotFoundError
from analysis.prompts import (
    MappingNeighbours,
    StaticExamples,
    get_prompt,
    llmgeo_neighbours,
    select_static_examples,
)
from analysis.types import Sample


def _pool() -> list[Sample]:
    pool = []
    for country, n in [("FRA", 6), ("JPN", 4), ("BRA", 3), ("KEN", 2), ("AUS", 1), ("CHL", 1)]:
        for i in range(n):
            pool.append(
                Sample(
                    f"{country}-{i}",
                    0.0,
                    0.0,
                    country,
                    location_id=f"{country}-loc{i // 2}",
                    image_path=f"train/{country}-{i}.jpg",
                )
            )
    pool.append(Sample("no-label", 0.0, 0.0, None, image_path="x.jpg"))
    pool.append(Sample("no-image", 0.0, 0.0, "FRA"))
    return pool


def test_static_choice_spreads_countries_and_locations() -> None:
    chosen = select_static_examples(_pool(), k=5, seed=0)
    assert len(chosen) == 5
    assert len({s.true_country for s in chosen}) == 5  # six countries available
    assert all(s.sample_id not in ("no-label", "no-image") for s in chosen)
    nine = select_static_examples(_pool(), k=9, seed=0)
    assert len({s.true_country for s in nine}) == 6
    assert len({s.location_id for s in nine}) == 9  # a second image of a place only if needed


def test_static_choice_is_reproducible_and_order_free() -> None:
    pool = _pool()
    shuffled = pool[:]
    random.Random(7).shuffle(shuffled)
    assert select_static_examples(pool, 5, seed=3) == select_static_examples(shuffled, 5, seed=3)
    picks = {tuple(s.sample_id for s in select_static_examples(pool, 5, seed=s)) for s in range(8)}
    assert len(picks) > 1  # the seed matters


def test_static_choice_with_a_small_pool_and_bad_input() -> None:
    tiny = [Sample("a", 0, 0, "FRA", image_path="a.jpg")]
    assert StaticExamples(tiny, k=5)(Sample("q", 1, 1)) == tuple(tiny)
    with pytest.raises(InputError, match="k must be"):
        select_static_examples(tiny, 0)
    with pytest.raises(InputError, match="no labelled sample"):
        select_static_examples([Sample("b", 0, 0)], 3)


def test_mapping_neighbours_by_id_or_file_name() -> None:
    neighbour = Sample("n1", 1.0, 2.0, "FRA", image_path="n1.jpg")
    provider = MappingNeighbours({"q1": [neighbour], "photo.jpg": [neighbour]})
    assert provider(Sample("q1", 0, 0)) == (neighbour,)
    assert provider(Sample("other", 0, 0, image_path="/data/x/photo.jpg")) == (neighbour,)
    with pytest.raises(NotFoundError, match="no neighbour list"):
        provider(Sample("missing", 0, 0))


def test_llmgeo_neighbour_file_gives_first_neighbour(shared_data: Path) -> None:
    csv_path = shared_data / "llmgeo" / "clip_knn5_h0.csv"
    with csv_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    provider = llmgeo_neighbours(csv_path, image_root="/data/LLMGeo")
    first = rows[0]
    query_file = Path(first["test_path"]).name
    query = Sample(
        Path(query_file).stem,
        float(first["test_lat"]),
        float(first["test_lon"]),
        first["test_country_iso3"],
        image_path=f"/elsewhere/{query_file}",
    )
    (neighbour,) = provider(query)
    assert (neighbour.true_lat, neighbour.true_lon) == (
        float(first["nn1_lat"]),
        float(first["nn1_lon"]),
    )
    assert neighbour.true_country == first["nn1_country_iso3"]
    assert neighbour.image_path == str(Path("/data/LLMGeo") / first["nn1_path"])
    assert neighbour.split == "train" and neighbour.heading == int(
        first["nn1_path"].split("_h")[1].split("_")[0]
    )
    covered = sum(1 for row in rows if provider(Sample(Path(row["test_path"]).stem, 0, 0)))
    assert covered == len(rows)
    prompt = get_prompt("dynamic_kshot").render(query, provider(query), "coords")
    assert len(prompt.images()) == 2  # one published neighbour + the query


def test_llmgeo_neighbours_rejects_other_files(tmp_path: Path) -> None:
    wrong = tmp_path / "x.csv"
    wrong.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not an LLMGeo neighbour file"):
        llmgeo_neighbours(wrong)
    with pytest.raises(InputError, match="cannot read"):
        llmgeo_neighbours(tmp_path / "missing.csv")
