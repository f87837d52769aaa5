"""Sanity checks on the hand-labelled clue corpus itself (tests/clues/corpus.py).

These check the corpus's shape, not the extractor: names, styles, label vocabulary and the
minimum coverage each category needs for the extractor's scores to mean something.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from tests.clues import corpus
from tests.clues.corpus import CLUE_CASES, UNCITED_MENTIONS

CATEGORY_IDS: tuple[str, ...] = (
    "text",
    "driving_side",
    "road_markings",
    "road_furniture",
    "vehicles",
    "infrastructure",
    "vegetation",
    "terrain_climate",
    "architecture",
    "landmark",
    "culture",
    "sun",
)
CLAIM_KEYS: tuple[str, ...] = ("driving_side", "script", "language", "hemisphere")
MIN_PER_STYLE = {"prose": 65, "bullets": 45, "json": 45, "adversarial": 35, "multilingual": 25}
SCORED = ("text", "landmark")  # scored on precision/recall: need many positives and negatives
MULTILINGUAL_CODES = {"es", "fr", "de", "pt", "zh", "ru", "ja"}


def _cited_counts() -> Counter[str]:
    return Counter(cat for case in CLUE_CASES for cat in case.cited)


def test_corpus_is_large_and_names_are_unique() -> None:
    assert len(CLUE_CASES) >= 240
    names = [case.name for case in CLUE_CASES]
    dupes = [name for name, n in Counter(names).items() if n > 1]
    assert not dupes, dupes
    assert all(re.fullmatch(r"[a-z0-9_]+", name) for name in names)


def test_category_vocabulary_matches_the_taxonomy() -> None:
    assert set(corpus.CATEGORIES) == set(CATEGORY_IDS)
    for case in CLUE_CASES:
        assert isinstance(case.cited, frozenset), case.name
        assert case.cited <= set(CATEGORY_IDS), (case.name, case.cited - set(CATEGORY_IDS))


def test_styles_are_valid_and_each_is_well_represented() -> None:
    styles = Counter(case.style for case in CLUE_CASES)
    assert set(styles) == set(MIN_PER_STYLE), styles
    for style, minimum in MIN_PER_STYLE.items():
        assert styles[style] >= minimum, (style, styles[style])


def test_every_category_is_cited_often_enough() -> None:
    counts = _cited_counts()
    for cat in CATEGORY_IDS:
        assert counts[cat] >= (50 if cat in SCORED else 12), (cat, counts[cat])


def test_scored_categories_have_many_uncited_mentions() -> None:
    uncited = Counter(cat for cats in UNCITED_MENTIONS.values() for cat in cats)
    for cat in SCORED:
        assert uncited[cat] >= 25, (cat, uncited[cat])


def test_uncited_mentions_are_consistent_with_the_labels() -> None:
    by_name = {case.name: case for case in CLUE_CASES}
    for name, cats in UNCITED_MENTIONS.items():
        assert name in by_name, name
        assert cats, name
        assert cats <= set(CATEGORY_IDS), (name, cats)
        assert not cats & by_name[name].cited, (name, cats & by_name[name].cited)


def test_claims_are_well_formed_and_backed_by_a_cited_category() -> None:
    for case in CLUE_CASES:
        assert isinstance(case.claims, tuple), case.name
        assert len(set(case.claims)) == len(case.claims), case.name
        for claim in case.claims:
            assert isinstance(claim, tuple) and len(claim) == 2, (case.name, claim)
            key, value = claim
            assert key in CLAIM_KEYS, (case.name, key)
            assert isinstance(value, str) and value.strip() == value and value, (case.name, claim)
            if key == "driving_side":
                assert value in ("left", "right"), (case.name, value)
                assert "driving_side" in case.cited, case.name
            elif key == "hemisphere":
                assert value in ("north", "south"), (case.name, value)
            else:
                assert "text" in case.cited, (case.name, key)
        driving = [v for k, v in case.claims if k == "driving_side"]
        hemisphere = [v for k, v in case.claims if k == "hemisphere"]
        assert len(driving) <= 1 and len(hemisphere) <= 1, case.name


def test_claim_values_cover_both_sides() -> None:
    values = Counter(claim for case in CLUE_CASES for claim in case.claims)
    for claim in [("driving_side", "left"), ("driving_side", "right")]:
        assert values[claim] >= 5, claim
    for claim in [("hemisphere", "north"), ("hemisphere", "south")]:
        assert values[claim] >= 3, claim
    assert sum(n for (k, _), n in values.items() if k == "script") >= 20
    assert sum(n for (k, _), n in values.items() if k == "language") >= 40


def test_json_style_cases_hold_a_json_object() -> None:
    for case in CLUE_CASES:
        if case.style != "json":
            continue
        body = case.text.strip()
        body = re.sub(r"^```(?:json)?\s*", "", body)
        body = re.sub(r"\s*```$", "", body)
        assert isinstance(json.loads(body), dict), case.name


def test_multilingual_cases_cover_the_languages() -> None:
    codes = Counter(case.name.split("_")[1] for case in CLUE_CASES if case.style == "multilingual")
    assert set(codes) == MULTILINGUAL_CODES, codes
    assert all(n >= 3 for n in codes.values()), codes


def test_corpus_includes_replies_that_cite_nothing() -> None:
    empty = [case.name for case in CLUE_CASES if not case.cited]
    assert len(empty) >= 5, empty


def test_texts_are_non_empty_and_vary_in_length() -> None:
    lengths = [len(case.text) for case in CLUE_CASES]
    assert min(lengths) > 0
    assert min(lengths) < 40 and max(lengths) > 600
