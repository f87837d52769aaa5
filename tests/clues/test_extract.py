"""extract_clues: categories, spans, negation scope, other senses, JSON answers and claims.

Expectations are written by hand from what each text says; the dev-set figures check the
extractor as a whole against hand labels (tests/clues/dev_set.py, dev_holdout.py).
"""

from __future__ import annotations

from collections import Counter

import pytest

from analysis.clues import CATEGORIES, Claim, category_ids, extract_clues
from tests.clues.dev_holdout import HOLDOUT
from tests.clues.dev_holdout2 import HOLDOUT2
from tests.clues.dev_holdout3 import HOLDOUT3, HOLDOUT4
from tests.clues.dev_set import DEV_SET


def cats(text: str) -> set[str]:
    return {c.category for c in extract_clues(text)}


def claims(text: str) -> set[Claim]:
    return {c.claim for c in extract_clues(text) if c.claim is not None}


def scores(data: list[tuple[str, set[str]]]) -> dict[str, tuple[float, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for text, gold in data:
        pred = cats(text)
        tp.update(pred & gold)
        fp.update(pred - gold)
        fn.update(gold - pred)
    out = {}
    for cat in category_ids():
        p = tp[cat] / (tp[cat] + fp[cat]) if tp[cat] + fp[cat] else 1.0
        r = tp[cat] / (tp[cat] + fn[cat]) if tp[cat] + fn[cat] else 1.0
        out[cat] = (p, r)
    return out


def test_taxonomy_has_the_twelve_stable_ids() -> None:
    assert category_ids() == [
        "text", "driving_side", "road_markings", "road_furniture", "vehicles",
        "infrastructure", "vegetation", "terrain_climate", "architecture", "landmark",
        "culture", "sun",
    ]  # fmt: skip
    assert all(CATEGORIES.get(i).label and CATEGORIES.get(i).description for i in category_ids())


@pytest.mark.parametrize(
    "data",
    [DEV_SET, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4],
    ids=["dev", "holdout", "holdout2", "holdout3", "holdout4"],
)
def test_dev_sets_reach_the_targets(data: list[tuple[str, set[str]]]) -> None:
    result = scores(data)
    for cat in ("text", "landmark"):
        assert min(result[cat]) >= 0.85, (cat, result[cat])
    for cat, (p, r) in result.items():
        assert p >= 0.75 and r >= 0.75, (cat, p, r)


@pytest.mark.parametrize(
    "text", [text for text, _ in DEV_SET + HOLDOUT + HOLDOUT2 + HOLDOUT3 + HOLDOUT4]
)
def test_spans_point_into_the_original_text(text: str) -> None:
    for clue in extract_clues(text):
        assert text[clue.start : clue.end] == clue.evidence
        assert clue.category in category_ids()


def test_empty_input_cites_nothing() -> None:
    assert extract_clues(None) == ()
    assert extract_clues("") == ()


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("There is no visible text or signage.", "text"),
        ("No landmarks identifiable.", "landmark"),
        ("I can't read the sign.", "text"),
        ("There are no cars.", "vehicles"),
        ("Without any signs, it is hard to say.", "text"),
        ("Nothing legible.", "text"),
        ("Landmark: none", "landmark"),
        ("- **Landmarks:** None", "landmark"),
        ("Text/Signage: N/A", "text"),
        ("The sign is too blurry to read.", "text"),
        ("There is a sign, but it is too blurry to read.", "text"),
        ("I don't see any road markings.", "road_markings"),
        ("No hay ningún letrero visible.", "text"),
        ("Il n'y a aucun panneau.", "text"),
        ("Keine Schilder zu sehen.", "text"),
        ("Não há placas de rua.", "text"),
        ("Нет вывесок.", "text"),
        ("没有标志牌。", "text"),
        ("看板は見当たりません。", "text"),
        ("ランドマークはない。", "landmark"),
        ("A landmark would help, but I see none.", "landmark"),
        ("I can see some text, but it's too small to read.", "text"),
        ("Road signs are present but illegible.", "text"),
        ("Signs are visible, but their text is illegible.", "text"),
        ("There's a sign in the distance, though I can't make out the text.", "text"),
        ("**Signage**: There's a sign, though I can't read it.", "text"),
        ("### Landmarks\nNone that I can recognise.", "landmark"),
    ],
)
def test_denials_cite_nothing_for_that_category(text: str, denied: str) -> None:
    assert denied not in cats(text)


def test_a_denial_ends_at_the_clause() -> None:
    assert cats("There are no cars, but the utility poles are concrete.") == {"infrastructure"}
    assert cats("No text visible, vegetation is lush.") == {"vegetation"}
    assert cats("There are no cars on the dirt road.") == {"infrastructure"}


def test_a_denied_list_denies_every_item() -> None:
    assert cats("No text, signs, vehicles or landmarks are visible.") == set()
    assert cats("Text and landmarks are not visible.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "The driving force behind this guess is instinct.",
        "It was a landmark decision for the court.",
        "The text of the question gives nothing away.",
        "He started from pole position.",
        "It is beyond a shadow of a doubt.",
        "That is a sign of good luck.",
        "They have a culture of openness.",
        "Final answer: Brazil.",
        "My guess is Japan.",
    ],
)
def test_other_senses_and_bare_answers_cite_nothing(text: str) -> None:
    assert extract_clues(text) == ()


