"""Planning: stratified sampling, limit, split, resume (minus done)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from analysis.errors import InputError
from analysis.runner.plan import make_plan, stratified_sample
from analysis.types import Sample


def _samples(counts: dict[str, int]) -> list[Sample]:
    out = []
    for country, n in counts.items():
        out += [Sample(f"{country}-{i:03d}", 0.0, 0.0, country, split="test") for i in range(n)]
    return out


def test_stratified_sample_keeps_country_shares() -> None:
    samples = _samples({"FRA": 10, "JPN": 5, "BRA": 5})
    chosen = stratified_sample(samples, 8, seed=1)
    assert Counter(s.true_country for s in chosen) == {"FRA": 4, "JPN": 2, "BRA": 2}
    # largest remainder: 7 of 20 -> FRA 3.5, JPN 1.75, BRA 1.75 -> 3 + 2 + 2
    assert Counter(s.true_country for s in stratified_sample(samples, 7, seed=1)) == {
        "FRA": 3,
        "JPN": 2,
        "BRA": 2,
    }


def test_stratified_sample_is_seeded_and_order_independent() -> None:
    samples = _samples({"FRA": 30, "JPN": 20, "KEN": 7})
    shuffled = samples[:]
    random.Random(5).shuffle(shuffled)
    first = {s.sample_id for s in stratified_sample(samples, 12, seed=3)}
    assert first == {s.sample_id for s in stratified_sample(shuffled, 12, seed=3)}
    assert first != {s.sample_id for s in stratified_sample(samples, 12, seed=4)}
    in_order = stratified_sample(samples, 12, seed=3)
    assert [s.sample_id for s in in_order] == sorted(
        s.sample_id for s in in_order
    )  # input order kept


def test_plan_is_stable_across_resume() -> None:
    samples = _samples({"FRA": 10, "JPN": 10})
    first = make_plan(samples, sample=6, limit=4, seed=2)
    assert len(first.todo) == 4 and first.done == 0
    done = {first.todo[0].sample_id, first.todo[2].sample_id}
    again = make_plan(samples, done, sample=6, limit=4, seed=2)
    assert again.selected == first.selected
    assert [s.sample_id for s in again.todo] == [first.todo[1].sample_id, first.todo[3].sample_id]
    assert again.done == 2


def test_split_filter_and_exclusions() -> None:
    samples = _samples({"FRA": 3}) + [Sample("t1", 0, 0, "FRA", split="train")]
    assert [s.sample_id for s in make_plan(samples, split="train").todo] == ["t1"]
    assert len(make_plan(samples, split="test", exclude_ids={"FRA-000"}).todo) == 2
    with pytest.raises(InputError, match="no samples in split 'val'"):
        make_plan(samples, split="val")


def test_heading_filter_keeps_only_those_views() -> None:
    samples = [
        Sample(f"loc{i}_h{h}", 0.0, 0.0, "FRA", location_id=f"loc{i}", heading=h, split="test")
        for i in range(3)
        for h in (0, 90, 180, 270)
    ] + [Sample("no-heading", 0.0, 0.0, "FRA", split="test")]
    assert [s.sample_id for s in make_plan(samples, headings=[0]).todo] == [
        "loc0_h0", "loc1_h0", "loc2_h0"
    ]  # fmt: skip
    assert len(make_plan(samples, headings=(90, 270), split="test").todo) == 6
    assert len(make_plan(samples).todo) == 13  # no filter: every image, with or without heading
    with pytest.raises(InputError, match=r"no samples in split 'test' at heading 45 "
                       r"\(headings present: 0, 90, 180, 270\)"):  # fmt: skip
        make_plan(samples, split="test", headings=[45])
