"""Which samples a run still has to ask about: selection (split, stratified sample, limit)
minus what is already done. The selection is deterministic, so a restarted run plans the same
samples and resuming simply skips the done ones.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.errors import InputError
from analysis.types import Sample


def stratified_sample(samples: Sequence[Sample], n: int, seed: int = 0) -> list[Sample]:
    """Pick ``n`` samples with each country's share kept (largest remainder), seeded.

    The result keeps the input order, and depends only on the samples' ids and countries and
    on the seed, not on the order they come in.
    """
    if n >= len(samples):
        return list(samples)
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.true_country or ""].append(sample)
    total = len(samples)
    quotas = {c: n * len(members) / total for c, members in groups.items()}
    counts = {c: math.floor(q) for c, q in quotas.items()}
    left = n - sum(counts.values())
    # Remainders decide the last seats; ties broken by a seeded shuffle, not by name.
    rng = random.Random(seed)
    order = sorted(groups)
    rng.shuffle(order)
    for country in sorted(order, key=lambda c: quotas[c] - counts[c], reverse=True)[:left]:
        counts[country] += 1
    chosen: set[str] = set()
    for country in sorted(groups):
        members = sorted(groups[country], key=lambda s: s.sample_id)
        picker = random.Random(f"{seed}:{country}")
        chosen.update(s.sample_id for s in picker.sample(members, counts[country]))
    return [s for s in samples if s.sample_id in chosen]


@dataclass(frozen=True)
class Plan:
    """The samples selected for a run and the part of them still to do."""

    selected: tuple[Sample, ...]
    todo: tuple[Sample, ...]

    @property
    def done(self) -> int:
        """Return how many selected samples were already answered."""
        return len(self.selected) - len(self.todo)


def make_plan(
    samples: Sequence[Sample],
    done_ids: Iterable[str] = (),
    *,
    split: str | None = None,
    sample: int | None = None,
    limit: int | None = None,
    seed: int = 0,
    exclude_ids: Iterable[str] = (),
    headings: Iterable[int] | None = None,
) -> Plan:
    """Select samples (split, headings, stratified ``sample``, first ``limit``), drop done ones."""
    wanted = None if headings is None else set(headings)
    selected = [
        s
        for s in samples
        if (split is None or s.split == split) and (wanted is None or s.heading in wanted)
    ]
    if not selected:
        where = [f"in split {split!r}"] if split else []
        if wanted is not None:
            where.append(f"at heading {', '.join(map(str, sorted(wanted)))}")
            present = sorted({s.heading for s in samples if s.heading is not None})
            where.append(
                f"(headings present: {', '.join(map(str, present))})"
                if present
                else "(its images carry no heading)"
            )
        raise InputError(" ".join(["the dataset has no samples", *where]))
    excluded = set(exclude_ids)  # e.g. static few-shot examples must not be asked about
    selected = [s for s in selected if s.sample_id not in excluded]
    if sample is not None:
        selected = stratified_sample(selected, sample, seed)
    if limit is not None:
        selected = selected[:limit]
    done = set(done_ids)
    return Plan(tuple(selected), tuple(s for s in selected if s.sample_id not in done))