def test_named_landmarks_count_and_generic_buildings_do_not() -> None:
    assert "landmark" in cats("The CN Tower is visible on the skyline.")
    assert "landmark" in cats("That is St. Stephen's Cathedral.")
    assert "landmark" in cats("Mount Fuji rises behind the town.")
    assert "landmark" not in cats("A Gothic Cathedral and an Orthodox Church.")
    assert "landmark" in cats("Red Square is behind us.")
    assert "landmark" not in cats("A red square sign and a white house.")


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Cars drive on the left.", "left"),
        ("This is a left-hand traffic country.", "left"),
        ("The vehicles are right-hand drive.", "left"),  # steering on the right: LEFT traffic
        ("Left-hand drive cars everywhere.", "right"),
        ("Traffic keeps right.", "right"),
        ("Traffic keeps to the left.", "left"),  # "to the" side: the statement is one clue
        ("Vehicles here are keeping to the right-hand side.", "right"),
        ("The steering wheel is on the right.", "left"),
        ("Los coches circulan por la izquierda.", "left"),
        ("On roule à droite.", "right"),
        ("Linksverkehr.", "left"),
        ("Левостороннее движение.", "left"),
        ("车辆靠右行驶。", "right"),
        ("左側通行です。", "left"),
    ],
)
def test_driving_side_claims(text: str, side: str) -> None:
    assert claims(text) == {Claim("driving_side", side)}
    assert cats(text) == {"driving_side"}


def test_a_turn_to_one_side_is_not_the_side_traffic_keeps_to() -> None:
    assert claims("The road turns to the right past the church.") == set()
    assert claims("A car moves to the left lane to overtake.") == set()


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("The signs use Cyrillic.", Claim("script", "Cyrillic")),
        ("Arabic script on the shop.", Claim("script", "Arabic")),
        ("Chinese characters on the banner.", Claim("script", "Han")),
        ("I can read katakana on the sign.", Claim("script", "Kana")),
        ("Georgian script is unmistakable.", Claim("script", "Georgian")),
        ("Signs in Portuguese.", Claim("language", "Portuguese")),
        ("The language appears to be Polish.", Claim("language", "Polish")),
        ("Las señales están en español.", Claim("language", "Spanish")),
        ("The shadows point south.", Claim("hemisphere", "south")),
        ("The sun is in the north.", Claim("hemisphere", "south")),
        ("We are in the northern hemisphere.", Claim("hemisphere", "north")),
        ("南半球のようです。", Claim("hemisphere", "south")),
    ],
)
def test_script_language_and_hemisphere_claims(text: str, claim: Claim) -> None:
    assert claim in claims(text)


def test_latin_america_and_arabic_numerals_claim_no_script() -> None:
    assert claims("This looks like Latin America; the sign shows Arabic numerals.") == set()


def test_a_language_the_text_is_not_in_is_not_claimed() -> None:
    assert claims("The signs are not in English.") == set()
    assert "text" in cats("The signs are not in English.")


def test_fenced_json_fields() -> None:
    text = (
        "Here is my analysis:\n```json\n{\n  \"reasoning\": \"Red soil and eucalyptus.\",\n"
        "  \"landmark\": \"none\",\n  \"text_and_signage\": \"Portuguese words like 'Rua'\",\n"
        "  \"cultural_indicators\": null,\n  \"vegetation\": \"not visible\",\n"
        "  \"driving_side\": \"right\",\n  \"country\": \"Brazil\"\n}\n```"
    )
    found = extract_clues(text)
    assert {c.category for c in found} == {"terrain_climate", "vegetation", "text", "driving_side"}
    # the vegetation comes from the reasoning ("eucalyptus"), not from the empty field
    assert [c.evidence for c in found if c.category == "vegetation"] == ["eucalyptus"]
    assert Claim("driving_side", "right") in {c.claim for c in found}
    assert Claim("language", "Portuguese") in {c.claim for c in found}


def test_a_substantive_field_cites_its_category_by_name() -> None:
    found = extract_clues('{"landmark": "a big red torii", "country": "Japan"}')
    assert [(c.category, c.evidence) for c in found] == [("landmark", "a big red torii")]


def test_clue_lists_in_json_are_read() -> None:
    text = '{"clues": ["Cyrillic text", "birch trees"], "landmarks": [], "country": "Russia"}'
    assert cats(text) == {"text", "vegetation"}



def test_offsets_hold_when_lower_casing_changes_the_length() -> None:
    text = "İstanbul: the signs are in Turkish. Cars drive on the right."
    found = extract_clues(text)
    assert all(text[c.start : c.end] == c.evidence for c in found)
    assert {c.claim for c in found} == {
        Claim("language", "Turkish"),
        Claim("driving_side", "right"),
    }


def test_large_hostile_inputs_are_read_whole() -> None:
    """Every term of a huge answer is found and a never-closed JSON value ends the scan.

    How long they take is measured by benchmarks/bench_clues.py (speed is no unit test here:
    a timed test fails on a busy machine); a pattern that backtracked without end would still
    stop this test at the suite's timeout.
    """
    many_keys = ('{"k": "' + "signs " * 20 + '", ') * 500  # 10,000 terms in 500 fields
    unclosed = '{"a": [' + "x " * 100_000
    assert len(extract_clues(many_keys)) == 10_000
    assert extract_clues(unclosed) == ()


def test_a_long_text_field_is_content_not_a_clue() -> None:
    answer = "The image shows a quiet street. " * 12 + "Palm trees line it."
    found = extract_clues('{"text": "' + answer + '", "country": "Spain"}')
    assert {c.category for c in found} == {"vegetation"}
