"""Prompt strategies: registry, rendering, hashing, k-shot examples and their order."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from analysis.errors import InputError, RegistryError
from analysis.parsing import parse_answer
from analysis.prompts import PROMPTS, AnswerForm, ImageRef, PromptMessages, get_prompt
from analysis.prompts.strategy import example_answer
from analysis.types import PredictionStatus, Sample

NAMES = [
    "basic",
    "must",
    "tips",
    "static_kshot",
    "dynamic_kshot",
    "static_kshot_shuffled",
    "dynamic_kshot_shuffled",
    "basic_reasoning",
    "must_reasoning",
    "tips_reasoning",
]
QUERY = Sample(
    "q1", 48.85, 2.35, "FRA", location_id="L-q", image_path="imgs/q1.jpg", image_sha256="a" * 64
)
EXAMPLES = [
    Sample(f"e{i}", lat, lon, iso3, location_id=f"L{i}", image_path=f"train/e{i}.jpg")
    for i, (lat, lon, iso3) in enumerate(
        [
            (35.68, 139.76, "JPN"),
            (-33.87, 151.21, "AUS"),
            (52.52, 13.405, "DEU"),
            (-23.55, -46.63, "BRA"),
            (40.41, -3.70, "ESP"),
            (1.29, 103.85, "SGP"),
        ]
    )
]


def _render(name: str, form: str = "country", sample: Sample = QUERY) -> PromptMessages:
    strategy = get_prompt(name)
    return strategy.render(sample, EXAMPLES if strategy.needs_examples else (), form)


def test_registry_lists_every_strategy_and_rejects_unknown_names() -> None:
    assert PROMPTS.names() == NAMES
    with pytest.raises(RegistryError, match="known: basic"):
        get_prompt("nope")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", ["country", "coords"])
def test_every_strategy_renders_both_forms(name: str, form: str) -> None:
    prompt = _render(name, form)
    assert prompt.strategy == name and prompt.form == AnswerForm(form) and prompt.version
    assert prompt.turns[-1].role == "user"
    assert prompt.turns[-1].images == (ImageRef.of_sample(QUERY, "query"),)
    assert '"country"' in prompt.system
    assert ('"lat"' in prompt.system) is (form == "coords")
    assert len(prompt.hash) == 64
    text = prompt.as_text()
    assert prompt.system in text and text.count("<image>") == len(prompt.images())


def test_only_basic_accepts_unknown() -> None:
    allows = {name: "unknown" in get_prompt(name).system_text("country") for name in NAMES}
    assert allows == {name: name in ("basic", "basic_reasoning") for name in NAMES}


def test_tips_names_each_family_of_clues() -> None:
    text = get_prompt("tips").system_text("country").lower()
    for clue in (
        "side of the road",
        "sun",
        "hemisphere",
        "bollards",
        "lines",
        "number plates",
        "soil",
        "trees",
        "architectur",
        "utility poles",
        "script",
        "language",
    ):
        assert clue in text, clue


@pytest.mark.parametrize("form", ["country", "coords"])
def test_example_answers_teach_a_format_the_parser_reads(form: str) -> None:
    for example in EXAMPLES:
        parsed = parse_answer(example_answer(example, AnswerForm(form)))
        assert parsed.status is PredictionStatus.OK
        assert parsed.country_iso3 == example.true_country
        if form == "coords":
            assert (parsed.lat, parsed.lon) == (example.true_lat, example.true_lon)


def test_hash_covers_words_and_image_identity_but_not_bytes() -> None:
    base = _render("basic")
    assert _render("basic").hash == base.hash
    other_image = replace(QUERY, image_sha256="b" * 64)
    assert _render("basic", sample=other_image).hash != base.hash
    assert _render("must").hash != base.hash
    assert _render("basic", "coords").hash != base.hash
    data = b"\xff\xd8 fake jpeg"
    with_bytes = ImageRef(data=data)
    same_by_hash = ImageRef(sha256=hashlib.sha256(data).hexdigest())
    assert with_bytes.identity() == same_by_hash.identity()
    assert "fake" not in str(base.canonical())


def test_template_hash_is_stable_and_tracks_k_and_version() -> None:
    dyn = get_prompt("dynamic_kshot")
    assert dyn.template_hash("coords") == dyn.template_hash(AnswerForm.COORDS)
    assert dyn.with_options(k=3).template_hash("coords") != dyn.template_hash("coords")
    assert replace(dyn, version="2").template_hash("coords") != dyn.template_hash("coords")
    assert "<example answer JSON>" in dyn.template_text("country")


def test_bad_forms_and_example_misuse_raise_input_errors() -> None:
    with pytest.raises(InputError, match="unknown answer form"):
        get_prompt("basic").render(QUERY, (), "city")
    with pytest.raises(InputError, match="takes no examples"):
        get_prompt("basic").render(QUERY, EXAMPLES)
    with pytest.raises(InputError, match="needs static examples"):
        get_prompt("static_kshot").render(QUERY, ())
    leak = replace(EXAMPLES[0], location_id=QUERY.location_id)
    with pytest.raises(InputError, match="leak"):
        get_prompt("dynamic_kshot").render(QUERY, [leak])
    with pytest.raises(InputError, match="no image"):
        get_prompt("basic").render(Sample("x", 0.0, 0.0))


def test_kshot_alternates_example_turns_and_uses_at_most_k() -> None:
    prompt = _render("dynamic_kshot", "coords")
    examples, query = prompt.turns[:-1], prompt.turns[-1]
    assert [t.role for t in examples] == ["user", "assistant"] * 5  # 6 offered, k = 5
    shown = [t.images[0].label for t in examples[::2]]
    assert shown == ["e0", "e1", "e2", "e3", "e4"]  # nearest first, as the provider gave them
    assert all(not t.images for t in examples[1::2])
    assert "Japan" in examples[1].text and query.images[0].label == "query"
    assert [i.label for i in prompt.images()] == [*shown, "query"]


def test_shuffled_order_is_seeded_per_sample() -> None:
    def order(sample_id: str, seed: int = 0) -> list[str]:
        strategy = get_prompt("static_kshot_shuffled").with_options(seed=seed)
        prompt = strategy.render(replace(QUERY, sample_id=sample_id), EXAMPLES)
        return [t.images[0].label for t in prompt.turns[:-1:2]]

    assert order("q1") == order("q1")
    assert sorted(order("q1")) == ["e0", "e1", "e2", "e3", "e4"]
    orders = {tuple(order(f"q{i}")) for i in range(20)}
    assert len(orders) > 10  # 120 possible orders: per-sample seeds really vary
    assert {tuple(order("q1", seed)) for seed in range(10)} != {tuple(order("q1"))}


def test_chat_export_places_images_in_order() -> None:
    prompt = _render("static_kshot")
    messages = prompt.to_chat(lambda i, ref: {"type": "image_url", "index": i, "label": ref.label})
    assert messages[0]["role"] == "system"
    indexes = [p["index"] for m in messages for p in m["content"] if p["type"] == "image_url"]
    assert indexes == list(range(6))
    parts = list(prompt.iter_parts())
    assert parts[-1] == ("user", [("image", 5), ("text", "Where was this photo taken?")])
