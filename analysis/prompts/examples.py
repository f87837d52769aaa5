"""Where k-shot examples come from: a fixed stratified set, or each query's neighbours.

An example provider is any callable ``(sample) -> Sequence[Sample]`` (``ExampleProvider``); the
runner calls it once per query and passes the result to ``PromptStrategy.render``.
- ``StaticExamples``: k labelled samples chosen once from a pool (a train split), one per
  country as far as possible, reproducibly from a seed and independent of the pool's order.
- ``MappingNeighbours``: precomputed neighbour lists, keyed by sample id or image file name.
- ``llmgeo_neighbours(csv)``: LLMGeo's published CLIP neighbour file. That file names only the
  *first* neighbour's image and coordinates (the other four are country codes), so it yields one
  example per query: enough for a 1-shot dynamic run, not for the paper's 5-shot.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from analysis.errors import InputError, NotFoundError
from analysis.types import Sample

ExampleProvider = Callable[[Sample], Sequence[Sample]]

_HEADING_RE = re.compile(r"_h(\d{1,3})_")
_LLMGEO_COLUMNS = ("test_path", "nn1_path", "nn1_country_iso3", "nn1_lon", "nn1_lat")


def select_static_examples(pool: Sequence[Sample], k: int, seed: int = 0) -> list[Sample]:
    """Choose ``k`` labelled samples, spread over countries and locations, reproducibly.

    Countries are visited in a seeded random order, one sample each, round after round until
    ``k`` are chosen; a location already chosen is used again only when no country has an
    unused one left. The result depends on the pool's content and the seed, not its order.
    """
    if k < 1:
        raise InputError(f"k must be at least 1, got {k}")
    usable = sorted(
        (s for s in pool if s.true_country and (s.image_path or s.image_sha256)),
        key=lambda s: s.sample_id,
    )
    if not usable:
        raise InputError("no labelled sample with an image in the example pool")
    by_country: dict[str, list[Sample]] = defaultdict(list)
    for sample in usable:
        by_country[str(sample.true_country)].append(sample)
    rng = random.Random(seed)
    order = sorted(by_country)
    rng.shuffle(order)
    for country in order:
        rng.shuffle(by_country[country])
    chosen: list[Sample] = []
    used_locations: set[str] = set()
    target = min(k, len(usable))
    while len(chosen) < target:
        # One round over the countries; a place already shown is reused only when no country
        # has a fresh one left (LLMGeo has up to four headings of each place).
        for allow_repeat in (False, True):
            before = len(chosen)
            for country in order:
                candidates = by_country[country]
                fresh = [c for c in candidates if c.location_id not in used_locations]
                if len(chosen) >= target or not candidates or not (fresh or allow_repeat):
                    continue
                pick = (fresh or candidates)[0]
                candidates.remove(pick)
                chosen.append(pick)
                if pick.location_id:
                    used_locations.add(pick.location_id)
            if len(chosen) > before:
                break
    return chosen


class StaticExamples:
    """The same ``k`` examples for every query (an ``ExampleProvider``)."""

    def __init__(self, pool: Sequence[Sample], k: int = 5, seed: int = 0) -> None:
        self.examples: tuple[Sample, ...] = tuple(select_static_examples(pool, k, seed))

    def __call__(self, sample: Sample) -> Sequence[Sample]:
        """Return the fixed examples (``sample`` is ignored)."""
        return self.examples


def _file_name(path: str | None) -> str | None:
    return PurePosixPath(path.replace("\\", "/")).name if path else None


class MappingNeighbours:
    """Neighbour lists looked up by the query's sample id, else its image file name."""

    def __init__(self, neighbours: Mapping[str, Sequence[Sample]]) -> None:
        self.neighbours: dict[str, tuple[Sample, ...]] = {
            key: tuple(value) for key, value in neighbours.items()
        }

    def __call__(self, sample: Sample) -> Sequence[Sample]:
        """Return the neighbours of ``sample``, nearest first (NotFoundError when unknown)."""
        for key in (sample.sample_id, _file_name(sample.image_path)):
            if key is not None and key in self.neighbours:
                return self.neighbours[key]
        raise NotFoundError(
            f"no neighbour list for sample {sample.sample_id!r} "
            f"(image {sample.image_path!r}); {len(self.neighbours)} lists loaded"
        )


def llmgeo_neighbours(
    csv_path: str | Path, image_root: str | Path | None = None
) -> MappingNeighbours:
    """Load LLMGeo's ``clip_knn5`` file as a provider (one neighbour per query, see module doc).

    Args:
        csv_path: the CSV with columns test_path, nn1_path, nn1_country_iso3, nn1_lon, nn1_lat.
        image_root: the folder that holds LLMGeo's ``dataset/`` tree; neighbour image paths are
            joined to it. Without it they stay as written in the file (relative).
    """
    path = Path(csv_path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"cannot read neighbour file {path}: {exc}") from exc
    if not rows or any(column not in rows[0] for column in _LLMGEO_COLUMNS):
        raise InputError(f"{path} is not an LLMGeo neighbour file; needs columns {_LLMGEO_COLUMNS}")
    mapping: dict[str, list[Sample]] = {}
    for line_no, row in enumerate(rows, start=2):
        try:
            lat, lon = float(row["nn1_lat"]), float(row["nn1_lon"])
        except ValueError:
            raise InputError(f"{path}:{line_no}: nn1_lat/nn1_lon are not numbers") from None
        nn_path = row["nn1_path"]
        name = _file_name(nn_path) or nn_path
        heading = _HEADING_RE.search(name)
        neighbour = Sample(
            sample_id=PurePosixPath(name).stem,
            true_lat=lat,
            true_lon=lon,
            true_country=row["nn1_country_iso3"].strip().upper() or None,
            heading=int(heading.group(1)) if heading else None,
            split="train",
            image_path=str(Path(image_root) / nn_path) if image_root else nn_path,
        )
        query_name = _file_name(row["test_path"]) or row["test_path"]
        mapping[query_name] = [neighbour]
        mapping.setdefault(PurePosixPath(query_name).stem, [neighbour])
    return MappingNeighbours(mapping)
