"""The simulated demo's answers carry simulated reasoning that the Clues page can read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.clues import extract_clues
from analysis.clues.stats import clue_summary
from analysis.demo import load_demo
from analysis.demo_reasoning import reasoning_text
from analysis.parsing import parse_answer
from analysis.store import Store
from tests.support.frames import float_at


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("clue-demo")
    store = Store(root / "db.duckdb")
    load_demo(store, root / "cache", n_locations=60, seed=4, with_images=False)
    return store


def test_every_answer_cites_clues_and_parses_as_before(demo: Store) -> None:
    frame = demo.run_frame("sim-neighbour-tips", with_raw=True)
    ok = frame[frame["status"] == "ok"]
    assert len(ok) > 100
    for raw, guess in zip(ok["raw_response"], ok["pred_country"], strict=True):
        reasoning, answer = raw.split("\n\n", 1)
        assert extract_clues(reasoning), reasoning
        # the reasoning never changes what the answer parses to
        assert parse_answer(raw) == parse_answer(answer)
        assert parse_answer(answer).country_iso3 is not None or guess is not None


def test_text_lifts_accuracy_and_wrong_guesses_make_contradicted_claims(demo: Store) -> None:
    frame = demo.run_frame("sim-faroff-basic", with_raw=True)
    summary = clue_summary(frame, n_resamples=50, by=()).set_index("category")
    assert float_at(summary, "text", "lift") > 0.1
    assert float_at(summary, "text", "n_contradicted") > 0
    # several categories are cited, not one sentence repeated
    assert (summary["citation_rate"] > 0.05).sum() >= 6


def test_claims_fit_the_guessed_country() -> None:
    rng = np.random.default_rng(0)
    texts = [
        reasoning_text(rng, "GBR", "Europe", 54.0, correct=True, extra_clues=1) for _ in range(60)
    ]
    claims = {(c.claim.kind, c.claim.value) for t in texts for c in extract_clues(t) if c.claim}
    assert ("driving_side", "left") in claims and ("driving_side", "right") not in claims
    assert ("hemisphere", "north") in claims and ("hemisphere", "south") not in claims
    assert len(set(texts)) > 40  # varied wording


def test_demo_reasoning_is_deterministic(tmp_path: Path) -> None:
    a, b = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    load_demo(a, tmp_path / "c", n_locations=8, seed=2, with_images=False)
    load_demo(b, tmp_path / "c", n_locations=8, seed=2, with_images=False)
    fa = a.run_frame("sim-refuser-tips", with_raw=True)["raw_response"].tolist()
    assert fa == b.run_frame("sim-refuser-tips", with_raw=True)["raw_response"].tolist()
