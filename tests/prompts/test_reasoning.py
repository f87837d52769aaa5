"""The ``*_reasoning`` strategies: clues as a JSON list before the answer; both are read back."""

from __future__ import annotations

import pytest

from analysis.clues import extract_clues
from analysis.prompts import PROMPTS, get_prompt
from analysis.prompts.strategy import REASONING_TEXT
from analysis.types import PredictionStatus, Sample

SAMPLE = Sample("q1", 13.75, 100.5, location_id="L1", image_path="q1.jpg", image_sha256="ab" * 32)
BASES = ("basic", "must", "tips")


@pytest.mark.parametrize("base", BASES)
def test_reasoning_variants_are_registered_with_their_own_version_and_hash(base: str) -> None:
    plain, variant = get_prompt(base), get_prompt(f"{base}_reasoning")
    assert variant.reasoning and not plain.reasoning
    assert variant.version == "1" and variant.allow_unknown == plain.allow_unknown
    for form in ("country", "coords"):
        assert variant.template_hash(form) != plain.template_hash(form)
        assert REASONING_TEXT in variant.system_text(form)
        assert REASONING_TEXT not in plain.system_text(form)
        # the answer line is asked for last, as in the base strategy
        assert variant.system_text(form).endswith(plain.system_text(form).split("\n\n")[-1])
        assert variant.render(SAMPLE, form=form).hash != plain.render(SAMPLE, form=form).hash
    assert variant.template_hash("country") != variant.template_hash("coords")


def test_only_zero_shot_strategies_have_a_reasoning_variant() -> None:
    names = [n for n in PROMPTS.names() if n.endswith("_reasoning")]
    assert sorted(names) == sorted(f"{b}_reasoning" for b in BASES)
    assert all(not get_prompt(n).needs_examples for n in names)


# Replies shaped as the prompt asks, and as models bend it: a fence, one combined object,
# prose around the lines, an unknown answer.
REPLIES = [
    (
        '{"clues": ["Traffic drives on the left", "Shop signs are written in Thai script", '
        '"Tangled power lines on concrete poles"]}\n'
        '{"country": "Thailand", "lat": 13.7563, "lon": 100.5018}',
        "THA",
        {"driving_side", "text", "infrastructure"},
        {("driving_side", "left"), ("language", "Thai")},
    ),
    (
        "Let me look closely.\n```json\n"
        '{"clues": ["eucalyptus trees along the verge", "a red dirt road", '
        '"the sun is in the north, so southern hemisphere"]}\n```\n'
        'So this is most likely inland Australia.\n{"country": "Australia"}',
        "AUS",
        {"vegetation", "terrain_climate", "sun"},
        {("hemisphere", "south")},
    ),
    (
        '{"clues": ["Cyrillic lettering on a shop sign", "Soviet-era apartment blocks"], '
        '"country": "Russia", "lat": 55.75, "lon": 37.62}',
        "RUS",
        {"text", "architecture"},
        {("script", "Cyrillic")},
    ),
    (
        '{"clues": ["yellow centre line", "cars keep to the right", "a pickup truck"]}\n\n'
        'Final answer: {"country": "United States", "lat": 39.5, "lon": -98.35}',
        "USA",
        {"road_markings", "vehicles"},
        set(),
    ),
]


@pytest.mark.parametrize("reply, iso3, categories, claims", REPLIES)
def test_parser_reads_the_answer_and_extractor_the_clue_list(
    reply: str, iso3: str, categories: set[str], claims: set[tuple[str, str]]
) -> None:
    from analysis.parsing import parse_answer

    parsed = parse_answer(reply)
    assert parsed.status is PredictionStatus.OK
    assert parsed.country_iso3 == iso3
    clues = extract_clues(reply)
    assert categories <= {c.category for c in clues}
    assert claims <= {(c.claim.kind, c.claim.value) for c in clues if c.claim}
    # every span points into the list, never into the answer line
    answer_start = reply.rfind('"country"')
    assert all(c.end <= answer_start for c in clues if c.category != "text" or iso3 != "RUS")
    assert all(reply[c.start : c.end] == c.evidence for c in clues)


def test_an_empty_clue_list_and_unknown_answer() -> None:
    from analysis.parsing import parse_answer

    reply = '{"clues": []}\n{"country": "unknown", "lat": null, "lon": null}'
    assert parse_answer(reply).status is PredictionStatus.UNKNOWN
    assert extract_clues(reply) == ()
